/** R3 choice among named levels (整体接入的记10分，单机接入的记5分). */
import { z } from 'zod';
import { Dec, fmt } from '../decimal';
import * as X from '../expr';
import { problem, type Problem } from '../problems';
import { defineKind, key } from './types';

const Schema = z.strictObject({
  kind: z.literal('choice'),
  label: z.string().optional().describe('What is chosen, e.g. 接入方式'),
  options: z.array(z.strictObject({ label: z.string().min(1), points: z.number().nonnegative() })).min(1),
  else: z.number().nonnegative().default(0).describe('Points when nothing (or nothing listed) is chosen'),
});
type Rule = z.infer<typeof Schema>;

export default defineKind<Rule>({
  kind: 'choice',
  name: { zh: '选项', en: 'Choice' },
  catalog: ['R3'],
  summary: 'Choose one named level; each level has its points.',
  schema: Schema,
  inputs: (r, c) => [{
    key: key(c, 'choice'), criterionId: c.id, name: 'choice', type: 'choice', label: r.label ?? '情况',
    options: r.options.map((o) => o.label), naAllowed: c.naAllowed,
    hint: r.options.map((o) => `${o.label}${fmt(o.points)}分`).join('；'),
    hintEn: `One of: ${r.options.map((o) => `${o.label} (${fmt(o.points)})`).join(', ')}`,
  }],
  compile: (r, c) => {
    const k = key(c, 'choice');
    const e = r.options.reduceRight<X.Expr>((acc, o) => X.iff(X.textIs(k, o.label), X.num(o.points), acc), X.num(r.else));
    return { points: e, parts: [] };
  },
  explain: (r, c, x) => {
    const v = x.value(key(c, 'choice'));
    const picked = v && v.t === 'text' ? v.v : '未选择';
    return { zh: `${picked}，得${fmt(x.points, 4)}分`, en: `${picked === '未选择' ? 'nothing chosen' : picked}: ${fmt(x.points, 4)}` };
  },
  check: (r, c) => {
    const out: Problem[] = [];
    const seen = new Set<string>();
    r.options.forEach((o, i) => {
      if (seen.has(o.label)) out.push(problem('rubric.duplicateId', `${c.path}.rule.options[${i}]`, { id: o.label, first: c.id }));
      seen.add(o.label);
      if (c.points && new Dec(o.points).gt(c.points)) out.push(problem('rubric.optionAboveMax', `${c.path}.rule.options[${i}]`, { label: o.label, points: fmt(o.points), max: fmt(c.points) }));
    });
    return out;
  },
  reach: (r) => Dec.max(new Dec(r.else), ...r.options.map((o) => new Dec(o.points))),
});
