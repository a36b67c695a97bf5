/**
 * Golden tests of cohort clauses (issue 11): a criterion that, for some units, is the minimum or the mean
 * of the other units' points on it (seed 004: “没有进驻大厅的部门按进驻单位最低得分计分”, “与样本框无关联的
 * 部门在平均分基础上下浮1分”, “无需提供样本框的部门在平均分基础上适当下浮”), with hand-computed figures.
 */
import { describe, expect, it } from 'vitest';
import { loadProgram, scoreCohort, type Program } from '../../src/engine';
import { findNode, oneYaml } from './helpers';

const prog = (node: string, units: string): Program => {
  const r = loadProgram(oneYaml(node, { units, policies: '{ notApplicable: { policy: full, clerkMayMark: true } }' }));
  if (!r.program) throw new Error(r.problems.map((p) => p.message.zh).join('\n'));
  return r.program;
};
const pts = (r: ReturnType<typeof scoreCohort>, unit: string) => findNode(r.units.find((u) => u.unit === unit)!, 'c');

describe('minimum over a population chosen by tags (按进驻单位最低得分计分)', () => {
  const p = prog(`{ id: c, title: 窗口服务, points: 3,
    cohort: { stat: min, for: { tags: [部门], exceptTags: [进驻单位] }, among: { tags: [进驻单位] }, quote: 没有进驻大厅的部门按进驻单位最低得分计分 },
    rule: { kind: proportional, input: pair, done: { label: 窗口年度考核成绩 }, of: { label: 年度考核满分 } } }`,
  '[ { name: 甲局, variant: a, tags: [部门, 进驻单位] }, { name: 乙局, variant: a, tags: [部门, 进驻单位] }, { name: 丙局, variant: a, tags: [部门] }, { name: 丁街道, variant: a, tags: [街道] } ]');

  it('a department outside the hall gets the lowest 进驻单位 score, and is told whose', () => {
    // 甲局 90/100 → 2.7; 乙局 80/100 → 2.4; 丁街道 (not a 进驻单位, own lines) 50/100 → 1.5; 丙局 = min(2.7, 2.4) = 2.4
    const r = scoreCohort(p, [
      { unit: '甲局', inputs: { c: { done: 90, of: 100 } } },
      { unit: '乙局', inputs: { c: { done: 80, of: 100 } } },
      { unit: '丙局', inputs: {} },
      { unit: '丁街道', inputs: { c: { done: 50, of: 100 } } },
    ]);
    expect(['甲局', '乙局', '丙局', '丁街道'].map((u) => pts(r, u).points)).toEqual([2.7, 2.4, 2.4, 1.5]);
    expect(pts(r, '丙局').explanation.zh).toBe('按进驻单位最低得分计分：最低为乙局2.4分，得2.4分');
    expect(pts(r, '丙局').complete).toBe(true);
    expect(r.units.find((u) => u.unit === '丙局')!.complete).toBe(true);
  });

  it('blanks, 不涉及 and incomplete entries stay out of the population', () => {
    // 乙局 不涉及 and 甲局 without 年度考核满分: nobody left → 丙局 incomplete, provisionally 0.
    const r = scoreCohort(p, [
      { unit: '甲局', inputs: { c: { done: 90 } } },
      { unit: '乙局', inputs: { c: { done: '不涉及' } } },
      { unit: '丙局', inputs: {} },
    ]);
    const n = pts(r, '丙局');
    expect(n.points).toBe(0);
    expect(n.complete).toBe(false);
    expect(n.missing).toEqual(['c#cohort']);
    expect(n.explanation.zh).toBe('按进驻单位最低得分计分，但进驻单位尚无完整录入的得分，暂按0分计（未完成）');
    expect(r.units.find((u) => u.unit === '丙局')!.complete).toBe(false);
    // Once 甲局 is complete: 2.7.
    const r2 = scoreCohort(p, [{ unit: '甲局', inputs: { c: { done: 90, of: 100 } } }, { unit: '丙局', inputs: {} }]);
    expect(pts(r2, '丙局').points).toBe(2.7);
  });

  it('ties name every unit holding the minimum', () => {
    const r = scoreCohort(p, [
      { unit: '甲局', inputs: { c: { done: 80, of: 100 } } },
      { unit: '乙局', inputs: { c: { done: 8, of: 10 } } },
      { unit: '丙局', inputs: {} },
    ]);
    expect(pts(r, '丙局').explanation.zh).toBe('按进驻单位最低得分计分：最低为甲局、乙局2.4分，得2.4分');
  });
});

describe('mean over the others, by a per-unit flag, less 1 or an entered 下浮, floored at 0', () => {
  const p = prog(`{ id: c, title: 营商环境评价, points: 5,
    cohort: { stat: mean, for: { flag: 与样本框无关联的部门 }, offset: 1, quote: 与样本框无关联的部门在平均分基础上下浮1分 },
    rule: { kind: deduct, lines: [ { type: count, name: n, label: 不满意条数, rate: 0.5 } ] } }`,
  '[ { name: 甲局, variant: a }, { name: 乙局, variant: a }, { name: 丙局, variant: a }, { name: 丁局, variant: a } ]');

  it('the flagged unit gets the others’ mean − 1; its own lines are not asked for', () => {
    // 甲局 5 − 1 = 4; 乙局 5 − 1.5 = 3.5; 丙局 5; mean = 12.5 / 3 = 4.1666…; 丁局 = 3.1666…
    const r = scoreCohort(p, [
      { unit: '甲局', inputs: { c: { n: 2, cohortFor: '否' } } },
      { unit: '乙局', inputs: { c: { n: 3 } } },
      { unit: '丙局', inputs: { c: { n: 0 } } },
      { unit: '丁局', inputs: { c: { cohortFor: '是' } } },
    ]);
    const d = pts(r, '丁局');
    expect(d.points).toBeCloseTo(12.5 / 3 - 1, 12);
    expect(d.complete).toBe(true);
    expect(d.explanation.zh).toBe('其他单位平均分4.1667分（3个单位），下浮1分，得3.1667分');
    expect(pts(r, '甲局').points).toBe(4);
  });

  it('floored at 0', () => {
    // 甲局 5 − 10 × 0.5 → 0; mean 0; 丁局 max(0, 0 − 1) = 0
    const r = scoreCohort(p, [{ unit: '甲局', inputs: { c: { n: 10 } } }, { unit: '丁局', inputs: { c: { cohortFor: '是' } } }]);
    expect(pts(r, '丁局').points).toBe(0);
  });

  it('an entered 下浮 (适当下浮) is taken off the mean', () => {
    const q = prog(`{ id: c, title: 两率, points: 5,
      cohort: { stat: mean, for: { flag: 无需提供样本框的部门 }, reduce: { label: 适当下浮分值, max: 5 } },
      rule: { kind: deduct, lines: [ { type: count, name: n, label: 不满意条数, rate: 0.5 } ] } }`,
    '[ { name: 甲局, variant: a }, { name: 乙局, variant: a }, { name: 丙局, variant: a } ]');
    // mean(4, 3) = 3.5; 丙局 下浮 0.5 → 3
    const r = scoreCohort(q, [
      { unit: '甲局', inputs: { c: { n: 2 } } },
      { unit: '乙局', inputs: { c: { n: 4 } } },
      { unit: '丙局', inputs: { c: { cohortFor: '是', cohortReduce: 0.5 } } },
    ]);
    expect(pts(r, '丙局').points).toBe(3);
    expect(pts(r, '丙局').explanation.zh).toBe('其他单位平均分3.5分（2个单位），下浮0.5分，得3分');
  });
});

describe('a cohort clause must say whom it scores', () => {
  it('neither tags nor a flag (or both) is a rubric error at the clause', () => {
    for (const f of ['{}', '{ tags: [部门], flag: 无关联 }']) {
      const r = loadProgram(oneYaml(`{ id: c, title: 窗口服务, points: 3, cohort: { stat: min, for: ${f} }, rule: { kind: direct } }`));
      expect(r.problems.filter((p) => p.severity === 'error').map((p) => p.path)).toEqual(['variants[0].sections[0].children[0].cohort.for']);
      expect(r.problems[0].message.zh).toContain('须给出 tags 或 flag 之一');
    }
  });
});
