/**
 * The `dafen` command line. Each command is a small function returning an exit code; output goes
 * through the `io` object so tests can capture it.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { formatProblem, hasErrors, scoreCohort, type CohortEntry, type InputsIn, type Problem } from '../engine';
import { listRubricFiles, loadRubricFile, REPO_ROOT } from './rubrics';
import { printCohortTable, cohortJson } from './report';
import { MAKE_USAGE, SCORE_USAGE, SUMMARY_USAGE, cmdMake, cmdScore, cmdSummary } from './workbook';
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
  let data: { units?: Record<string, InputsIn> };
  try {
    data = JSON.parse(readFileSync(inputsFile, 'utf8'));
  } catch (e) {
    io.err(`无法读取录入文件 ${inputsFile}：${(e as Error).message} / cannot read inputs file`);
    return 1;
  }
  if (!data || typeof data !== 'object' || typeof data.units !== 'object' || data.units === null) {
    io.err(`录入文件格式应为 { "units": { "<单位>": { "<指标编号>": 值 } } } / inputs file must look like { "units": { … } }`);
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

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [cmd, ...rest] = argv;
  if (isCommand(cmd) && wantsHelp(rest)) return (io.out(commandHelp(cmd)), 0);
  if (cmd === 'help' && isCommand(rest[0])) return (io.out(commandHelp(rest[0])), 0);
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
