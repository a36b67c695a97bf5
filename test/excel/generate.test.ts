// 生成打分表 through the real office.js against the simulated host (excel-host.ts), which refuses what
// Excel refuses. Round trips: ≤3 with insertWorksheetsFromBase64 (ExcelApi 1.13), chunked range by range.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProgram, type Program } from '../../src/engine';
import { planWorkbook, type WorkbookPlan } from '../../src/layout';
import { generate } from '../../src/excel/generate';
import { ExcelHost } from './excel-host';
import { decodeXlsx } from './insert-xlsx';
import { writeWorkbook } from '../../src/xlsx/write';

const RUBRICS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'rubrics');
const programs: Program[] = readdirSync(RUBRICS)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => loadProgram(readFileSync(join(RUBRICS, f), 'utf8'), f).program)
  .filter((p): p is Program => p !== null);
const variants = programs.flatMap((p) => p.variants.map((v) => ({ p, v: v.id, label: `${p.id} ${v.id}` })));

function unitsOf(p: Program, variant: string): { name: string; variant: string }[] {
  const listed = (p.units ?? []).filter((u) => u.variant === variant).map((u) => ({ name: u.name, variant }));
  return listed.length ? listed : [{ name: '甲单位', variant }, { name: '乙单位', variant }];
}

/** Every cell the plan writes, as the model must hold it: formulas with "=", literal values. */
function expectModelMatchesPlan(book: ExcelHost, plan: WorkbookPlan): void {
  for (const s of plan.sheets) {
    const sheet = book.sheet(s.name);
    expect(sheet, s.name).toBeDefined();
    for (const c of s.cells) {
      const a = `${String.fromCharCode(64 + c.col)}${c.row}`;
      const got = sheet!.cells.get(a);
      if (c.formula !== undefined) expect(got?.formula, `${s.name}!${a}`).toBe(`=${c.formula}`);
      else if (c.value !== null && c.value !== undefined && c.value !== '') {
        const v = got?.value;
        expect(v, `${s.name}!${a}`).toEqual(c.value);
      }
    }
    for (const m of s.merges) {
      const addr = `${String.fromCharCode(64 + m.left)}${m.top}:${String.fromCharCode(64 + m.right)}${m.bottom}`;
      expect(sheet!.merges.length === 0 || sheet!.merges.includes(addr), `${s.name} merge ${addr}`).toBe(true);
    }
  }
  expect(book.sheet('_dafen')?.visibility).toBe('VeryHidden');
}

describe('generate: range by range (ExcelApi 1.7–1.12)', () => {
  it.each(variants)('$label: all units, values and formulas as planned, no request over 2 MB', ({ p, v }) => {
    const plan = planWorkbook(p, unitsOf(p, v));
    const book = new ExcelHost({ apiMinor: 12 });
    book.addSheet('Sheet1');
    return generate(book.context(), plan, { apiMinor: 12 }).then((r) => {
      expect(r.status).toBe('done');
      expect(book.largestRequest).toBeLessThanOrEqual(2.2 * 1024 * 1024);
      expectModelMatchesPlan(book, plan);
      // Merges, protection and validations were applied too.
      const unit = book.sheet(plan.sheets[1].name)!;
      expect(unit.merges.length).toBe(plan.sheets[1].merges.length);
      expect(unit.protection.protected).toBe(true);
      expect(unit.validations.size).toBeGreaterThan(0);
    });
  });
});

describe('generate: insertWorksheetsFromBase64 (ExcelApi 1.13+)', () => {
  it.each(variants)('$label: all units in ≤3 round trips, same cells as the range path', async ({ p, v }) => {
    const plan = planWorkbook(p, unitsOf(p, v));
    const base64 = Buffer.from(await writeWorkbook(plan)).toString('base64');
    const book = new ExcelHost({ apiMinor: 14, decodeXlsx });
    book.addSheet('Sheet1');
    const r = await generate(book.context(), plan, { apiMinor: 14, base64 });
    expect(r).toMatchObject({ status: 'done', path: 'base64' });
    expect(book.roundTrips).toBeLessThanOrEqual(3);
    expectModelMatchesPlan(book, plan);
  });
});

describe('generate: existing sheets', () => {
  it('never overwrites without asking, and replaces when told', async () => {
    const p = programs.find((x) => x.id === 'taiqian-2018')!;
    const plan = planWorkbook(p, unitsOf(p, 'town').slice(0, 2));
    const book = new ExcelHost({ apiMinor: 12 });
    book.addSheet('Sheet1');
    book.addSheet(plan.sheets[1].name);
    book.setCell(plan.sheets[1].name, 'A1', { value: '原有内容' });
    const first = await generate(book.context(), plan, { apiMinor: 12 });
    expect(first).toEqual({ status: 'conflict', conflicts: [plan.sheets[1].name] });
    expect(book.roundTrips).toBe(1);
    expect(book.value(plan.sheets[1].name, 'A1')).toBe('原有内容');
    expect(book.sheets.map((s) => s.name)).toEqual(['Sheet1', plan.sheets[1].name]);

    const second = await generate(book.context(), plan, { apiMinor: 12, replace: true });
    expect(second).toMatchObject({ status: 'done', replaced: [plan.sheets[1].name] });
    expect(book.value(plan.sheets[1].name, 'A1')).not.toBe('原有内容');
    expect(book.sheets.filter((s) => s.name.startsWith('~dafen-old'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Findings 2, 3, 11: replacing sheets in real Excel.

const taiqian = programs.find((x) => x.id === 'taiqian-2018')!;
const towns = unitsOf(taiqian, 'town').slice(0, 3);

/** A workbook made by a first 生成打分表, with the clerk's entries on the first unit sheet. */
async function madeWith(book: ExcelHost, plan: WorkbookPlan, apiMinor: number): Promise<{ sheet: string; address: string }> {
  book.addSheet('Sheet1');
  const base64 = apiMinor >= 13 ? Buffer.from(await writeWorkbook(plan)).toString('base64') : undefined;
  const r = await generate(book.context(), plan, { apiMinor, base64 });
  expect(r.status).toBe('done');
  const m = plan.meta.sheets[0];
  const address = m.inputs.find((i) => i.key === 's1.4#meetings')!.address;
  await book.type(m.name, address, 3);
  return { sheet: m.name, address };
}

describe.each([
  { label: 'insert (1.14)', apiMinor: 14 },
  { label: 'ranges (1.12)', apiMinor: 12 },
])('generate again over a Dafen workbook: $label', ({ apiMinor }) => {
  it('replaces every sheet, the very hidden _dafen included (made hidden before it is deleted), nothing left behind', async () => {
    const plan = planWorkbook(taiqian, towns);
    const book = new ExcelHost({ apiMinor, decodeXlsx });
    await madeWith(book, plan, apiMinor);
    expect(book.sheet('_dafen')!.visibility).toBe('VeryHidden');
    const again = planWorkbook(taiqian, towns, { date: '2026-12-01' });
    const base64 = apiMinor >= 13 ? Buffer.from(await writeWorkbook(again)).toString('base64') : undefined;
    const before = book.roundTrips;
    const r = await generate(book.context(), again, { apiMinor, base64, replace: true });
    expect(r).toMatchObject({ status: 'done', path: apiMinor >= 13 ? 'base64' : 'ranges' });
    if (apiMinor >= 13) expect(book.roundTrips - before).toBeLessThanOrEqual(3);
    expect(book.sheets.map((s) => s.name)).toEqual(['Sheet1', ...again.sheets.map((s) => s.name)]);
    expect(book.sheet('_dafen')!.visibility).toBe('VeryHidden');
    expectModelMatchesPlan(book, again);
  });

  it('a failure half-way puts the old sheets back with the clerk\'s entries, and says so', async () => {
    const plan = planWorkbook(taiqian, towns);
    let failAt = 0;
    const book = new ExcelHost({ apiMinor, decodeXlsx, get failRequest() { return failAt; } } as never);
    const typed = await madeWith(book, plan, apiMinor);
    const names = book.sheets.map((s) => [s.name, s.visibility]);
    // The second request of the range path (the first writes), or of the insert path (the insert itself).
    failAt = book.roundTrips + (apiMinor >= 13 ? 2 : 3);
    const again = planWorkbook(taiqian, towns, { date: '2026-12-01' });
    const base64 = apiMinor >= 13 ? Buffer.from(await writeWorkbook(again)).toString('base64') : undefined;
    const r = await generate(book.context(), again, { apiMinor, base64, replace: true, insertBase64: apiMinor >= 13 });
    if (apiMinor >= 13) {
      // The insert failed: the old sheets came back and the range path made the new ones.
      expect(r).toMatchObject({ status: 'done', path: 'ranges', fallback: 'GeneralException' });
      expectModelMatchesPlan(book, again);
    } else {
      expect(r).toMatchObject({ status: 'failed', code: 'GeneralException', restored: true });
      expect(book.sheets.map((s) => [s.name, s.visibility])).toEqual(names);
      expect(book.value(typed.sheet, typed.address)).toBe(3);
    }
    expect(book.sheets.filter((s) => s.name.startsWith('~dafen'))).toEqual([]);
  });
});

describe('insertWorksheetsFromBase64 where it is missing or fails: the range path, same result', () => {
  it.each([
    { label: 'iPad (reports 1.13, has no insert)', opts: { platform: 'ios' as const }, want: 'ApiNotFound' },
    { label: 'the web refusing the file (UnsupportedFeature)', opts: { platform: 'web' as const, insertFails: 'UnsupportedFeature' }, want: 'UnsupportedFeature' },
    { label: 'the web, GeneralException', opts: { platform: 'web' as const, insertFails: 'GeneralException' }, want: 'GeneralException' },
  ])('$label', async ({ opts, want }) => {
    const plan = planWorkbook(taiqian, towns);
    const base64 = Buffer.from(await writeWorkbook(plan)).toString('base64');
    const book = new ExcelHost({ apiMinor: 14, decodeXlsx, ...opts });
    book.addSheet('Sheet1');
    // insertBase64 forced on: the adapter meets the refusal itself and falls back.
    const r = await generate(book.context(), plan, { apiMinor: 14, base64, insertBase64: true });
    expect(r).toMatchObject({ status: 'done', path: 'ranges', fallback: want });
    expectModelMatchesPlan(book, plan);
    expect(book.sheets.map((s) => s.name)).toEqual(['Sheet1', ...plan.sheets.map((s) => s.name)]);
  });

  it('a file over the web\'s request limit goes range by range without trying (no request over 5 MB)', async () => {
    const plan = planWorkbook(taiqian, towns);
    const base64 = Buffer.from(await writeWorkbook(plan)).toString('base64');
    const book = new ExcelHost({ apiMinor: 14, decodeXlsx, platform: 'web' });
    book.addSheet('Sheet1');
    const r = await generate(book.context(), plan, { apiMinor: 14, base64, requestLimit: base64.length });
    expect(r).toMatchObject({ status: 'done', path: 'ranges', fallback: 'RequestTooLarge' });
    expect(book.requests.every((q) => !q.error)).toBe(true);
    expectModelMatchesPlan(book, plan);
  });
});

describe('formula links after insert (the web: office-js #2809, #5911)', () => {
  it('compares the cross-sheet formulas and restores those the host changed, in the same generation', async () => {
    const p = programs.find((x) => x.id === 'taiqian-2018')!;
    const plan = planWorkbook(p, unitsOf(p, 'county').slice(0, 3));
    const base64 = Buffer.from(await writeWorkbook(plan)).toString('base64');
    const book = new ExcelHost({ apiMinor: 14, decodeXlsx, platform: 'web', insertBreaksLinks: true });
    book.addSheet('Sheet1');
    const r = await generate(book.context(), plan, { apiMinor: 14, base64 });
    expect(r).toMatchObject({ status: 'done', path: 'base64' });
    expect(r.status === 'done' && r.restoredFormulas).toBeGreaterThan(0);
    expect(book.roundTrips).toBeLessThanOrEqual(3);
    expectModelMatchesPlan(book, plan);
    expect(book.sheets.flatMap((s) => [...s.cells.values()]).filter((c) => c.formula?.includes('[1]'))).toEqual([]);
    expect(book.sheet(plan.sheets[0].name)!.protection.protected).toBe(true);
  });
});

describe('the add-in\'s own generation fires no onChanged where events can be turned off (1.8+)', () => {
  it.each([12, 14])('ExcelApi 1.%i: events off while writing, back on after — also after a failure', async (apiMinor) => {
    const plan = planWorkbook(taiqian, towns);
    const book = new ExcelHost({ apiMinor, decodeXlsx });
    book.addSheet('Sheet1');
    const base64 = apiMinor >= 13 ? Buffer.from(await writeWorkbook(plan)).toString('base64') : undefined;
    const r = await generate(book.context(), plan, { apiMinor, base64, quiet: true });
    expect(r.status).toBe('done');
    expect(book.enableEvents).toBe(true);
    const failing = new ExcelHost({ apiMinor: 12, failRequest: 3 });
    failing.addSheet('Sheet1');
    const f = await generate(failing.context(), plan, { apiMinor: 12, quiet: true });
    expect(f).toMatchObject({ status: 'failed', restored: true });
    expect(failing.enableEvents).toBe(true);
    expect(failing.sheets.map((s) => s.name)).toEqual(['Sheet1']);
  });
});

describe('the range path prints the official form too (issue 13)', () => {
  it('each sheet gets its own page count in the footer, page numbers from 1 and the layout\'s page breaks', async () => {
    const plan = planWorkbook(taiqian, towns.slice(0, 2));
    const book = new ExcelHost({ apiMinor: 12 });
    const r = await generate(book.context(), plan, { apiMinor: 12 });
    expect(r).toMatchObject({ status: 'done', path: 'ranges' });
    let breaks = 0;
    for (const s of plan.sheets.filter((x) => x.print)) {
      const got = book.sheet(s.name)!.print;
      expect(got.centerFooter, s.name).toBe(s.print!.footer!.replace(/^&C/, ''));
      expect(got.centerFooter).toMatch(/^第 &P 页，共 \d+ 页$/);
      expect(got.firstPageNumber, s.name).toBe(1);
      expect(got.breaksBefore, s.name).toEqual((s.print!.rowBreaks ?? []).map((row) => row + 1));
      breaks += got.breaksBefore.length;
    }
    expect(breaks).toBeGreaterThan(0); // 台前's unit sheets run over several pages
  });
});
