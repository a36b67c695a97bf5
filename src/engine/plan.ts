/**
 * A compiled sheet made ready for scoring many units: built once per SheetModel and kept beside it.
 * Input keys become slots of an array and computed cells become positions in dependency order, so a
 * unit is evaluated in one pass over an array (no memo map, no per-unit closures). The functions
 * compute exactly what evaluate() computes on the same expressions (same decimal operations, in the
 * same order on the same operands).
 */
import { Dec, ZERO, cmp } from './decimal';
import { readPct, type CohortStat, type Cond, type Expr, type Value } from './expr';
import type { InputSpec } from './inputs';
import type { SheetModel } from './compile';

/** One unit's state while it is scored: values by input slot, computed cells by position. */
export interface Slots {
  v: Value[];
  c: Dec[];
  /** Competition rank of this unit's figure for `key` (slot -1: no such input). */
  rank(key: string, slot: number, order: 'desc' | 'asc'): Dec;
  /** A statistic over criterion `id`'s cohort population (score.ts). */
  cohort(id: string, stat: CohortStat): Dec;
}

export type SlotFn = (s: Slots) => Dec;
type SlotTest = (s: Slots) => boolean;

export interface Plan {
  /** Every input of the sheet: [...inputs, ...vetoInputs]. */
  specs: InputSpec[];
  /** Input key → slot (keys are shared by specs with the same key: the last one's value stands). */
  slotOf: Map<string, number>;
  /** Slot of each spec. */
  specSlot: number[];
  slotCount: number;
  /** Computed cell ids in dependency order, their positions, and their functions. */
  cellIds: string[];
  cellAt: Map<string, number>;
  fns: SlotFn[];
  /** Compiles any other expression of the sheet (kept per expression). */
  fn(e: Expr): SlotFn;
}

const PLANS = new WeakMap<SheetModel, Plan>();

export function planOf(sheet: SheetModel): Plan {
  let p = PLANS.get(sheet);
  if (!p) PLANS.set(sheet, (p = buildPlan(sheet)));
  return p;
}

function refsOf(e: Expr | Cond, out: string[]): void {
  switch (e.op) {
    case 'ref': out.push(e.id); return;
    case '+': case '-': case '*': case '/': refsOf(e.a, out); refsOf(e.b, out); return;
    case 'sum': case 'min': case 'max': for (const x of e.xs) refsOf(x, out); return;
    case 'if': refsOf(e.c, out); refsOf(e.t, out); refsOf(e.f, out); return;
    case 'round': refsOf(e.x, out); return;
    case 'cmp': refsOf(e.a, out); refsOf(e.b, out); return;
    case 'and': case 'or': for (const c of e.cs) refsOf(c, out); return;
    case 'not': refsOf(e.c, out); return;
    default: return;
  }
}

function buildPlan(sheet: SheetModel): Plan {
  const specs = [...sheet.inputs, ...sheet.vetoInputs];
  const slotOf = new Map<string, number>();
  const specSlot: number[] = [];
  for (const s of specs) {
    let i = slotOf.get(s.key);
    if (i === undefined) slotOf.set(s.key, (i = slotOf.size));
    specSlot.push(i);
  }
  // Dependency order: every cell after the cells it refers to.
  const cellIds: string[] = [];
  const state = new Map<string, 1 | 2>();
  const visit = (id: string): void => {
    if (state.has(id)) return;
    state.set(id, 1);
    const refs: string[] = [];
    refsOf(sheet.cells.get(id)!, refs);
    for (const r of refs) if (sheet.cells.has(r)) visit(r);
    state.set(id, 2);
    cellIds.push(id);
  };
  for (const id of sheet.cells.keys()) visit(id);
  const cellAt = new Map<string, number>();
  cellIds.forEach((id, i) => cellAt.set(id, i));
  const cache = new Map<Expr, SlotFn>();
  const C = new Compiler(slotOf, cellAt);
  const fn = (e: Expr): SlotFn => {
    let f = cache.get(e);
    if (!f) cache.set(e, (f = C.fn(e)));
    return f;
  };
  const fns = cellIds.map((id) => fn(sheet.cells.get(id)!));
  return { specs, slotOf, specSlot, slotCount: slotOf.size, cellIds, cellAt, fns, fn };
}

const zero: SlotFn = () => ZERO;
const yes: SlotTest = () => true;
const no: SlotTest = () => false;

class Compiler {
  constructor(private readonly slotOf: Map<string, number>, private readonly cellAt: Map<string, number>) {}

  fn(e: Expr): SlotFn {
    switch (e.op) {
      case 'num': case 'set': {
        const v = new Dec(e.v);
        return () => v;
      }
      case 'in': {
        const i = this.slotOf.get(e.key);
        if (i === undefined) return zero;
        return e.read === 'pct'
          ? (s) => { const x = s.v[i]; return x !== null && x !== undefined && x.t === 'num' ? readPct(x.v) : ZERO; }
          : (s) => { const x = s.v[i]; return x !== null && x !== undefined && x.t === 'num' ? x.v : ZERO; };
      }
      case 'ref': {
        const i = this.cellAt.get(e.id);
        if (i === undefined) return zero;
        return (s) => s.c[i];
      }
      case '+': { const a = this.fn(e.a), b = this.fn(e.b); return (s) => a(s).plus(b(s)); }
      case '-': { const a = this.fn(e.a), b = this.fn(e.b); return (s) => a(s).minus(b(s)); }
      case '*': { const a = this.fn(e.a), b = this.fn(e.b); return (s) => a(s).times(b(s)); }
      case '/': {
        const a = this.fn(e.a), b = this.fn(e.b);
        return (s) => { const d = b(s); return d.isZero() ? ZERO : a(s).div(d); };
      }
      case 'sum': {
        const idx = this.cellsOnly(e.xs);
        if (idx) {
          return (s) => { const c = s.c; let acc = ZERO; for (let k = 0; k < idx.length; k++) acc = acc.plus(c[idx[k]]); return acc; };
        }
        const xs = e.xs.map((x) => this.fn(x));
        return (s) => { let acc = ZERO; for (let k = 0; k < xs.length; k++) acc = acc.plus(xs[k](s)); return acc; };
      }
      case 'min': {
        const xs = e.xs.map((x) => this.fn(x));
        if (xs.length === 2) { const a = xs[0], b = xs[1]; return (s) => { const m = a(s), v = b(s); return cmp(v, m) < 0 ? v : m; }; }
        return (s) => { let m = xs[0](s); for (let k = 1; k < xs.length; k++) { const v = xs[k](s); if (cmp(v, m) < 0) m = v; } return m; };
      }
      case 'max': {
        const xs = e.xs.map((x) => this.fn(x));
        if (xs.length === 2) { const a = xs[0], b = xs[1]; return (s) => { const m = a(s), v = b(s); return cmp(v, m) > 0 ? v : m; }; }
        return (s) => { let m = xs[0](s); for (let k = 1; k < xs.length; k++) { const v = xs[k](s); if (cmp(v, m) > 0) m = v; } return m; };
      }
      case 'if': {
        const c = this.test(e.c), t = this.fn(e.t), f = this.fn(e.f);
        return (s) => (c(s) ? t(s) : f(s));
      }
      case 'round': {
        const x = this.fn(e.x), places = e.places;
        const mode = e.mode === 'up' ? Dec.ROUND_UP : e.mode === 'down' ? Dec.ROUND_DOWN : Dec.ROUND_HALF_UP;
        return (s) => x(s).toDecimalPlaces(places, mode);
      }
      case 'rank': {
        const k = e.key, order = e.order, i = this.slotOf.get(e.key) ?? -1;
        return (s) => s.rank(k, i, order);
      }
      case 'cohort': {
        const id = e.id, stat = e.stat;
        return (s) => s.cohort(id, stat);
      }
    }
  }

  /** Positions of the cells when every term is a reference to one. */
  private cellsOnly(xs: Expr[]): number[] | null {
    const out: number[] = [];
    for (const x of xs) {
      if (x.op !== 'ref') return null;
      const i = this.cellAt.get(x.id);
      if (i === undefined) return null;
      out.push(i);
    }
    return out;
  }

  private value(key: string): (s: Slots) => Value {
    const i = this.slotOf.get(key);
    if (i === undefined) return () => null;
    return (s) => s.v[i] ?? null;
  }

  test(c: Cond): SlotTest {
    switch (c.op) {
      case 'cmp': {
        const a = this.fn(c.a), b = this.fn(c.b);
        switch (c.rel) {
          case '>=': return (s) => cmp(a(s), b(s)) >= 0;
          case '>': return (s) => cmp(a(s), b(s)) > 0;
          case '<=': return (s) => cmp(a(s), b(s)) <= 0;
          case '<': return (s) => cmp(a(s), b(s)) < 0;
          case '=': return (s) => cmp(a(s), b(s)) === 0;
          case '<>': return (s) => cmp(a(s), b(s)) !== 0;
        }
        return no;
      }
      case 'yes': { const v = this.value(c.key); return (s) => { const x = v(s); return x !== null && x.t === 'bool' && x.v; }; }
      case 'text': { const v = this.value(c.key), want = c.value; return (s) => { const x = v(s); return x !== null && x.t === 'text' && x.v === want; }; }
      case 'na': { const v = this.value(c.key); return (s) => v(s)?.t === 'na'; }
      case 'entered': { const v = this.value(c.key); return (s) => v(s)?.t === 'num'; }
      case 'and': {
        const cs = c.cs.map((x) => this.test(x));
        return (s) => { for (let k = 0; k < cs.length; k++) if (!cs[k](s)) return false; return true; };
      }
      case 'or': {
        const cs = c.cs.map((x) => this.test(x));
        return (s) => { for (let k = 0; k < cs.length; k++) if (cs[k](s)) return true; return false; };
      }
      case 'not': { const x = this.test(c.c); return (s) => !x(s); }
      case 'true': return yes;
      case 'false': return no;
    }
  }
}
