/**
 * One unit's 打分表, laid out like the document's own table: title, the 被考核单位/日期 line, the
 * document's columns then 录入 | 得分 | 备注; section and indicator cells merged over their rows;
 * one input row per input (a criterion with several lines gets one row per line); a subtotal row
 * per section and indicator with its cap; then the totals, and the 一票否决 questions.
 */
import { Dec, FLAG_PLACES, X, settingsOf, aggregateFigures, firstScoringHand, spreadOf, handLabel, scoringHands, explanationOf, fmt, nodeLabel, readCell, toFormula, condFormula, naKeysOf, cohortFlagsOf, cohortPendingConds, stateFormula, statusFormula, type FormulaEnv, type InputSpec, type InputsIn, type NodeModel, type Program, type Raw, type SheetModel, type TotalId, type UnitResult, type NodeResult, type HandId, type RatersPolicy } from '../engine';
import { PAGE_PX, REASON_HEADER, fitColumns, slotsOf } from './columns';
import { Grid } from './grid';
import { addr, colLetter, colNumber } from './names';
import { paginate, splitMerges } from './pages';
import { balancedTitle, pageFooter } from './print';
import type { CellPlan, CellStyle, SheetMeta, SheetPlan, Validation } from './plan';
import { BODY_PT, TITLE_PT } from './styles';
import { columnPixels } from './text';
import { inputLabel, validationFor } from './validation';
import { cellValues } from './values';
import { liveNote, type NoteContext } from './notes';

export const HEADER_ROWS = 3;

/**
 * The signature lines under every unit's table, as on the official form: 考核人、审核人、被考核单位负责人
 * and 日期, each with room to sign by hand.
 */
export const SIGNATURE_LINES = [
  '考核人：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000审核人：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000',
  '被考核单位负责人：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000日期：\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日',
];
export const VETO_TEXT = '取消评优资格';

export interface UnitSheetArgs {
  program: Program;
  sheet: SheetModel;
  result?: UnitResult;
  inputs: InputsIn;
  /** Raw values per input key, as they go into the input cells. */
  raw: Map<string, Raw>;
  name: string;
  index: number;
  summaryRow: number;
  rankRange(key: string): string;
  /** The 汇总 range of a cohort clause's population figures (criterion id). */
  cohortRange?(id: string): string;
  /** The 本表设定 cell holding a setting's value in force (layout/settings.ts). */
  settingRef?(key: string): string;
  date?: string;
  styles: Record<string, CellStyle>;
  /** Write the engine's explanation of each criterion into 备注 (for scored copies). */
  explain: boolean;
  /** 扣分依据/说明 the assessor wrote, by criterion id (`$veto` for the 一票否决 block): written back as typed. */
  remarks?: Readonly<Record<string, string>>;
  /** When the explanations were made (`2026-12-01 22:58`): a 备注 no formula keeps current says it is as of then. */
  scoredAt?: string;
  /**
   * Several hands (self-assessment, raters): their columns. Absent: today's sheet, one assessor. `result`
   * and `raw` above are then the unit's own points (the assessor's, or the raters' aggregate, with the status
   * over every hand) and the first scoring hand's cells.
   */
  hands?: HandSheet;
}

/** What a multi-hand sheet needs besides the unit's own result. */
export interface HandSheet {
  hands: HandId[];
  raters?: RatersPolicy;
  /** Each hand's own result and cell contents. */
  per: Map<HandId, { result?: UnitResult; raw: Map<string, Raw> }>;
  /** Raters: MAX − MIN by id; criteria flagged 相差过大. Self: 自评 − 考核 by id (not 0). */
  spread?: Record<string, number>;
  wide?: string[];
  diff?: Record<string, number>;
  rankRange(key: string, hand: HandId): string;
  cohortRange?(id: string, hand: HandId): string;
}

/** The text a 相差过大 flag shows (raters' figures on a criterion differ by more than the policy's spread). */
export const WIDE_TEXT = '相差过大';

export interface UnitSheetOut {
  plan: SheetPlan;
  meta: SheetMeta;
  /** Address of every placed computed cell, by id. */
  computedAt: Map<string, string>;
  inputAt: Map<string, string>;
  /** Address of every input's hidden state cell (inputs.ts: stateFormula), by key. */
  stateAt: Map<string, string>;
  /** A multi-hand sheet: each hand's own cells (inputs, 得分, state), by hand. */
  handMaps?: Map<HandId, { inputAt: Map<string, string>; computedAt: Map<string, string>; stateAt: Map<string, string> }>;
}

type Tok = { key: string; value: string | number | null; style: string } | null; // null: free

type Row =
  | { kind: 'input'; node: NodeModel; chain: NodeModel[]; spec: InputSpec; first: boolean; last: boolean }
  | { kind: 'na'; node: NodeModel; chain: NodeModel[] }
  | { kind: 'subtotal'; node: NodeModel; chain: NodeModel[] }
  | { kind: 'heading'; node: NodeModel }
  | { kind: 'total'; id: TotalId; label: string; note: string }
  | { kind: 'status' }
  | { kind: 'veto'; spec: InputSpec; text: string; first: boolean; last: boolean }
  /** A parent item's own text, printed before its parts as the document reads. */
  | { kind: 'lead'; node: NodeModel; chain: NodeModel[] }
  /** A line under the table: the document's 注 or a 本表设定 parameter. */
  | { kind: 'foot'; text: string };

/** `2019-01-15` → `2019年1月15日`. */
export function formatDate(iso?: string): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

/** The `被考核单位：<unit>\u3000\u3000日期：<date>` line (row 2). */
export const unitLine = (sheet: SheetModel, date?: string): string =>
  `${sheet.variant.unitLabel}：${sheet.unit.name}\u3000\u3000\u3000\u3000${sheet.variant.dateLabel}：${formatDate(date)}`;

/**
 * The sheet of another unit with the same rows (same variant, same criteria applicable) and no
 * inputs: everything is shared but the unit line, the sheet marker, the name and the summary row.
 * Plans are plain immutable data, so sharing cells between sheets is safe.
 */
export function instantiate(t: UnitSheetOut, sheet: SheetModel, name: string, index: number, summaryRow: number, date?: string): UnitSheetOut {
  const markerCol = colNumber(t.meta.markerCol);
  const cells = t.plan.cells.map((c) =>
    c.row === 2 && c.col === 1 ? { ...c, value: unitLine(sheet, date) } : c.row === 1 && c.col === markerCol ? { ...c, value: `sheet:${index}` } : c);
  return {
    plan: { ...t.plan, name, cells },
    meta: { ...t.meta, index, name, unit: sheet.unit.name, tags: sheet.unit.tags.length ? sheet.unit.tags : undefined, summaryRow },
    computedAt: t.computedAt,
    inputAt: t.inputAt,
    stateAt: t.stateAt,
    ...(t.handMaps ? { handMaps: t.handMaps } : {}),
  };
}

const pts = (d: { toNumber(): number } | null): number | null => (d ? d.toNumber() : null);

function totalsRows(sheet: SheetModel): Row[] {
  const p = sheet.program.policies;
  const hasBonus = sheet.roots.some((r) => r.role === 'bonus');
  const hasPenalty = sheet.roots.some((r) => r.role === 'penalty');
  const rescale = p.notApplicable.policy === 'rescale';
  const full = fmt(sheet.fullMark, 4);
  const rows: Row[] = [];
  const add = (id: TotalId, label: string, note: string) => {
    if (sheet.cells.has(id)) rows.push({ kind: 'total', id, label, note });
  };
  if (rescale) {
    add('$baseRaw', '基础分（适用项目得分）', '各考核项目小计之和');
    add('$naMax', '不涉及项目分值', '不涉及（不适用）项目的分值之和，不计入满分');
    add('$base', `基础分（按适用项目折算为${full}分制）`, `适用项目得分×${full}÷（${full}－不涉及项目分值）`);
  } else if (hasBonus || hasPenalty) {
    add('$base', `基础分（满分${full}分）`, '各考核项目小计之和');
  }
  if (hasBonus) add('$bonus', '加分', '加分项目小计之和');
  if (hasPenalty) add('$penalty', '扣分', '扣分项目小计之和');
  if (p.netCap && (hasBonus || hasPenalty)) add('$adjust', `加减分（累计最高±${fmt(p.netCap)}分）`, `${p.netCapQuote ? `${p.netCapQuote}\n` : ''}加分－扣分，累计不超过±${fmt(p.netCap)}分`);
  const parts = ['基础分', ...(hasBonus ? ['加分'] : []), ...(hasPenalty ? ['扣分'] : [])];
  add('$final', '合计（总得分）', `${hasBonus || hasPenalty ? `${parts.join('＋').replace('＋扣分', '－扣分')}` : '各考核项目小计之和'}${p.floorFinal ? '，最低0分' : ''}`);
  if (p.conversion) add('$converted', `折合得分（满分${fmt(p.conversion.from)}分折合${fmt(p.conversion.to)}分）`, `总得分×${fmt(p.conversion.to)}÷${fmt(p.conversion.from)}`);
  return rows;
}

/** The 录入 cell of a criterion scored only by its cohort clause (no input of its own). */
const cohortRowLabel = (m: NodeModel): string => `按${m.cohort!.amongLabel}${m.cohort!.stat === 'min' ? '最低' : '平均'}得分计（见汇总表）`;

/** Whether a parent's own text gets a row before its parts (its parts have texts of their own). */
const leads = (m: NodeModel, textShown: boolean): boolean => textShown && !m.isCriterion && Boolean(m.node.text) && m.children.some((c) => c.node.text);

/**
 * The lines under the table: the variant's footnotes (注：…) verbatim, then every criterion whose rule holds a
 * value the document does not state (`setting`), marked 本表设定，文件未规定; the values are on the 本表设定 sheet.
 */
function footRows(sheet: SheetModel): Row[] {
  const rows: Row[] = (sheet.variant.footnotes ?? []).map((text) => ({ kind: 'foot', text }));
  const set = settingsOf(sheet.program).filter((s) => s.variant === sheet.variant.id);
  for (const m of sheet.nodes.values()) {
    const mine = set.filter((s) => s.criterionId === m.id);
    if (mine.length && m.applicable) {
      rows.push({ kind: 'foot', text: `本表设定，文件未规定：${nodeLabel(m.node)}——${mine.map((s) => s.mark.label).join('、')}（取值见“本表设定”表，可修改）` });
    }
  }
  return rows;
}

function subtotalLabel(m: NodeModel, ownLevelShown: boolean): { label: string; note: string } {
  const cap = m.cap ? fmt(m.cap, 4) : null;
  const what = m.node.aggregate === 'max' ? '取最高分' : '小计';
  const role = m.role === 'bonus' ? '加分' : m.role === 'penalty' ? '扣分' : '';
  const limit = cap ? (m.role === 'base' && m.effect === 'add' ? `满分${cap}分` : `最多${role ? role.slice(0, 1) : '计'}${cap}分`) : '';
  const head = ownLevelShown || !m.node.title ? '' : `${m.node.title} `;
  const label = `${head}${role}${what}${limit ? `（${limit}）` : ''}`;
  const bits: string[] = [];
  if (m.node.aggregate === 'max') bits.push('取下级得分最高者');
  if (m.children.some((c) => c.effect === 'subtract')) bits.push('减去本项扣分');
  if (cap) bits.push(`超过${cap}分按${cap}分计`);
  if (m.floor) bits.push('最低0分');
  return { label, note: bits.join('，') };
}

export function planUnitSheet(a: UnitSheetArgs): UnitSheetOut {
  const { sheet, styles } = a;
  const variant = sheet.variant;
  const k = variant.columns.length;
  // Hands: one input column and one 得分 column each; raters add 考核得分 (their aggregate), 分差 and 标记; self adds 差异.
  const hs = a.hands;
  const handList: HandId[] = hs?.hands ?? ['assessor'];
  const nH = handList.length;
  const firstH = firstScoringHand(handList);
  const scoring = scoringHands(handList);
  const raters = hs?.raters && scoring[0] !== 'assessor' ? hs.raters : undefined;
  const multi = hs !== undefined && !(nH === 1 && handList[0] === 'assessor');
  const VH = new Map(handList.map((h, i) => [h, k + 2 + i]));
  const SCH = new Map(handList.map((h, i) => [h, k + 2 + nH + i]));
  let nextCol = k + 2 + 2 * nH;
  const AGG = raters ? nextCol++ : 0;
  const SPR = raters ? nextCol++ : 0;
  const FLAG = raters && raters.spread !== undefined ? nextCol++ : 0;
  const DIFF = multi && handList.includes('self') ? nextCol++ : 0;
  const slots = multi
    ? [...variant.columns.map((c) => c.source), 'inLabel', ...handList.map(() => 'handValue'), ...handList.map(() => 'handScore'),
      ...(AGG ? ['score'] : []), ...(SPR ? ['handScore'] : []), ...(FLAG ? ['flag'] : []), ...(DIFF ? ['handScore'] : []), 'note', 'reason']
    : slotsOf(variant);
  const fitted = fitColumns(slots, [...variant.columns.map((c) => c.width), ...slots.slice(k).map(() => undefined)], variant.orientation);
  // 录入 (label | value), 得分, 备注, 扣分依据/说明, then the hidden marker column and the hidden state column.
  const L = k + 1, V = VH.get(firstH)!, S = raters ? AGG : SCH.get('assessor')!, N = nextCol, R = nextCol + 1, M = nextCol + 2;
  /** The last input column, and the first score column. */
  const VL = k + 1 + nH, S0 = k + 2 + nH;
  /** The hidden state columns (inputs.ts: stateFormula), one per hand, right of the marker column. */
  const HH = new Map(handList.map((h, i) => [h, M + 1 + i]));
  const H = HH.get(firstH)!;
  const grid = new Grid([...fitted.widths, 2, ...handList.map(() => 2)], styles);
  const maxLevel = Math.max(0, ...variant.columns.map((c) => (/^level(\d)$/.exec(c.source) ? Number(c.source.slice(5)) : 0)));

  // ---- rows ----
  const rows: Row[] = [];
  const hasLevel1 = variant.columns.some((c) => c.source === 'level1');
  const textShown = variant.columns.some((c) => c.source === 'text');
  const visit = (m: NodeModel, chain: NodeModel[]) => {
    const ch = [...chain, m];
    // Without a 考核项目 (level1) column, a section's title gets a heading row of its own, as in the document.
    if (m.depth === 1 && !hasLevel1 && m.node.title) rows.push({ kind: 'heading', node: m });
    if (leads(m, textShown)) rows.push({ kind: 'lead', node: m, chain: ch });
    if (m.isCriterion) {
      if (m.inputs.length === 0) rows.push({ kind: 'na', node: m, chain: ch });
      else m.inputs.forEach((spec, i) => rows.push({ kind: 'input', node: m, chain: ch, spec, first: i === 0, last: i === m.inputs.length - 1 }));
    } else {
      m.children.forEach((c) => visit(c, ch));
      rows.push({ kind: 'subtotal', node: m, chain: ch });
    }
  };
  sheet.roots.forEach((r) => visit(r, []));
  rows.push(...totalsRows(sheet));
  rows.push({ kind: 'status' });
  const vetoes = sheet.program.vetoes ?? [];
  sheet.vetoInputs.forEach((spec, i) => rows.push({ kind: 'veto', spec, text: vetoes[i]?.label ?? spec.label, first: i === 0, last: i === sheet.vetoInputs.length - 1 }));
  rows.push(...footRows(sheet));

  const first = HEADER_ROWS + 1;
  const rowOf = (i: number) => first + i;
  const lastRow = first + rows.length - 1;

  // ---- addresses ----
  const inputAtH = new Map(handList.map((h) => [h, new Map<string, string>()]));
  const computedAtH = new Map(handList.map((h) => [h, new Map<string, string>()]));
  const inputAt = inputAtH.get(firstH)!;
  const computedAt = new Map<string, string>();
  const placeHands = (row: number, id: string) => { for (const h of handList) computedAtH.get(h)!.set(id, addr(row, SCH.get(h)!)); };
  const cellKind = new Map<string, SheetMeta['cells'][number]['kind']>();
  let vetoFirst = 0, vetoLast = 0;
  rows.forEach((r, i) => {
    const row = rowOf(i);
    if (r.kind === 'input') {
      for (const h of handList) inputAtH.get(h)!.set(r.spec.key, addr(row, VH.get(h)!));
      if (r.first) { computedAt.set(r.node.id, addr(row, S)); cellKind.set(r.node.id, 'criterion'); placeHands(row, r.node.id); }
    } else if (r.kind === 'na') {
      computedAt.set(r.node.id, addr(row, S)); cellKind.set(r.node.id, 'criterion'); placeHands(row, r.node.id);
    } else if (r.kind === 'subtotal') {
      computedAt.set(r.node.id, addr(row, S)); cellKind.set(r.node.id, 'subtotal'); placeHands(row, r.node.id);
    } else if (r.kind === 'total') {
      computedAt.set(r.id, addr(row, S)); cellKind.set(r.id, 'total'); placeHands(row, r.id);
    } else if (r.kind === 'status') {
      placeStatusCells(computedAt, cellKind, row, multi ? S0 : S, H);
    } else if (r.kind === 'veto') {
      for (const h of handList) inputAtH.get(h)!.set(r.spec.key, addr(row, VH.get(h)!));
      if (r.first) { computedAt.set('$veto', addr(row, S)); cellKind.set('$veto', 'veto'); vetoFirst = row; placeHands(row, '$veto'); }
      if (r.last) vetoLast = row;
    }
  });

  // ---- formulas ----
  // One hand's formulas: the rubric's expressions over that hand's input, state and score columns.
  const envOf = (ins: ReadonlyMap<string, string>, outs: ReadonlyMap<string, string>, h: HandId, stateCol: number): FormulaEnv => {
    const cell = (key: string) => {
      const at = ins.get(key);
      if (!at) throw new Error(`input ${key} has no cell on sheet ${a.name}`);
      return at;
    };
    const e: FormulaEnv = {
      cell,
      ref: (id) => {
        const at = outs.get(id);
        if (at) return at;
        const x = sheet.cells.get(id);
        if (!x) throw new Error(`no computed cell ${id}`);
        const f = toFormula(x, e);
        return x.op === '+' || x.op === '-' || x.op === '*' || x.op === '/' ? `(${f})` : f;
      },
      rankRange: (key) => (hs ? hs.rankRange(key, h) : a.rankRange(key)),
      setting: (key) => {
        if (!a.settingRef) throw new Error(`setting ${key} has no 本表设定 cell on sheet ${a.name}`);
        return a.settingRef(key);
      },
      cohortRange: (id) => {
        if (hs?.cohortRange) return hs.cohortRange(id, h);
        if (!a.cohortRange) throw new Error(`cohort criterion ${id} has no summary column on sheet ${a.name}`);
        return a.cohortRange(id);
      },
      state: (key) => addr(parseRow(cell(key)), stateCol),
    };
    return e;
  };
  const env = envOf(inputAt, computedAt, firstH, H);
  const envH = new Map<HandId, FormulaEnv>(handList.map((h) => [h, envOf(inputAtH.get(h)!, computedAtH.get(h)!, h, HH.get(h)!)]));
  const per = (h: HandId) => hs?.per.get(h) ?? { result: a.result, raw: a.raw };
  const handValues = new Map(handList.map((h) => [h, multi ? cellValues(sheet, per(h).result, per(h).raw) : new Map<string, number>()]));
  const isCrit = (id: string) => sheet.nodes.get(id)?.isCriterion === true;
  const aggregated = (id: string) => raters !== undefined && (raters.on === 'total' || isCrit(id));
  const values = cellValues(sheet, a.result, a.raw);
  if (raters) {
    // The aggregate column's own figures: what its formulas compute from the raters' cells.
    for (const id of sheet.cells.keys()) {
      if (aggregated(id)) values.set(id, aggregateFigures(scoring.map((h) => new Dec(handValues.get(h)!.get(id) ?? 0)), raters.aggregate).toNumber());
    }
  }
  const list = (id: string) => scoring.map((h) => computedAtH.get(h)!.get(id)!).join(',');
  const aggFormula = (id: string): string => (raters!.aggregate === 'trimmedMean'
    ? `(SUM(${list(id)})-MAX(${list(id)})-MIN(${list(id)}))/${scoring.length - 2}`
    : `SUM(${list(id)})/${scoring.length}`);
  const formulaCell = (id: string, style: string): Omit<CellPlan, 'row' | 'col'> => {
    if (aggregated(id)) return { style, formula: aggFormula(id), cached: values.get(id) ?? 0, computed: id };
    const e = sheet.cells.get(id)!;
    return { style, formula: toFormula(e, env), cached: values.get(id) ?? 0, computed: id };
  };
  /** The other hands' 得分 cells beside the unit's own, and the 分差 / 标记 / 差异 cells, merged over `span` rows. */
  const handCells = (row: number, span: number, id: string, style: string, criterion: boolean) => {
    if (!multi) return;
    const at = (col: number, cell: Omit<CellPlan, 'row' | 'col'>) => (span > 1 ? grid.putMerged({ top: row, left: col, bottom: row + span - 1, right: col }, cell) : grid.put({ row, col, ...cell }));
    for (const h of handList) {
      const col = SCH.get(h)!;
      if (col === S) continue;
      const e = sheet.cells.get(id)!;
      at(col, { style, formula: toFormula(e, envH.get(h)!), cached: handValues.get(h)!.get(id) ?? 0 });
    }
    const scoreStyle = style.replace(/Deduct$/, '');
    // The engine's spread and difference (hands.ts) for nodes and totals; the rows a UnitResult does not carry ($baseRaw, $naMax) from the hands' cell values alike.
    const figs = scoring.map((h) => new Dec(handValues.get(h)!.get(id) ?? 0));
    const spread = id in (hs!.spread ?? {}) ? hs!.spread![id] : spreadOf(figs).toNumber();
    if (SPR) at(SPR, { style: scoreStyle, formula: `ROUND(MAX(${list(id)})-MIN(${list(id)}),6)`, cached: new Dec(spread).toDecimalPlaces(FLAG_PLACES, Dec.ROUND_HALF_UP).toNumber() });
    if (FLAG) {
      at(FLAG, criterion
        ? { style: 'veto', formula: `IF(ROUND(MAX(${list(id)})-MIN(${list(id)}),6)>${raters!.spread},"${WIDE_TEXT}","")`, cached: hs!.wide?.includes(id) ? WIDE_TEXT : '' }
        : { style: scoreStyle, value: null });
    }
    if (DIFF) {
      const d = `ROUND(${computedAtH.get('self')!.get(id)}-${computedAt.get(id)},6)`;
      const own = id in (hs!.diff ?? {}) || sheet.nodes.has(id) || ['$base', '$bonus', '$penalty', '$adjust', '$final', '$converted'].includes(id);
      const dv = new Dec(handValues.get('self')!.get(id) ?? 0).minus(values.get(id) ?? 0).toDecimalPlaces(FLAG_PLACES, Dec.ROUND_HALF_UP);
      at(DIFF, { style: scoreStyle, formula: `IF(${d}=0,"",${d})`, cached: own ? hs!.diff?.[id] ?? '' : dv.isZero() ? '' : dv.toNumber() });
    }
  };
  const notes = noteContext(sheet, env, values, a.result, a.raw);
  const explanations = new Map<string, string>();
  if (a.result) {
    const problems = a.result.problems;
    const walk = (ns: NodeResult[]) => ns.forEach((n) => { explanations.set(n.id, explanationOf(n, problems).zh); walk(n.children); });
    walk(a.result.nodes);
  }

  // ---- header ----
  const tableWidthPx = fitted.widths.reduce((s, w) => s + columnPixels(w), 0);
  grid.putMerged({ top: 1, left: 1, bottom: 1, right: R }, { style: 'title', value: balancedTitle(variant.title, tableWidthPx, TITLE_PT) });
  grid.putMerged({ top: 2, left: 1, bottom: 2, right: R }, { style: 'subtitle', value: unitLine(sheet, a.date) });
  variant.columns.forEach((c, j) => grid.put({ row: 3, col: j + 1, style: 'header', value: c.header }));
  if (multi) {
    grid.put({ row: 3, col: L, style: 'header', value: '录入' });
    for (const h of handList) {
      grid.put({ row: 3, col: VH.get(h)!, style: 'header', value: handLabel(h) });
      grid.put({ row: 3, col: SCH.get(h)!, style: 'header', value: `${handLabel(h)}得分` });
    }
    if (AGG) grid.put({ row: 3, col: AGG, style: 'header', value: raters!.aggregate === 'trimmedMean' ? '考核得分（去掉最高最低分）' : '考核得分（平均）' });
    if (SPR) grid.put({ row: 3, col: SPR, style: 'header', value: '分差' });
    if (FLAG) grid.put({ row: 3, col: FLAG, style: 'header', value: `分差超过${fmt(raters!.spread!, 4)}分` });
    if (DIFF) grid.put({ row: 3, col: DIFF, style: 'header', value: '差异（自评－考核）' });
  } else {
    grid.putMerged({ top: 3, left: L, bottom: 3, right: V }, { style: 'header', value: '录入' });
    grid.put({ row: 3, col: S, style: 'header', value: '得分' });
  }
  grid.put({ row: 3, col: N, style: 'header', value: '备注' });
  grid.put({ row: 3, col: R, style: 'header', value: REASON_HEADER });
  grid.minHeight(1, TITLE_PT * 1.6);
  grid.minHeight(2, BODY_PT * 2);

  // ---- document columns: tokens per row, merged into rectangles ----
  let ordinal = 0;
  const ordinals = new Map<string, number>();
  const nearest = (chain: NodeModel[], field: 'method' | 'content' | 'text' | 'target'): NodeModel | undefined => [...chain].reverse().find((n) => n.node[field]);
  const levelTok = (n: NodeModel, depth: number): Tok => ({ key: `L${depth}:${n.id}`, value: n.node.title, style: depth === 1 ? 'level' : 'text' });
  const grid2: Tok[][] = rows.map((r, i) => {
    const toks: Tok[] = [];
    const blank = (j: number): Tok => ({ key: `_:${i}:${j}`, value: null, style: 'text' });
    variant.columns.forEach((col, j) => {
      const src = col.source;
      const lv = /^level(\d)$/.exec(src);
      const pv = /^points(\d)$/.exec(src);
      if (r.kind === 'total' || r.kind === 'veto' || r.kind === 'heading' || r.kind === 'foot' || r.kind === 'status') { toks.push(null); return; }
      const crit = r.kind !== 'subtotal' && r.kind !== 'lead';
      const d = r.node.depth;
      if (lv) {
        const K = Number(lv[1]);
        if (K <= d) toks.push(levelTok(r.chain[K - 1], K));
        else if (crit && j > 0 && toks[j - 1]?.key === `L${d}:${r.node.id}` && variant.columns[j - 1].source === `level${K - 1}`) {
          // A shallower criterion spreads its title over the deeper level columns, as on paper.
          toks.push(toks[j - 1]);
        } else toks.push(crit ? blank(j) : null);
        return;
      }
      if (pv) {
        const K = Number(pv[1]);
        if (K <= d) { const n = r.chain[K - 1]; toks.push({ key: `P${K}:${n.id}`, value: pts(n.points), style: 'points' }); }
        else toks.push(crit ? blank(j) : null);
        return;
      }
      if (src === 'points') {
        toks.push(crit ? { key: `P:${r.node.id}`, value: pts(r.node.points), style: 'points' } : null);
        return;
      }
      if (src === 'index') {
        if (!crit) { toks.push(null); return; }
        if (!ordinals.has(r.node.id)) ordinals.set(r.node.id, ++ordinal);
        toks.push({ key: `I:${r.node.id}`, value: ordinals.get(r.node.id)!, style: 'index' });
        return;
      }
      // method, content, text, target: the nearest such field up the tree (the criterion's own first).
      const field = src as 'method' | 'content' | 'text' | 'target';
      if (field === 'text' && r.kind === 'input' && !r.node.node.text && r.spec.lineText) {
        toks.push({ key: `line:${r.spec.key}`, value: r.spec.lineText, style: 'text' });
        return;
      }
      // A parent whose text was printed before its parts: the lead row holds it, the 小计 row its label.
      if (field === 'text' && r.kind === 'lead') { toks.push({ key: `lead:${r.node.id}`, value: r.node.node.text!, style: 'text' }); return; }
      if (field === 'text' && r.kind === 'subtotal' && leads(r.node, textShown)) { toks.push(null); return; }
      const n = nearest(r.chain, field);
      if (n) toks.push({ key: `${field}:${n.id}`, value: n.node[field]!, style: field === 'method' ? 'textCenter' : 'text' });
      else toks.push(crit ? blank(j) : null);
    });
    return toks;
  });
  const seen = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < k; j++) {
      const t = grid2[i][j];
      if (!t || seen.has(`${i}:${j}`)) continue;
      let i2 = i;
      while (i2 + 1 < rows.length && grid2[i2 + 1][j]?.key === t.key) i2++;
      let j2 = j;
      while (j2 + 1 < k && [...Array(i2 - i + 1).keys()].every((d) => grid2[i + d][j2 + 1]?.key === t.key)) j2++;
      for (let ii = i; ii <= i2; ii++) for (let jj = j; jj <= j2; jj++) seen.add(`${ii}:${jj}`);
      grid.putMerged({ top: rowOf(i), left: j + 1, bottom: rowOf(i2), right: j2 + 1 }, { style: t.style, value: t.value });
    }
  }

  // ---- free runs (subtotal, total and veto rows), input columns, scores, notes ----
  const validations: { address: string; rule: Validation }[] = [];
  const markers: string[] = [];
  const remarkAt: { id: string; address: string }[] = [];
  const remark = (row: number, span: number, id: string) => {
    const value = a.remarks?.[id];
    grid.putMerged({ top: row, left: R, bottom: row + span - 1, right: R }, { style: 'remark', value: value === undefined || value === '' ? null : value, remark: id });
    for (let r = row + 1; r < row + span; r++) grid.put({ row: r, col: R, style: 'remark', remark: id });
    remarkAt.push({ id, address: addr(row, R) });
  };
  const levelShown = (depth: number) => variant.columns.some((c) => c.source === `level${depth}`) && depth <= maxLevel;
  rows.forEach((r, i) => {
    const row = rowOf(i);
    const free = (label: string, labelStyle: string, upTo: number) => {
      let j = 0;
      let labelled = false;
      while (j < upTo) {
        if (j < k && grid2[i][j] !== null) { j++; continue; }
        let j2 = j;
        while (j2 + 1 < upTo && (j2 + 1 >= k || grid2[i][j2 + 1] === null)) j2++;
        grid.putMerged({ top: row, left: j + 1, bottom: row, right: j2 + 1 }, { style: labelStyle, value: labelled ? null : label });
        labelled = true;
        j = j2 + 1;
      }
    };
    if (r.kind === 'input') {
      grid.put({ row, col: L, style: 'label', value: inputLabel(r.spec) });
      for (const h of handList) {
        const col = VH.get(h)!;
        const raw = per(h).raw.get(r.spec.key);
        grid.put({ row, col, style: r.spec.type === 'percent' ? 'inputPct' : 'input', value: raw === undefined || raw === null || raw === '' ? null : typeof raw === 'boolean' ? String(raw) : raw, ...(col === V ? { input: r.spec.key } : {}) });
        const v = validationFor(r.spec, addr(row, col));
        if (v) validations.push({ address: addr(row, col), rule: v });
      }
      const span = r.node.inputs.length;
      const deduct = r.node.effect === 'subtract' || r.node.role === 'penalty';
      if (r.first) {
        grid.putMerged({ top: row, left: S, bottom: row + span - 1, right: S }, formulaCell(r.node.id, deduct ? 'scoreDeduct' : 'score'));
        handCells(row, span, r.node.id, deduct ? 'scoreDeduct' : 'score', true);
        grid.putMerged({ top: row, left: N, bottom: row + span - 1, right: N }, noteCell(r.node, notes, a.explain ? explanations.get(r.node.id) : undefined, a.scoredAt, raters !== undefined));
        remark(row, span, r.node.id);
      }
      markers.push(`in:${r.spec.key}${r.first ? ` out:${r.node.id}` : ''}`);
    } else if (r.kind === 'na') {
      grid.putMerged({ top: row, left: L, bottom: row, right: VL }, { style: 'na', value: r.node.cohort?.mode === 'always' ? cohortRowLabel(r.node) : '不考核' });
      const deduct = r.node.effect === 'subtract' || r.node.role === 'penalty';
      grid.put({ row, col: S, ...formulaCell(r.node.id, deduct ? 'scoreDeduct' : 'score') });
      handCells(row, 1, r.node.id, deduct ? 'scoreDeduct' : 'score', true);
      grid.put({ row, col: N, style: 'note', value: explanations.get(r.node.id) ?? (r.node.cohort?.mode === 'always' ? cohortRowLabel(r.node) : '本项不考核本单位') });
      grid.put({ row, col: R, style: 'note', value: null });
      markers.push(`out:${r.node.id}`);
    } else if (r.kind === 'subtotal') {
      const { label, note } = subtotalLabel(r.node, levelShown(r.node.depth));
      free(label, 'subLabel', VL);
      const deduct = r.node.effect === 'subtract' || r.node.role === 'penalty';
      grid.put({ row, col: S, ...formulaCell(r.node.id, deduct ? 'subScoreDeduct' : 'subScore') });
      handCells(row, 1, r.node.id, deduct ? 'subScoreDeduct' : 'subScore', false);
      grid.put({ row, col: N, style: 'subNote', value: note || null });
      grid.put({ row, col: R, style: 'subNote', value: null });
      markers.push(`out:${r.node.id}`);
    } else if (r.kind === 'lead') {
      free('', 'text', N);
      grid.put({ row, col: R, style: 'subNote', value: null });
      markers.push('');
    } else if (r.kind === 'foot') {
      grid.putMerged({ top: row, left: 1, bottom: row, right: R }, { style: 'subtitle', value: r.text });
      markers.push('');
    } else if (r.kind === 'heading') {
      grid.putMerged({ top: row, left: 1, bottom: row, right: R }, { style: 'heading', value: r.node.node.title });
      markers.push('');
    } else if (r.kind === 'status') {
      putStatusRow(grid, free, row, multi ? S0 : S, R, H, a.result);
      markers.push('out:$status');
    } else if (r.kind === 'total') {
      free(r.label, 'totalLabel', VL);
      grid.put({ row, col: S, ...formulaCell(r.id, r.id === '$penalty' ? 'totalScoreDeduct' : 'totalScore') });
      handCells(row, 1, r.id, r.id === '$penalty' ? 'totalScoreDeduct' : 'totalScore', false);
      grid.put({ row, col: N, style: 'totalNote', value: r.note });
      grid.put({ row, col: R, style: 'totalNote', value: null });
      markers.push(`out:${r.id}`);
    } else {
      free(`一票否决：${r.text}`, 'text', k);
      grid.put({ row, col: L, style: 'label', value: '是否出现（是/否）' });
      for (const h of handList) {
        const col = VH.get(h)!;
        const raw = per(h).raw.get(r.spec.key);
        grid.put({ row, col, style: 'input', value: raw === undefined || raw === null || raw === '' ? null : typeof raw === 'boolean' ? String(raw) : raw, ...(col === V ? { input: r.spec.key } : {}) });
        const v = validationFor(r.spec, addr(row, col));
        if (v) validations.push({ address: addr(row, col), rule: v });
      }
      if (r.first) {
        const span = vetoLast - vetoFirst + 1;
        const vetoAt = (col: number, cell: Omit<CellPlan, 'row' | 'col'>) => grid.putMerged({ top: row, left: col, bottom: row + span - 1, right: col }, cell);
        // Raters: any rater's 是 cancels (the unit's own cell is a formula over the raters' veto cells).
        vetoAt(S, raters
          ? { style: 'veto', formula: `IF(OR(${scoring.map((h) => `${computedAtH.get(h)!.get('$veto')}<>""`).join(',')}),"${VETO_TEXT}","")`, cached: a.result?.veto ? VETO_TEXT : '', computed: '$veto' }
          : { style: 'veto', formula: `IF(${condFormula(sheet.vetoCond, env)},"${VETO_TEXT}","")`, cached: a.result?.veto ? VETO_TEXT : '', computed: '$veto' });
        for (const h of handList) {
          if (SCH.get(h) === S) continue;
          vetoAt(SCH.get(h)!, { style: 'veto', formula: `IF(${condFormula(sheet.vetoCond, envH.get(h)!)},"${VETO_TEXT}","")`, cached: per(h).result?.veto ? VETO_TEXT : '' });
        }
        for (const c of [SPR, FLAG, DIFF]) if (c) vetoAt(c, { style: 'veto', value: null });
        grid.putMerged({ top: row, left: N, bottom: row + span - 1, right: N }, { style: 'note', value: '任一项填“是”即取消评优资格（分数不变）' });
        remark(row, span, '$veto');
      }
      markers.push(`in:${r.spec.key}${r.first ? ' out:$veto' : ''}`);
    }
  });

  // ---- hidden marker column: lets a reader find rows that were moved or deleted ----
  grid.put({ row: 1, col: M, style: 'marker', value: `sheet:${a.index}` });
  markers.forEach((m, i) => m && grid.put({ row: rowOf(i), col: M, style: 'marker', value: m }));
  const counts = handList.map((h) => putStateCells(grid, sheet, envH.get(h)!, inputAtH.get(h)!, per(h).result, HH.get(h)!, first, lastRow));
  putCounts(grid, counts, a.result, M, H);

  // ---- signature block under the table (spacer row, then the signature lines) ----
  const signTop = lastRow + 2;
  SIGNATURE_LINES.forEach((text, i) => {
    grid.putMerged({ top: signTop + i, left: 1, bottom: signTop + i, right: R }, { style: 'signature', value: text });
    grid.minHeight(signTop + i, BODY_PT * 3);
  });
  const printEnd = signTop + SIGNATURE_LINES.length - 1;
  grid.put({ row: lastRow + 1, col: 1, style: 'signature', value: null });
  grid.minHeight(lastRow + 1, BODY_PT);

  // ---- page breaks: never inside a criterion, fewest split indicators; split ones repeat their text ----
  const keep: [number, number][] = [[lastRow, printEnd]];
  const firstTotal = rows.findIndex((r) => r.kind === 'total' || r.kind === 'veto');
  if (firstTotal >= 0) keep.push([rowOf(firstTotal), lastRow]);
  rows.forEach((r, i) => { if (r.kind === 'heading') keep.push([rowOf(i), rowOf(i) + 1]); });
  const whole = [...grid.merges];
  const blanks = new Map<string, CellPlan>();
  const scale = Math.min(1, PAGE_PX[fitted.orientation] / tableWidthPx);
  const paginateAt = (heights: (number | undefined)[]) => paginate({
    heights, lastRow: printEnd, firstBody: first, repeatRows: [HEADER_ROWS], merges: whole, hardFromCol: L, keep, orientation: fitted.orientation, scale,
  });
  // Cuts the merges at the breaks and repeats their text below each cut (undoing an earlier round first).
  const apply = (p: ReturnType<typeof paginate>) => {
    for (const [key, c] of blanks) grid.cells.set(key, c);
    blanks.clear();
    const cut = splitMerges(whole, p.splits);
    grid.merges.splice(0, grid.merges.length, ...cut.merges);
    for (const rp of cut.repeats) {
      const top = grid.get(rp.from.top, rp.from.left);
      const here = grid.get(rp.row, rp.col);
      if (here) blanks.set(`${rp.row}:${rp.col}`, here);
      if (top) grid.put({ row: rp.row, col: rp.col, style: top.style, value: top.value ?? null });
    }
  };
  let rowHeights = grid.rowHeights(printEnd, 20, first);
  let pages = paginateAt(rowHeights);
  // A repeated text may need its rows taller, which may move a break: a few rounds settle it.
  let settled = false;
  for (let round = 0; round < 4 && !settled; round++) {
    apply(pages);
    const taller = grid.rowHeights(printEnd, 20, first).map((h, i) => (Math.max(h ?? 0, rowHeights[i] ?? 0) || undefined));
    settled = taller.every((h, i) => h === rowHeights[i]);
    if (!settled) {
      rowHeights = taller;
      pages = paginateAt(rowHeights);
    }
  }
  if (!settled) apply(pages);

  const plan = grid.toSheet({
    name: a.name,
    kind: 'unit',
    state: 'visible',
    columns: [...fitted.widths.map((w) => ({ width: w })), { width: 2, hidden: true }, ...handList.map(() => ({ width: 2, hidden: true }))],
    rowHeights,
    validations,
    protection: { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true, autoFilter: false, formatCells: true },
    print: {
      paperSize: 9, orientation: fitted.orientation, fitToWidth: 1, fitToHeight: 0,
      printArea: `A$1:${colLetter(R)}$${printEnd}`, printTitlesRow: `${HEADER_ROWS}:${HEADER_ROWS}`,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.25, footer: 0.25 },
      horizontalCentered: true, footer: pageFooter(pages.pages),
      rowBreaks: pages.breaks, firstPageNumber: 1, pages: pages.pages,
    },
    freeze: { rows: HEADER_ROWS, cols: 0 },
    conditional: [],
  });
  const meta: SheetMeta = {
    index: a.index, name: a.name, unit: sheet.unit.name, variant: variant.id, ...(sheet.unit.tags.length ? { tags: sheet.unit.tags } : {}), markerCol: colLetter(M),
    inputs: [...sheet.inputs, ...sheet.vetoInputs].map((s) => ({ key: s.key, criterionId: s.criterionId, address: inputAt.get(s.key)!, label: s.label })),
    cells: [...computedAt].map(([id, address]) => ({ id, address, kind: cellKind.get(id)! })),
    remarks: remarkAt,
    summaryRow: a.summaryRow,
    ...(multi ? {
      hands: handList.map((h) => ({
        hand: h,
        inputs: [...inputAtH.get(h)!].map(([key, address]) => ({ key, address })),
        cells: [...computedAtH.get(h)!].map(([id, address]) => ({ id, address })),
      })),
    } : {}),
  };
  const stateAt = new Map([...inputAt].map(([key]) => [key, env.state(key)]));
  const handMaps = multi
    ? new Map(handList.map((h) => [h, { inputAt: inputAtH.get(h)!, computedAt: computedAtH.get(h)!, stateAt: new Map([...inputAtH.get(h)!].map(([key]) => [key, envH.get(h)!.state(key)])) }]))
    : undefined;
  return { plan, meta, computedAt, inputAt, stateAt, ...(handMaps ? { handMaps } : {}) };
}

// ---------- the status cell: what the sheet itself says about its inputs (issue 9) ----------

const STATUS_ROWS = { missing: 2, errors: 3 } as const;

function parseRow(a1: string): number {
  return Number(/\d+$/.exec(a1)![0]);
}

/** `$status` on its own row; its two counts in the state column of header rows 2 and 3 (never moved by a clerk). */
function placeStatusCells(at: Map<string, string>, kind: Map<string, SheetMeta['cells'][number]['kind']>, row: number, S: number, H: number): void {
  at.set('$status', addr(row, S)); kind.set('$status', 'status');
  at.set('$missing', addr(STATUS_ROWS.missing, H)); kind.set('$missing', 'status');
  at.set('$errors', addr(STATUS_ROWS.errors, H)); kind.set('$errors', 'status');
}

function putStatusRow(grid: Grid, free: (label: string, style: string, upTo: number) => void, row: number, S: number, N: number, H: number, result?: UnitResult): void {
  free('录入状态（按公式统计）', 'totalLabel', S - 1);
  const errors = addr(STATUS_ROWS.errors, H);
  const missing = addr(STATUS_ROWS.missing, H);
  grid.putMerged({ top: row, left: S, bottom: row, right: N }, {
    style: 'statusNote', formula: statusFormula(errors, missing), cached: result ? result.status.zh : '完成', computed: '$status',
  });
}

/**
 * The hidden state cell of every input (0 accepted or not required, 1 required and blank, 2 rejected), the
 * counts the status cell shows, and their markers. Cached values are the engine's own reading.
 */
function putStateCells(grid: Grid, sheet: SheetModel, env: FormulaEnv, inputAt: Map<string, string>, result: UnitResult | undefined, H: number, first: number, lastRow: number): { missing: string[]; errors: string } {
  const naKeys = naKeysOf(sheet.nodes.values());
  const flags = cohortFlagsOf(sheet.nodes.values());
  const rejected = new Set((result?.problems ?? []).filter((p) => p.severity === 'error').map((p) => p.path));
  const missing = new Set<string>();
  const walk = (ns: NodeResult[]) => ns.forEach((n) => { n.missing.forEach((k) => missing.add(k)); walk(n.children); });
  if (result) walk(result.nodes);
  for (const spec of [...sheet.inputs, ...sheet.vetoInputs]) {
    const at = inputAt.get(spec.key);
    if (!at) continue;
    const state = rejected.has(spec.key) ? 2 : missing.has(spec.key) || (!result && !spec.optional) ? 1 : 0;
    grid.put({ row: parseRow(at), col: H, style: 'marker', formula: stateFormula(spec, env, naKeys.get(spec.key), flags.get(spec.key)), cached: state });
  }
  const range = `${addr(first, H)}:${addr(lastRow, H)}`.replace(/([A-Z]+)(\d+)/g, '$$$1$$$2');
  // Besides blank inputs, a cohort clause scoring this unit while its population is empty is not complete (score.ts).
  const pending = cohortPendingConds(sheet).map((c) => `IF(${X.condFormula(c, env)},1,0)`);
  return { missing: [`COUNTIF(${range},1)`, ...pending], errors: `COUNTIF(${range},2)` };
}

/** The sheet's two counts (every hand's state column summed), in the first scoring hand's state column of header rows 2 and 3. */
function putCounts(grid: Grid, counts: { missing: string[]; errors: string }[], result: UnitResult | undefined, M: number, H: number): void {
  grid.put({ row: STATUS_ROWS.missing, col: H, style: 'marker', formula: counts.flatMap((c) => c.missing).join('+'), cached: result ? result.missing : 0, computed: '$missing' });
  grid.put({ row: STATUS_ROWS.errors, col: H, style: 'marker', formula: counts.map((c) => c.errors).join('+'), cached: result ? result.errors : 0, computed: '$errors' });
  grid.put({ row: STATUS_ROWS.missing, col: M, style: 'marker', value: 'out:$missing' });
  grid.put({ row: STATUS_ROWS.errors, col: M, style: 'marker', value: 'out:$errors' });
}

// ---------- 备注 outside the add-in (issue 9 (4)) ----------

function noteContext(sheet: SheetModel, env: FormulaEnv, values: Map<string, number>, result: UnitResult | undefined, raw: Map<string, Raw>): NoteContext {
  const specs = new Map([...sheet.inputs, ...sheet.vetoInputs].map((s) => [s.key, s]));
  const rejected = new Set((result?.problems ?? []).filter((p) => p.severity === 'error').map((p) => p.path));
  const blank = new Set<string>();
  const walk = (ns: NodeResult[]) => ns.forEach((n) => { n.missing.forEach((k) => blank.add(k)); walk(n.children); });
  if (result) walk(result.nodes);
  const value = (k: string) => { const s = specs.get(k); return !s || rejected.has(k) ? null : readCell(s, raw.get(k)).value; };
  const ev: X.EvalEnv = { value, ref: (id) => new Dec(values.get(id) ?? 0), rank: () => new Dec(0) };
  return { env, value, rejected, blank, ev: (e) => X.evaluate(e, ev) };
}

/** A criterion's 备注: live by formula where its lines allow, else the engine's words stamped with the time they were made. */
function noteCell(m: NodeModel, c: NoteContext, explanation: string | undefined, scoredAt?: string, noLive = false): Omit<CellPlan, 'row' | 'col'> {
  const live = noLive ? null : liveNote(m, c);
  if (live) return { style: 'liveNote', formula: live.formula, cached: live.cached };
  if (explanation === undefined) return { style: 'note', value: null };
  return { style: 'note', value: scoredAt ? `${explanation}\n（${scoredAt} 计分时的说明；改动录入后以得分栏为准）` : explanation };
}
