/**
 * Issue 9, end to end: a workbook of every bundled rubric (all its units), typed into the way clerks type
 * (test/clerk.ts: numeric text, units, percent both ways, logicals, dates, error values, formulas, garbage,
 * negatives, huge and tiny numbers, blanks), recalculated by LibreOffice, read back, and held against the
 * engine's reading of the same cells: every score, subtotal, total, status count, 状态 and 名次 must equal
 * the engine's (workbookFindings finds nothing), and the rejected cells LibreOffice counts are exactly the
 * engine's listed input problems. Skipped, with the reason printed, when soffice is not installed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSheet, findVariant, scoreCohort, type Program } from '../../src/engine';
import { planWorkbook, type WorkbookPlan } from '../../src/layout';
import { readFilledWorkbook, workbookFindings, writeWorkbook } from '../../src/xlsx';
import { clerkSheet, type ClerkEntry, type Content } from '../clerk';
import { rng, rubricCases, unitsFor } from '../layout/helpers';
import { convert, makeProfile, sofficePath } from './soffice';

const SOFFICE = sofficePath();
if (!SOFFICE) console.log('[e2e clerk] skipped: soffice not found (see test/e2e/libreoffice.test.ts)');

interface Case {
  name: string;
  program: Program;
  plan: WorkbookPlan;
  typed: Map<string, Map<string, ClerkEntry>>;
  file?: string;
  recalculated?: string;
}

/**
 * ExcelJS reads a formula result of 0, "" or FALSE as no result (the cell reads blank, the sheet 0): the
 * generator's FALSE is typed as TRUE here, and its formulas never give such results (see clerk.ts).
 */
const excelValue = (c: Content): ExcelJS.CellValue => {
  if (c === false) return true;
  // LibreOffice saves a formula's logical result as the number 1: typed as the logical itself here.
  if (c !== null && typeof c === 'object' && 'formula' in c && c.formula === 'TRUE()') return true;
  if (c !== null && typeof c === 'object') return 'date' in c ? new Date(`${c.date}T00:00:00Z`) : { formula: c.formula } as ExcelJS.CellFormulaValue;
  return c;
};

const cases: Case[] = SOFFICE ? rubricCases().map((r, ci) => {
  const units = unitsFor(r.program);
  const plan = planWorkbook(r.program, units.map((u) => ({ name: u.name, variant: u.variant, tags: u.tags })), { date: '2019-01-15' });
  const rand = rng(Number(process.env.DAFEN_E2E_SEED ?? 990009) + ci);
  const typed = new Map(units.map((u) => {
    const sheet = compileSheet(r.program, findVariant(r.program, u.variant)!, u);
    return [u.name, clerkSheet([...sheet.inputs, ...sheet.vetoInputs], rand)] as const;
  }));
  return { name: r.name, program: r.program, plan, typed };
}) : [];
let work = '';

describe.runIf(SOFFICE)('LibreOffice reads clerk-typed cells exactly as the engine does', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'dafen-clerk-'));
    mkdirSync(join(work, 'typed'));
    for (const c of cases) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await writeWorkbook(c.plan)) as unknown as ArrayBuffer);
      for (const sm of c.plan.meta.sheets) {
        const ws = wb.getWorksheet(sm.name)!;
        const typed = c.typed.get(sm.unit)!;
        for (const i of sm.inputs) {
          const e = typed.get(i.key);
          if (!e) continue;
          const cell = ws.getCell(i.address);
          cell.value = excelValue(e.content);
          // A style of its own: ExcelJS shares style objects between cells loaded alike.
          if (e.content !== null && typeof e.content === 'object' && 'date' in e.content) cell.style = { ...cell.style, numFmt: 'yyyy-mm-dd' };
        }
      }
      c.file = join(work, 'typed', `${c.name}.xlsx`);
      writeFileSync(c.file, new Uint8Array(await wb.xlsx.writeBuffer()));
    }
    const out = await convert(SOFFICE!, makeProfile(join(work, 'profile')), 'xlsx', join(work, 'recalc'), cases.map((c) => c.file!));
    cases.forEach((c, i) => (c.recalculated = out[i]));
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const c of cases) {
    it(`${c.name}: every figure, status and 名次 LibreOffice computes equals the engine's reading`, async () => {
      const read = await readFilledWorkbook(new Uint8Array(readFileSync(c.recalculated!)));
      expect(read.problems.filter((p) => p.severity === 'error'), 'reading problems').toEqual([]);
      // The cells came back as the clerk typed them (what the engine is given).
      for (const ru of read.units) {
        const typed = c.typed.get(ru.unit)!;
        for (const [k, e] of typed) {
          const want = e.content === false || (e.content !== null && typeof e.content === 'object' && 'formula' in e.content && e.content.formula === 'TRUE()') ? true : e.read;
          const got = ru.inputs[k] ?? null;
          // LibreOffice keeps a logical typed into a number-formatted cell (85.00%) as its number, 1.
          if (want === true && got === 1) continue;
          expect(got, `${ru.unit} ${k} (${e.form})`).toEqual(want === '' ? null : want ?? null);
        }
      }
      const res = scoreCohort(c.program, read.units.map((u) => ({ unit: u.unit, variant: u.variant, tags: u.tags, inputs: u.inputs, cells: true })));
      // Every figure, state count, 状态 and 名次 LibreOffice saved equals the engine's: nothing to report.
      const { problems, plan } = workbookFindings(read, c.program);
      expect(problems.map((p) => p.message.en)).toEqual([]);
      // 备注 by formula (issue 9 (4)): LibreOffice's words are the engine's, cell for cell.
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(readFileSync(c.recalculated!) as unknown as ArrayBuffer);
      let notes = 0;
      for (const s of plan.sheets.filter((x) => x.kind === 'unit')) {
        const ws = wb.getWorksheet(s.name)!;
        for (const cell of s.cells) {
          if (cell.style !== 'liveNote' || cell.formula === undefined) continue;
          const v = ws.getCell(cell.row, cell.col).value as ExcelJS.CellFormulaValue;
          expect(v?.result, `${s.name} 备注 row ${cell.row}`).toBe(cell.cached);
          notes++;
        }
      }
      if (c.name === 'mini') expect(notes, 'live 备注 cells').toBeGreaterThan(0);
      let rejected = 0;
      for (const ru of read.units) {
        const e = res.units.find((u) => u.unit === ru.unit)!;
        const listed = new Set(e.problems.filter((p) => p.severity === 'error').map((p) => p.path));
        expect(ru.computed.$errors?.value ?? 0, `${ru.unit}: rejected cells counted by LibreOffice = listed problems`).toBe(listed.size);
        expect(ru.computed.$missing?.value ?? 0, `${ru.unit} blanks`).toBe(e.missing);
        expect(ru.computed.$status?.value, `${ru.unit} status`).toBe(e.status.zh);
        rejected += listed.size;
      }
      expect(rejected, 'the clerk typed some rejected values').toBeGreaterThan(0);
      const cells = [...c.typed.values()].reduce((n, m) => n + m.size, 0);
      console.log(`[e2e clerk] ${c.name}: ${read.units.length} units, ${cells} typed cells, ${rejected} rejected and listed, ${notes} live 备注 — LibreOffice = engine`);
    });
  }
});

/**
 * Issue 13: the 汇总 of a blank and of a half-filled workbook, recalculated by LibreOffice. A blank sheet is
 * 未完成 n 项 and takes no 名次; in the half-filled one, complete units are ranked among themselves and the
 * others show their status instead of a place.
 */
describe.runIf(SOFFICE)('the 汇总 tells which sheets are complete (LibreOffice)', () => {
  const program = rubricCases().find((r) => r.name === 'mini')!.program;
  const units = unitsFor(program, 4).filter((u) => u.variant === 'a').slice(0, 4);
  const full = (name: string, seed: number) => {
    const v = findVariant(program, 'a')!;
    const sheet = compileSheet(program, v, { name, tags: [] });
    const inputs: Record<string, string | number> = {};
    const r = rng(seed);
    for (const s of [...sheet.inputs, ...sheet.vetoInputs]) {
      if (s.type === 'yesno') inputs[s.key] = r() < 0.5 ? '是' : '否';
      else if (s.type === 'choice') inputs[s.key] = s.options![0];
      else if (s.key.endsWith('#of')) inputs[s.key] = 10;
      else inputs[s.key] = s.type === 'percent' ? 0.75 : Math.floor(r() * 4);
    }
    return inputs;
  };
  let dir = '';
  let blankRead: Awaited<ReturnType<typeof readFilledWorkbook>>;
  let halfRead: Awaited<ReturnType<typeof readFilledWorkbook>>;
  const half = [
    { name: units[0].name, inputs: full(units[0].name, 1) },
    { name: units[1].name, inputs: full(units[1].name, 2) },
    { name: units[2].name, inputs: { 's1.2#l1': 1 } },
    { name: units[3].name, inputs: {} },
  ];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dafen-sum-'));
    const blank = planWorkbook(program, units.map((u) => u.name), { date: '2019-01-15' });
    // The clerk types into the blank workbook: the 汇总 must follow by formula alone.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeWorkbook(blank)) as unknown as ArrayBuffer);
    for (const sm of blank.meta.sheets) {
      const inputs = half.find((h) => h.name === sm.unit)!.inputs as Record<string, string | number>;
      for (const i of sm.inputs) if (inputs[i.key] !== undefined) wb.getWorksheet(sm.name)!.getCell(i.address).value = inputs[i.key];
    }
    writeFileSync(join(dir, 'blank.xlsx'), await writeWorkbook(blank));
    writeFileSync(join(dir, 'half.xlsx'), new Uint8Array(await wb.xlsx.writeBuffer()));
    const [b, h] = await convert(SOFFICE!, makeProfile(join(dir, 'profile')), 'xlsx', join(dir, 'out'), [join(dir, 'blank.xlsx'), join(dir, 'half.xlsx')]);
    blankRead = await readFilledWorkbook(new Uint8Array(readFileSync(b)));
    halfRead = await readFilledWorkbook(new Uint8Array(readFileSync(h)));
  }, 300_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('blank: every unit 未完成 n 项, no 名次', () => {
    const res = scoreCohort(program, units.map((u) => ({ unit: u.name, variant: u.variant, inputs: {}, cells: true })));
    for (const u of units) {
      const row = blankRead.summary[u.name];
      const e = res.units.find((x) => x.unit === u.name)!;
      expect(e.missing).toBeGreaterThan(0);
      expect(row.cells.status?.value).toBe(`未完成 ${e.missing} 项`);
      expect(row.cells.rank?.value ?? '').toBe('');
    }
  });

  it('half-filled: complete units ranked among themselves, the others show their status and no place', () => {
    const res = scoreCohort(program, half.map((h) => ({ unit: h.name, variant: 'a', inputs: h.inputs, cells: true })));
    const complete = res.units.filter((u) => u.complete);
    expect(complete.map((u) => u.unit)).toEqual([units[0].name, units[1].name]);
    for (const e of res.units) {
      const row = halfRead.summary[e.unit];
      expect(row.cells.status?.value, e.unit).toBe(e.status.zh);
      const want = e.complete ? 1 + complete.filter((x) => x.final > e.final).length : '';
      expect(row.cells.rank?.value ?? '', `${e.unit} 名次`).toBe(want);
      expect(Math.abs(Number(row.cells.final?.value ?? 0) - e.final)).toBeLessThan(1e-9);
    }
    expect(halfRead.summary[units[2].name].cells.status?.value).toMatch(/^未完成 \d+ 项$/);
    expect(workbookFindings(halfRead, program).problems).toEqual([]);
  });
});
