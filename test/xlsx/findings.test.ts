/**
 * Issue 9 (3): what a filled workbook holds against what the engine makes of the same cells. A file saved
 * without recalculation gets one line (what happened, how to fix it, what the file shows), not one warning
 * per cell; a date in an input is read as the number formulas see; text typed into a number cell is an
 * input problem at its cell and counts 0 in the re-scored copy, which keeps it as typed.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { scoreCohort } from '../../src/engine';
import { planWorkbook, type WorkbookPlan } from '../../src/layout';
import { readFilledWorkbook, workbookFindings, writeWorkbook } from '../../src/xlsx';
import { loadFixture } from '../layout/helpers';

const program = loadFixture();
const UNITS = ['甲局', '乙局', '丙局'];
const plan = planWorkbook(program, UNITS, { date: '2019-01-15' });
const key = (id: string, name: string) => `${id}#${name}`;

/** Fills inputs by key with ExcelJS, which does not recalculate: every formula keeps the blank workbook's result. */
async function filledStale(p: WorkbookPlan, inputs: Record<string, Record<string, ExcelJS.CellValue>>): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await writeWorkbook(p)) as unknown as ArrayBuffer);
  for (const m of p.meta.sheets) {
    for (const i of m.inputs) {
      const v = inputs[m.unit]?.[i.key];
      if (v === undefined) continue;
      const c = wb.getWorksheet(m.name)!.getCell(i.address);
      c.value = v;
      if (v instanceof Date) c.style = { ...c.style, numFmt: 'yyyy-mm-dd' };
    }
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('a workbook saved without recalculation', () => {
  it('gets one clear line: how many cells, examples with what the file shows, how to fix it', async () => {
    const read = await readFilledWorkbook(await filledStale(plan, { 甲局: { [key('s1.2', 'l1')]: 3, [key('s2.2', 'yes')]: '是' }, 乙局: { [key('s1.2', 'l1')]: 1 } }));
    const { problems } = workbookFindings(read, program);
    expect(problems.map((p) => p.code)).toEqual(['workbook.notRecalculated']);
    const p = problems[0];
    expect(p.severity).toBe('warning');
    expect(Number(p.params.count)).toBeGreaterThan(3);
    expect(p.message.zh).toMatch(/^有\d+个公式格保存的是旧结果（文件保存前没有重新计算），例如 甲局!/);
    expect(p.message.zh).toContain('重新计算');
    expect(p.message.zh).toMatch(/显示[\d.]+、应为[\d.]+/);
    expect(p.message.en).toMatch(/saved without recalculating.*shows [\d.]+, should be [\d.]+/);
    expect(String(p.params.cells)).toContain('甲局!');
  });

  it('and a file whose results are the engine\'s has no finding', async () => {
    const scored = planWorkbook(program, [{ name: '甲局', inputs: { [key('s1.2', 'l1')]: 3 } }, '乙局', '丙局'], { date: '2019-01-15' });
    const read = await readFilledWorkbook(await writeWorkbook(scored));
    expect(workbookFindings(read, program).problems).toEqual([]);
  });
});

describe('cells as the formulas read them', () => {
  it('text "3" in a count cell is an input problem at its cell; the copy keeps the text and counts 0', async () => {
    const read = await readFilledWorkbook(await filledStale(plan, { 甲局: { [key('s1.2', 'l1')]: '3' } }));
    const u = read.units.find((x) => x.unit === '甲局')!;
    expect(u.inputs[key('s1.2', 'l1')]).toBe('3');
    const res = scoreCohort(program, read.units.map((x) => ({ unit: x.unit, variant: x.variant, inputs: x.inputs, cells: true })));
    const r = res.units.find((x) => x.unit === '甲局')!;
    expect(r.problems.map((p) => p.code)).toEqual(['input.textNumber']);
    expect(r.problems[0].message.zh).toBe('“违反次数”应填数字，单元格里的“3”是文本（公式按0计）；请删除后重新输入数字，或把单元格格式改为“常规”');
    expect(r.errors).toBe(1);
    expect(r.status.zh).toMatch(/^有 1 处错误/);
    const s12 = r.nodes[0].children.find((n) => n.id === 's1.2')!;
    expect(s12.points).toBe(2); // read as 0 deductions, as the sheet reads it
    expect(s12.explanation.zh).toMatch(/^录入有误（违反次数）/);
    expect(s12.explanation.zh).not.toContain('评定');
    // The repaired copy: the text stays as typed, the state cell says 2, the status counts it.
    const { plan: copy } = workbookFindings(read, program);
    const sheet = copy.sheets.find((s) => s.name === u.sheet)!;
    const at = u.inputCells[key('s1.2', 'l1')];
    const cell = sheet.cells.find((c) => `${String.fromCharCode(64 + c.col)}${c.row}` === at);
    expect(cell?.value).toBe('3');
    const status = sheet.cells.find((c) => c.computed === '$status')!;
    expect(status.cached).toBe(r.status.zh);
    expect(status.formula).toMatch(/^IF\(.+>0,"有 "&.+&" 处错误",IF\(.+>0,"未完成 "&.+&" 项","完成"\)\)$/);
  });

  it('a date typed into a number cell is read as its serial number (what formulas read), with a warning', async () => {
    const read = await readFilledWorkbook(await filledStale(plan, { 甲局: { [key('s2.1', 'figure')]: new Date(Date.UTC(2019, 0, 15)) } }));
    const u = read.units.find((x) => x.unit === '甲局')!;
    expect(u.inputs[key('s2.1', 'figure')]).toBe(43480);
    const w = read.problems.find((p) => p.code === 'workbook.dateInInput')!;
    expect(w.message.zh).toContain('2019-01-15');
    expect(w.message.zh).toContain('43480');
  });

  it('the status cells are in the metadata cell map (kind status) for the add-in', () => {
    const m = plan.meta.sheets[0];
    const ids = m.cells.filter((c) => c.kind === 'status').map((c) => c.id).sort();
    expect(ids).toEqual(['$errors', '$missing', '$status']);
    const sheet = plan.sheets.find((s) => s.name === m.name)!;
    const at = (id: string) => m.cells.find((c) => c.id === id)!.address;
    const cellAt = (a: string) => sheet.cells.find((c) => `${c.col}:${c.row}` === `${a.charCodeAt(0) - 64}:${Number(a.slice(1))}`);
    expect(cellAt(at('$missing'))?.formula).toMatch(/^COUNTIF\(\$[A-Z]+\$\d+:\$[A-Z]+\$\d+,1\)$/);
    expect(cellAt(at('$errors'))?.formula).toMatch(/^COUNTIF\(\$[A-Z]+\$\d+:\$[A-Z]+\$\d+,2\)$/);
  });
});

describe('汇总 名次 (issue 13)', () => {
  const inputs = { 's1.2#l1': 1 };
  it('by default only complete units get a 名次; rankIncomplete ranks every unit (kept in the metadata)', () => {
    const def = planWorkbook(program, [{ name: '甲局', inputs }, '乙局', '丙局']);
    const ranks = (p: WorkbookPlan) => p.sheets[0].cells.filter((c) => c.computed === 'summary.rank').map((c) => c.cached);
    expect(ranks(def)).toEqual(['', '', '']);
    const all = planWorkbook(program, [{ name: '甲局', inputs }, '乙局', '丙局'], { rankIncomplete: true });
    expect(ranks(all).every((r) => typeof r === 'number')).toBe(true);
    expect(all.sheets[0].cells.find((c) => c.computed === 'summary.rank')!.formula).toMatch(/^COUNTIF/);
    expect(all.meta.options.rankIncomplete).toBe(true);
    expect(def.sheets[0].cells.filter((c) => c.computed === 'summary.status').map((c) => c.cached)).toEqual(
      scoreCohort(program, [{ unit: '甲局', inputs }, { unit: '乙局', inputs: {} }, { unit: '丙局', inputs: {} }]).units.map((u) => u.status.zh));
  });
});
