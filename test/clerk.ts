/**
 * Types like a clerk: for every kind of input cell, what people really put there — valid figures and
 * words, and everything else: numeric text (half- and full-width, with %, thousands separators, spaces,
 * units 分/次/项), other text, logicals, dates, error values, formulas typed into inputs, blanks, random
 * garbage, negatives, huge and tiny numbers, percentages both ways (0.85 and 85), long pastes.
 *
 * Each entry says what the cell holds (`content`, written as it is: text stays text) and what a reader of
 * the saved file hands the engine (`read`, as readFilledWorkbook gives it: a formula's result, an error
 * value as its text, a date as its serial number). Numbers have at most 12 significant digits: what a clerk
 * types (Excel keeps 15), far from the 1e-13 relative closeness at which spreadsheet comparisons
 * (LibreOffice's approxEqual, HyperFormula's epsilon) stop being exact.
 */
import { NA_WORDS, NO_WORDS, YES_WORDS, type InputSpec, type Raw } from '../src/engine';

export type Content =
  | number | string | boolean | null
  | { formula: string }
  | { date: string };

export interface ClerkEntry {
  content: Content;
  read: Raw;
  /** What kind of typing this is (for failure reports and coverage counts). */
  form: string;
}

const FW = (s: string): string => s.replace(/[0-9.,%]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));

/** Excel's serial number of an ISO date (1900 date system). */
export function dateSerial(iso: string): number {
  return Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000);
}

/** Formulas a clerk types into an input, with the result a reader sees. */
const FORMULAS: { formula: string; read: Raw; form: string }[] = [
  { formula: '2+3', read: 5, form: 'formula number' },
  { formula: '0.5+0.25', read: 0.75, form: 'formula fraction' },
  { formula: '1/0', read: '#DIV/0!', form: 'error #DIV/0!' },
  { formula: '"a"+1', read: '#VALUE!', form: 'error #VALUE!' },
  { formula: 'NA()', read: '#N/A', form: 'error #N/A' },
  { formula: '"8"', read: '8', form: 'formula text' },
  { formula: 'TRUE()', read: true, form: 'formula logical' },
];

const GARBAGE = ['abc', '无', '—', '/', '？', '待定', '见附件', '#REF!', '=1+1', '１０分', '十', 'N/A ', 'null', '0x10', '1e3', '3-5', '½', '\u3000', '   '];

/** Seeded choice helpers over a uniform [0, 1) source. */
class Pick {
  constructor(private readonly r: () => number) {}
  int(lo: number, hi: number): number { return lo + Math.floor(this.r() * (hi - lo + 1)); }
  one<T>(xs: readonly T[]): T { return xs[Math.floor(this.r() * xs.length)]; }
  chance(p: number): boolean { return this.r() < p; }
  /** A number with `places` decimals in [lo, hi], 12 significant digits at most. */
  num(lo: number, hi: number, places: number): number {
    const v = lo + this.r() * (hi - lo);
    return Number(Number(v.toFixed(places)).toPrecision(12));
  }
}

const text = (s: string, form: string): ClerkEntry => ({ content: s, read: s, form });
const number = (n: number, form: string): ClerkEntry => ({ content: n, read: n, form });

/** A plausible figure for the input (often valid, at its bounds, in its step). */
function goodNumber(spec: InputSpec, p: Pick): number {
  const lo = spec.min !== undefined ? Number(spec.min) : 0;
  const hi = spec.type === 'percent' ? Math.min(1, spec.max !== undefined ? Number(spec.max) : 1) : spec.max !== undefined ? Number(spec.max) : lo + 40;
  if (spec.step !== undefined) {
    const s = Number(spec.step);
    const base = spec.zeroOrRange || spec.min === undefined ? 0 : lo;
    const k = p.int(Math.ceil((lo - base) / s - 1e-9), Math.floor((hi - base) / s + 1e-9));
    return Number((base + k * s).toFixed(6));
  }
  if (spec.type === 'count') return p.int(Math.ceil(lo), Math.floor(hi));
  if (p.chance(0.2)) return p.one([lo, hi]);
  return p.num(lo, hi, spec.type === 'percent' ? 4 : p.int(0, 2));
}

/** What a clerk may put into a number cell (count, number, percent, score). */
function numberEntry(spec: InputSpec, p: Pick): ClerkEntry {
  const g = goodNumber(spec, p);
  const hi = spec.max !== undefined ? Number(spec.max) : spec.type === 'percent' ? 1 : 100;
  const unit = spec.unit ?? (spec.type === 'count' ? '次' : '');
  const forms: (() => ClerkEntry)[] = [
    () => number(g, 'number'),
    () => number(g, 'number'),
    () => number(g, 'number'),
    () => number(0, 'zero'),
    () => text(String(g), 'numeric text'),
    () => text(FW(String(g)), 'full-width numeric text'),
    () => text(` ${g} `, 'spaced numeric text'),
    () => text(`${Math.round(g * 100)}%`, 'percent text'),
    () => text(`${g}${unit || '分'}`, 'text with unit'),
    () => text(`${p.int(1, 9)},${p.int(100, 999)}`, 'thousands text'),
    () => text(`${p.int(1, 9)},${p.int(1, 9)}`, 'ambiguous comma text'),
    () => text(`${p.int(1, 9)} ${p.int(0, 9)} ${p.int(0, 9)}`, 'spaced digits text'),
    () => number(-p.num(0.5, 10, p.int(0, 1)), 'negative'),
    () => number(hi + p.num(0.5, 5, 1), 'above range'),
    () => number(p.one([1e9, 1e12, 1e13, 1e15, 123456789012]), 'huge'),
    () => number(p.one([1e-9, 0.000001, 0.0004]), 'tiny'),
    () => number(p.num(0.1, 9.9, 1), 'fraction'),
    () => number(g === 0 ? 85 : Math.round(g * 100), 'percent as points (85 for 85%)'),
    () => number(p.num(1.01, 1.5, 2), 'just above 1 (120% stored as 1.2)'),
    () => number(Number((g + 0.3).toFixed(6)), 'off step'),
    () => ({ content: p.one([true, false]), read: undefined as unknown as Raw, form: 'logical' }),
    () => { const d = `20${p.int(10, 24)}-0${p.int(1, 9)}-1${p.int(0, 9)}`; return { content: { date: d }, read: dateSerial(d), form: 'date' }; },
    () => { const f = p.one(FORMULAS); return { content: { formula: f.formula }, read: f.read, form: f.form }; },
    () => text(p.one(GARBAGE), 'garbage'),
    () => text(p.one(['是', '否', 'Y']), 'yes/no word in a number cell'),
    () => text('x'.repeat(p.int(300, 2000)), 'long paste'),
    () => ({ content: null, read: null, form: 'blank' }),
    () => ({ content: null, read: null, form: 'blank' }),
  ];
  if (spec.naAllowed) forms.push(() => text(p.one([...NA_WORDS, 'n/a', ' 不涉及 ', '不 涉及']), 'not applicable'));
  return fixLogical(p.one(forms)());
}

/** A logical's read value is itself (set here so the table above stays readable). */
function fixLogical(e: ClerkEntry): ClerkEntry {
  return e.form === 'logical' ? { ...e, read: e.content as boolean } : e;
}

function wordEntry(spec: InputSpec, p: Pick): ClerkEntry {
  const good = spec.type === 'yesno' ? [...YES_WORDS, ...NO_WORDS, 'y', 'n'] : spec.options ?? ['?'];
  const w = p.one(good);
  const forms: (() => ClerkEntry)[] = [
    () => text(w, 'word'),
    () => text(w, 'word'),
    () => text(w, 'word'),
    () => text(`  ${w} `, 'spaced word'),
    () => text(FW(w) === w ? `${w}${w}` : FW(w), 'mangled word'),
    () => text(p.one(['yes', 'no', 'TRUE', '对', '错', '1', '0', '没有']), 'wrong word'),
    () => number(p.int(0, 2), 'number in a word cell'),
    () => ({ content: p.one([true, false]), read: undefined as unknown as Raw, form: 'logical' }),
    () => { const f = p.one(FORMULAS); return { content: { formula: f.formula }, read: f.read, form: f.form }; },
    () => text(p.one(GARBAGE), 'garbage'),
    () => ({ content: null, read: null, form: 'blank' }),
  ];
  if (spec.naAllowed) forms.push(() => text(p.one([...NA_WORDS, 'n/a']), 'not applicable'));
  if (spec.type === 'yesno') forms.push(() => text(w.toLowerCase(), 'lower-case word'));
  return fixLogical(p.one(forms)());
}

/** One cell as a clerk fills it. */
export function clerkEntry(spec: InputSpec, r: () => number): ClerkEntry {
  const p = new Pick(r);
  return spec.type === 'yesno' || spec.type === 'choice' ? wordEntry(spec, p) : numberEntry(spec, p);
}

/** Every input of a sheet as a clerk fills it. */
export function clerkSheet(specs: readonly InputSpec[], r: () => number): Map<string, ClerkEntry> {
  return new Map(specs.map((s) => [s.key, clerkEntry(s, r)]));
}

/** The engine's inputs for a filled sheet: what a reader of the file gives it (blanks left out). */
export function readInputs(m: Map<string, ClerkEntry>): Record<string, Raw> {
  const out: Record<string, Raw> = {};
  for (const [k, e] of m) if (e.read !== null && e.read !== undefined && e.read !== '') out[k] = e.read;
  return out;
}
