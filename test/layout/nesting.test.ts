// Excel refuses a formula whose functions nest more than 64 deep; checkPlan says so (issue 10: formulas stay
// within every target's limits), and every bundled rubric's formulas stay well inside it.
import { describe, expect, it } from 'vitest';
import { MAX_FUNCTION_NESTING, checkPlan, functionNesting, planWorkbook } from '../../src/layout';
import { rubricCases, unitsFor } from './helpers';

describe('function nesting', () => {
  it('counts nested function calls, not grouping parentheses or text', () => {
    expect(functionNesting('1+2')).toBe(0);
    expect(functionNesting('MAX(0,MIN(2,N(A1)))')).toBe(3);
    expect(functionNesting('((1+2)*(3))')).toBe(0);
    expect(functionNesting('IF(A1="(((",1,SUM((1),2))')).toBe(2);
  });

  it('checkPlan names a formula nested past Excel\'s limit', () => {
    const plan = planWorkbook(rubricCases()[0].program, unitsFor(rubricCases()[0].program).slice(0, 1));
    const sheet = plan.sheets[0];
    const cell = sheet.cells.find((c) => c.formula !== undefined)!;
    cell.formula = `${'N('.repeat(MAX_FUNCTION_NESTING + 1)}1${')'.repeat(MAX_FUNCTION_NESTING + 1)}`;
    expect(checkPlan(plan).some((p) => p.includes(`nests ${MAX_FUNCTION_NESTING + 1} functions deep`))).toBe(true);
  });

  it.each(rubricCases().map((c) => [c.name, c] as const))('%s: every formula nests at most 64 functions', (_n, c) => {
    const plan = planWorkbook(c.program, unitsFor(c.program));
    const deepest = Math.max(...plan.sheets.flatMap((s) => s.cells.map((x) => (x.formula ? functionNesting(x.formula) : 0))));
    expect(deepest).toBeLessThanOrEqual(MAX_FUNCTION_NESTING);
    expect(deepest).toBeGreaterThan(2);
  });
});
