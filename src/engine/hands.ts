/**
 * Hands: who enters values on a unit's 打分表. Today's workbook has one hand, the assessor ('assessor').
 * A program (policies.assessment) or a make option adds a self-assessment column ('self', 自评) beside the
 * assessor's, or replaces the assessor by several raters ('rater1' … 'raterN', an assessment group) whose
 * figures are averaged — plainly, or after dropping the highest and the lowest (去掉一个最高分和一个最低分).
 */
import { Dec, ZERO, fmt } from './decimal';
import * as X from './expr';
import { inputsOf } from './expr';
import { statusOf } from './inputs';
import type { Program } from './model';
import type { Problem } from './problems';
import { compileSheet, resolveUnit, sheetShape, type SheetModel } from './compile';
import { rescoreCohort, scoreCohort, type CohortCache, type InputsIn, type NodeResult, type UnitResult } from './score';
import { findVariant } from './tree';

export type HandId = 'assessor' | 'self' | `rater${number}`;

export interface RatersPolicy {
  /** How many raters (≥ 2; trimmedMean needs ≥ 3). */
  count: number;
  /** mean: the average; trimmedMean: the average after dropping one highest and one lowest figure. */
  aggregate: 'mean' | 'trimmedMean';
  /** criterion: each criterion's points are aggregated, subtotals and totals computed from them; total: the raters' totals are aggregated. */
  on: 'criterion' | 'total';
  /** A criterion whose raters' figures differ by more than this is flagged (相差过大). */
  spread?: number;
}

export interface AssessmentPolicy {
  /** A 自评 column beside the assessor's (or the raters'). */
  self?: boolean;
  raters?: RatersPolicy;
}

export const DEFAULT_HANDS: readonly HandId[] = ['assessor'];

/** The ordered hands of a workbook made under this policy: [self?] then assessor, or rater1…raterN. */
export function handsFor(a: AssessmentPolicy | undefined): HandId[] {
  if (!a) return ['assessor'];
  const scoring: HandId[] = a.raters ? Array.from({ length: a.raters.count }, (_, i) => `rater${i + 1}` as HandId) : ['assessor'];
  return a.self ? ['self', ...scoring] : scoring;
}

export const isHandId = (s: unknown): s is HandId => s === 'assessor' || s === 'self' || (typeof s === 'string' && /^rater[1-9]\d*$/.test(s));

/** The hands that score (everyone but self): the unit's points come from them. */
export const scoringHands = (hands: readonly HandId[]): HandId[] => hands.filter((h) => h !== 'self');

/** The first scoring hand ('assessor' or 'rater1'): the one whose entries UnitIn.inputs / ReadUnit.inputs hold. */
export const firstScoringHand = (hands: readonly HandId[]): HandId => scoringHands(hands)[0] ?? 'assessor';

/** Whether hands are today's single assessor column. */
export const isDefaultHands = (hands: readonly HandId[] | undefined): boolean => !hands || (hands.length === 1 && hands[0] === 'assessor');

/** The column header of a hand's entries and figures: 自评, 考核, 评委1… */
export function handLabel(h: HandId): string {
  if (h === 'self') return '自评';
  if (h === 'assessor') return '考核';
  return `评委${h.slice(5)}`;
}

/** The policy's figures are usable: count ≥ 2, trimmedMean with ≥ 3, spread ≥ 0. Null when fine, else the reason (zh / en). */
export function ratersProblem(r: RatersPolicy): string | null {
  if (!Number.isInteger(r.count) || r.count < 2) return `评委人数须为不少于2的整数（现为${r.count}） / raters.count must be a whole number ≥ 2 (is ${r.count})`;
  if (r.count > 20) return `评委人数最多20人（现为${r.count}） / at most 20 raters (is ${r.count})`;
  if (r.aggregate === 'trimmedMean' && r.count < 3) return `去掉一个最高分和一个最低分须至少3名评委（现为${r.count}） / trimmedMean needs at least 3 raters (is ${r.count})`;
  if (r.spread !== undefined && !(r.spread >= 0)) return `分差须不小于0（现为${r.spread}） / spread must be ≥ 0 (is ${r.spread})`;
  return null;
}

/**
 * The raters' figures aggregated: the mean, or (trimmedMean) the mean after dropping one highest and one
 * lowest figure. Exact decimals; the sheet computes the same as (SUM−MAX−MIN)/(n−2) or SUM/n.
 */
export function aggregateFigures(xs: readonly Dec[], how: RatersPolicy['aggregate']): Dec {
  if (xs.length === 0) return ZERO;
  let sum = ZERO;
  for (const x of xs) sum = sum.plus(x);
  if (how === 'trimmedMean' && xs.length >= 3) {
    const hi = Dec.max(...xs), lo = Dec.min(...xs);
    return sum.minus(hi).minus(lo).div(xs.length - 2);
  }
  return sum.div(xs.length);
}

/** MAX − MIN of the raters' figures (极差). */
export function spreadOf(xs: readonly Dec[]): Dec {
  return xs.length ? Dec.max(...xs).minus(Dec.min(...xs)) : ZERO;
}

// ---------- scoring every hand of a cohort ----------

/** One unit with every hand's entries. */
export interface HandsEntry {
  unit: string;
  variant?: string;
  tags?: string[];
  hands: Partial<Record<HandId, InputsIn>>;
  /** As CohortEntry.cells: the entries are cell contents read from a workbook. */
  cells?: boolean;
}

export interface HandsUnitResult {
  unit: string;
  variant: string;
  /** Each hand's own scoring of the unit (ranks and cohort clauses among that hand's figures). */
  hands: Partial<Record<HandId, UnitResult>>;
  /**
   * The unit's points (考核得分): the assessor's, or the raters' aggregate; its status counts every hand's blank
   * and rejected entries (a criterion is complete when every hand entered it); its problems are every hand's.
   */
  result: UnitResult;
  /** Raters: MAX − MIN of the raters' figures, by node id and total id (criteria, subtotals, `$final`…). */
  spread?: Record<string, number>;
  /** Raters: criteria whose spread exceeds policy `spread` (相差过大). */
  wide?: string[];
  /** Self-assessment: 自评 − 考核 (rounded to 6 decimals) by node id and total id, where not 0. */
  diff?: Record<string, number>;
}

/** Places at which the sheet and the engine compare figures for the 差异 / 相差过大 flags (binary noise stays below). */
export const FLAG_PLACES = 6;

/** The combined problem path: which hand's cell (`self:k1#n`); the first scoring hand's keep their plain key. */
export const handPath = (hand: HandId, key: string, first: HandId): string => (hand === first ? key : `${hand}:${key}`);

/**
 * Non-criterion cells (subtotals, totals) that read inputs directly (不涉及 rescaling, a zero-out line voiding a
 * subtotal): aggregation per criterion cannot recompute them from the aggregated criteria alone. The ids, or none.
 */
export function directReads(sheet: SheetModel): string[] {
  const out: string[] = [];
  for (const [id, e] of sheet.cells) {
    if (sheet.nodes.get(id)?.isCriterion) continue;
    if (inputsOf(e).size) out.push(id);
  }
  return out;
}

/** Every node's and total's points in a result, by id. */
export function figuresOfResult(r: UnitResult): Map<string, Dec> {
  const out = new Map<string, Dec>();
  const walk = (ns: NodeResult[]) => ns.forEach((x) => { out.set(x.id, new Dec(x.points)); walk(x.children); });
  walk(r.nodes);
  out.set('$base', new Dec(r.base)); out.set('$bonus', new Dec(r.bonus)); out.set('$penalty', new Dec(r.penalty));
  out.set('$adjust', new Dec(r.adjustment)); out.set('$final', new Dec(r.final));
  if (r.converted !== null) out.set('$converted', new Dec(r.converted));
  return out;
}

/**
 * Scores a cohort in which several hands enter values. Each hand is scored as its own cohort (scoreCohort:
 * ranks and cohort clauses among that hand's figures, as that hand's 汇总 columns compute them); then the unit's
 * points are the assessor's, or the raters' aggregate: per criterion (subtotals and totals recomputed from the
 * aggregated criteria through the sheet's own expressions) or on the totals (every figure aggregated).
 * `caches` (a live edit, the add-in): each hand's cohort goes through its own CohortCache (rescoreCohort, results
 * equal scoreCohort's), so an edit re-evaluates only what it can change; each cache must be made for `program`.
 */
export function scoreHands(program: Program, hands: readonly HandId[], assessment: AssessmentPolicy | undefined, entries: HandsEntry[], caches?: ReadonlyMap<HandId, CohortCache>): { units: HandsUnitResult[]; problems: Problem[] } {
  const scoring = scoringHands(hands);
  const first = firstScoringHand(hands);
  const raters = assessment?.raters && scoring[0] !== 'assessor' ? assessment.raters : undefined;
  const byHand = new Map<HandId, Map<string, UnitResult>>();
  let problems: Problem[] = [];
  for (const h of hands) {
    const cohort = entries.map((e) => ({ unit: e.unit, variant: e.variant, tags: e.tags, inputs: e.hands[h] ?? {}, cells: e.cells }));
    const cache = caches?.get(h);
    const r = cache && cache.program === program ? rescoreCohort(cache, cohort) : scoreCohort(program, cohort);
    if (h === hands[0]) problems = r.problems;
    byHand.set(h, new Map(r.units.map((u) => [u.unit, u])));
  }
  const units: HandsUnitResult[] = [];
  for (const e of entries) {
    const mine = new Map<HandId, UnitResult>();
    for (const h of hands) { const r = byHand.get(h)!.get(resolveName(program, e)); if (r) mine.set(h, r); }
    const lead = mine.get(first);
    if (!lead) continue;
    const out: HandsUnitResult = { unit: lead.unit, variant: lead.variant, hands: Object.fromEntries(mine), result: lead };
    let main: UnitResult;
    if (raters) {
      const rs = scoring.map((h) => mine.get(h)!);
      const agg = aggregateResults(program, lead, rs, raters, resolveUnit(program, e.unit, e.variant, e.tags)?.tags);
      main = agg.result;
      out.spread = agg.spread;
      out.wide = agg.wide;
    } else main = { ...lead };
    // Status over every hand: a blank or rejected entry in any column counts.
    let missing = 0, errors = 0;
    const allProblems: Problem[] = [];
    for (const h of hands) {
      const r = mine.get(h)!;
      missing += r.missing; errors += r.errors;
      for (const p of r.problems) allProblems.push(h === first ? p : { ...p, path: handPath(h, p.path, first) });
    }
    out.result = { ...main, missing, errors, complete: missing === 0 && errors === 0, status: statusOf(errors, missing), problems: allProblems };
    const self = mine.get('self');
    if (self) {
      const a = figuresOfResult(self), b = figuresOfResult(out.result);
      const diff: Record<string, number> = {};
      for (const [id, x] of a) {
        const y = b.get(id);
        if (y === undefined) continue;
        const d = x.minus(y).toDecimalPlaces(FLAG_PLACES, Dec.ROUND_HALF_UP);
        if (!d.isZero()) diff[id] = d.toNumber();
      }
      out.diff = diff;
    }
    units.push(out);
  }
  // The summary rank on the unit's own points.
  const finals = new Map<string, number[]>();
  const group = (r: UnitResult) => (program.policies.rankScope === 'program' ? '' : r.variant);
  for (const u of units) finals.set(group(u.result), [...(finals.get(group(u.result)) ?? []), u.result.final]);
  for (const u of units) u.result.rank = 1 + finals.get(group(u.result))!.filter((f) => f > u.result.final).length;
  return { units, problems };
}

const SHEETS = new WeakMap<Program, Map<string, SheetModel>>();
/** The compiled sheet of a unit (units of one shape share it). */
function sheetOf(program: Program, variantId: string, unit: { name: string; tags: string[] }): SheetModel {
  const variant = findVariant(program, variantId)!;
  let m = SHEETS.get(program);
  if (!m) SHEETS.set(program, (m = new Map()));
  const k = `${variantId}\u0000${sheetShape(variant, unit)}`;
  let s = m.get(k);
  if (!s) m.set(k, (s = compileSheet(program, variant, unit)));
  return s;
}

/**
 * Why these hands cannot score this program, or null: raters aggregated per criterion need subtotals and totals
 * computable from the criteria alone (no 不涉及 rescaling or zero-out line read by a subtotal).
 */
export function assessmentProblem(program: Program, a: AssessmentPolicy | undefined): string | null {
  if (!a?.raters) return null;
  const bad = ratersProblem(a.raters);
  if (bad) return bad;
  if (a.raters.on !== 'criterion') return null;
  for (const v of program.variants) {
    const ids = directReads(compileSheet(program, v, { name: '', tags: [] }));
    if (ids.length) return `类别“${v.name}”的${ids.map((i) => (i.startsWith('$') ? i : `“${i}”`)).join('、')}直接读取录入（不涉及折算或“此项不得分”），不能由各项评委平均分算出；请按总分平均（on: total / --on total） / variant "${v.name}": ${ids.join(', ')} read entries directly (不涉及 rescaling or a zero-out line), so they cannot be computed from the raters' averaged criteria; aggregate on the totals instead (on: total)`;
  }
  return null;
}

function resolveName(program: Program, e: HandsEntry): string {
  return resolveUnit(program, e.unit, e.variant, e.tags)?.name ?? e.unit;
}

/** The raters' results aggregated into the unit's (see scoreHands). */
export function aggregateResults(program: Program, lead: UnitResult, rs: UnitResult[], raters: RatersPolicy, tags?: string[]): { result: UnitResult; spread: Record<string, number>; wide: string[] } {
  const figs = rs.map(figuresOfResult);
  const ids = [...figs[0].keys()];
  const spread: Record<string, number> = {};
  const each = new Map<string, Dec[]>();
  for (const id of ids) {
    const xs = figs.map((f) => f.get(id) ?? ZERO);
    each.set(id, xs);
    spread[id] = spreadOf(xs).toNumber();
  }
  const agg = new Map<string, Dec>();
  const sheet = sheetOf(program, lead.variant, { name: lead.unit, tags: tags ?? resolveUnit(program, lead.unit, lead.variant)?.tags ?? [] });
  const isCrit = (id: string) => sheet.nodes.get(id)?.isCriterion === true;
  if (raters.on === 'total') {
    for (const [id, xs] of each) agg.set(id, aggregateFigures(xs, raters.aggregate));
  } else {
    for (const [id, xs] of each) if (isCrit(id)) agg.set(id, aggregateFigures(xs, raters.aggregate));
    const memo = new Map<string, Dec>();
    const env: X.EvalEnv = {
      value: () => null,
      ref: (id) => {
        const known = agg.get(id) ?? memo.get(id);
        if (known) return known;
        const e = sheet.cells.get(id);
        const v = e ? X.evaluate(e, env) : ZERO;
        memo.set(id, v);
        return v;
      },
      rank: () => ZERO,
    };
    for (const id of ids) if (!isCrit(id)) agg.set(id, env.ref(id));
  }
  const wide: string[] = [];
  if (raters.spread !== undefined) {
    for (const id of ids) if (isCrit(id) && new Dec(spread[id]).toDecimalPlaces(FLAG_PLACES, Dec.ROUND_HALF_UP).gt(raters.spread)) wide.push(id);
  }
  const how = raters.aggregate === 'trimmedMean' ? { zh: '去掉一个最高分和一个最低分后平均', en: 'mean after dropping the highest and the lowest' } : { zh: '平均', en: 'mean' };
  // Each rater's blanks by node id, once (a node is complete when every rater entered it).
  const blanks = rs.map((r) => {
    const m = new Map<string, string[]>();
    const walk = (ns: NodeResult[]) => ns.forEach((x) => { m.set(x.id, x.missing); walk(x.children); });
    walk(r.nodes);
    return m;
  });
  const node = (n: NodeResult): NodeResult => {
    const p = agg.get(n.id) ?? ZERO;
    const xs = each.get(n.id) ?? [];
    const missing = blanks.length > 1 ? [...new Set(blanks.flatMap((m) => m.get(n.id) ?? []))] : blanks[0]?.get(n.id) ?? [];
    // The words are built when first read (scoring many units for their totals need not pay for them).
    let words: { zh: string; en: string } | null = null;
    const explain = (): { zh: string; en: string } => {
      if (raters.on === 'criterion' && !isCrit(n.id)) return { zh: `按各项评委${how.zh}得分${n.children.length ? '小计' : ''}：${fmt(p, 4)}分`, en: `From the raters' ${how.en} per criterion: ${fmt(p, 4)}` };
      const list = xs.map((x, i) => `评委${i + 1} ${fmt(x, 4)}分`).join('、');
      const listEn = xs.map((x, i) => `rater ${i + 1} ${fmt(x, 4)}`).join(', ');
      return { zh: `${list}，${how.zh}${fmt(p, 4)}分`, en: `${listEn}; ${how.en} ${fmt(p, 4)}` };
    };
    return {
      id: n.id, title: n.title, depth: n.depth, role: n.role, effect: n.effect, kind: n.kind, max: n.max, raw: p.toNumber(), points: p.toNumber(),
      applicable: n.applicable, na: n.na, complete: missing.length === 0, missing,
      get explanation() { return (words ??= explain()); },
      children: n.children.map(node),
    };
  };
  const v = (id: string) => (agg.get(id) ?? ZERO).toNumber();
  const final = agg.get('$final') ?? ZERO;
  const grades = program.policies.grades;
  let grade: string | null = null;
  if (grades) for (const g of grades) if (final.gte(g.min)) { grade = g.label; break; }
  const vetoItems = [...new Set(rs.flatMap((r) => r.vetoItems))];
  const result: UnitResult = {
    ...lead, nodes: lead.nodes.map(node), base: v('$base'), bonus: v('$bonus'), penalty: v('$penalty'), adjustment: v('$adjust'), final: final.toNumber(),
    converted: lead.converted === null ? null : v('$converted'), grade, veto: vetoItems.length > 0, vetoItems, rank: null,
  };
  return { result, spread, wide };
}

