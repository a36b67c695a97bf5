/**
 * Shared helpers of the engine's proof tests: inline one-criterion programs, the rubric files to run
 * the properties over (found at run time), and generators of what a clerk may validly type.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import {
  compileSheet, formatProblem, hasErrors, loadProgram, score, NA_WORDS, NO_WORDS, YES_WORDS,
  type CohortEntry, type InputSpec, type NodeResult, type Problem, type Program, type Raw, type UnitResult, type Variant,
} from '../../src/engine';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// ---------- inline rubrics ----------

export interface OneOpts {
  /** YAML (flow) of `policies`, e.g. `{ netCap: 5 }`. */
  policies?: string;
  /** YAML (flow) of `vetoes`. */
  vetoes?: string;
  /** YAML (flow) of `units`. */
  units?: string;
  /** Declared points of the wrapping section; default the criterion's points. */
  sectionPoints?: number | null;
  /** More top-level sections, each a YAML flow mapping. */
  extra?: string[];
  fullMark?: number;
  /** More children of the wrapping section after the criterion, each a YAML flow mapping. */
  siblings?: string[];
}

/** The YAML text of a program whose only base section wraps the given criterion (a YAML flow mapping). */
export function oneYaml(node: string, o: OneOpts = {}): string {
  // Flow mappings written over several lines in a test: one line each in the block document.
  const flat = (x: string) => x.replace(/\s*\n\s*/g, ' ');
  node = flat(node);
  o = { ...o, siblings: o.siblings?.map(flat), extra: o.extra?.map(flat) };
  const parsed = parse(node) as { points?: number };
  const sp = o.sectionPoints === undefined ? parsed.points : o.sectionPoints;
  const sections = [
    `      - { id: s, title: 一、测试项目, ${sp === null || sp === undefined ? '' : `points: ${sp}, `}children: [ ${[node, ...(o.siblings ?? [])].join(', ')} ] }`,
    ...(o.extra ?? []).map((x) => `      - ${x}`),
  ];
  return [
    'id: t',
    'version: 1.0.0',
    'title: 测试考核',
    'issuer: 测试办',
    'year: 2018',
    'source: test',
    `policies: ${o.policies ?? '{}'}`,
    ...(o.vetoes ? [`vetoes: ${o.vetoes}`] : []),
    'variants:',
    '  - id: a',
    '    name: 县直',
    '    title: 测试打分表',
    ...(o.fullMark !== undefined ? [`    fullMark: ${o.fullMark}`] : []),
    '    columns: [{ header: 考核项目, source: level1 }, { header: 分值, source: points }]',
    '    sections:',
    ...sections,
    ...(o.units ? [`units: ${o.units}`] : []),
    '',
  ].join('\n');
}

/** Loads a program that must have no errors (warnings are returned). */
export function loadOk(text: string, file = 'inline.yaml'): { program: Program; problems: Problem[] } {
  const r = loadProgram(text, file);
  if (!r.program || hasErrors(r.problems)) throw new Error(`rubric has errors:\n${r.problems.map((p) => formatProblem(p)).join('\n')}\n${text}`);
  return { program: r.program, problems: r.problems };
}

/** A one-criterion program (see oneYaml). */
export function one(node: string, o: OneOpts = {}): Program {
  return loadOk(oneYaml(node, o)).program;
}

/** Scores one unit (default 甲) of variant a. */
export function run(program: Program, inputs: Record<string, unknown>, unit = '甲', cohort: CohortEntry[] = []): UnitResult {
  return score(program, { name: unit, variant: program.units?.some((u) => u.name === unit) ? undefined : 'a' }, inputs as never, cohort);
}

export function findNode(u: UnitResult | NodeResult[], id: string): NodeResult {
  const list = Array.isArray(u) ? u : u.nodes;
  for (const n of list) {
    if (n.id === id) return n;
    const hit = n.children.length ? findNodeOrNull(n.children, id) : null;
    if (hit) return hit;
  }
  throw new Error(`no node ${id}`);
}
function findNodeOrNull(list: NodeResult[], id: string): NodeResult | null {
  try { return findNode(list, id); } catch { return null; }
}

export function allNodes(list: NodeResult[]): NodeResult[] {
  return list.flatMap((n) => [n, ...allNodes(n.children)]);
}

export const codes = (ps: readonly Problem[]): string[] => ps.map((p) => p.code);

// ---------- the rubrics the properties run over ----------

export interface RubricFile {
  name: string;
  file: string;
  text: string;
}

/** The fixture, this folder's fixtures, and every rubrics/*.yaml present now (other work adds them). */
export function rubricFiles(): RubricFile[] {
  const out: RubricFile[] = [];
  const add = (file: string) => out.push({ name: basename(file), file, text: readFileSync(file, 'utf8') });
  add(join(ROOT, 'test/fixtures/mini.yaml'));
  const own = join(ROOT, 'test/engine/fixtures');
  if (existsSync(own)) readdirSync(own).filter((f) => f.endsWith('.yaml')).sort().forEach((f) => add(join(own, f)));
  const dir = join(ROOT, 'rubrics');
  if (existsSync(dir)) readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().forEach((f) => add(join(dir, f)));
  return out;
}

/** Rubric files that load without errors, with their programs. */
export function loadedRubrics(): (RubricFile & { program: Program })[] {
  return rubricFiles().flatMap((r) => {
    const l = loadProgram(r.text, r.name);
    return l.program && !hasErrors(l.problems) ? [{ ...r, program: l.program }] : [];
  });
}

export function criteriaCount(p: Program): number {
  let n = 0;
  const walk = (nodes: { children?: unknown[]; rule?: unknown }[]): void => nodes.forEach((x) => {
    if (x.rule) n++;
    if (x.children) walk(x.children as never);
  });
  p.variants.forEach((v) => walk(v.sections as never));
  return n;
}

/** The units of a variant: the program's list, or made-up names when it lists none. At most `max`. */
export function unitsOf(p: Program, v: Variant, max = 6): { name: string; tags: string[] }[] {
  const listed = (p.units ?? []).filter((u) => u.variant === v.id).map((u) => ({ name: u.name, tags: u.tags ?? [] }));
  if (listed.length) {
    // Keep units with distinct tag sets first, so every appliesTo branch is seen.
    const seen = new Set<string>();
    const first = listed.filter((u) => { const k = u.tags.join(','); if (seen.has(k)) return false; seen.add(k); return true; });
    const rest = listed.filter((u) => !first.includes(u));
    return [...first, ...rest].slice(0, max);
  }
  return Array.from({ length: Math.min(max, 4) }, (_, i) => ({ name: `单位${i + 1}`, tags: [] }));
}

// ---------- what a clerk may validly type ----------

/** A valid entry: what the clerk types (raw) and what the spreadsheet cell holds (cell). */
export interface Entry {
  raw: Raw;
  cell: string | number | null;
}

const toFullWidth = (s: string): string => s.replace(/[0-9.,%]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));

/** Decimal text of an integer scaled by 10^-places, exact. */
function scaled(n: number, places: number): string {
  if (places === 0) return String(n);
  const neg = n < 0;
  const s = String(Math.abs(n)).padStart(places + 1, '0');
  const t = `${s.slice(0, -places)}.${s.slice(-places)}`.replace(/\.?0+$/, '');
  return (neg ? '-' : '') + (t === '' ? '0' : t);
}

function numberForms(text: string): fc.Arbitrary<Raw> {
  const n = Number(text);
  return fc.constantFrom<Raw>(n, text, ` ${text} `, toFullWidth(text));
}

/** Arbitrary of a valid entry for the spec, blank included (and 不涉及 where allowed). */
export function validEntry(spec: InputSpec, opts: { blank?: boolean; na?: boolean } = {}): fc.Arbitrary<Entry> {
  const blank = fc.constantFrom<Raw>(null, '', '  ').map((raw): Entry => ({ raw, cell: null }));
  const na = fc.constantFrom(...NA_WORDS, 'n/a').map((w): Entry => ({ raw: w, cell: w }));
  const lo = spec.min !== undefined ? Number(spec.min) : 0;
  const hi = spec.max !== undefined ? Number(spec.max) : undefined;
  let main: fc.Arbitrary<Entry>;
  switch (spec.type) {
    case 'yesno':
      main = fc.constantFrom<string>(...YES_WORDS, ...NO_WORDS, 'y', 'n').map((w) => ({ raw: w, cell: w }));
      break;
    case 'choice':
      main = fc.constantFrom(...(spec.options ?? ['?'])).map((w) => ({ raw: w, cell: w }));
      break;
    case 'count': {
      const top = Math.max(lo, hi ?? lo + 12);
      main = fc.integer({ min: Math.ceil(lo), max: Math.floor(top) }).chain((n) =>
        fc.constantFrom<Raw>(n, String(n), `${n}${spec.unit ?? '次'}`, toFullWidth(String(n))).map((raw) => ({ raw, cell: n })));
      break;
    }
    case 'percent': {
      const top = Math.min(1, hi ?? 1);
      main = fc.integer({ min: 0, max: Math.round(top * 10000) }).chain((k) => {
        const frac = scaled(k, 4);
        const pct = scaled(k, 2);
        const forms: Raw[] = [Number(frac), `${pct}%`, toFullWidth(`${pct}%`)];
        return fc.constantFrom(...forms).map((raw) => ({ raw, cell: Number(frac) }));
      });
      break;
    }
    case 'number': {
      const top = hi ?? lo + 2000;
      main = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.double({ min: 0, max: 1, noNaN: true })).chain(([places, f]) => {
        const k = Math.round((lo + f * (top - lo)) * 10 ** places);
        const text = scaled(Math.max(Math.ceil(lo * 10 ** places), Math.min(k, Math.floor(top * 10 ** places))), places);
        const forms = [numberForms(text)];
        if (Number(text) >= 1000 && places === 0) forms.push(fc.constant<Raw>(Number(text).toLocaleString('en-US')));
        return fc.oneof(...forms).map((raw) => ({ raw, cell: Number(text) }));
      });
      break;
    }
    case 'score': {
      const step = spec.step !== undefined ? Number(spec.step) : undefined;
      const top = hi ?? lo + 20;
      const base = spec.zeroOrRange || spec.min === undefined ? 0 : lo;
      let values: fc.Arbitrary<string>;
      if (step !== undefined) {
        // base + k × step within [lo, hi], computed in integer hundredths/thousandths to stay exact.
        const scale = 1000;
        const s = Math.round(step * scale);
        const b = Math.round(base * scale);
        const kLo = Math.ceil((Math.round(lo * scale) - b) / s);
        const kHi = Math.floor((Math.round(top * scale) - b) / s);
        values = kHi >= kLo ? fc.integer({ min: kLo, max: kHi }).map((k) => scaled(b + k * s, 3)) : fc.constant(scaled(Math.round(lo * scale), 3));
      } else {
        values = fc.integer({ min: Math.round(lo * 100), max: Math.round(top * 100) }).map((k) => scaled(k, 2));
      }
      if (spec.zeroOrRange) values = fc.oneof(values, fc.constant('0'));
      main = values.chain((text) => numberForms(text).map((raw) => ({ raw, cell: Number(text) })));
      break;
    }
  }
  const arbs: fc.Arbitrary<Entry>[] = [main, main, main];
  if (opts.blank !== false) arbs.push(blank);
  if (opts.na !== false && spec.naAllowed) arbs.push(na);
  return fc.oneof(...arbs);
}

/** Valid entries for every input (and veto) of the unit's sheet. */
export function validInputs(program: Program, variant: Variant, unit: { name: string; tags: string[] }, opts: { blank?: boolean; na?: boolean } = {}): fc.Arbitrary<Map<string, Entry>> {
  const sheet = compileSheet(program, variant, unit);
  const specs = [...sheet.inputs, ...sheet.vetoInputs];
  return fc.tuple(...specs.map((s) => validEntry(s, opts))).map((es) => consistentPairs(new Map(specs.map((s, i) => [s.key, es[i]]))));
}

/**
 * Valid means valid together too: a proportional criterion's required number (`#of`) is above 0 and
 * not below what was done (`#done`) — otherwise input.zeroRequired / input.doneExceedsRequired.
 */
function consistentPairs(m: Map<string, Entry>): Map<string, Entry> {
  for (const [k, of] of m) {
    if (!k.endsWith('#of') || typeof of.cell !== 'number') continue;
    const doneKey = `${k.slice(0, -3)}#done`;
    const done = m.get(doneKey);
    const d = done && typeof done.cell === 'number' ? done.cell : 0;
    if (of.cell === 0 || of.cell < d) {
      const fixed = Math.max(1, Math.ceil(d));
      m.set(k, { raw: fixed, cell: fixed });
    }
  }
  return m;
}

export const rawsOf = (m: Map<string, Entry>): Record<string, Raw> => Object.fromEntries([...m].map(([k, e]) => [k, e.raw]));

/** Deterministic pseudo-random numbers (mulberry32): fast, reproducible from a seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
