/**
 * Property tests (fast-check) over the fixture, this folder's fixtures and every rubrics/*.yaml present
 * at run time: bounds, monotonicity, finite totals, exact decimals, and a loader that never throws.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { compileSheet, Dec, loadProgram, MESSAGES, scoreCohort, type CohortEntry, type Program, type UnitResult, type Variant } from '../../src/engine';
import { allNodes, findNode, loadedRubrics, one, rawsOf, rubricFiles, unitsOf, validInputs, type Entry } from './helpers';

const RUBRICS = loadedRubrics();
const SEED = Number(process.env.FC_SEED ?? 20181);
// Run budgets shared across rubrics, so the suite stays within ~60 s as rubrics/ grows (FC_RUNS scales).
const SCALE = Number(process.env.FC_RUNS ?? 1);
const VARIANTS = RUBRICS.reduce((n, r) => n + r.program.variants.length, 0);
const runs = (total: number, min: number) => Math.max(min, Math.round((SCALE * total) / Math.max(1, VARIANTS)));

const finite = (x: number | null) => x === null || Number.isFinite(x);
const short = (x: number) => /^-?\d+(\.\d{1,6})?$/.test(String(x));

function cohortArb(program: Program, variant: Variant, max = 4, opts: { blank?: boolean; na?: boolean } = {}) {
  const units = unitsOf(program, variant, max);
  return fc.tuple(...units.map((u) => validInputs(program, variant, u, opts))).map((ins) =>
    units.map((u, i) => ({ unit: u, entries: ins[i] })));
}
const toEntries = (c: { unit: { name: string }; entries: Map<string, Entry> }[], variant: Variant): CohortEntry[] =>
  c.map((x) => ({ unit: x.unit.name, variant: variant.id, inputs: rawsOf(x.entries) }));

function checkUnit(program: Program, u: UnitResult): void {
  const fail = (msg: string): never => { throw new Error(`${u.unit}: ${msg}`); };
  const nums = [u.base, u.bonus, u.penalty, u.adjustment, u.final, u.converted, u.rank];
  if (!nums.every(finite)) fail(`non-finite total in ${JSON.stringify(nums)}`);
  for (const n of allNodes(u.nodes)) {
    if (!Number.isFinite(n.points) || !Number.isFinite(n.raw)) fail(`${n.id}: ${n.raw} → ${n.points}`);
    // Never below 0 (a subtract item is an amount, never negative either), never above declared points.
    if (n.points < 0) fail(`${n.id} below 0: ${n.points}`);
    if (n.max !== null && n.points > n.max) fail(`${n.id} above its ${n.max} points: ${n.points}`);
  }
  const net = program.policies.netCap;
  if (net && Math.abs(u.adjustment) > net) fail(`adjustment ${u.adjustment} beyond the net cap ${net}`);
  if (program.policies.floorFinal && u.final < 0) fail(`final ${u.final} below 0`);
  // Exact arithmetic: final = base + adjustment to the last digit when the figures are short decimals.
  if ([u.base, u.adjustment].every(short)) {
    const sum = new Dec(u.base).plus(u.adjustment);
    const want = program.policies.floorFinal && sum.isNegative() ? 0 : sum.toNumber();
    if (u.final !== want) fail(`final ${u.final} ≠ base ${u.base} + adjustment ${u.adjustment}`);
  }
  const conv = program.policies.conversion;
  if (conv && short(u.final)) {
    const want = new Dec(u.final).times(conv.to).div(conv.from).toNumber();
    if (u.converted !== want) fail(`converted ${u.converted} ≠ ${want}`);
  }
}

describe.each(RUBRICS.map((r) => [r.name, r] as const))('%s', (_name, { program }) => {
  describe.each(program.variants.map((v) => [v.id, v] as const))('variant %s', (_v, variant) => {
    it('valid inputs: no input errors, every node within [0, points], finite exact totals, ranks share', () => {
      fc.assert(fc.property(cohortArb(program, variant), (cohort) => {
        const r = scoreCohort(program, toEntries(cohort, variant));
        expect(r.problems).toEqual([]);
        for (const u of r.units) {
          expect(u.problems.filter((p) => p.severity === 'error'), u.unit).toEqual([]);
          checkUnit(program, u);
          expect(u.rank).toBe(1 + r.units.filter((x) => x.variant === u.variant && x.final > u.final).length);
        }
        // Nothing blank → complete; something required blank → incomplete.
        cohort.forEach((c, i) => {
          const blanks = [...c.entries].filter(([, e]) => e.cell === null).length;
          if (blanks === 0) expect(r.units[i].complete).toBe(true);
        });
      }), { numRuns: runs(180, 6), seed: SEED });
    });

    it('more violations never raise a score', () => {
      const sheets = new Map(unitsOf(program, variant, 4).map((u) => [u.name, compileSheet(program, variant, u)]));
      fc.assert(fc.property(cohortArb(program, variant, 4, { na: false }), fc.nat(), fc.integer({ min: 1, max: 5 }), (cohort, pick, more) => {
        const who = cohort[pick % cohort.length];
        const sheet = sheets.get(who.unit.name)!;
        // Violation inputs: counts and yes/no flags of deductions, penalty items and section deductions.
        const violations = sheet.inputs.filter((s) => {
          const m = sheet.nodes.get(s.criterionId)!;
          const against = m.node.rule?.kind === 'deduct' || m.role === 'penalty' || m.effect === 'subtract' ||
            (m.node.rule?.kind === 'tally' && (m.node.rule as { verb?: string }).verb === 'deduct');
          return against && (s.type === 'count' || (s.type === 'yesno' && m.node.rule?.kind !== 'yesno'));
        });
        if (violations.length === 0) return;
        const spec = violations[(pick >> 3) % violations.length];
        const cur = who.entries.get(spec.key)!;
        let next: Entry;
        if (spec.type === 'count') next = { raw: (typeof cur.cell === 'number' ? cur.cell : 0) + more, cell: null };
        else next = { raw: '是', cell: '是' };
        const before = scoreCohort(program, toEntries(cohort, variant));
        const after = scoreCohort(program, toEntries(cohort.map((c) => c === who ? { ...c, entries: new Map([...c.entries, [spec.key, next]]) } : c), variant));
        const i = cohort.indexOf(who);
        const [b, a] = [before.units[i], after.units[i]];
        expect(a.problems.filter((p) => p.severity === 'error')).toEqual([]);
        const m = sheet.nodes.get(spec.criterionId)!;
        const nb = findNode(b, m.id).points;
        const na = findNode(a, m.id).points;
        if (m.role === 'base' && m.effect === 'add') expect(na, `${spec.key} raised ${m.id}`).toBeLessThanOrEqual(nb);
        else expect(na, `${spec.key} lowered the amount of ${m.id}`).toBeGreaterThanOrEqual(nb);
        expect(a.final, `${spec.key} +${more} raised the final`).toBeLessThanOrEqual(b.final);
        // Other units are untouched (no rank criterion reads a violation count).
        before.units.forEach((u, j) => { if (j !== i) expect(after.units[j].final).toBe(u.final); });
      }), { numRuns: runs(240, 8), seed: SEED });
    });
  });
});

describe('exact decimals (no 0.1 + 0.2 drift)', () => {
  it('deductions at one-decimal rates are exact: max(0, P − n × r)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 25 }), fc.integer({ min: 0, max: 40 }), (pts, r10, n) => {
      const p = one(`{ id: c, title: 扣分, points: ${pts}, rule: { kind: deduct, lines: [{ type: count, label: 次数, rate: ${r10 / 10} }] } }`);
      const u = scoreCohort(p, [{ unit: '甲', variant: 'a', inputs: { c: n } }]).units[0];
      const expected = Math.max(0, pts * 10 - n * r10) / 10; // integer tenths, then one division: exact
      expect(findNode(u, 'c').points).toBe(expected);
      expect(u.final).toBe(expected);
    }), { numRuns: 40, seed: SEED });
  });

  it('flag amounts of two decimals sum exactly, in any number', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 99 }), { minLength: 1, maxLength: 12 }), (cents) => {
      const lines = cents.map((c, i) => `{ type: flag, label: 第${i + 1}项, amount: ${c / 100} }`).join(', ');
      const total = cents.reduce((a, b) => a + b, 0);
      const pts = Math.ceil(total / 100) + 1;
      const p = one(`{ id: c, title: 多项, points: ${pts}, rule: { kind: deduct, lines: [ ${lines} ] } }`);
      const inputs = Object.fromEntries(cents.map((_, i) => [`l${i + 1}`, '是']));
      const u = scoreCohort(p, [{ unit: '甲', variant: 'a', inputs: { c: inputs } }]).units[0];
      expect(findNode(u, 'c').points).toBe((pts * 100 - total) / 100);
    }), { numRuns: 40, seed: SEED });
  });

  it('ten 0.1 deductions give exactly 1; bonus tenths add exactly', () => {
    const p = one('{ id: c, title: 扣分, points: 2, rule: { kind: deduct, lines: [{ type: count, label: 次数, rate: 0.1 }] } }', {
      extra: ['{ id: bonus, title: 加分, role: bonus, children: [ { id: b, title: 加分, rule: { kind: tally, lines: [{ type: count, label: 次数, rate: 0.1 }] } } ] }'],
    });
    const u = scoreCohort(p, [{ unit: '甲', variant: 'a', inputs: { c: 10, b: 3 } }]).units[0];
    expect(findNode(u, 'c').points).toBe(1);
    expect(u.bonus).toBe(0.3);
    expect(u.final).toBe(1.3);
  });
});

// ---------- the loader never throws on mutated rubrics ----------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const POOL: Json[] = ['', 'x', '不涉及', -1, 0, 0.1, 1e9, -1e9, 3.5, null, true, false, [], {}, { kind: 'nope' }, { kind: 'direct' },
  { kind: 'deduct', lines: [] }, { type: 'count', label: 'x', rate: -1 }, [{}], ['a'], 'sum', 'max', 'bonus', 'penalty', 'subtract',
  'percent', { min: 0.5, points: 1 }, 'a', 's1', { id: 'dup', title: 't' }];

function paths(x: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (x !== null && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      const p = [...at, Array.isArray(x) ? Number(k) : k];
      out.push(p);
      paths(v as Json, p, out);
    }
  }
  return out;
}

function mutate(doc: Json, ops: { op: number; at: number; v: number }[]): Json {
  const root = structuredClone(doc);
  for (const o of ops) {
    const ps = paths(root);
    if (ps.length === 0) break;
    const path = ps[o.at % ps.length];
    let parent: Json = root;
    for (const seg of path.slice(0, -1)) parent = (parent as Record<string, Json>)[seg as string];
    const last = path[path.length - 1];
    const obj = parent as Record<string | number, Json>;
    switch (o.op % 4) {
      case 0: // delete
        if (Array.isArray(parent)) parent.splice(last as number, 1);
        else delete obj[last];
        break;
      case 1: // replace with a pool value
        obj[last] = structuredClone(POOL[o.v % POOL.length]);
        break;
      case 2: // duplicate an array element, or copy a sibling's value
        if (Array.isArray(parent)) parent.push(structuredClone(parent[last as number]));
        else obj[`${String(last)}${o.v % 2 ? '' : '_'}`] = structuredClone(obj[last]);
        break;
      default: { // swap with another value somewhere
        const other = ps[o.v % ps.length];
        let p2: Json = root;
        for (const seg of other.slice(0, -1)) p2 = (p2 as Record<string, Json>)[seg as string];
        const tmp = structuredClone((p2 as Record<string | number, Json>)[other[other.length - 1]]);
        if (tmp !== undefined) obj[last] = tmp;
      }
    }
  }
  return root;
}

function survives(text: string, name: string): void {
  let r;
  try {
    r = loadProgram(text, name);
  } catch (e) {
    throw new Error(`loadProgram threw ${String(e)} on:\n${text.slice(0, 3000)}`);
  }
  for (const p of r.problems) {
    expect(MESSAGES).toHaveProperty([p.code]);
    expect(p.message.zh && p.message.en).toBeTruthy();
  }
  if (!r.program) return;
  // A mutated rubric that still loads must also score without throwing or NaN.
  const program = r.program;
  try {
    for (const v of program.variants) {
      const units = unitsOf(program, v, 2);
      const res = scoreCohort(program, units.map((u) => ({ unit: u.name, variant: v.id, inputs: {} })));
      for (const u of res.units) {
        expect([u.base, u.bonus, u.penalty, u.final].every(Number.isFinite)).toBe(true);
        for (const n of allNodes(u.nodes)) expect(Number.isFinite(n.points)).toBe(true);
      }
    }
  } catch (e) {
    throw new Error(`scoring a mutated rubric that loaded threw ${String(e)} on:\n${text.slice(0, 3000)}`);
  }
}

describe.each(rubricFiles().map((f) => [f.name, f] as const))('mutated %s', (_n, f) => {
  const doc = parse(f.text) as Json;
  const files = rubricFiles().length;
  const weight = f.text.length > 20000 ? 0.35 : f.text.length > 8000 ? 0.5 : 1;
  const runs = Math.max(5, Math.round((SCALE * 180 * weight) / files));

  it('loadProgram never throws on deleted / replaced / duplicated keys and values', () => {
    const op = fc.record({ op: fc.nat(), at: fc.nat(), v: fc.nat() });
    fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 6 }), (ops) => {
      survives(stringify(mutate(doc, ops)), f.name);
    }), { numRuns: runs, seed: SEED });
  });

  it('loadProgram never throws on damaged text', () => {
    const edit = fc.record({ at: fc.nat(), len: fc.integer({ min: 1, max: 40 }), ins: fc.constantFrom('', ':', '- ', '{', ']', '  ', '\n', '"', '&a', '*a', '*a1', '!!int x', '!!str', '不涉及', '#', '? ', '|') });
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
      let t = f.text;
      for (const e of edits) {
        const at = e.at % (t.length + 1);
        t = t.slice(0, at) + e.ins + t.slice(at + e.len);
      }
      survives(t, f.name);
    }), { numRuns: runs, seed: SEED });
  });
});

describe('YAML aliases', () => {
  // Found by the damaged-text property (doc.toJS() threw ReferenceError); fixed in 6b7c5d7.
  it('an unresolved alias or an alias bomb is a problem, not an exception', () => {
    expect(() => loadProgram('id: *a1\n')).not.toThrow();
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
    expect(() => loadProgram(bomb)).not.toThrow();
    expect(loadProgram('id: *a1\n').problems.map((p) => p.code)).toEqual(['rubric.yaml']);
  });
  it('a resolved alias is fine', () => {
    expect(() => loadProgram('id: &x t\ntitle: *x\n')).not.toThrow();
  });
});
