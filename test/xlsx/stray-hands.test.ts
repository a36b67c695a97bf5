/**
 * A value typed into a row the sheet did not generate (an inserted row) is read by no formula: the reader says so
 * (workbook.entryNotRead) and keeps it (`stray`, carried to 未匹配录入 by an update or a merge). On a multi-hand sheet
 * (自评 beside 考核, issue 15) this holds for every hand's column, not only the first scoring hand's.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { planWorkbook } from '../../src/layout';
import { readFilledWorkbook, writeWorkbook } from '../../src/xlsx';
import { shiftFormulas } from '../cli/attacks-generate';
import { loadFixture } from '../layout/helpers';

const program = loadFixture();

describe('values typed into an inserted row, every hand', () => {
  it('the 自评 column of an inserted row is reported and kept, like the assessor’s', async () => {
    const plan = planWorkbook(program, ['甲局'], { assessment: { self: true } });
    const sm = plan.meta.sheets[0];
    const self = sm.hands!.find((h) => h.hand === 'self')!;
    const assessor = sm.hands!.find((h) => h.hand === 'assessor')!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeWorkbook(plan)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(sm.name)!;
    // A row inserted below the first input (references shifted as Excel shifts them), then typed into.
    const r = Number(/\d+/.exec(self.inputs[0].address)![0]) + 1;
    shiftFormulas(wb, sm.name, r, 1, 'row');
    ws.spliceRows(r, 0, []);
    const selfCell = `${/[A-Z]+/.exec(self.inputs[0].address)![0]}${r}`;
    const assessorCell = `${/[A-Z]+/.exec(assessor.inputs[0].address)![0]}${r}`;
    expect(selfCell).not.toBe(assessorCell);
    ws.getCell(selfCell).value = 3;
    ws.getCell(assessorCell).value = 4;
    const read = await readFilledWorkbook(new Uint8Array(await wb.xlsx.writeBuffer()));
    const unit = read.units[0];
    // Before: only the assessor's 4 was reported; the self-assessor's 3 was read by nothing and lost on update.
    expect(unit.stray).toEqual(expect.arrayContaining([{ cell: selfCell, value: 3 }, { cell: assessorCell, value: 4 }]));
    expect(unit.stray).toHaveLength(2);
    expect(read.problems.filter((p) => p.code === 'workbook.entryNotRead').map((p) => p.path).sort()).toEqual([`${sm.name}!${assessorCell}`, `${sm.name}!${selfCell}`].sort());
  });
});
