/**
 * rescoreCohort (a live edit re-scores only what it touches) against scoreCohort (everything from
 * scratch): for every bundled rubric, a cohort with every input entered, then a run of random edits —
 * a value changed, cleared or set to another unit's figure (so ranks move and tie), a unit added or
 * dropped — and after each the two results must be the same, explanations and ranks included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CohortCache, rescoreCohort, scoreCohort, type CohortEntry } from '../../src/engine';
import type { Raw } from '../../src/engine/inputs';
import { loadedRubrics, rawsOf, rng, validInputs } from './helpers';

const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

describe('rescoreCohort ≡ scoreCohort', () => {
  for (const r of loadedRubrics()) {
    it(`${r.name}: after each of 40 random edits`, () => {
      const p = r.program;
      const rand = rng(7);
      const member = (i: number) => ({ variant: p.variants[i % p.variants.length], unit: { name: `单位${i + 1}`, tags: [] as string[] } });
      const make = (i: number): CohortEntry => {
        const m = member(i);
        const [inputs] = fc.sample(validInputs(p, m.variant, m.unit, { blank: false, na: false }), { seed: 31 * i + 5, numRuns: 1 });
        return { unit: m.unit.name, variant: m.variant.id, inputs: rawsOf(inputs) };
      };
      let entries = Array.from({ length: 12 }, (_, i) => make(i));
      const cache = new CohortCache(p);
      expect(plain(rescoreCohort(cache, entries))).toEqual(plain(scoreCohort(p, entries)));
      for (let step = 0; step < 40; step++) {
        const roll = rand();
        if (roll < 0.08) entries = [...entries, make(entries.length + 100)];
        else if (roll < 0.12 && entries.length > 3) entries = entries.filter((_, i) => i !== Math.floor(rand() * entries.length));
        else {
          const j = Math.floor(rand() * entries.length);
          const e = entries[j];
          const keys = Object.keys(e.inputs);
          if (!keys.length) continue;
          const k = keys[Math.floor(rand() * keys.length)];
          // Another unit's entry for the same key (a tie or a new order), a blank, or a fresh valid value.
          const donor = entries[Math.floor(rand() * entries.length)].inputs[k];
          const fresh = make(j).inputs[k];
          const pick = rand();
          const v = (pick < 0.4 && donor !== undefined ? donor : pick < 0.55 ? null : fresh) as Raw;
          // Edits replace the entry's objects, as a caller reading the workbook again would.
          entries = entries.map((x, i) => (i === j ? { ...x, inputs: { ...x.inputs, [k]: v } } : x));
        }
        expect(plain(rescoreCohort(cache, entries)), `step ${step}`).toEqual(plain(scoreCohort(p, entries)));
      }
    });
  }

  it('an edit made in place (same objects, new value) is seen', () => {
    const r = loadedRubrics().find((x) => x.program.variants.length >= 1)!;
    const p = r.program;
    const v = p.variants[0];
    const [inputs] = fc.sample(validInputs(p, v, { name: '甲', tags: [] }, { blank: false, na: false }), { seed: 3, numRuns: 1 });
    const entries: CohortEntry[] = [{ unit: '甲', variant: v.id, inputs: rawsOf(inputs) }, { unit: '乙', variant: v.id, inputs: {} }];
    const cache = new CohortCache(p);
    rescoreCohort(cache, entries);
    const k = Object.keys(entries[0].inputs)[0];
    entries[0].inputs[k] = null;
    expect(plain(rescoreCohort(cache, entries))).toEqual(plain(scoreCohort(p, entries)));
  });
});
