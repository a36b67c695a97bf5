#!/usr/bin/env node
// Validates manifest.xml offline against Microsoft's XSD schemas with xmllint.
// (`office-addin-manifest validate` posts to an online service, which is unreachable here.)
// Usage: node scripts/validate-manifest.js [manifest.xml]   (npm run validate)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_DIR = resolve(root, '..', 'shared', 'schemas', 'office-addin-manifest');
export const SCHEMA = join(SCHEMA_DIR, 'OfficeAppManifestV1_1.xsd');

/** Runs xmllint; returns { ok, status, output } or { ok: false, missing } when a tool or file is absent. */
export function validateManifest(manifestPath = join(root, 'manifest.xml')) {
  if (!existsSync(SCHEMA)) {
    return { ok: false, missing: `schema not found: ${SCHEMA} (expected the shared schemas next to the repo, ../shared/schemas/office-addin-manifest/)` };
  }
  if (!existsSync(manifestPath)) return { ok: false, missing: `manifest not found: ${manifestPath}` };
  const r = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, manifestPath], { encoding: 'utf8' });
  if (r.error && r.error.code === 'ENOENT') {
    return { ok: false, missing: 'xmllint not found: install it with `apt-get install -y libxml2-utils`' };
  }
  return { ok: r.status === 0, status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const manifest = resolve(process.argv[2] ?? join(root, 'manifest.xml'));
  const r = validateManifest(manifest);
  if (r.missing && !existsSync(SCHEMA)) {
    // Outside this workplace there is no ../shared: say so and skip, as the tests do.
    console.log(`– manifest check skipped: ${r.missing}`);
    process.exit(0);
  }
  if (r.missing) {
    console.error(`✗ ${r.missing}`);
    process.exit(2);
  }
  if (r.output) console.log(r.output);
  if (!r.ok) {
    console.error(`✗ ${manifest} does not validate against ${SCHEMA}`);
    process.exit(1);
  }
  console.log(`✓ ${manifest} is valid (OfficeAppManifestV1_1.xsd)`);
}
