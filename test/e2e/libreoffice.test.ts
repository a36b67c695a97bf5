/**
 * End-to-end proof with a real spreadsheet application. For every bundled rubric (and the fixture):
 * generate the workbook for all its units, fill the inputs at random the way a clerk would (blanks,
 * deductions past the floor, 不涉及 where allowed), let LibreOffice recalculate it headless, read it
 * back, and require every score, subtotal, total, converted score and rank to equal the engine's.
 * One sheet per variant is rendered to PDF and PNG (test-artifacts/e2e/) and must use a CJK font.
 * Skipped, with the reason printed, only when soffice is not installed.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreCohort, settingsOf, type NodeResult, type Program, type Raw, type UnitResult } from '../../src/engine';
import { applySettings, planWorkbook, SETTINGS_NAME, SUMMARY_NAME, type WorkbookPlan } from '../../src/layout';
import { readFilledWorkbook, verifyWorkbook, writeWorkbook, type FilledWorkbook } from '../../src/xlsx';
import { ROOT, randomInputs, rubricCases, unitsFor, type FilledUnit } from '../layout/helpers';
import { convert, makeProfile, sofficePath } from './soffice';
import { engineCheck } from './against-engine';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');
const SOFFICE = sofficePath();

if (!SOFFICE) {
  console.log('[e2e] skipped: soffice not found — apt-get install -y --no-install-recommends libreoffice-calc-nogui poppler-utils fonts-wqy-microhei fonts-crosextra-carlito');
}

interface Case {
  name: string;
  program: Program;
  units: FilledUnit[];
  plan?: WorkbookPlan;
  filled?: string;
  renders: { variant: string; unit: string; file: string }[];
  recalculated?: string;
  pdfs: string[];
  /** 本表设定 values the clerk changed (each setting raised by 0.5 within its bounds): the sheets must follow them. */
  settings: Record<string, Raw>;
}

function fill(c: Case, seed: number): void {
  c.units = randomInputs(c.program, unitsFor(c.program), seed);
  c.settings = Object.fromEntries(settingsOf(c.program).map((x) => [x.key, x.max === null ? x.value + 0.5 : Math.min(x.max, x.value + 0.5)]));
}

async function fillWorkbook(bytes: Uint8Array, plan: WorkbookPlan, units: Case['units'], only?: string, settings: Record<string, Raw> = {}): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const sm = plan.meta.settings;
  if (sm) {
    const ws = wb.getWorksheet(sm.sheet)!;
    for (const cell of sm.cells) if (cell.key in settings) ws.getCell(cell.address).value = settings[cell.key] as number;
    if (only !== undefined) ws.state = 'hidden';
  }
  for (const sm of plan.meta.sheets) {
    const ws = wb.getWorksheet(sm.name)!;
    const u = units.find((x) => x.name === sm.unit)!;
    for (const i of sm.inputs) {
      const v = u.inputs[i.key];
      ws.getCell(i.address).value = v === undefined || v === null ? null : (v as string | number);
    }
    if (only !== undefined && sm.unit !== only) ws.state = 'hidden';
  }
  if (only !== undefined) {
    wb.getWorksheet(SUMMARY_NAME)!.state = 'hidden';
    // The active tab must be a visible sheet, or the hidden one is shown (and printed) anyway.
    const visible = wb.worksheets.findIndex((w) => w.state === 'visible');
    wb.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: visible, activeTab: visible, visibility: 'visible' }];
  }
  return wb;
}

const flatNodes = (ns: NodeResult[]): NodeResult[] => ns.flatMap((n) => [n, ...flatNodes(n.children)]);

const cases: Case[] = SOFFICE ? rubricCases().map((r) => ({ name: r.name, program: r.program, units: [], renders: [], pdfs: [], settings: {} })) : [];
let work = '';

describe.runIf(SOFFICE)('LibreOffice recalculates every bundled workbook to the engine’s figures', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'dafen-e2e-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    const filledDir = join(work, 'filled');
    const renderDir = join(work, 'render');
    mkdirSync(filledDir, { recursive: true });
    mkdirSync(renderDir, { recursive: true });
    for (const [ci, c] of cases.entries()) {
      fill(c, Number(process.env.DAFEN_E2E_SEED ?? 20240601) + ci);
      // The clerk gets a blank workbook and fills it in: formulas must be recomputed, not cached.
      c.plan = planWorkbook(c.program, c.units.map((u) => ({ name: u.name, variant: u.variant })), { date: '2019-01-15' });
      const blank = await writeWorkbook(c.plan);
      const wb = await fillWorkbook(blank, c.plan, c.units, undefined, c.settings);
      c.filled = join(filledDir, `${c.name}.xlsx`);
      writeFileSync(c.filled, new Uint8Array(await wb.xlsx.writeBuffer()));
      // One small workbook per variant for the picture: that unit's sheet only.
      for (const v of c.program.variants) {
        const u = c.units.find((x) => x.variant === v.id);
        if (!u) continue;
        const plan = planWorkbook(c.program, [{ name: u.name, variant: u.variant }], { date: '2019-01-15' });
        const rb = await fillWorkbook(await writeWorkbook(plan), plan, c.units, u.name);
        const file = join(renderDir, `${c.name}-${v.id}.xlsx`);
        writeFileSync(file, new Uint8Array(await rb.xlsx.writeBuffer()));
        c.renders.push({ variant: v.id, unit: u.name, file });
      }
    }
    // Two soffice processes in parallel, each with its own profile: recalculate all, render all.
    const [recalc, pdfs] = await Promise.all([
      convert(SOFFICE!, makeProfile(join(work, 'profile-a')), 'xlsx', join(work, 'recalc'), cases.map((c) => c.filled!)),
      convert(SOFFICE!, makeProfile(join(work, 'profile-b')), 'pdf', join(work, 'pdf'), cases.flatMap((c) => c.renders.map((r) => r.file))),
    ]);
    cases.forEach((c, i) => (c.recalculated = recalc[i]));
    for (const c of cases) c.pdfs = c.renders.map((r) => pdfs.find((p) => basename(p) === `${basename(r.file, '.xlsx')}.pdf`)!);
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('has the fixture and the bundled rubrics', () => {
    expect(cases.map((c) => c.name)).toContain('mini');
    expect(cases.length).toBeGreaterThanOrEqual(1);
  });

  for (const c of cases) {
    it(`${c.name}: every score, subtotal, total, converted score and rank equals the engine`, async () => {
      const read: FilledWorkbook = await readFilledWorkbook(new Uint8Array(readFileSync(c.recalculated!)));
      expect(read.problems.filter((p) => p.severity === 'error'), 'reading problems').toEqual([]);
      expect(read.units.length).toBe(c.units.length);
      // The inputs survive the round trip.
      for (const u of c.units) {
        const ru = read.units.find((x) => x.unit === u.name)!;
        expect(ru.inputs, `${u.name} inputs`).toEqual(u.inputs);
      }
      // The 本表设定 values the clerk changed are read back and scored with (layout applySettings).
      expect(read.settings ?? {}, '本表设定 read back').toEqual(c.settings);
      const scoring = applySettings(c.program, read.settings);
      expect(scoring.problems).toEqual([]);
      const res = scoreCohort(scoring.program, c.units.map((u) => ({ unit: u.name, variant: u.variant, inputs: u.inputs })));
      expect(res.units.flatMap((u) => u.problems.filter((p) => p.severity === 'error')), 'inputs are valid').toEqual([]);
      const engine = new Map<string, UnitResult>(res.units.map((u) => [u.unit, u]));
      const check = engineCheck();
      const close = check.close;
      let moved = 0;
      const expectedPlan = planWorkbook(c.program, c.units, { date: '2019-01-15', settings: c.settings });
      for (const ru of read.units) {
        const e = engine.get(ru.unit)!;
        for (const n of flatNodes(e.nodes)) close(ru.computed[n.id]?.value, n.points, `${ru.sheet}!${ru.computed[n.id]?.address} ${n.id}`);
        const totals: [string, number | null][] = [['$base', e.base], ['$bonus', e.bonus], ['$penalty', e.penalty], ['$adjust', e.adjustment], ['$final', e.final], ['$converted', e.converted]];
        for (const [id, v] of totals) if (ru.computed[id] && v !== null) close(ru.computed[id].value, v, `${ru.sheet} ${id}`);
        if (ru.computed.$veto) expect(ru.computed.$veto.value ?? '', `${ru.sheet} veto`).toBe(e.veto ? '取消评优资格' : '');
        const row = read.summary[ru.unit];
        expect(row, `${ru.unit} on the summary`).toBeDefined();
        close(row.cells.base?.value, e.base, `${ru.unit} 汇总 基础分`);
        close(row.cells.bonus?.value, e.bonus, `${ru.unit} 汇总 加分`);
        close(row.cells.penalty?.value, e.penalty, `${ru.unit} 汇总 扣分`);
        close(row.cells.final?.value, e.final, `${ru.unit} 汇总 总分`);
        if (e.converted !== null) close(row.cells.converted?.value, e.converted, `${ru.unit} 汇总 折合得分`);
        // 名次: only complete units are ranked (issue 13); the others show their 状态 and no place.
        const rankCell = expectedPlan.sheets[0].cells.find((x) => x.computed === 'summary.rank' && x.row === c.plan!.meta.sheets.find((s) => s.unit === ru.unit)!.summaryRow)!;
        if (rankCell.cached === '') expect(row.cells.rank?.value ?? '', `${ru.unit} 汇总 名次`).toBe('');
        else close(row.cells.rank?.value, rankCell.cached as number, `${ru.unit} 汇总 名次`);
        expect(row.cells.status?.value, `${ru.unit} 汇总 状态`).toBe(e.status.zh);
        if (row.cells.grade) expect(row.cells.grade.value ?? '', `${ru.unit} 等次`).toBe(e.grade ?? '');
        if (row.cells.veto) expect(row.cells.veto.value ?? '', `${ru.unit} 一票否决`).toBe(e.veto ? '取消评优资格' : '');
        moved += ru.moved ? 1 : 0;
      }
      expect(moved).toBe(0);
      // And `dafen score` would find nothing to flag: formulas as written (after LibreOffice's rewrite), values as the engine's.
      const expected = planWorkbook(c.program, c.units, { date: '2019-01-15', settings: c.settings });
      // 计分采用 on the 本表设定 sheet, as LibreOffice computed it, is the engine's value in force.
      if (expected.meta.settings) {
        const wbx = new ExcelJS.Workbook();
        await wbx.xlsx.load(readFileSync(c.recalculated!) as unknown as ArrayBuffer);
        const ws = wbx.getWorksheet(SETTINGS_NAME)!;
        for (const x of settingsOf(scoring.program)) {
          const at = expected.meta.settings.cells.find((y) => y.key === x.key)!.address.replace(/^G/, 'H');
          close((ws.getCell(at).value as { result?: number } | null)?.result ?? ws.getCell(at).value, x.value, `${SETTINGS_NAME}!${at} ${x.key}`);
        }
      }
      expect(verifyWorkbook(read, expected).map((p) => p.message.en)).toEqual([]);
      // The recalculation really happened: some final differs from the blank workbook's.
      const blankFinals = new Set(c.plan!.sheets[0].cells.filter((x) => x.computed === 'summary.final').map((x) => x.cached));
      expect(res.units.some((u) => !blankFinals.has(u.final)) || res.units.every((u) => u.final === 0)).toBe(true);
      console.log(`[e2e] ${c.name}: ${c.units.length} units, ${check.checked} figures — LibreOffice = engine`);
    });

    it(`${c.name}: one sheet per variant renders on A4 with a CJK font`, () => {
      for (const [i, pdf] of c.pdfs.entries()) {
        const r = c.renders[i];
        const fonts = spawnSync('pdffonts', [pdf], { encoding: 'utf8' });
        expect(fonts.status, 'pdffonts runs').toBe(0);
        expect(fonts.stdout, `${basename(pdf)} embeds a CJK font`).toMatch(/WenQuanYi|Hei|Song|Noto\w*CJK|Droid\w*Fallback|Ming|Kai/i);
        const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout;
        const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
        expect(size, 'page size').not.toBeNull();
        const [w, h] = [Number(size![1]), Number(size![2])].sort((a, b) => a - b);
        expect(Math.abs(w - 595) < 3 && Math.abs(h - 842) < 3, `A4, got ${size![1]}×${size![2]}`).toBe(true);
        const stem = join(ARTIFACTS, `${c.name}-${r.variant}`);
        copyFileSync(pdf, `${stem}.pdf`);
        const png = spawnSync('pdftoppm', ['-png', '-r', '80', '-singlefile', pdf, stem]);
        expect(png.status, 'pdftoppm').toBe(0);
        expect(existsSync(`${stem}.png`)).toBe(true);
        const text = spawnSync('pdftotext', ['-l', '1', pdf, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, '');
        expect(text, 'title and unit line are on the first page').toContain(r.unit);
      }
    });
  }
});
