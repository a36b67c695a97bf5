/**
 * Golden tests of the rules the audit of issue 11 asked for, each on a small inline rubric with the seed
 * quote it encodes and exact, hand-computed figures: mutually exclusive lines (oneOf), a zero-out that
 * voids a sibling or its parent (voids), rank on percentages, optional shortfall lines left blank, and
 * the N/A rescale inside a capped subtotal.
 */
import { describe, expect, it } from 'vitest';
import { compileSheet, loadProgram, scoreCohort, toFormula } from '../../src/engine';
import { codes, findNode, one, oneYaml, run } from './helpers';

describe('mutually exclusive lines (oneOf)', () => {
  // Seed 003 市直: 未公开指南的扣1.5分，更新不及时的扣1分；未公开年报的扣1.5分，公开不及时的扣1分。(3分)
  const p = one(`{ id: c, title: 指南和年报公开, points: 3, rule: { kind: deduct, lines: [
    { type: flag, name: g1, label: 未公开指南, amount: 1.5, oneOf: guide },
    { type: flag, name: g2, label: 已公开指南但更新不及时, amount: 1, oneOf: guide },
    { type: flag, name: r1, label: 未公开年报, amount: 1.5, oneOf: report },
    { type: flag, name: r2, label: 已公开年报但公开不及时, amount: 1, oneOf: report } ] } }`);

  it('one line of a group: as without groups', () => {
    const u = run(p, { c: { g1: '否', g2: '是', r1: '否', r2: '否' } });
    expect(findNode(u, 'c').points).toBe(2);
    expect(findNode(u, 'c').explanation.zh).toBe('已公开指南但更新不及时，扣1分；得2分');
    expect(u.problems).toEqual([]);
  });

  it('two lines of one group: the larger counts once, and a warning names both', () => {
    // 3 − max(1.5, 1) − 0 = 1.5 (not 3 − 2.5 = 0.5)
    const u = run(p, { c: { g1: '是', g2: '是', r1: '否', r2: '否' } });
    expect(findNode(u, 'c').points).toBe(1.5);
    expect(findNode(u, 'c').explanation.zh).toBe('未公开指南，扣1.5分；已公开指南但更新不及时，扣1分；互斥各项只计扣分最多的一项，共扣1.5分，得1.5分');
    expect(codes(u.problems)).toEqual(['input.exclusiveLines']);
    expect(u.problems[0].severity).toBe('warning');
    expect(u.problems[0].path).toBe('c#g2');
    expect(u.problems[0].message.zh).toBe('“未公开指南”“已公开指南但更新不及时”只能有一项成立（互相排斥），只按扣（加）分最多的一项计，请核对');
  });

  it('groups are independent: one line of each adds up', () => {
    // 3 − 1.5 − 1 = 0.5
    expect(findNode(run(p, { c: { g1: '是', g2: '否', r1: '否', r2: '是' } }), 'c').points).toBe(0.5);
  });

  it('prints MAX over the group in the formula', () => {
    const sheet = compileSheet(p, p.variants[0], { name: '甲' });
    const f = toFormula(sheet.cells.get('c')!, { cell: (k) => k.replace('c#', ''), ref: (id) => id, rankRange: () => 'X', state: (k) => `S_${k.replace('c#', '')}` });
    // Every input read through its state cell (issue 9): a rejected flag counts nothing.
    expect(f).toContain('MAX(IF(IF(S_g1=2,FALSE(),OR(TRIM(g1)="是"');
    expect(f).toContain('SUM(MAX(');
  });

  it('in a tally (加分) the group adds its largest line once', () => {
    // Seed 004 two rank bands, read as alternatives: 扣2分 / 扣3分
    const t = one(`{ id: c, title: 两率, points: 5, rule: { kind: deduct, lines: [
      { type: flag, name: b2, label: 第二档, amount: 2, oneOf: band }, { type: flag, name: b3, label: 第三档, amount: 3, oneOf: band },
      { type: count, name: n, label: 不满意条数, rate: 0.5 } ] } }`);
    // 5 − max(2, 3) − 2 × 0.5 = 1
    expect(findNode(run(t, { c: { b2: '是', b3: '是', n: 2 } }), 'c').points).toBe(1);
  });
});

describe('a zero-out that voids a sibling or the parent (voids)', () => {
  // Seed 004: 事项收件率排名前三位,依次加0.5分、1分、1.5分。政务服务2.0收件率低于85%的此项不得分。(5分)
  const yaml = oneYaml(`{ id: c, title: 收件率, points: 5, rule: { kind: deduct, lines: [ { type: zero, label: 收件率低于85%, voids: [bonus] } ] } }`, {
    sectionPoints: 10,
    siblings: [
      '{ id: bonus, title: 排名加分, rule: { kind: tally, cap: 1.5, lines: [ { type: amount, label: 排名加分, max: 1.5 } ] } }',
      '{ id: other, title: 认领, points: 5, rule: { kind: deduct, lines: [ { type: count, label: 未认领事项数, rate: 0.2 } ] } }',
    ],
  });
  const p = loadProgram(yaml).program!;

  it('no zero-out: the sibling counts (5 + 1.5 + 4 = 10.5 → capped at 10)', () => {
    const u = run(p, { c: '否', bonus: 1.5, other: 5 });
    expect(findNode(u, 'bonus').points).toBe(1.5);
    expect(findNode(u, 's').points).toBe(10);
  });

  it('the zero-out voids the sibling too: 0 + 0 + 4 = 4, and says why', () => {
    const u = run(p, { c: '是', bonus: 1.5, other: 5 });
    expect(findNode(u, 'c').points).toBe(0);
    expect(findNode(u, 'bonus').points).toBe(0);
    expect(findNode(u, 'bonus').explanation.zh).toBe('收件率低于85%，此项不得分，得0分');
    expect(findNode(u, 'bonus').limit).toBeUndefined();
    expect(findNode(u, 's').points).toBe(4);
  });

  it('a zero-out may void its parent', () => {
    const q = loadProgram(oneYaml(`{ id: c, title: 投诉, points: 2, rule: { kind: deduct, lines: [ { type: zero, label: 查证属实, voids: [s] } ] } }`, {
      sectionPoints: 6, siblings: ['{ id: d, title: 制度, points: 4, rule: { kind: yesno, question: 是否建立制度 } }'],
    })).program!;
    const u = run(q, { c: '是', d: '是' });
    expect(findNode(u, 'd').points).toBe(4);
    expect(findNode(u, 's').points).toBe(0);
    expect(findNode(u, 's').explanation.zh).toBe('查证属实，此项不得分，得0分');
    expect(u.final).toBe(0);
    expect(run(q, { c: '否', d: '是' }).final).toBe(6);
  });

  it('naming a node that does not exist is a rubric error', () => {
    const r = loadProgram(oneYaml(`{ id: c, title: 投诉, points: 2, rule: { kind: deduct, lines: [ { type: zero, label: 查证属实, voids: [nowhere] } ] } }`));
    expect(codes(r.problems)).toEqual(['rubric.unknownVoid']);
    expect(r.problems[0].message.zh).toBe('“投诉”的不得分条款指向不存在的项目“nowhere”（须为同一类别中的上级或同级项目）');
  });
});

describe('rank on percentages', () => {
  // Seed 004: 事项收件率排名前三位 — a rate typed as 96%, 0.9 or 90
  const p = one('{ id: c, title: 收件率排名, points: 1.5, rule: { kind: rank, input: { label: 事项收件率, type: percent }, table: [ { upTo: 1, points: 1.5 }, { upTo: 2, points: 1 }, { upTo: 3, points: 0.5 } ] } }');
  const cohort = (vals: unknown[]) => scoreCohort(p, vals.map((v, i) => ({ unit: `单位${i + 1}`, variant: 'a', inputs: { c: v as never } })));

  it('85% and 0.85 are the same rate: ties share a place', () => {
    const r = cohort(['96%', 0.9, '90%', '88%', '']);
    expect(r.units.map((u) => findNode(u, 'c').points)).toEqual([1.5, 1, 1, 0, 0]);
    expect(findNode(r.units[2], 'c').explanation.zh).toBe('事项收件率90%，排名第2，得1分');
    // A blank takes no place: 单位4 is 4th, not 5th.
    expect(r.units[4].complete).toBe(false);
  });

  it('a bare 90 in a percent cell is no rate (issue 9: percent inputs hold the fraction): rejected, it takes no place', () => {
    const r = cohort(['96%', 0.9, 90, '88%', '']);
    expect(r.units.map((u) => findNode(u, 'c').points)).toEqual([1.5, 1, 0, 0.5, 0]);
    expect(r.units[2].problems.map((x) => x.code)).toEqual(['input.percentAbove1']);
  });

  it('prints the unit’s own rate as a fraction beside the COUNTIF', () => {
    const sheet = compileSheet(p, p.variants[0], { name: '甲' });
    const f = toFormula(sheet.cells.get('c')!, { cell: () => 'A1', ref: (id) => id, rankRange: () => 'R', state: () => 'S1' });
    // A percentage cell holds a fraction (inputs.ts rejects anything above 1, state 2 reads 0).
    expect(f).toContain('COUNTIF(R,">"&IF(S1=2,0,N(A1)))+1');
  });
});

describe('optional shortfall lines left blank', () => {
  // Seed 004: 被区级组织抽查到接通率不足90%的,每低1个百分点扣 0.1 分,被市级抽查到每低1个百分点扣 0.2 分。(4分)
  const p = one(`{ id: c, title: 接通率, points: 4, rule: { kind: deduct, lines: [
    { type: shortfall, name: d, label: 区级抽查接通率, input: percent, target: 0.9, per: 0.01, rate: 0.1, optional: true },
    { type: shortfall, name: m, label: 市级抽查接通率, input: percent, target: 0.9, per: 0.01, rate: 0.2, optional: true } ] } }`);

  it('a level that did not spot-check is left blank: no deduction, complete', () => {
    const u = run(p, { c: { m: '85%' } });
    // 4 − 5 × 0.2 = 3; the blank 区级 line takes nothing (not 90 × 0.1)
    expect(findNode(u, 'c').points).toBe(3);
    expect(u.complete).toBe(true);
    expect(run(p, {}).final).toBe(4);
  });

  it('the formula asks ISNUMBER first', () => {
    const sheet = compileSheet(p, p.variants[0], { name: '甲' });
    expect(toFormula(sheet.cells.get('c')!, { cell: (k) => k.slice(2).toUpperCase() + '1', ref: (id) => id, rankRange: () => 'R', state: (k) => `S${k.slice(2).toUpperCase()}1` })).toContain('IF(IF(SD1=2,FALSE(),ISNUMBER(D1))');
  });
});

describe('N/A rescale inside a capped subtotal', () => {
  // Seed 004: 2.0工作台 (4分) over criteria of (3分) and (2分); R22 rescale
  const p = loadProgram(oneYaml('{ id: a1, title: 工作台, points: 3, rule: { kind: yesno, question: 是否开设 } }', {
    sectionPoints: 4,
    policies: '{ notApplicable: { policy: rescale, clerkMayMark: true } }',
    siblings: ['{ id: a2, title: 工单, points: 2, rule: { kind: yesno, question: 是否及时关闭 } }'],
    extra: ['{ id: t, title: 二、其他, points: 6, children: [ { id: b, title: 其他, points: 6, rule: { kind: yesno, question: 是否完成 } } ] }'],
  })).program!;

  it('a criterion marked 不涉及 takes away only what the capped subtotal loses', () => {
    // fullMark 4 + 6 = 10. a2 不涉及: 工作台 = min(4, 3) = 3, the maximum loses 4 − 3 = 1 (not 2).
    // base = (3 + 6) × 10 / (10 − 1) = 10
    const u = run(p, { a1: '是', a2: '不涉及', b: '是' });
    expect(findNode(u, 's').points).toBe(3);
    expect(u.base).toBe(10);
    // Both 不涉及: the subtotal loses all 4: 6 × 10 / 6 = 10.
    expect(run(p, { a1: '不涉及', a2: '不涉及', b: '是' }).base).toBe(10);
    // a1 不涉及: min(4, 2) = 2, loses 2: (2 + 6) × 10 / 8 = 10; a1 不涉及 and b 否: 2 × 10 / 8 = 2.5.
    expect(run(p, { a1: '不涉及', a2: '是', b: '否' }).base).toBe(2.5);
  });
});
