// Fails when src/ has a circular import (lint's layering rule keeps layers one-way; this keeps
// modules inside a layer acyclic too). Reads static `import … from './x'` specifiers only.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname, resolve, relative } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..', 'src');
const files = [];
const walk = (d) => readdirSync(d).forEach((f) => {
  const p = join(d, f);
  if (statSync(p).isDirectory()) walk(p);
  else if (p.endsWith('.ts')) files.push(p);
});
walk(root);

const resolveImport = (from, spec) => {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const c of [base, `${base}.ts`, join(base, 'index.ts')]) if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
};
const graph = new Map(files.map((f) => {
  const src = readFileSync(f, 'utf8');
  const deps = [...src.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+['"]([^'"]+)['"]/gm)]
    .map((m) => resolveImport(f, m[1])).filter(Boolean);
  return [f, deps];
}));

const state = new Map();
const cycles = [];
const visit = (f, stack) => {
  state.set(f, 'open');
  for (const d of graph.get(f) ?? []) {
    if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d]);
    else if (!state.has(d)) visit(d, [...stack, d]);
  }
  state.set(f, 'done');
};
for (const f of files) if (!state.has(f)) visit(f, [f]);
if (cycles.length) {
  for (const c of cycles) console.error('import cycle: ' + c.map((f) => relative(root, f)).join(' → '));
  process.exit(1);
}
console.log(`no import cycles in ${files.length} modules`);
