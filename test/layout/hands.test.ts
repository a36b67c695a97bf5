/**
 * Issue 15: several hands on one 打分表 — a 自评 column beside the assessor's, or several raters averaged
 * (plainly or 去掉一个最高分和一个最低分, per criterion or on the totals). Every formula of every hand, the
 * aggregate, 分差, 相差过大 and 差异 compute in HyperFormula exactly what the engine caches; the engine's figures
 * are checked against each hand scored alone; the default workbook is unchanged.
 */
import { describe, expect, it } from 'vitest';
import { Dec, aggregateFigures, assessmentProblem, scoreCohort, scoreHands, type AssessmentPolicy, type HandId } from '../../src/engine';
import { PlanError, decodeMeta, metaSheet, planWorkbook, type UnitIn } from '../../src/layout';
import { hfMismatches, randomInputs, rubricCases, unitsFor } from './helpers';

const cases = rubricCases();

function filled(program: Parameters<typeof randomInputs>[0], hands: HandId[], seed: number): UnitIn[] {
  const units = unitsFor(program);
  const byHand = hands.map((h, i) => [h, randomInputs(program, units, seed + i * 101)] as const);
  return units.map((u, ui) => ({ name: u.name, variant: u.variant, tags: u.tags, hands: Object.fromEntries(byHand.map(([h, f]) => [h, f[ui].inputs])) }));
}

describe.each(cases)('$name', ({ program }) => {
  it('自评 beside 考核: both hands, 差异 and both totals compute in HyperFormula what the engine caches', () => {
    const assessment: AssessmentPolicy = { self: true };
    const units = filled(program, ['self', 'assessor'], 11);
    const plan = planWorkbook(program, units, { assessment });
    expect(plan.meta.hands).toEqual(['self', 'assessor']);
    expect(hfMismatches(plan)).toEqual([]);
    // The unit's own points are the assessor's, scored alone; 自评总分 on 汇总 is the self hand's, scored alone.
    const alone = scoreCohort(program, units.map((u) => typeof u === 'string' ? { unit: u, inputs: {} } : { unit: u.name, variant: u.variant, tags: u.tags, inputs: u.hands!.assessor!, cells: false }));
    const self = scoreCohort(program, units.map((u) => typeof u === 'string' ? { unit: u, inputs: {} } : { unit: u.name, variant: u.variant, tags: u.tags, inputs: u.hands!.self!, cells: false }));
    const summary = plan.sheets[0];
    const finalCol = plan.meta.summary.cols.final!;
    const selfCol = plan.meta.summary.hands!.find((h) => h.hand === 'self')!.final;
    const at = (col: string, row: number) => summary.cells.find((c) => c.row === row && c.col === col.charCodeAt(0) - 64 + (col.length > 1 ? 0 : 0));
    for (const s of plan.meta.sheets) {
      const a = alone.units.find((u) => u.unit === s.unit)!;
      const b = self.units.find((u) => u.unit === s.unit)!;
      expect(at(finalCol, s.summaryRow)?.cached).toBeCloseTo(a.final, 9);
      if (selfCol.length === 1) expect(at(selfCol, s.summaryRow)?.cached).toBeCloseTo(b.final, 9);
    }
    // Every criterion where the two hands differ shows 自评 − 考核.
    const hr = scoreHands(program, ['self', 'assessor'], assessment, units.map((u) => typeof u === 'string' ? { unit: u, hands: {} } : { unit: u.name, variant: u.variant, tags: u.tags, hands: u.hands! }));
    const anyDiff = hr.units.some((u) => Object.keys(u.diff ?? {}).length > 0);
    expect(anyDiff).toBe(true);
    for (const u of hr.units) {
      const a = alone.units.find((x) => x.unit === u.unit)!;
      const b = self.units.find((x) => x.unit === u.unit)!;
      expect(u.result.final).toBe(a.final);
      expect(u.result.missing).toBe(a.missing + b.missing);
      expect(u.result.errors).toBe(a.errors + b.errors);
      if (!new Dec(b.final).minus(a.final).toDecimalPlaces(6).isZero()) expect(u.diff!.$final).toBeCloseTo(b.final - a.final, 6);
    }
  });

  const policies: AssessmentPolicy[] = [
    { raters: { count: 3, aggregate: 'trimmedMean', on: 'criterion', spread: 1 } },
    { raters: { count: 3, aggregate: 'mean', on: 'total', spread: 2 } },
    { self: true, raters: { count: 2, aggregate: 'mean', on: 'criterion' } },
  ];
  it.each(policies.map((p, i) => ({ p, i })))('raters $i: every rater, the aggregate, 分差 and 相差过大 compute in HyperFormula what the engine caches', ({ p, i }) => {
    if (assessmentProblem(program, p)) {
      // Per-criterion averaging is refused where subtotals read entries directly (不涉及 rescaling, 此项不得分).
      expect(() => planWorkbook(program, unitsFor(program).map((u) => u.name), { assessment: p })).toThrow(PlanError);
      return;
    }
    const hands: HandId[] = [...(p.self ? ['self' as const] : []), ...Array.from({ length: p.raters!.count }, (_, k) => `rater${k + 1}` as HandId)];
    const units = filled(program, hands, 40 + i);
    const plan = planWorkbook(program, units, { assessment: p });
    expect(plan.meta.hands).toEqual(hands);
    expect(hfMismatches(plan)).toEqual([]);
    const hr = scoreHands(program, hands, p, units.map((u) => typeof u === 'string' ? { unit: u, hands: {} } : { unit: u.name, variant: u.variant, tags: u.tags, hands: u.hands! }));
    for (const u of hr.units) {
      const finals = hands.filter((h) => h !== 'self').map((h) => new Dec(u.hands[h]!.final));
      if (p.raters!.on === 'total') expect(u.result.final).toBeCloseTo(aggregateFigures(finals, p.raters!.aggregate).toNumber(), 9);
      expect(u.spread!.$final).toBeCloseTo(Dec.max(...finals).minus(Dec.min(...finals)).toNumber(), 9);
    }
    if (p.raters!.spread !== undefined) expect(hr.units.some((u) => u.wide!.length > 0)).toBe(true);
  });
});

describe('hands: policy and options', () => {
  const { program } = cases.find((c) => c.name === 'taiqian-2018') ?? cases[0];
  it('the default workbook has no hands in its metadata and one input column', () => {
    const plan = planWorkbook(program, unitsFor(program).map((u) => u.name));
    expect(plan.meta.hands).toBeUndefined();
    expect(plan.meta.sheets[0].hands).toBeUndefined();
    expect(typeof plan.meta.workbookId).toBe('string');
    expect(plan.meta.workbookId).not.toBe(planWorkbook(program, unitsFor(program).map((u) => u.name)).meta.workbookId);
  });
  it('the program policy chooses the hands; make options override it', () => {
    const p2 = { ...program, policies: { ...program.policies, assessment: { self: true } } };
    expect(planWorkbook(p2, unitsFor(p2).map((u) => u.name)).meta.hands).toEqual(['self', 'assessor']);
    expect(planWorkbook(p2, unitsFor(p2).map((u) => u.name), { assessment: { raters: { count: 3, aggregate: 'mean', on: 'total' } } }).meta.hands).toEqual(['rater1', 'rater2', 'rater3']);
  });
  it('refuses what cannot be: trimmedMean with 2 raters, raters hands without a policy', () => {
    expect(() => planWorkbook(program, [unitsFor(program)[0].name], { assessment: { raters: { count: 2, aggregate: 'trimmedMean', on: 'total' } } })).toThrow(/至少3名评委/);
    expect(() => planWorkbook(program, [unitsFor(program)[0].name], { hands: ['rater1', 'rater2'] })).toThrow(/raters policy/);
  });
});

describe('hands in the stored metadata', () => {
  const { program } = cases.find((c) => c.name === 'mini') ?? cases[0];
  const column = (meta: object) => metaSheet(meta as never).cells.map((c) => String(c.value));
  it('round-trips hands, the policy, every hand’s cells and the workbook id; refuses rater columns the policy does not have', () => {
    const plan = planWorkbook(program, unitsFor(program).map((u) => u.name), { assessment: { self: true, raters: { count: 2, aggregate: 'mean', on: 'total' } } });
    const back = decodeMeta(column(plan.meta)).meta!;
    expect(back.hands).toEqual(['self', 'rater1', 'rater2']);
    expect(back.assessment).toEqual(plan.meta.assessment);
    expect(back.workbookId).toBe(plan.meta.workbookId);
    expect(back.sheets[0].hands).toEqual(plan.meta.sheets[0].hands);
    const bad = decodeMeta(column({ ...plan.meta, assessment: { raters: { count: 3, aggregate: 'mean', on: 'total' } } }));
    expect(bad.error).toMatch(/assessment: 2 rater columns, policy says 3/);
    expect(decodeMeta(column({ ...plan.meta, hands: ['self', 'boss'] })).error).toMatch(/not a hand/);
  });
});
