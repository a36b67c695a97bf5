/**
 * What a clerk types, and how it becomes a value. Accepts what people really type in Chinese offices:
 * `85`, `85%`, `0.85`, full-width `８５`, `１，２００`, `是/否/√/×/有/无`, a blank (not yet entered).
 * Anything else is an input problem with a code; it never becomes NaN and is never silently clamped.
 */
import { Dec, ONE, cmp, fmt } from './decimal';
import { NA_WORDS, NO_WORDS, YES_WORDS, readPct, type Value } from './expr';
import { isNaMark, naHint } from './marks';
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
}


export type Raw = string | number | boolean | null | undefined;

export interface Parsed {
  value: Value;
  /** Typed 不涉及 where allowed. */
  na: boolean;
  blank: boolean;
  problems: Problem[];
}

/** No figure a clerk enters is anywhere near this; beyond it a typo is far likelier than a fact. */
const MAX_FIGURE = new Dec('1e12');

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

const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** Parses a number as typed; returns null when it is not one. `percent` says whether a % sign was used. */
const SIMPLE_NUMBER = /^\d+(\.\d+)?$/;

export function parseNumberText(s: string): { v: Dec; percent: boolean } | null {
  return parseNormalized(normalizeText(s));
}

/** parseNumberText() of a text already through normalizeText() (which leaves a normalized text as it is). */
function parseNormalized(s: string): { v: Dec; percent: boolean } | null {
  if (SIMPLE_NUMBER.test(s)) return { v: new Dec(s), percent: false };
  let t = s.replace(/[,，\s]/g, '');
  let percent = false;
  if (t.endsWith('%')) {
    percent = true;
    t = t.slice(0, -1);
  }
  // Units clerks append: 次, 分, 件, 条, 项, 人, 天, ㎡, 平方米, 个, 名, 位
  t = t.replace(/(次|分|件|条|项|人|天|㎡|平方米|个|名|位|篇|起)$/u, '');
  if (!NUMBER_RE.test(t)) return null;
  const v = new Dec(t);
  return { v: percent ? v.div(100) : v, percent };
}

interface Bounds { lo: Dec | null; hi: Dec | null; step: Dec | null }
const BOUNDS = new WeakMap<InputSpec, Bounds>();
function boundsOf(spec: InputSpec): Bounds {
  let b = BOUNDS.get(spec);
  if (!b) {
    BOUNDS.set(spec, (b = {
      lo: spec.min !== undefined ? new Dec(spec.min) : null, hi: spec.max !== undefined ? new Dec(spec.max) : null,
      step: spec.step !== undefined ? new Dec(spec.step) : null,
    }));
  }
  return b;
}

const NA_LONGEST = Math.max(...NA_WORDS.map((w) => w.length));

/** Shared by every clean parse (most of them): never mutated; a problem gets a fresh array. */
const NO_PROBLEMS: Problem[] = [];

function bad(out: Parsed, spec: InputSpec, text: string, code: Parameters<typeof problem>[0], params: Record<string, string | number>): Parsed {
  out.problems = [problem(code, spec.key, { label: spec.label, value: text, ...naHint(spec), ...params })];
  return out;
}

export function parseInput(spec: InputSpec, raw: Raw): Parsed {
  const out: Parsed = { value: null, na: false, blank: false, problems: NO_PROBLEMS };
  if (raw === null || raw === undefined) {
    out.blank = true;
    return out;
  }
  const text = typeof raw === 'string' ? normalizeText(raw) : String(raw);
  if (text === '' && typeof raw === 'string') {
    out.blank = true;
    return out;
  }
  const isNaWord = typeof raw === 'string' && ((text.length <= NA_LONGEST && (NA_WORDS as readonly string[]).includes(text.toUpperCase())) || (spec.naAllowed === true && text.length <= 8 && isNaMark(text, spec.type)));
  if (isNaWord && spec.naAllowed) {
    out.na = true;
    out.value = { t: 'na' };
    return out;
  }
  if (isNaWord) return bad(out, spec, text, 'input.notApplicableRefused', {});

  switch (spec.type) {
    case 'yesno': {
      if (typeof raw === 'boolean') return bad(out, spec, text, 'input.notYesNo', {});
      const t = text.toUpperCase();
      if ((YES_WORDS as readonly string[]).includes(t)) out.value = { t: 'bool', v: true };
      else if ((NO_WORDS as readonly string[]).includes(t)) out.value = { t: 'bool', v: false };
      else return bad(out, spec, text, 'input.notYesNo', {});
      return out;
    }
    case 'choice': {
      const opts = spec.options ?? [];
      if (!opts.includes(text)) return bad(out, spec, text, 'input.unknownChoice', { options: opts.join('、') });
      out.value = { t: 'text', v: text };
      return out;
    }
    default: {
      let n: Dec;
      let withSign = false;
      if (typeof raw === 'number') {
        if (!Number.isFinite(raw)) return bad(out, spec, text, 'input.notNumber', {});
        n = new Dec(raw);
      } else if (typeof raw === 'boolean') {
        return bad(out, spec, text, 'input.notNumber', {});
      } else {
        const parsed = parseNormalized(text);
        if (!parsed) return bad(out, spec, text, 'input.notNumber', {});
        n = parsed.v;
        withSign = parsed.percent;
      }
      if (n.e >= 12 && n.abs().gt(MAX_FIGURE)) return bad(out, spec, text, 'input.tooLarge', { max: MAX_FIGURE.toFixed() });
      // 85 and 0.85 both mean 85%; "150%" typed with its sign is 1.5 and must stay 1.5 (then too high).
      if (spec.type === 'percent' && !withSign) n = readPct(n);
      if (n.isNegative() && !n.isZero()) return bad(out, spec, text, 'input.negative', { value: fmt(n, 6) });
      if (spec.type === 'count' && !n.isInteger()) return bad(out, spec, text, 'input.notInteger', { value: fmt(n, 6) });
      if (spec.type === 'percent' && cmp(n, ONE) > 0) return bad(out, spec, text, 'input.ratioAbove1', { value: fmt(n.times(100), 4) + '%' });
      const { lo, hi, step } = boundsOf(spec);
      const inRange = (lo === null || cmp(n, lo) >= 0) && (hi === null || cmp(n, hi) <= 0);
      if (!inRange && !(spec.zeroOrRange && n.isZero())) {
        return bad(out, spec, text, 'input.outOfRange', { value: fmt(n, 6), min: lo ? fmt(lo, 6) : '0', max: hi ? fmt(hi, 6) : '∞' });
      }
      if (spec.step !== undefined && !n.isZero()) {
        const base = spec.zeroOrRange || lo === null ? new Dec(0) : lo;
        if (!n.minus(base).mod(step!).isZero()) return bad(out, spec, text, 'input.step', { value: fmt(n, 6), step: spec.step });
      }
      out.value = { t: 'num', v: n };
      return out;
    }
  }
}
