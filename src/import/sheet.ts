/**
 * The 评分细则 sheet: a rubric as one row per node (sections and indicators as group rows, criteria with
 * their rule), in words a clerk edits — 编号, 考核项目/内容, 分值, 评分标准 (verbatim), 计分方式 (the kind's
 * name from the one registry, src/engine/kinds), 参数 (describeRule's words), 识别依据, 需确认, 检查结果 —
 * and back: rows as a clerk edited them → the rubric, where a changed 参数 is read again by the same
 * grammar (grammar.ts) and the result checked by loadProgram, every problem placed on its row and column
 * with the message `dafen validate` gives. Pure: the Excel add-in (src/excel/import-sheet.ts), the .xlsx
 * file (sheet-xlsx.ts) and the browser page all go through these two functions.
 *
 * The rows come with the rubric they were written from (the "base", kept beside the sheet: a hidden
 * sheet of the workbook). A row whose 计分方式 and 参数 still read as written keeps the base rule exactly
 * (its labels, inputs and settings the words do not show); a changed one is read from its words. The
 * tree (which row is under which) is the base's: rows match nodes by 类别 and 编号. `reread` reads every
 * row from its words (the measure of how much of a rule its 参数 carry).
 */
import { parse, stringify } from 'yaml';
import { KIND_TITLES, KINDS, loadProgram, type Problem, type Program, type Rule } from '../engine';
import { readRule, type RuleReading } from './grammar';
import { importProblem, type ImportProblem } from './messages';
import { cohortWords, describeRule, type CriterionReport, type ImportResult } from './program';
import { fold } from './numbers';
import type { CohortReading } from './grammar';

export const SHEET_NAME = '评分细则';
/** The hidden sheet that keeps the rubric the rows were written from (YAML, in cells of column A). */
export const BASE_SHEET = '_dafen_细则';
/** A cell holds at most 32,767 characters (Excel's limit); the YAML is cut into pieces below it. */
export const BASE_CHUNK = 30000;

export const SHEET_COLUMNS = ['variant', 'id', 'title', 'points', 'text', 'kind', 'params', 'basis', 'confirm', 'check'] as const;
export type SheetColumn = (typeof SHEET_COLUMNS)[number];
export const SHEET_HEADERS: Record<SheetColumn, { zh: string; en: string }> = {
  variant: { zh: '类别', en: 'Variant' },
  id: { zh: '编号', en: 'No.' },
  title: { zh: '考核项目/内容', en: 'Item' },
  points: { zh: '分值', en: 'Points' },
  text: { zh: '评分标准', en: 'Scoring text' },
  kind: { zh: '计分方式', en: 'Rule kind' },
  params: { zh: '参数', en: 'Parameters' },
  basis: { zh: '识别依据', en: 'Read from' },
  confirm: { zh: '需确认', en: 'To confirm' },
  check: { zh: '检查结果', en: 'Check' },
};
/** The columns a clerk edits (the others are written by Dafen and rewritten on every check). */
export const EDITABLE: readonly SheetColumn[] = ['title', 'points', 'text', 'kind', 'params'];

/** The 计分方式 dropdown: every registered kind's Chinese name, in the registry's order. */
export const KIND_CHOICES: readonly string[] = KIND_TITLES.map((k) => k.zh);

export type SheetRow = Record<SheetColumn, string>;

export interface SheetProblem {
  /** Index into the rows (0 = first row under the header); -1 for the sheet as a whole. */
  row: number;
  column: SheetColumn | null;
  code: string;
  severity: 'error' | 'warning';
  path: string;
  message: { zh: string; en: string };
}

export interface SheetResult {
  rubric: Record<string, unknown>;
  yaml: string;
  /** Null while any row has an error. */
  program: Program | null;
  /** The rows with 计分方式 (where it followed the 参数), 需确认 and 检查结果 brought up to date; the clerk's cells unchanged. */
  rows: SheetRow[];
  problems: SheetProblem[];
}

type Role = 'base' | 'bonus' | 'penalty';
type Obj = Record<string, any>;
interface NodeAt {
  node: Obj;
  variant: string;
  path: string;
  role: Role;
}

const f6 = (n: number): string => String(+n.toFixed(6));
const kindName = (kind: string): string => KIND_TITLES.find((k) => k.kind === kind)?.zh ?? kind;
const kindOfName = (name: string): string | undefined => {
  const t = fold(name).trim();
  return KIND_TITLES.find((k) => k.zh === t || k.kind === t || k.en.toLowerCase() === t.toLowerCase())?.kind;
};

/** The 参数 words of a criterion (describeRule, plus its cohort clause). */
function paramsOf(node: Obj, points: number | undefined = node.points ?? undefined): string {
  // as the schema reads it (defaults filled in: a shortfall's per 1, an amount's min 0…)
  const def = KINDS.find((k) => k.kind === node.rule?.kind);
  const parsed = def?.schema.safeParse(node.rule);
  const rule = (parsed?.success ? parsed.data : node.rule) as Rule;
  return describeRule(rule, points) + cohortWords(node.cohort as CohortReading | undefined);
}

function* nodes(rubric: Obj): Generator<NodeAt> {
  const variants = (rubric.variants ?? []) as Obj[];
  for (let vi = 0; vi < variants.length; vi++) {
    const v = variants[vi];
    const walk = function* (list: Obj[], base: string, role: Role): Generator<NodeAt> {
      for (let i = 0; i < (list ?? []).length; i++) {
        const n = list[i];
        const path = `${base}[${i}]`;
        const r: Role = (n.role as Role | undefined) ?? role;
        yield { node: n, variant: String(v.id), path, role: r };
        if (Array.isArray(n.children)) yield* walk(n.children, `${path}.children`, r);
      }
    };
    yield* walk(v.sections as Obj[], `variants[${vi}].sections`, 'base');
  }
}

/** The rows of a rubric object (the file format), with the import's readings where it has them. */
/** The 本表设定 marks (`setting: {label, why}`) inside a rule, with where each sits (e.g. `['step']`, `['tiers', 2]`). */
function settingMarks(rule: unknown): { path: (string | number)[]; mark: { label: string; why: string } }[] {
  const out: { path: (string | number)[]; mark: { label: string; why: string } }[] = [];
  const walk = (o: unknown, path: (string | number)[]) => {
    if (!o || typeof o !== 'object') return;
    if (Array.isArray(o)) return o.forEach((x, i) => walk(x, [...path, i]));
    for (const [k, v] of Object.entries(o as Obj)) {
      if (k === 'setting' && v && typeof v === 'object' && typeof (v as Obj).label === 'string') out.push({ path, mark: v as { label: string; why: string } });
      else walk(v, [...path, k]);
    }
  };
  walk(rule, []);
  return out;
}

export function rowsFromRubric(rubric: Record<string, unknown>, criteria: readonly CriterionReport[] = []): SheetRow[] {
  const rows: SheetRow[] = [];
  const byKey = new Map(criteria.map((c) => [`${c.variant}:${c.id}`, c]));
  for (const { node, variant } of nodes(rubric as Obj)) {
    const c = byKey.get(`${variant}:${node.id}`);
    const rule = node.rule as Rule | undefined;
    const note = typeof node.note === 'string' ? node.note : '';
    const confirm = c ? (c.confidence === 'high' ? '' : c.confirm.join('；') || '计分办法需确认') : /^需确认[：:]/.test(note) ? note.replace(/^需确认[：:]\s*/, '') : '';
    const basis = [c ? c.readings.map((x) => `“${x.quote}”`).join(' ') : '', note && !/^需确认/.test(note) ? note : '', ...settingMarks(rule).map((m) => `本表设定，文件未规定：${m.mark.label}（${m.mark.why}）`)].filter(Boolean).join('；');
    rows.push({
      variant,
      id: String(node.id),
      title: String(node.title ?? ''),
      points: node.points === undefined || node.points === null ? '' : f6(node.points),
      text: String(node.text ?? ''),
      kind: rule ? kindName(rule.kind) : '',
      params: rule ? paramsOf(node) : '',
      basis: rule ? basis : '',
      confirm,
      check: '',
    });
  }
  return rows;
}

/** The rows of an import, checked: every problem of the import on its row. */
export function rowsFromImport(r: ImportResult): SheetResult | null {
  if (!r.rubric) return null;
  return rubricFromRows(r.rubric, rowsFromRubric(r.rubric, r.criteria));
}

/** The sheet as a grid of texts: the header row, then the rows. */
export function sheetGrid(rows: readonly SheetRow[]): string[][] {
  return [SHEET_COLUMNS.map((c) => SHEET_HEADERS[c].zh), ...rows.map((r) => SHEET_COLUMNS.map((c) => r[c]))];
}

/**
 * Rows from a grid read back from a sheet (Excel's values, an .xlsx's cells): the header row found by
 * its names (columns may have been moved), cells as text. Null when the grid has no 评分细则 header.
 */
export function rowsFromGrid(grid: readonly (readonly unknown[])[]): { rows: SheetRow[]; sheetRows: number[] } | null {
  const text = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'number' ? f6(v) : String(v));
  const h = grid.findIndex((r) => {
    const cells = r.map((x) => text(x).trim());
    return cells.includes(SHEET_HEADERS.id.zh) && cells.includes(SHEET_HEADERS.params.zh) && cells.includes(SHEET_HEADERS.kind.zh);
  });
  if (h < 0) return null;
  const where = new Map<SheetColumn, number>();
  grid[h].forEach((x, i) => {
    const c = SHEET_COLUMNS.find((k) => SHEET_HEADERS[k].zh === text(x).trim());
    if (c && !where.has(c)) where.set(c, i);
  });
  const rows: SheetRow[] = [];
  const sheetRows: number[] = [];
  for (let i = h + 1; i < grid.length; i++) {
    const r = Object.fromEntries(SHEET_COLUMNS.map((c) => [c, where.has(c) ? text(grid[i][where.get(c)!]) : ''])) as SheetRow;
    if (EDITABLE.every((c) => !r[c].trim()) && !r.id.trim()) continue;
    rows.push(r);
    sheetRows.push(i);
  }
  return { rows, sheetRows };
}

/** A points cell as typed: 5, ５, 2.5, 5分; '' or — for none. */
function readPoints(s: string): number | null | 'bad' {
  const t = fold(s).trim().replace(/分$/, '').trim();
  if (!t || t === '—' || t === '-' || t === '/') return null;
  if (!/^\d+(\.\d+)?$/.test(t)) return 'bad';
  return Number(t);
}

const sp = (row: number, column: SheetColumn | null, p: ImportProblem | Problem): SheetProblem => ({ row, column, code: String(p.code), severity: p.severity, path: p.path, message: p.message });

/** Is a reading of typed 参数 something at all? No reading of any phrase, or a fallback with unread scoring words, is not. */
function unreadable(rr: RuleReading, words: string): string | null {
  if (!words.trim()) return '参数是空的';
  // 参数 are scoring words: a reading of none of them (a bare requirement read as 是否…) is no reading
  if (!rr.readings.length) return '没有可识别的计分文字';
  const left = rr.confirm.find((c) => c.startsWith('未能识别的计分文字'));
  if (left) return left;
  return null;
}

/** The import's 需确认 note replaced; a rubric author's own note (why the document reads so) kept. */
function setNote(node: Obj, confirm: readonly string[]): void {
  const own = typeof node.note === 'string' && !/^需确认[：:]/.test(node.note) ? node.note : '';
  const note = [confirm.length ? `需确认：${confirm.join('；')}` : '', own].filter(Boolean).join('\n');
  if (note) node.note = note;
  else delete node.note;
}

/** A rule for a kind that needs no parameters (直接打分 0-N, 是否 N/0), where the clerk picked it and left 参数 as it was. */
function bare(kind: string, node: Obj): Rule | null {
  if (kind === 'direct') return { kind: 'direct', min: 0 } as Rule;
  if (kind === 'yesno') return { kind: 'yesno', question: `是否${String(node.title ?? '').replace(/^[\d.、（）()①-⑩\s]+/, '').slice(0, 40) || '做到'}` } as unknown as Rule;
  return null;
}

/**
 * Rows (as a clerk edited them) → the rubric: base + the rows' changes, checked by loadProgram. Nothing
 * the clerk typed is changed in the rows returned; problems say which row and column, in the words of
 * `dafen validate` (zh-CN and English).
 */
export function rubricFromRows(base: Record<string, unknown>, rowsIn: readonly SheetRow[], options: { reread?: boolean } = {}): SheetResult {
  const rubric = JSON.parse(JSON.stringify(base)) as Obj;
  const rows = rowsIn.map((r) => ({ ...r }));
  const problems: SheetProblem[] = [];
  const at = new Map<string, NodeAt>();
  for (const n of nodes(rubric)) at.set(`${n.variant}:${n.node.id}`, n);
  const single = ((rubric.variants ?? []) as Obj[]).length === 1 ? String((rubric.variants as Obj[])[0].id) : undefined;
  const rowOf = new Map<string, number>();
  const pathRow: { path: string; row: number }[] = [];
  rows.forEach((row, i) => {
    const variant = row.variant.trim() || single || '';
    const key = `${variant}:${row.id.trim()}`;
    const hit = at.get(key);
    if (!hit) {
      problems.push(sp(i, 'id', importProblem('sheet.unknownId', '', { id: row.id.trim() || '（空）', variant: variant || '（空）' })));
      return;
    }
    if (rowOf.has(key)) {
      problems.push(sp(i, 'id', importProblem('sheet.duplicateId', hit.path, { id: row.id.trim(), row: rowOf.get(key)! + 1 })));
      return;
    }
    rowOf.set(key, i);
    pathRow.push({ path: hit.path, row: i });
    const node = hit.node;
    if (row.title !== String(node.title ?? '')) node.title = row.title;
    if (row.text !== String(node.text ?? '')) {
      if (row.text.trim()) node.text = row.text;
      else delete node.text;
    }
    const pts = readPoints(row.points);
    const basePoints: number | undefined = node.points ?? undefined;
    if (pts === 'bad') problems.push(sp(i, 'points', importProblem('sheet.badPoints', `${hit.path}.points`, { id: node.id, value: row.points })));
    else if ((pts ?? undefined) !== basePoints) {
      if (pts === null) delete node.points;
      else node.points = pts;
    }
    if (!node.rule) {
      if (row.kind.trim() || row.params.trim()) problems.push(sp(i, row.kind.trim() ? 'kind' : 'params', importProblem('sheet.groupRule', hit.path, { id: node.id })));
      return;
    }
    const baseRule = node.rule as Rule;
    const baseWords = paramsOf(node, basePoints);
    const chosen = row.kind.trim() ? kindOfName(row.kind) : baseRule.kind;
    if (!chosen) {
      problems.push(sp(i, 'kind', importProblem('sheet.unknownKind', `${hit.path}.rule.kind`, { id: node.id, kind: row.kind.trim(), kinds: KIND_CHOICES.join('、') })));
      return;
    }
    const wordsSame = fold(row.params).trim() === fold(baseWords).trim();
    if (chosen === baseRule.kind && wordsSame && !options.reread) return; // as written: the base rule, labels and all
    if (wordsSame && chosen !== baseRule.kind) {
      // a new kind picked, 参数 left as they were: only the kinds that need no parameters can follow
      const rule = bare(chosen, node);
      if (!rule) {
        problems.push(sp(i, 'params', importProblem('sheet.paramsForKind', `${hit.path}.rule`, { id: node.id, kind: kindName(chosen) })));
        return;
      }
      node.rule = rule;
      delete node.cohort;
      setNote(node, []);
      return;
    }
    const rr = readRule(row.params, { points: node.points ?? undefined, role: hit.role, subtract: node.effect === 'subtract' });
    const why = unreadable(rr, row.params);
    if (why) {
      problems.push(sp(i, 'params', importProblem('sheet.unreadableParams', `${hit.path}.rule`, { id: node.id, params: row.params, why })));
      return;
    }
    const read = String(rr.rule.kind);
    if (row.kind.trim() && chosen !== baseRule.kind && chosen !== read) {
      // both edited and they disagree: the clerk decides
      problems.push(sp(i, 'kind', importProblem('sheet.kindMismatch', `${hit.path}.rule.kind`, { id: node.id, kind: kindName(chosen), read: kindName(read) })));
      return;
    }
    for (const l of ((rr.rule as { lines?: { voids?: string[] }[] }).lines ?? [])) delete l.voids;
    node.rule = rr.rule;
    if (rr.cohort) node.cohort = rr.cohort;
    else delete node.cohort;
    setNote(node, rr.confidence === 'high' ? [] : rr.confirm);
    // 本表设定 marks stay where the clerk's words put a value again (a rank table's step, a tier at the same place).
    for (const m of settingMarks(baseRule)) {
      const at = m.path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Obj)[k] : undefined), node.rule);
      if (at && typeof at === 'object' && !Array.isArray(at)) (at as Obj).setting = m.mark;
    }
    row.kind = kindName(read);
    row.confirm = rr.confidence === 'high' ? '' : rr.confirm.join('；');
    row.basis = rr.readings.map((x) => `“${x.quote}”`).join(' ');
    if (rr.confidence !== 'high') problems.push(sp(i, 'params', importProblem('import.needsConfirm', hit.path, { id: node.id, reason: rr.confirm.join('；') })));
  });
  // a node without its row keeps what the base says
  for (const [key, n] of at) {
    if (!rowOf.has(key)) problems.push(sp(-1, null, importProblem('sheet.rowMissing', n.path, { id: String(n.node.id) })));
  }
  const head = `# yaml-language-server: $schema=./rubric.schema.json\n# 由“评分细则”表生成（dafen）。\n`;
  const yaml = head + stringify(rubric, { lineWidth: 0 });
  const loaded = loadProgram(yaml, String(rubric.source ?? SHEET_NAME));
  // each check problem on the row of the deepest node its path names; the column by what it names
  pathRow.sort((a, b) => b.path.length - a.path.length);
  for (const p of loaded.problems) {
    const hit = pathRow.find((x) => p.path === x.path || p.path.startsWith(`${x.path}.`));
    const rest = hit ? p.path.slice(hit.path.length) : '';
    const column: SheetColumn | null = !hit ? null : /^\.points/.test(rest) ? 'points' : /^\.(rule|cohort)/.test(rest) ? 'params' : /^\.title/.test(rest) ? 'title' : /^\.text/.test(rest) ? 'text' : null;
    problems.push(sp(hit ? hit.row : -1, column, p));
  }
  const blocked = problems.some((p) => p.severity === 'error');
  rows.forEach((row, i) => {
    const mine = problems.filter((p) => p.row === i && p.code !== 'import.needsConfirm');
    row.check = mine.length ? mine.map((p) => `${p.severity === 'error' ? '✗' : '⚠'} ${p.column ? `${SHEET_HEADERS[p.column].zh}：` : ''}${p.message.zh} / ${p.message.en}`).join('\n') : '✓';
  });
  return { rubric, yaml, program: blocked ? null : loaded.program, rows, problems };
}

/** The base rubric as the hidden sheet keeps it: YAML cut into cells (column A, top to bottom). */
export function baseCells(rubric: Record<string, unknown>): string[] {
  const yaml = stringify(rubric, { lineWidth: 0 });
  const out: string[] = [];
  for (let i = 0; i < yaml.length; i += BASE_CHUNK) out.push(yaml.slice(i, i + BASE_CHUNK));
  return out;
}

/** The base rubric from the hidden sheet's cells; null when they hold none. */
export function baseFromCells(cells: readonly unknown[]): Record<string, unknown> | null {
  const yaml = cells.map((c) => (c === null || c === undefined ? '' : String(c))).join('');
  if (!yaml.trim()) return null;
  try {
    const o = parse(yaml) as unknown;
    return o && typeof o === 'object' && !Array.isArray(o) && Array.isArray((o as Obj).variants) ? (o as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
