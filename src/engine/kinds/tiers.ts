/**
 * R9 threshold tiers (网上可办率70%以上记1分，90%以上记4分; 50—100平方米5分…200平方米以上15分):
 * the points of the highest tier reached. 以上 includes the bound (≥); a tier with `above: true`
 * excludes it (超过). Gaps between tiers are the rubric author's explicit choice, noted in the rubric.
 */
import { z } from 'zod';
import { Dec, fmt } from '../decimal';
import * as X from '../expr';
import { problem, type Problem } from '../problems';
import { Setting, defineKind, figure, key } from './types';

const Schema = z.strictObject({
  kind: z.literal('tiers'),
  input: z.strictObject({
    label: z.string().min(1),
    type: z.enum(['number', 'percent']).default('number'),
    unit: z.string().optional(),
    max: z.number().positive().optional().describe('Largest value that makes sense (input range)'),
  }),
  tiers: z.array(z.strictObject({
    min: z.number().describe('Lower bound (for percent, a fraction: 0.9 = 90%)'),
    above: z.boolean().default(false).describe('true: strictly above min (超过); false: min included (以上)'),
    points: z.number().nonnegative(),
    label: z.string().optional(),
    setting: Setting.optional().describe('The document does not state this tier\'s points (a gap between its tiers): the clerk may change them (本表设定)'),
  })).min(1),
  else: z.number().nonnegative().default(0).describe('Points below the lowest tier'),
});
type Rule = z.infer<typeof Schema>;

const show = (r: Rule, v: Dec | number) => (r.input.type === 'percent' ? `${fmt(new Dec(v).times(100), 4)}%` : `${fmt(v, 4)}${r.input.unit ?? ''}`);

export default defineKind<Rule>({
  kind: 'tiers',
  name: { zh: '分档', en: 'Tiers' },
  catalog: ['R9'],
  summary: 'A figure (number or %) earns the points of the highest tier it reaches.',
  schema: Schema,
  inputs: (r, c) => [{
    key: key(c, 'value'), criterionId: c.id, name: 'value', type: r.input.type, label: r.input.label, unit: r.input.unit,
    min: '0', max: r.input.type === 'percent' ? '1' : r.input.max !== undefined ? String(r.input.max) : undefined, naAllowed: c.naAllowed,
    hint: `${r.input.label}：${r.tiers.map((t) => `${show(r, t.min)}${t.above ? '以上（不含）' : '以上'}${fmt(t.points)}分`).join('，')}`,
    hintEn: `${r.input.label}: ${r.tiers.map((t) => `${t.above ? '>' : '≥'}${show(r, t.min)} → ${fmt(t.points)}`).join(', ')}`,
  }],
  compile: (r, c) => {
    const v = X.input(key(c, 'value'), r.input.type === 'percent' ? 'pct' : 'num');
    const e = r.tiers.reduce<X.Expr>((acc, t, i) => X.iff(X.cmp(t.above ? '>' : '>=', v, X.num(t.min)), figure(c, `tiers.${i}.points`, t.points, t.setting), acc), X.num(r.else));
    return { points: e, parts: [] };
  },
  explain: (r, c, x) => {
    const vv = x.value(key(c, 'value'));
    const v = vv && vv.t === 'num' ? vv.v : new Dec(0);
    const hit = [...r.tiers].reverse().find((t) => (t.above ? v.gt(t.min) : v.gte(t.min)));
    return hit
      ? { zh: `${r.input.label}${show(r, v)}，达到“${show(r, hit.min)}${hit.above ? '以上（不含）' : '以上'}”档，得${fmt(x.points, 4)}分`, en: `${r.input.label} ${show(r, v)} reaches the ${show(r, hit.min)} tier: ${fmt(x.points, 4)}` }
      : { zh: `${r.input.label}${show(r, v)}，未达到最低档，得${fmt(x.points, 4)}分`, en: `${r.input.label} ${show(r, v)} is below every tier: ${fmt(x.points, 4)}` };
  },
  check: (r, c) => {
    const out: Problem[] = [];
    r.tiers.forEach((t, i) => {
      // 90 for 90%: it validates, then nobody ever reaches the tier (a percent input is at most 1).
      if (r.input.type === 'percent' && t.min > 1) {
        out.push(problem('rubric.percentTierWhole', `${c.path}.rule.tiers[${i}].min`, { label: r.input.label, min: t.min, fraction: fmt(new Dec(t.min).div(100), 6) }));
      }
      if (i > 0) {
        const p = r.tiers[i - 1];
        if (t.min < p.min || (t.min === p.min && !(t.above && !p.above)) || t.points < p.points) {
          out.push(problem('rubric.tiersOrder', `${c.path}.rule.tiers[${i}]`, { index: i + 1, min: t.min }));
        }
      }
      if (c.points && new Dec(t.points).gt(c.points)) out.push(problem('rubric.tierAboveMax', `${c.path}.rule.tiers[${i}]`, { points: t.points, max: fmt(c.points) }));
    });
    return out;
  },
  // 本表设定: a tier's points the document leaves out; a higher tier never earns less.
  settings: (r, c) => {
    const max = c.points ? c.points.toNumber() : null;
    const items = r.tiers.flatMap((t, i) => (t.setting ? [{ param: `tiers.${i}.points`, value: t.points, min: 0, max, mark: t.setting }] : []));
    if (!items.length) return null;
    return { items, order: { dir: 'up', seq: [{ value: r.else }, ...r.tiers.map((t, i) => (t.setting ? { param: `tiers.${i}.points` } : { value: t.points }))] } };
  },
  reach: (r) => Dec.max(new Dec(r.else), ...r.tiers.map((t) => new Dec(t.points))),
});
