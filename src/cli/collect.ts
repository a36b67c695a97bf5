/**
 * `dafen split` and `dafen merge` (issue 15): a master 打分表 → one piece per unit (自评) or per rater,
 * written into a folder; a master and the returned pieces → a new master, with a report per file of what
 * it took, the conflicts (both values; the master's kept unless --piece-wins) and the files refused and
 * why. Never writes over its inputs; every file is written atomically (src/cli/files.ts).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Raw } from '../engine';
import { embeddedProgram, entriesHeld, settingsChanged } from '../layout';
import { formatWorkbookProblem, readFilledWorkbook } from '../xlsx';
import {
  formatCollectProblem, handName, mergeWorkbooks, splitWorkbook,
  type CollectFile, type CollectProblem, type FileReport, type MergeReport, type SplitBy,
} from '../collect';
import type { Io } from './main';
import { checkOutput, readInputFile, writeOutput } from './files';
import { outputProblem } from './help';
import { GENERATOR } from './workbook';

export const SPLIT_USAGE = 'dafen split <workbook.xlsx> -o <folder> [--by unit|rater] [--force]';
export const MERGE_USAGE = 'dafen merge <workbook.xlsx> <returned.xlsx…> -o <merged.xlsx> [--json] [--piece-wins] [--force]';

function rel(f: string): string {
  const r = relative(process.cwd(), f);
  return r && !r.startsWith('..') ? r : f;
}

interface Args {
  positional: string[];
  flags: Set<string>;
  values: Map<string, string>;
  errors: string[];
}

function parse(argv: string[], withValue: string[], bare: string[]): Args {
  const a: Args = { positional: [], flags: new Set(), values: new Map(), errors: [] };
  for (let i = 0; i < argv.length; i++) {
    const s = argv[i];
    const eq = s.startsWith('--') ? s.indexOf('=') : -1;
    const name = eq > 0 ? s.slice(0, eq) : s;
    if (withValue.includes(name)) {
      const v = eq > 0 ? s.slice(eq + 1) : argv[++i];
      if (v === undefined) a.errors.push(`${name} 缺少取值 / ${name} needs a value`);
      else a.values.set(name, v);
    } else if (bare.includes(s)) a.flags.add(s);
    else if (s.startsWith('-') && s !== '-') a.errors.push(`未知选项 ${s} / unknown option ${s}`);
    else a.positional.push(s);
  }
  return a;
}

const show = (p: CollectProblem): string => formatCollectProblem(p);

function readMaster(file: string, io: Io): Uint8Array | null {
  const bytes = readInputFile(file);
  if (bytes instanceof Uint8Array) return bytes;
  io.err(formatWorkbookProblem({ ...bytes, path: rel(file) }));
  return null;
}

/** Non-blank entries of a Dafen workbook at `file` (0 for anything else). */
async function entriesAt(file: string): Promise<number> {
  const bytes = readInputFile(file);
  if (!(bytes instanceof Uint8Array)) return 0;
  const read = await readFilledWorkbook(bytes);
  return read.meta ? entriesHeld(read.units, read.unmatched) + settingsChanged(embeddedProgram(read.meta), read.settings) : 0;
}

export async function cmdSplit(argv: string[], io: Io): Promise<number> {
  const p = parse(argv, ['-o', '--output', '--by'], ['--force']);
  const file = p.positional[0];
  const dir = p.values.get('-o') ?? p.values.get('--output');
  const by = p.values.get('--by');
  if (p.errors.length || !file || !dir || p.positional.length > 1 || (by !== undefined && by !== 'unit' && by !== 'rater')) {
    for (const e of p.errors) io.err(e);
    if (file && !dir) io.err('请用 -o 指定存放分发文件的文件夹 / give the folder for the pieces with -o');
    if (by !== undefined && by !== 'unit' && by !== 'rater') io.err('--by 只能是 unit（每个单位一份自评表）或 rater（每位评委一份） / --by must be unit or rater');
    io.err(`用法 / usage: ${SPLIT_USAGE}`);
    return 2;
  }
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    io.err(`-o 应是文件夹，${rel(dir)} 是一个文件 / -o must be a folder; ${rel(dir)} is a file`);
    return 2;
  }
  const bytes = readMaster(file, io);
  if (!bytes) return 1;
  const t0 = Date.now();
  const read = await readFilledWorkbook(bytes);
  const hands = read.meta?.hands ?? ['assessor'];
  let mode: SplitBy = (by as SplitBy | undefined) ?? (hands.includes('self') ? 'unit' : 'rater');
  if (!by && hands.includes('self') && hands.some((h) => h.startsWith('rater'))) {
    io.err('此打分表既有自评列又有多名评委：请用 --by unit（各单位自评）或 --by rater（各评委）指明分发哪一种 / the workbook has both a self-assessment column and raters: say --by unit or --by rater');
    return 2;
  }
  if (by) mode = by as SplitBy;
  const r = await splitWorkbook(read, { by: mode, file: rel(file), generator: GENERATOR });
  if (r.problems) {
    for (const pr of r.problems) io.err(show(pr));
    return 1;
  }
  // Every target checked before the first is written: a returned piece in the folder is never replaced.
  const force = p.flags.has('--force');
  for (const piece of r.pieces) {
    const target = join(dir, piece.name);
    const bad = checkOutput(target, [file], force);
    if (bad) {
      io.err(formatWorkbookProblem({ ...bad, path: rel(target) }));
      return bad.code === 'workbook.outputExists' || bad.code === 'workbook.sameFile' ? 2 : 1;
    }
    if (force && existsSync(target) && (await entriesAt(target)) > 0) {
      io.err(`不会替换 ${rel(target)}：它已有录入（可能是已交回的文件）；请换一个文件夹 / will not replace ${rel(target)}: it holds entries (a returned piece?); use another folder`);
      return 1;
    }
  }
  mkdirSync(dir, { recursive: true });
  for (const piece of r.pieces) {
    const target = join(dir, piece.name);
    const bad = writeOutput(target, piece.bytes);
    if (bad) {
      io.err(formatWorkbookProblem({ ...bad, path: rel(target) }));
      return 1;
    }
    const h = handName(piece.hand);
    io.out(`✓ ${rel(target)}  ${h.zh}，${piece.units.length === 1 ? piece.units[0] : `${piece.units.length} 个单位`}，${Math.round(piece.bytes.length / 1024)} KB`);
  }
  io.out(`已分发 ${r.pieces.length} 份到 ${rel(dir)}，${Date.now() - t0} ms / wrote ${r.pieces.length} piece(s) to ${rel(dir)}`);
  return 0;
}

const shown = (v: Raw): string => (v === null || v === undefined ? '（空）' : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v).slice(0, 60));

function fileLine(f: FileReport): string {
  if (f.status === 'refused') return `✗ ${show(f.refusal!)}`;
  const h = handName(f.hand!);
  const units = f.units!.length === 1 ? f.units![0] : `${f.units!.length} 个单位`;
  const parts = [`取 ${f.taken} 项`, f.remarks ? `扣分依据 ${f.remarks} 项` : '', f.same ? `相同 ${f.same} 项` : '', f.conflicts.length ? `冲突 ${f.conflicts.length} 项` : '', f.kept ? `未匹配 ${f.kept} 项` : '']
    .filter(Boolean).join('，');
  return `✓ ${f.file}  ${h.zh}，${units}：${parts} / ${h.en}: ${f.taken} taken, ${f.remarks} remark(s), ${f.same} same, ${f.conflicts.length} conflict(s), ${f.kept} kept aside`;
}

/** The report as data (--json): per file what it took, and every conflict with both values. */
export function reportJson(report: MergeReport, out: string) {
  return {
    output: out,
    taken: report.taken,
    remarks: report.remarks,
    refused: report.refused,
    conflicts: report.conflicts,
    unmatched: report.unmatched,
    files: report.files.map((f) => ({
      file: f.file, status: f.status, hand: f.hand, units: f.units, taken: f.taken, same: f.same, remarks: f.remarks, kept: f.kept,
      conflicts: f.conflicts.length,
      ...(f.refusal ? { refusal: { code: f.refusal.code, message: f.refusal.message } } : {}),
      warnings: f.warnings.map((w) => ({ code: w.code, message: w.message })),
    })),
  };
}

export async function cmdMerge(argv: string[], io: Io): Promise<number> {
  const p = parse(argv, ['-o', '--output'], ['--json', '--piece-wins', '--force']);
  const [file, ...files] = p.positional;
  const out = p.values.get('-o') ?? p.values.get('--output');
  if (p.errors.length || !file || !out || files.length === 0) {
    for (const e of p.errors) io.err(e);
    if (file && files.length === 0) io.err('请给出交回的文件 / give the returned files');
    if (file && !out) io.err('请用 -o 指定合并后的新工作簿 / give the merged workbook with -o');
    io.err(`用法 / usage: ${MERGE_USAGE}`);
    return 2;
  }
  const badOut = outputProblem(out);
  if (badOut) {
    io.err(badOut);
    return 2;
  }
  const bad = checkOutput(out, [file, ...files], p.flags.has('--force'));
  if (bad) {
    io.err(formatWorkbookProblem({ ...bad, path: rel(out) }));
    return bad.code === 'workbook.outputExists' || bad.code === 'workbook.sameFile' ? 2 : 1;
  }
  if (p.flags.has('--force') && existsSync(out) && (await entriesAt(out)) > 0) {
    io.err(`不会替换 ${rel(out)}：它已有录入；请写到另一个文件 / will not replace ${rel(out)}: it holds entries; write another file`);
    return 1;
  }
  const master = readMaster(file, io);
  if (!master) return 1;
  const t0 = Date.now();
  // A returned file that cannot be read at all (a mistyped name, a folder) stops the merge before anything is written.
  const pieces: CollectFile[] = [];
  for (const f of files) {
    const b = readInputFile(f);
    if (!(b instanceof Uint8Array)) {
      io.err(formatWorkbookProblem({ ...b, path: rel(f) }));
      return 1;
    }
    pieces.push({ name: rel(f), bytes: b });
  }
  const r = await mergeWorkbooks({ name: rel(file), bytes: master }, pieces, { pieceWins: p.flags.has('--piece-wins'), generator: GENERATOR });
  if (r.problems) {
    for (const pr of r.problems) io.err(show(pr));
    return 1;
  }
  const written = writeOutput(out, r.bytes!);
  if (written) {
    io.err(formatWorkbookProblem({ ...written, path: rel(out) }));
    return 1;
  }
  const report = r.report;
  if (p.flags.has('--json')) io.out(JSON.stringify(reportJson(report, rel(out)), null, 2));
  else {
    for (const f of report.files) {
      (f.status === 'refused' ? io.err : io.out)(fileLine(f));
      for (const c of f.conflicts) {
        const h = handName(c.hand);
        io.out(`  ! 冲突 ${c.unit} ${h.zh} ${c.label}（${c.key}）：打分表 ${shown(c.master)}，交回 ${shown(c.piece)}；${c.kept === 'master' ? '保留打分表中的值' : '按 --piece-wins 采用交回的值'} / conflict: workbook ${shown(c.master)}, returned ${shown(c.piece)}; ${c.kept === 'master' ? "the workbook's kept" : 'the returned one taken (--piece-wins)'}`);
      }
      for (const w of f.warnings.slice(0, 10)) io.out(`  ${show(w)}`);
      if (f.warnings.length > 10) io.out(`  ……另有${f.warnings.length - 10}条提示 / … ${f.warnings.length - 10} more`);
    }
  }
  const say = p.flags.has('--json') ? io.err : io.out;
  say(`✓ 已写出 ${rel(out)}：收回 ${report.files.length - report.refused} 份，拒收 ${report.refused} 份；取 ${report.taken} 项录入、${report.remarks} 项扣分依据，冲突 ${report.conflicts.length} 项（${p.flags.has('--piece-wins') ? '按 --piece-wins 采用交回的值' : '均保留打分表中的值'}），${report.unmatched.length} 项保留在“未匹配录入”；${Date.now() - t0} ms`
    + ` / wrote ${rel(out)}: ${report.files.length - report.refused} file(s) taken, ${report.refused} refused; ${report.taken} entries and ${report.remarks} remark(s) taken, ${report.conflicts.length} conflict(s), ${report.unmatched.length} kept on 未匹配录入`);
  return report.refused > 0 ? 1 : 0;
}
