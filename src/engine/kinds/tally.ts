/**
 * R12, R14, R15, R18, R20 increments: the sum of every line (每承担1项改革任务记1分; 每次加2分; 每起扣2分),
 * capped at `cap` (default the criterion points, 5分封顶), uncapped where neither is given (R18).
 * In a bonus section the tally is added; in a penalty section, or with `effect: subtract`, it is taken off.
 */
import { z } from 'zod';
import { Dec, ZERO, fmt } from '../decimal';
import * as X from '../expr';
import { problem, type Problem } from '../problems';
import { DEDUCT, GAIN, LineSchema, exclusiveProblems, lineAmount, lineChecks, lineExplain, lineInput, lineName, lineReach, linesTotal, linesTotalDec } from './lines';
import { defineKind, key, type CriterionCtx } from './types';

const Schema = z.strictObject({
  kind: z.literal('tally'),
  verb: z.enum(['add', 'deduct']).default('add').describe('How the lines read on the sheet: 加/记 (add) or 扣 (deduct)'),
  cap: z.number().positive().optional().describe('Upper bound of the sum; default the criterion points; none = uncapped'),
  lines: z.array(LineSchema.refine((l) => l.type !== 'zero', 'a tally has no zero-out lines')).min(1),
});
type Rule = z.infer<typeof Schema>;

const capOf = (r: Rule, c: CriterionCtx): Dec | null => (r.cap !== undefined ? new Dec(r.cap) : c.points);
const verbOf = (r: Rule) => (r.verb === 'deduct' ? DEDUCT : GAIN);

export default defineKind<Rule>({
  kind: 'tally',
  name: { zh: '累加', en: 'Tally' },
  catalog: ['R12', 'R14', 'R15', 'R18', 'R20'],
  summary: 'Sum of lines (count × rate, yes/no amounts, entered amounts), capped at `cap` or the criterion points; uncapped when neither is set.',
  schema: Schema,
  inputs: (r, c) => r.lines.map((l, i) => lineInput(c, l, i, verbOf(r), i === 0)),
  compile: (r, c) => {
    const parts = r.lines.map((l, i) => ({ name: lineName(l, i), expr: lineAmount(c, l, i) }));
    const total = linesTotal(r.lines, parts.map((p) => p.expr));
    const cap = capOf(r, c);
    return { points: cap ? X.min(X.num(cap), total) : total, parts, limits: { raw: total, cap, floor: null } };
  },
  explain: (r, c, x) => {
    const v = verbOf(r);
    const bits = r.lines.flatMap((l, i) => {
      const e = lineExplain(c, l, i, x.part(lineName(l, i)), x.value(key(c, lineName(l, i))), v);
      return e ? [e] : [];
    });
    if (bits.length === 0) return { zh: `无${v.zh}分项`, en: `Nothing to ${v.en}` };
    const total = linesTotalDec(r.lines, (i) => x.part(lineName(r.lines[i], i)));
    const plain = r.lines.reduce((acc, _l, i) => acc.plus(x.part(lineName(r.lines[i], i))), ZERO);
    const once = plain.gt(total) ? { zh: '互斥各项只计最多的一项，', en: 'exclusive lines count once (the largest), ' } : { zh: '', en: '' };
    const cap = capOf(r, c);
    const capped = cap !== null && total.gt(cap);
    const zh = `${bits.map((b) => b.zh).join('；')}；${once.zh}合计${fmt(total, 4)}分${capped ? `，超过上限${fmt(cap!)}分，按${fmt(cap!)}分计` : ''}`;
    const en = `${bits.map((b) => b.en).join('; ')}; ${once.en}total ${fmt(total, 4)}${capped ? `, above the cap of ${fmt(cap!)}, counted as ${fmt(cap!)}` : ''}`;
    return { zh, en };
  },
  check: (r, c) => {
    const out: Problem[] = lineChecks(c, r.lines, `${c.path}.rule`);
    const cap = capOf(r, c);
    if (cap) {
      const reaches = r.lines.map((l) => lineReach(l, cap));
      if (reaches.every((x) => x !== null)) {
        const most = reaches.reduce((a, b) => a!.plus(b!), ZERO)!;
        if (most.lt(cap)) out.push(problem('rubric.capUnreachable', `${c.path}.rule`, { cap: fmt(cap), reach: fmt(most, 4) }));
      }
    }
    return out;
  },
  validate: (r, c, value) => exclusiveProblems(c, r.lines, value),
  reach: (r, c) => {
    const cap = capOf(r, c);
    if (cap) return cap;
    const reaches = r.lines.map((l) => lineReach(l, null));
    return reaches.every((x) => x !== null) ? reaches.reduce((a, b) => a!.plus(b!), ZERO)! : null;
  },
});
