/**
 * R8 proportional (按照进驻比例记分; 部分完成根据实际进度记分) and R24 converted from another score
 * (按年度考核成绩相应折算): points × done / of, where `of` is a second input or a constant.
 */
import { z } from 'zod';
import { Dec, fmt } from '../decimal';
import * as X from '../expr';
import type { InputSpec } from '../inputs';
import { defineKind, key } from './types';

const Field = z.strictObject({ label: z.string().min(1), unit: z.string().optional() });
const Schema = z.strictObject({
  kind: z.literal('proportional'),
  input: z.enum(['ratio', 'pair']).default('pair').describe('ratio: one percentage; pair: done and of'),
  done: Field.optional().describe('pair: what was achieved (已进驻事项数); ratio: the percentage asked for'),
  of: z.union([z.number().positive(), Field]).optional().describe('pair: the required number, typed by the clerk, or a constant (e.g. 100 for a score out of 100)'),
});
type Rule = z.infer<typeof Schema>;

export default defineKind<Rule>({
  kind: 'proportional',
  name: { zh: '按比例', en: 'Proportional' },
  catalog: ['R8', 'R24'],
  summary: 'Points × done / of (or × a percentage), clamped to [0, points].',
  schema: Schema,
  inputs: (r, c) => {
    const pts = c.points ? fmt(c.points) : '?';
    if (r.input === 'ratio') {
      const label = r.done?.label ?? '完成比例';
      return [{ key: key(c, 'ratio'), criterionId: c.id, name: 'ratio', type: 'percent', label, min: '0', max: '1', naAllowed: c.naAllowed, hint: `${label}（%）：得分=${pts}分×比例`, hintEn: `${label} (%): points = ${pts} × ratio` }];
    }
    const done = r.done ?? { label: '完成数' };
    // 完成数 ≤ 应完成数 and 应完成数 > 0 are read with the cell (inputs.ts), in the engine and in the state cells.
    const bound = typeof r.of === 'number' ? { max: String(r.of) } : { atMost: key(c, 'of') };
    const out: InputSpec[] = [{ key: key(c, 'done'), criterionId: c.id, name: 'done', type: 'number', label: done.label, unit: done.unit, min: '0', ...bound, naAllowed: c.naAllowed, hint: `${done.label}：得分=${pts}分×完成数÷应完成数`, hintEn: `${done.label}: points = ${pts} × done ÷ required` }];
    if (typeof r.of !== 'number') {
      const of = r.of ?? { label: '应完成数' };
      out.push({ key: key(c, 'of'), criterionId: c.id, name: 'of', type: 'number', label: of.label, unit: of.unit, min: '0', positive: true, hint: `${of.label}（须大于0）`, hintEn: `${of.label} (must be above 0)` });
    }
    return out;
  },
  compile: (r, c) => {
    const pts = X.num(c.points ?? 0);
    const share = r.input === 'ratio'
      ? X.input(key(c, 'ratio'), 'pct')
      : X.div(X.input(key(c, 'done')), typeof r.of === 'number' ? X.num(r.of) : X.input(key(c, 'of')));
    const raw = X.mul(pts, share);
    return { points: X.clampExpr(raw, X.num(0), pts), parts: [{ name: 'share', expr: share }], limits: { raw, cap: c.points, floor: new Dec(0) } };
  },
  explain: (r, c, x) => {
    const pts = fmt(c.points ?? 0);
    if (r.input === 'ratio') {
      const s = x.part('share');
      return { zh: `比例${fmt(s.times(100), 2)}%，${pts}分×${fmt(s.times(100), 2)}%=${fmt(x.points, 4)}分`, en: `${fmt(s.times(100), 2)}% of ${pts} = ${fmt(x.points, 4)}` };
    }
    const dv = x.value(key(c, 'done'));
    const d = dv && dv.t === 'num' ? dv.v : new Dec(0);
    let o: Dec;
    if (typeof r.of === 'number') o = new Dec(r.of);
    else {
      const ov = x.value(key(c, 'of'));
      o = ov && ov.t === 'num' ? ov.v : new Dec(0);
    }
    if (o.isZero()) return { zh: `应完成数为0或未填，得0分`, en: `Required number is 0 or blank: 0` };
    return { zh: `${fmt(d, 4)}÷${fmt(o, 4)}×${pts}分=${fmt(x.points, 4)}分`, en: `${fmt(d, 4)} ÷ ${fmt(o, 4)} × ${pts} = ${fmt(x.points, 4)}` };
  },
  check: () => [],
  reach: (_r, c) => c.points ?? new Dec(0),
});
