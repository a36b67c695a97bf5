/** Data validation for an input cell: dropdowns for 是/否 and named choices, numeric ranges with the rule as the input message. */
import { NA_WORDS, naMarksText, type InputSpec } from '../engine';
import type { SheetPlan, Validation } from './plan';

const clip = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** The short label written next to an input cell, e.g. `违反次数（次）`. */
export function inputLabel(spec: InputSpec): string {
  const unit = spec.type === 'percent' ? '%' : spec.type === 'yesno' ? '是/否' : spec.type === 'choice' ? '选择' : spec.unit;
  return unit ? `${spec.label}（${unit}）` : spec.label;
}

const listOk = (items: string[]): boolean => items.every((s) => !/[,"]/.test(s)) && items.join(',').length <= 250;

export function validationFor(spec: InputSpec, address: string): Validation | null {
  const na = spec.naAllowed ? [...NA_WORDS] : [];
  const promptTitle = clip(spec.label, 32);
  const prompt = clip(spec.hint + (spec.naAllowed ? `；不涉及的填“不涉及”（或${naMarksText(spec.type)}）` : ''), 250);
  const naText = spec.naAllowed ? `；不涉及的填“不涉及”（或${naMarksText(spec.type)}）` : '';
  // The message shared by every input of the same rule: what is allowed, and where the points are.
  const shared = (title: string, allowed: string) => ({ promptTitle: clip(title, 32), prompt: clip(`${allowed}${naText}。计分见本行评分标准`, 250) });
  const base = { allowBlank: true as const, promptTitle, prompt, errorTitle: '输入有误' };
  if (spec.type === 'yesno' || spec.type === 'choice') {
    const items = [...(spec.type === 'yesno' ? ['是', '否'] : spec.options ?? []), ...(spec.naAllowed ? ['不涉及'] : [])];
    if (!listOk(items)) return null;
    const own = spec.type === 'yesno' ? ['是', '否'] : spec.options ?? [];
    return {
      ...base, type: 'list', formulae: [`"${items.join(',')}"`], error: clip(`请从下拉列表中选择：${items.join('、')}`, 225),
      shared: shared(spec.type === 'yesno' ? '填写：是/否' : '填写：选择', `从下拉列表中选择：${own.join('、')}`),
    };
  }
  // Numbers: count, number, percent, score.
  const lo = spec.min !== undefined ? spec.min : '0';
  // A percent input holds the fraction Excel stores for 85% (0.85): 0…1, as inputs.ts reads it.
  const hi = spec.type === 'percent' ? (spec.max !== undefined && Number(spec.max) < 1 ? spec.max : '1') : spec.max;
  const a = address;
  const conds = [`ISNUMBER(${a})`, `${a}>=${spec.zeroOrRange ? '0' : lo}`];
  if (hi !== undefined) conds.push(`${a}<=${hi}`);
  if (spec.type === 'count') conds.push(`${a}=INT(${a})`);
  let num = `AND(${conds.join(',')})`;
  if (spec.zeroOrRange) num = `AND(ISNUMBER(${a}),OR(${a}=0,AND(${a}>=${lo}${hi !== undefined ? `,${a}<=${hi}` : ''})))`;
  if (spec.step !== undefined) {
    const from = spec.zeroOrRange ? '0' : lo;
    num = `AND(${num},ABS((${a}-${from})/${spec.step}-ROUND((${a}-${from})/${spec.step},0))<0.000001)`;
  }
  const range = spec.type === 'percent' ? '0%～100%，如 85%' : `${spec.zeroOrRange ? `0或${lo}` : lo}～${hi ?? '∞'}`;
  // The rule itself is in the input message; the error says what is allowed.
  const error = clip(`请填写数字（${range}${spec.type === 'count' ? '，整数' : ''}${spec.step ? `，步长${spec.step}` : ''}）${na.length ? '或“不涉及”' : ''}`, 225);
  const what = spec.type === 'count' ? '整数' : spec.type === 'percent' ? '百分比' : '数字';
  const num2 = { ...base, error, shared: shared(`填写：${what}`, `填写${what}（${range}${spec.type === 'count' ? '，整数' : ''}${spec.step ? `，步长${spec.step}` : ''}）`) };
  const simple = !na.length && !spec.zeroOrRange && spec.step === undefined;
  if (simple) {
    const type = spec.type === 'count' ? 'whole' : 'decimal';
    return hi !== undefined
      ? { ...num2, type, operator: 'between', formulae: [lo, hi] }
      : { ...num2, type, operator: 'greaterThanOrEqual', formulae: [lo] };
  }
  // A custom rule: a number in range, or (where allowed) one of the 不涉及 words.
  // The commonest marks besides the words (marks.ts), within Excel's 255-character limit for a rule.
  const withMarks = [...na, '/', '—', '无'];
  const rule = (words: string[]) => `IF(ISNUMBER(${a}),${num},OR(${words.map((w) => `TRIM(${a})="${w}"`).join(',')}))`;
  const formula = na.length ? (rule(withMarks).length <= 255 ? rule(withMarks) : rule(na)) : num;
  return { ...num2, type: 'custom', formulae: [formula] };
}

/**
 * At most this many validation entries in a workbook keep each input's own message. An entry is one
 * rule (type, limits, messages) on one sheet, however many of its cells share it. LibreOffice keeps a
 * workbook's validations in one list and looks each new entry up in it while it opens the file, so
 * the time grows with the square of their number (issue 14, 汨罗 300 units: 16,800 entries 99 s of
 * CPU against 39 s with 2,400, and 41 s with none; a plain workbook of the same values 19 s).
 */
export const OWN_MESSAGE_ENTRIES = 4000;

/** What a writer keys a validation entry on: every field it writes. */
export const ruleKey = (r: Validation): string =>
  JSON.stringify([r.type, r.operator ?? '', r.formulae, r.promptTitle, r.prompt, r.errorTitle, r.error]);

/** The entries a sheet's validations make: inputs with the same rule share one (a multi-range sqref). */
export function validationEntries(list: SheetPlan['validations']): number {
  return new Set(list.map((v) => ruleKey(v.rule))).size;
}

/**
 * The sheets as written. Past `budget` entries (OWN_MESSAGE_ENTRIES), every input shows its rule's shared message
 * instead of its own (the label and points stay on the sheet, beside the cell); what a cell accepts
 * and refuses, and the error it shows, do not change. Sheets that shared a validation list still do.
 */
export function shareValidationPrompts(sheets: SheetPlan[], budget = OWN_MESSAGE_ENTRIES): SheetPlan[] {
  const counted = new Map<SheetPlan['validations'], number>();
  let total = 0;
  for (const s of sheets) {
    let n = counted.get(s.validations);
    if (n === undefined) counted.set(s.validations, (n = validationEntries(s.validations)));
    total += n;
  }
  if (total <= budget) return sheets;
  const swapped = new Map<SheetPlan['validations'], SheetPlan['validations']>();
  return sheets.map((s) => {
    if (!s.validations.length) return s;
    let list = swapped.get(s.validations);
    if (!list) {
      list = s.validations.map((v) => (v.rule.shared ? { address: v.address, rule: { ...v.rule, ...v.rule.shared } } : v));
      swapped.set(s.validations, list);
    }
    return { ...s, validations: list };
  });
}
