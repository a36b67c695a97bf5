/**
 * The 汇总 sheet: one row per unit with its variant, base, bonus, penalty, final, converted score,
 * rank (ties share: COUNTIF-based, toolchain.md), grade and veto, each a formula reading the unit's
 * sheet; plus one column per rank (R13) criterion holding every unit's figure, which the unit sheets'
 * rank formulas count over.
 */
import { X, evaluate, parseInput, statusFormula, toFormula, Dec, type FormulaEnv, type NodeModel, type Program, type Raw, type SheetModel, type UnitResult, type Value, type HandId } from '../engine';
import { Grid } from './grid';
import { absAddr, addr, colLetter, sheetRef } from './names';
import type { CellStyle, SheetPlan, SummaryColumn, WorkbookMeta } from './plan';
import { BODY_PT, TITLE_PT } from './styles';
import { formatDate, VETO_TEXT } from './unit-sheet';
import { PAGE_PX } from './columns';
import { columnPixels } from './text';
import { balancedTitle, pageFooter, summaryPages } from './print';

export const SUMMARY_NAME = '汇总';
export const SUMMARY_FIRST_ROW = 4;
/** The final score on the summary is rounded to 10 decimals so that ranks and grades never hinge on binary noise. */
export const FINAL_PLACES = 10;

export interface SummaryEntry {
  sheetName: string;
  sheet: SheetModel;
  result?: UnitResult;
  raw: Map<string, Raw>;
  computedAt: Map<string, string>;
  inputAt: Map<string, string>;
  /** The inputs' hidden state cells (2: rejected), by key. */
  stateAt: Map<string, string>;
  row: number;
}

export interface RankColumn {
  /** The rank criterion's input key. */
  key: string;
  /** Its variant: only that variant's units compete (another variant may reuse the id). */
  variant: string;
  /** `<variant>/<key>`: how the metadata names the column. */
  id: string;
  label: string;
  col: number;
}

/** Summary columns in order; figure columns follow. */
export function summaryColumns(program: Program): SummaryColumn[] {
  const p = program.policies;
  return ['no', 'unit', 'variant', 'base', 'bonus', 'penalty', 'final',
    ...(p.conversion ? ['converted' as const] : []), 'rank', ...(p.grades?.length ? ['grade' as const] : []),
    ...(program.vetoes?.length ? ['veto' as const] : []), 'status'];
}

const HEADERS: Record<SummaryColumn, string> = {
  no: '序号', unit: '被考核单位', variant: '类别', base: '基础分', bonus: '加分', penalty: '扣分', final: '总分',
  converted: '折合得分', rank: '名次', grade: '等次', veto: '一票否决', status: '状态',
};
const WIDTHS: Record<SummaryColumn, number> = {
  no: 5, unit: 18, variant: 8, base: 9, bonus: 8, penalty: 8, final: 10, converted: 9, rank: 6, grade: 8, veto: 13, status: 13,
};

export function rankColumnsFor(entries: { sheet: SheetModel }[], keysOf: (s: SheetModel) => string[], program: Program): RankColumn[] {
  const cols = summaryColumns(program);
  const out: RankColumn[] = [];
  for (const e of entries) {
    const variant = e.sheet.variant.id;
    for (const key of keysOf(e.sheet)) {
      if (out.some((c) => c.key === key && c.variant === variant)) continue;
      const spec = e.sheet.inputs.find((i) => i.key === key);
      const label = spec ? `${spec.label}${spec.unit ? `（${spec.unit}）` : ''}` : key;
      out.push({ key, variant, id: `${variant}/${key}`, label: program.variants.length > 1 ? `${label}·${e.sheet.variant.name}` : label, col: cols.length + out.length + 1 });
    }
  }
  return out;
}

/** The unit's cells in the cohort columns (see cohortMember). */
function putCohortCells(grid: Grid, row: number, e: SummaryEntry, env: FormulaEnv, cohortCols: CohortColumn[]): void {
  for (const cc of cohortCols) {
    const m = cc.variant === e.sheet.variant.id ? e.sheet.nodes.get(cc.id) : undefined;
    const cell = m ? cohortMember(m, env, (k) => e.raw.get(k)) : null;
    if (!cell) grid.put({ row, col: cc.col, style: 'sumFigure', value: null });
    else grid.put({ row, col: cc.col, style: 'sumFigure', formula: cell.formula, cached: cell.cached, computed: `cohort.${cc.variant}/${cc.id}` });
  }
}

/** A cohort clause's column on 汇总: every population member's own points on the criterion, others blank. */
export interface CohortColumn {
  /** The criterion id. */
  id: string;
  variant: string;
  label: string;
  stat: 'min' | 'mean';
  col: number;
}

/** One column per criterion with a cohort clause, per variant, after the rank columns. */
export function cohortColumnsFor(entries: { sheet: SheetModel }[], program: Program, firstCol: number): CohortColumn[] {
  const out: CohortColumn[] = [];
  for (const e of entries) {
    for (const m of e.sheet.nodes.values()) {
      if (!m.node.cohort || out.some((c) => c.id === m.id && c.variant === e.sheet.variant.id)) continue;
      const title = m.node.title || (m.node.text ?? m.id).slice(0, 12);
      const label = `${title}${program.variants.length > 1 ? `·${e.sheet.variant.name}` : ''}`;
      out.push({ id: m.id, variant: e.sheet.variant.id, label, stat: m.node.cohort.stat, col: firstCol + out.length });
    }
  }
  return out;
}

/**
 * Whether a unit belongs to criterion `m`'s cohort population, and its own figure — as a formula and as the
 * engine computes it (score.ts cohortStats): the clause may reach the unit (its tags), the unit is not scored by
 * it (flag not 是), did not mark it 不涉及 and entered every required own input. Null: never a member.
 */
export function cohortMember(m: NodeModel, env: FormulaEnv, raw: (key: string) => Raw): { formula: string; cached: number | '' } | null {
  const co = m.cohort;
  if (!m.applicable || !co || !co.among || co.mode === 'always') return null;
  const conds: string[] = [];
  const parsed = new Map<string, Value>();
  let member = true;
  for (const s of co.ownInputs) {
    const p = parseInput(s, raw(s.key));
    parsed.set(s.key, p.value);
    if (!s.optional) { conds.push(`${env.state(s.key)}=0`); if (p.blank || p.rejected) member = false; }
  }
  if (m.naKey) {
    conds.unshift(`NOT(${X.condFormula(X.isNa(m.naKey, m.inputs[0]?.type === 'yesno'), env)})`);
    if (parsed.get(m.naKey)?.t === 'na') member = false;
  }
  if (co.flagKey) {
    const spec = m.inputs.find((i) => i.key === co.flagKey)!;
    const f = parseInput(spec, raw(co.flagKey)).value;
    conds.push(`NOT(${X.condFormula(X.yes(co.flagKey), env)})`);
    if (f && f.t === 'bool' && f.v) member = false;
  }
  const own = toFormula(co.own, env);
  const formula = conds.length ? `IF(AND(${conds.join(',')}),${own},"")` : own;
  const v = evaluate(co.own, { value: (k) => parsed.get(k) ?? null, ref: () => new Dec(0), rank: () => new Dec(0) });
  return { formula, cached: member ? v.toNumber() : '' };
}

/**
 * A hand's own columns on 汇总 (multi-hand workbooks): its 总分, and the rank and cohort figure columns its
 * sheet formulas count over (each hand ranks among that hand's figures, as the engine scores it).
 */
export interface SummaryHand {
  hand: HandId;
  label: string;
  totalCol: number;
  rankCols: RankColumn[];
  cohortCols: CohortColumn[];
  /** The hand's cells and result per unit, in the order of the entries. */
  entries: SummaryEntry[];
}

export interface SummaryOptions {
  /** Rank units whose sheet is not complete as well (default: they get no 名次 until complete). */
  rankIncomplete?: boolean;
}

export function planSummary(
  program: Program, entries: SummaryEntry[], rankCols: RankColumn[], styles: Record<string, CellStyle>, date?: string, options: SummaryOptions = {},
  cohortCols: CohortColumn[] = [],
  hands: SummaryHand[] = [],
): { plan: SheetPlan; meta: WorkbookMeta['summary'] } {
  const cols = summaryColumns(program);
  const colOf = (c: SummaryColumn) => cols.indexOf(c) + 1;
  const widths = [...cols.map((c) => WIDTHS[c]), ...rankCols.map(() => 12), ...cohortCols.map(() => 12)];
  for (const h of hands) for (const c of [h.totalCol, ...h.rankCols.map((r) => r.col), ...h.cohortCols.map((r) => r.col)]) widths[c - 1] = c === h.totalCol ? WIDTHS.final : 12;
  const last = widths.length;
  const grid = new Grid(widths, styles);
  const firstRow = SUMMARY_FIRST_ROW;
  const lastRow = firstRow + entries.length - 1;

  const title = `${program.title}${program.title.endsWith('考核') ? '结果' : ''}汇总表`;
  grid.putMerged({ top: 1, left: 1, bottom: 1, right: last }, { style: 'title', value: balancedTitle(title, widths.reduce((a, w) => a + columnPixels(w), 0), TITLE_PT) });
  grid.putMerged({ top: 2, left: 1, bottom: 2, right: last }, { style: 'subtitle', value: `${program.variants[0].dateLabel}：${formatDate(date)}\u3000\u3000\u3000\u3000名次：${program.policies.rankScope === 'program' ? '全部单位统一排名' : '按类别分别排名'}，同分同名次` });
  cols.forEach((c, j) => grid.put({ row: 3, col: j + 1, style: 'header', value: HEADERS[c] }));
  rankCols.forEach((r) => grid.put({ row: 3, col: r.col, style: 'header', value: `${r.label}\n（排名依据）` }));
  cohortCols.forEach((c) => grid.put({ row: 3, col: c.col, style: 'header', value: `${c.label}\n（${c.stat === 'min' ? '最低分' : '平均分'}依据）` }));
  for (const h of hands) {
    grid.put({ row: 3, col: h.totalCol, style: 'header', value: `${h.label}总分` });
    h.rankCols.forEach((r) => grid.put({ row: 3, col: r.col, style: 'header', value: `${r.label}\n（${h.label}排名依据）` }));
    h.cohortCols.forEach((c) => grid.put({ row: 3, col: c.col, style: 'header', value: `${c.label}\n（${h.label}${c.stat === 'min' ? '最低分' : '平均分'}依据）` }));
  }
  grid.minHeight(1, TITLE_PT * 1.6);
  grid.minHeight(2, BODY_PT * 2);

  const variantName = (id: string) => program.variants.find((v) => v.id === id)?.name ?? id;
  const rng = (c: SummaryColumn) => `${absAddr(firstRow, colOf(c))}:${absAddr(lastRow, colOf(c))}`;
  const envOf = (e: SummaryEntry): FormulaEnv => {
    const env: FormulaEnv = {
      cell: (key) => {
        const at = e.inputAt.get(key);
        if (!at) throw new Error(`no input ${key}`);
        return `${sheetRef(e.sheetName)}!${at}`;
      },
      ref: (id) => {
        const at = e.computedAt.get(id);
        if (at) return `${sheetRef(e.sheetName)}!${at}`;
        const ex = e.sheet.cells.get(id);
        if (!ex) return '0';
        const f = toFormula(ex, env);
        return ex.op === '+' || ex.op === '-' || ex.op === '*' || ex.op === '/' ? `(${f})` : f;
      },
      rankRange: () => { throw new Error('no rank on the summary'); },
      state: (key) => {
        const at = e.stateAt.get(key);
        if (!at) throw new Error(`no input ${key}`);
        return `${sheetRef(e.sheetName)}!${at}`;
      },
    };
    return env;
  };
  const putFigures = (row: number, e: SummaryEntry, env: FormulaEnv, rcs: RankColumn[], ccs: CohortColumn[]) => {
    for (const rc of rcs) {
      const at = rc.variant === e.sheet.variant.id ? e.inputAt.get(rc.key) : undefined;
      if (!at) {
        grid.put({ row, col: rc.col, style: 'sumFigure', value: null });
        continue;
      }
      // Only an accepted number takes a place: a blank, 不涉及, text or a rejected value stays out of COUNTIF, as in the engine.
      const ref = `${sheetRef(e.sheetName)}!${at}`;
      const v = rankFigure(e, rc.key);
      grid.put({ row, col: rc.col, style: 'sumFigure', formula: `IF(${env.state(rc.key)}=2,"",IF(ISNUMBER(${ref}),${ref},""))`, cached: v ?? '', computed: `figure.${rc.id}` });
    }
    putCohortCells(grid, row, e, env, ccs);
  };
  entries.forEach((e, i) => {
    const row = e.row;
    const env = envOf(e);
    const r = e.result;
    const put = (c: SummaryColumn, cell: { value?: string | number | null; formula?: string; cached?: number | string }, style: string) =>
      grid.put({ row, col: colOf(c), style, ...cell, ...(cell.formula !== undefined ? { computed: `summary.${c}` } : {}) });
    put('no', { value: i + 1 }, 'sumText');
    put('unit', { value: e.sheet.unit.name }, 'sumText');
    put('variant', { value: variantName(e.sheet.variant.id) }, 'sumText');
    put('base', { formula: toFormula(X.ref('$base'), env), cached: r?.base ?? 0 }, 'sumScore');
    put('bonus', { formula: toFormula(X.ref('$bonus'), env), cached: r?.bonus ?? 0 }, 'sumScore');
    put('penalty', { formula: toFormula(X.ref('$penalty'), env), cached: r?.penalty ?? 0 }, 'sumScore');
    put('final', { formula: `ROUND(${toFormula(X.ref('$final'), env)},${FINAL_PLACES})`, cached: r?.final ?? 0 }, 'sumScore');
    const fin = addr(row, colOf('final'));
    if (cols.includes('converted')) put('converted', { formula: toFormula(X.ref('$converted'), env), cached: r?.converted ?? 0 }, 'sumScore');
    const st = addr(row, colOf('status'));
    put('status', statusCell(e), 'sumText');
    put('rank', rankCell(program, entries, e, options, rng, fin, st, addr(row, colOf('variant'))), 'sumRank');
    if (cols.includes('grade')) {
      const grades = program.policies.grades ?? [];
      const f = grades.reduceRight<string>((acc, g) => `IF(${fin}>=${toFormula(X.num(g.min), env)},"${g.label.replace(/"/g, '""')}",${acc})`, '""');
      put('grade', { formula: f, cached: r?.grade ?? '' }, 'sumText');
    }
    if (cols.includes('veto')) {
      const at = e.computedAt.get('$veto');
      put('veto', { formula: at ? `${sheetRef(e.sheetName)}!${at}` : '""', cached: r?.veto ? VETO_TEXT : '' }, 'sumVeto');
    }
    putFigures(row, e, env, rankCols, cohortCols);
    for (const h of hands) {
      const he = h.entries[i];
      const henv = envOf(he);
      grid.put({ row, col: h.totalCol, style: 'sumScore', formula: `ROUND(${toFormula(X.ref('$final'), henv)},${FINAL_PLACES})`, cached: he.result?.final ?? 0, computed: `summary.${h.hand}.final` });
      putFigures(row, he, henv, h.rankCols, h.cohortCols);
    }
  });

  const totalPx = widths.reduce((a, w) => a + columnPixels(w), 0);
  const printLast = Math.max(lastRow, 3);
  const heights = grid.rowHeights(printLast, 20, firstRow);
  const pages = summaryPages(heights, printLast, grid.merges, totalPx);
  const metaCols: Partial<Record<SummaryColumn, string>> = {};
  cols.forEach((c) => (metaCols[c] = colLetter(colOf(c))));
  const plan = grid.toSheet({
    name: SUMMARY_NAME,
    kind: 'summary',
    state: 'visible',
    columns: widths.map((w) => ({ width: w })),
    rowHeights: heights,
    validations: [],
    protection: { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true, autoFilter: true },
    print: {
      paperSize: 9, orientation: totalPx <= PAGE_PX.portrait * 1.12 ? 'portrait' : 'landscape', fitToWidth: 1, fitToHeight: 0,
      printArea: `A$1:${colLetter(last)}$${Math.max(lastRow, 3)}`, printTitlesRow: '3:3',
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.25, footer: 0.25 },
      horizontalCentered: true, footer: pageFooter(pages.pages), rowBreaks: pages.breaks, firstPageNumber: 1, pages: pages.pages,
    },
    freeze: { rows: 3, cols: 2 },
    autoFilter: entries.length ? `A3:${colLetter(last)}${lastRow}` : undefined,
    conditional: entries.length ? [{ type: 'dataBar', ref: `${colLetter(colOf('final'))}${firstRow}:${colLetter(colOf('final'))}${lastRow}`, color: '5B9BD5' }] : [],
    tabColor: '5B9BD5',
  });
  return {
    plan,
    meta: {
      sheet: SUMMARY_NAME, firstRow, lastRow, cols: metaCols, rankCols: Object.fromEntries(rankCols.map((r) => [r.id, colLetter(r.col)])),
      ...(hands.length ? { hands: hands.map((h) => ({ hand: h.hand, final: colLetter(h.totalCol), rankCols: Object.fromEntries(h.rankCols.map((r) => [r.id, colLetter(r.col)])) })) } : {}),
    },
  };
}

// ---------- 状态 and 名次 (issue 13): the 汇总 tells which sheets are complete ----------

/** The unit's status, computed from its sheet's two counts (so WPS shows it without the add-in). */
function statusCell(e: SummaryEntry): { formula: string; cached: string } {
  const at = (id: string) => {
    const a = e.computedAt.get(id);
    if (!a) throw new Error(`no ${id} on ${e.sheetName}`);
    return `${sheetRef(e.sheetName)}!${a}`;
  };
  return { formula: statusFormula(at('$errors'), at('$missing')), cached: e.result ? e.result.status.zh : '完成' };
}

const isComplete = (r: UnitResult | undefined): boolean => !r || (r.errors === 0 && r.missing === 0);

/**
 * 名次: 1 + the number of peers with a higher 总分 — by default among complete units only, and blank for a unit
 * whose sheet is not complete (its 状态 says why); with `rankIncomplete`, among every unit.
 */
function rankCell(
  program: Program, entries: SummaryEntry[], e: SummaryEntry, options: SummaryOptions,
  rng: (c: SummaryColumn) => string, fin: string, status: string, variant: string,
): { formula: string; cached: number | string } {
  const scoped = program.policies.rankScope !== 'program';
  const peers = entries.filter((x) => !scoped || x.sheet.variant.id === e.sheet.variant.id);
  const mine = e.result?.final ?? 0;
  if (options.rankIncomplete) {
    const f = scoped ? `COUNTIFS(${rng('variant')},${variant},${rng('final')},">"&${fin})+1` : `COUNTIF(${rng('final')},">"&${fin})+1`;
    return { formula: f, cached: 1 + peers.filter((x) => (x.result?.final ?? 0) > mine).length };
  }
  const done = `${rng('status')},"完成"`;
  const f = `IF(${status}="完成",COUNTIFS(${scoped ? `${rng('variant')},${variant},` : ''}${done},${rng('final')},">"&${fin})+1,"")`;
  const cached = isComplete(e.result) ? 1 + peers.filter((x) => isComplete(x.result) && (x.result?.final ?? 0) > mine).length : '';
  return { formula: f, cached };
}

/** The engine's accepted figure of a rank input (null: blank, 不涉及 or rejected). */
function rankFigure(e: SummaryEntry, key: string): number | null {
  if (!e.result) return null;
  if (e.result.problems.some((p) => p.severity === 'error' && p.path === key)) return null;
  const raw = e.raw.get(key);
  return typeof raw === 'number' ? raw : null;
}
