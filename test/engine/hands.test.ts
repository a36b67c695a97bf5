// Issue 15, the engine: hands from a policy, the raters' aggregate (mean, 去掉一个最高分和一个最低分) in exact
// decimals, per criterion (subtotals and totals recomputed from the averaged criteria, caps applied) or on the
// totals, and the 自评 − 考核 difference.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CohortCache, Dec, aggregateFigures, assessmentProblem, handsFor, loadProgram, scoreCohort, scoreHands, spreadOf, type HandId } from '../../src/engine';
import { FIXTURE, ROOT } from '../layout/helpers';

const mini = loadProgram(readFileSync(FIXTURE, 'utf8'), FIXTURE).program!;
const d = (xs: number[]) => xs.map((x) => new Dec(x));

describe('hands', () => {
  it('follow the policy: [self?] then assessor, or rater1…raterN', () => {
    expect(handsFor(undefined)).toEqual(['assessor']);
    expect(handsFor({ self: true })).toEqual(['self', 'assessor']);
    expect(handsFor({ self: true, raters: { count: 3, aggregate: 'mean', on: 'total' } })).toEqual(['self', 'rater1', 'rater2', 'rater3']);
  });

  it('aggregate exactly: 0.1, 0.2, 0.7 average to 1/3 and the trimmed mean is the middle figure', () => {
    expect(aggregateFigures(d([0.1, 0.2, 0.7]), 'mean').toString()).toBe(new Dec(1).div(3).toString());
    expect(aggregateFigures(d([9, 7.5, 8, 3]), 'trimmedMean').toNumber()).toBe(7.75);
    expect(aggregateFigures(d([2, 2, 2]), 'trimmedMean').toNumber()).toBe(2);
    expect(spreadOf(d([9, 7.5, 8, 3])).toNumber()).toBe(6);
  });

  it('per criterion: the averaged criteria are summed and capped as the rubric says; on the totals: the raters’ finals averaged', () => {
    const units = (mini.units ?? []).map((u) => u.name);
    // 甲局 s1.2 (2 points, −0.5 per violation): raters 0, 2, 10 violations → 2, 1, 0 → trimmed 1, mean 1.
    const entries = units.map((u) => ({ unit: u, hands: { rater1: { 's1.2': 0, 's2.2': '是' }, rater2: { 's1.2': 2, 's2.2': '否' }, rater3: { 's1.2': 10, 's2.2': '是' } } }));
    const crit = scoreHands(mini, ['rater1', 'rater2', 'rater3'], { raters: { count: 3, aggregate: 'trimmedMean', on: 'criterion', spread: 1 } }, entries).units[0];
    const node = (r: typeof crit.result, id: string) => {
      const walk = (ns: typeof r.nodes): (typeof r.nodes)[number] | undefined => ns.map((n) => (n.id === id ? n : walk(n.children))).find(Boolean);
      return walk(r.nodes)!;
    };
    expect(node(crit.result, 's1.2').points).toBe(1);
    expect(node(crit.result, 's2.2').points).toBe(2); // 2, 0, 2 → trimmed 2
    expect(crit.wide).toEqual(expect.arrayContaining(['s1.2', 's2.2']));
    // The section subtotal is the sum of the averaged criteria (the sheet's own expression), not an average of subtotals.
    const s1 = node(crit.result, 's1');
    expect(s1.points).toBe(s1.children.reduce((a, c) => a + c.points, 0));
    const tot = scoreHands(mini, ['rater1', 'rater2', 'rater3'], { raters: { count: 3, aggregate: 'mean', on: 'total' } }, entries).units[0];
    const finals = (['rater1', 'rater2', 'rater3'] as const).map((h) => tot.hands[h]!.final);
    expect(tot.result.final).toBeCloseTo(finals.reduce((a, b) => a + b, 0) / 3, 12);
    // Each rater alone is that rater's scoring of the cohort.
    const r2 = scoreCohort(mini, units.map((u) => ({ unit: u, inputs: { 's1.2': 2, 's2.2': '否' } }))).units[0];
    expect(tot.hands.rater2!.final).toBe(r2.final);
  });

  it('a criterion is incomplete until every hand entered it: the status counts every hand’s blanks and errors', () => {
    const r = scoreHands(mini, ['self', 'assessor'], { self: true }, [{ unit: '甲局', hands: { assessor: { 's2.2': '是' }, self: { 's2.2': '也许' } } }]).units[0];
    expect(r.result.errors).toBe(1);
    expect(r.result.missing).toBe(r.hands.self!.missing + r.hands.assessor!.missing);
    expect(r.result.problems.map((p) => p.path)).toContain('self:s2.2#yes');
    expect(r.result.final).toBe(r.hands.assessor!.final);
  });

  it('through one cache per hand (the add-in’s live edits) the results equal scoreHands’ without, and an untouched unit is reused', () => {
    const hands: HandId[] = ['self', 'rater1', 'rater2', 'rater3'];
    const policy = { self: true, raters: { count: 3, aggregate: 'mean' as const, on: 'criterion' as const } };
    const units = (mini.units ?? []).map((u) => u.name);
    const caches = new Map(hands.map((h) => [h, new CohortCache(mini)]));
    const entries = (n: number) => units.map((u, i) => ({ unit: u, hands: { self: { 's1.2': 1 }, rater1: { 's1.2': i === 0 ? n : 1, 's2.2': '是' }, rater2: { 's1.2': 3 }, rater3: { 's1.2': '三' } } }));
    const plainOf = (r: ReturnType<typeof scoreHands>) => JSON.parse(JSON.stringify(r.units.map((u) => ({ ...u, result: { ...u.result, nodes: u.result.nodes.map(function nd(x): unknown { return { ...x, explanation: x.explanation, children: x.children.map(nd) }; }) } }))));
    const first = scoreHands(mini, hands, policy, entries(0), caches);
    expect(plainOf(first)).toEqual(plainOf(scoreHands(mini, hands, policy, entries(0))));
    const next = scoreHands(mini, hands, policy, entries(4), caches); // one rater's figure on the first unit
    expect(plainOf(next)).toEqual(plainOf(scoreHands(mini, hands, policy, entries(4))));
    expect(next.units[0].hands.rater1!.nodes).not.toBe(first.units[0].hands.rater1!.nodes);
    expect(next.units[0].hands.rater2!.nodes).toBe(first.units[0].hands.rater2!.nodes); // unchanged: reused
    expect(next.units[0].result.problems.map((p) => p.path)).toEqual(['rater3:s1.2#l1']);
  });

  it('refuses per-criterion averaging where subtotals read entries directly (不涉及 rescaling)', () => {
    const gongshu = loadProgram(readFileSync(`${ROOT}rubrics/gongshu-2021.yaml`, 'utf8')).program!;
    expect(assessmentProblem(gongshu, { raters: { count: 3, aggregate: 'mean', on: 'criterion' } })).toMatch(/on: total/);
    expect(assessmentProblem(gongshu, { raters: { count: 3, aggregate: 'mean', on: 'total' } })).toBeNull();
  });
});
