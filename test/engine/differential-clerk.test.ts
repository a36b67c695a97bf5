/**
 * Adversarial differential proof (issue 9): cells filled the way clerks fill them (test/clerk.ts — numeric
 * text, units, percentages both ways, logicals, dates, error values, formulas, garbage, negatives, huge and
 * tiny numbers, blanks) on every bundled variant. HyperFormula recomputes the printed formulas — the scores,
 * each input's state cell and the status counts — and every node, total, state and count must equal the
 * engine's reading of the same cells (scoreCohort with `cells: true`); every cell whose state is 2 must be
 * listed as an error problem on its key, and no other input may be.
 */
import { describe, expect, it } from 'vitest';
import { readCell, scoreCohort, statusOf, type InputSpec, type NodeResult, type Program, type UnitResult } from '../../src/engine';
import { cellValues } from '../../src/layout';
import { clerkSheet, dateSerial, readInputs, type ClerkEntry, type Content } from '../clerk';
import { loadedRubrics, rng, unitsOf } from './helpers';
import { buildLayout, fill, type CellEntry, type Layout } from './hf-layout';

const SEED = Number(process.env.FC_SEED ?? 90909);
/** Cells per variant: about 3,000 (FC_RUNS scales it). */
const CELLS = Math.round(3000 * Number(process.env.FC_RUNS ?? 1));
const TOL = 1e-9;

const hfCell = (c: Content): CellEntry['cell'] => (c !== null && typeof c === 'object' && 'date' in c ? dateSerial(c.date) : c);

const flat = (ns: NodeResult[]): NodeResult[] => ns.flatMap((n) => [n, ...flat(n.children)]);

function engineState(u: UnitResult, spec: InputSpec): number {
  if (u.problems.some((p) => p.severity === 'error' && p.path === spec.key)) return 2;
  return flat(u.nodes).some((n) => n.children.length === 0 && n.missing.includes(spec.key)) ? 1 : 0;
}

/** One cohort: fill, recompute, compare everything. Returns the number of cells typed. */
function round(program: Program, L: Layout, r: () => number, forms: Map<string, number>): number {
  const filled = L.units.map((u) => clerkSheet([...u.sheet.inputs, ...u.sheet.vetoInputs], r));
  fill(L, filled.map((m) => new Map([...m].map(([k, e]) => [k, { cell: hfCell(e.content) }]))));
  const res = scoreCohort(program, L.units.map((u, j) => ({ unit: u.name, variant: u.sheet.variant.id, inputs: readInputs(filled[j]), cells: true })));
  expect(res.problems).toEqual([]);
  let cells = 0;
  L.units.forEach((lu, j) => {
    const e = res.units[j];
    const m = filled[j];
    const why = (key: string) => { const x = m.get(key) as ClerkEntry; return `${x.form} ${JSON.stringify(x.content)}`; };
    const hf = (col: number, row: number) => L.hf.getCellValue({ sheet: lu.sheetId, col, row: row - 1 });
    // Each input: the sheet's state = the engine's; a rejected cell is listed, an accepted one is not.
    for (const spec of [...lu.sheet.inputs, ...lu.sheet.vetoInputs]) {
      const row = lu.inRow.get(spec.key)!;
      const want = engineState(e, spec);
      const got = hf(2, row);
      if (got !== want) {
        throw new Error(`${lu.name} ${spec.key} (${spec.type}) state: sheet ${JSON.stringify(got)} ≠ engine ${want} — ${why(spec.key)}\n  ${L.hf.getCellFormula({ sheet: lu.sheetId, col: 2, row: row - 1 })}\n  engine reads ${JSON.stringify(readCell(spec, m.get(spec.key)!.read))}`);
      }
      forms.set(m.get(spec.key)!.form, (forms.get(m.get(spec.key)!.form) ?? 0) + 1);
      cells++;
    }
    expect(hf(3, 1), `${lu.name} errors`).toBe(e.errors);
    expect(hf(3, 2), `${lu.name} missing`).toBe(e.missing);
    expect(statusOf(e.errors, e.missing).zh).toBe(e.status.zh);
    // Every node and total.
    const want = cellValues(lu.sheet, e, new Map(Object.entries(readInputs(m))));
    for (const [id, row] of lu.cellRow) {
      const got = hf(1, row);
      const w = want.get(id);
      if (w === undefined) throw new Error(`${lu.name} ${id}: no engine figure`);
      if (typeof got !== 'number' || Math.abs(got - w) > TOL * Math.max(1, Math.abs(w))) {
        const inputs = [...m].map(([k, x]) => `${k}=${x.form}:${JSON.stringify(x.content)}`).join('\n    ');
        throw new Error(`${lu.name} ${id}: HyperFormula ${JSON.stringify(got)} ≠ engine ${w}\n  ${L.hf.getCellFormula({ sheet: lu.sheetId, col: 1, row: row - 1 })}\n    ${inputs}`);
      }
    }
  });
  return cells;
}

const RUBRICS = loadedRubrics();

describe.each(RUBRICS.map((r) => [r.name, r] as const))('%s: clerk-typed cells', (_n, { program }) => {
  describe.each(program.variants.map((v) => [v.id, v] as const))('variant %s', (_v, variant) => {
    const units = unitsOf(program, variant, 4);
    it(`HyperFormula and the engine read every cell alike (about ${CELLS} cells)`, () => {
      const L = buildLayout(program, variant, units);
      const r = rng(SEED + program.variants.indexOf(variant));
      const forms = new Map<string, number>();
      let cells = 0;
      let rounds = 0;
      while (cells < CELLS && rounds < 400) {
        cells += round(program, L, r, forms);
        rounds++;
      }
      expect(cells).toBeGreaterThanOrEqual(Math.min(CELLS, 400));
      // The generator really typed every kind of content on this variant.
      for (const f of ['number', 'numeric text', 'blank', 'garbage', 'logical', 'error #DIV/0!']) expect(forms.get(f) ?? 0, f).toBeGreaterThan(0);
    });
  });
});
