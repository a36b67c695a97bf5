/**
 * `dafen import <file.docx|file.xlsx|file.txt> [-o rubric.yaml] [--json] [--report]`: a 评分细则 table
 * → a rubric file (src/import). Also the fidelity table of the README: every seed document imported
 * and compared with its hand-encoded rubric in rubrics/.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadProgram } from '../engine';
import { compareRubrics, importFile, importProblem, MAX_BYTES, type Comparison, type ImportResult } from '../import';
import { table } from './report';
import { listRubricFiles, REPO_ROOT } from './rubrics';
import type { Io } from './main';

export const IMPORT_USAGE = 'dafen import <file.docx|file.xlsx|file.txt> [-o rubric.yaml] [--json] [--report]';

function problemLine(p: ImportResult['problems'][number]): string {
  return `${p.line !== undefined ? `:${p.line} ` : ''}${p.path ? p.path + ' ' : ''}${p.severity === 'warning' ? 'warning ' : ''}${p.code} ${p.message.zh} / ${p.message.en}`;
}

/** One line per criterion: id, points, kind, parameters in words, confidence, 需确认. */
export function reportLines(r: ImportResult): string[] {
  const rows = r.criteria.map((c) => [`${c.variant}:${c.id}`, c.points === undefined ? '—' : String(c.points), c.kind, c.params, c.confidence, c.confidence === 'high' ? '' : `需确认：${c.confirm.join('；')}`]);
  const flagged = r.criteria.filter((c) => c.confidence !== 'high').length;
  return [
    table(['编号 id', '分值 points', '计分方式 kind', '参数 parameters', '可信度 confidence', '需确认 to confirm'], rows),
    `${r.criteria.length} 条评分标准，${flagged} 条需确认 / ${r.criteria.length} criteria, ${flagged} to confirm`,
  ];
}

function tooLarge(size: number): ImportResult {
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return { rubric: null, yaml: '', program: null, criteria: [], problems: [importProblem('import.tooLarge', '', { size: mb(size), max: mb(MAX_BYTES) })] };
}

export async function cmdImport(argv: string[], io: Io): Promise<number> {
  const args = [...argv];
  const flag = (f: string): boolean => {
    const i = args.indexOf(f);
    if (i >= 0) args.splice(i, 1);
    return i >= 0;
  };
  const json = flag('--json');
  const report = flag('--report');
  let out: string | undefined;
  const oi = args.findIndex((a) => a === '-o' || a === '--out');
  if (oi >= 0) {
    out = args[oi + 1];
    args.splice(oi, 2);
  }
  const file = args[0];
  if (!file || args.length > 1 || (oi >= 0 && !out)) {
    io.err(`用法 / usage: ${IMPORT_USAGE}`);
    return 2;
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    io.err(`找不到文件：${file} / file not found: ${file}`);
    return 1;
  }
  // A huge file is refused before it is read into memory, with the import layer's own message.
  const r = statSync(file).size > MAX_BYTES ? tooLarge(statSync(file).size) : await importFile(basename(file), new Uint8Array(readFileSync(file)));
  for (const p of r.problems) (p.severity === 'error' ? io.err : io.out)(problemLine(p));
  if (!r.rubric) return 1;
  if (report) for (const l of reportLines(r)) io.out(l);
  if (json) io.out(JSON.stringify(r.rubric, null, 2));
  if (out) {
    writeFileSync(out, r.yaml);
    io.out(`已写入 ${out} / written ${out}`);
  } else if (!json && !report) io.out(r.yaml);
  return r.program ? 0 : 1;
}

// ------------------------------------------------------------------ fidelity (README, tests)

export interface FidelityRow {
  seed: string;
  rubric: string;
  comparison: Comparison;
  /** Imported criteria marked 需确认, whether or not their rule differs. */
  toConfirm: number;
}

export const SEEDS_DIR = join(REPO_ROOT, '..', 'shared', 'seeds');

/** Import every seed's text and compare it with the rubric in rubrics/ that names it as source. */
export async function fidelityRows(seedsDir = SEEDS_DIR, rubricFiles = listRubricFiles()): Promise<FidelityRow[]> {
  const bySource = new Map<string, string>();
  for (const f of rubricFiles) {
    const p = loadProgram(readFileSync(f, 'utf8'), f).program;
    if (p) bySource.set(p.source, f);
  }
  const rows: FidelityRow[] = [];
  for (const seed of readdirSync(seedsDir).filter((f) => f.endsWith('.txt')).sort()) {
    const rubric = bySource.get(seed);
    if (!rubric) continue;
    const imported = await importFile(seed, new Uint8Array(readFileSync(join(seedsDir, seed))));
    const hand = loadProgram(readFileSync(rubric, 'utf8'), rubric).program!;
    if (!imported.program) throw new Error(`import of ${seed} does not load: ${imported.problems.filter((p) => p.severity === 'error').map((p) => p.message.en).join('; ')}`);
    rows.push({ seed, rubric: basename(rubric), comparison: compareRubrics(imported.program, hand), toConfirm: imported.criteria.filter((c) => c.confidence !== 'high').length });
  }
  return rows;
}

const pct = (n: number, d: number): string => (d ? `${Math.floor((n / d) * 1000) / 10}%` : '—');

/** The README table: document, criteria, same texts and points, same rule, flagged, silently different. */
export function fidelityMarkdown(rows: FidelityRow[]): string {
  const lines = [
    '| document | rubric | criteria | same texts & points | same rule | differs, flagged 需确认 | differs silently | 需确认 in all |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const t = { c: 0, tp: 0, s: 0, f: 0, x: 0, k: 0 };
  for (const r of rows) {
    const c = r.comparison;
    t.c += c.criteria;
    t.tp += c.textsAndPoints;
    t.s += c.sameRule;
    t.f += c.flagged;
    t.x += c.silent;
    t.k += r.toConfirm;
    lines.push(`| ${r.seed} | ${r.rubric} | ${c.criteria} | ${c.textsAndPoints} (${pct(c.textsAndPoints, c.criteria)}) | ${c.sameRule} (${pct(c.sameRule, c.criteria)}) | ${c.flagged} | ${c.silent} | ${r.toConfirm} |`);
  }
  lines.push(`| **all** | | ${t.c} | ${t.tp} (${pct(t.tp, t.c)}) | ${t.s} (${pct(t.s, t.c)}) | ${t.f} | ${t.x} | ${t.k} |`);
  return lines.join('\n');
}
