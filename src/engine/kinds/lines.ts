/**
 * Lines: the pieces a deduction (扣分) or an increment (加分/记分) criterion is made of. One criterion
 * may have several lines (R5), each with its own rate, cap (R6) or level (R11); each line is one input
 * row on the sheet. Used by the `deduct` and `tally` kinds.
 */
import { z } from 'zod';
import { Dec, ZERO, fmt } from '../decimal';
import * as X from '../expr';
import type { Expr } from '../expr';
import type { InputSpec } from '../inputs';
import { problem, type Problem } from '../problems';
import { key, type CriterionCtx } from './types';

const pos = z.number().positive();
const name = z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - or _').optional()
  .describe('Stable input name (keeps entered values when lines are reordered); default l1, l2…');
const common = {
  name,
  label: z.string().min(1).describe('What the clerk enters, short (e.g. 违反次数)'),
  text: z.string().optional().describe('The verbatim rubric words of this line'),
  cap: pos.optional().describe('This line never takes more than this (R6 最高扣5分)'),
  optional: z.boolean().optional().describe('A blank here means "nothing found" (e.g. a level that did not spot-check), not "not yet entered"'),
  oneOf: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - or _').optional()
    .describe('Mutually exclusive lines share a group name: only one of them can apply (未公开指南 / 已公开但更新不及时). The group counts its largest amount once; entering several is reported'),
};
const whole = z.enum(['up', 'down']).optional().describe('Count only whole steps (up: a started step counts; down: only complete steps); default exact');

export const LineSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('count'), ...common, rate: pos, unit: z.string().optional() })
    .describe('count × rate (每次扣0.5分 / 每次加2分)'),
  z.strictObject({ type: z.literal('flag'), ...common, amount: pos })
    .describe('yes/no: yes takes/gives `amount` (未制定方案的扣0.5分)'),
  z.strictObject({
    type: z.literal('shortfall'), ...common, target: z.number(), rate: pos, per: pos.default(1),
    unit: z.string().optional(), input: z.enum(['number', 'percent']).default('number'), whole,
  }).describe('rate × (target − achieved) / per, when below target (每少一条扣1分; 每低1个百分点扣0.1分)'),
  z.strictObject({
    type: z.literal('excess'), ...common, threshold: z.number(), rate: pos, per: pos.default(1),
    unit: z.string().optional(), input: z.enum(['number', 'percent']).default('number'), whole,
  }).describe('rate × (value − threshold) / per, when above it (第3名之后每下降1位扣0.5分; 每延迟一天扣0.1分 with threshold 0)'),
  z.strictObject({ type: z.literal('ratio'), ...common, rate: pos })
    .describe('rate × a ratio the clerk enters (按比例扣分): the amount at 100%'),
  z.strictObject({
    type: z.literal('amount'), ...common, min: z.number().nonnegative().default(0), max: pos.optional(),
    step: pos.optional(),
  }).describe('the clerk enters the amount itself, 0 or within [min, max] (R26 视情扣0.5-3分)'),
  z.strictObject({
    type: z.literal('zero'), ...common,
    voids: z.array(z.string().min(1)).min(1).optional()
      .describe('Ids of other nodes (a sibling such as a rank bonus, or the parent) that this zero-out voids as well: they score 0 too'),
  }).describe('yes/no: yes and the whole criterion scores 0 (R7 此项不记分)'),
]);
export type Line = z.infer<typeof LineSchema>;

export const lineName = (l: Line, i: number): string => l.name ?? `l${i + 1}`;

type Verb = { zh: string; en: string };
export const DEDUCT: Verb = { zh: '扣', en: 'deduct' };
export const GAIN: Verb = { zh: '加', en: 'add' };

export function lineInput(c: CriterionCtx, l: Line, i: number, verb: Verb, first: boolean): InputSpec {
  const n = lineName(l, i);
  // `line` lets the sheet's 备注 print this line's arithmetic by formula (layout/notes.ts).
  const rate = l.type === 'count' ? l.rate : l.type === 'flag' ? l.amount : undefined;
  const line = { verb: verb.zh, ...(rate !== undefined ? { rate: String(rate) } : {}) };
  const base = { key: key(c, n), criterionId: c.id, name: n, label: l.label, lineText: l.text, naAllowed: first && c.naAllowed, line, ...(l.optional ? { optional: true } : {}) };
  const capZh = l.cap !== undefined ? `，最多${verb.zh}${fmt(l.cap)}分` : '';
  const capEn = l.cap !== undefined ? `, at most ${fmt(l.cap)}` : '';
  switch (l.type) {
    case 'count': {
      const u = l.unit ?? '次';
      return { ...base, type: 'count', min: '0', unit: u, hint: `${l.label}（${u}），每${u}${verb.zh}${fmt(l.rate)}分${capZh}`, hintEn: `${l.label}: a count, ${verb.en} ${fmt(l.rate)} each${capEn}` };
    }
    case 'flag':
      return { ...base, type: 'yesno', hint: `${l.label}：填“是”${verb.zh}${fmt(l.amount)}分，填“否”不${verb.zh}`, hintEn: `${l.label}: 是 (yes) to ${verb.en} ${fmt(l.amount)}, 否 (no) otherwise` };
    case 'shortfall':
    case 'excess': {
      const pct = l.input === 'percent';
      const show = (v: number) => (pct ? `${fmt(new Dec(v).times(100), 4)}%` : fmt(v, 4));
      const u = l.unit ?? (pct ? '个百分点' : '');
      const bound = l.type === 'shortfall' ? l.target : l.threshold;
      const zh = l.type === 'shortfall'
        ? `${l.label}：低于${show(bound)}时，每少${pct ? fmt(new Dec(l.per).times(100), 4) : fmt(l.per, 4)}${u}${verb.zh}${fmt(l.rate)}分${capZh}`
        : `${l.label}：超过${show(bound)}后，每多${pct ? fmt(new Dec(l.per).times(100), 4) : fmt(l.per, 4)}${u}${verb.zh}${fmt(l.rate)}分${capZh}`;
      const en = `${l.label}: ${verb.en} ${fmt(l.rate)} per ${fmt(l.per, 4)} ${l.type === 'shortfall' ? 'below' : 'above'} ${show(bound)}${capEn}`;
      return { ...base, type: pct ? 'percent' : 'number', min: '0', unit: l.unit, hint: zh, hintEn: en };
    }
    case 'ratio':
      return { ...base, type: 'percent', min: '0', max: '1', hint: `${l.label}（比例）：按比例${verb.zh}分，100%时${verb.zh}${fmt(l.rate)}分${capZh}`, hintEn: `${l.label} (a ratio): ${verb.en} ${fmt(l.rate)} × ratio${capEn}` };
    case 'amount': {
      const hi = l.max ?? l.cap ?? (c.points ? Number(c.points.toString()) : undefined);
      const range = hi !== undefined ? `${fmt(l.min)}～${fmt(hi)}` : `≥${fmt(l.min)}`;
      return {
        ...base, type: 'score', min: String(l.min), max: hi !== undefined ? String(hi) : undefined,
        step: l.step !== undefined ? String(l.step) : undefined, zeroOrRange: l.min > 0, unit: '分',
        hint: `${l.label}：${verb.zh}分${range}分（视情确定）`, hintEn: `${l.label}: points to ${verb.en}, ${range}`,
      };
    }
    case 'zero':
      return { ...base, type: 'yesno', hint: `${l.label}：填“是”则本项不得分`, hintEn: `${l.label}: 是 (yes) and this criterion scores 0` };
  }
}

function steps(diff: Expr, per: number, whole: 'up' | 'down' | undefined): Expr {
  const units = per === 1 ? diff : X.div(diff, X.num(per));
  return whole ? X.round(units, 0, whole) : units;
}

/** The amount a line contributes (never negative); `zero` lines contribute nothing here. */
export function lineAmount(c: CriterionCtx, l: Line, i: number): Expr {
  const k = key(c, lineName(l, i));
  let e: Expr;
  switch (l.type) {
    case 'count':
      e = X.mul(X.max(X.num(0), X.input(k)), X.num(l.rate));
      break;
    case 'flag':
      e = X.iff(X.yes(k), X.num(l.amount), X.num(0));
      break;
    case 'shortfall': {
      const v = X.input(k, l.input === 'percent' ? 'pct' : 'num');
      e = X.mul(steps(X.max(X.num(0), X.sub(X.num(l.target), v)), l.per, l.whole), X.num(l.rate));
      // An optional shortfall left blank (a level that did not spot-check) deducts nothing, not the whole target.
      if (l.optional) e = X.iff(X.entered(k), e, X.num(0));
      break;
    }
    case 'excess': {
      const v = X.input(k, l.input === 'percent' ? 'pct' : 'num');
      e = X.mul(steps(X.max(X.num(0), X.sub(v, X.num(l.threshold))), l.per, l.whole), X.num(l.rate));
      break;
    }
    case 'ratio':
      e = X.mul(X.max(X.num(0), X.min(X.num(1), X.input(k, 'pct'))), X.num(l.rate));
      break;
    case 'amount':
      e = X.max(X.num(0), X.input(k));
      break;
    case 'zero':
      return X.num(0);
  }
  return l.cap !== undefined ? X.min(X.num(l.cap), e) : e;
}

/** One explanation fragment per line that contributed, e.g. `违反次数3次×0.5=1.5分`. */
export function lineExplain(c: CriterionCtx, l: Line, i: number, amount: Dec, value: X.Value, verb: Verb): { zh: string; en: string } | null {
  if (l.type === 'zero') return null;
  if (amount.isZero()) return null;
  const v = value && value.t === 'num' ? value.v : ZERO;
  const capped = l.cap !== undefined && amount.eq(l.cap);
  const capZh = capped ? `（本行最多${verb.zh}${fmt(l.cap!)}分）` : '';
  const capEn = capped ? ` (line capped at ${fmt(l.cap!)})` : '';
  switch (l.type) {
    case 'count': {
      const u = l.unit ?? '次';
      return { zh: `${l.label}${fmt(v, 4)}${u}×${fmt(l.rate, 4)}=${fmt(amount, 4)}分${capZh}`, en: `${l.label} ${fmt(v, 4)} × ${fmt(l.rate, 4)} = ${fmt(amount, 4)}${capEn}` };
    }
    case 'flag':
      return { zh: `${l.label}，${verb.zh}${fmt(amount, 4)}分`, en: `${l.label}: ${verb.en} ${fmt(amount, 4)}` };
    case 'shortfall':
    case 'excess': {
      const pct = l.input === 'percent';
      const val = pct ? X.readPct(v) : v;
      const show = (d: Dec | number) => (pct ? `${fmt(new Dec(d).times(100), 4)}%` : fmt(d, 4));
      const bound = l.type === 'shortfall' ? l.target : l.threshold;
      const rel = l.type === 'shortfall' ? '低于' : '超过';
      return {
        zh: `${l.label}${show(val)}，${rel}${show(bound)}，${verb.zh}${fmt(amount, 4)}分${capZh}`,
        en: `${l.label} ${show(val)}, ${l.type === 'shortfall' ? 'below' : 'above'} ${show(bound)}: ${verb.en} ${fmt(amount, 4)}${capEn}`,
      };
    }
    case 'ratio': {
      const r = X.readPct(v);
      return { zh: `${l.label}${fmt(r.times(100), 2)}%×${fmt(l.rate)}=${fmt(amount, 4)}分${capZh}`, en: `${l.label} ${fmt(r.times(100), 2)}% × ${fmt(l.rate)} = ${fmt(amount, 4)}${capEn}` };
    }
    case 'amount':
      return { zh: `${l.label}${verb.zh}${fmt(amount, 4)}分${capZh}`, en: `${l.label}: ${verb.en} ${fmt(amount, 4)}${capEn}` };
  }
}

/** The most one line can ever contribute, or null when unbounded. */
export function lineReach(l: Line, pointsHint: Dec | null): Dec | null {
  let r: Dec | null;
  switch (l.type) {
    case 'flag': r = new Dec(l.amount); break;
    case 'ratio': r = new Dec(l.rate); break;
    case 'amount': r = l.max !== undefined ? new Dec(l.max) : pointsHint; break;
    case 'shortfall':
      r = l.input === 'percent' || l.target >= 0 ? new Dec(l.rate).times(new Dec(l.target).div(l.per)) : null;
      break;
    case 'zero': r = ZERO; break;
    default: r = null;
  }
  if (l.cap !== undefined) r = r === null ? new Dec(l.cap) : Dec.min(r, new Dec(l.cap));
  return r;
}

export function lineChecks(c: CriterionCtx, lines: Line[], path: string): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    const n = lineName(l, i);
    if (seen.has(n)) out.push(problem('rubric.duplicateId', `${path}.lines[${i}]`, { id: `${c.id}#${n}`, first: c.id }));
    seen.add(n);
    if (l.type === 'amount' && l.max !== undefined && l.min > l.max) {
      out.push(problem('rubric.rangeOrder', `${path}.lines[${i}]`, { min: l.min, max: l.max }));
    }
    if (l.cap !== undefined && c.points !== null && c.points.gt(0) && new Dec(l.cap).gt(c.points)) {
      out.push(problem('rubric.capAboveMax', `${path}.lines[${i}].cap`, { cap: l.cap, max: fmt(c.points) }));
    }
  });
  return out;
}

/**
 * The total of a criterion's lines: ungrouped lines add up; a `oneOf` group adds its largest line once
 * (so ticking two exclusive lines never takes both). `amounts` are the lines' amounts, in order.
 */
export function linesTotal(lines: Line[], amounts: Expr[]): Expr {
  const terms: Expr[] = [];
  const groups = new Map<string, Expr[]>();
  lines.forEach((l, i) => {
    if (l.type === 'zero') return;
    if (!l.oneOf) { terms.push(amounts[i]); return; }
    let g = groups.get(l.oneOf);
    if (!g) { groups.set(l.oneOf, (g = [])); terms.push({ op: 'max', xs: g }); }
    g.push(amounts[i]);
  });
  // A group of one is just that line.
  return X.sum(terms.map((t) => (t.op === 'max' && t.xs.length === 1 ? t.xs[0] : t)));
}

/** The same total from evaluated line amounts (explanations). */
export function linesTotalDec(lines: Line[], amount: (i: number) => Dec): Dec {
  let total = ZERO;
  const best = new Map<string, Dec>();
  lines.forEach((l, i) => {
    if (l.type === 'zero') return;
    const a = amount(i);
    if (!l.oneOf) total = total.plus(a);
    else best.set(l.oneOf, Dec.max(best.get(l.oneOf) ?? ZERO, a));
  });
  for (const v of best.values()) total = total.plus(v);
  return total;
}

/** Exclusive groups in which the clerk entered more than one applying line: one problem per group. */
export function exclusiveProblems(c: CriterionCtx, lines: Line[], value: (key: string) => X.Value): Problem[] {
  const hit = new Map<string, number[]>();
  const env: X.EvalEnv = { value, ref: () => ZERO, rank: () => ZERO };
  lines.forEach((l, i) => {
    if (!l.oneOf || l.type === 'zero') return;
    if (X.evaluate(lineAmount(c, l, i), env).gt(0)) hit.set(l.oneOf, [...(hit.get(l.oneOf) ?? []), i]);
  });
  const out: Problem[] = [];
  for (const idx of hit.values()) {
    // Reported at the second line entered: the first one stands as the clerk's main finding.
    if (idx.length > 1) out.push(problem('input.exclusiveLines', key(c, lineName(lines[idx[1]], idx[1])), { labels: idx.map((i) => lines[i].label).join('”“') }));
  }
  return out;
}
