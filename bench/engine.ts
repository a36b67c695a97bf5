/**
 * Engine bench: score the largest rubric (by criteria count among rubrics/*.yaml; the test fixture
 * when there are none) for 40 units; the median time per unit, against HyperFormula recomputing the
 * same printed formulas in the same run (workbook built once; per unit: set all its inputs, read all
 * its computed cells). Target: the engine at least 10× faster. Prints figures, asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { compileSheet, scoreCohort, type CohortEntry, type Program, type Variant } from '../src/engine';
import { criteriaCount, loadedRubrics, rawsOf, validInputs, type Entry } from '../test/engine/helpers';
import { buildCohortLayout, fillUnit, fillUnitCells, readUnit, type Layout } from '../test/engine/hf-layout';
import type { BenchResult } from './run';
import { median } from './run';

const UNITS = 40;
const ROUNDS = 15;
const WARMUP = 3;
const TARGET = 10;


function largest(): { name: string; program: Program; criteria: number } {
  const all = loadedRubrics();
  const real = all.filter((r) => r.file.includes('/rubrics/'));
  const pool = real.length ? real : all.filter((r) => r.name === 'mini.yaml');
  const best = pool.map((r) => ({ name: r.name, program: r.program, criteria: criteriaCount(r.program) })).sort((a, b) => b.criteria - a.criteria)[0];
  if (!best) throw new Error('no rubric loads');
  return best;
}

/** 40 units: the program's own list first (each in its variant), then made-up names round-robin over the variants. */
function members(p: Program): { variant: Variant; unit: { name: string; tags: string[] } }[] {
  const out = (p.units ?? []).slice(0, UNITS).map((u) => ({ variant: p.variants.find((v) => v.id === u.variant)!, unit: { name: u.name, tags: u.tags ?? [] } }));
  for (let i = 0; out.length < UNITS; i++) out.push({ variant: p.variants[i % p.variants.length], unit: { name: `单位${i + 1}`, tags: [] } });
  return out;
}

export async function run(): Promise<BenchResult> {
  const { name, program, criteria } = largest();
  const ms = members(program);
  // Two complete input sets per unit (no blanks), alternated so every round really changes the figures.
  const sets = [1, 2].map((seed) => ms.map((m) => fc.sample(validInputs(program, m.variant, m.unit, { blank: false, na: false }), { seed: seed * 7919, numRuns: 1 })[0]));
  const entries = (k: number): CohortEntry[] => ms.map((m, j) => ({ unit: m.unit.name, variant: m.variant.id, inputs: rawsOf(sets[k][j]) }));
  const cohorts = [entries(0), entries(1)];
  const inputsPerUnit = median(sets[0].map((s) => s.size));

  // HyperFormula: the workbook is built once.
  const t0 = performance.now();
  const L = buildCohortLayout(program, ms);
  const build = performance.now() - t0;
  const cellsPerUnit = median(L.units.map((u) => u.cellRow.size));
  const hfRound = (write: (L: Layout, j: number, e: Map<string, Entry>) => void, set: Map<string, Entry>[], out: number[] | null): void => {
    for (let j = 0; j < UNITS; j++) {
      const t = performance.now();
      write(L, j, set[j]);
      const values = readUnit(L, j);
      const dt = performance.now() - t;
      if (values.length === 0) throw new Error('nothing read');
      out?.push(dt);
    }
  };

  // Rounds interleave the engine and both HyperFormula write modes, so machine load hits all alike.
  const engine: number[] = [];
  const compile: number[] = [];
  const hf: number[] = [];
  const hfCells: number[] = [];
  for (let r = 0; r < WARMUP + ROUNDS; r++) {
    const keep = r >= WARMUP;
    // Engine: the whole cohort (rank criteria need every unit), time / 40.
    let t = performance.now();
    const res = scoreCohort(program, cohorts[r % 2]);
    const dt = performance.now() - t;
    if (res.units.length !== UNITS) throw new Error('engine scored the wrong number of units');
    if (keep) engine.push(dt / UNITS);
    // The engine's share spent compiling the 40 sheets (scoreCohort compiles each unit's sheet anew).
    t = performance.now();
    for (const m of ms) compileSheet(program, m.variant, m.unit);
    if (keep) compile.push((performance.now() - t) / UNITS);
    // One range write of the unit's input column (how an add-in writes), then cell by cell. Each
    // writes the other set than the one in place, so every write changes the figures.
    hfRound(fillUnit, sets[0], keep ? hf : null);
    hfRound(fillUnitCells, sets[1], keep ? hfCells : null);
  }
  L.hf.destroy();

  const e = median(engine);
  const h = median(hf);
  const hc = median(hfCells);
  const ratio = h / e;
  return {
    name: `engine vs HyperFormula — ${name} (${criteria} criteria), ${UNITS} units`,
    rows: [
      { metric: 'inputs per unit (median)', value: inputsPerUnit },
      { metric: 'computed cells per unit (median)', value: cellsPerUnit },
      { metric: 'engine: median time per unit', value: e, unit: 'ms' },
      { metric: 'engine: whole cohort of 40 (median)', value: e * UNITS, unit: 'ms' },
      { metric: 'engine: of which compileSheet per unit', value: median(compile), unit: 'ms' },
      { metric: 'HyperFormula: build once (40 sheets)', value: build, unit: 'ms' },
      { metric: 'HyperFormula: per unit, one range write + read', value: h, unit: 'ms' },
      { metric: 'HyperFormula: per unit, cell-by-cell writes + read', value: hc, unit: 'ms' },
      { metric: 'ratio HyperFormula (range write) / engine', value: `${ratio.toFixed(1)}×` },
      { metric: 'ratio HyperFormula (cell writes) / engine', value: `${(hc / e).toFixed(1)}×` },
    ],
    target: { text: `engine ≥ ${TARGET}× faster than HyperFormula (got ${ratio.toFixed(1)}×)`, met: ratio >= TARGET },
    notes: [
      `engine per unit = scoreCohort(40 units) / 40, ${ROUNDS} rounds after ${WARMUP} warm-up, inputs alternating between two complete sets`,
      'HyperFormula per unit = setCellContents of all its inputs (one range write; or one call per cell, in one batch) plus its rank figures, then getCellValue of all its computed cells; the target uses the range write',
    ],
  };
}
