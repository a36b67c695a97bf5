/** R2 yes / no (成立有领导小组记2分，未成立扣2分): 是 gives `yes` points, 否 gives `no`. */
import { z } from 'zod';
import { Dec, fmt } from '../decimal';
import * as X from '../expr';
import { problem } from '../problems';
import { defineKind, key } from './types';

const Schema = z.strictObject({
  kind: z.literal('yesno'),
  question: z.string().min(1).describe('The yes/no question, e.g. 是否成立领导小组'),
  yes: z.number().nonnegative().optional().describe('Points for 是; default the criterion points'),
  no: z.number().nonnegative().default(0).describe('Points for 否'),
});
type Rule = z.infer<typeof Schema>;
const yesPts = (r: Rule, p: Dec | null) => (r.yes !== undefined ? new Dec(r.yes) : p ?? new Dec(0));

export default defineKind<Rule>({
  kind: 'yesno',
  name: { zh: '是否', en: 'Yes / no' },
  catalog: ['R2'],
  summary: 'A yes/no question: 是 gives `yes` points (default all), 否 gives `no` (default 0).',
  schema: Schema,
  inputs: (r, c) => [{
    key: key(c, 'yes'), criterionId: c.id, name: 'yes', type: 'yesno', label: r.question, naAllowed: c.naAllowed,
    hint: `${r.question}：“是”得${fmt(yesPts(r, c.points))}分，“否”得${fmt(r.no)}分`,
    hintEn: `${r.question}: 是 (yes) ${fmt(yesPts(r, c.points))}, 否 (no) ${fmt(r.no)}`,
  }],
  compile: (r, c) => ({ points: X.iff(X.yes(key(c, 'yes')), X.num(yesPts(r, c.points)), X.num(r.no)), parts: [] }),
  explain: (r, c, x) => {
    const v = x.value(key(c, 'yes'));
    const said = v && v.t === 'bool' && v.v ? '是' : '否';
    return { zh: `${r.question}：${said}，得${fmt(x.points, 4)}分`, en: `${r.question}: ${said === '是' ? 'yes' : 'no'}, ${fmt(x.points, 4)}` };
  },
  check: (r, c) => {
    const y = yesPts(r, c.points);
    const out = [];
    if (c.points && y.gt(c.points)) out.push(problem('rubric.optionAboveMax', `${c.path}.rule.yes`, { label: '是', points: fmt(y), max: fmt(c.points) }));
    if (c.points && new Dec(r.no).gt(c.points)) out.push(problem('rubric.optionAboveMax', `${c.path}.rule.no`, { label: '否', points: fmt(r.no), max: fmt(c.points) }));
    return out;
  },
  reach: (r, c) => Dec.max(yesPts(r, c.points), new Dec(r.no)),
});
