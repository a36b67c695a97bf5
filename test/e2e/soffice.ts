/**
 * LibreOffice headless as the formula oracle (toolchain.md): a throwaway profile that forces
 * recalculation of OOXML files on load (OOXMLRecalcMode = 0, else stale cached results are kept),
 * one soffice process per batch of files, outputs checked (soffice exits 0 even when it failed).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export function sofficePath(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v soffice || command -v libreoffice'], { encoding: 'utf8' });
  const p = r.stdout.trim().split('\n')[0];
  return r.status === 0 && p ? p : null;
}

export function makeProfile(dir: string): string {
  mkdirSync(join(dir, 'user'), { recursive: true });
  writeFileSync(join(dir, 'user', 'registrymodifications.xcu'), `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`);
  return dir;
}

/** Converts every file to `format` in `outDir` with one soffice process; returns the output paths. */
export function convert(soffice: string, profile: string, format: 'xlsx' | 'pdf', outDir: string, files: string[], timeoutMs = 170_000): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const args = [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--nolockcheck', '--convert-to', format, '--outdir', outDir, ...files];
  return new Promise((resolve, reject) => {
    const p = spawn(soffice, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    p.stdout.on('data', (d) => (log += d));
    p.stderr.on('data', (d) => (log += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', reject);
    p.on('close', () => {
      clearTimeout(timer);
      const outs = files.map((f) => join(outDir, basename(f).replace(/\.[^.]+$/, `.${format}`)));
      const missing = outs.filter((o) => !existsSync(o));
      if (missing.length) reject(new Error(`soffice did not write ${missing.join(', ')}\n${log}`));
      else resolve(outs);
    });
  });
}
