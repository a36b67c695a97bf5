/**
 * No false alarms after edits a clerk may make and spreadsheet applications handle correctly (issue 10:
 * a renamed sheet or an inserted row gave 3 "formula changed" errors; an inserted column made every input
 * "row deleted"; a deleted column read the score column as inputs). Each edit is made with ExcelJS, with
 * every reference adjusted as Excel and LibreOffice adjust them (shiftFormulas, renameRefs), then read
 * back: the inputs are the ones typed, no formula is "changed", no row "deleted"; then the same files
 * saved again by LibreOffice (which rewrites every formula and recalculates every value) read the same.
 * (Making the edits inside LibreOffice needs its Basic or Python script provider, absent from the
 * headless install here.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { planWorkbook, type WorkbookPlan } from '../../src/layout';
import { readFilledWorkbook, verifyWorkbook, writeWorkbook, type FilledWorkbook } from '../../src/xlsx';
import { shiftFormulas } from '../cli/attacks-generate';
import { convert, makeProfile, sofficePath } from '../e2e/soffice';
import { loadFixture } from '../layout/helpers';

const SOFFICE = sofficePath();
if (!SOFFICE) console.log('[edits] LibreOffice round trip skipped: soffice not found');

const program = loadFixture();
const INPUTS: Record<string, Record<string, string | number>> = {
  甲局: { 's1.1#done': 5, 's1.1#of': 10, 's1.2#l1': 2, 's1.3#value': 0.95, 's2.1#figure': 120 },
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
    expect(got, unit).toEqual(inputs);
  }
  const v = verifyWorkbook(r, plan);
  const all = [...r.problems, ...v];
  expect(all.filter((p) => p.code === 'workbook.formulaChanged').map((p) => `${p.path} ${p.message.en}`)).toEqual([]);
  expect(all.filter((p) => p.code === 'workbook.rowDeleted').map((p) => p.path)).toEqual([]);
  expect(all.filter((p) => p.code === 'workbook.entryNotRead').map((p) => p.path)).toEqual([]);
  expect(all.filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.path}`)).toEqual([]);
  // Every stored value equals the engine's (after LibreOffice recalculated: the adjusted formulas compute the same).
  expect(all.filter((p) => p.code === 'workbook.valueDiffers').map((p) => `${p.path} ${p.message.en}`)).toEqual([]);
  return all.map((p) => p.code);
}

const first = plan.meta.sheets[0];

/** Each edit as a clerk makes it, with what must be read afterwards and the warning that names it. */
const EDITS: { name: string; edit: (wb: ExcelJS.Workbook) => void; cell: string; warning: string }[] = [
  { name: 'a renamed unit sheet', edit: (wb) => renameSheet(wb, first.name, '甲局（2019年）'), cell: 'E6', warning: 'workbook.sheetRenamed' },
  {
    name: 'a row inserted among the criteria',
    edit: (wb) => {
      shiftFormulas(wb, first.name, 6, 1, 'row');
      splice(wb.getWorksheet(first.name)!, 'row', 6, 1);
    },
    cell: 'E7', warning: 'workbook.rowMoved',
  },
  {
    name: 'a column inserted left of the inputs',
    edit: (wb) => {
      shiftFormulas(wb, first.name, 2, 1, 'col');
      splice(wb.getWorksheet(first.name)!, 'col', 2, 1);
    },
    cell: 'F6', warning: 'workbook.columnsMoved',
  },
  {
    name: 'the 评分标准 column deleted',
    edit: (wb) => {
      shiftFormulas(wb, first.name, 3, -1, 'col');
      splice(wb.getWorksheet(first.name)!, 'col', 2, -1);
    },
    cell: 'D6', warning: 'workbook.columnsMoved',
  },
  {
    name: 'the first column (考核项目) deleted',
    edit: (wb) => {
      shiftFormulas(wb, first.name, 2, -1, 'col');
      splice(wb.getWorksheet(first.name)!, 'col', 1, -1);
    },
    cell: 'D6', warning: 'workbook.columnsMoved',
  },
];

describe('edits that spreadsheet applications adjust for', () => {
  it('the edits move the input 违反次数 where expected (the plan puts it at E6)', () => {
    expect(first.inputs.find((i) => i.key === 's1.2#l1')!.address).toBe('E6');
  });
  for (const e of EDITS) {
    it(`${e.name}: the typed inputs read, no formula "changed", no row "deleted"`, async () => {
      const wb = await filled();
      e.edit(wb);
      const r = await readBack(wb);
      expect(r.units[0].inputCells['s1.2#l1']).toBe(e.cell);
      expect(expectNoFalseAlarm(r)).toContain(e.warning);
    });
  }

  it.skipIf(!SOFFICE)('the same edited workbooks saved again by LibreOffice (formulas rewritten, every value recalculated): no false alarm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dafen-edits-'));
    try {
      const files: string[] = [];
      for (const [i, e] of EDITS.entries()) {
        const wb = await filled();
        e.edit(wb);
        const f = join(dir, `edit${i}.xlsx`);
        writeFileSync(f, new Uint8Array(await wb.xlsx.writeBuffer()));
        files.push(f);
      }
      const outs = await convert(SOFFICE!, makeProfile(join(dir, 'profile')), 'xlsx', join(dir, 'out'), files);
      for (const [i, e] of EDITS.entries()) {
        const r = await readFilledWorkbook(new Uint8Array(readFileSync(outs[i])));
        expect(r.units[0].inputCells['s1.2#l1'], e.name).toBe(e.cell);
        expect(expectNoFalseAlarm(r), e.name).toContain(e.warning);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
