/**
 * `dafen make`, `dafen score`, `dafen summary`: the 打分表 workbook from the command line.
 * make: rubric → workbook for the units asked for. score: a filled workbook (saved by Excel, WPS or
 * LibreOffice) → re-scored by the engine, with input problems and overwritten formulas named by sheet
 * and cell, and optionally a repaired copy. summary: the ranking table. Never writes over its input.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseUnitSpec, scoreCohort, type CohortEntry, type CohortResult, type Program } from '../engine';
import { PlanError, contentHash, embeddedProgram, planWorkbook, type SortOrder, type WorkbookMeta } from '../layout';
import {
  atCell, formatWorkbookProblem, readFilledWorkbook, wbProblem, workbookFindings, writeWorkbook,
  type FilledWorkbook, type WorkbookProblem,
} from '../xlsx';
import type { Io } from './main';
import { cohortJson, printCohortTable } from './report';
import { listRubricFiles, loadRubricFile } from './rubrics';

const VERSION = (() => {
  try {
    return (JSON.parse(readFileSync(resolve(dirname(new URL(import.meta.url).pathname), '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0';
  }
})();
export const GENERATOR = `dafen ${VERSION}`;

/** Units at or above this count get a progress line per sheet. */
const PROGRESS_FROM = 10;

function rel(f: string): string {
  const r = relative(process.cwd(), f);
  return r && !r.startsWith('..') ? r : f;
}

interface Parsed {
  positional: string[];
  flags: Set<string>;
  values: Map<string, string[]>;
  errors: string[];
}

/** `--unit A --unit B -o x`: repeated options collect; unknown options are errors. */
function parseArgs(argv: string[], withValue: string[], bare: string[]): Parsed {
  const p: Parsed = { positional: [], flags: new Set(), values: new Map(), errors: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (withValue.includes(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) p.errors.push(`${name} 缺少取值 / ${name} needs a value`);
      else p.values.set(name, [...(p.values.get(name) ?? []), v]);
    } else if (bare.includes(a)) p.flags.add(a);
    else if (a.startsWith('-') && a !== '-') p.errors.push(`未知选项 ${a} / unknown option ${a}`);
    else p.positional.push(a);
  }
  return p;
}

const one = (p: Parsed, ...names: string[]): string | undefined => {
  for (const n of names) {
    const v = p.values.get(n);
    if (v?.length) return v[v.length - 1];
  }
  return undefined;
};

function validDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const sameFile = (a: string, b: string): boolean => {
  const ra = resolve(a);
  const rb = resolve(b);
  if (ra === rb) return true;
  try {
    return existsSync(ra) && existsSync(rb) && realpathSync(ra) === realpathSync(rb);
  } catch {
    return false;
  }
};

async function writeOut(file: string, bytes: Uint8Array): Promise<void> {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  writeFileSync(file, bytes);
}

export const MAKE_USAGE = 'dafen make <rubric> [--variant V] [--unit 单位[:标签,…]]… [--all-units] [--date YYYY-MM-DD] [--sort document|variant|name] [--rank-incomplete] -o out.xlsx';

export async function cmdMake(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, ['--variant', '--unit', '--date', '--sort', '-o', '--output'], ['--all-units', '--rank-incomplete']);
  const file = p.positional[0];
  const out = one(p, '-o', '--output');
  if (p.errors.length || !file || !out || p.positional.length > 1) {
    for (const e of p.errors) io.err(e);
    if (!out && file) io.err('请用 -o 指定输出文件 / give the output file with -o');
    io.err(`用法 / usage: ${MAKE_USAGE}`);
    return 2;
  }
  const date = one(p, '--date');
  if (date !== undefined && !validDate(date)) {
    io.err(`日期“${date}”应为 YYYY-MM-DD 格式的有效日期 / --date must be a real date as YYYY-MM-DD`);
    return 2;
  }
  const sort = (one(p, '--sort') ?? 'document') as SortOrder;
  if (!['document', 'variant', 'name'].includes(sort)) {
    io.err(`--sort 只能是 document、variant 或 name / --sort must be document, variant or name`);
    return 2;
  }
  if (sameFile(file, out)) {
    io.err(`不会覆盖评分细则文件 ${file} / will not write over the rubric file`);
    return 2;
  }
  const r = loadRubricFile(file);
  for (const pr of r.problems.filter((x) => x.severity === 'error')) io.err(formatWorkbookProblem({ ...pr, path: `${rel(file)}${pr.line ? `:${pr.line}` : ''} ${pr.path}` }));
  if (!r.program) return 1;
  const warnings = r.problems.filter((x) => x.severity === 'warning').length;
  if (warnings) io.err(`评分细则有${warnings}个警告（原文自身的不一致，见 dafen validate ${rel(file)}） / ${warnings} rubric warning(s): see dafen validate`);
  const program = r.program;

  const variant = one(p, '--variant');
  if (variant && !program.variants.some((v) => v.id === variant || v.name === variant)) {
    io.err(`类别“${variant}”不存在（可用：${program.variants.map((v) => `${v.id}=${v.name}`).join('、')}） / unknown variant`);
    return 2;
  }
  const vid = variant ? program.variants.find((v) => v.id === variant || v.name === variant)!.id : undefined;
  // `--unit 米市巷街道:街道,进驻单位`: a name, and tags for a unit the rubric does not list.
  const named = (p.values.get('--unit') ?? []).map(parseUnitSpec);
  let units: { name: string; variant?: string; tags?: string[] }[];
  if (named.length && !p.flags.has('--all-units')) {
    units = named.map((u) => ({ name: u.name, variant: vid, tags: u.tags }));
  } else {
    units = (program.units ?? []).filter((u) => !vid || u.variant === vid).map((u) => ({ name: u.name, variant: u.variant }));
    for (const n of named) {
      const have = units.find((u) => u.name === n.name);
      if (have) have.tags = n.tags;
      else units.push({ name: n.name, variant: vid, tags: n.tags });
    }
  }
  if (units.length === 0) {
    io.err(`评分细则未列出${vid ? `类别“${vid}”的` : ''}被考核单位；请用 --unit 指定单位（多个类别时并用 --variant 指定类别） / the rubric lists no units${vid ? ` of variant ${vid}` : ''}: name them with --unit (and --variant)`);
    return 1;
  }
  const t0 = Date.now();
  let plan;
  try {
    plan = planWorkbook(program, units, {
      // 汇总 名次 for incomplete units too (default: only complete units are ranked).
      date, sort, generator: GENERATOR, rankIncomplete: p.flags.has('--rank-incomplete'),
      onSheet: units.length >= PROGRESS_FROM ? (done, total, unit) => io.err(`[${done}/${total}] ${unit}`) : undefined,
    });
  } catch (e) {
    if (e instanceof PlanError) {
      io.err(e.message);
      return 1;
    }
    throw e;
  }
  const bytes = await writeWorkbook(plan);
  await writeOut(out, bytes);
  const byVariant = program.variants.map((v) => [v.name, plan.meta.sheets.filter((s) => s.variant === v.id).length] as const).filter(([, n]) => n > 0);
  io.out(`✓ ${rel(out)}：${plan.meta.sheets.length} 个单位（${byVariant.map(([n, c]) => `${n}${c}`).join('、')}），${Math.round(bytes.length / 1024)} KB，${Date.now() - t0} ms / wrote ${plan.meta.sheets.length} unit sheet(s) and the 汇总 sheet`);
  return 0;
}

interface Loaded {
  read: FilledWorkbook;
  meta: WorkbookMeta;
  program: Program;
  entries: CohortEntry[];
  res: CohortResult;
  problems: WorkbookProblem[];
}

/** Reads a workbook, finds its rubric, re-scores it; problems carry sheet and cell. */
async function loadWorkbook(file: string, rubric: string | undefined, io: Io): Promise<Loaded | number> {
  if (!existsSync(file)) {
    io.err(`找不到文件：${file} / file not found`);
    return 1;
  }
  const read = await readFilledWorkbook(new Uint8Array(readFileSync(file)));
  const fatal = (ps: WorkbookProblem[]) => {
    for (const pr of ps) io.err(formatWorkbookProblem({ ...pr, path: pr.path ? `${rel(file)}:${pr.path}` : rel(file) }));
    return 1;
  };
  if (!read.meta) return fatal(read.problems);
  const meta = read.meta;
  const problems = [...read.problems];
  let program: Program | null = null;
  if (rubric) {
    const r = loadRubricFile(rubric);
    if (!r.program) {
      for (const pr of r.problems) io.err(formatWorkbookProblem(pr));
      return 1;
    }
    program = r.program;
    if (program.id !== meta.program.id) return fatal([wbProblem('workbook.programUnknown', { id: meta.program.id, title: meta.program.title })]);
  } else {
    const candidates = listRubricFiles().map((f) => loadRubricFile(f).program).filter((x): x is Program => x !== null && x.id === meta.program.id);
    program = candidates.find((c) => c.version === meta.program.version) ?? null;
    if (!program) {
      // The workbook carries the rubric it was made with: enough to re-score without the file.
      program = embeddedProgram(meta);
      if (program) problems.push(wbProblem('workbook.embeddedRubric', { id: meta.program.id, version: meta.program.version }));
    }
    if (!program) {
      if (candidates.length) return fatal([wbProblem('workbook.versionUnknown', { id: meta.program.id, version: meta.program.version, known: candidates.map((c) => c.version).join('、') })]);
      return fatal([wbProblem('workbook.programUnknown', { id: meta.program.id, title: meta.program.title })]);
    }
  }
  if (program.version !== meta.program.version) {
    return fatal([wbProblem('workbook.versionUnknown', { id: meta.program.id, version: meta.program.version, known: program.version })]);
  }
  if (contentHash(program) !== meta.contentHash) problems.push(wbProblem('workbook.hashDiffers', { id: program.id, version: program.version }));
  const byUnit = new Map(read.units.map((u) => [u.unit, u]));
  // What the cells hold, read as the workbook's own formulas read it (a text "85" is text, not 85).
  const entries: CohortEntry[] = meta.sheets.map((s) => ({ unit: s.unit, variant: s.variant, tags: s.tags, inputs: byUnit.get(s.unit)?.inputs ?? {}, cells: true }));
  const res = scoreCohort(program, entries);
  // Input problems at their sheet and cell.
  for (const u of res.units) {
    const ru = byUnit.get(u.unit);
    u.problems = u.problems.map((pr) => (ru ? atCell(pr, ru.sheet, ru.inputCells[pr.path]) : pr)) as typeof u.problems;
  }
  return { read, meta, program, entries, res, problems };
}

export const SCORE_USAGE = 'dafen score <workbook.xlsx> [--json] [-o corrected.xlsx] [--rubric file]';

export async function cmdScore(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, ['-o', '--output', '--rubric'], ['--json']);
  const file = p.positional[0];
  if (p.errors.length || !file || p.positional.length > 1) {
    for (const e of p.errors) io.err(e);
    io.err(`用法 / usage: ${SCORE_USAGE}`);
    return 2;
  }
  const out = one(p, '-o', '--output');
  if (out && sameFile(file, out)) {
    io.err(formatWorkbookProblem(wbProblem('workbook.sameFile', { file: rel(file) })));
    return 2;
  }
  const loaded = await loadWorkbook(file, one(p, '--rubric'), io);
  if (typeof loaded === 'number') return loaded;
  const { read, meta, program, res } = loaded;
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  const scoredAt = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
  const found = workbookFindings(read, program, GENERATOR, scoredAt);
  const plan = found.plan;
  const problems = [...loaded.problems, ...found.problems];
  const inputProblems = res.units.flatMap((u) => u.problems);
  const errors = [...problems, ...inputProblems, ...res.problems].filter((x) => x.severity === 'error').length;
  if (p.flags.has('--json')) {
    const j = cohortJson(program, res);
    io.out(JSON.stringify({
      ...j,
      workbook: {
        file: rel(file),
        generator: meta.generator,
        contentHash: meta.contentHash,
        problems: problems.map((x) => ({ code: x.code, severity: x.severity, path: x.path, sheet: x.sheet, cell: x.cell, message: x.message })),
      },
    }, null, 2));
  } else {
    printCohortTable(program, { ...res, units: res.units.map((u) => ({ ...u, problems: [] })) }, io);
    for (const pr of [...inputProblems, ...problems]) (pr.severity === 'error' ? io.err : io.out)(formatWorkbookProblem(pr));
    io.out(problems.length + inputProblems.length === 0
      ? '✓ 工作簿与重新计分结果一致 / the workbook agrees with the engine'
      : `${errors} 个错误，${problems.length + inputProblems.length - errors} 个警告 / ${errors} error(s), ${problems.length + inputProblems.length - errors} warning(s)`);
  }
  if (out) {
    const bytes = await writeWorkbook(plan);
    await writeOut(out, bytes);
    (p.flags.has('--json') ? io.err : io.out)(`✓ 已写出修正后的工作簿 ${rel(out)}（录入内容保留，公式与数值按评分细则重写） / wrote the repaired copy`);
  }
  return errors > 0 ? 1 : 0;
}

export const SUMMARY_USAGE = 'dafen summary <workbook.xlsx> [--rubric file]';

export async function cmdSummary(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, ['--rubric'], []);
  const file = p.positional[0];
  if (p.errors.length || !file || p.positional.length > 1) {
    for (const e of p.errors) io.err(e);
    io.err(`用法 / usage: ${SUMMARY_USAGE}`);
    return 2;
  }
  const loaded = await loadWorkbook(file, one(p, '--rubric'), io);
  if (typeof loaded === 'number') return loaded;
  const { program, res } = loaded;
  printCohortTable(program, { ...res, units: res.units.map((u) => ({ ...u, problems: [] })) }, io);
  const n = res.units.reduce((a, u) => a + u.problems.length, 0) + loaded.problems.length;
  if (n) io.err(`有${n}处录入或工作簿问题，详见 dafen score ${rel(file)} / ${n} problem(s): see dafen score`);
  return 0;
}
