/**
 * Cohort clauses in the workbook (issue 11): the 汇总 sheet holds one column per such criterion with every
 * population member's own points (others blank), and the unit sheets take MIN / SUM÷COUNTIF over it, so the
 * sheet computes what the engine computes (the layout plan and LibreOffice tests check every figure).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadProgram, type Program } from '../../src/engine';
import { planWorkbook } from '../../src/layout';

const p = loadProgram(readFileSync(new URL('../../rubrics/gongshu-2021.yaml', import.meta.url), 'utf8'), 'gongshu-2021.yaml').program as Program;

describe('拱墅 “没有进驻大厅的部门按进驻单位最低得分计分” in the workbook', () => {
  const plan = planWorkbook(p, [
    { name: '区住建局', inputs: { 's1.2.3.1': { done: 90, of: 100 } } },
    { name: '区发改局', inputs: { 's1.2.3.1': { done: 80, of: 100 } } },
    { name: '区档案局', variant: 'all', tags: ['部门'], inputs: {} },
  ]);
  const summary = plan.sheets.find((s) => s.kind === 'summary')!;
  const header = summary.cells.find((c) => c.row === 3 && typeof c.value === 'string' && c.value.includes('（最低分依据）'))!;

  it('汇总 has the column: the 进驻单位 hold their own figure, the department outside the hall holds nothing', () => {
    expect(header).toBeDefined();
    const col = summary.cells.filter((c) => c.col === header.col && c.row >= 4).sort((a, b) => a.row - b.row);
    expect(col.map((c) => c.cached ?? c.value ?? null)).toEqual([2.7, 2.4, null]);
    // Read through the state cell (issue 9): a rejected first input is no 不涉及; every required own line must be accepted (state 0).
    expect(col[0].formula).toMatch(/^IF\(AND\(NOT\(IF\('区住建局'!\$?[A-Z]+\$?\d+=2,FALSE\(\),OR\(TRIM\('区住建局'!\$?[A-Z]+\$?\d+\)="不涉及"/);
    expect(col[0].formula).toMatch(/'区住建局'!\$?[A-Z]+\$?\d+=0,/);
  });

  it('the department’s sheet takes the MIN of that column and says so where its inputs would be', () => {
    const sheet = plan.sheets.find((s) => s.name === '区档案局')!;
    const f = sheet.cells.find((c) => c.computed === 's1.2.3.1')!;
    expect(f.formula).toContain("MIN('汇总'!$");
    expect(f.cached).toBe(2.4);
    expect(sheet.cells.some((c) => c.value === '按进驻单位最低得分计（见汇总表）')).toBe(true);
    const note = sheet.cells.find((c) => c.row === f.row && typeof c.value === 'string' && c.value.startsWith('按进驻单位最低得分计分'));
    expect(note?.value).toBe('按进驻单位最低得分计分：最低为区发改局2.4分，得2.4分');
  });
});
