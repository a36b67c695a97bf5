/**
 * Who enters values in a workbook (contract of issue 15): the hands of a master, their names in both
 * languages, and the entries a read workbook holds for each. A workbook without `meta.hands` has the one
 * hand it always had, the assessor's.
 */
import { firstScoringHand, handLabel as columnLabel, isHandId, type HandId, type Raw } from '../engine';
import type { WorkbookMeta } from '../layout';
import type { ReadUnit } from '../xlsx';

export { firstScoringHand, isHandId, type HandId };

/** A hand's name in messages and file names: 自评 / 考核 / 评委2 (the sheet's column header), and in English. */
export function handName(h: HandId): { zh: string; en: string } {
  const zh = columnLabel(h);
  if (h === 'self') return { zh, en: 'the self-assessment' };
  if (h === 'assessor') return { zh, en: 'the assessor' };
  return { zh, en: `rater ${h.slice('rater'.length)}` };
}

/** The workbook's hands in column order. */
export function handsOf(meta: WorkbookMeta): HandId[] {
  const hs = meta.hands;
  return Array.isArray(hs) && hs.length && hs.every(isHandId) ? hs : ['assessor'];
}

/** Per hand: what the reader gives for it, else (the first scoring hand) `own`, else nothing; each a copy. */
function perHand<T>(given: Partial<Record<HandId, Record<string, T>>> | undefined, own: Record<string, T>, hands: readonly HandId[]): Partial<Record<HandId, Record<string, T>>> {
  const out: Partial<Record<HandId, Record<string, T>>> = {};
  const first = firstScoringHand(hands);
  for (const h of hands) out[h] = { ...(given?.[h] ?? (h === first ? own : {})) };
  return out;
}

/** A read unit's entries per hand: the reader's per-hand entries where it gives them, else its inputs for the first scoring hand. */
export const unitHands = (ru: ReadUnit, hands: readonly HandId[]): Partial<Record<HandId, Record<string, Raw>>> => perHand(ru.hands, ru.inputs, hands);

/** A read unit's 扣分依据/说明 per hand (the reader's per-hand remarks where it gives them, else the first scoring hand's). */
export const unitRemarks = (ru: ReadUnit, hands: readonly HandId[]): Partial<Record<HandId, Record<string, string>>> => perHand(ru.handRemarks, ru.remarks, hands);

export const handList = (hands: readonly HandId[]): { zh: string; en: string } => ({
  zh: hands.map((h) => handName(h).zh).join('、'),
  en: hands.map((h) => handName(h).en).join(', '),
});
