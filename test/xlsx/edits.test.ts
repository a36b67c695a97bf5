/**
 * No false alarms after edits a clerk may make and spreadsheet applications handle correctly (issue 10:
 * a renamed sheet or an inserted row gave 3 "formula changed" errors; an inserted column made every input
 * "row deleted"; a deleted column read the score column as inputs). Each edit is made with ExcelJS, with
 * every reference adjusted as Excel and LibreOffice adjust them (shiftFormulas, renameRefs), then read
 * back: the inputs are the ones typed, no formula is "changed", no row "deleted".
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { planWorkbook, type WorkbookPlan } from '../../src/layout';
import { readFilledWorkbook, verifyWorkbook, writeWorkbook, type FilledWorkbook } from '../../src/xlsx';
import { shiftFormulas } from '../cli/attacks-generate';
import { loadFixture } from '../layout/helpers';

const program = loadFixture();
const INPUTS: Record<string, Record<string, string | number>> = {
  甲局: { 's1.1#done': 5, 's1.1#of': 10, 's1.2#l1': 2, 's1.3#value': '95%', 's2.1#figure': 120 },
  乙局: { 's1.2#l1': 1, 's1.4#choice': '整体接入', 's2.1#figure': 80 },
  丙局: { 's2.1#figure': 100, 'b1#l1': 1 },
};
const plan: WorkbookPlan = planWorkbook(program, Object.entries(INPUTS).map(([name, inputs]) => ({ name, inputs })));

async function filled(): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await writeWorkbook(planWorkbook(program, Object.keys(INPUTS)))) as unknown as ArrayBuffer);
  for (const m of plan.meta.sheets) {
    for (const i of m.inputs) {
      const v = INPUTS[m.unit]?.[i.key];
      if (v !== undefined) wb.getWorksheet(m.name)!.getCell(i.address).value = v;
    }
  }
  // Cached results as a spreadsheet would have computed them (the plan with the inputs).
  for (const sh of plan.sheets) {
    const ws = wb.getWorksheet(sh.name);
    if (!ws) continue;
    for (const c of sh.cells) {
      if (c.formula === undefined) continue;
      ws.getCell(c.row, c.col).value = { formula: c.formula, result: c.cached } as ExcelJS.CellFormulaValue;
    }
  }
  return wb;
}

/** What Excel does to every formula when a sheet is renamed: references to it now name the new sheet. */
function renameSheet(wb: ExcelJS.Workbook, from: string, to: string): void {
  const quoted = (n: string) => `'${n.replace(/'/g, "''")}'!`;
  for (const ws of wb.worksheets) {
    ws.eachRow((row) => row.eachCell((c) => {
      const v = c.value as { formula?: string; result?: unknown } | null;
      if (!v || typeof v !== 'object' || typeof v.formula !== 'string') return;
      const f = v.formula.split(/("(?:[^"]|"")*")/).map((part, i) => (i % 2 ? part : part.split(quoted(from)).join(quoted(to)).replace(new RegExp(`(?<![^,(:+\\-*/&=<> ])${from}!`, 'g'), quoted(to)))).join('');
      c.value = { formula: f, result: v.result } as ExcelJS.CellFormulaValue;
    }));
  }
  wb.getWorksheet(from)!.name = to;
}

/**
 * Rows or columns inserted (delta > 0) or one deleted (delta −1) at `at`, merged ranges kept as Excel keeps
 * them (a range across the point grows or shrinks; ExcelJS's own splice leaves overlapping merges).
 */
function splice(ws: ExcelJS.Worksheet, axis: 'row' | 'col', at: number, delta: number): void {
  type M = { top: number; left: number; bottom: number; right: number };
  const merges: M[] = Object.values((ws as unknown as { _merges: Record<string, M> })._merges).map((m) => ({ top: m.top, left: m.left, bottom: m.bottom, right: m.right }));
  for (const m of merges) ws.unMergeCells(m.top, m.left, m.bottom, m.right);
  if (axis === 'row') {
    if (delta > 0) ws.spliceRows(at, 0, ...Array.from({ length: delta }, () => []));
    else ws.spliceRows(at, -delta);
  } else if (delta > 0) ws.spliceColumns(at, 0, ...Array.from({ length: delta }, () => []));
  else ws.spliceColumns(at, -delta);
  const [lo, hi] = axis === 'row' ? (['top', 'bottom'] as const) : (['left', 'right'] as const);
  for (const m of merges) {
    if (delta > 0) {
      if (m[lo] >= at) m[lo] += delta;
      if (m[hi] >= at) m[hi] += delta;
    } else {
      if (m[lo] > at) m[lo] += delta;
      if (m[hi] >= at) m[hi] += delta;
    }
    if (m.bottom < m.top || m.right < m.left || (m.top === m.bottom && m.left === m.right)) continue;
    ws.mergeCells(m.top, m.left, m.bottom, m.right);
  }
}

async function readBack(wb: ExcelJS.Workbook): Promise<FilledWorkbook> {
  return readFilledWorkbook(new Uint8Array(await wb.xlsx.writeBuffer()));
}

function expectNoFalseAlarm(r: FilledWorkbook): string[] {
  for (const [unit, inputs] of Object.entries(INPUTS)) {
    const got = r.units.find((u) => u.unit === unit)!.inputs;
    expect(Object.fromEntries(Object.entries(got).map(([k, v]) => [k, k === 's1.3#value' && v === 0.95 ? '95%' : v])), unit).toEqual(inputs);
  }
  const v = verifyWorkbook(r, plan);
  const all = [...r.problems, ...v];
  expect(all.filter((p) => p.code === 'workbook.formulaChanged').map((p) => `${p.path} ${p.message.en}`)).toEqual([]);
  expect(all.filter((p) => p.code === 'workbook.rowDeleted').map((p) => p.path)).toEqual([]);
  expect(all.filter((p) => p.code === 'workbook.entryNotRead').map((p) => p.path)).toEqual([]);
  expect(all.filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.path}`)).toEqual([]);
  return all.map((p) => p.code);
}

describe('edits that spreadsheet applications adjust for', () => {
  const first = plan.meta.sheets[0];

  it('a renamed unit sheet: followed by its marker, every reference to it still means the same', async () => {
    const wb = await filled();
    renameSheet(wb, first.name, '甲局（2019年）');
    const r = await readBack(wb);
    expect(r.units.find((u) => u.unit === '甲局')!.sheet).toBe('甲局（2019年）');
    expect(expectNoFalseAlarm(r)).toContain('workbook.sheetRenamed');
  });

  it('a row inserted among the criteria: inputs found again by their markers, formulas compared by what they point at', async () => {
    const wb = await filled();
    const at = Number(/\d+/.exec(first.inputs[2].address)![0]);
    shiftFormulas(wb, first.name, at, 1, 'row');
    splice(wb.getWorksheet(first.name)!, 'row', at, 1);
    const r = await readBack(wb);
    expect(r.units[0].inputCells['s1.2#l1']).toBe(`E${at + 1}`);
    expect(expectNoFalseAlarm(r)).toContain('workbook.rowMoved');
  });

  it('a column inserted left of the inputs: the input and score columns found again by their headers', async () => {
    const wb = await filled();
    shiftFormulas(wb, first.name, 2, 1, 'col');
    splice(wb.getWorksheet(first.name)!, 'col', 2, 1);
    const r = await readBack(wb);
    expect(r.units[0].inputCells['s1.2#l1']).toBe('F6');
    expect(expectNoFalseAlarm(r)).toContain('workbook.columnsMoved');
  });

  it('a column deleted left of the inputs (评分标准): the score column is not read as inputs', async () => {
    const wb = await filled();
    shiftFormulas(wb, first.name, 3, -1, 'col');
    splice(wb.getWorksheet(first.name)!, 'col', 2, -1);
    const r = await readBack(wb);
    expect(r.units[0].inputCells['s1.2#l1']).toBe('D6');
    expect(r.units[0].computed['s1.2'].address).toBe('E6');
    expect(expectNoFalseAlarm(r)).toContain('workbook.columnsMoved');
  });

  it('the first column (考核项目) deleted: every column found one to the left, nothing off the sheet', async () => {
    const wb = await filled();
    shiftFormulas(wb, first.name, 2, -1, 'col');
    splice(wb.getWorksheet(first.name)!, 'col', 1, -1);
    const r = await readBack(wb);
    expect(r.units[0].inputCells['s1.2#l1']).toBe('D6');
    expect(expectNoFalseAlarm(r)).toContain('workbook.columnsMoved');
  });
});
