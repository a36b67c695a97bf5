/**
 * LibreOffice bench (opt-in: BENCH_LO=1; minutes): headless LibreOffice opens, recalculates (forced,
 * toolchain.md) and saves the blank workbook of the largest bundled rubric for 40 and 300 units
 * (BENCH_LO_SIZES to change), against the plain workbook of the same cell values (bench/workbook.ts'
 * baseline) in the same run, one soffice process per file, each after a warm-up conversion.
 * Target (issue 14): ≤ 3× the plain workbook at 300 units.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { planWorkbook } from '../src/layout';
import { writeWorkbook } from '../src/xlsx';
import { convert, makeProfile, sofficePath } from '../test/e2e/soffice';
import type { BenchResult } from './run';
import { cohort, plainBytes, plainCells, subjects } from './workbook';

const TARGET = 3;

export async function run(): Promise<BenchResult> {
  const name = 'LibreOffice: open + recalculate + save, dafen vs plain workbook of the same values';
  if (process.env.BENCH_LO !== '1') return { name, rows: [], notes: ['skipped: set BENCH_LO=1 (takes minutes at 300 units)'] };
  const soffice = sofficePath();
  if (!soffice) return { name, rows: [], notes: ['skipped: soffice not found'] };
  const sizes = (process.env.BENCH_LO_SIZES ?? '40,300').split(',').map(Number).filter((n) => n > 0);
  const dir = mkdtempSync(join(tmpdir(), 'dafen-bench-lo-'));
  try {
    const profile = makeProfile(join(dir, 'profile'));
    // The largest rubric: the one whose workbook is biggest (measured at 40 units).
    const sized = await Promise.all(subjects().map(async (s) => ({ s, bytes: (await writeWorkbook(planWorkbook(s.program, cohort(s.program, 40)))).length })));
    const { s } = sized.sort((a, b) => b.bytes - a.bytes)[0];
    const warm = join(dir, 'warm.xlsx');
    writeFileSync(warm, await writeWorkbook(planWorkbook(s.program, cohort(s.program, 2))));
    const rows: BenchResult['rows'] = [];
    let ratio300: number | null = null;
    for (const n of sizes) {
      const plan = planWorkbook(s.program, cohort(s.program, n), { date: '2019-01-15' });
      const ours = join(dir, `dafen-${n}.xlsx`);
      const plain = join(dir, `plain-${n}.xlsx`);
      writeFileSync(ours, await writeWorkbook(plan));
      writeFileSync(plain, await plainBytes(plainCells(plan)));
      const time = async (file: string): Promise<number> => {
        await convert(soffice, profile, 'xlsx', join(dir, 'warm-out'), [warm]);
        const t = performance.now();
        await convert(soffice, profile, 'xlsx', join(dir, 'out'), [file], 1_800_000);
        return (performance.now() - t) / 1000;
      };
      const p = await time(plain);
      const o = await time(ours);
      rows.push({ metric: `${n} units: plain workbook`, value: p, unit: 's' }, { metric: `${n} units: dafen workbook`, value: o, unit: 's' }, { metric: `${n} units: ratio`, value: `${(o / p).toFixed(2)}×` });
      if (n === 300) ratio300 = o / p;
    }
    return {
      name: `${name} — ${s.name}`,
      rows,
      ...(ratio300 !== null ? { target: { text: `≤ ${TARGET}× the plain workbook at 300 units`, met: ratio300 <= TARGET } } : {}),
      notes: ['one conversion each (soffice started per file, after a warm-up conversion of a 2-unit file); the machine is shared, so compare the ratio'],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
