/**
 * The marks clerks type beyond the canonical words, kept apart from inputs.ts so the list is easy to
 * review: 不涉及 written as `/`, `—`, `无`, `N/A`, `NA` or `不 涉及` (with a space), and English yes/no.
 * The engine reads them here (inputs.ts) and the sheet's formulas test exactly the same texts
 * (expr.ts), so Excel, WPS and LibreOffice score a cell as the engine does.
 *
 * `无` is 不涉及 only on a number or choice input: on a 是/否 question it means 否 (是否有… — 无).
 * These marks count as 不涉及 only where the rubric allows it; elsewhere they are read as before.
 */

/** Marks for 不涉及 as they look after normalizeText (full-width folded, ideographic space → space, trimmed). */
const NA_MARKS = ['/', '—', '——', 'NA', '不 涉及', '不 适用'] as const;
const NA_NONE = '无';

/** The texts a formula compares TRIM(cell) with, besides NA_WORDS: the marks also as typed full-width. */
export function naFormulaMarks(yesno: boolean): string[] {
  return [...NA_MARKS, '／', 'ＮＡ', '不\u3000涉及', '不\u3000适用', ...(yesno ? [] : [NA_NONE])];
}

/** Is `text` (normalized, as inputs.ts holds it) a clerk's mark for 不涉及 on an input of `type`? */
export function isNaMark(text: string, type: string): boolean {
  const t = text.replace(/\s+/g, ' ').toUpperCase();
  if ((NA_MARKS as readonly string[]).includes(t)) return true;
  return t === NA_NONE && type !== 'yesno';
}

/** The marks named in messages, per input type (是/否 questions do not take 无). */
export function naMarksText(type: string): string {
  return type === 'yesno' ? '/、—、N/A' : '无、/、—、N/A';
}

/** Parameters a message adds where 不涉及 is allowed: what else the clerk may type for it. */
export function naHint(spec: { naAllowed?: boolean; type: string }): { naMarks: string } | Record<string, never> {
  return spec.naAllowed ? { naMarks: naMarksText(spec.type) } : {};
}

/** English yes/no, accepted beside 是/否, √/×, 有/无 and Y/N (spreadsheet text comparison ignores case). */
export const EN_YES = ['YES'] as const;
export const EN_NO = ['NO'] as const;
