/**
 * R13 rank among every assessed unit (根据各单位年度累计办件量排名，按排名记分): the clerk enters the
 * unit's figure; the rank is 1 + the number of units of the cohort with a strictly better figure, so
 * ties share a rank (1, 1, 3). Points come from a table of rank bands or a step per place.
 * In the workbook the cohort's figures sit in a column of the 汇总 sheet and the rank is COUNTIF-based.
 */
import { z } from 'zod';
import { Dec, fmt } from '../decimal';
import * as X from '../expr';
import { problem, type Problem } from '../problems';
import { Setting, defineKind, figure, key, type CriterionCtx, type SettingGroup } from './types';

const Schema = z.strictObject({
  kind: z.literal('rank'),
  input: z.strictObject({
    label: z.string().min(1), unit: z.string().optional(),
    type: z.enum(['number', 'percent']).default('number').describe('percent: a rate (收件率), 85 / 85% / 0.85 alike'),
  }),
  order: z.enum(['desc', 'asc']).default('desc').describe('desc: the largest figure ranks first'),
  table: z.array(z.strictObject({
    upTo: z.number().int().positive().describe('Ranks up to and including this'), points: z.number().nonnegative(),
    setting: Setting.optional().describe('The document does not state these points: the clerk may change them (本表设定)'),
  })).optional(),
  step: z.strictObject({
    first: z.number().nonnegative(), per: z.number().positive(), min: z.number().nonnegative().default(0),
    setting: Setting.optional().describe('The document states no rank table: first and per are the rubric\'s own, the clerk may change them (本表设定)'),
  }).optional()
    .describe('first − (rank − 1) × per, never below min'),
  else: z.number().nonnegative().default(0).describe('Points for ranks beyond the table'),
}).refine((r) => (r.table === undefined) !== (r.step === undefined), 'give exactly one of table or step');
type Rule = z.infer<typeof Schema>;

function pointsFor(r: Rule, rk: X.Expr, c: CriterionCtx): X.Expr {
  if (r.step) {
    const s = r.step;
    return X.max(X.num(s.min), X.sub(figure(c, 'step.first', s.first, s.setting), X.mul(X.sub(rk, X.num(1)), figure(c, 'step.per', s.per, s.setting))));
  }
  const t = r.table ?? [];
  return t.map((row, i) => ({ row, i })).reverse()
    .reduce<X.Expr>((acc, { row, i }) => X.iff(X.cmp('<=', rk, X.num(row.upTo)), figure(c, `table.${i}.points`, row.points, row.setting), acc), X.num(r.else));
}

/** 本表设定: a step's first place and decrement, or a table's points (which must not rise with the rank). */
function settingsOf(r: Rule, c: CriterionCtx): SettingGroup | null {
  const max = c.points ? c.points.toNumber() : null;
  if (r.step) {
    const s = r.step;
    if (!s.setting) return null;
    return {
      items: [
        { param: 'step.first', value: s.first, min: 0, max, mark: { ...s.setting, label: `${s.setting.label}：第1名得分`, whyEn: s.setting.whyEn } },
        { param: 'step.per', value: s.per, min: 0, max, positive: true, mark: { ...s.setting, label: `${s.setting.label}：每后1名减`, whyEn: s.setting.whyEn } },
      ],
    };
  }
  const t = r.table ?? [];
  const items = t.flatMap((row, i) => (row.setting ? [{ param: `table.${i}.points`, value: row.points, min: 0, max, mark: row.setting }] : []));
  if (!items.length) return null;
  return { items, order: { dir: 'down', seq: [...t.map((row, i) => (row.setting ? { param: `table.${i}.points` } : { value: row.points })), { value: r.else }] } };
}

export default defineKind<Rule>({
  kind: 'rank',
  name: { zh: '排名', en: 'Rank' },
  catalog: ['R13'],
  summary: 'Rank of the unit\'s figure among the cohort (ties share), points from a rank table or a step per place.',
  schema: Schema,
  inputs: (r, c) => [{
    key: key(c, 'figure'), criterionId: c.id, name: 'figure', type: r.input.type, label: r.input.label, unit: r.input.unit, min: '0',
    ...(r.input.type === 'percent' ? { max: '1' } : {}), naAllowed: c.naAllowed,
    hint: `${r.input.label}：按全部被考核单位${r.order === 'desc' ? '从高到低' : '从低到高'}排名记分${r.step ? `，第1名${fmt(r.step.first)}分，每后1名减${fmt(r.step.per)}分` : ''}`,
    hintEn: `${r.input.label}: points by rank among all units (${r.order === 'desc' ? 'highest first' : 'lowest first'})`,
  }],
  compile: (r, c) => {
    const rk = X.rank(key(c, 'figure'), r.order, r.input.type === 'percent' ? 'pct' : 'num');
    return { points: pointsFor(r, rk, c), parts: [{ name: 'rank', expr: rk }] };
  },
  explain: (r, c, x) => {
    const vv = x.value(key(c, 'figure'));
    const v = vv && vv.t === 'num' ? vv.v : new Dec(0);
    const rk = x.part('rank');
    const shown = r.input.type === 'percent' ? `${fmt(v.times(100), 4)}%` : `${fmt(v, 4)}${r.input.unit ?? ''}`;
    return { zh: `${r.input.label}${shown}，排名第${fmt(rk, 0)}，得${fmt(x.points, 4)}分`, en: `${r.input.label} ${shown}, rank ${fmt(rk, 0)}: ${fmt(x.points, 4)}` };
  },
  check: (r, c) => {
    const out: Problem[] = [];
    const t = r.table ?? [];
    t.forEach((row, i) => {
      if (i > 0 && (row.upTo <= t[i - 1].upTo || row.points > t[i - 1].points)) out.push(problem('rubric.badRank', `${c.path}.rule.table[${i}]`, { detail: `rank ${row.upTo}` }));
      if (c.points && new Dec(row.points).gt(c.points)) out.push(problem('rubric.tierAboveMax', `${c.path}.rule.table[${i}]`, { points: row.points, max: fmt(c.points) }));
    });
    if (r.step && c.points && new Dec(r.step.first).gt(c.points)) out.push(problem('rubric.tierAboveMax', `${c.path}.rule.step`, { points: r.step.first, max: fmt(c.points) }));
    return out;
  },
  settings: settingsOf,
  reach: (r) => new Dec(r.step ? r.step.first : Math.max(r.else, ...(r.table ?? []).map((t) => t.points))),
});
