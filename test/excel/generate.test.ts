// 生成打分表 through the Office.js adapter, on office-addin-mock with a cell model underneath.
// Round trips: ≤2 with insertWorksheetsFromBase64 (ExcelApi 1.13), ≤4 range by range.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProgram, type Program } from '../../src/engine';
import { planWorkbook, type WorkbookPlan } from '../../src/layout';
import { generate } from '../../src/excel/generate';
import { FakeBook } from './fake-excel';
import { xlsxInserter } from './insert-xlsx';
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
function expectModelMatchesPlan(book: FakeBook, plan: WorkbookPlan): void {
  for (const s of plan.sheets) {
    const sheet = book.sheet(s.name);
    expect(sheet, s.name).toBeDefined();
    for (const c of s.cells) {
      const a = `${String.fromCharCode(64 + c.col)}${c.row}`;
      const got = sheet!.cells.get(a);
      if (c.formula !== undefined) expect(got?.formula, `${s.name}!${a}`).toBe(`=${c.formula}`);
      else if (c.value !== null && c.value !== undefined && c.value !== '') {
        const v = got?.value;
        expect(typeof v === 'string' && v.startsWith("'") ? v.slice(1) : v, `${s.name}!${a}`).toEqual(c.value);
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
  it.each(variants)('$label: all units in ≤4 round trips, values and formulas as planned', ({ p, v }) => {
    const plan = planWorkbook(p, unitsOf(p, v));
    const book = new FakeBook({ apiMinor: 12 });
    book.addSheet('Sheet1');
    return generate(book.context(), plan, { apiMinor: 12 }).then((r) => {
      expect(r.status).toBe('done');
      expect(book.syncs).toBeLessThanOrEqual(4);
      expectModelMatchesPlan(book, plan);
      // Merges, protection and validations were applied too.
      const unit = book.sheet(plan.sheets[1].name)!;
      expect(unit.merges.length).toBe(plan.sheets[1].merges.length);
      expect(unit.protected).toBe(true);
      expect(unit.validations.size).toBeGreaterThan(0);
    });
  });
});

describe('generate: insertWorksheetsFromBase64 (ExcelApi 1.13+)', () => {
  it.each(variants)('$label: all units in ≤2 round trips, same cells as the range path', async ({ p, v }) => {
    const plan = planWorkbook(p, unitsOf(p, v));
    const base64 = Buffer.from(await writeWorkbook(plan)).toString('base64');
    const book = new FakeBook({ apiMinor: 14, insertFromBase64: xlsxInserter });
    book.addSheet('Sheet1');
    const r = await generate(book.context(), plan, { apiMinor: 14, base64 });
    expect(r).toMatchObject({ status: 'done', path: 'base64' });
    expect(book.syncs).toBeLessThanOrEqual(2);
    expectModelMatchesPlan(book, plan);
  });
});

describe('generate: existing sheets', () => {
  it('never overwrites without asking, and replaces when told', async () => {
    const p = programs.find((x) => x.id === 'taiqian-2018')!;
    const plan = planWorkbook(p, unitsOf(p, 'town').slice(0, 2));
    const book = new FakeBook({ apiMinor: 12 });
    book.addSheet('Sheet1');
    book.addSheet(plan.sheets[1].name);
    book.setCell(plan.sheets[1].name, 'A1', { value: '原有内容' });
    const first = await generate(book.context(), plan, { apiMinor: 12 });
    expect(first).toEqual({ status: 'conflict', conflicts: [plan.sheets[1].name] });
    expect(book.syncs).toBe(1);
    expect(book.value(plan.sheets[1].name, 'A1')).toBe('原有内容');
    expect(book.sheets.map((s) => s.name)).toEqual(['Sheet1', plan.sheets[1].name]);

    const second = await generate(book.context(), plan, { apiMinor: 12, replace: true });
    expect(second).toMatchObject({ status: 'done', replaced: [plan.sheets[1].name] });
    expect(book.value(plan.sheets[1].name, 'A1')).not.toBe('原有内容');
    expect(book.sheets.filter((s) => s.name.startsWith('~dafen-old'))).toEqual([]);
  });
});
