/**
 * The `dafen` command line. Each command is a small function returning an exit code; output goes
 * through the `io` object so tests can capture it.
 */
import { readFileSync, statSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { relative } from 'node:path';
import { formatProblem, hasErrors, scoreCohort, type CohortEntry, type InputsIn, type Problem } from '../engine';
import { listRubricFiles, loadRubricFile, REPO_ROOT } from './rubrics';
import { printCohortTable, cohortJson } from './report';
import { MAKE_USAGE, SCORE_USAGE, SUMMARY_USAGE, UPDATE_USAGE, cmdMake, cmdScore, cmdSummary, cmdUpdate } from './workbook';
import { IMPORT_USAGE, cmdImport, holdSheetWorkbooks } from './import';
import { MERGE_USAGE, SPLIT_USAGE, cmdMerge, cmdSplit } from './collect';
import { commandHelp, evalArgsProblem, isCommand, wantsHelp } from './help';

export interface Io {
  out(s: string): void;
  err(s: string): void;
}
export const stdio: Io = { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') };

const USAGE = `用法 / usage:
  dafen validate [files…]                        检查评分细则文件（默认 rubrics/ 下全部） / check rubric files
  dafen eval <rubric> --inputs <inputs.json> [--json]   不用工作簿直接计分 / score a cohort without a workbook
  ${MAKE_USAGE}
                                                 生成打分表工作簿（默认全部单位） / make the scoring workbook
  ${SCORE_USAGE}
                                                 读取已填写的工作簿并重新计分 / re-score a filled workbook
  ${SUMMARY_USAGE}
                                                 排名汇总表 / the ranking table
  ${IMPORT_USAGE}
                                                 从评分细则表格生成评分细则文件 / a 评分细则 table → rubric file
  ${UPDATE_USAGE}
                                                 把录入带到更正后的评分细则 / carry the entries to a corrected rubric
  ${SPLIT_USAGE}
                                                 分发：每个单位一份自评表，或每位评委一份 / send out one piece per unit or rater
  ${MERGE_USAGE}
                                                 收集：把交回的文件合并成新的打分表 / collect the returned pieces into a new workbook
  dafen <命令> --help                             各命令的说明 / help on one command
  dafen help`;

function rel(f: string): string {
  const r = relative(process.cwd(), f);
  return r.startsWith('..') ? f : r;
}

function show(io: Io, problems: Problem[]): void {
  for (const p of problems) (p.severity === 'error' ? io.err : io.out)(formatProblem({ ...p, file: p.file ? rel(p.file) : p.file }));
}

export function cmdValidate(args: string[], io: Io): number {
  const files = args.length ? args : listRubricFiles();
  if (files.length === 0) {
    io.err('没有找到评分细则文件 / no rubric files found');
    return 1;
  }
  let errors = 0;
  let warnings = 0;
  for (const f of files) {
    const r = loadRubricFile(f);
    show(io, r.problems);
    const e = r.problems.filter((p) => p.severity === 'error').length;
    errors += e;
    warnings += r.problems.length - e;
    if (e === 0) {
      const p = r.program!;
      io.out(`✓ ${rel(f)}  ${p.title}（${p.variants.map((v) => v.name).join('、')}）`);
    }
  }
  io.out(`${files.length} 个文件，${errors} 个错误，${warnings} 个警告 / ${files.length} file(s), ${errors} error(s), ${warnings} warning(s)`);
  return errors > 0 ? 1 : 0;
}

function takeOpt(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}

export function cmdEval(argv: string[], io: Io): number {
  const args = [...argv];
  const json = args.includes('--json');
  if (json) args.splice(args.indexOf('--json'), 1);
  const inputsFile = takeOpt(args, '--inputs');
  const file = args[0];
  const missing = evalArgsProblem(file, inputsFile);
  if (missing || !file || !inputsFile) {
    io.err(missing ?? '');
    io.err(commandHelp('eval').split('\n')[0]);
    return 2;
  }
  const r = loadRubricFile(file);
  if (!r.program) {
    show(io, r.problems);
    return 1;
  }
  const read = readInputsFile(inputsFile);
  if ('error' in read) {
    io.err(read.error);
    return 1;
  }
  const data = read.data;
  if (!data || typeof data !== 'object' || typeof data.units !== 'object' || data.units === null) {
    io.err(`录入文件格式应为 { "units": { "<单位>": { "<指标编号>": 值 } } } / inputs file must look like { "units": { … } }`);
    return 1;
  }
  const unitProblem = checkUnitKeys(Object.keys(data.units));
  if (unitProblem) {
    io.err(unitProblem);
    return 1;
  }
  const entries: CohortEntry[] = Object.entries(data.units).map(([unit, inputs]) => ({
    unit, variant: typeof inputs?.variant === 'string' ? inputs.variant : undefined,
    tags: Array.isArray(inputs?.tags) ? (inputs.tags as unknown[]).map(String) : undefined, inputs: inputs ?? {},
  }));
  const res = scoreCohort(r.program, entries);
  if (json) io.out(JSON.stringify(cohortJson(r.program, res), null, 2));
  else printCohortTable(r.program, res, io);
  return hasErrors(res.problems) ? 1 : 0;
}

/**
 * inputs.json → data: a BOM is allowed (as in rubric files); a unit or key given twice is a problem, not
 * the silent last-one-wins of JSON.parse (found with the YAML parser, which reads JSON and keeps positions).
 */
function readInputsFile(file: string): { data: { units?: Record<string, InputsIn> } } | { error: string } {
  let text: string;
  try {
    const st = statSync(file);
    if (st.isDirectory()) return { error: `无法读取录入文件 ${file}：这是一个文件夹 / cannot read the inputs file: it is a directory` };
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    return { error: `无法读取录入文件 ${file}：${(e as NodeJS.ErrnoException).code ?? (e as Error).message} / cannot read the inputs file` };
  }
  let data: { units?: Record<string, InputsIn> };
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: `录入文件 ${file} 不是有效的 JSON：${String((e as Error).message).slice(0, 200)} / the inputs file is not valid JSON` };
  }
  try {
    const lc = new LineCounter();
    const doc = parseDocument(text, { uniqueKeys: true, lineCounter: lc, prettyErrors: false });
    const dup = doc.errors.find((e) => e.code === 'DUPLICATE_KEY');
    if (dup) return { error: `${file}:${lc.linePos(dup.pos[0]).line} 录入文件中有重复的键（同一单位或录入项写了两次），不知取哪一个 / the inputs file gives a key twice (a unit or an input): which one counts is unclear` };
  } catch {
    // JSON.parse accepted it; nesting too deep for the position check is not a duplicate.
  }
  return { data };
}

/** Unit names in inputs.json: "甲局 " and "甲局" print alike, so names equal after trimming are one unit given twice; empty names are refused. */
function checkUnitKeys(units: string[]): string | null {
  const seen = new Map<string, string>();
  for (const u of units) {
    const k = u.trim().normalize('NFC');
    if (!k) return `录入文件中有名称为空的单位 / the inputs file has a unit with an empty name`;
    if (/[\p{Cc}\p{Noncharacter_Code_Point}\p{Cs}]/u.test(u)) return `单位名称“${JSON.stringify(u).slice(1, -1)}”含有控制字符或非字符 / the unit name holds a control character or noncharacter`;
    const first = seen.get(k);
    if (first !== undefined) return `单位“${JSON.stringify(first).slice(1, -1)}”与“${JSON.stringify(u).slice(1, -1)}”只差空白，是同一单位写了两次 / two unit names differ only in spaces: the same unit given twice`;
    if (u !== k) return `单位名称“${JSON.stringify(u).slice(1, -1)}”首尾有空白，请删除 / the unit name "${u}" has leading or trailing spaces`;
    seen.set(k, u);
  }
  return null;
}

/** Any failure the commands did not foresee: one line, no stack trace, exit 1. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    const msg = String((e as Error)?.message ?? e).split('\n')[0].slice(0, 300);
    io.err(`dafen: 内部错误，未写出任何文件：${msg} / internal error, nothing was written: ${msg}`);
    return 1;
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  if (isCommand(cmd) && wantsHelp(rest)) return (io.out(commandHelp(cmd)), 0);
  if (cmd === 'help' && isCommand(rest[0])) return (io.out(commandHelp(rest[0])), 0);
  if (cmd === 'validate' || cmd === 'make') await holdSheetWorkbooks(rest);
  switch (cmd) {
    case 'validate':
      return cmdValidate(rest, io);
    case 'eval':
      return cmdEval(rest, io);
    case 'make':
      return cmdMake(rest, io);
    case 'score':
      return cmdScore(rest, io);
    case 'summary':
      return cmdSummary(rest, io);
    case 'import':
      return cmdImport(rest, io);
    case 'update':
      return cmdUpdate(rest, io);
    case 'split':
      return cmdSplit(rest, io);
    case 'merge':
      return cmdMerge(rest, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return cmd ? 0 : 2;
    default:
      io.err(`未知命令“${cmd}” / unknown command "${cmd}"\n${USAGE}`);
      return 2;
  }
}

export { REPO_ROOT };
