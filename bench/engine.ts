/**
 * Engine bench: score the largest rubric (by criteria count among rubrics/*.yaml; the test fixture
 * when there are none) for 40 units; the median time per unit, against HyperFormula recomputing the
 * same printed formulas in the same run (workbook built once; per unit: set all its inputs, read all
 * its computed cells). Target: the engine at least 10× faster. Prints figures, asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { CohortCache, compileSheet, rescoreCohort, scoreCohort, type CohortEntry, type Program, type Variant } from '../src/engine';
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

export async function run(): Promise<BenchResult[]> {
  return [await versusHyperFormula(), await cohortScaling()];
}

async function versusHyperFormula(): Promise<BenchResult> {
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

// ---- the cohort at scale (issue 14) ----

const COHORT_SIZES = (process.env.BENCH_SIZES ?? '40,100,300,1000').split(',').map(Number).filter((n) => n > 0);
const EDIT_TARGET_MS = 20;

/** `n` units round-robin over the variants, each with every input entered. */
function bigCohort(p: Program, n: number): CohortEntry[] {
  return Array.from({ length: n }, (_, i) => {
    const variant = p.variants[i % p.variants.length];
    const unit = { name: `单位${i + 1}`, tags: [] as string[] };
    const [inputs] = fc.sample(validInputs(p, variant, unit, { blank: false, na: false }), { seed: 101 * i + 3, numRuns: 1 });
    return { unit: unit.name, variant: variant.id, inputs: rawsOf(inputs) };
  });
}

/** Input keys of rank criteria (R13), by variant. */
function rankInputs(p: Program): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const v of p.variants) {
    const sheet = compileSheet(p, v, { name: '—', tags: [] });
    out.set(v.id, [...sheet.nodes.values()].filter((m) => m.node.rule?.kind === 'rank' && m.inputs.length).map((m) => m.inputs[0].key));
  }
  return out;
}

/**
 * scoreCohort at 40…1,000 units for every bundled rubric (time per unit: linear?), and one live edit
 * re-scored with rescoreCohort: a plain input, and — where the rubric ranks (R13) — a figure that
 * moves a rank. Each timed edit alternates between two values, so every call changes something.
 */
async function cohortScaling(): Promise<BenchResult> {
  const all = loadedRubrics().filter((r) => r.file.includes('/rubrics/'));
  const pool = all.length ? all : loadedRubrics().filter((r) => r.name === 'mini.yaml');
  const lines: (string | number)[][] = [];
  let worstEdit = 0;
  let worstEditCpu = 0;
  let worstLinear = 0;
  for (const r of pool) {
    const p = r.program;
    const ranks = rankInputs(p);
    const perUnit: number[] = [];
    for (const n of COHORT_SIZES) {
      const entries = bigCohort(p, n);
      const full: number[] = [];
      const fullCpu: number[] = [];
      for (let k = 0; k < 2 + (n <= 300 ? 7 : 3); k++) {
        const t = performance.now();
        const c0 = process.cpuUsage();
        scoreCohort(p, entries);
        const c1 = process.cpuUsage(c0);
        if (k >= 2) {
          full.push(performance.now() - t);
          fullCpu.push((c1.user + c1.system) / 1000);
        }
      }
      const edit = (which: 'plain' | 'rank'): { wall: number; cpu: number } | null => {
        const j = Math.floor(n / 2);
        const e = entries[j];
        const keys = which === 'rank' ? ranks.get(e.variant!) ?? [] : Object.keys(e.inputs).filter((k) => !(ranks.get(e.variant!) ?? []).includes(k));
        const key = keys.find((k) => e.inputs[k] !== undefined);
        if (!key) return null;
        // Another unit's figure for the same key: the edited unit changes place.
        const donor = entries.find((x) => x.variant === e.variant && x.inputs[key] !== undefined && x.inputs[key] !== e.inputs[key]);
        const values = [e.inputs[key], donor ? donor.inputs[key] : null];
        const cache = new CohortCache(p);
        rescoreCohort(cache, entries);
        const ts: number[] = [];
        const cs: number[] = [];
        let cur = entries;
        for (let k = 0; k < 15; k++) {
          cur = cur.map((x, i) => (i === j ? { ...x, inputs: { ...x.inputs, [key]: values[(k + 1) % 2] } } : x));
          const t = performance.now();
          const c0 = process.cpuUsage();
          rescoreCohort(cache, cur);
          const c1 = process.cpuUsage(c0);
          if (k >= 3) {
            ts.push(performance.now() - t);
            cs.push((c1.user + c1.system) / 1000);
          }
        }
        return { wall: median(ts), cpu: median(cs) };
      };
      const plainEdit = edit('plain');
      const rankEdit = edit('rank');
      const f = median(full);
      perUnit.push(median(fullCpu) / n);
      const worstOfEdits = Math.max(plainEdit?.wall ?? 0, rankEdit?.wall ?? 0);
      const worstCpu = Math.max(plainEdit?.cpu ?? 0, rankEdit?.cpu ?? 0);
      if (n === 300) { worstEdit = Math.max(worstEdit, worstOfEdits); worstEditCpu = Math.max(worstEditCpu, worstCpu); }
      const fmtEdit = (e: { wall: number; cpu: number } | null, none: string) => (e === null ? none : `${e.wall.toFixed(2)} (CPU ${e.cpu.toFixed(2)})`);
      lines.push([
        r.name.replace(/\.ya?ml$/, ''), n, f.toFixed(1), (f / n).toFixed(3), `${(perUnit[perUnit.length - 1] / perUnit[0]).toFixed(2)}×`,
        fmtEdit(plainEdit, '—'), fmtEdit(rankEdit, '— (no rank)'), `${(worstOfEdits / f).toFixed(3)}×`,
      ]);
    }
    if (perUnit.length > 1) worstLinear = Math.max(worstLinear, perUnit[perUnit.length - 1] / perUnit[0]);
  }
  const has300 = COHORT_SIZES.includes(300);
  return {
    name: `engine: the cohort at scale — scoreCohort and one live edit (rescoreCohort), ${pool.length} rubrics × ${COHORT_SIZES.join(', ')} units`,
    rows: [
      ...(has300 ? [
        { metric: 'slowest edit re-scored at 300 units', value: worstEdit, unit: 'ms' },
        { metric: '  its CPU time (this process)', value: worstEditCpu, unit: 'ms' },
      ] : []),
      { metric: `CPU time per unit at ${Math.max(...COHORT_SIZES)} / at ${Math.min(...COHORT_SIZES)} (worst rubric)`, value: `${worstLinear.toFixed(2)}×` },
    ],
    table: { head: ['rubric', 'units', 'scoreCohort ms', 'ms/unit', `CPU ms/unit vs ${Math.min(...COHORT_SIZES)}`, 'edit: plain input ms', 'edit: rank figure ms', 'edit / scoreCohort'], lines },
    target: { text: `one edit at 300 units re-scored in < ${EDIT_TARGET_MS} ms (rank moves included); scoreCohort linear (per unit at the largest size ≤ 1.5× the smallest)`, met: (!has300 || worstEdit < EDIT_TARGET_MS) && worstLinear <= 1.5 },
    notes: [
      'scoreCohort: median of 7 (≤ 300 units) or 3 runs after 2 warm-ups; every input entered',
      'edit: wall ms (CPU ms of this process in brackets: on a shared machine the wall time includes waiting for a core), median of 12 re-scores after 3, alternating the edited unit\'s value with another unit\'s (so a rank figure changes places)',
      'baselines, same run: CPU ms/unit (this process) against the smallest cohort (linear: ≤ 1.5×); the slower edit against scoring the whole cohort again (scoreCohort)',
    ],
  };
}
