/**
 * `dafen import <file.docx|file.xlsx|file.txt> [-o rubric.yaml] [--json] [--report]`: a 评分细则 table
 * → a rubric file (src/import). Also the fidelity table of the README: every seed document imported
 * and compared with its hand-encoded rubric in rubrics/.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadProgram, type Problem } from '../engine';
import {
  cellOf, compareRubrics, importFile, importProblem, MAX_BYTES, readSheetWorkbook, rowsFromImport, sheetWorkbook,
  type Comparison, type ImportResult, type SheetFile, type SheetProblem,
} from '../import';
import { table } from './report';
import { holdSheetRubric, listRubricFiles, REPO_ROOT } from './rubrics';
import type { Io } from './main';

export const IMPORT_USAGE = 'dafen import <file.docx|file.xlsx|file.txt> [-o rubric.yaml|评分细则.xlsx] [--json] [--report]';

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
  const size = statSync(file).size;
  const bytes = size > MAX_BYTES ? null : new Uint8Array(readFileSync(file));
  // a 评分细则 workbook as a clerk edited it: its rows → the rubric
  const sheet = bytes && /\.xlsx$/i.test(file) ? await readSheetWorkbook(bytes) : null;
  if (sheet && 'problems' in sheet) {
    for (const p of sheet.problems) io.err(problemLine(p));
    return 1;
  }
  if (sheet) {
    const problems = sheetProblems(sheet);
    for (const p of problems) (p.severity === 'error' ? io.err : io.out)(`${p.path} ${p.severity === 'warning' ? 'warning ' : ''}${p.code} ${p.message.zh} / ${p.message.en}`);
    if (!sheet.result.program) return 1;
    if (json) io.out(JSON.stringify(sheet.result.rubric, null, 2));
    if (out && /\.xlsx$/i.test(out)) writeFileSync(out, await sheetWorkbook(sheet.base, sheet.result.rows));
    else if (out) writeFileSync(out, sheet.result.yaml);
    if (out) io.out(`已写入 ${out} / written ${out}`);
    else if (!json) io.out(sheet.result.yaml);
    return 0;
  }
  const r = bytes ? await importFile(basename(file), bytes) : tooLarge(size);
  for (const p of r.problems) (p.severity === 'error' ? io.err : io.out)(problemLine(p));
  if (!r.rubric) return 1;
  if (report) for (const l of reportLines(r)) io.out(l);
  if (json) io.out(JSON.stringify(r.rubric, null, 2));
  if (out && /\.xlsx$/i.test(out)) {
    // the 评分细则 sheet, for editing in WPS, LibreOffice or Excel; `dafen make`/`validate` read it back
    const rows = rowsFromImport(r)!;
    writeFileSync(out, await sheetWorkbook(r.rubric, rows.rows));
    io.out(`已写入评分细则表 ${out}（${rows.rows.filter((x) => x.kind).length} 条评分标准）：在“计分方式”“参数”列中核对、修改后，用 dafen make ${out} 生成打分表 / written the 评分细则 sheet ${out}: check and edit 计分方式 and 参数, then dafen make ${out}`);
  } else if (out) {
    writeFileSync(out, r.yaml);
    io.out(`已写入 ${out} / written ${out}`);
  } else if (!json && !report) io.out(r.yaml);
  return r.program ? 0 : 1;
}

/** A 评分细则 workbook's problems as the CLI prints them: where (评分细则!G5), code, message. */
function sheetProblems(sheet: SheetFile): { path: string; code: string; severity: 'error' | 'warning'; message: { zh: string; en: string } }[] {
  return sheet.result.problems.map((p: SheetProblem) => ({ ...p, path: cellOf(p, sheet.sheetRows) }));
}

/**
 * Before `dafen validate` / `dafen make`: every argument that is a 评分细则 workbook is read (asynchronously)
 * and held for loadRubricFile, its problems placed on the sheet's cells (评分细则!G5).
 */
export async function holdSheetWorkbooks(args: readonly string[]): Promise<void> {
  for (const a of args) {
    if (!/\.xlsx$/i.test(a) || !existsSync(a) || !statSync(a).isFile() || statSync(a).size > MAX_BYTES) continue;
    const sheet = await readSheetWorkbook(new Uint8Array(readFileSync(a)));
    if (!sheet) continue;
    if ('problems' in sheet) {
      holdSheetRubric(a, { text: null, problems: sheet.problems as unknown as Problem[] });
      continue;
    }
    const problems = sheetProblems(sheet).map((p) => ({ ...p, params: {} }) as unknown as Problem);
    holdSheetRubric(a, { text: sheet.result.program ? sheet.result.yaml : null, problems });
  }
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
