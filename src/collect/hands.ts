/**
 * Who enters values in a workbook (contract of issue 15): the hands of a master, their names in both
 * languages, and the entries a read workbook holds for each. A workbook without `meta.hands` has the one
 * hand it always had, the assessor's.
 */
import type { Raw } from '../engine';
import type { WorkbookMeta } from '../layout';
import type { ReadUnit } from '../xlsx';

export type HandId = 'assessor' | 'self' | `rater${number}`;

export const isHandId = (s: unknown): s is HandId => s === 'assessor' || s === 'self' || (typeof s === 'string' && /^rater[1-9]\d?$/.test(s));

/** 自评 / 考核 / 评分员2. */
export function handLabel(h: HandId): { zh: string; en: string } {
  if (h === 'self') return { zh: '自评', en: 'the self-assessment' };
  if (h === 'assessor') return { zh: '考核评分', en: "the assessor's score" };
  const n = h.slice('rater'.length);
  return { zh: `评分员${n}`, en: `rater ${n}` };
}

/** The workbook's hands in column order. */
export function handsOf(meta: WorkbookMeta): HandId[] {
  const hs = (meta as { hands?: unknown }).hands;
  return Array.isArray(hs) && hs.length && hs.every(isHandId) ? (hs as HandId[]) : ['assessor'];
}

/** The hand whose entries are the reader's `inputs` (assessor, or rater1). */
export function firstScoringHand(hands: readonly HandId[]): HandId {
  return hands.find((h) => h !== 'self') ?? hands[0];
}

/** A read unit's entries per hand: the reader's per-hand entries where it gives them, else its inputs for the first scoring hand. */
export function unitHands(ru: ReadUnit, hands: readonly HandId[]): Partial<Record<HandId, Record<string, Raw>>> {
  const given = (ru as { hands?: Partial<Record<HandId, Record<string, Raw>>> }).hands;
  const out: Partial<Record<HandId, Record<string, Raw>>> = {};
  const first = firstScoringHand(hands);
  for (const h of hands) out[h] = { ...(given?.[h] ?? (h === first ? ru.inputs : {})) };
  return out;
}

/** A read unit's 扣分依据/说明 per hand (the reader's per-hand remarks where it gives them, else the first scoring hand's). */
export function unitRemarks(ru: ReadUnit, hands: readonly HandId[]): Partial<Record<HandId, Record<string, string>>> {
  const given = (ru as { handRemarks?: Partial<Record<HandId, Record<string, string>>> }).handRemarks;
  const out: Partial<Record<HandId, Record<string, string>>> = {};
  const first = firstScoringHand(hands);
  for (const h of hands) out[h] = { ...(given?.[h] ?? (h === first ? ru.remarks : {})) };
  return out;
}

export const handList = (hands: readonly HandId[]): { zh: string; en: string } => ({
  zh: hands.map((h) => handLabel(h).zh).join('、'),
  en: hands.map((h) => handLabel(h).en).join(', '),
});
