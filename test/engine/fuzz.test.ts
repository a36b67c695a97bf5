/**
 * Bad input: 10,000 random input sets (garbage strings, negative counts, huge numbers, full-width
 * text, booleans, NaN, Infinity, objects, unknown keys) spread over every rubric and variant. Each ends
 * in scores or listed input problems — never an exception, never NaN — and every entry that cannot be
 * valid is listed as a problem at its input.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileSheet, MESSAGES, scoreCohort, type InputSpec, type Program, type UnitResult, type Variant } from '../../src/engine';
import { allNodes, loadedRubrics, rng, unitsOf, validEntry } from './helpers';

const SEED = Number(process.env.FC_SEED ?? 20181);
const TOTAL_SETS = 10_000;
const SETS_PER_CALL = 10;

/** A value and whether it can never be a valid entry for the spec. */
interface Fed { raw: unknown; bad: boolean }

const GARBAGE = ['abc', '八十五', '1.2.3', '%', '--1', '1e5', '0x1F', '∞', 'NaN', '是否', '√×', '１２ａ', '<script>', '１／２', '½', '٣', '五次', '.', '+', '==1', 'nil', 'true'];
const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const CHARS = ['0', '1', '5', '9', '.', ',', '%', '-', ' ', '是', '否', '√', '×', '有', '无', '次', '分', '８', '５', '，', '％', '　', 'a', 'Y', '不', '涉', '及', '/', '\u0000', '😀'];


function feeder(spec: InputSpec, seed: number): (r: () => number) => Fed {
  const valid = fc.sample(validEntry(spec), { seed, numRuns: 30 }).map((e) => e.raw);
  const numeric = !['yesno', 'choice'].includes(spec.type);
  const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  return (r) => {
    switch (Math.floor(r() * 14)) {
      case 0: case 1: return { raw: pick(r, valid), bad: false };
      case 2: return { raw: pick(r, GARBAGE), bad: true };
      case 3: return { raw: pick(r, [NaN, Infinity, -Infinity]), bad: true };
      case 4: return { raw: pick(r, [{}, { a: 1 }, new Date(0)]), bad: true };
      case 5: return { raw: Array.from({ length: Math.floor(r() * 6) }, () => pick(r, CHARS)).join(''), bad: false };
      case 6: return { raw: pick(r, ['８５', '１，２００', '８５％', fullWidth('3.5'), fullWidth('是'), '　', '不涉及', 'N/A', '1,000,000']), bad: false };
      // Huge, but not near the double limit: see the ENGINE BUG test at the end for Number.MAX_VALUE.
      case 7: return { raw: pick(r, [1e21, Number('9007199254740993'), 1e300, 5e-324, 10 ** (6 + Math.floor(r() * 290)), Number('123456789.123456789')]), bad: false };
      case 8: return { raw: pick(r, [[1], [], ['是']]), bad: false };
      case 9: return numeric ? { raw: -1 - Math.floor(r() * 1e9), bad: true } : { raw: Math.floor(r() * 11) - 5, bad: true };
      case 10: return numeric ? { raw: -(r() * 1e12 + 1e-6), bad: true } : { raw: pick(r, [true, false]), bad: false };
      case 11: return numeric ? { raw: pick(r, [true, false]), bad: true } : { raw: pick(r, valid), bad: false };
      case 12:
        if (spec.type === 'count') return { raw: Math.floor(r() * 1000) + 0.5, bad: true };
        if (spec.type === 'percent') return { raw: 101 + Math.floor(r() * 100000), bad: true };
        return { raw: pick(r, valid), bad: false };
      default: return { raw: pick(r, [null, undefined, '', '   ']), bad: false };
    }
  };
}

/** One input set: values for some inputs (by key, by criterion id or as `{ id: { line: v } }`), plus unknown keys. */
function inputSet(r: () => number, specs: InputSpec[], feeders: ((r: () => number) => Fed)[]): { inputs: Record<string, unknown>; mustFail: string[] } {
  const inputs: Record<string, unknown> = {};
  if (r() < 0.2) inputs[['zz', 'x#y', '__proto__x', 'veto#none', '不存在', 'variant'][Math.floor(r() * 6)]] = [1, 'a', null, {}][Math.floor(r() * 4)];
  // Dense sets feed most inputs at once; sparse ones a few; each input at most once.
  const chosen = r() < 0.25
    ? specs.map((_, i) => i).filter(() => r() < 0.8)
    : [...new Set(Array.from({ length: Math.floor(r() * 13) }, () => Math.floor(r() * specs.length)))];
  const mustFail: string[] = [];
  for (const i of chosen) {
    const s = specs[i];
    const { raw, bad } = feeders[i](r);
    const shape = Math.floor(r() * 3);
    const firstOfCriterion = specs.find((x) => x.criterionId === s.criterionId) === s;
    if (shape === 1 && firstOfCriterion && !s.key.startsWith('veto#') && (raw === null || typeof raw !== 'object')) inputs[s.criterionId] = raw;
    else if (shape === 2 && !s.key.startsWith('veto#')) {
      const prev = inputs[s.criterionId];
      inputs[s.criterionId] = { ...(prev && typeof prev === 'object' ? prev : {}), [s.name]: raw };
    } else inputs[s.key] = raw;
    if (bad) mustFail.push(s.key);
  }
  return { inputs, mustFail };
}

const show = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v === undefined ? '<undefined>' : v));

let badChecked = 0;

/** Plain checks (no expect() in this hot loop: 10,000 sets). */
function checkResult(u: UnitResult, mustFail: string[], fedKeys: Set<string>): void {
  const fail = (msg: string): never => { throw new Error(msg); };
  const totals = [u.base, u.bonus, u.penalty, u.adjustment, u.final, u.converted ?? 0, u.rank ?? 0];
  if (!totals.every(Number.isFinite)) fail(`non-finite totals ${show(totals)}`);
  for (const n of allNodes(u.nodes)) {
    if (!Number.isFinite(n.points) || !Number.isFinite(n.raw)) fail(`${n.id}: raw ${n.raw}, points ${n.points}`);
    if (/NaN|undefined|Infinity/.test(n.explanation.zh + n.explanation.en)) fail(`${n.id}: explanation ${n.explanation.zh}`);
  }
  for (const p of u.problems) {
    if (!(p.code in MESSAGES)) fail(`unknown code ${p.code}`);
    if (!p.message.zh || !p.message.en || /undefined/.test(p.message.zh + p.message.en)) fail(`bad message ${show(p.message)}`);
  }
  for (const key of mustFail) {
    if (!fedKeys.has(key)) continue;
    badChecked++;
    if (!u.problems.some((p) => p.path === key && p.severity === 'error')) fail(`no problem listed for the bad entry at ${key}`);
  }
}

/** Which spec keys an input object really feeds (after the shapes overwrite one another). */
function fedKeysOf(specs: InputSpec[], inputs: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  for (const s of specs) {
    if (s.key in inputs) out.add(s.key);
    const byId = inputs[s.criterionId];
    if (byId !== undefined) {
      if (byId !== null && typeof byId === 'object') { if (s.name in (byId as object)) out.add(s.key); }
      else if (specs.find((x) => x.criterionId === s.criterionId) === s && !(s.key in inputs)) out.add(s.key);
    }
  }
  return out;
}

const targets: { name: string; program: Program; variant: Variant; unit: { name: string; tags: string[] } }[] = [];
for (const r of loadedRubrics()) {
  for (const v of r.program.variants) for (const u of unitsOf(r.program, v, 2)) targets.push({ name: `${r.name} ${v.id} ${u.name}`, program: r.program, variant: v, unit: u });
}
const perTarget = Math.ceil(TOTAL_SETS / targets.length / SETS_PER_CALL);

describe(`fuzz: ${TOTAL_SETS} random input sets over ${targets.length} rubric units`, () => {
  let sets = 0;
  it.each(targets.map((t, i) => [t.name, t, i] as const))('%s', (_n, t, ti) => {
    const sheet = compileSheet(t.program, t.variant, t.unit);
    const specs = [...sheet.inputs, ...sheet.vetoInputs];
    const feeders = specs.map((s, i) => feeder(s, SEED + i));
    const r = rng(SEED * 1000 + ti);
    for (let run = 0; run < perTarget; run++) {
      const batch = Array.from({ length: SETS_PER_CALL }, () => inputSet(r, specs, feeders));
      let res;
      try {
        res = scoreCohort(t.program, batch.map((b) => ({ unit: t.unit.name, variant: t.variant.id, inputs: b.inputs as never })));
      } catch (e) {
        throw new Error(`scoreCohort threw ${String(e)} on ${show(batch.map((b) => b.inputs))}`);
      }
      expect(res.units).toHaveLength(batch.length);
      res.units.forEach((u, i) => {
        try {
          checkResult(u, batch[i].mustFail, fedKeysOf(specs, batch[i].inputs));
        } catch (e) {
          throw new Error(`${String(e)}\n  inputs ${show(batch[i].inputs)}`);
        }
      });
      sets += batch.length;
    }
  });
  it('covered at least 10,000 input sets', () => {
    expect(sets).toBeGreaterThanOrEqual(TOTAL_SETS);
    // …and thousands of entries that can never be valid were each found listed at their input.
    expect(badChecked).toBeGreaterThan(5000);
  });
});

describe('huge figures', () => {
  // ENGINE BUG: numbers have no upper bound, and node figures are converted with Dec.toNumber(), so
  // an entry near the double limit overflows to Infinity (printed as null in --json). Input: mini.yaml
  // 甲局, b1#l1 (市级以上表彰次数, a count at 2 points each) = 1.7976931348623157e308 (Number.MAX_VALUE):
  // expected an input problem (or a finite figure); got node b1 points Infinity, no problem.
  it('an entry near the double limit is an input problem, not Infinity', () => {
    const t = targets.find((x) => x.name.startsWith('mini.yaml'))!;
    const r = scoreCohort(t.program, [{ unit: t.unit.name, variant: t.variant.id, inputs: { 'b1#l1': Number.MAX_VALUE } }]).units[0];
    const nums = allNodes(r.nodes).flatMap((n) => [n.points, n.raw]).concat([r.base, r.bonus, r.penalty, r.final]);
    expect(nums.every(Number.isFinite) || r.problems.some((p) => p.path === 'b1#l1')).toBe(true);
  });
});
