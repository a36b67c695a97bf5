/**
 * How an input cell is read — one reading, printed twice: readCell() is the engine's, stateFormula()
 * the workbook's (the hidden state cell beside each input; every formula reads an input through it, see
 * expr.ts). Both accept exactly the same cell contents:
 *  - a number input holds a number (not a logical, not text) within the rubric's range, whole for counts,
 *    in the rubric's step; a percent input holds the fraction Excel stores for 85% (0.85), 0…1;
 *  - a yes/no or choice input holds one of its words (spreadsheet comparison: TRIM, ASCII case ignored);
 *  - the first input of a criterion may hold 不涉及 where the program allows it; a blank is "not yet entered".
 * Anything else — text in a number cell ("85", "90%", "2次"), an error value, TRUE, a number out of range —
 * is rejected: an input problem with a code, read as 0 / no choice by both readings, and counted as an error
 * by the sheet's status cell. Nothing is clamped or reinterpreted.
 *
 * What a clerk *types* (inputs.json, `dafen eval`, `make` with inputs) is first turned into the cell content
 * a spreadsheet would store (toCell: `８５` → 85, `85%` → 0.85, `1,500` → 1500, ` 是 ` → 是), then read
 * the same way. Ambiguous text (`1,2`, `1 0 0`, `150%` where no percent is asked) is a problem, never a guess.
 */
import { Dec, cmp, fmt } from './decimal';
import { NA_WORDS, NO_WORDS, YES_WORDS, naWordsFor, wordsFormula, type Value } from './expr';
import { naHint } from './marks';
import { problem, type Problem } from './problems';

export type InputType = 'count' | 'number' | 'percent' | 'score' | 'yesno' | 'choice';

export interface InputSpec {
  /** Globally unique within a variant: `<criterion id>#<name>`. */
  key: string;
  criterionId: string;
  name: string;
  type: InputType;
  /** Short zh label of what to enter, e.g. `违反次数`. */
  label: string;
  /** The verbatim rubric text of this input's line, when a criterion has several lines. */
  lineText?: string;
  /** Input message shown on the sheet, e.g. `违反次数，每次扣0.5分`. */
  hint: string;
  hintEn: string;
  min?: string;
  max?: string;
  step?: string;
  /** For `number`/`score` lines that must be 0 or within [min, max] (R26 每发现一起扣1-3分). */
  zeroOrRange?: boolean;
  options?: string[];
  unit?: string;
  /** The first input of a criterion on which the program lets a clerk type 不涉及. */
  naAllowed?: boolean;
  /** A blank here means "nothing to report" (bonus items, spare item rows), not "not yet entered". */
  optional?: boolean;
  /** Must be above 0 (a required number that divides: 应完成数). */
  positive?: boolean;
  /** Must not exceed the accepted number of this other input (完成数 ≤ 应完成数). */
  atMost?: string;
  /** A deduction/increment line (kinds/lines.ts): its verb (扣/加) and, for counts and flags, the rate or amount. */
  line?: { verb: string; rate?: string };
}


export type Raw = string | number | boolean | null | undefined;

export interface Parsed {
  value: Value;
  /** Typed 不涉及 where allowed. */
  na: boolean;
  blank: boolean;
  /** Not what the rubric asks for: read as blank (0 / no choice) and counted as an error (the sheet's state 2). */
  rejected: boolean;
  problems: Problem[];
}

/** No figure a clerk enters is anywhere near this; beyond it a typo is far likelier than a fact. */
export const MAX_FIGURE = '1000000000000';
const MAX = new Dec(MAX_FIGURE);

/** Full-width ASCII (８５，．％) to half-width; ideographic space and commas removed. */
const PLAIN_ASCII = /^[\x21-\x7e]*$/;

export function normalizeText(s: string): string {
  if (PLAIN_ASCII.test(s)) return s;
  // One pass: what FULLWIDTH → half-width and \u3000 → space replace, then trim().
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) {
      out += s.slice(from, i) + String.fromCharCode(c - 0xfee0);
      from = i + 1;
    } else if (c === 0x3000) {
      out += s.slice(from, i) + ' ';
      from = i + 1;
    }
  }
  return (from === 0 ? s : out + s.slice(from)).trim();
}

/** TRIM() as Excel, WPS, LibreOffice and HyperFormula do it: ASCII spaces only, ends removed, inner runs collapsed. */
export function sheetTrim(s: string): string {
  return s.includes(' ') ? s.replace(/ +/g, ' ').replace(/^ | $/g, '') : s;
}

/** Spreadsheet text comparison ignores ASCII case (y = Y), not width (ｙ ≠ Y). */
const upperAscii = (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase());

/** A value as a message shows it: long values cut (a pasted 50 MB cell is not echoed). */
export function shownValue(v: unknown): string {
  const s = typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : typeof v === 'number' ? String(v) : safeJson(v);
  const flat = s.replace(/[\r\n\t]+/g, ' ');
  return flat.length <= 40 ? flat : `${flat.slice(0, 40)}…（共${s.length}字 / ${s.length} chars）`;
}

function safeJson(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 200 ? s.slice(0, 200) : s;
  } catch {
    return String(v);
  }
}

const NA_LONGEST = Math.max(...NA_WORDS.map((w) => w.length));
const isNaWord = (upper: string): boolean => upper.length <= NA_LONGEST && (NA_WORDS as readonly string[]).includes(upper);
/** 不涉及 as a clerk marks it (words and marks, marks.ts), exactly the texts the formulas compare with. */
const NA_ANY = new Set(naWordsFor(false).map((w) => upperAscii(w)));
const NA_YESNO = new Set(naWordsFor(true).map((w) => upperAscii(w)));
const isNaMarkFor = (spec: InputSpec, upper: string): boolean => (spec.type === 'yesno' ? NA_YESNO : NA_ANY).has(upper);

/** Shared by every clean parse (most of them): never mutated; a problem gets a fresh array. */
const NO_PROBLEMS: Problem[] = [];

type Code = Parameters<typeof problem>[0];

function reject(out: Parsed, spec: InputSpec, raw: unknown, code: Code, params: Record<string, string | number> = {}): Parsed {
  out.value = null;
  out.rejected = true;
  out.problems = [problem(code, spec.key, { label: spec.label, value: shownValue(raw), ...naHint(spec), ...params })];
  return out;
}

const fresh = (): Parsed => ({ value: null, na: false, blank: false, rejected: false, problems: NO_PROBLEMS });

// ---------- the engine's reading of a cell ----------

/**
 * A cell's content as the workbook's formulas read it (stateFormula() is the same test printed):
 * a number, a text, a logical, or nothing. A formula's result is read like a typed value.
 */
export function readCell(spec: InputSpec, raw: unknown): Parsed {
  const out = fresh();
  if (raw === null || raw === undefined) {
    out.blank = true;
    return out;
  }
  if (typeof raw === 'string') {
    const t = sheetTrim(raw);
    if (t === '') {
      out.blank = true;
      return out;
    }
    const up = upperAscii(t);
    if (spec.naAllowed && isNaMarkFor(spec, up)) {
      out.na = true;
      out.value = { t: 'na' };
      return out;
    }
    if (spec.type === 'yesno' || spec.type === 'choice') return readWord(out, spec, raw, up);
    if (isNaWord(up)) return reject(out, spec, raw, 'input.notApplicableRefused');
    // Text in a number cell: formulas read it as 0, so the engine does not read it as a number either.
    const n = typedNumber(normalizeText(raw), spec);
    return reject(out, spec, raw, n && 'value' in n ? 'input.textNumber' : 'input.notNumber');
  }
  if (typeof raw === 'number') {
    if (spec.type === 'yesno' || spec.type === 'choice') return readWord(out, spec, raw, upperAscii(String(raw)));
    return readNumber(out, spec, raw);
  }
  if (typeof raw === 'boolean') {
    return reject(out, spec, raw, spec.type === 'yesno' ? 'input.notYesNo' : spec.type === 'choice' ? 'input.unknownChoice' : 'input.notNumber', { options: (spec.options ?? []).join('、') });
  }
  return reject(out, spec, raw, 'input.notScalar');
}

function readWord(out: Parsed, spec: InputSpec, raw: unknown, up: string): Parsed {
  if (spec.type === 'yesno') {
    if ((YES_WORDS as readonly string[]).includes(up)) out.value = { t: 'bool', v: true };
    else if ((NO_WORDS as readonly string[]).includes(up)) out.value = { t: 'bool', v: false };
    else return reject(out, spec, raw, isNaWord(up) ? 'input.notApplicableRefused' : 'input.notYesNo');
    return out;
  }
  const opts = spec.options ?? [];
  const hit = opts.find((o) => upperAscii(o) === up);
  if (hit === undefined) return reject(out, spec, raw, isNaWord(up) ? 'input.notApplicableRefused' : 'input.unknownChoice', { options: opts.join('、') });
  out.value = { t: 'text', v: hit };
  return out;
}

interface Bounds { lo: Dec; hi: Dec | null; step: Dec | null; base: Dec }
const BOUNDS = new WeakMap<InputSpec, Bounds>();
function boundsOf(spec: InputSpec): Bounds {
  let b = BOUNDS.get(spec);
  if (!b) {
    const lo = spec.min !== undefined ? new Dec(spec.min) : new Dec(0);
    BOUNDS.set(spec, (b = {
      lo, hi: spec.max !== undefined ? new Dec(spec.max) : null, step: spec.step !== undefined ? new Dec(spec.step) : null,
      base: spec.zeroOrRange || spec.min === undefined ? new Dec(0) : lo,
    }));
  }
  return b;
}

function readNumber(out: Parsed, spec: InputSpec, raw: number): Parsed {
  if (!Number.isFinite(raw)) return reject(out, spec, raw, 'input.notNumber');
  const n = new Dec(raw);
  const shown = fmt(n, 6);
  if (n.isNegative() && !n.isZero()) return reject(out, spec, raw, 'input.negative', { value: shown });
  if (cmp(n, MAX) > 0) return reject(out, spec, raw, 'input.tooLarge', { max: MAX_FIGURE });
  if (spec.type === 'count' && !n.isInteger()) return reject(out, spec, raw, 'input.notInteger', { value: shown });
  if (spec.type === 'percent' && n.gt(1)) return reject(out, spec, raw, 'input.percentAbove1', { value: shown, pct: `${fmt(n.times(100), 4)}%` });
  if (spec.positive && n.isZero()) return reject(out, spec, raw, 'input.zeroRequired');
  const { lo, hi, step, base } = boundsOf(spec);
  const inRange = cmp(n, lo) >= 0 && (hi === null || cmp(n, hi) <= 0);
  if (!inRange && !(spec.zeroOrRange && n.isZero())) {
    return reject(out, spec, raw, 'input.outOfRange', { value: shown, min: fmt(lo, 6), max: hi ? fmt(hi, 6) : '∞' });
  }
  if (step && !n.isZero() && !n.minus(base).mod(step).isZero()) return reject(out, spec, raw, 'input.step', { value: shown, step: spec.step! });
  out.value = { t: 'num', v: n };
  return out;
}

/** The cross-input rule (完成数 ≤ 应完成数): applied once every input of the unit is read. */
export function atMostProblem(spec: InputSpec, mine: Value, other: Value, otherLabel: string): Problem | null {
  if (!spec.atMost || !mine || mine.t !== 'num' || !other || other.t !== 'num' || cmp(mine.v, other.v) <= 0) return null;
  return problem('input.doneExceedsRequired', spec.key, { label: spec.label, done: fmt(mine.v, 6), required: fmt(other.v, 6), of: otherLabel });
}

// ---------- what a clerk types → the cell content ----------

/** A number as typed; null when the text is no number at all. */
type Typed = { value: number } | { code: Code; params?: Record<string, string | number> } | null;

const PLAIN = /^[+-]?(\d+(\.\d+)?|\.\d+)$/;
const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const NUMBERISH = /^[+-]?[\d.,' ]*\d[\d.,' ]*$/;
/** Units clerks append; only the input's own unit is accepted, another one is a problem. */
const UNITS = ['平方米', '万元', '小时', '个百分点', '次', '分', '件', '条', '项', '人', '天', '㎡', '个', '名', '位', '篇', '起', '家', '元', '日', '年', '月', '处', '份', '户'];

/** Other spellings of the same unit. */
const SAME_UNIT: Record<string, string[]> = { 平方米: ['㎡', '平米', 'm²', 'm2'], '㎡': ['平方米', '平米'], 次: ['回'], 个百分点: ['%'] };

function typedNumber(s: string, spec: InputSpec): Typed {
  let t = s;
  const own = spec.unit && spec.unit !== '%' ? spec.unit : undefined;
  const same = own ? [own, ...(SAME_UNIT[own] ?? [])].find((x) => t.endsWith(x) && t.length > x.length) : undefined;
  if (same) t = t.slice(0, -same.length).trim();
  else {
    const u = UNITS.find((x) => t.endsWith(x) && t.length > x.length);
    if (u) {
      const rest = t.slice(0, -u.length).trim();
      // An input that names its unit takes only that one (2分 is no count of 次); one that names none, any.
      if (own && (PLAIN.test(rest) || GROUPED.test(rest))) return { code: 'input.unitMismatch', params: { unit: own, got: u } };
      if (!own) t = rest;
    }
  }
  let percent = false;
  if (t.endsWith('%')) {
    percent = true;
    t = t.slice(0, -1).trim();
  }
  let digits: string;
  if (PLAIN.test(t)) digits = t;
  else if (GROUPED.test(t)) digits = t.replace(/,/g, '');
  else if (NUMBERISH.test(t)) return { code: 'input.ambiguousNumber' };
  else return null;
  if (percent && spec.type !== 'percent') return { code: 'input.percentSign' };
  const v = new Dec(digits);
  return { value: (percent ? v.div(100) : v).toNumber() };
}

/**
 * What a spreadsheet would store when a clerk types `raw` into this input (and what `dafen make` writes):
 * numbers from numeric text (`８５`, `1,500`, `2次` where the unit is 次; `85%` → 0.85 only for a percent),
 * words trimmed and made half-width. Text that is no number stays as typed (then read as text: rejected);
 * ambiguous text is a problem and stays as typed.
 */
export function toCell(spec: InputSpec, raw: unknown): { cell: Raw; problem?: Problem } {
  if (raw === null || raw === undefined) return { cell: null };
  if (typeof raw === 'number' || typeof raw === 'boolean') return { cell: raw };
  if (typeof raw !== 'string') {
    return { cell: shownValue(raw), problem: problem('input.notScalar', spec.key, { label: spec.label, value: shownValue(raw) }) };
  }
  const s = normalizeText(raw);
  if (s === '') return { cell: null };
  if (spec.type === 'yesno' || spec.type === 'choice' || NA_ANY.has(upperAscii(s))) return { cell: s };
  const n = typedNumber(s, spec);
  if (n === null) return { cell: raw };
  if ('value' in n) return { cell: n.value };
  return { cell: raw, problem: problem(n.code, spec.key, { label: spec.label, value: shownValue(raw), ...n.params }) };
}

/** A typed value (inputs.json, `dafen eval`): toCell(), then read as the cell. */
export function parseInput(spec: InputSpec, raw: unknown): Parsed {
  const c = toCell(spec, raw);
  if (c.problem) return { value: null, na: false, blank: false, rejected: true, problems: [c.problem] };
  return readCell(spec, c.cell);
}

/** A number as typed (`１，２００`, `85%` → 0.85); null when it is none or ambiguous. */
export function parseNumberText(s: string): { v: Dec; percent: boolean } | null {
  const t = normalizeText(s);
  const n = typedNumber(t, { key: '', criterionId: '', name: '', type: 'percent', label: '', hint: '', hintEn: '' });
  return n && 'value' in n ? { v: new Dec(n.value), percent: t.endsWith('%') } : null;
}

// ---------- the workbook's reading of the same cell ----------

export interface StateEnv {
  /** A1 reference of an input cell. */
  cell(key: string): string;
  /** A1 reference of the input's state cell (0 accepted or not required, 1 required and blank, 2 rejected). */
  state(key: string): string;
}

const lit = (d: Dec): string => d.toFixed();
const places = (d: Dec): number => Math.max(0, d.decimalPlaces());

/**
 * The state cell's formula: 2 when the cell holds anything readCell() rejects, 1 when a required input
 * is blank (and its criterion is not marked 不涉及 in `naKey`), 0 otherwise. Every formula reads the input
 * through it (expr.ts), so a rejected value counts 0 there as in the engine.
 */
export function stateFormula(spec: InputSpec, env: StateEnv, naInput?: Pick<InputSpec, 'key' | 'type'>, flagKey?: string): string {
  const x = env.cell(spec.key);
  // Not the first input's state cell: that one may read this input (完成数 ≤ 应完成数), and states must not form a cycle.
  const na = naInput && naInput.key !== spec.key ? env.cell(naInput.key) : null;
  // A unit its cohort clause scores by the flag (与样本框无关联的部门: 是) needs none of its own lines (score.ts).
  // The flag is optional: its own state cell reads only its cell, so this adds no cycle.
  const needed = flagKey && flagKey !== spec.key ? `IF(${wordsFormula(env.cell(flagKey), env.state(flagKey), YES_WORDS)},0,1)` : '1';
  // On a 是/否 first input 无 is 否, not 不涉及 (marks.ts): the same words readCell() takes there.
  const blank = spec.optional ? '0' : na ? `IF(ISERROR(${na}),1,IF(${anyWord(na, naWordsFor(naInput!.type === 'yesno'))},0,${needed}))` : needed;
  let valid: string;
  if (spec.type === 'yesno' || spec.type === 'choice') {
    const ws = [...(spec.naAllowed ? naWordsFor(spec.type === 'yesno') : []), ...(spec.type === 'yesno' ? [...YES_WORDS, ...NO_WORDS] : spec.options ?? [])];
    valid = `IF(ISLOGICAL(${x}),2,IF(${anyWord(x, ws)},0,2))`;
  } else {
    const text = spec.naAllowed ? `IF(${anyWord(x, naWordsFor(false))},0,2)` : '2';
    valid = `IF(ISNUMBER(${x}),IF(AND(${numberConds(spec, x, env)}),0,2),${text})`;
  }
  return `IF(ISERROR(${x}),2,IF(LEN(TRIM(${x}))=0,${blank},${valid}))`;
}

function numberConds(spec: InputSpec, x: string, env: StateEnv): string {
  const { lo, hi, step, base } = boundsOf(spec);
  const c = [`NOT(ISLOGICAL(${x}))`, `${x}>=0`];
  let top = MAX;
  if (spec.type === 'percent' && top.gt(1)) top = new Dec(1);
  if (hi && hi.lt(top)) top = hi;
  c.push(`${x}<=${lit(top)}`);
  if (spec.type === 'count') c.push(`${x}=INT(${x})`);
  if (spec.positive) c.push(`${x}>0`);
  if (lo.gt(0)) c.push(spec.zeroOrRange ? `OR(${x}=0,${x}>=${lit(lo)})` : `${x}>=${lit(lo)}`);
  if (step) {
    // Exactly the engine's (x − base) mod step = 0 on decimals: x has no more places than step and base,
    // then whole multiples compared as integers (binary fractions never enter the test).
    const d = Math.max(places(step), places(base));
    const scale = new Dec(10).pow(d);
    const shifted = base.isZero() ? `${x}*${lit(scale)}` : `(${x}-${lit(base)})*${lit(scale)}`;
    c.push(`OR(${x}=0,AND(ROUND(${x},${d})=${x},MOD(ROUND(${shifted},0),${lit(step.times(scale))})=0))`);
  }
  if (spec.atMost) {
    const o = env.cell(spec.atMost);
    c.push(`IF(${env.state(spec.atMost)}=0,IF(ISNUMBER(${o}),${x}<=${o},TRUE()),TRUE())`);
  }
  return c.join(',');
}

const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const anyWord = (x: string, ws: readonly string[]): string => `OR(${ws.map((w) => `TRIM(${x})=${quote(w)}`).join(',')})`;

/** The engine's state of an input, as the state cell computes it. */
export function cellState(p: Parsed, spec: InputSpec, naMarked: boolean): 0 | 1 | 2 {
  if (p.rejected) return 2;
  return p.blank && !spec.optional && !naMarked ? 1 : 0;
}

/** 完成 / 未完成 n 项 / 有 n 处错误 — the status cell's formula over the two counts, and the engine's text. */
export function statusFormula(errors: string, missing: string): string {
  return `IF(${errors}>0,"有 "&${errors}&" 处错误",IF(${missing}>0,"未完成 "&${missing}&" 项","完成"))`;
}
export function statusOf(errors: number, missing: number): { zh: string; en: string } {
  if (errors > 0) return { zh: `有 ${errors} 处错误`, en: `${errors} input error(s)` };
  if (missing > 0) return { zh: `未完成 ${missing} 项`, en: `${missing} not yet entered` };
  return { zh: '完成', en: 'Complete' };
}

/** Input key → the input whose 不涉及 covers it (the first input of its criterion), for every input of a sheet. */
export function naKeysOf(nodes: Iterable<{ naKey?: string; inputs: InputSpec[] }>): Map<string, InputSpec> {
  const out = new Map<string, InputSpec>();
  for (const m of nodes) {
    const first = m.naKey ? m.inputs.find((i) => i.key === m.naKey) : undefined;
    if (first) for (const i of m.inputs) out.set(i.key, first);
  }
  return out;
}

/** Own input key → the cohort flag (与样本框无关联的部门) whose 是 waives it, for every cohort clause scored by a flag. */
export function cohortFlagsOf(nodes: Iterable<{ cohort?: { flagKey?: string; ownInputs: InputSpec[] } }>): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of nodes) if (m.cohort?.flagKey) for (const i of m.cohort.ownInputs) out.set(i.key, m.cohort.flagKey);
  return out;
}
