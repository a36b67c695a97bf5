/** R1 direct score (酌情给分): the clerk enters the points, within [min, max] in the rubric's step. */
import { z } from 'zod';
import { Dec, fmt } from '../decimal';
import * as X from '../expr';
import { problem } from '../problems';
import { defineKind, key } from './types';

const Schema = z.strictObject({
  kind: z.literal('direct'),
  label: z.string().optional().describe('What to enter; default 得分'),
  min: z.number().nonnegative().default(0),
  max: z.number().positive().optional().describe('Default: the criterion points'),
  step: z.number().positive().optional().describe('Allowed step, e.g. 0.5 or 0.1'),
});
type Rule = z.infer<typeof Schema>;

const hi = (r: Rule, points: Dec | null): Dec | null => (r.max !== undefined ? new Dec(r.max) : points);

export default defineKind<Rule>({
  kind: 'direct',
  name: { zh: '直接打分', en: 'Direct score' },
  catalog: ['R1'],
  summary: 'The clerk enters the points (酌情给分), within [min, max] and in the given step.',
  schema: Schema,
  inputs: (r, c) => {
    const h = hi(r, c.points);
    const range = `${fmt(r.min)}～${h ? fmt(h) : '∞'}`;
    const step = r.step !== undefined ? `，步长${fmt(r.step, 4)}` : '';
    return [{
      key: key(c, 'score'), criterionId: c.id, name: 'score', type: 'score', label: r.label ?? '得分',
      min: String(r.min), max: h ? h.toFixed() : undefined, step: r.step !== undefined ? String(r.step) : undefined,
      unit: '分', naAllowed: c.naAllowed,
      hint: `${r.label ?? '得分'}：${range}分${step}`, hintEn: `Points awarded, ${range}${r.step !== undefined ? `, step ${r.step}` : ''}`,
    }];
  },
  compile: (r, c) => {
    const h = hi(r, c.points);
    const entered = X.input(key(c, 'score'));
    const v = X.clampExpr(entered, X.num(r.min), h ? X.num(h) : null);
    return { points: v, parts: [], limits: { raw: entered, cap: h, floor: new Dec(r.min) } };
  },
  explain: (r, c, x) => ({ zh: `评定${fmt(x.points, 4)}分`, en: `Awarded ${fmt(x.points, 4)}` }),
  check: (r, c) => {
    const h = hi(r, c.points);
    return h && h.lt(r.min) ? [problem('rubric.rangeOrder', `${c.path}.rule`, { min: r.min, max: fmt(h) })] : [];
  },
  reach: (r, c) => hi(r, c.points),
});
