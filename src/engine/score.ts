/**
 * Scoring: inputs as a clerk typed them → a result tree mirroring the rubric, with every node's raw
 * figure, the cap or floor applied (limit and source), its points and a 备注 a clerk can read; then
 * totals, conversion, veto, grade, and ranks across the cohort (ties share a rank).
 */
import { Dec, ZERO, fmt } from './decimal';
import * as X from './expr';
import type { Value } from './expr';
import { parseInput, type InputSpec, type Raw } from './inputs';
import { kindOf } from './kinds';
import type { Program, Variant } from './model';
import { compileSheet, resolveUnit, vetoKey, type NodeModel, type SheetModel } from './compile';
import { appliesToUnit, findVariant, nodeLabel, walkVariant } from './tree';
import { problem, type Problem } from './problems';

export type InputsIn = Record<string, Raw | Record<string, Raw>>;

export interface Limit {
  value: number;
  /** declared: the node's 分值; rule: the criterion's own cap or range (5分封顶); floor: 扣完为止 / 不低于0. */
  source: 'declared' | 'rule' | 'floor';
  applied: 'cap' | 'floor';
}

export interface NodeResult {
  id: string;
  title: string;
  depth: number;
  role: 'base' | 'bonus' | 'penalty';
  effect: 'add' | 'subtract';
  kind?: string;
  max: number | null;
  raw: number;
  points: number;
  limit?: Limit;
  applicable: boolean;
  na: boolean;
  complete: boolean;
  /** Input keys not yet entered. */
  missing: string[];
  explanation: { zh: string; en: string };
  children: NodeResult[];
}

export interface UnitResult {
  unit: string;
  variant: string;
  base: number;
  bonus: number;
  penalty: number;
  adjustment: number;
  final: number;
  converted: number | null;
  rank: number | null;
  veto: boolean;
  vetoItems: string[];
  grade: string | null;
  complete: boolean;
  missing: number;
  nodes: NodeResult[];
  problems: Problem[];
}

export interface CohortEntry {
  unit: string;
  variant?: string;
  /** Tags for a unit the program does not list (or extra ones): they decide applicability (R21). */
  tags?: string[];
  inputs: InputsIn;
}

/** As a JS number; a figure past the double range (a pathological entry, already reported) saturates. */
const n = (d: Dec): number => {
  const v = d.toNumber();
  return Number.isFinite(v) ? v : d.isNegative() ? -Number.MAX_VALUE : Number.MAX_VALUE;
};

interface Prepared {
  entry: CohortEntry;
  unit: string;
  sheet: SheetModel;
  values: Map<string, Value>;
  blanks: Set<string>;
  problems: Problem[];
}

/** Maps the accepted input shapes onto input keys: `id#name`, `id` (its first input), `{ id: { name: v } }`, veto ids. */
const INDEX = new WeakMap<SheetModel, { specs: Map<string, InputSpec>; byCriterion: Map<string, InputSpec[]>; checked: NodeModel[] }>();
/** Per compiled sheet, once: inputs by key and by criterion, and the criteria with cross-input checks or 不涉及. */
function indexOf(sheet: SheetModel) {
  let ix = INDEX.get(sheet);
  if (!ix) {
    const specs = new Map<string, InputSpec>([...sheet.inputs, ...sheet.vetoInputs].map((s) => [s.key, s]));
    const byCriterion = new Map<string, InputSpec[]>();
    for (const s of sheet.inputs) byCriterion.set(s.criterionId, [...(byCriterion.get(s.criterionId) ?? []), s]);
    const checked = [...sheet.nodes.values()].filter((m) => m.isCriterion && m.ctx && m.node.rule && m.inputs.length && (m.naKey || kindOf(m.node.rule).validate));
    INDEX.set(sheet, (ix = { specs, byCriterion, checked }));
  }
  return ix;
}

export function normalizeInputs(sheet: SheetModel, raw: InputsIn): { values: Map<string, Raw>; problems: Problem[] } {
  const { specs, byCriterion } = indexOf(sheet);
  const values = new Map<string, Raw>();
  const problems: Problem[] = [];
  const unknown = (k: string) => problems.push(problem('input.unknownKey', k, { key: k }));
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'variant' || k === 'tags') continue;
    if (specs.has(k)) values.set(k, v as Raw);
    else if (byCriterion.has(k)) {
      const list = byCriterion.get(k)!;
      if (v !== null && typeof v === 'object') {
        for (const [name, vv] of Object.entries(v)) {
          const s = list.find((x) => x.name === name);
          if (s) values.set(s.key, vv);
          else unknown(`${k}#${name}`);
        }
      } else values.set(list[0].key, v);
    } else if (specs.has(vetoKey(k))) values.set(vetoKey(k), v as Raw);
    else if (!sheet.nodes.has(k)) unknown(k); // a criterion not applicable to this unit is silently fine
  }
  return { values, problems };
}

/**
 * Compiled sheets, kept per program and reused across calls: units whose applicability (R21) is the
 * same share one sheet, so scoring 40 units compiles a handful of sheets, once.
 */
const SHEETS = new WeakMap<Program, Map<string, SheetModel>>();

function sheetFor(program: Program, variant: Variant, u: { name: string; tags: string[] }): SheetModel {
  let byKey = SHEETS.get(program);
  if (!byKey) SHEETS.set(program, (byKey = new Map()));
  const sig: string[] = [variant.id];
  const vi = program.variants.indexOf(variant);
  walkVariant(variant, vi, ({ node }) => { if (node.appliesTo) sig.push(appliesToUnit(node, u) ? '1' : '0'); });
  const k = sig.join('');
  let sheet = byKey.get(k);
  if (!sheet) byKey.set(k, (sheet = compileSheet(program, variant, u)));
  return sheet;
}

function prepare(program: Program, entry: CohortEntry): Prepared | { error: Problem } {
  const u = resolveUnit(program, entry.unit, entry.variant, entry.tags);
  const variant = u ? findVariant(program, u.variant) : undefined;
  if (!u || !variant) return { error: problem('input.unknownUnit', entry.unit, { unit: entry.unit }) };
  const sheet = sheetFor(program, variant, u);
  const { values: raws, problems } = normalizeInputs(sheet, entry.inputs);
  const values = new Map<string, Value>();
  const blanks = new Set<string>();
  for (const spec of [...sheet.inputs, ...sheet.vetoInputs]) {
    const p = parseInput(spec, raws.get(spec.key));
    if (p.blank && !spec.optional) blanks.add(spec.key);
    if (p.problems.length) problems.push(...p.problems);
    values.set(spec.key, p.value);
  }
  for (const m of indexOf(sheet).checked) {
    if (!m.ctx || !m.node.rule) continue;
    // A criterion marked 不涉及 needs nothing more.
    if (m.naKey && values.get(m.naKey)?.t === 'na') {
      for (const i of m.inputs) blanks.delete(i.key);
      continue;
    }
    const k = kindOf(m.node.rule);
    if (k.validate) problems.push(...k.validate(m.node.rule, m.ctx, (key) => values.get(key) ?? null));
  }
  return { entry, unit: u.name, sheet, values, blanks, problems };
}

function rankOf(figures: Dec[], mine: Dec, order: 'desc' | 'asc'): Dec {
  let better = 0;
  for (const f of figures) if (order === 'desc' ? f.gt(mine) : f.lt(mine)) better++;
  return new Dec(better + 1);
}

/**
 * A node's result. `explanation` is built when first read (scoring many units for their totals need
 * not pay for the words); toJSON() includes it, so a result serialises like a plain object.
 */
class Result implements NodeResult {
  readonly id: string;
  readonly title: string;
  readonly depth: number;
  readonly role: 'base' | 'bonus' | 'penalty';
  readonly effect: 'add' | 'subtract';
  readonly kind?: string;
  readonly applicable: boolean;
  readonly complete: boolean;
  #make: (() => { zh: string; en: string }) | null;
  #explanation: { zh: string; en: string } | null = null;
  constructor(
    m: NodeModel, title: string, readonly max: number | null, readonly raw: number, readonly points: number,
    readonly limit: Limit | undefined, readonly na: boolean, readonly missing: string[], readonly children: NodeResult[],
    make: () => { zh: string; en: string },
  ) {
    this.id = m.id; this.title = title; this.depth = m.depth; this.role = m.role; this.effect = m.effect;
    this.kind = m.node.rule?.kind; this.applicable = m.applicable; this.complete = missing.length === 0;
    this.#make = make;
  }
  get explanation(): { zh: string; en: string } {
    if (!this.#explanation) {
      this.#explanation = this.#make!();
      this.#make = null;
    }
    return this.#explanation;
  }
  toJSON(): NodeResult {
    return { ...this, explanation: this.explanation, children: this.children };
  }
}

const NONE: string[] = [];
const TITLES = new WeakMap<NodeModel, string>();
const MAXES = new WeakMap<NodeModel, number | null>();
const titleOf = (m: NodeModel): string => {
  let t = TITLES.get(m);
  if (t === undefined) TITLES.set(m, (t = nodeLabel(m.node)));
  return t;
};
const maxOf = (m: NodeModel): number | null => {
  let v = MAXES.get(m);
  if (v === undefined) MAXES.set(m, (v = m.points ? n(m.points) : null));
  return v;
};

function naExplanation(m: NodeModel, na: boolean, points: Dec, policy: 'full' | 'rescale' | 'zero'): { zh: string; en: string } {
  const why = na ? '不涉及' : '本项不考核本单位';
  const whyEn = na ? 'Marked not applicable' : 'Does not concern this unit';
  const how = m.role !== 'base' ? { zh: '不计分', en: 'counts 0' }
    : policy === 'full' ? { zh: `按满分计${fmt(points, 4)}分`, en: `full points, ${fmt(points, 4)}` }
    : policy === 'rescale' ? { zh: '不计入满分，总分按适用项目折算', en: 'left out; the base is rescaled' }
    : { zh: '不得分', en: 'counts 0' };
  return { zh: `${why}，${how.zh}`, en: `${whyEn}: ${how.en}` };
}

function subtotalExplanation(m: NodeModel, children: NodeResult[], raw: Dec, points: Dec): { zh: string; en: string } {
  const subs = children.filter((c) => c.effect === 'subtract' && c.points !== 0);
  const subZh = subs.length ? `（含扣分${subs.map((c) => fmt(new Dec(c.points), 4)).join('、')}分）` : '';
  const subEn = subs.length ? ` (after deductions of ${subs.map((c) => fmt(new Dec(c.points), 4)).join(', ')})` : '';
  if (m.cap && raw.gt(m.cap)) return { zh: `小计${fmt(raw, 4)}分${subZh}，超过本项分值${fmt(m.cap)}分，按${fmt(m.cap)}分计`, en: `Subtotal ${fmt(raw, 4)}${subEn} exceeds the ${fmt(m.cap)} points of this item; counted as ${fmt(m.cap)}` };
  if (m.floor && raw.lt(m.floor)) return { zh: `小计${fmt(raw, 4)}分${subZh}，不低于0分，按0分计`, en: `Subtotal ${fmt(raw, 4)}${subEn} is below 0; counted as 0` };
  if (m.node.aggregate === 'max') return { zh: `取最高一项${fmt(points, 4)}分`, en: `The highest item: ${fmt(points, 4)}` };
  return { zh: `小计${fmt(points, 4)}分${subZh}`, en: `Subtotal ${fmt(points, 4)}${subEn}` };
}

function evaluateUnit(p: Prepared, cohortFigures: (variant: string, key: string) => Dec[]): UnitResult {
  const { sheet, values } = p;
  const memo = new Map<string, Dec>();
  const env: X.EvalEnv = {
    value: (k) => values.get(k) ?? null,
    ref: (id) => {
      let v = memo.get(id);
      if (v === undefined) {
        const e = sheet.cells.get(id);
        v = e ? X.evaluate(e, env) : ZERO;
        memo.set(id, v);
      }
      return v;
    },
    rank: (key, order) => {
      const mine = values.get(key);
      return rankOf(cohortFigures(sheet.variant.id, key), mine && mine.t === 'num' ? mine.v : ZERO, order);
    },
  };

  const noBlanks = p.blanks.size === 0;
  const result = (m: NodeModel): NodeResult => {
    const points = env.ref(m.id);
    const children = m.children.map(result);
    const na = m.naKey !== undefined && values.get(m.naKey)?.t === 'na';
    const missing = noBlanks ? NONE : m.isCriterion ? m.inputs.filter((i) => p.blanks.has(i.key)).map((i) => i.key) : children.flatMap((c) => c.missing);
    let raw = points;
    let limit: Limit | undefined;
    let make: () => { zh: string; en: string };
    if (!m.applicable || na) {
      make = () => naExplanation(m, na, points, sheet.program.policies.notApplicable.policy);
    } else if (m.isCriterion && m.ctx && m.node.rule) {
      // The rule's own clamp can only have acted when the points sit on a bound; otherwise raw = points.
      const lim = m.limits;
      if (lim && ((lim.cap && points.gte(lim.cap)) || (lim.floor && points.lte(lim.floor)))) {
        raw = X.evaluate(lim.raw, env);
        if (lim.cap && raw.gt(lim.cap)) limit = { value: n(lim.cap), source: m.points && lim.cap.eq(m.points) ? 'declared' : 'rule', applied: 'cap' };
        else if (lim.floor && raw.lt(lim.floor)) limit = { value: n(lim.floor), source: 'floor', applied: 'floor' };
      }
      const rule = m.node.rule, ctx = m.ctx;
      make = () => {
        const required = m.inputs.filter((i) => !i.optional);
        if (required.length > 0 && missing.length === required.length) {
          // Nothing entered yet: say so rather than explain a provisional full or zero score.
          return { zh: `未录入（暂按${fmt(points, 4)}分计）`, en: `Not yet entered (provisionally ${fmt(points, 4)})` };
        }
        const partVals = new Map(m.parts.map((pt) => [pt.name, X.evaluate(pt.expr, env)]));
        const e = kindOf(rule).explain(rule, ctx, {
          points, part: (name) => partVals.get(name) ?? ZERO, value: env.value, ev: (x) => X.evaluate(x, env),
        });
        if (!missing.length) return e;
        const labels = m.inputs.filter((i) => missing.includes(i.key)).map((i) => i.label);
        return { zh: `${e.zh}（未录入：${labels.join('、')}）`, en: `${e.en} (not yet entered: ${labels.join(', ')})` };
      };
    } else {
      if ((m.cap && points.gte(m.cap)) || (m.floor && points.lte(m.floor))) raw = X.evaluate(m.raw, env);
      if (m.cap && raw.gt(m.cap)) limit = { value: n(m.cap), source: 'declared', applied: 'cap' };
      else if (m.floor && raw.lt(m.floor)) limit = { value: n(m.floor), source: 'floor', applied: 'floor' };
      const r = raw;
      make = () => subtotalExplanation(m, children, r, points);
    }
    const pointsN = n(points);
    return new Result(m, titleOf(m), maxOf(m), raw === points ? pointsN : n(raw), pointsN, limit, na, missing, children, make);
  };

  const nodes = sheet.roots.map(result);
  const vetoItems = sheet.vetoInputs.filter((i) => X.test(X.yes(i.key), env)).map((i) => i.label);
  const final = env.ref('$final');
  const grades = sheet.program.policies.grades;
  const grade = grades ? grades.find((g) => final.gte(g.min))?.label ?? null : null;
  return {
    unit: p.unit, variant: sheet.variant.id,
    base: n(env.ref('$base')), bonus: n(env.ref('$bonus')), penalty: n(env.ref('$penalty')), adjustment: n(env.ref('$adjust')),
    final: n(final), converted: sheet.cells.has('$converted') ? n(env.ref('$converted')) : null, rank: null,
    veto: vetoItems.length > 0, vetoItems, grade, complete: p.blanks.size === 0, missing: p.blanks.size, nodes, problems: p.problems,
  };
}

export interface CohortResult {
  units: UnitResult[];
  /** Entries that could not be scored (unknown unit without a variant). */
  problems: Problem[];
}

/**
 * Scores every unit of a cohort; rank criteria (R13) and the summary rank see every unit.
 * `only`: evaluate just these units (the others still feed rank criteria; the summary rank stays null).
 */
export function scoreCohort(program: Program, entries: CohortEntry[], only?: readonly string[]): CohortResult {
  const prepared: Prepared[] = [];
  const problems: Problem[] = [];
  for (const e of entries) {
    const p = prepare(program, e);
    if ('error' in p) problems.push(p.error);
    else prepared.push(p);
  }
  // The figures behind each rank criterion: every unit that entered a number for it. A blank (not yet
  // entered), 不涉及 or an unreadable entry takes no place, exactly as the 汇总 column's
  // IF(ISNUMBER(x),x,"") leaves it out of COUNTIF.
  // A rank criterion belongs to one variant: only that variant's units compete (another variant may
  // reuse the id for something else).
  const figureCache = new Map<string, Dec[]>();
  const cohortFigures = (variant: string, key: string): Dec[] => {
    const ck = `${variant}\u0000${key}`;
    let f = figureCache.get(ck);
    if (!f) {
      f = [];
      for (const p of prepared) {
        if (p.sheet.variant.id !== variant) continue;
        const v = p.values.get(key);
        if (v && v.t === 'num') f.push(v.v);
      }
      figureCache.set(ck, f);
    }
    return f;
  };
  const units = prepared.filter((p) => !only || only.includes(p.unit)).map((p) => evaluateUnit(p, cohortFigures));
  const scope = program.policies.rankScope;
  // The summary rank needs every unit's final: only when the whole cohort was evaluated.
  if (!only) for (const u of units) {
    const peers = units.filter((x) => scope === 'program' || x.variant === u.variant);
    u.rank = 1 + peers.filter((x) => x.final > u.final).length;
  }
  return { units, problems };
}

/** Scores one unit; `cohort` (every unit of the program, with their inputs) feeds rank rules. */
export function score(program: Program, unit: string | { name: string; variant?: string }, inputs: InputsIn, cohort: CohortEntry[] = []): UnitResult {
  const name = typeof unit === 'string' ? unit : unit.name;
  const variant = typeof unit === 'string' ? undefined : unit.variant;
  const entries = [...cohort.filter((c) => c.unit !== name), { unit: name, variant, inputs }];
  const r = scoreCohort(program, entries, cohort.length ? undefined : [name]);
  const mine = r.units.find((u) => u.unit === name);
  if (!mine) {
    const err = r.problems[0] ?? problem('input.unknownUnit', name, { unit: name });
    return {
      unit: name, variant: variant ?? '', base: 0, bonus: 0, penalty: 0, adjustment: 0, final: 0, converted: null, rank: null,
      veto: false, vetoItems: [], grade: null, complete: false, missing: 0, nodes: [], problems: [err],
    };
  }
  return mine;
}
