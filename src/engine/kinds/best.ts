/**
 * R16 take the highest within a group (同一宣传内容取最高分): each item (one row per item) is entered
 * once with the highest level it reached; the items' points add up, capped (最高不超过5分).
 */
import { z } from 'zod';
import { Dec, ZERO, fmt } from '../decimal';
import * as X from '../expr';
import type { InputSpec } from '../inputs';
import { problem, type Problem } from '../problems';
import { defineKind, key, type CriterionCtx } from './types';

const Schema = z.strictObject({
  kind: z.literal('best'),
  label: z.string().min(1).describe('What one item is, e.g. 宣传内容'),
  slots: z.number().int().min(1).max(30).default(5).describe('How many item rows the sheet offers'),
  options: z.array(z.strictObject({ label: z.string().min(1), points: z.number().positive() })).min(1),
  cap: z.number().positive().optional().describe('Cap on the sum; default the criterion points'),
});
type Rule = z.infer<typeof Schema>;
const capOf = (r: Rule, c: CriterionCtx) => (r.cap !== undefined ? new Dec(r.cap) : c.points);
const slotName = (i: number) => `item${i + 1}`;

export default defineKind<Rule>({
  kind: 'best',
  name: { zh: '取最高', en: 'Best of' },
  catalog: ['R16'],
  summary: 'One row per item, each counted once at its highest level; the sum is capped.',
  schema: Schema,
  inputs: (r, c) => Array.from({ length: r.slots }, (_, i): InputSpec => ({
    key: key(c, slotName(i)), criterionId: c.id, name: slotName(i), type: 'choice', label: `${r.label}${i + 1}`,
    options: r.options.map((o) => o.label), naAllowed: i === 0 && c.naAllowed,
    hint: `${r.label}${i + 1}：选其最高一级（${r.options.map((o) => `${o.label}${fmt(o.points)}分`).join('，')}）`,
    hintEn: `${r.label} ${i + 1}: its highest level (${r.options.map((o) => `${o.label} ${fmt(o.points)}`).join(', ')})`,
  })),
  compile: (r, c) => {
    const parts = Array.from({ length: r.slots }, (_, i) => {
      const k = key(c, slotName(i));
      return { name: slotName(i), expr: r.options.reduceRight<X.Expr>((acc, o) => X.iff(X.textIs(k, o.label), X.num(o.points), acc), X.num(0)) };
    });
    const total = X.sum(parts.map((p) => p.expr));
    const cap = capOf(r, c);
    return { points: cap ? X.min(X.num(cap), total) : total, parts, limits: { raw: total, cap, floor: null } };
  },
  explain: (r, c, x) => {
    const bits: string[] = [];
    let total = ZERO;
    for (let i = 0; i < r.slots; i++) {
      const v = x.value(key(c, slotName(i)));
      const p = x.part(slotName(i));
      if (v && v.t === 'text') bits.push(`${r.label}${i + 1}（${v.v}）${fmt(p)}分`);
      total = total.plus(p);
    }
    if (bits.length === 0) return { zh: '无加分项', en: 'Nothing entered' };
    const cap = capOf(r, c);
    const capped = cap !== null && total.gt(cap);
    return {
      zh: `${bits.join('；')}；合计${fmt(total, 4)}分${capped ? `，超过上限${fmt(cap!)}分，按${fmt(cap!)}分计` : ''}`,
      en: `${bits.length} item(s), total ${fmt(total, 4)}${capped ? `, capped at ${fmt(cap!)}` : ''}`,
    };
  },
  check: (r, c) => {
    const out: Problem[] = [];
    const cap = capOf(r, c);
    const most = new Dec(Math.max(...r.options.map((o) => o.points))).times(r.slots);
    if (cap && most.lt(cap)) out.push(problem('rubric.capUnreachable', `${c.path}.rule`, { cap: fmt(cap), reach: fmt(most) }));
    return out;
  },
  reach: (r, c) => capOf(r, c) ?? new Dec(Math.max(...r.options.map((o) => o.points))).times(r.slots),
});
