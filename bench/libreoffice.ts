/**
 * LibreOffice bench (opt-in: BENCH_LO=1; long — see below): headless LibreOffice opens, recalculates
 * (forced, toolchain.md) and saves the blank workbook of every bundled rubric at 40, 100, 300 and
 * 1,000 units (BENCH_LO_SIZES, else BENCH_SIZES, to change; BENCH_LO_RUBRICS=miluo,gongshu to pick
 * rubrics), against the named baseline — the plain workbook of the same cell values (bench/workbook.ts'
 * plainBytes) — converted in the same run, one soffice process per file, after one warm-up conversion.
 * Timed as the CPU time of the soffice process (user + system, by /usr/bin/time where present, else
 * wall time): the machine is shared, and CPU time moves less with its load than wall time.
 * Target (issue 14): ≤ 3× the plain workbook at 300 units, for every rubric.
 * The whole table is some 40 conversions; at 1,000 units one takes minutes. Prints figures, asserts nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { planWorkbook, validationEntries } from '../src/layout';
import { writeWorkbook } from '../src/xlsx';
import { makeProfile, sofficePath } from '../test/e2e/soffice';
import type { BenchResult } from './run';
import { SIZES, cohort, plainBytes, plainCells, subjects } from './workbook';

const TARGET = 3;
const TIME = '/usr/bin/time';

interface Timing {
  /** Seconds of CPU (user + system) where /usr/bin/time is present, else wall seconds. */
  cpu: number;
  wall: number;
}

/** One soffice process converting `file` to xlsx in `outDir`; its CPU and wall time. */
function convertTimed(soffice: string, profile: string, outDir: string, file: string, timeoutMs = 3_600_000): Promise<Timing> {
  mkdirSync(outDir, { recursive: true });
  const args = [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--nolockcheck', '--convert-to', 'xlsx', '--outdir', outDir, file];
  const timed = existsSync(TIME);
  const report = join(outDir, `${basename(file)}.time`);
  const [cmd, argv] = timed ? [TIME, ['-f', '%U %S', '-o', report, soffice, ...args]] : [soffice, args];
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    p.stdout.on('data', (d) => (log += d));
    p.stderr.on('data', (d) => (log += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', reject);
    p.on('close', () => {
      clearTimeout(timer);
      const wall = (performance.now() - t) / 1000;
      if (!existsSync(join(outDir, basename(file)))) return reject(new Error(`soffice did not write ${basename(file)}\n${log}`));
      const cpu = timed ? readFileSync(report, 'utf8').trim().split(/\s+/).slice(-2).map(Number).reduce((a, b) => a + b, 0) : wall;
      resolve({ cpu: Number.isFinite(cpu) ? cpu : wall, wall });
    });
  });
}

export async function run(): Promise<BenchResult> {
  const name = 'LibreOffice: open + recalculate + save, dafen vs plain workbook of the same values';
  if (process.env.BENCH_LO !== '1') return { name, rows: [], notes: ['skipped: set BENCH_LO=1 (every rubric at 40–1,000 units: an hour or more; BENCH_LO_SIZES=40,300 and BENCH_LO_RUBRICS=miluo for less)'] };
  const soffice = sofficePath();
  if (!soffice) return { name, rows: [], notes: ['skipped: soffice not found'] };
  const sizes = process.env.BENCH_LO_SIZES ? process.env.BENCH_LO_SIZES.split(',').map(Number).filter((n) => n > 0) : SIZES;
  const pick = (process.env.BENCH_LO_RUBRICS ?? '').split(',').filter(Boolean);
  const list = subjects().filter((s) => !pick.length || pick.some((p) => s.name.startsWith(p)));
  const dir = mkdtempSync(join(tmpdir(), 'dafen-bench-lo-'));
  const started = performance.now();
  try {
    const profile = makeProfile(join(dir, 'profile'));
    const warm = join(dir, 'warm.xlsx');
    writeFileSync(warm, await writeWorkbook(planWorkbook(list[0].program, cohort(list[0].program, 2))));
    await convertTimed(soffice, profile, join(dir, 'warm-out'), warm);
    const lines: (string | number)[][] = [];
    let worst300: number | null = null;
    for (const s of list) {
      for (const n of sizes) {
        const plan = planWorkbook(s.program, cohort(s.program, n), { date: '2019-01-15' });
        const ours = join(dir, `${s.name}-${n}.xlsx`);
        const plain = join(dir, `${s.name}-${n}-plain.xlsx`);
        writeFileSync(ours, await writeWorkbook(plan));
        writeFileSync(plain, await plainBytes(plainCells(plan)));
        const p = await convertTimed(soffice, profile, join(dir, 'out'), plain);
        const o = await convertTimed(soffice, profile, join(dir, 'out'), ours);
        rmSync(join(dir, 'out'), { recursive: true, force: true });
        const entries = plan.sheets.reduce((a, x) => a + validationEntries(x.validations), 0);
        lines.push([s.name, n, p.cpu.toFixed(1), o.cpu.toFixed(1), `${(o.cpu / p.cpu).toFixed(2)}×`, p.wall.toFixed(1), o.wall.toFixed(1), entries]);
        if (n === 300) worst300 = Math.max(worst300 ?? 0, o.cpu / p.cpu);
      }
    }
    const minutes = (performance.now() - started) / 60000;
    return {
      name: `${name} — ${list.length} rubrics × ${sizes.join(', ')} units`,
      rows: [
        ...(worst300 !== null ? [{ metric: 'worst ratio at 300 units', value: `${worst300.toFixed(2)}×` }] : []),
        { metric: 'bench time', value: minutes, unit: 'min' },
      ],
      table: { head: ['rubric', 'units', `plain ${existsSync(TIME) ? 'CPU' : 'wall'} s`, `dafen ${existsSync(TIME) ? 'CPU' : 'wall'} s`, 'ratio', 'plain wall s', 'dafen wall s', 'validation entries'], lines },
      ...(worst300 !== null ? { target: { text: `≤ ${TARGET}× the plain workbook at 300 units, every rubric`, met: worst300 <= TARGET } } : {}),
      notes: [
        'one conversion each, soffice started per file, after one warm-up conversion; ratio of CPU time (the machine is shared)',
        'validation entries: one per rule and sheet (src/layout/validation.ts; past 4,000 the inputs share their rule\'s input message)',
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
