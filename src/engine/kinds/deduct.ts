/**
 * R4–R7, R10, R11, R26 deductions (倒扣分，扣完为止): start from the criterion's points (or `start`),
 * take off every line's amount, never below 0; a `zero` line that holds makes the whole criterion 0.
 */
import { z } from 'zod';
import { Dec, ZERO, fmt } from '../decimal';
import * as X from '../expr';
import { problem, type Problem } from '../problems';
import { DEDUCT, LineSchema, exclusiveProblems, lineAmount, lineChecks, lineExplain, lineInput, lineName, linesTotal, linesTotalDec } from './lines';
import { defineKind, key, type CriterionCtx } from './types';

const Schema = z.strictObject({
  kind: z.literal('deduct'),
  start: z.number().nonnegative().optional().describe('Points before deductions; default the criterion points'),
  lines: z.array(LineSchema).min(1),
});
type Rule = z.infer<typeof Schema>;

const startOf = (r: Rule, c: CriterionCtx): Dec => (r.start !== undefined ? new Dec(r.start) : c.points ?? ZERO);

export default defineKind<Rule>({
  kind: 'deduct',
  name: { zh: '倒扣分', en: 'Deductions' },
  catalog: ['R4', 'R5', 'R6', 'R7', 'R10', 'R11', 'R26'],
  summary: 'Start full and deduct per line (count × rate, yes/no amounts, shortfall, ratio, entered amount), floored at 0; a zero line voids the criterion.',
  schema: Schema,
  inputs: (r, c) => r.lines.map((l, i) => lineInput(c, l, i, DEDUCT, i === 0)),
  compile: (r, c) => {
    const amounts = r.lines.map((l, i) => lineAmount(c, l, i));
    const parts = r.lines.map((l, i) => ({ name: lineName(l, i), expr: amounts[i] })).filter((_, i) => r.lines[i].type !== 'zero');
    const zeros = r.lines.flatMap((l, i) => (l.type === 'zero' ? [X.yes(key(c, lineName(l, i)))] : []));
    const left = X.sub(X.num(startOf(r, c)), linesTotal(r.lines, amounts));
    const after = X.max(X.num(0), left);
    const raw = zeros.length ? X.iff(X.or(zeros), X.num(0), left) : left;
    return { points: zeros.length ? X.iff(X.or(zeros), X.num(0), after) : after, parts, limits: { raw, cap: null, floor: ZERO } };
  },
  explain: (r, c, x) => {
    const zero = r.lines.find((l, i) => l.type === 'zero' && (() => { const v = x.value(key(c, lineName(l, i))); return v?.t === 'bool' && v.v; })());
    if (zero) return { zh: `${zero.label}，此项不得分，得0分`, en: `${zero.label}: this criterion scores 0` };
    const start = startOf(r, c);
    const bits = r.lines.flatMap((l, i) => {
      if (l.type === 'zero') return [];
      const e = lineExplain(c, l, i, x.part(lineName(l, i)), x.value(key(c, lineName(l, i))), DEDUCT);
      return e ? [e] : [];
    });
    if (bits.length === 0) return { zh: `无扣分，得${fmt(x.points, 4)}分`, en: `No deductions: ${fmt(x.points, 4)}` };
    const total = linesTotalDec(r.lines, (i) => x.part(lineName(r.lines[i], i)));
    const plain = r.lines.reduce((acc, l, i) => (l.type === 'zero' ? acc : acc.plus(x.part(lineName(l, i)))), ZERO);
    const once = plain.gt(total) ? { zh: '互斥各项只计扣分最多的一项，', en: 'exclusive lines count once (the largest), ' } : { zh: '', en: '' };
    const over = total.gt(start);
    const zh = `${bits.map((b) => b.zh).join('；')}；${once.zh}${bits.length > 1 ? `共扣${fmt(total, 4)}分，` : ''}${over ? `超过本项${fmt(start)}分，扣完为止，` : ''}得${fmt(x.points, 4)}分`;
    const en = `${bits.map((b) => b.en).join('; ')}; ${once.en}${bits.length > 1 ? `${fmt(total, 4)} deducted, ` : ''}${over ? `more than the ${fmt(start)} available, floored at 0, ` : ''}${fmt(x.points, 4)} left`;
    return { zh, en };
  },
  check: (r, c) => {
    const out: Problem[] = lineChecks(c, r.lines, `${c.path}.rule`);
    if (r.start !== undefined && c.points && new Dec(r.start).gt(c.points)) {
      out.push(problem('rubric.optionAboveMax', `${c.path}.rule.start`, { label: 'start', points: fmt(r.start), max: fmt(c.points) }));
    }
    return out;
  },
  validate: (r, c, value) => exclusiveProblems(c, r.lines, value),
  voids: (r, c) => r.lines.flatMap((l, i) => (l.type === 'zero' && l.voids ? [{ key: key(c, lineName(l, i)), label: l.label, ids: l.voids }] : [])),
  reach: (r, c) => startOf(r, c),
});
