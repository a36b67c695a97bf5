/**
 * Workbook bench: `dafen make` at scale. For every bundled rubric (the fixture when there are none)
 * and 40, 100, 300 and 1,000 units (the program's own units first, then made-up ones round-robin over
 * its variants, blank as `dafen make` writes them): planWorkbook + writeWorkbook, against the named
 * baseline — plain ExcelJS writing the same cell values (no styles, formulas, merges or validations)
 * — in the same run, rounds interleaved so machine load hits both alike; medians.
 * Targets (issue 14): ≤ 2× the baseline at every size; linear (time per unit at 1,000 within 1.5× of
 * that at 40); 300 units under 2 s; the largest 300-unit file ≤ 3.7 MB, so its base64 fits the 5 MB
 * request limit of Excel on the web. Prints figures, asserts nothing.
 *
 * Environment: BENCH_SIZES=40,300 (other sizes); BENCH_EXCELJS=1 adds the ExcelJS builder
 * (writeWorkbook's `writer: 'exceljs'`, the writer before issue 14) at each size; BENCH_LO=1 adds
 * LibreOffice opening, recalculating and saving every rubric's file at the same sizes against the
 * plain one (an hour or more: see bench/libreoffice.ts).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { loadProgram, type Program } from '../src/engine';
import { planWorkbook, type WorkbookPlan } from '../src/layout';
import { writeWorkbook } from '../src/xlsx';
import type { BenchResult } from './run';
import { median } from './run';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const SIZES = (process.env.BENCH_SIZES ?? '40,100,300,1000').split(',').map(Number).filter((n) => n > 0);
const rounds = (n: number): number => (n <= 100 ? 5 : 3);
/** Excel on the web: at most 5 MB per request (toolchain.md); the insert carries the file as base64. */
export const WEB_LIMIT = 5_000_000;
export const SIZE_TARGET = 3_700_000;

export interface Subject {
  name: string;
  program: Program;
}

export function subjects(): Subject[] {
  const dir = join(ROOT, 'rubrics');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f)) : [];
  const list = (files.length ? files : [join(ROOT, 'test/fixtures/mini.yaml')]).flatMap((f) => {
    const program = loadProgram(readFileSync(f, 'utf8'), f).program;
    return program ? [{ name: f.split('/').pop()!.replace(/\.ya?ml$/, ''), program }] : [];
  });
  if (!list.length) throw new Error('no rubric loads');
  return list;
}

/** `n` units: the program's own list first (each in its variant), then made-up names round-robin over the variants. */
export function cohort(program: Program, n: number): { name: string; variant: string }[] {
  const units = (program.units ?? []).slice(0, n).map((u) => ({ name: u.name, variant: u.variant }));
  for (let i = 0; units.length < n; i++) units.push({ name: `单位${i + 1}`, variant: program.variants[i % program.variants.length].id });
  return units;
}

/** The cells the plain writer writes: every value, and every formula's value, per sheet. */
export function plainCells(plan: WorkbookPlan): { name: string; cells: { row: number; col: number; v: string | number }[] }[] {
  return plan.sheets.map((s) => ({
    name: s.name,
    cells: s.cells.flatMap((c) => {
      const v = c.formula !== undefined ? c.cached : c.value;
      return v === undefined || v === null || v === '' ? [] : [{ row: c.row, col: c.col, v }];
    }),
  }));
}

/** The baseline: plain ExcelJS, default options, writing those values. */
export async function plainBytes(sheets: ReturnType<typeof plainCells>): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    for (const c of s.cells) ws.getCell(c.row, c.col).value = c.v;
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

interface Case {
  rubric: string;
  units: number;
  ms: number;
  planMs: number;
  plainMs: number;
  bytes: number;
  plainBytes: number;
  excelJsMs?: number;
}

async function measure(s: Subject, n: number, withExcelJS: boolean): Promise<Case> {
  const units = cohort(s.program, n);
  const make = async () => {
    const t = performance.now();
    const plan = planWorkbook(s.program, units, { date: '2019-01-15' });
    const t1 = performance.now();
    const bytes = await writeWorkbook(plan);
    return { plan, bytes, planMs: t1 - t, ms: performance.now() - t };
  };
  const first = await make();
  const cells = plainCells(first.plan);
  let plainSize = (await plainBytes(cells)).length; // warm-up of the baseline
  const ours: number[] = [];
  const planMs: number[] = [];
  const base: number[] = [];
  for (let r = 0; r < rounds(n); r++) {
    const m = await make();
    ours.push(m.ms);
    planMs.push(m.planMs);
    const t = performance.now();
    plainSize = (await plainBytes(cells)).length;
    base.push(performance.now() - t);
  }
  let excelJsMs: number | undefined;
  if (withExcelJS) {
    const t = performance.now();
    await writeWorkbook(first.plan, { writer: 'exceljs' });
    excelJsMs = performance.now() - t + median(planMs);
  }
  return { rubric: s.name, units: n, ms: median(ours), planMs: median(planMs), plainMs: median(base), bytes: first.bytes.length, plainBytes: plainSize, excelJsMs };
}

const kb = (b: number): number => Math.round(b / 1024);

export async function run(): Promise<BenchResult[]> {
  const withExcelJS = process.env.BENCH_EXCELJS === '1';
  const cases: Case[] = [];
  for (const s of subjects()) for (const n of SIZES) cases.push(await measure(s, n, withExcelJS));

  const lines = cases.map((c) => [
    c.rubric, c.units, Math.round(c.ms), (c.ms / c.units).toFixed(2), Math.round(c.planMs), Math.round(c.plainMs), `${(c.ms / c.plainMs).toFixed(2)}×`,
    kb(c.bytes), kb(Math.ceil(c.bytes / 3) * 4), kb(c.plainBytes), ...(withExcelJS ? [Math.round(c.excelJsMs ?? 0)] : []),
  ]);
  const head = ['rubric', 'units', 'dafen ms', 'ms/unit', 'of which plan', 'plain ExcelJS ms', 'ratio', 'KB', 'base64 KB', 'plain KB', ...(withExcelJS ? ['ExcelJS builder ms'] : [])];

  const rubrics = [...new Set(cases.map((c) => c.rubric))];
  const lo = Math.min(...SIZES);
  const hi = Math.max(...SIZES);
  const perUnit = (r: string, n: number) => { const c = cases.find((x) => x.rubric === r && x.units === n)!; return c.ms / n; };
  const linearity = rubrics.map((r) => ({ r, x: perUnit(r, hi) / perUnit(r, lo) }));
  const worstRatio = Math.max(...cases.map((c) => c.ms / c.plainMs));
  const at300 = cases.filter((c) => c.units === 300);
  const slowest300 = at300.length ? Math.max(...at300.map((c) => c.ms)) : NaN;
  const largest300 = at300.length ? Math.max(...at300.map((c) => c.bytes)) : NaN;
  const worstLinear = Math.max(...linearity.map((l) => l.x));
  const met = worstRatio <= 2 && (lo === hi || worstLinear <= 1.5) && !(slowest300 >= 2000) && !(largest300 > SIZE_TARGET);
  return [{
    name: `Workbook at scale: dafen make (plan + write, in process) vs plain ExcelJS, same cell values — ${rubrics.length} rubrics × ${SIZES.join(', ')} units`,
    rows: [
      { metric: 'worst ratio dafen / plain ExcelJS', value: `${worstRatio.toFixed(2)}×` },
      ...linearity.map((l) => ({ metric: `${l.r}: time per unit at ${hi} / at ${lo}`, value: `${l.x.toFixed(2)}×` })),
      ...(at300.length ? [
        { metric: 'slowest 300-unit workbook', value: Math.round(slowest300), unit: 'ms' },
        { metric: 'largest 300-unit workbook', value: kb(largest300), unit: 'KB' },
        { metric: '  its base64 (web limit 5 MB per request)', value: kb(Math.ceil(largest300 / 3) * 4), unit: 'KB' },
      ] : []),
    ],
    table: { head, lines },
    target: {
      text: '≤ 2× plain ExcelJS at every size; time per unit at 1,000 ≤ 1.5× that at 40; 300 units < 2 s; 300-unit file ≤ 3.7 MB (base64 < 5 MB)',
      met,
    },
    notes: [
      `medians of ${rounds(40)} rounds (≤ 100 units) or ${rounds(300)} (more), each round dafen then the baseline; the first make of each size is a warm-up`,
      'dafen writes styles, merges, formulas with cached values, validations, protection, print setup and the cell map; plain ExcelJS the values only, at its default deflate level',
      'sheet XML that repeats (blank unit sheets of one layout) is deflated once and copied; the rest at deflate level 1',
    ],
  }];
}
