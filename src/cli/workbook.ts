/**
 * `dafen make`, `dafen score`, `dafen summary`: the 打分表 workbook from the command line.
 * make: rubric → workbook for the units asked for. score: a filled workbook (saved by Excel, WPS or
 * LibreOffice) → re-scored by the engine, with input problems and overwritten formulas named by sheet
 * and cell, and optionally a repaired copy. summary: the ranking table. Never writes over its input.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fmt, firstScoringHand, handLabel, handPath, isDefaultHands, type HandsUnitResult, parseUnitSpec, ratersProblem, scoreCohort, scoreHands, type AssessmentPolicy, type CohortEntry, type CohortResult, type HandId, type Program, type RatersPolicy } from '../engine';
import {
  MAX_FORMULA_CHARS, PlanError, UNMATCHED_REASONS, UNMATCHED_REASONS_EN, carryOver, contentHash, embeddedProgram, entriesHeld, longFormulas, planWorkbook,
  readKeptRows, unmatchedSheetPlan, unreadRemarksKept, withUnmatched, SETTINGS_NAME, applySettings, carrySettings, settingsChanged,
  type CarryOver, type KeptRow, type OldEntry, type SortOrder, type WorkbookMeta, type WorkbookPlan,
} from '../layout';
import {
  atCell, formatWorkbookProblem, readFilledWorkbook, wbProblem, workbookFindings, writeWorkbook,
  type FilledWorkbook, type WorkbookProblem,
} from '../xlsx';
import type { Io } from './main';
import { cohortJson, printCohortTable } from './report';
import { listRubricFiles, loadRubricFile } from './rubrics';
import { checkOutput, readInputFile, writeOutput } from './files';
import { outputProblem, unitsByVariantText } from './help';

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

/** Non-blank entries of a Dafen workbook at `file`, or null when it is not one (or cannot be read). */
async function entriesIn(file: string): Promise<number | null> {
  const bytes = readInputFile(file);
  if (!(bytes instanceof Uint8Array)) return null;
  const read = await readFilledWorkbook(bytes);
  if (!read.meta) return null;
  // A 本表设定 value the clerk changed is lost by a replacement too.
  return entriesHeld(read.units, read.unmatched) + settingsChanged(embeddedProgram(read.meta), read.settings);
}

/**
 * Whether `out` may be written: never onto a file this command read, never onto a directory, an existing
 * file only with --force, and never over a workbook holding entries (those are carried over instead).
 */
async function guardOutput(out: string, inputs: string[], force: boolean, io: Io): Promise<number | null> {
  const bad = checkOutput(out, inputs, force);
  if (bad) {
    io.err(formatWorkbookProblem({ ...bad, path: rel(out) }));
    return bad.code === 'workbook.outputExists' || bad.code === 'workbook.sameFile' ? 2 : 1;
  }
  const n = force ? await entriesIn(out) : null;
  if (n) {
    io.err(formatWorkbookProblem({ ...wbProblem('workbook.outputHoldsEntries', { file: rel(out), count: n }), path: rel(out) }));
    return 1;
  }
  return null;
}

/** Formulas over Excel's length limit, each a problem at its sheet and cell; true when there are any (then nothing is written). */
function tooLong(plan: WorkbookPlan, io: Io): boolean {
  const long = longFormulas(plan);
  for (const l of long.slice(0, 20)) {
    io.err(formatWorkbookProblem(wbProblem('workbook.formulaTooLong', { sheet: l.sheet, cell: l.cell, what: l.id ?? '—', length: l.length, max: MAX_FORMULA_CHARS }, { sheet: l.sheet, cell: l.cell })));
  }
  if (long.length > 20) io.err(`……另有${long.length - 20}个过长的公式 / … ${long.length - 20} more formulas too long`);
  return long.length > 0;
}

async function writeOut(out: string, bytes: Uint8Array, io: Io): Promise<boolean> {
  const bad = writeOutput(out, bytes);
  if (bad) io.err(formatWorkbookProblem({ ...bad, path: rel(out) }));
  return bad === null;
}

/** A unit name from --unit: not empty, no control characters or noncharacters (no spreadsheet opens those). */
function badUnitName(name: string): string | null {
  if (!name.trim()) return '单位名称为空 / the unit name is empty';
  if (/[\p{Cc}\p{Noncharacter_Code_Point}\p{Cs}]/u.test(name)) return `单位名称“${name.replace(/[\p{Cc}\p{Noncharacter_Code_Point}\p{Cs}]/gu, '�')}”含有控制字符或非字符 / the unit name holds a control character or noncharacter`;
  return null;
}

export const MAKE_USAGE = 'dafen make <rubric> [--variant V] [--unit 单位[:标签,…]]… [--all-units] [--date YYYY-MM-DD] [--sort document|variant|name] [--rank-incomplete] [--self] [--raters n [--aggregate mean|trimmed] [--on criterion|total] [--spread x]] [--force] -o out.xlsx';

/**
 * The make options for hands (--self, --raters n, --aggregate, --on, --spread) over the rubric's
 * policies.assessment; undefined when none is given (the rubric decides), or a message.
 */
export function assessmentOption(p: { flags: Set<string>; values: Map<string, string[]> }, program: Program): { assessment?: AssessmentPolicy } | { error: string } {
  const last = (n: string) => p.values.get(n)?.at(-1);
  const raters = last('--raters'), how = last('--aggregate'), on = last('--on'), spread = last('--spread');
  const self = p.flags.has('--self');
  if (!self && raters === undefined && how === undefined && on === undefined && spread === undefined) return {};
  const base = program.policies.assessment;
  if (raters === undefined && (how !== undefined || on !== undefined || spread !== undefined) && !base?.raters) {
    return { error: '--aggregate、--on、--spread 须与 --raters 一起使用 / --aggregate, --on and --spread need --raters' };
  }
  const count = raters === undefined ? base?.raters?.count : Number(raters);
  if (raters !== undefined && !(/^\d+$/.test(raters) && Number(raters) >= 2 && Number(raters) <= 20)) return { error: `--raters 应为2到20之间的整数，实际为“${raters}” / --raters must be a whole number from 2 to 20, got "${raters}"` };
  if (how !== undefined && !['mean', 'trimmed', 'trimmedMean'].includes(how)) return { error: `--aggregate 只能是 mean 或 trimmed，实际为“${how}” / --aggregate must be mean or trimmed` };
  if (on !== undefined && !['criterion', 'total'].includes(on)) return { error: `--on 只能是 criterion 或 total，实际为“${on}” / --on must be criterion or total` };
  if (spread !== undefined && !(/^\d+(\.\d+)?$/.test(spread))) return { error: `--spread 应为不小于0的数，实际为“${spread}” / --spread must be a number ≥ 0, got "${spread}"` };
  const r: RatersPolicy | undefined = count === undefined ? undefined : {
    count,
    aggregate: how === undefined ? base?.raters?.aggregate ?? 'mean' : how === 'mean' ? 'mean' : 'trimmedMean',
    on: (on as RatersPolicy['on'] | undefined) ?? base?.raters?.on ?? 'criterion',
    ...(spread !== undefined ? { spread: Number(spread) } : base?.raters?.spread !== undefined ? { spread: base.raters.spread } : {}),
  };
  if (r) {
    const bad = ratersProblem(r);
    if (bad) return { error: bad };
  }
  return { assessment: { ...((self || base?.self) ? { self: true } : {}), ...(r ? { raters: r } : {}) } };
}

export async function cmdMake(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, ['--variant', '--unit', '--date', '--sort', '-o', '--output', '--raters', '--aggregate', '--on', '--spread'], ['--all-units', '--force', '--rank-incomplete', '--self']);
  const file = p.positional[0];
  const out = one(p, '-o', '--output');
  if (p.errors.length || !file || !out || p.positional.length > 1) {
    for (const e of p.errors) io.err(e);
    if (!out && file) io.err('请用 -o 指定输出文件 / give the output file with -o');
    io.err(`用法 / usage: ${MAKE_USAGE}`);
    return 2;
  }
  const badOut = outputProblem(out);
  if (badOut) {
    io.err(badOut);
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
  const guarded = await guardOutput(out, [file], p.flags.has('--force'), io);
  if (guarded !== null) return guarded;
  const r = loadRubricFile(file);
  for (const pr of r.problems.filter((x) => x.severity === 'error')) io.err(formatWorkbookProblem({ ...pr, path: `${rel(file)}${pr.line ? `:${pr.line}` : ''} ${pr.path}` }));
  if (!r.program) return 1;
  const warnings = r.problems.filter((x) => x.severity === 'warning').length;
  if (warnings) io.err(`评分细则有${warnings}个警告（原文自身的不一致，见 dafen validate ${rel(file)}） / ${warnings} rubric warning(s): see dafen validate`);
  const program = r.program;
  const hands = assessmentOption(p, program);
  if ('error' in hands) {
    io.err(hands.error);
    return 2;
  }

  const variant = one(p, '--variant');
  if (variant && !program.variants.some((v) => v.id === variant || v.name === variant)) {
    io.err(`类别“${variant}”不存在（可用：${program.variants.map((v) => `${v.id}=${v.name}`).join('、')}） / unknown variant`);
    return 2;
  }
  const vid = variant ? program.variants.find((v) => v.id === variant || v.name === variant)!.id : undefined;
  // `--unit 米市巷街道:街道,进驻单位`: a name, and tags for a unit the rubric does not list.
  const named = (p.values.get('--unit') ?? []).map(parseUnitSpec);
  for (const n of named) {
    const bad = badUnitName(n.name);
    if (bad) {
      io.err(bad);
      return 2;
    }
  }
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
      date, sort, generator: GENERATOR, rankIncomplete: p.flags.has('--rank-incomplete'), ...(hands.assessment ? { assessment: hands.assessment } : {}),
      onSheet: units.length >= PROGRESS_FROM ? (done, total, unit) => io.err(`[${done}/${total}] ${unit}`) : undefined,
    });
  } catch (e) {
    if (e instanceof PlanError) {
      io.err(e.message);
      return 1;
    }
    throw e;
  }
  if (tooLong(plan, io)) return 1;
  const bytes = await writeWorkbook(plan);
  if (!(await writeOut(out, bytes, io))) return 1;
  const byVariant = program.variants.map((v) => [v.name, plan.meta.sheets.filter((s) => s.variant === v.id).length] as const).filter(([, n]) => n > 0);
  io.out(`✓ ${rel(out)}：${plan.meta.sheets.length} 个单位${unitsByVariantText(byVariant)}，${Math.round(bytes.length / 1024)} KB，${Date.now() - t0} ms / wrote ${plan.meta.sheets.length} unit sheet(s) and the 汇总 sheet`);
  return 0;
}

interface Loaded {
  read: FilledWorkbook;
  meta: WorkbookMeta;
  program: Program;
  entries: CohortEntry[];
  res: CohortResult;
  problems: WorkbookProblem[];
  /** `program` is the rubric the workbook was made with: its content hash, or the workbook's own verified copy. */
  madeWith: boolean;
  /** A multi-hand workbook: every hand's own scoring, 分差 and 差异, per unit. */
  byHands?: Map<string, HandsUnitResult>;
}

/** Reads a workbook, finds its rubric, re-scores it; problems carry sheet and cell. */
async function loadWorkbook(file: string, rubric: string | undefined, io: Io): Promise<Loaded | number> {
  const bytes = readInputFile(file);
  if (!(bytes instanceof Uint8Array)) {
    io.err(formatWorkbookProblem({ ...bytes, path: rel(file) }));
    return 1;
  }
  const read = await readFilledWorkbook(bytes);
  const fatal = (ps: WorkbookProblem[]) => {
    for (const pr of ps) io.err(formatWorkbookProblem({ ...pr, path: pr.path ? `${rel(file)}:${pr.path}` : rel(file) }));
    return 1;
  };
  if (!read.meta) return fatal(read.problems);
  const meta = read.meta;
  const problems = [...read.problems];
  let program: Program | null = null;
  // The workbook's own copy (its text checked against the recorded hash) is the rubric it was made with.
  let embedded = false;
  if (rubric) {
    const r = loadRubricFile(rubric);
    if (!r.program) {
      for (const pr of r.problems) io.err(formatWorkbookProblem(pr));
      return 1;
    }
    program = r.program;
    if (program.id !== meta.program.id) return fatal([wbProblem('workbook.otherProgram', { id: meta.program.id, title: meta.program.title, other: program.id })]);
  } else {
    const candidates = listRubricFiles().map((f) => loadRubricFile(f).program).filter((x): x is Program => x !== null && x.id === meta.program.id);
    program = candidates.find((c) => c.version === meta.program.version) ?? null;
    if (!program) {
      // The workbook carries the rubric it was made with: enough to re-score without the file.
      program = embeddedProgram(meta);
      embedded = program !== null;
      if (program) problems.push(wbProblem('workbook.embeddedRubric', { id: meta.program.id, version: meta.program.version }));
    }
    if (!program) {
      if (candidates.length) return fatal([wbProblem('workbook.versionUnknown', { id: meta.program.id, version: meta.program.version, known: candidates.map((c) => c.version).join('、') })]);
      return fatal([wbProblem('workbook.programUnknown', { id: meta.program.id, title: meta.program.title })]);
    }
  }
  if (program.version !== meta.program.version && rubric) {
    return fatal([wbProblem('workbook.useUpdate', { id: meta.program.id, version: meta.program.version, other: program.version, file: rel(file), rubric: rel(rubric) })]);
  }
  if (program.version !== meta.program.version) {
    return fatal([wbProblem('workbook.versionUnknown', { id: meta.program.id, version: meta.program.version, known: program.version })]);
  }
  const madeWith = embedded || contentHash(program) === meta.contentHash;
  if (!madeWith) problems.push(wbProblem('workbook.hashDiffers', { id: program.id, version: program.version }));
  const byUnit = new Map(read.units.map((u) => [u.unit, u]));
  // What the cells hold, read as the workbook's own formulas read it (a text "85" is text, not 85).
  const entries: CohortEntry[] = meta.sheets.map((s) => ({ unit: s.unit, variant: s.variant, tags: s.tags, inputs: byUnit.get(s.unit)?.inputs ?? {}, cells: true }));
  // Several hands: the unit's points are the assessor's or the raters' aggregate; every hand's problems at its own cell.
  const hands: HandId[] | undefined = meta.hands && !isDefaultHands(meta.hands) ? meta.hands : undefined;
  let byHands: Map<string, HandsUnitResult> | undefined;
  // 本表设定: the clerk's values in force, a refused one listed at its sheet and cell (layout/settings.ts).
  const scoring = applySettings(program, read.settings);
  for (const pr of scoring.problems) problems.push({ ...pr, sheet: String(pr.params.sheet), cell: String(pr.params.cell), path: `${pr.params.sheet}!${pr.params.cell}` });
  const res: CohortResult = hands
    ? (() => {
      const r = scoreHands(scoring.program, hands, meta.assessment, meta.sheets.map((s) => ({ unit: s.unit, variant: s.variant, tags: s.tags, hands: byUnit.get(s.unit)?.hands ?? {}, cells: true })));
      byHands = new Map(r.units.map((u) => [u.unit, u]));
      return { units: r.units.map((u) => u.result), problems: r.problems };
    })()
    : scoreCohort(scoring.program, entries);
  const first = hands ? firstScoringHand(hands) : 'assessor';
  const cellOf = (ru: FilledWorkbook['units'][number], path: string): string | undefined => {
    if (!hands) return ru.inputCells[path];
    for (const h of hands) {
      const prefix = handPath(h, '', first);
      if (h !== first && path.startsWith(prefix)) return ru.handCells?.[h]?.[path.slice(prefix.length)];
    }
    return ru.inputCells[path];
  };
  // Input problems at their sheet and cell.
  for (const u of res.units) {
    const ru = byUnit.get(u.unit);
    u.problems = u.problems.map((pr) => (ru ? atCell(pr, ru.sheet, cellOf(ru, pr.path)) : pr)) as typeof u.problems;
  }
  return { read, meta, program, entries, res, problems, madeWith, ...(byHands ? { byHands } : {}) };
}

export const SCORE_USAGE = 'dafen score <workbook.xlsx> [--json] [-o corrected.xlsx] [--rubric file]';

export async function cmdScore(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, ['-o', '--output', '--rubric'], ['--json', '--force']);
  const file = p.positional[0];
  if (p.errors.length || !file || p.positional.length > 1) {
    for (const e of p.errors) io.err(e);
    io.err(`用法 / usage: ${SCORE_USAGE}`);
    return 2;
  }
  const out = one(p, '-o', '--output');
  const badOut = out ? outputProblem(out) : null;
  if (badOut) {
    io.err(badOut);
    return 2;
  }
  if (out) {
    const rubricFile = one(p, '--rubric');
    const guarded = await guardOutput(out, rubricFile ? [file, rubricFile] : [file], p.flags.has('--force'), io);
    if (guarded !== null) return guarded;
  }
  const loaded = await loadWorkbook(file, one(p, '--rubric'), io);
  if (typeof loaded === 'number') return loaded;
  const { read, meta, program, entries, res } = loaded;
  // The plan carries 扣分依据/说明 (the assessor's own words) into the repaired copy and --json.
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  const scoredAt = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
  let found;
  try {
    found = workbookFindings(read, program, GENERATOR, scoredAt);
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    io.err(formatWorkbookProblem(wbProblem('workbook.badMeta', { sheet: '_dafen', detail: e.message }, { sheet: '_dafen' })));
    return 1;
  }
  const plan = found.plan;
  const problems = [...loaded.problems, ...found.problems];
  const remarksOf = (unit: string): Record<string, string> => read.units.find((u) => u.unit === unit)?.remarks ?? {};
  // Every hand's 扣分依据 on a multi-hand workbook (the first scoring hand's column, the others' from 各评分人扣分依据), by hand: only the hands that said something.
  const handRemarksOf = (unit: string): Record<string, unknown> => {
    const said = Object.entries(read.units.find((u) => u.unit === unit)?.handRemarks ?? {}).filter(([, x]) => x && Object.keys(x).length);
    return said.length ? { handRemarks: Object.fromEntries(said) } : {};
  };
  const inputProblems = res.units.flatMap((u) => u.problems);
  const errors = [...problems, ...inputProblems, ...res.problems].filter((x) => x.severity === 'error').length;
  if (p.flags.has('--json')) {
    const j = cohortJson(program, res);
    io.out(JSON.stringify({
      ...j,
      units: j.units.map((u) => ({ ...u, remarks: remarksOf(u.unit), ...handRemarksOf(u.unit), ...handsJson(loaded.byHands?.get(u.unit)) })),
      workbook: {
        file: rel(file),
        generator: meta.generator,
        contentHash: meta.contentHash,
        problems: problems.map((x) => ({ code: x.code, severity: x.severity, path: x.path, sheet: x.sheet, cell: x.cell, message: x.message })),
      },
    }, null, 2));
  } else {
    printCohortTable(program, { ...res, units: res.units.map((u) => ({ ...u, problems: [] })) }, io);
    printHands(program, loaded.byHands, io);
    for (const pr of [...inputProblems, ...problems]) (pr.severity === 'error' ? io.err : io.out)(formatWorkbookProblem(pr));
    io.out(problems.length + inputProblems.length === 0
      ? '✓ 工作簿与重新计分结果一致 / the workbook agrees with the engine'
      : `${errors} 个错误，${problems.length + inputProblems.length - errors} 个警告 / ${errors} error(s), ${problems.length + inputProblems.length - errors} warning(s)`);
  }
  if (out) {
    const say = p.flags.has('--json') ? io.err : io.out;
    // The rubric differs from the one the workbook was made with (same version, edited content), or the
    // workbook keeps entries outside its inputs (未匹配录入, inserted rows): carried over, nothing dropped.
    const made = loaded.madeWith ? program : embeddedProgram(meta);
    // Rows of 各评分人扣分依据 naming no unit or hand go to 未匹配录入 too (the carried plan keeps them).
    const kept = oldEntries(read, meta).some((e) => e.kept?.length) || (read.strayRemarks?.length ?? 0) > 0;
    if (made !== program || kept) {
      if (!made) io.err(formatWorkbookProblem(wbProblem('workbook.madeUnknown', { id: meta.program.id, version: meta.program.version })));
      const c = carriedPlan(read, meta, made, program, io);
      if (!c) return 1;
      reportKept(c.carry, program, say);
      if (tooLong(c.plan, io)) return 1;
      const bytes = await writeWorkbook(c.plan);
      if (!(await writeOut(out, bytes, io))) return 1;
      say(carriedLine(out, c.carry));
    } else {
      if (tooLong(plan, io)) return 1;
      const bytes = await writeWorkbook(plan);
      if (!(await writeOut(out, bytes, io))) return 1;
      say(`✓ 已写出修正后的工作簿 ${rel(out)}（${entries.reduce((n, e) => n + countFilled(e.inputs), 0)} 项录入保留，公式与数值按评分细则重写） / wrote the repaired copy, every entry kept`);
    }
  }
  return errors > 0 ? 1 : 0;
}

/** Every hand's figures of a unit for --json: totals and status per hand, 分差 (raters), 差异 (self), 相差过大 criteria. */
function handsJson(h: HandsUnitResult | undefined): Record<string, unknown> {
  if (!h) return {};
  const hands = Object.fromEntries(Object.entries(h.hands).map(([k, r]) => [k, { base: r!.base, bonus: r!.bonus, penalty: r!.penalty, final: r!.final, converted: r!.converted, status: r!.status.zh, complete: r!.complete }]));
  return { hands, ...(h.spread ? { spread: h.spread } : {}), ...(h.wide ? { wide: h.wide } : {}), ...(h.diff ? { diff: h.diff } : {}) };
}

/** Under the table of a multi-hand workbook: each unit's 总分 by hand (自评 80 · 考核 75, 差异 5; 评委… 分差 …). */
function printHands(program: Program, byHands: Map<string, HandsUnitResult> | undefined, io: Io): void {
  if (!byHands) return;
  const p = program.policies.precision;
  for (const u of byHands.values()) {
    const parts = Object.entries(u.hands).map(([h, r]) => `${handLabel(h as HandId)} ${fmt(r!.final, p)}`);
    const extra = [
      u.diff?.$final !== undefined ? `差异 ${fmt(u.diff.$final, p)}` : '',
      u.spread ? `分差 ${fmt(u.spread.$final ?? 0, p)}` : '',
      u.wide?.length ? `相差过大 ${u.wide.length} 项` : '',
    ].filter(Boolean);
    io.out(`${u.unit}：${parts.join(' · ')}${extra.length ? `（${extra.join('，')}）` : ''} / totals by hand`);
  }
}

const countFilled = (inputs: CohortEntry['inputs']): number =>
  Object.values(inputs ?? {}).filter((v) => v !== null && v !== undefined && !(typeof v === 'string' && !v.trim())).length;

/** A read workbook's entries as the carry-over takes them: inputs by key, plus values kept aside (未匹配录入) and typed into inserted rows. */
function oldEntries(read: FilledWorkbook, meta: WorkbookMeta): OldEntry[] {
  const byUnit = new Map(read.units.map((u) => [u.unit, u]));
  // Every hand's entries and 扣分依据/说明 (the first scoring hand's column, the others' 各评分人扣分依据 rows).
  const base: OldEntry[] = meta.sheets.map((s) => ({
    unit: s.unit, variant: s.variant, tags: s.tags, inputs: { ...(byUnit.get(s.unit)?.inputs ?? {}) }, remarks: { ...(byUnit.get(s.unit)?.remarks ?? {}) },
    ...(meta.hands ? { hands: byUnit.get(s.unit)?.hands ?? {} } : {}),
    ...(byUnit.get(s.unit)?.handRemarks ? { handRemarks: byUnit.get(s.unit)!.handRemarks } : {}),
  }));
  const strays: KeptRow[] = read.units.flatMap((u) =>
    (u.stray ?? []).map((x) => ({ unit: u.unit, variant: u.variant, key: `${u.sheet}!${x.cell}`, value: x.value, label: '插入行中的录入' })));
  // Rows of 各评分人扣分依据 that fit no unit or hand: kept aside (未匹配录入), never dropped.
  const asideRows = unreadRemarksKept(read.strayRemarks ?? [], (unit) => meta.sheets.find((s) => s.unit === unit)?.variant);
  // Values of 本表设定 kept aside earlier go back with the settings (carrySettings), not to a unit.
  return withUnmatched(base, [...readKeptRows(read.unmatched ?? []).filter((r) => r.unit !== SETTINGS_NAME), ...strays, ...asideRows]);
}

/** The new workbook: entries carried to `program`, the rest on a 未匹配录入 sheet next to the summary. */
function carriedPlan(read: FilledWorkbook, meta: WorkbookMeta, made: Program | null, program: Program, io: Io): { plan: WorkbookPlan; carry: CarryOver } | null {
  const carry = carryOver(made, program, oldEntries(read, meta), meta.hands);
  const set = carrySettings(made, program, read.settings, readKeptRows(read.unmatched ?? []));
  carry.unmatched.push(...set.unmatched);
  let plan: WorkbookPlan;
  try {
    plan = planWorkbook(program, carry.entries.map((e) => ({
      name: e.unit, variant: e.variant, tags: e.tags, inputs: e.inputs, remarks: e.remarks, ...(e.hands ? { hands: e.hands } : {}), ...(e.handRemarks ? { handRemarks: e.handRemarks } : {}),
    })), {
      date: meta.options.date, sort: meta.options.sort, generator: GENERATOR, settings: set.settings, ...(meta.workbookId ? { workbookId: meta.workbookId } : {}),
      ...(meta.hands ? { hands: meta.hands, ...(meta.assessment ? { assessment: meta.assessment } : {}) } : {}),
    });
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    io.err(formatWorkbookProblem(wbProblem('workbook.badMeta', { sheet: '_dafen', detail: e.message }, { sheet: '_dafen' })));
    return null;
  }
  if (carry.unmatched.length || read.unmatched) plan.sheets.splice(plan.sheets.length - 1, 0, unmatchedSheetPlan(carry.unmatched, program.version));
  return { plan, carry };
}

/** One line per entry kept aside (the first 50, then a count), so none goes unseen. */
function reportKept(carry: CarryOver, program: Program, say: (s: string) => void): void {
  const MAX = 50;
  for (const u of carry.unmatched.slice(0, MAX)) {
    const value = typeof u.value === 'boolean' ? (u.value ? '是' : '否') : String(u.value ?? '').slice(0, 40);
    say(formatWorkbookProblem(wbProblem('workbook.keptAside', {
      unit: u.unit, label: u.label, key: u.key, value, version: program.version, reason: UNMATCHED_REASONS[u.reason], reasonEn: UNMATCHED_REASONS_EN[u.reason],
    }, { sheet: '未匹配录入' })));
  }
  if (carry.unmatched.length > MAX) say(`……另有${carry.unmatched.length - MAX}项，见“未匹配录入”工作表 / … ${carry.unmatched.length - MAX} more on the 未匹配录入 sheet`);
}

function carriedLine(out: string, carry: CarryOver): string {
  const k = carry.unmatched.length;
  const moved = carry.moved.length ? `（其中${carry.moved.length}项随移动的扣分行转到新位置）` : '';
  return `✓ 已写出 ${rel(out)}：${carry.carried} 项录入已转入${moved}，${k} 项保留在“未匹配录入”工作表${k ? '（见上）' : ''} / wrote ${rel(out)}: ${carry.carried} entries carried, ${k} kept on the 未匹配录入 sheet`;
}

export const UPDATE_USAGE = 'dafen update <workbook.xlsx> --rubric <new rubric> -o out.xlsx';

/**
 * `dafen update`: a filled workbook → a new workbook for a corrected rubric (another version, or the
 * same one edited), every entry carried by what it means or kept, visibly, on 未匹配录入 (as the add-in's
 * 更新评分标准 does). The old workbook is never touched.
 */
export async function cmdUpdate(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, ['-o', '--output', '--rubric'], ['--force']);
  const file = p.positional[0];
  const out = one(p, '-o', '--output');
  const rubric = one(p, '--rubric');
  if (p.errors.length || !file || !out || !rubric || p.positional.length > 1) {
    for (const e of p.errors) io.err(e);
    if (file && !rubric) io.err('请用 --rubric 指定新的评分细则文件 / give the new rubric with --rubric');
    if (file && !out) io.err('请用 -o 指定输出文件 / give the output file with -o');
    io.err(`用法 / usage: ${UPDATE_USAGE}`);
    return 2;
  }
  const guarded = await guardOutput(out, [file, rubric], p.flags.has('--force'), io);
  if (guarded !== null) return guarded;
  const bytes = readInputFile(file);
  if (!(bytes instanceof Uint8Array)) {
    io.err(formatWorkbookProblem({ ...bytes, path: rel(file) }));
    return 1;
  }
  const read = await readFilledWorkbook(bytes);
  const shown = (pr: WorkbookProblem) => formatWorkbookProblem({ ...pr, path: pr.path ? `${rel(file)}:${pr.path}` : rel(file) });
  if (!read.meta) {
    for (const pr of read.problems) io.err(shown(pr));
    return 1;
  }
  const meta = read.meta;
  const r = loadRubricFile(rubric);
  if (!r.program) {
    for (const pr of r.problems.filter((x) => x.severity === 'error')) io.err(formatWorkbookProblem({ ...pr, path: `${rel(rubric)}${pr.line ? `:${pr.line}` : ''} ${pr.path}` }));
    return 1;
  }
  const program = r.program;
  if (program.id !== meta.program.id) {
    io.err(shown(wbProblem('workbook.otherProgram', { id: meta.program.id, title: meta.program.title, other: program.id })));
    return 1;
  }
  // The version the workbook was made with: its own saved copy first (exact), else a rubric file of that version.
  const made = embeddedProgram(meta)
    ?? listRubricFiles().map((f) => loadRubricFile(f).program).find((x) => x?.id === meta.program.id && x.version === meta.program.version && contentHash(x) === meta.contentHash)
    ?? null;
  if (!made) io.err(shown(wbProblem('workbook.madeUnknown', { id: meta.program.id, version: meta.program.version })));
  for (const pr of read.problems) (pr.severity === 'error' ? io.err : io.out)(shown(pr));
  const c = carriedPlan(read, meta, made, program, io);
  if (!c) return 1;
  reportKept(c.carry, program, io.out);
  if (tooLong(c.plan, io)) return 1;
  const written = await writeWorkbook(c.plan);
  if (!(await writeOut(out, written, io))) return 1;
  io.out(`评分细则 ${meta.program.version} → ${program.version}`);
  io.out(carriedLine(out, c.carry));
  return 0;
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
  printHands(program, loaded.byHands, io);
  const n = res.units.reduce((a, u) => a + u.problems.length, 0) + loaded.problems.length;
  if (n) io.err(`有${n}处录入或工作簿问题，详见 dafen score ${rel(file)} / ${n} problem(s): see dafen score`);
  return 0;
}
