/**
 * rescoreCohort (a live edit re-scores only what it touches) against scoreCohort (everything from
 * scratch): for every bundled rubric, a cohort with every input entered, then a run of random edits —
 * a value changed, cleared or set to another unit's figure (so ranks move and tie), a unit added or
 * dropped — and after each the two results must be the same, explanations and ranks included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CohortCache, compileSheet, rescoreCohort, scoreCohort, type CohortEntry, type Program } from '../../src/engine';
import type { Raw } from '../../src/engine/inputs';
import { loadedRubrics, rawsOf, rng, validInputs } from './helpers';

const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

/** Input keys through which one unit's entry reaches another's result: rank figures, cohort-clause lines and flags. */
function crossKeys(p: Program): string[] {
  const keys = new Set<string>();
  for (const v of p.variants) {
    for (const m of compileSheet(p, v, { name: '—', tags: [] }).nodes.values()) {
      if (m.node.rule?.kind === 'rank') for (const i of m.inputs) keys.add(i.key);
      if (m.cohort) {
        for (const i of m.cohort.ownInputs) keys.add(i.key);
        if (m.cohort.flagKey) keys.add(m.cohort.flagKey);
        if (m.naKey) keys.add(m.naKey);
      }
    }
  }
  return [...keys];
}

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

  // rescoreCohort keeps a unit's result while the ranks and clause statistics it read stay the same:
  // edits aimed at exactly those figures (ties, new minima, a flag turned on or off) must still agree.
  for (const r of loadedRubrics().filter((x) => crossKeys(x.program).length)) {
    it(`${r.name}: after each of 60 edits to rank figures and cohort-clause lines`, () => {
      const p = r.program;
      const cross = crossKeys(p);
      const rand = rng(11);
      const make = (i: number): CohortEntry => {
        const variant = p.variants[i % p.variants.length];
        const unit = { name: `单位${i + 1}`, tags: [] as string[] };
        const [inputs] = fc.sample(validInputs(p, variant, unit, { blank: false, na: true }), { seed: 17 * i + 1, numRuns: 1 });
        return { unit: unit.name, variant: variant.id, inputs: rawsOf(inputs) };
      };
      let entries = Array.from({ length: 16 }, (_, i) => make(i));
      const cache = new CohortCache(p);
      expect(plain(rescoreCohort(cache, entries))).toEqual(plain(scoreCohort(p, entries)));
      let edits = 0;
      for (let step = 0; step < 200 && edits < 60; step++) {
        const j = Math.floor(rand() * entries.length);
        const keys = Object.keys(entries[j].inputs).filter((k) => cross.includes(k));
        if (!keys.length) continue;
        const k = keys[Math.floor(rand() * keys.length)];
        const donor = entries[Math.floor(rand() * entries.length)].inputs[k];
        const pick = rand();
        const v = (pick < 0.5 && donor !== undefined ? donor : pick < 0.65 ? null : make(j + 1000 * step).inputs[k] ?? null) as Raw;
        entries = entries.map((x, i) => (i === j ? { ...x, inputs: { ...x.inputs, [k]: v } } : x));
        edits++;
        expect(plain(rescoreCohort(cache, entries)), `edit ${edits}: ${entries[j].unit} ${k}`).toEqual(plain(scoreCohort(p, entries)));
      }
      expect(edits).toBe(60);
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
