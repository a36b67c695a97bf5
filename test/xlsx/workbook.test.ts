/**
 * The .xlsx outlet: what ExcelJS writes (protection, unlocked inputs, validations, merges, print setup
 * in the A$1 form LibreOffice honours, the very hidden metadata, text that stays text) and what the
 * reader makes of filled, damaged and foreign workbooks — each problem named by sheet and cell.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { scoreCohort } from '../../src/engine';
import { META_SHEET, SUMMARY_NAME, contentHash, embeddedProgram, planWorkbook, sha256Text, type WorkbookPlan } from '../../src/layout';
import { XLSX_MESSAGES, normalizeFormula, readFilledWorkbook, verifyWorkbook, writeWorkbook } from '../../src/xlsx';
import { loadFixture, randomInputs, rubricCases, unitsFor } from '../layout/helpers';

const program = loadFixture();
const UNITS = ['甲局', '乙局', '丙局'];

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}
async function save(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
/** Fills the inputs of a plan's workbook by key. */
async function filled(plan: WorkbookPlan, inputs: Record<string, Record<string, string | number>>): Promise<Uint8Array> {
  const wb = await load(await writeWorkbook(plan));
  for (const m of plan.meta.sheets) {
    for (const i of m.inputs) {
      const v = inputs[m.unit]?.[i.key];
      if (v !== undefined) wb.getWorksheet(m.name)!.getCell(i.address).value = v;
    }
  }
  return save(wb);
}

describe('writeWorkbook', () => {
  const plan = planWorkbook(program, UNITS, { date: '2019-01-15' });

  it('writes protected sheets with unlocked, validated input cells and formulas with cached values', async () => {
    const bytes = await writeWorkbook(plan);
    expect(bytes).toBeInstanceOf(Uint8Array);
    const wb = await load(bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(plan.sheets.map((s) => s.name));
    expect(wb.getWorksheet(META_SHEET)!.state).toBe('veryHidden');
    const m = plan.meta.sheets[0];
    const ws = wb.getWorksheet(m.name)!;
    const protection = (ws as unknown as { sheetProtection?: { sheet?: boolean; hashValue?: string } }).sheetProtection;
    expect(protection?.sheet).toBe(true);
    expect(protection?.hashValue).toBeUndefined(); // no password
    for (const i of m.inputs) {
      const c = ws.getCell(i.address);
      expect(c.protection?.locked, i.key).toBe(false);
      expect(c.dataValidation?.type, i.key).toBeDefined();
      expect(c.dataValidation?.prompt?.length).toBeGreaterThan(0);
    }
    const fin = ws.getCell(m.cells.find((c) => c.id === '$final')!.address);
    expect(fin.formula).toBeTruthy();
    expect(fin.protection?.locked ?? true).toBe(true);
    expect(ws.getColumn(plan.sheets[1].columns.length).hidden).toBe(true);
    expect(ws.model.merges.length).toBe(plan.sheets[1].merges.length);
  });

  it('writes the print area as A$1 ranges (which LibreOffice honours), titles repeated, A4 fitted to one page wide', async () => {
    const zip = await JSZip.loadAsync(await writeWorkbook(plan));
    const book = await zip.file('xl/workbook.xml')!.async('string');
    // The quote around the sheet name may be written as ' or &apos; (the same XML text).
    expect(book).toMatch(/_xlnm\.Print_Area[^>]*>(&apos;|')[^&']+(&apos;|')!\$A\$1:\$[A-Z]+\$\d+</);
    expect(book).toMatch(/_xlnm\.Print_Titles[^>]*>(&apos;|')[^&']+(&apos;|')!\$3:\$3</);
    const sheet = await zip.file('xl/worksheets/sheet2.xml')!.async('string');
    expect(sheet).toMatch(/<pageSetup[^>]*paperSize="9"/);
    expect(sheet).toMatch(/fitToWidth="1"/);
    expect(sheet).toMatch(/fitToHeight="0"/);
    expect(sheet).toMatch(/<sheetProtection[^>]*sheet="1"/);
  });

  it('writes text starting with = as text', async () => {
    const p = planWorkbook(program, [{ name: '=SUM(A1)', variant: 'a' }]);
    const wb = await load(await writeWorkbook(p));
    const ws = wb.getWorksheet(SUMMARY_NAME)!;
    const cell = ws.getCell(`${p.meta.summary.cols.unit}${p.meta.summary.firstRow}`);
    expect(cell.value).toBe('=SUM(A1)');
    expect(cell.formula).toBeUndefined();
  });
});

describe('readFilledWorkbook', () => {
  const plan = planWorkbook(program, UNITS, { date: '2019-01-15' });
  const m = plan.meta.sheets[0];
  const key = (id: string) => m.inputs.find((i) => i.key.startsWith(id))!.key;

  it('reads the metadata, the inputs by key and every computed cell', async () => {
    const bytes = await filled(plan, { 甲局: { [key('s1.2')]: 3, [key('s2.2')]: '是', [key('s1.4')]: '整体接入' } });
    const r = await readFilledWorkbook(bytes);
    expect(r.problems).toEqual([]);
    expect(r.meta).toEqual(plan.meta);
    const u = r.units.find((x) => x.unit === '甲局')!;
    expect(u.inputs).toEqual({ [key('s1.2')]: 3, [key('s2.2')]: '是', [key('s1.4')]: '整体接入' });
    expect(Object.keys(u.computed).sort()).toEqual(m.cells.map((c) => c.id).sort());
    expect(u.computed.$final.formula).toBe(plan.sheets[1].cells.find((c) => c.computed === '$final')!.formula);
    expect(Object.keys(r.summary).sort()).toEqual([...UNITS].sort());
  });

  it('reports a workbook not made by Dafen, and bytes that are no workbook', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1').getCell('A1').value = 1;
    const r = await readFilledWorkbook(await save(wb));
    expect(r.meta).toBeNull();
    expect(r.problems.map((p) => p.code)).toEqual(['workbook.notDafen']);
    expect(r.problems[0].message.zh).toContain('Sheet1');
    const g = await readFilledWorkbook(new TextEncoder().encode('not a zip'));
    expect(g.problems.map((p) => p.code)).toEqual(['workbook.otherFormat']);
    const e = await readFilledWorkbook(new Uint8Array([0, 1, 2, 3, 4]));
    expect(e.problems.map((p) => p.code)).toEqual(['workbook.unreadable']);
  });

  it('reports damaged metadata', async () => {
    const wb = await load(await writeWorkbook(plan));
    wb.getWorksheet(META_SHEET)!.getCell('A2').value = '{broken';
    const r = await readFilledWorkbook(await save(wb));
    expect(r.problems.map((p) => p.code)).toEqual(['workbook.badMeta']);
  });

  it('finds inputs again after a row was inserted, and names deleted rows by sheet and cell', async () => {
    const wb = await load(await filled(plan, { 甲局: { [key('s1.2')]: 3, [key('s1.3')]: 0.95 } }));
    const ws = wb.getWorksheet(m.name)!;
    ws.spliceRows(5, 0, []); // a row inserted above
    const s13 = m.inputs.find((i) => i.key === key('s1.3'))!;
    const row13 = Number(s13.address.slice(1)) + 1;
    ws.spliceRows(row13, 1); // the s1.3 row deleted
    const r = await readFilledWorkbook(await save(wb));
    const codes = r.problems.map((p) => p.code);
    expect(codes).toContain('workbook.rowMoved');
    const del = r.problems.filter((p) => p.code === 'workbook.rowDeleted');
    expect(del.map((p) => p.cell)).toContain(s13.address);
    expect(del[0].sheet).toBe(m.name);
    expect(del[0].message.zh).toContain(m.name);
    const u = r.units.find((x) => x.unit === '甲局')!;
    expect(u.moved).toBe(true);
    expect(u.inputs[key('s1.2')]).toBe(3);
    expect(u.inputs[key('s1.3')]).toBeUndefined();
  });

  it('follows a renamed sheet by its marker, and reads in place when the markers were cleared', async () => {
    const wb = await load(await filled(plan, { 乙局: { [key('s1.2')]: 2 } }));
    wb.getWorksheet(plan.meta.sheets[1].name)!.name = '乙局（已改名）';
    const ws = wb.getWorksheet(plan.meta.sheets[0].name)!;
    const col = plan.meta.sheets[0].markerCol;
    for (let r = 2; r <= ws.rowCount; r++) ws.getCell(`${col}${r}`).value = null;
    const r = await readFilledWorkbook(await save(wb));
    expect(r.problems.map((p) => p.code).sort()).toEqual(['workbook.markersMissing', 'workbook.sheetRenamed']);
    expect(r.units.find((u) => u.unit === '乙局')!.inputs).toEqual({ [key('s1.2')]: 2 });
    expect(r.units.find((u) => u.unit === '乙局')!.sheet).toBe('乙局（已改名）');
  });

  it('reports a deleted sheet', async () => {
    const wb = await load(await writeWorkbook(plan));
    wb.removeWorksheet(wb.getWorksheet(plan.meta.sheets[2].name)!.id);
    const r = await readFilledWorkbook(await save(wb));
    expect(r.problems.map((p) => p.code)).toEqual(['workbook.sheetMissing']);
    expect(r.units.length).toBe(2);
  });
});

describe('verifyWorkbook', () => {
  it('finds nothing in a workbook the engine wrote, for every bundled rubric', async () => {
    for (const c of rubricCases()) {
      const units = randomInputs(c.program, unitsFor(c.program, 2).slice(0, 6), 5);
      const plan = planWorkbook(c.program, units);
      const r = await readFilledWorkbook(await writeWorkbook(plan));
      expect(r.problems, c.name).toEqual([]);
      for (const u of units) expect(r.units.find((x) => x.unit === u.name)!.inputs, `${c.name} ${u.name}`).toEqual(u.inputs);
      expect(verifyWorkbook(r, plan).map((p) => p.message.en), c.name).toEqual([]);
    }
  });

  it('flags an overwritten formula and a stale value with sheet and cell', async () => {
    const plan = planWorkbook(program, UNITS);
    const m = plan.meta.sheets[0];
    const wb = await load(await writeWorkbook(plan));
    const ws = wb.getWorksheet(m.name)!;
    const s1 = m.cells.find((c) => c.id === 's1')!.address;
    ws.getCell(s1).value = 10; // typed over the subtotal
    const fin = m.cells.find((c) => c.id === '$final')!.address;
    ws.getCell(fin).value = { formula: String(ws.getCell(fin).formula), result: 99 } as ExcelJS.CellFormulaValue;
    const inputs = { [m.inputs[0].key]: 5 };
    for (const [k, v] of Object.entries(inputs)) ws.getCell(m.inputs.find((i) => i.key === k)!.address).value = v;
    const r = await readFilledWorkbook(await save(wb));
    const again = planWorkbook(program, UNITS.map((u) => ({ name: u, inputs: u === '甲局' ? inputs : {} })));
    const v = verifyWorkbook(r, again);
    const changed = v.filter((p) => p.code === 'workbook.formulaChanged');
    expect(changed.map((p) => `${p.sheet}!${p.cell}`)).toEqual([`${m.name}!${s1}`]);
    // Stale results are one finding for the workbook (issue 9), its cells listed.
    expect(v.filter((p) => p.code === 'workbook.notRecalculated').length).toBe(1);
    expect(String(v.find((p) => p.code === 'workbook.notRecalculated')!.params.cells)).toContain(`${m.name}!${fin}`);
    expect(scoreCohort(program, [{ unit: '甲局', inputs }]).units[0].final).toBeGreaterThan(0);
  });

  it('normalises what LibreOffice and Excel rewrite in formulas', () => {
    expect(normalizeFormula(`=COUNTIF('汇总'!$K$4:$K$43,">"&N(G12))+1`)).toBe(normalizeFormula('COUNTIF(汇总!K4:K43,">"&N(G12))+1'));
    expect(normalizeFormula('IF(FALSE(),1,2)')).toBe(normalizeFormula('IF(FALSE,1,2)'));
    expect(normalizeFormula('0.000000001*3')).toBe(normalizeFormula('1E-9*3'));
    expect(normalizeFormula('_xlfn.RANK.EQ(A1, A1:A3)')).toBe(normalizeFormula('RANK.EQ(A1,A1:A3)'));
    expect(normalizeFormula('TRIM(A1)="a b"')).not.toBe(normalizeFormula('TRIM(A1)="ab"'));
    expect(normalizeFormula('SUM(H4,H6)')).not.toBe(normalizeFormula('SUM(H4,H7)'));
  });
});

describe('the rubric a workbook carries', () => {
  it('is taken when its text is the one the workbook hashed, though this loader fills in defaults the writer’s did not', () => {
    const plan = planWorkbook(program, UNITS);
    // An earlier loader did not write the rank input's default type: its canonical JSON lacks it.
    const older = plan.meta.rubric!.replace(/"type":"number",/g, '');
    expect(older).not.toBe(plan.meta.rubric);
    const meta = { ...plan.meta, rubric: older, contentHash: sha256Text(older) };
    const back = embeddedProgram(meta);
    expect(back).not.toBeNull();
    expect(contentHash(back!)).not.toBe(meta.contentHash); // the loaded program hashes differently…
    const k = (id: string) => plan.meta.sheets[0].inputs.find((i) => i.key.startsWith(id))!.key;
    const inputs = { [k('s1.2')]: 3, [k('s2.1')]: 1200 };
    expect(scoreCohort(back!, [{ unit: '甲局', inputs }]).units[0].final).toBe(scoreCohort(program, [{ unit: '甲局', inputs }]).units[0].final); // …and scores alike
    // Text that is not what was hashed is refused.
    expect(embeddedProgram({ ...meta, rubric: older.replace(/"title":"[^"]*"/, '"title":"改动"') })).toBeNull();
  });
});

describe('workbook messages', () => {
  it('has zh and en for every code, with every parameter rendered', () => {
    const params = { detail: 'D', sheets: 'S', sheet: 'SH', id: 'ID', title: 'T', version: 'V', known: 'K', unit: 'U', now: 'N', label: 'L', cell: 'C1', count: 2, from: 'F1', col: 'J', formula: 'F', value: 'VAL', what: 'W', expected: 'E', actual: 'A', file: 'FILE', format: 'FMT', formatEn: 'FMT-en', part: 'P', reason: 'R', reasonEn: 'R-en', other: 'O', rubric: 'RUB', key: 'KEY', examples: 'EX', date: '2019-01-15', max: 8192, length: 9000 };
    for (const [code, def] of Object.entries(XLSX_MESSAGES)) {
      const zh = def.zh(params);
      const en = def.en(params);
      expect(zh, code).toMatch(/[\u4e00-\u9fff]/);
      expect(en, code).toMatch(/[a-z]/);
      expect(zh, code).not.toContain('undefined');
      expect(en, code).not.toContain('undefined');
    }
  });
});
