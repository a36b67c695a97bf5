/**
 * The fast read (src/collect/quick-read.ts) gives exactly what the full reader gives, or nothing: on a
 * generated workbook, one a clerk filled in (numbers, text, 是/否, TRUE, a percent, spaces, 扣分依据),
 * and null — the full reader then explains it — after a row was inserted, a formula or a date typed into
 * an input, a sheet renamed, a value typed into an inserted row, or for a file that is not a workbook.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { planWorkbook, type WorkbookPlan } from '../../src/layout';
import { readFilledWorkbook, writeWorkbook, type FilledWorkbook } from '../../src/xlsx';
import { quickRead } from '../../src/collect';
import { randomInputs } from '../layout/helpers';
import { fill, taiqian } from './helpers';

const program = taiqian();
const UNITS = ['县安监局', '县残联', '城关镇'];
let plan: WorkbookPlan;
let blank: Uint8Array;
let filled: Uint8Array;

/** What merge and split use of a read workbook: meta, and per unit its entries, where they were read, and its remarks. */
export const essence = (r: FilledWorkbook) => ({
  meta: r.meta,
  units: r.units.map((u) => ({ sheet: u.sheet, unit: u.unit, variant: u.variant, tags: u.tags, inputs: u.inputs, inputCells: u.inputCells, hands: u.hands, handCells: u.handCells, remarks: u.remarks, handRemarks: u.handRemarks, rowMarkers: u.rowMarkers, moved: u.moved, stray: u.stray })),
  problems: r.problems,
  strayRemarks: r.strayRemarks,
});

async function edit(bytes: Uint8Array, f: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  f(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

beforeAll(async () => {
  plan = planWorkbook(program, UNITS, { date: '2019-01-15' });
  blank = await writeWorkbook(plan);
  const listed = UNITS.map((n) => program.units!.find((u) => u.name === n)!);
  const typed = randomInputs(program, listed.map((u) => ({ name: u.name, variant: u.variant, tags: [] })), 7);
  const inputs = Object.fromEntries(typed.map((t) => [t.name, { ...t.inputs }]));
  const keys = plan.meta.sheets[1].inputs.map((i) => i.key);
  // What clerks also type: text where a number goes, TRUE, a lone space, a figure with a unit.
  Object.assign(inputs['县残联'], { [keys[0]]: '85', [keys[1]]: true, [keys[2]]: ' ', [keys[3]]: '2次' });
  filled = await fill(blank, inputs, { 县安监局: { 's1.2': '现场查看 & 资料 <齐全>' }, 城关镇: { [plan.meta.sheets[2].remarks![0].id]: '12' } });
});

describe('quickRead', () => {
  it('reads a generated workbook as the full reader does', async () => {
    const q = await quickRead(blank);
    expect(q).not.toBeNull();
    expect(essence(q!)).toEqual(essence(await readFilledWorkbook(blank)));
  });

  it('reads a filled-in workbook as the full reader does, entries and 扣分依据 alike', async () => {
    const q = await quickRead(filled);
    const full = await readFilledWorkbook(filled);
    expect(q).not.toBeNull();
    expect(essence(q!)).toEqual(essence(full));
    expect(Object.keys(full.units[1].inputs).length).toBeGreaterThan(4);
    expect(full.units[0].remarks['s1.2']).toBe('现场查看 & 资料 <齐全>');
  });

  it('reads every hand of a multi-hand workbook (自评 + 3 raters) as the full reader does', async () => {
    const hp = planWorkbook(program, UNITS, { assessment: { self: true, raters: { count: 3, aggregate: 'trimmedMean', on: 'criterion', spread: 2 } } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeWorkbook(hp)) as unknown as ArrayBuffer);
    hp.meta.sheets.forEach((sm, si) => {
      for (const [hi, h] of sm.hands!.entries()) for (const [ii, i] of h.inputs.entries()) if ((ii + hi + si) % 3 === 0) wb.getWorksheet(sm.name)!.getCell(i.address).value = hi === 2 ? '是' : ii % 4;
    });
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const q = await quickRead(bytes);
    const full = await readFilledWorkbook(bytes);
    expect(q).not.toBeNull();
    expect(full.units[0].hands?.rater2).toBeDefined();
    expect(essence(q!)).toEqual(essence(full));
  });

  it('reads other hands’ 扣分依据 (各评分人扣分依据) as the full reader does; a row naming no unit is the full reader’s', async () => {
    const hp = planWorkbook(program, UNITS.map((name, i) => ({ name, ...(i === 1 ? { handRemarks: { rater2: { 's1.2': '评委2：资料不全' } } } : {}) })), {
      assessment: { raters: { count: 3, aggregate: 'trimmedMean', on: 'criterion', spread: 2 } },
    });
    // A clerk adds a row, a figure as the text.
    const bytes = await edit(await writeWorkbook(hp), (wb) => (wb.getWorksheet('各评分人扣分依据')!.getRow(4).values = ['县残联', '评委3', 's1.2', 3, 'rater3']));
    const q = await quickRead(bytes);
    const full = await readFilledWorkbook(bytes);
    expect(q).not.toBeNull();
    expect(full.units[1].handRemarks).toEqual({ rater1: {}, rater2: { 's1.2': '评委2：资料不全' }, rater3: { 's1.2': '3' } });
    expect(essence(q!)).toEqual(essence(full));
    const odd = await edit(bytes, (wb) => (wb.getWorksheet('各评分人扣分依据')!.getRow(6).values = ['无此单位', '评委2', 's1.2', '丢不得', 'rater2']));
    expect(await quickRead(odd)).toBeNull();
    expect((await readFilledWorkbook(odd)).strayRemarks!.map((r) => r.text)).toEqual(['丢不得']);
  });

  it('leaves every changed structure to the full reader', async () => {
    const sm = plan.meta.sheets[0];
    const input = sm.inputs[0].address;
    const cases: Record<string, Uint8Array> = {
      'row inserted': await edit(filled, (wb) => wb.getWorksheet(sm.name)!.spliceRows(6, 0, [])),
      'formula in an input': await edit(filled, (wb) => (wb.getWorksheet(sm.name)!.getCell(input).value = { formula: '1+1', result: 2 })),
      'date in an input': await edit(filled, (wb) => {
        const c = wb.getWorksheet(sm.name)!.getCell(input);
        c.value = new Date(Date.UTC(2019, 0, 15));
        c.numFmt = 'yyyy-mm-dd';
      }),
      'sheet renamed': await edit(filled, (wb) => (wb.getWorksheet(sm.name)!.name = '改名')),
      'a value in an inserted row': await edit(filled, (wb) => {
        const ws = wb.getWorksheet(sm.name)!;
        ws.spliceRows(8, 0, []);
        ws.getCell(`${input.replace(/\d+/, '')}8`).value = 5;
      }),
    };
    for (const [what, bytes] of Object.entries(cases)) expect(await quickRead(bytes), what).toBeNull();
    expect(await quickRead(new TextEncoder().encode('单位,得分'))).toBeNull();
    expect(await quickRead(new Uint8Array(0))).toBeNull();
  });
});
