/**
 * The expression language every rule compiles to. One tree, two readings:
 *  - evaluate(): the exact decimal result (plan.ts compiles the same trees to slot functions for
 *    scoring many units; test/engine/plan.test.ts keeps the two in step);
 *  - toFormula(): the same computation as a spreadsheet formula, using only functions that Excel,
 *    WPS, LibreOffice and HyperFormula share (N, IF, MIN, MAX, SUM, ROUND, ROUNDUP, ROUNDDOWN,
 *    COUNTIF, TRIM, OR, AND, NOT, ISNUMBER). No RANK/RANK.EQ: ranks are COUNTIF-based (toolchain.md).
 * A blank cell reads as 0 / "no" / no choice, exactly as a spreadsheet reads it. Every input is read
 * through its state cell (inputs.ts: stateFormula): a rejected value (text in a number cell, out of range,
 * an error value…) reads 0 / no choice in the formula exactly as the engine leaves it blank.
 */
import { Dec, ZERO, ONE, cmp as decCmp, decMin, decMax } from './decimal';
import { EN_NO, EN_YES, naFormulaMarks } from './marks';

/** How a criterion's input cell is read. */
export type Read = 'num' | 'pct';

export type Expr =
  | { op: 'num'; v: string }
  | { op: 'in'; key: string; read: Read }
  | { op: 'ref'; id: string }
  | { op: '+' | '-' | '*' | '/'; a: Expr; b: Expr }
  | { op: 'sum'; xs: Expr[] }
  | { op: 'min' | 'max'; xs: Expr[] }
  | { op: 'if'; c: Cond; t: Expr; f: Expr }
  | { op: 'round'; x: Expr; places: number; mode: 'half-up' | 'up' | 'down' }
  | { op: 'rank'; key: string; order: 'desc' | 'asc'; read?: Read }
  /** A statistic of criterion `id`'s points over its cohort population (the 汇总 column): min, mean or how many. */
  | { op: 'cohort'; id: string; stat: CohortStat }
  /** A value the rubric sets and the clerk may change (本表设定): `v` is the value in force, printed as a reference to its cell. */
  | { op: 'set'; key: string; v: string };

export type CohortStat = 'min' | 'mean' | 'count';

export type Cond =
  | { op: 'cmp'; rel: '>=' | '>' | '<=' | '<' | '=' | '<>'; a: Expr; b: Expr }
  | { op: 'yes'; key: string }
  | { op: 'text'; key: string; value: string }
  | { op: 'na'; key: string; /** a 是/否 input: 无 means 否 there, not 不涉及 (marks.ts) */ yesno?: boolean }
  /** A number was entered (ISNUMBER): an optional line left blank asks for nothing. */
  | { op: 'entered'; key: string }
  | { op: 'and' | 'or'; cs: Cond[] }
  | { op: 'not'; c: Cond }
  | { op: 'true' }
  | { op: 'false' };

/** Words a clerk may type for yes / no. The formula tests exactly the same yes-words. */
export const YES_WORDS = ['是', '√', '有', '✓', 'Y', ...EN_YES] as const;
export const NO_WORDS = ['否', '×', '无', '✗', 'N', ...EN_NO] as const;
/** Words that mark a criterion not applicable (R22), typed in its first input cell. */
export const NA_WORDS = ['不涉及', '不适用', 'N/A'] as const;
/**
 * Every text that marks 不涉及 where a criterion allows it: the words and the clerks' marks (marks.ts);
 * on a 是/否 input 无 is 否, not 不涉及. inputs.ts reads with the same list the formulas compare with.
 */
export const naWordsFor = (yesno: boolean): string[] => [...NA_WORDS, ...naFormulaMarks(yesno)];

// ---------- builders ----------
export const num = (v: number | string | Dec): Expr => ({ op: 'num', v: new Dec(v).toFixed() });
export const input = (key: string, read: Read = 'num'): Expr => ({ op: 'in', key, read });
export const ref = (id: string): Expr => ({ op: 'ref', id });
export const add = (a: Expr, b: Expr): Expr => ({ op: '+', a, b });
export const sub = (a: Expr, b: Expr): Expr => ({ op: '-', a, b });
export const mul = (a: Expr, b: Expr): Expr => ({ op: '*', a, b });
export const div = (a: Expr, b: Expr): Expr => ({ op: '/', a, b });
export const sum = (xs: Expr[]): Expr => (xs.length === 0 ? num(0) : xs.length === 1 ? xs[0] : { op: 'sum', xs });
export const min = (...xs: Expr[]): Expr => (xs.length === 1 ? xs[0] : { op: 'min', xs });
export const max = (...xs: Expr[]): Expr => (xs.length === 1 ? xs[0] : { op: 'max', xs });
export const iff = (c: Cond, t: Expr, f: Expr): Expr => ({ op: 'if', c, t, f });
export const round = (x: Expr, places: number, mode: 'half-up' | 'up' | 'down' = 'half-up'): Expr => ({ op: 'round', x, places, mode });
export const rank = (key: string, order: 'desc' | 'asc', read: Read = 'num'): Expr => (read === 'pct' ? { op: 'rank', key, order, read } : { op: 'rank', key, order });
export const cohort = (id: string, stat: CohortStat): Expr => ({ op: 'cohort', id, stat });
export const setting = (key: string, v: number | string | Dec): Expr => ({ op: 'set', key, v: new Dec(v).toFixed() });
export const cmp = (rel: '>=' | '>' | '<=' | '<' | '=' | '<>', a: Expr, b: Expr): Cond => ({ op: 'cmp', rel, a, b });
export const yes = (key: string): Cond => ({ op: 'yes', key });
export const isNa = (key: string, yesno?: boolean): Cond => (yesno ? { op: 'na', key, yesno } : { op: 'na', key });
export const entered = (key: string): Cond => ({ op: 'entered', key });
export const textIs = (key: string, value: string): Cond => ({ op: 'text', key, value });
export const or = (cs: Cond[]): Cond => (cs.length === 0 ? { op: 'false' } : cs.length === 1 ? cs[0] : { op: 'or', cs });
export const and = (cs: Cond[]): Cond => (cs.length === 0 ? { op: 'true' } : cs.length === 1 ? cs[0] : { op: 'and', cs });
export const not = (c: Cond): Cond => ({ op: 'not', c });
/** Clamp to [lo, hi]: MAX(lo, MIN(hi, x)). */
export const clampExpr = (x: Expr, lo: Expr | null, hi: Expr | null): Expr => {
  let e = x;
  if (hi) e = min(hi, e);
  if (lo) e = max(lo, e);
  return e;
};

// ---------- evaluation ----------
/** A parsed input value: a number, yes/no, a chosen label, or blank (null). */
export type Value = { t: 'num'; v: Dec } | { t: 'bool'; v: boolean } | { t: 'text'; v: string } | { t: 'na' } | null;

export interface EvalEnv {
  value(key: string): Value;
  ref(id: string): Dec;
  /** Competition rank (1 + number of strictly better figures) of this unit's figure for `key`. */
  rank(key: string, order: 'desc' | 'asc'): Dec;
  /** A statistic over criterion `id`'s cohort population; 0 when there is none (count 0). */
  cohort?(id: string, stat: CohortStat): Dec;
}

function readNum(v: Value): Dec {
  // N(): numbers as they are; text, yes/no and blanks as 0.
  return v && v.t === 'num' ? v.v : ZERO;
}

/**
 * A percent input holds the fraction (0.85 for 85%, what Excel stores); inputs.ts rejects anything above 1,
 * so on an accepted value this changes nothing. Kept so older callers' figures stay as they were.
 */
export function readPct(v: Dec): Dec {
  return decCmp(v, ONE) > 0 ? v.div(100) : v;
}

/**
 * Evaluates an expression, one visit per node. The scoring hot path compiles the same expressions
 * to slot functions (plan.ts) that perform the same decimal operations; this reading serves
 * explanations, the layout's cached values and anything evaluated once.
 */
export function evaluate(e: Expr, env: EvalEnv): Dec {
  switch (e.op) {
    case 'num':
      return new Dec(e.v);
    case 'in': {
      const n = readNum(env.value(e.key));
      return e.read === 'pct' ? readPct(n) : n;
    }
    case 'ref':
      return env.ref(e.id);
    case '+':
      return evaluate(e.a, env).plus(evaluate(e.b, env));
    case '-':
      return evaluate(e.a, env).minus(evaluate(e.b, env));
    case '*':
      return evaluate(e.a, env).times(evaluate(e.b, env));
    case '/': {
      const d = evaluate(e.b, env);
      return d.isZero() ? ZERO : evaluate(e.a, env).div(d);
    }
    case 'sum':
      return e.xs.reduce((acc, x) => acc.plus(evaluate(x, env)), ZERO);
    case 'min':
      return decMin(...e.xs.map((x) => evaluate(x, env)));
    case 'max':
      return decMax(...e.xs.map((x) => evaluate(x, env)));
    case 'if':
      return test(e.c, env) ? evaluate(e.t, env) : evaluate(e.f, env);
    case 'round': {
      const mode = e.mode === 'up' ? Dec.ROUND_UP : e.mode === 'down' ? Dec.ROUND_DOWN : Dec.ROUND_HALF_UP;
      return evaluate(e.x, env).toDecimalPlaces(e.places, mode);
    }
    case 'rank':
      return env.rank(e.key, e.order);
    case 'cohort':
      return env.cohort ? env.cohort(e.id, e.stat) : ZERO;
    case 'set':
      return new Dec(e.v);
  }
}

export function test(c: Cond, env: EvalEnv): boolean {
  switch (c.op) {
    case 'cmp': {
      const a = evaluate(c.a, env);
      const b = evaluate(c.b, env);
      const k = a.cmp(b);
      switch (c.rel) {
        case '>=': return k >= 0;
        case '>': return k > 0;
        case '<=': return k <= 0;
        case '<': return k < 0;
        case '=': return k === 0;
        case '<>': return k !== 0;
      }
      return false;
    }
    case 'yes': {
      const v = env.value(c.key);
      return v !== null && v.t === 'bool' && v.v;
    }
    case 'text': {
      const v = env.value(c.key);
      return v !== null && v.t === 'text' && v.v === c.value;
    }
    case 'na':
      return env.value(c.key)?.t === 'na';
    case 'entered':
      return env.value(c.key)?.t === 'num';
    case 'and':
      return c.cs.every((x) => test(x, env));
    case 'or':
      return c.cs.some((x) => test(x, env));
    case 'not':
      return !test(c.c, env);
    case 'true':
      return true;
    case 'false':
      return false;
  }
}

// ---------- printing as a spreadsheet formula ----------
export interface FormulaEnv {
  /** A1 reference of an input cell, e.g. `F12`. */
  cell(key: string): string;
  /** A1 reference of the input's state cell (inputs.ts: stateFormula), e.g. `K12`: 2 when its value is rejected. */
  state(key: string): string;
  /** A1 reference of a computed cell (a node's score or a named total). */
  ref(id: string): string;
  /** Absolute range holding every cohort member's figure for `key`, e.g. `'汇总'!$K$4:$K$34`. */
  rankRange(key: string): string;
  /** Absolute range holding the points of criterion `id` of every population member (others blank). */
  cohortRange?(id: string): string;
  /** Absolute reference of the 本表设定 cell holding the value in force of setting `key`, e.g. `'本表设定'!$H$4`. */
  setting?(key: string): string;
}

const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/**
 * The one place a formula reads an input's number: 0 when the state cell says the value is rejected,
 * else N() (a number as it is; blank and 不涉及 as 0) — what evaluate() reads from the parsed value.
 */
export function readFormula(key: string, env: Pick<FormulaEnv, 'cell' | 'state'>): string {
  return `IF(${env.state(key)}=2,0,N(${env.cell(key)}))`;
}

/** Whether an input holds one of `words` (TRIM, ASCII case ignored); FALSE for a rejected cell, never an error value. */
export function wordsFormula(cell: string, state: string, words: readonly string[]): string {
  const ors = words.map((w) => `TRIM(${cell})=${quote(w)}`);
  return `IF(${state}=2,FALSE(),${ors.length === 1 ? ors[0] : `OR(${ors.join(',')})`})`;
}

/** Precedence-free printing: every binary operation is parenthesised unless it is atomic. */
export function toFormula(e: Expr, env: FormulaEnv): string {
  const p = (x: Expr): string => {
    const s = toFormula(x, env);
    return x.op === '+' || x.op === '-' || x.op === '*' || x.op === '/' ? `(${s})` : s;
  };
  switch (e.op) {
    case 'num':
      return e.v.startsWith('-') ? `(${e.v})` : e.v;
    case 'in':
      return readFormula(e.key, env);
    case 'ref':
      return env.ref(e.id);
    case '+':
    case '-':
    case '*':
      return `${p(e.a)}${e.op}${p(e.b)}`;
    case '/': {
      const d = toFormula(e.b, env);
      // Mirrors evaluate(): a zero divisor gives 0, never #DIV/0!.
      if (e.b.op === 'num' && !new Dec(e.b.v).isZero()) return `${p(e.a)}/${p(e.b)}`;
      return `IF((${d})=0,0,${p(e.a)}/(${d}))`;
    }
    case 'sum':
      return `SUM(${e.xs.map((x) => toFormula(x, env)).join(',')})`;
    case 'min':
      return `MIN(${e.xs.map((x) => toFormula(x, env)).join(',')})`;
    case 'max':
      return `MAX(${e.xs.map((x) => toFormula(x, env)).join(',')})`;
    case 'if':
      return `IF(${condFormula(e.c, env)},${toFormula(e.t, env)},${toFormula(e.f, env)})`;
    case 'round': {
      const fn = e.mode === 'up' ? 'ROUNDUP' : e.mode === 'down' ? 'ROUNDDOWN' : 'ROUND';
      // Binary floating point makes (0.9−0.85)/0.01 = 5.000000000000004, which ROUNDUP takes to 6;
      // rounding to 10 more places first gives the exact decimal's answer, as the engine computes it.
      const inner = e.mode === 'half-up' ? toFormula(e.x, env) : `ROUND(${toFormula(e.x, env)},${e.places + 10})`;
      return `${fn}(${inner},${e.places})`;
    }
    case 'rank': {
      // A percentage is held as a fraction (85% is 0.85; inputs.ts rejects anything above 1), as the 汇总 column holds it.
      const me = readFormula(e.key, env);
      return `(COUNTIF(${env.rankRange(e.key)},"${e.order === 'desc' ? '>' : '<'}"&${me})+1)`;
    }
    case 'cohort': {
      if (!env.cohortRange) throw new Error(`no cohort range for ${e.id}`);
      const r = env.cohortRange(e.id);
      // Points are never negative, so COUNTIF(r,">=0") counts the members; text ("") takes no place in MIN/SUM.
      const count = `COUNTIF(${r},">=0")`;
      if (e.stat === 'count') return count;
      if (e.stat === 'min') return `IF(${count}=0,0,MIN(${r}))`;
      return `IF(${count}=0,0,SUM(${r})/${count})`;
    }
    case 'set':
      // Never a copy of the value: the sheet reads the clerk's 本表设定 cell.
      if (!env.setting) throw new Error(`no 本表设定 cell for ${e.key}`);
      return env.setting(e.key);
  }
}

export function condFormula(c: Cond, env: FormulaEnv): string {
  switch (c.op) {
    case 'cmp':
      return `${toFormula(c.a, env)}${c.rel}${toFormula(c.b, env)}`;
    case 'yes':
      return wordsFormula(env.cell(c.key), env.state(c.key), YES_WORDS);
    case 'text':
      return wordsFormula(env.cell(c.key), env.state(c.key), [c.value]);
    case 'na':
      return wordsFormula(env.cell(c.key), env.state(c.key), naWordsFor(c.yesno === true));
    case 'entered':
      // A rejected value is no entry, as in the engine (inputs.ts leaves it blank).
      return `IF(${env.state(c.key)}=2,FALSE(),ISNUMBER(${env.cell(c.key)}))`;
    case 'and':
      return `AND(${c.cs.map((x) => condFormula(x, env)).join(',')})`;
    case 'or':
      return `OR(${c.cs.map((x) => condFormula(x, env)).join(',')})`;
    case 'not':
      return `NOT(${condFormula(c.c, env)})`;
    case 'true':
      return 'TRUE';
    case 'false':
      return 'FALSE';
  }
}

/** Input keys an expression reads (for dependency maps and the add-in's change handling). */
export function inputsOf(e: Expr | Cond, out: Set<string> = new Set()): Set<string> {
  const walk = (x: Expr | Cond): void => {
    switch (x.op) {
      case 'in': case 'yes': case 'text': case 'na': case 'rank': case 'entered':
        out.add(x.key);
        return;
      case '+': case '-': case '*': case '/':
        walk(x.a); walk(x.b); return;
      case 'sum': case 'min': case 'max':
        x.xs.forEach(walk); return;
      case 'if':
        walk(x.c); walk(x.t); walk(x.f); return;
      case 'round':
        walk(x.x); return;
      case 'cmp':
        walk(x.a); walk(x.b); return;
      case 'and': case 'or':
        x.cs.forEach(walk); return;
      case 'not':
        walk(x.c); return;
      default:
        return;
    }
  };
  walk(e);
  return out;
}
