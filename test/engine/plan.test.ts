/**
 * Scoring runs on slot functions compiled per sheet (src/engine/plan.ts); explanations and the
 * workbook's cached values use evaluate() on the same expression trees. The two must agree on every
 * computed cell, for every rubric, with blanks and 不涉及 included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSheet, evaluate, parseInput, scoreCohort, type Dec, type NodeResult, type Value } from '../../src/engine';
import { loadedRubrics, rawsOf, unitsOf, validInputs } from './helpers';

const flat = (ns: NodeResult[]): NodeResult[] => ns.flatMap((n) => [n, ...flat(n.children)]);

describe.each(loadedRubrics().map((r) => [r.name, r] as const))('%s', (_name, r) => {
  it.each(r.program.variants.map((v) => [v.id, v] as const))('variant %s: slot functions equal evaluate() on every cell', (_id, variant) => {
    const unit = unitsOf(r.program, variant, 1)[0];
    const sheet = compileSheet(r.program, variant, unit);
    fc.assert(fc.property(validInputs(r.program, variant, unit), (entries) => {
      const raws = rawsOf(entries);
      const res = scoreCohort(r.program, [{ unit: unit.name, variant: variant.id, tags: unit.tags, inputs: raws }]).units[0];
      const values = new Map<string, Value>();
      for (const spec of [...sheet.inputs, ...sheet.vetoInputs]) values.set(spec.key, parseInput(spec, raws[spec.key]).value);
      const memo = new Map<string, Dec>();
      const env = {
        value: (k: string) => values.get(k) ?? null,
        ref: (id: string): Dec => {
          let v = memo.get(id);
          if (v === undefined) memo.set(id, (v = evaluate(sheet.cells.get(id)!, env)));
          return v;
        },
        // A cohort of one: every figure ranks first.
        rank: () => evaluate({ op: 'num', v: '1' }, env),
      };
      for (const n of flat(res.nodes)) expect(n.points, n.id).toBe(env.ref(n.id).toNumber());
      expect(res.final).toBe(env.ref('$final').toNumber());
      expect(res.base).toBe(env.ref('$base').toNumber());
    }), { numRuns: 25 });
  });
});
