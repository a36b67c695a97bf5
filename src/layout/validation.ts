/** Data validation for an input cell: dropdowns for 是/否 and named choices, numeric ranges with the rule as the input message. */
import { NA_WORDS, naMarksText, type InputSpec } from '../engine';
import type { Validation } from './plan';

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
  const base = { allowBlank: true as const, promptTitle, prompt, errorTitle: '输入有误' };
  if (spec.type === 'yesno' || spec.type === 'choice') {
    const items = [...(spec.type === 'yesno' ? ['是', '否'] : spec.options ?? []), ...(spec.naAllowed ? ['不涉及'] : [])];
    if (!listOk(items)) return null;
    return { ...base, type: 'list', formulae: [`"${items.join(',')}"`], error: clip(`请从下拉列表中选择：${items.join('、')}`, 225) };
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
  const simple = !na.length && !spec.zeroOrRange && spec.step === undefined;
  if (simple) {
    const type = spec.type === 'count' ? 'whole' : 'decimal';
    return hi !== undefined
      ? { ...base, type, operator: 'between', formulae: [lo, hi], error }
      : { ...base, type, operator: 'greaterThanOrEqual', formulae: [lo], error };
  }
  // A custom rule: a number in range, or (where allowed) one of the 不涉及 words.
  // The commonest marks besides the words (marks.ts), within Excel's 255-character limit for a rule.
  const withMarks = [...na, '/', '—', '无'];
  const rule = (words: string[]) => `IF(ISNUMBER(${a}),${num},OR(${words.map((w) => `TRIM(${a})="${w}"`).join(',')}))`;
  const formula = na.length ? (rule(withMarks).length <= 255 ? rule(withMarks) : rule(na)) : num;
  return { ...base, type: 'custom', formulae: [formula], error };
}
