/**
 * Collect bench (issue 15): 300 units × 3 raters on the 台前 rubric. Split: the master (read from its
 * bytes) → one 300-unit piece per rater, written; merge: the master + the three filled pieces (read from
 * bytes) → the new master, written. Also 300 units by unit (one self-assessment piece each) when the
 * master has a 自评 column. Target: split and merge each under 10 s here. 收集 inside Excel: the same master
 * open in the simulated host behind the real office.js (test/excel/excel-host.ts), the same files, what the
 * pane does (read the workbook, merge, write the blank cells), against the file merge as the baseline, with
 * round trips and the largest request and answer (the web's limit is 5 MB each way). Prints figures, asserts nothing.
 * Environment: BENCH_COLLECT_UNITS=300 (another size).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadProgram, type Program } from '../src/engine';
import { planWorkbook, type UnitIn } from '../src/layout';
import { readFilledWorkbook, writeWorkbook } from '../src/xlsx';
import ExcelJS from 'exceljs';
import { collectEntries, masterEntries, masterKept, masterPlan, mergeEntries, mergeWorkbooks, openMaster, quickRead, readPiece, splitWorkbook } from '../src/collect';
import { bindingFromMeta } from '../src/excel/fromMeta';
import { generate } from '../src/excel/generate';
import { hostCaps, WEB_REQUEST_LIMIT } from '../src/excel/caps';
import { createLiveState } from '../src/excel/live';
import { writeCollected } from '../src/excel/collected';
import { filledOf, readHeld } from '../src/taskpane/held';
import { ExcelHost } from '../test/excel/excel-host';
import { decodeXlsx } from '../test/excel/insert-xlsx';
import type { WorkbookPlan } from '../src/layout';
import type { BenchResult } from './run';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const N = Number(process.env.BENCH_COLLECT_UNITS ?? 300);
const TARGET_MS = 10_000;

function units(program: Program, n: number): UnitIn[] {
  const listed = (program.units ?? []).map((u) => ({ name: u.name, variant: u.variant }));
  const out: { name: string; variant: string }[] = listed.slice(0, n);
  for (let i = out.length; i < n; i++) out.push({ name: `测试单位${i + 1}`, variant: program.variants[i % program.variants.length].id });
  return out;
}

async function fillPiece(bytes: Uint8Array, value: number): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const read = await quickRead(bytes);
  for (const sm of read!.meta!.sheets) {
    const ws = wb.getWorksheet(sm.name)!;
    for (const i of sm.inputs.filter((x) => x.key.endsWith('#score')).slice(0, 5)) ws.getCell(i.address).value = Math.min(value, 1);
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

async function time<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await f();
  return [r, performance.now() - t];
}

export async function run(): Promise<BenchResult> {
  const program = loadProgram(readFileSync(join(ROOT, 'rubrics', 'taiqian-2018.yaml'), 'utf8')).program!;
  const plan = planWorkbook(program, units(program, N), { generator: 'bench', assessment: { self: true, raters: { count: 3, aggregate: 'trimmedMean', on: 'criterion', spread: 2 } } });
  const multi = (plan.meta.hands ?? []).includes('rater3');
  const master = await writeWorkbook(plan);
  const rows: BenchResult['rows'] = [{ metric: 'master', value: `${N} units, ${Math.round(master.length / 1024)} KB`, unit: '' }];
  const notes: string[] = [];
  // The layout of raters is the engine side's (w15a); until it lays them out, the same work is measured as 3 pieces of the assessor's column.
  const split = async () => {
    if (multi) return (await splitWorkbook(master, { by: 'rater', file: 'bench.xlsx' })).pieces!;
    const one = async () => (await splitWorkbook(master, { by: 'rater', hand: 'assessor', file: 'bench.xlsx' })).pieces!;
    return [...(await one()), ...(await one()), ...(await one())];
  };
  if (!multi) notes.push('master without rater columns (hands not laid out yet): split = 3 × one 300-unit piece of the assessor column; merge = the master + those 3 (2 refused as the same unit and hand, after reading)');
  const [pieces, splitMs] = await time(split);
  rows.push({ metric: `split by rater (${pieces.length} pieces × ${N} units)`, value: Math.round(splitMs), unit: 'ms' });
  rows.push({ metric: 'piece size', value: Math.round(pieces[0].bytes.length / 1024), unit: 'KB' });
  // Each rater fills every unit's first five inputs (as cells hold them), through ExcelJS as a clerk's Excel would save.
  const [files, fillMs] = await time(async () => Promise.all(pieces.map(async (p, i) => ({ name: p.name, bytes: await fillPiece(p.bytes, i + 1) }))));
  notes.push(`filling the pieces (ExcelJS load + save, not part of merge): ${Math.round(fillMs)} ms`);
  const [merged, mergeMs] = await time(() => mergeWorkbooks({ name: 'bench.xlsx', bytes: master }, files));
  rows.push({ metric: `merge (master + ${files.length} pieces)`, value: Math.round(mergeMs), unit: 'ms' });
  rows.push({ metric: 'values taken by the merge', value: merged.report?.taken ?? 0, unit: '' });
  // Where the merge's time goes: reading (fast read), merging entries, planning the new master (the plan path of dafen update), writing it.
  const [m] = await time(() => openMaster('bench.xlsx', master));
  if (!('code' in m)) {
    const [reads, readPieces] = await time(async () => Promise.all(files.map((f) => readPiece(f))));
    const [me, mergeOnly] = await time(async () => mergeEntries({ meta: m.meta, program: m.program, hands: m.hands, units: masterEntries(m) }, reads));
    const [plan2, planMs] = await time(async () => masterPlan(m, me.units, masterKept(m)));
    const [, writeMs] = await time(() => writeWorkbook(plan2));
    rows.push({ metric: '  of which: reading the 3 pieces', value: Math.round(readPieces), unit: 'ms' });
    rows.push({ metric: '  of which: merging the entries', value: Math.round(mergeOnly), unit: 'ms' });
    rows.push({ metric: '  of which: planning the new master (planWorkbook, filled)', value: Math.round(planMs), unit: 'ms' });
    rows.push({ metric: '  of which: writing it (writeWorkbook)', value: Math.round(writeMs), unit: 'ms' });
  }
  const [, quickMs] = await time(() => quickRead(master));
  rows.push({ metric: `reading the ${N}-unit master (fast read)`, value: Math.round(quickMs), unit: 'ms' });
  const [, readMs] = await time(() => readFilledWorkbook(master));
  rows.push({ metric: `reading it with the full reader (ExcelJS), for comparison`, value: Math.round(readMs), unit: 'ms' });
  rows.push({ metric: 'merged size', value: Math.round((merged.bytes?.length ?? 0) / 1024), unit: 'KB' });
  let unitMs = 0;
  if ((plan.meta.hands ?? []).includes('self')) {
    const [bu, ms] = await time(async () => (await splitWorkbook(master, { by: 'unit', file: 'bench.xlsx' })).pieces!);
    unitMs = ms;
    rows.push({ metric: `split by unit (${bu.length} self-assessment pieces)`, value: Math.round(ms), unit: 'ms' });
    const [, mm] = await time(() => mergeWorkbooks({ name: 'bench.xlsx', bytes: master }, bu.map((p) => ({ name: p.name, bytes: p.bytes }))));
    rows.push({ metric: `merge (master + ${bu.length} self-assessment pieces)`, value: Math.round(mm), unit: 'ms' });
    unitMs = Math.max(unitMs, mm);
  }
  const excel = await excelCollect(program, plan, master, files, mergeMs);
  rows.push(...excel.rows);
  const worst = Math.max(splitMs, mergeMs, unitMs, excel.ms);
  return {
    name: `Collect: split and merge, 台前, ${N} units × 3 raters`,
    rows,
    target: { text: `split, merge and 收集 in Excel each under ${TARGET_MS / 1000} s; no request or answer over 5 MB`, met: worst < TARGET_MS && excel.fits },
    notes,
  };
}

/** 收集 inside Excel: the master generated into the simulated host, then what the pane's 收集 does, timed and counted. */
async function excelCollect(program: Program, plan: WorkbookPlan, master: Uint8Array, files: { name: string; bytes: Uint8Array }[], baselineMs: number): Promise<{ rows: BenchResult['rows']; ms: number; fits: boolean }> {
  const host = new ExcelHost({ apiMinor: 14, platform: 'win32', decodeXlsx });
  host.addSheet('Sheet1');
  const g = await generate(host.context(), plan, { apiMinor: 14, base64: Buffer.from(master).toString('base64'), insertBase64: true });
  if (g.status !== 'done') throw new Error(`bench: generate ${g.status}`);
  const caps = hostCaps(14, 'PC', host.lib.Excel);
  const state = createLiveState(program, bindingFromMeta(plan.meta, plan, new Map(), g.ids), caps);
  const from = host.requests.length;
  const run = <T>(fn: (c: Excel.RequestContext) => Promise<T>) => fn(host.context());
  const t0 = performance.now();
  const held = await readHeld(run, state, plan.meta);
  const readMs = performance.now() - t0;
  const r = await collectEntries({ name: 'bench.xlsx', read: filledOf(held, state) }, files);
  if (r.problems) throw new Error(`bench: merge ${r.problems[0].code}`);
  const t1 = performance.now();
  const first = (plan.meta.hands ?? []).find((h) => h !== 'self') ?? 'assessor';
  const wrote = await writeCollected(host.context(), state.binding, plan.meta, r.merged.writes.filter((w) => w.key !== undefined || w.hand === first), caps);
  const writeMs = performance.now() - t1;
  const ms = performance.now() - t0;
  const reqs = host.requests.slice(from);
  const largest = Math.max(0, ...reqs.map((q) => q.bytes));
  const answer = Math.max(0, ...reqs.map((q) => q.responseBytes ?? 0));
  const fits = largest <= WEB_REQUEST_LIMIT && answer <= WEB_REQUEST_LIMIT;
  return {
    ms,
    fits,
    rows: [
      { metric: `收集 in Excel (read the open workbook, merge ${files.length} pieces, write the blank cells)`, value: Math.round(ms), unit: 'ms' },
      { metric: '  ratio to the file merge above (baseline)', value: `${(ms / baselineMs).toFixed(2)}×`, unit: '' },
      { metric: '  of which: reading the workbook through office.js', value: Math.round(readMs), unit: 'ms' },
      { metric: '  of which: writing the blank cells', value: Math.round(writeMs), unit: 'ms' },
      { metric: '  values written', value: wrote.written, unit: '' },
      { metric: '  round trips (read + write)', value: reqs.length, unit: '' },
      { metric: '  largest request', value: Math.round(largest / 1024), unit: 'KB' },
      { metric: '  largest answer', value: Math.round(answer / 1024), unit: 'KB' },
    ],
  };
}
