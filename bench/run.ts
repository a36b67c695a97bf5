/**
 * `npm run bench`: imports every bench/*.ts except this file, calls its exported `run()` and prints
 * each result as a table. Benches print figures; nothing here asserts timings.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

/** The median of a list of timings. */
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export interface BenchResult {
  /** Title of the table. */
  name: string;
  rows: { metric: string; value: string | number; unit?: string }[];
  /** A table of figures (one line per case), printed after the rows. */
  table?: { head: string[]; lines: (string | number)[][] };
  /** A target and whether this run met it. */
  target?: { text: string; met: boolean };
  notes?: string[];
}

const fmtValue = (v: string | number): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : v);
// East Asian wide characters take two columns in a terminal.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3040-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;
const width = (s: string): number => [...s].reduce((n, ch) => n + (WIDE.test(ch) ? 2 : 1), 0);
const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - width(s)));

export function printResult(r: BenchResult, out: (line: string) => void = console.log): void {
  const rows = r.rows.map((x) => [x.metric, fmtValue(x.value), x.unit ?? '']);
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((row) => width(row[i])), i === 0 ? width('metric') : i === 1 ? width('value') : width('unit')));
  const line = `+${w.map((n) => '-'.repeat(n + 2)).join('+')}+`;
  out(`\n${r.name}`);
  if (rows.length) {
    out(line);
    out(`| ${pad('metric', w[0])} | ${pad('value', w[1])} | ${pad('unit', w[2])} |`);
    out(line);
    for (const row of rows) out(`| ${pad(row[0], w[0])} | ${pad(row[1], w[1])} | ${pad(row[2], w[2])} |`);
    out(line);
  }
  if (r.table) printTable(r.table, out);
  if (r.target) out(`target: ${r.target.text} — ${r.target.met ? 'MET' : 'NOT MET'}`);
  for (const n of r.notes ?? []) out(`note: ${n}`);
}

export function printTable(t: NonNullable<BenchResult['table']>, out: (line: string) => void = console.log): void {
  const cells = [t.head, ...t.lines.map((l) => l.map(fmtValue))];
  const w = t.head.map((_h, i) => Math.max(...cells.map((c) => width(String(c[i] ?? '')))));
  const line = `+${w.map((n) => '-'.repeat(n + 2)).join('+')}+`;
  out(line);
  cells.forEach((c, k) => {
    out(`| ${w.map((n, i) => pad(String(c[i] ?? ''), n)).join(' | ')} |`);
    if (k === 0) out(line);
  });
  out(line);
}

function isResult(x: unknown): x is BenchResult {
  return typeof x === 'object' && x !== null && typeof (x as BenchResult).name === 'string' && Array.isArray((x as BenchResult).rows);
}

export async function main(): Promise<number> {
  const dir = dirname(fileURLToPath(import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'run.ts').sort();
  let failed = 0;
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { run?: () => Promise<unknown> };
    if (typeof mod.run !== 'function') continue;
    try {
      const result = await mod.run();
      for (const r of Array.isArray(result) ? result : [result]) {
        if (isResult(r)) printResult(r);
        else console.log(`\n${f}\n${JSON.stringify(r, null, 2)}`);
      }
    } catch (e) {
      failed++;
      console.error(`\n${f}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }
  return failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });
}
