/**
 * Hands: who enters values on a unit's 打分表. Today's workbook has one hand, the assessor ('assessor').
 * A program (policies.assessment) or a make option adds a self-assessment column ('self', 自评) beside the
 * assessor's, or replaces the assessor by several raters ('rater1' … 'raterN', an assessment group) whose
 * figures are averaged — plainly, or after dropping the highest and the lowest (去掉一个最高分和一个最低分).
 */
import { Dec, ZERO } from './decimal';

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
