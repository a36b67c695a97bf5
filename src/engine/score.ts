/**
 * Scoring: inputs as a clerk typed them → a result tree mirroring the rubric, with every node's raw
 * figure, the cap or floor applied (limit and source), its points and a 备注 a clerk can read; then
 * totals, conversion, veto, grade, and ranks across the cohort (ties share a rank).
 */
import { Dec, ZERO, cmp, fmt, toNum } from './decimal';
import * as X from './expr';
import type { Value } from './expr';
import { atMostProblem, parseInput, readCell, statusOf, type InputSpec, type Raw } from './inputs';
import { kindOf } from './kinds';
import type { Program, Variant } from './model';
import { planOf, type Plan, type Slots, type SlotFn } from './plan';
import { compileSheet, resolveUnit, sheetShape, vetoKey, type NodeModel, type SheetModel } from './compile';
import { findVariant, nodeLabel, variantList } from './tree';
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
  /** No required input blank and no input rejected (errors = 0, missing = 0). */
  complete: boolean;
  missing: number;
  /** Input cells whose value was rejected (each has an error problem): the sheet's status counts them as 错误. */
  errors: number;
  /** 完成 / 未完成 n 项 / 有 n 处错误, exactly as the sheet's status cell computes it. */
  status: { zh: string; en: string };
  nodes: NodeResult[];
  problems: Problem[];
}

export interface CohortEntry {
  unit: string;
  variant?: string;
  /** Tags for a unit the program does not list (or extra ones): they decide applicability (R21). */
  tags?: string[];
  inputs: InputsIn;
  /**
   * The inputs are cell contents read from a workbook (a string is text in the cell, a number a number),
   * read strictly as the workbook's formulas read them; otherwise they are typed values (inputs.json), turned
   * into cell contents first as a spreadsheet would store them (inputs.ts: toCell).
   */
  cells?: boolean;
}

/** As a JS number; a figure past the double range (a pathological entry, already reported) saturates. */
const n = (d: Dec): number => {
  const v = toNum(d);
  return Number.isFinite(v) ? v : d.isNegative() ? -Number.MAX_VALUE : Number.MAX_VALUE;
};

interface Prepared {
  entry: CohortEntry;
  unit: string;
  sheet: SheetModel;
  plan: Plan;
  /** Parsed values by input slot. */
  vals: Value[];
  blanks: Set<string>;
  /** Input keys whose value was rejected. */
  rejected: Set<string>;
  problems: Problem[];
  /** Own figures on cohort clauses that read nothing of the cohort, by criterion id (see ownFigure). */
  own: Map<string, Dec>;
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

/** Sorts raw entries onto input keys; `put` receives each (key, raw) in entry order, problems collect unknown keys. */
function sortInputs(sheet: SheetModel, raw: InputsIn, put: (k: string, v: Raw) => void, problems: Problem[]): void {
  const { specs, byCriterion } = indexOf(sheet);
  const keys = Object.keys(raw);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === 'variant' || k === 'tags') continue;
    const v = raw[k];
    if (specs.has(k)) put(k, v as Raw);
    else if (byCriterion.has(k)) {
      const list = byCriterion.get(k)!;
      if (v !== null && typeof v === 'object') {
        for (const [name, vv] of Object.entries(v)) {
          let s: InputSpec | undefined;
          for (const x of list) if (x.name === name) { s = x; break; }
          if (s) put(s.key, vv);
          else problems.push(problem('input.unknownKey', `${k}#${name}`, { key: `${k}#${name}` }));
        }
      } else put(list[0].key, v);
    } else if (specs.has(vetoKey(k))) put(vetoKey(k), v as Raw);
    else if (!sheet.nodes.has(k)) problems.push(problem('input.unknownKey', k, { key: k })); // a criterion not applicable to this unit is silently fine
  }
}

export function normalizeInputs(sheet: SheetModel, raw: InputsIn): { values: Map<string, Raw>; problems: Problem[] } {
  const values = new Map<string, Raw>();
  const problems: Problem[] = [];
  sortInputs(sheet, raw, (k, v) => values.set(k, v), problems);
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
  const k = sheetShape(variant, u);
  let sheet = byKey.get(k);
  if (!sheet) byKey.set(k, (sheet = compileSheet(program, variant, u)));
  return sheet;
}

/** Raw entries by input slot, while one entry is sorted (one sorter per plan, reused). */
class RawSlots {
  raws: Raw[] = [];
  constructor(readonly slotOf: Map<string, number>) {}
  readonly put = (k: string, v: Raw): void => { this.raws[this.slotOf.get(k)!] = v; };
}
const SORTERS = new WeakMap<Plan, RawSlots>();

function prepare(program: Program, entry: CohortEntry): Prepared | { error: Problem } {
  const u = resolveUnit(program, entry.unit, entry.variant, entry.tags);
  const variant = u ? findVariant(program, u.variant) : undefined;
  if (u && !variant) return { error: problem('input.unknownVariant', entry.unit, { unit: entry.unit, variant: u.variant, known: variantList(program) }) };
  if (!u || !variant) return { error: problem('input.unknownUnit', entry.unit, { unit: entry.unit }) };
  const sheet = sheetFor(program, variant, u);
  const plan = planOf(sheet);
  let sorter = SORTERS.get(plan);
  if (!sorter) SORTERS.set(plan, (sorter = new RawSlots(plan.slotOf)));
  const problems: Problem[] = [];
  const raws: Raw[] = (sorter.raws = new Array(plan.slotCount).fill(undefined));
  sortInputs(sheet, entry.inputs, sorter.put, problems);
  sorter.raws = [];
  const vals: Value[] = new Array(plan.slotCount).fill(null);
  const blanks = new Set<string>();
  const rejected = new Set<string>();
  const { specs, specSlot } = plan;
  const read = entry.cells ? readCell : parseInput;
  let crossed = false;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    const p = read(spec, raws[specSlot[i]]);
    if (p.blank && !spec.optional) blanks.add(spec.key);
    if (p.rejected) rejected.add(spec.key);
    if (p.problems.length) problems.push(...p.problems);
    vals[specSlot[i]] = p.value;
    if (spec.atMost) crossed = true;
  }
  // Rules across inputs (完成数 ≤ 应完成数), once every input is read: the value is rejected, as the state cell does.
  if (crossed) {
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i];
      if (!spec.atMost) continue;
      const j = plan.slotOf.get(spec.atMost);
      const other = j === undefined ? undefined : specs[plan.specSlot.indexOf(j)];
      const pr = atMostProblem(spec, vals[specSlot[i]], j === undefined ? null : vals[j], other?.label ?? spec.atMost);
      if (!pr) continue;
      problems.push(pr);
      rejected.add(spec.key);
      vals[specSlot[i]] = null;
    }
  }
  const checked = indexOf(sheet).checked;
  if (checked.length) {
    const value = (key: string): Value => { const i = plan.slotOf.get(key); return i === undefined ? null : vals[i]; };
    for (const m of checked) {
      if (!m.ctx || !m.node.rule) continue;
      // A criterion marked 不涉及 needs nothing more.
      if (m.naKey && value(m.naKey)?.t === 'na') {
        for (const i of m.inputs) blanks.delete(i.key);
        continue;
      }
      const k = kindOf(m.node.rule);
      if (k.validate) problems.push(...k.validate(m.node.rule, m.ctx, value));
    }
  }
  // A unit the cohort clause scores by its flag (与样本框无关联的部门: 是) needs none of its own lines.
  for (const m of cohortNodes(sheet)) {
    const f = m.cohort!.flagKey;
    const v = f ? vals[plan.slotOf.get(f)!] : null;
    if (v && v.t === 'bool' && v.v) for (const i of m.cohort!.ownInputs) blanks.delete(i.key);
  }
  return { entry, unit: u.name, sheet, plan, vals, blanks, rejected, problems, own: new Map() };
}

// ---- rank lookups: n log n over a cohort, not n² ----

/** Each cohort's figure list sorted ascending, once (the lists live as long as one scoreCohort call). */
const SORTED_FIGURES = new WeakMap<Dec[], Dec[]>();

/** How many figures are strictly better than `mine`: greater (desc) or smaller (asc); ties share a rank. */
function betterThan(figures: Dec[], mine: Dec, order: 'desc' | 'asc'): number {
  let s = SORTED_FIGURES.get(figures);
  if (!s) SORTED_FIGURES.set(figures, (s = [...figures].sort(cmp)));
  // First index whose figure is > mine (desc) or ≥ mine (asc).
  let lo = 0, hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = cmp(s[mid], mine);
    if (order === 'desc' ? c <= 0 : c < 0) lo = mid + 1;
    else hi = mid;
  }
  return order === 'desc' ? s.length - lo : lo;
}

/** The summary rank: 1 + the peers (same variant, or the whole program) with a higher final. */
function assignSummaryRanks(units: UnitResult[], scope: string): void {
  const finals = new Map<string, number[]>();
  for (const u of units) {
    const k = scope === 'program' ? '' : u.variant;
    const list = finals.get(k);
    if (list) list.push(u.final);
    else finals.set(k, [u.final]);
  }
  for (const list of finals.values()) list.sort((a, b) => a - b);
  for (const u of units) {
    const list = finals.get(scope === 'program' ? '' : u.variant)!;
    let lo = 0, hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] <= u.final) lo = mid + 1;
      else hi = mid;
    }
    u.rank = 1 + list.length - lo;
  }
}

type Figures = (variant: string, key: string) => Dec[];

/** A cohort clause's population on one criterion: who is in it, and its minimum and mean. */
export interface CohortStats {
  count: number;
  min: Dec;
  mean: Dec;
  /** The units holding the minimum (ties: all of them), in entry order. */
  minUnits: string[];
}

/** What a unit sees of the cohort: rank figures and cohort-clause statistics. */
interface CohortView {
  figures: Figures;
  stats(variant: string, id: string): CohortStats;
  /** Told of every rank a unit reads (rescoreCohort records them: the result depends on nothing else of the figures). */
  ranked?(variant: string, key: string, mine: Dec, order: 'desc' | 'asc', better: number): void;
}

const COHORT_NODES = new WeakMap<SheetModel, NodeModel[]>();
function cohortNodes(sheet: SheetModel): NodeModel[] {
  let r = COHORT_NODES.get(sheet);
  if (!r) COHORT_NODES.set(sheet, (r = [...sheet.nodes.values()].filter((m) => m.cohort && m.applicable)));
  return r;
}

/** Whether the cohort clause scores this unit (by its tags, or its flag answered 是), unless it is 不涉及. */
function cohortActive(m: NodeModel, v: Value[], slotOf: Map<string, number>): boolean {
  const co = m.cohort;
  if (!co || co.mode === 'never') return false;
  if (m.naKey && v[slotOf.get(m.naKey)!]?.t === 'na') return false;
  if (co.mode === 'always') return true;
  const f = v[slotOf.get(co.flagKey!)!];
  return Boolean(f && f.t === 'bool' && f.v);
}

/**
 * The sheet's reading of the pseudo input a cohort clause is missing while its population is empty (cohortKey,
 * evaluateUnit): per clause, the condition the status counts one more 未完成 for — cohortActive() and no member.
 */
export function cohortPendingConds(sheet: SheetModel): X.Cond[] {
  return cohortNodes(sheet).filter((m) => m.cohort!.mode !== 'never').map((m) => {
    const co = m.cohort!;
    const cs: X.Cond[] = [];
    if (m.naKey) cs.push(X.not(X.isNa(m.naKey, m.inputs.find((i) => i.key === m.naKey)?.type === 'yesno')));
    if (co.mode === 'flag') cs.push(X.yes(co.flagKey!));
    cs.push(X.cmp('=', X.cohort(m.id, 'count'), X.num(0)));
    return X.and(cs);
  });
}

/** One unit being scored: its values and computed cells (see plan.ts), and what its explanations need. */
class Unit implements Slots {
  readonly c: Dec[];
  #env: X.EvalEnv | null = null;
  readonly figures: Figures;
  constructor(readonly p: Prepared, readonly v: Value[], readonly view: CohortView) {
    this.c = new Array(p.plan.cellIds.length);
    this.figures = view.figures;
  }
  rank(key: string, slot: number, order: 'desc' | 'asc'): Dec {
    const mine = slot < 0 ? null : this.v[slot];
    const variant = this.p.sheet.variant.id;
    const fig = mine && mine.t === 'num' ? mine.v : ZERO;
    const better = betterThan(this.figures(variant, key), fig, order);
    this.view.ranked?.(variant, key, fig, order, better);
    return new Dec(better + 1);
  }
  cohort(id: string, stat: X.CohortStat): Dec {
    const s = this.view.stats(this.p.sheet.variant.id, id);
    if (stat === 'count') return new Dec(s.count);
    if (s.count === 0) return ZERO;
    return stat === 'min' ? s.min : s.mean;
  }
  /** The same unit as an EvalEnv (for explanations, which evaluate any expression). */
  get env(): X.EvalEnv {
    if (!this.#env) {
      const { plan } = this.p;
      this.#env = {
        value: (k) => { const i = plan.slotOf.get(k); return i === undefined ? null : this.v[i] ?? null; },
        ref: (id) => { const i = plan.cellAt.get(id); return i === undefined ? ZERO : this.c[i]; },
        rank: (key, order) => this.rank(key, plan.slotOf.get(key) ?? -1, order),
        cohort: (id, stat) => this.cohort(id, stat),
      };
    }
    return this.#env;
  }
}

/** What a node's result needs that does not depend on the unit's inputs, once per sheet. */
interface NodePlan {
  m: NodeModel;
  cell: number;
  title: string;
  max: number | null;
  children: NodePlan[];
  /** Slot of the 不涉及 input, or -1. */
  naSlot: number;
  /** 0: not applicable to the unit; 1: a criterion with a rule; 2: a subtotal (or a criterion without a rule). */
  form: 0 | 1 | 2;
  limRaw: SlotFn | null;
  raw: SlotFn | null;
  /** Slots of the zero-out inputs of other criteria that void this node, with their labels. */
  voids: { slot: number; label: string }[];
}
const NODE_PLANS = new WeakMap<SheetModel, NodePlan[]>();
function nodePlans(sheet: SheetModel, plan: Plan): NodePlan[] {
  let r = NODE_PLANS.get(sheet);
  if (!r) {
    const build = (m: NodeModel): NodePlan => ({
      m, cell: plan.cellAt.get(m.id) ?? -1, title: nodeLabel(m.node), max: m.points ? n(m.points) : null,
      children: m.children.map(build),
      naSlot: m.naKey !== undefined ? plan.slotOf.get(m.naKey) ?? -1 : -1,
      form: !m.applicable ? 0 : m.isCriterion && m.ctx && m.node.rule ? 1 : 2,
      limRaw: m.limits ? plan.fn(m.limits.raw) : null,
      raw: m.isCriterion && m.ctx && m.node.rule ? null : plan.fn(m.raw),
      voids: (m.voidedBy ?? []).map((v) => ({ slot: plan.slotOf.get(v.key) ?? -1, label: v.label })),
    });
    NODE_PLANS.set(sheet, (r = sheet.roots.map(build)));
  }
  return r;
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
  #np: NodePlan;
  #unit: Unit | null;
  #points: Dec;
  #raw: Dec;
  #explanation: { zh: string; en: string } | null = null;
  constructor(
    np: NodePlan, unit: Unit, pointsDec: Dec, rawDec: Dec, readonly max: number | null, readonly raw: number, readonly points: number,
    readonly limit: Limit | undefined, readonly na: boolean, readonly missing: string[], readonly children: NodeResult[],
  ) {
    const m = np.m;
    this.id = m.id; this.title = np.title; this.depth = m.depth; this.role = m.role; this.effect = m.effect;
    this.kind = m.node.rule?.kind; this.applicable = m.applicable; this.complete = missing.length === 0;
    this.#np = np; this.#unit = unit; this.#points = pointsDec; this.#raw = rawDec;
  }
  get explanation(): { zh: string; en: string } {
    if (!this.#explanation) {
      this.#explanation = explain(this.#np, this.#unit!, this.#points, this.#raw, this.na, this.missing, this.children);
      this.#unit = null;
    }
    return this.#explanation;
  }
  toJSON(): NodeResult {
    return { ...this, explanation: this.explanation, children: this.children };
  }
}

const NONE: string[] = [];

/** The label of the zero-out clause (of another criterion) that voids this node, if one holds. */
function voidedBy(np: NodePlan, u: Unit): string | null {
  for (const v of np.voids) {
    const x = v.slot >= 0 ? u.v[v.slot] : null;
    if (x && x.t === 'bool' && x.v) return v.label;
  }
  return null;
}

function explain(np: NodePlan, u: Unit, points: Dec, raw: Dec, na: boolean, missing: string[], children: NodeResult[]): { zh: string; en: string } {
  const m = np.m;
  if (np.form === 0 || na) return naExplanation(m, na, points, u.p.sheet.program.policies.notApplicable.policy);
  const voided = np.voids.length ? voidedBy(np, u) : null;
  if (voided) return { zh: `${voided}，此项不得分，得0分`, en: `${voided}: this item scores 0` };
  if (m.cohort && np.form === 1 && cohortActive(m, u.v, u.p.plan.slotOf)) return cohortExplanation(m, u, points);
  if (np.form === 2) return subtotalExplanation(m, children, raw, points);
  const rule = m.node.rule!, ctx = m.ctx!;
  const bad = m.inputs.filter((i) => u.p.rejected.has(i.key));
  if (bad.length) {
    // A rejected value is not a figure: never explain it as one (录入有误, not 评定0分).
    const labels = bad.map((i) => i.label);
    return {
      zh: `录入有误（${labels.join('、')}），该格按0计，本项暂按${fmt(points, 4)}分计；请改正`,
      en: `Input error (${labels.join(', ')}): read as 0, this item provisionally ${fmt(points, 4)} until corrected`,
    };
  }
  const required = m.inputs.filter((i) => !i.optional);
  if (required.length > 0 && missing.length === required.length) {
    // Nothing entered yet: say so rather than explain a provisional full or zero score.
    return { zh: `未录入（暂按${fmt(points, 4)}分计）`, en: `Not yet entered (provisionally ${fmt(points, 4)})` };
  }
  const env = u.env;
  const partVals = new Map(m.parts.map((pt) => [pt.name, X.evaluate(pt.expr, env)]));
  const e = kindOf(rule).explain(rule, ctx, {
    points, part: (name) => partVals.get(name) ?? ZERO, value: env.value, ev: (x) => X.evaluate(x, env),
  });
  if (!missing.length) return e;
  const labels = m.inputs.filter((i) => missing.includes(i.key)).map((i) => i.label);
  return { zh: `${e.zh}（未录入：${labels.join('、')}）`, en: `${e.en} (not yet entered: ${labels.join(', ')})` };
}

/** A unit scored by a cohort clause: the statistic, who set the minimum or how many the mean is of, and the 下浮. */
function cohortExplanation(m: NodeModel, u: Unit, points: Dec): { zh: string; en: string } {
  const co = m.cohort!;
  const s = u.view.stats(u.p.sheet.variant.id, m.id);
  const who = co.amongLabel;
  if (s.count === 0) {
    return { zh: `按${who}${co.stat === 'min' ? '最低' : '平均'}得分计分，但${who}尚无完整录入的得分，暂按0分计（未完成）`, en: `Scored by the ${co.stat === 'min' ? 'lowest' : 'mean'} score of ${who}, none entered yet: provisionally 0 (incomplete)` };
  }
  const rv = co.reduceKey ? u.env.value(co.reduceKey) : null;
  const reduce = rv && rv.t === 'num' ? rv.v : ZERO;
  const offZh = [co.offset.isZero() ? '' : `下浮${fmt(co.offset, 4)}分`, reduce.isZero() ? '' : `下浮${fmt(reduce, 4)}分`].filter(Boolean).join('、');
  const offEn = [co.offset.isZero() ? '' : `less ${fmt(co.offset, 4)}`, reduce.isZero() ? '' : `less ${fmt(reduce, 4)} entered`].filter(Boolean).join(', ');
  if (co.stat === 'min') {
    return {
      zh: `按${who}最低得分计分：最低为${s.minUnits.join('、')}${fmt(s.min, 4)}分${offZh ? `，${offZh}` : ''}，得${fmt(points, 4)}分`,
      en: `The lowest score of ${who}: ${s.minUnits.join(', ')} ${fmt(s.min, 4)}${offEn ? `, ${offEn}` : ''}: ${fmt(points, 4)}`,
    };
  }
  return {
    zh: `${who}平均分${fmt(s.mean, 4)}分（${s.count}个单位）${offZh ? `，${offZh}` : ''}，得${fmt(points, 4)}分`,
    en: `Mean of ${who} ${fmt(s.mean, 4)} (${s.count} units)${offEn ? `, ${offEn}` : ''}: ${fmt(points, 4)}`,
  };
}

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

function nodeResult(np: NodePlan, u: Unit, blanks: Set<string> | null): NodeResult {
  const m = np.m;
  const points = np.cell >= 0 ? u.c[np.cell] : ZERO;
  const kids = np.children;
  const children: NodeResult[] = new Array(kids.length);
  for (let i = 0; i < kids.length; i++) children[i] = nodeResult(kids[i], u, blanks);
  const na = np.naSlot >= 0 && u.v[np.naSlot]?.t === 'na';
  let missing = NONE;
  if (blanks) {
    missing = [];
    if (m.isCriterion) {
      for (const i of m.inputs) if (blanks.has(i.key)) missing.push(i.key);
      if (m.cohort && blanks.has(cohortKey(m.id))) missing.push(cohortKey(m.id));
    }
    else for (const c of children) for (const k of c.missing) missing.push(k);
  }
  let raw = points;
  let limit: Limit | undefined;
  if (np.form === 0 || na || (np.voids.length && voidedBy(np, u))) {
    // raw = points
  } else if (np.form === 1) {
    // The rule's own clamp can only have acted when the points sit on a bound; otherwise raw = points.
    const lim = m.limits;
    if (lim && ((lim.cap && cmp(points, lim.cap) >= 0) || (lim.floor && cmp(points, lim.floor) <= 0))) {
      raw = np.limRaw!(u);
      if (lim.cap && cmp(raw, lim.cap) > 0) limit = { value: n(lim.cap), source: m.points && lim.cap.eq(m.points) ? 'declared' : 'rule', applied: 'cap' };
      else if (lim.floor && cmp(raw, lim.floor) < 0) limit = { value: n(lim.floor), source: 'floor', applied: 'floor' };
    }
  } else {
    if ((m.cap && cmp(points, m.cap) >= 0) || (m.floor && cmp(points, m.floor) <= 0)) raw = np.raw!(u);
    if (m.cap && cmp(raw, m.cap) > 0) limit = { value: n(m.cap), source: 'declared', applied: 'cap' };
    else if (m.floor && cmp(raw, m.floor) < 0) limit = { value: n(m.floor), source: 'floor', applied: 'floor' };
  }
  const pointsN = n(points);
  return new Result(np, u, points, raw, np.max, raw === points ? pointsN : n(raw), pointsN, limit, na, missing, children);
}

/** The pseudo key a node is missing while its cohort clause has no population to take a figure from. */
const cohortKey = (id: string): string => `${id}#cohort`;

function evaluateUnit(p: Prepared, view: CohortView): UnitResult {
  const { sheet, plan } = p;
  const u = new Unit(p, p.vals, view);
  const { fns } = plan;
  const c = u.c;
  for (let i = 0; i < fns.length; i++) c[i] = fns[i](u);
  const cell = (id: string): Dec => { const i = plan.cellAt.get(id); return i === undefined ? ZERO : c[i]; };

  // A cohort clause with an empty population (nobody to take the minimum of yet): the node is incomplete, not 0.
  let all = p.blanks;
  for (const m of cohortNodes(sheet)) {
    if (cohortActive(m, p.vals, plan.slotOf) && view.stats(sheet.variant.id, m.id).count === 0) {
      if (all === p.blanks) all = new Set(p.blanks);
      all.add(cohortKey(m.id));
    }
  }
  const blanks = all.size === 0 ? null : all;
  const nps = nodePlans(sheet, plan);
  const nodes: NodeResult[] = new Array(nps.length);
  for (let i = 0; i < nps.length; i++) nodes[i] = nodeResult(nps[i], u, blanks);
  const vetoItems: string[] = [];
  for (const i of sheet.vetoInputs) {
    const s = plan.slotOf.get(i.key);
    const x = s === undefined ? null : p.vals[s];
    if (x && x.t === 'bool' && x.v) vetoItems.push(i.label);
  }
  const final = cell('$final');
  const grades = sheet.program.policies.grades;
  let grade: string | null = null;
  if (grades) for (const g of grades) if (final.gte(g.min)) { grade = g.label; break; }
  return {
    unit: p.unit, variant: sheet.variant.id,
    base: n(cell('$base')), bonus: n(cell('$bonus')), penalty: n(cell('$penalty')), adjustment: n(cell('$adjust')),
    final: n(final), converted: sheet.cells.has('$converted') ? n(cell('$converted')) : null, rank: null,
    veto: vetoItems.length > 0, vetoItems, grade, complete: all.size === 0 && p.rejected.size === 0, missing: all.size,
    errors: p.rejected.size, status: statusOf(p.rejected.size, all.size), nodes, problems: p.problems,
  };
}

/**
 * The population of criterion `id`'s cohort clause in one variant: every unit to which it applies, that
 * may belong (its tags), is not scored by the clause itself, did not mark it 不涉及 and entered all of its
 * own lines; each contributes its own figure (the lines), exactly as the 汇总 column computes it.
 */
function cohortStats(prepared: Prepared[], variant: string, id: string, view: CohortView): CohortStats {
  let count = 0;
  let sum = ZERO;
  let min: Dec | null = null;
  let minUnits: string[] = [];
  for (const p of prepared) {
    if (p.sheet.variant.id !== variant) continue;
    const m = p.sheet.nodes.get(id);
    if (!m || !m.applicable || !m.cohort || !m.cohort.among) continue;
    if (cohortActive(m, p.vals, p.plan.slotOf)) continue;
    if (m.naKey && p.vals[p.plan.slotOf.get(m.naKey)!]?.t === 'na') continue;
    // Every required own line entered and accepted: a rejected value (录入有误) is no figure to take a minimum of.
    if (m.cohort.ownInputs.some((i) => !i.optional && (p.blanks.has(i.key) || p.rejected.has(i.key)))) continue;
    const v = ownFigure(p, m, view);
    count++;
    sum = sum.plus(v);
    const k = min === null ? -1 : cmp(v, min);
    if (k < 0) { min = v; minUnits = [p.unit]; } else if (k === 0) minUnits.push(p.unit);
  }
  return { count, min: min ?? ZERO, mean: count ? sum.div(count) : ZERO, minUnits };
}

/**
 * A member's own figure on a cohort clause. It depends on the unit's values alone unless its lines read
 * a rank or another clause; then it is kept on the prepared unit, which rescoreCohort reuses while the
 * unit's entry is unchanged.
 */
function ownFigure(p: Prepared, m: NodeModel, view: CohortView): Dec {
  const kept = p.own.get(m.id);
  if (kept) return kept;
  let read = false;
  const probe: CohortView = {
    figures: (variant, key) => { read = true; return view.figures(variant, key); },
    stats: (variant, id) => { read = true; return view.stats(variant, id); },
  };
  const v = p.plan.fn(m.cohort!.own)(new Unit(p, p.vals, probe));
  if (!read) p.own.set(m.id, v);
  return v;
}

/**
 * The figures behind each rank criterion, per variant and key, built once on first use: every unit of the
 * variant that entered a number for it (blank, 不涉及 or a rejected entry takes no place).
 */
function figuresOf(prepared: readonly Prepared[]): Figures {
  const cache = new Map<string, Dec[]>();
  return (variant, key) => {
    const ck = `${variant}\u0000${key}`;
    let f = cache.get(ck);
    if (!f) {
      f = [];
      for (const p of prepared) {
        if (p.sheet.variant.id !== variant) continue;
        const i = p.plan.slotOf.get(key);
        const v = i === undefined ? null : p.vals[i];
        if (v && v.t === 'num') f.push(v.v);
      }
      cache.set(ck, f);
    }
    return f;
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
  const cohortFigures = figuresOf(prepared);
  // Cohort clauses (按进驻单位最低得分计分; 在平均分基础上下浮1分): the population's own figures on the criterion.
  // Members never depend on the statistic (the units it scores are not members), so one pass suffices.
  const statCache = new Map<string, CohortStats>();
  const view: CohortView = {
    figures: cohortFigures,
    stats: (variant, id) => {
      const ck = `${variant}\u0000${id}`;
      let st = statCache.get(ck);
      if (!st) statCache.set(ck, (st = cohortStats(prepared, variant, id, view)));
      return st;
    },
  };
  const wanted = only ? new Set(only) : null;
  const units = prepared.filter((p) => !wanted || wanted.has(p.unit)).map((p) => evaluateUnit(p, view));
  const scope = program.policies.rankScope;
  // The summary rank needs every unit's final: only when the whole cohort was evaluated.
  if (!only) assignSummaryRanks(units, scope);
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
      veto: false, vetoItems: [], grade: null, complete: false, missing: 0, errors: 0, status: statusOf(0, 0), nodes: [], problems: [err],
    };
  }
  return mine;
}

// ---- re-scoring a cohort after an edit ----

/** A copy of what an entry held when it was scored (inputs one level deep, as InputsIn nests). */
interface EntryCopy {
  variant: string | undefined;
  tags: string[] | undefined;
  cells: boolean;
  inputs: [string, Raw | Record<string, Raw>][];
}

function copyEntry(e: CohortEntry): EntryCopy {
  return {
    variant: e.variant, tags: e.tags ? [...e.tags] : undefined, cells: !!e.cells,
    inputs: Object.entries(e.inputs).map(([k, v]) => [k, v !== null && typeof v === 'object' ? { ...v } : v]),
  };
}

const sameRecord = (a: Record<string, Raw>, b: Record<string, Raw>): boolean => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.is(a[k], b[k]) && k in b);
};

/** Whether an entry still holds what it held when copied (the caller may have edited it in place). */
function sameEntry(c: EntryCopy, e: CohortEntry): boolean {
  if (c.variant !== e.variant || c.cells !== !!e.cells) return false;
  if ((c.tags === undefined) !== (e.tags === undefined) || (c.tags && (c.tags.length !== e.tags!.length || c.tags.some((t, i) => t !== e.tags![i])))) return false;
  const inputs = e.inputs;
  let n = 0;
  for (const k in inputs) if (Object.prototype.hasOwnProperty.call(inputs, k)) n++;
  if (n !== c.inputs.length) return false;
  for (const [k, was] of c.inputs) {
    if (!Object.prototype.hasOwnProperty.call(inputs, k)) return false;
    const v = inputs[k];
    if (was !== null && typeof was === 'object') {
      if (v === null || typeof v !== 'object' || !sameRecord(was, v)) return false;
    } else if (!Object.is(was, v)) return false;
  }
  return true;
}

interface CachedUnit {
  key: EntryCopy;
  prepared: Prepared;
  result: UnitResult;
  /** Every rank the unit's evaluation read: its figure, the order and how many figures were better. */
  ranks: { variant: string; key: string; mine: Dec; order: 'desc' | 'asc'; better: number }[];
  /** The cohort-clause statistics it read, by `variant\0id`. */
  stats: Map<string, CohortStats>;
}

/**
 * What rescoreCohort keeps between calls for one program: each unit's entry (as JSON), prepared
 * inputs and result, and what of the cohort its result depended on. Opaque; one per live cohort.
 */
export class CohortCache {
  /** @internal */ readonly units = new Map<string, CachedUnit>();
  constructor(readonly program: Program) {}
}

const sameStats = (a: CohortStats, b: CohortStats): boolean =>
  a.count === b.count && cmp(a.min, b.min) === 0 && cmp(a.mean, b.mean) === 0
  && a.minUnits.length === b.minUnits.length && a.minUnits.every((u, i) => u === b.minUnits[i]);

/**
 * scoreCohort for a cohort that changed a little since the last call with the same cache (a live
 * edit): a unit whose entry is unchanged keeps its prepared inputs, and its result too unless what it
 * read of the cohort changed — a rank of its own figure (R13) or a cohort clause's statistic (最低得分,
 * 平均分). Results equal scoreCohort's for the same entries (test/engine/cohort.test.ts), so one edit
 * costs one unit, plus the units whose rank it moves or whose clause statistic it changes.
 */
export function rescoreCohort(cache: CohortCache, entries: CohortEntry[]): CohortResult {
  const program = cache.program;
  const problems: Problem[] = [];
  const rows: { prepared: Prepared; hit: CachedUnit | undefined; key: EntryCopy }[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const old = cache.units.get(e.unit);
    if (old && !seen.has(e.unit) && sameEntry(old.key, e)) {
      rows.push({ prepared: old.prepared, hit: old, key: old.key });
    } else {
      const p = prepare(program, e);
      if ('error' in p) { problems.push(p.error); continue; }
      rows.push({ prepared: p, hit: undefined, key: copyEntry(e) });
    }
    seen.add(e.unit);
  }
  // The same figure lists and statistics scoreCohort builds.
  const all = rows.map((r) => r.prepared);
  const cohortFigures = figuresOf(all);
  const statCache = new Map<string, CohortStats>();
  const stats = (variant: string, id: string): CohortStats => {
    const ck = `${variant}\u0000${id}`;
    let st = statCache.get(ck);
    if (!st) statCache.set(ck, (st = cohortStats(all, variant, id, { figures: cohortFigures, stats })));
    return st;
  };
  const next = new Map<string, CachedUnit>();
  const units = rows.map(({ prepared, hit, key }) => {
    let reuse = hit !== undefined;
    if (hit) {
      for (const r of hit.ranks) {
        if (betterThan(cohortFigures(r.variant, r.key), r.mine, r.order) !== r.better) { reuse = false; break; }
      }
      if (reuse) {
        for (const [ck, was] of hit.stats) {
          const [variant, id] = ck.split('\u0000');
          if (!sameStats(stats(variant, id), was)) { reuse = false; break; }
        }
      }
    }
    let c: CachedUnit;
    if (reuse) c = hit!;
    else {
      const ranks: CachedUnit['ranks'] = [];
      const used = new Map<string, CohortStats>();
      const view: CohortView = {
        figures: cohortFigures,
        stats: (variant, id) => {
          const st = stats(variant, id);
          used.set(`${variant}\u0000${id}`, st);
          return st;
        },
        ranked: (variant, k, mine, order, better) => { ranks.push({ variant, key: k, mine, order, better }); },
      };
      c = { key, prepared, result: evaluateUnit(prepared, view), ranks, stats: used };
    }
    next.set(prepared.unit, c);
    return { ...c.result };
  });
  cache.units.clear();
  for (const [k, v] of next) cache.units.set(k, v);
  assignSummaryRanks(units, program.policies.rankScope);
  return { units, problems };
}
