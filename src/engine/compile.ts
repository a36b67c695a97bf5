/**
 * Program + variant + unit → SheetModel: every computed cell of one unit's 打分表 as an expression.
 * Criteria compile through their kind; sections and indicators add their children up and cap the
 * subtotal at the declared points (R19), never below 0; bonus and penalty sections cap their sums
 * (R14, R15); totals apply the net cap (R17), N/A policy (R22) and conversion (R23).
 * The same model is evaluated by score.ts and printed as formulas by the layout.
 */
import { Dec, ZERO } from './decimal';
import * as X from './expr';
import type { Expr } from './expr';
import type { InputSpec } from './inputs';
import { kindOf, type CriterionCtx } from './kinds';
import type { Part } from './kinds/types';
import type { Program, RubricNode, Unit, Variant } from './model';
import { appliesToUnit, criterionCtx, type Role } from './tree';

export interface NodeModel {
  id: string;
  path: string;
  node: RubricNode;
  depth: number;
  role: Role;
  effect: 'add' | 'subtract';
  isCriterion: boolean;
  /** Declared points, or null. */
  points: Dec | null;
  /** Whether the node concerns this unit (R21). */
  applicable: boolean;
  /** Before the cap/floor (internal nodes: the children's sum; criteria: the rule's value). */
  raw: Expr;
  /** The node's final points (a subtract item: its amount). */
  expr: Expr;
  /** The cap applied to raw, where one is: declared points, or the rule's cap. */
  cap: Dec | null;
  floor: Dec | null;
  parts: Part[];
  /** A criterion's own clamp, from its kind: the figure before it and the bounds. */
  limits?: { raw: Expr; cap: Dec | null; floor: Dec | null };
  inputs: InputSpec[];
  /** Input key whose 不涉及 marks this criterion not applicable. */
  naKey?: string;
  /** A cohort clause (按进驻单位最低得分计分; 在平均分基础上下浮1分): how this unit is scored by it, and its own figure. */
  cohort?: CohortModel;
  /** Zero-out clauses of other criteria that void this node too (此项不得分 voiding a rank bonus or the parent). */
  voidedBy?: { key: string; label: string; by: string }[];
  ctx?: CriterionCtx;
  children: NodeModel[];
}

export interface SheetModel {
  program: Program;
  variant: Variant;
  unit: { name: string; tags: string[] };
  roots: NodeModel[];
  /** Every input cell of the sheet, in rubric order, then the veto questions. */
  inputs: InputSpec[];
  vetoInputs: InputSpec[];
  /** Named totals, referable as refs `$base`, `$bonus`, `$penalty`, `$adjust`, `$final`, `$converted`, `$naMax`. */
  totals: { id: TotalId; expr: Expr }[];
  vetoCond: X.Cond;
  /** Every computed cell: node ids and total ids → expression. */
  cells: Map<string, Expr>;
  nodes: Map<string, NodeModel>;
  /** The base maximum used for the 百分制 and for rescaling. */
  fullMark: Dec;
}

export type TotalId = '$base' | '$bonus' | '$penalty' | '$adjust' | '$final' | '$converted' | '$naMax' | '$baseRaw';

export const vetoKey = (id: string): string => `veto#${id}`;

/**
 * Who a unit is: the program's own list first (its variant and tags), else the variant given (or the
 * only one). `tags` given here add to the listed ones: how a unit the document does not list says it is
 * a 街道 or a 进驻单位 (R21 applicability by tag).
 */
export function resolveUnit(program: Program, name: string, variant?: string, tags: readonly string[] = []): (Unit & { tags: string[] }) | null {
  const merge = (a: readonly string[]) => [...new Set([...a, ...tags])];
  const u = program.units?.find((x) => x.name === name);
  if (u) return { ...u, tags: merge(u.tags ?? []) };
  if (variant) return { name, variant, tags: merge([]) };
  if (program.variants.length === 1) return { name, variant: program.variants[0].id, tags: merge([]) };
  return null;
}

/**
 * A unit as a clerk writes it on a command line or pastes it: `米市巷街道` or `米市巷街道:街道,进驻单位`
 * (full-width ：，、 accepted): the name, and tags for a unit the program does not list.
 */
export function parseUnitSpec(text: string): { name: string; tags: string[] } {
  const m = /^(.*?)[:：](.*)$/.exec(text.trim());
  if (!m) return { name: text.trim(), tags: [] };
  return { name: m[1].trim(), tags: m[2].split(/[,，、\s]+/).map((t) => t.trim()).filter(Boolean) };
}

export interface CohortModel {
  stat: 'min' | 'mean';
  /** always: the unit is scored by the statistic (by its tags); flag: when it answers the flag 是; never: own lines. */
  mode: 'always' | 'flag' | 'never';
  flagKey?: string;
  reduceKey?: string;
  offset: Dec;
  /** Whether the unit may belong to the population (its tags; flagged units and 不涉及 are left out when scored). */
  among: boolean;
  /** The criterion's own figure (its lines), what a population member contributes. */
  own: Expr;
  /** The own inputs (a member must have entered them all). */
  ownInputs: InputSpec[];
  /** Who makes up the population, for the explanation (e.g. 进驻单位). */
  amongLabel: string;
}

/**
 * A cohort clause on a criterion: for the units it scores, the criterion is the minimum or the mean of the
 * population's own points, less `offset` and any entered 下浮, floored at 0; the others keep their lines.
 * An empty population leaves 0 as a provisional figure and the node incomplete (score.ts).
 */
function cohortOf(node: RubricNode, ctx: CriterionCtx, u: { tags: string[] }, own: InputSpec[], ownExpr: Expr): { model: CohortModel; inputs: InputSpec[]; expr: Expr } {
  const co = node.cohort!;
  const has = (tags?: string[]) => Boolean(tags?.some((t) => u.tags.includes(t)));
  const byTags = !co.for.flag && has(co.for.tags) && !has(co.for.exceptTags);
  const mode: CohortModel['mode'] = co.for.flag ? 'flag' : byTags ? 'always' : 'never';
  const inputs: InputSpec[] = mode === 'always' ? [] : [...own];
  let flagKey: string | undefined;
  if (mode === 'flag') {
    flagKey = `${ctx.id}#cohortFor`;
    inputs.push({ key: flagKey, criterionId: ctx.id, name: 'cohortFor', type: 'yesno', label: co.for.flag!, optional: true,
      hint: `${co.for.flag}：填“是”则本项按其他单位${co.stat === 'min' ? '最低' : '平均'}得分计`, hintEn: `${co.for.flag}: 是 (yes) scores this item by the others' ${co.stat === 'min' ? 'minimum' : 'mean'}` });
  }
  let reduceKey: string | undefined;
  if (co.reduce && mode !== 'never') {
    reduceKey = `${ctx.id}#cohortReduce`;
    const max = co.reduce.max ?? (ctx.points ? Number(ctx.points.toString()) : undefined);
    inputs.push({ key: reduceKey, criterionId: ctx.id, name: 'cohortReduce', type: 'score', label: co.reduce.label, min: '0', max: max !== undefined ? String(max) : undefined, unit: '分', optional: true,
      hint: `${co.reduce.label}：在平均分基础上下浮的分值`, hintEn: `${co.reduce.label}: points taken off the average` });
  }
  const offset = new Dec(co.offset ?? 0);
  let stat: Expr = X.cohort(ctx.id, co.stat);
  if (!offset.isZero()) stat = X.sub(stat, X.num(offset));
  if (reduceKey) stat = X.sub(stat, X.max(X.num(0), X.input(reduceKey)));
  const value = X.iff(X.cmp('>', X.cohort(ctx.id, 'count'), X.num(0)), X.max(X.num(0), stat), X.num(0));
  const expr = mode === 'always' ? value : mode === 'flag' ? X.iff(X.yes(flagKey!), value, ownExpr) : ownExpr;
  const among = mode !== 'always' && (!co.among?.tags || has(co.among.tags));
  return {
    model: { stat: co.stat, mode, flagKey, reduceKey, offset, among, own: ownExpr, ownInputs: own, amongLabel: co.among?.tags?.join('、') ?? '其他单位' },
    inputs, expr,
  };
}

/**
 * R22 rescale: how much of the base maximum the unit's not-applicable criteria take away. A criterion's
 * maximum is its points; a subtotal's is its children's, capped at its declared points — so a criterion
 * marked 不涉及 under a subtotal capped below its parts (2.0工作台 (4分) over (3分)+(2分)) takes away only
 * what the subtotal loses (4 − 3 = 1), not its own points. Constant parts are folded.
 */
function naMaxExpr(roots: NodeModel[]): Expr {
  type M = { full: Dec; eff: Dec | Expr };
  const isDec = (x: Dec | Expr): x is Dec => x instanceof Dec;
  const of = (m: NodeModel): M => {
    if (m.isCriterion) {
      const p = m.points ?? ZERO;
      if (!m.applicable) return { full: p, eff: ZERO };
      return { full: p, eff: m.naKey && p.gt(0) ? X.iff(X.isNa(m.naKey, m.inputs[0]?.type === 'yesno'), X.num(0), X.num(p)) : p };
    }
    const kids = m.children.filter((c) => c.effect === 'add').map(of);
    const agg = (xs: (Dec | Expr)[]): Dec | Expr => {
      if (m.node.aggregate === 'max') return xs.every(isDec) ? (xs.length ? Dec.max(...xs) : ZERO) : X.max(...xs.map((x) => (isDec(x) ? X.num(x) : x)));
      if (xs.every(isDec)) return xs.reduce((a, b) => a.plus(b), ZERO);
      const c = xs.filter(isDec).reduce((a, b) => a.plus(b), ZERO);
      const e = xs.filter((x): x is Expr => !isDec(x));
      return X.sum(c.isZero() ? e : [X.num(c), ...e]);
    };
    const capped = (x: Dec | Expr): Dec | Expr => (m.cap ? (isDec(x) ? Dec.min(m.cap, x) : X.min(X.num(m.cap), x)) : x);
    return { full: capped(agg(kids.map((k) => k.full))) as Dec, eff: capped(agg(kids.map((k) => k.eff))) };
  };
  const terms: Expr[] = [];
  let constant = ZERO;
  for (const r of roots) {
    const { full, eff } = of(r);
    if (isDec(eff)) constant = constant.plus(full.minus(eff));
    else terms.push(X.sub(X.num(full), eff));
  }
  return X.sum(constant.isZero() && terms.length ? terms : [X.num(constant), ...terms]);
}

/**
 * A zero-out line may void other nodes as well (“政务服务2.0收件率低于85%的此项不得分” voids the rank bonus
 * beside it): each such node scores 0 when the line says 是. Only clauses whose input is on this sheet count.
 */
function applyVoids(nodes: Map<string, NodeModel>, cells: Map<string, Expr>, inputs: InputSpec[]): void {
  const present = new Set(inputs.map((i) => i.key));
  const byTarget = new Map<string, { key: string; label: string; by: string }[]>();
  for (const m of nodes.values()) {
    if (!m.isCriterion || !m.ctx || !m.node.rule || !m.applicable) continue;
    const k = kindOf(m.node.rule);
    for (const v of k.voids?.(m.node.rule, m.ctx) ?? []) {
      if (!present.has(v.key)) continue;
      for (const id of v.ids) byTarget.set(id, [...(byTarget.get(id) ?? []), { key: v.key, label: v.label, by: m.id }]);
    }
  }
  for (const [id, clauses] of byTarget) {
    const m = nodes.get(id);
    if (!m || !m.applicable) continue;
    m.voidedBy = clauses;
    m.expr = X.iff(X.or(clauses.map((c) => X.yes(c.key))), X.num(0), m.expr);
    cells.set(id, m.expr);
  }
}

/**
 * What decides a unit's compiled sheet beyond its variant: which nodes concern it (R21) and how its tags
 * place it under cohort clauses. Units with the same shape share one compiled sheet.
 */
export function sheetShape(variant: Variant, unit: { name: string; tags?: string[] }): string {
  const bits: string[] = [variant.id, '|'];
  const has = (tags?: string[]) => Boolean(tags?.some((t) => unit.tags?.includes(t)));
  const walk = (ns: RubricNode[]) => ns.forEach((n) => {
    if (n.appliesTo) bits.push(appliesToUnit(n, unit) ? '1' : '0');
    if (n.cohort) bits.push(`c${has(n.cohort.for.tags) && !has(n.cohort.for.exceptTags) ? 1 : 0}${!n.cohort.among?.tags || has(n.cohort.among.tags) ? 1 : 0}`);
    if (n.children) walk(n.children);
  });
  walk(variant.sections);
  return bits.join('');
}

export function compileSheet(program: Program, variant: Variant, unit: { name: string; tags?: string[] }): SheetModel {
  const u = { name: unit.name, tags: unit.tags ?? [] };
  const policy = program.policies.notApplicable.policy;
  const nodes = new Map<string, NodeModel>();
  const cells = new Map<string, Expr>();
  const inputs: InputSpec[] = [];
  const vi = program.variants.indexOf(variant);

  const build = (node: RubricNode, path: string, depth: number, role: Role, parentApplicable: boolean): NodeModel => {
    const applicable = parentApplicable && appliesToUnit(node, u);
    const points = node.points === undefined || node.points === null ? null : new Dec(node.points);
    const effect = node.effect ?? 'add';
    const m: NodeModel = {
      id: node.id, path, node, depth, role, effect, isCriterion: !node.children?.length, points, applicable,
      raw: X.num(0), expr: X.num(0), cap: null, floor: null, parts: [], inputs: [], children: [],
    };
    if (m.isCriterion && node.rule) {
      const ctx = criterionCtx(program, node, path);
      m.ctx = ctx;
      const k = kindOf(node.rule);
      const compiled = k.compile(node.rule, ctx);
      m.parts = compiled.parts;
      m.raw = compiled.points;
      m.limits = compiled.limits;
      // The value a not-applicable criterion gets (R22); bonus/penalty items simply count 0.
      const naValue = role === 'base' && effect === 'add' && policy === 'full' && points ? X.num(points) : X.num(0);
      if (!applicable) {
        m.expr = naValue;
      } else {
        m.inputs = k.inputs(node.rule, ctx).map((spec) =>
          role !== 'base' || effect === 'subtract' || node.rule!.kind === 'best' ? { ...spec, optional: true } : spec);
        const co = node.cohort ? cohortOf(node, ctx, u, m.inputs, compiled.points) : undefined;
        if (co) { m.cohort = co.model; m.inputs = co.inputs; }
        inputs.push(...m.inputs);
        const own = co ? co.expr : compiled.points;
        const first = m.inputs[0];
        if (first?.naAllowed) {
          m.naKey = first.key;
          m.expr = X.iff(X.isNa(first.key, first.type === 'yesno'), naValue, own);
        } else {
          m.expr = own;
        }
      }
    } else {
      m.children = (node.children ?? []).map((c, i) => build(c, `${path}.children[${i}]`, depth + 1, role, applicable));
      const adds = m.children.filter((c) => c.effect === 'add').map((c) => X.ref(c.id));
      const subs = m.children.filter((c) => c.effect === 'subtract').map((c) => X.ref(c.id));
      let raw = node.aggregate === 'max' ? (adds.length ? X.max(...adds) : X.num(0)) : X.sum(adds);
      if (subs.length) raw = X.sub(raw, X.sum(subs));
      m.raw = raw;
      m.cap = points;
      // Base subtotals never go below 0 (R20: 扣分项 inside a section are floored with it).
      m.floor = role === 'base' && effect === 'add' ? ZERO : subs.length ? ZERO : null;
      m.expr = X.clampExpr(raw, m.floor ? X.num(m.floor) : null, points ? X.num(points) : null);
    }
    nodes.set(m.id, m);
    cells.set(m.id, m.expr);
    return m;
  };

  const roots = variant.sections.map((s, i) => build(s, `variants[${vi}].sections[${i}]`, 1, s.role ?? 'base', true));
  applyVoids(nodes, cells, inputs);

  const byRole = (r: Role) => roots.filter((n) => n.role === r).map((n) => X.ref(n.id));
  const declaredBase = variant.sections.filter((s) => (s.role ?? 'base') === 'base').reduce((a, s) => a.plus(s.points ?? 0), ZERO);
  const fullMark = variant.fullMark !== undefined ? new Dec(variant.fullMark) : declaredBase;
  const totals: { id: TotalId; expr: Expr }[] = [];
  const put = (id: TotalId, expr: Expr) => {
    totals.push({ id, expr });
    cells.set(id, expr);
  };
  put('$baseRaw', X.sum(byRole('base')));
  if (policy === 'rescale') {
    put('$naMax', naMaxExpr(roots.filter((r) => r.role === 'base')));
    // 按适用项目满分折算: base × fullMark / (fullMark − N/A maximum).
    put('$base', X.iff(X.cmp('>', X.ref('$naMax'), X.num(0)), X.div(X.mul(X.ref('$baseRaw'), X.num(fullMark)), X.sub(X.num(fullMark), X.ref('$naMax'))), X.ref('$baseRaw')));
  } else {
    put('$base', X.ref('$baseRaw'));
  }
  put('$bonus', X.sum(byRole('bonus')));
  put('$penalty', X.sum(byRole('penalty')));
  const net = program.policies.netCap;
  put('$adjust', X.clampExpr(X.sub(X.ref('$bonus'), X.ref('$penalty')), net ? X.num(-net) : null, net ? X.num(net) : null));
  const fin = X.add(X.ref('$base'), X.ref('$adjust'));
  put('$final', program.policies.floorFinal ? X.max(X.num(0), fin) : fin);
  const conv = program.policies.conversion;
  if (conv) put('$converted', X.div(X.mul(X.ref('$final'), X.num(conv.to)), X.num(conv.from)));

  const vetoInputs: InputSpec[] = (program.vetoes ?? []).map((v) => ({
    key: vetoKey(v.id), criterionId: `veto:${v.id}`, name: 'veto', type: 'yesno', label: v.label, optional: true,
    hint: `${v.label}：填“是”则取消评优资格（分数不变）`, hintEn: `${v.label}: 是 (yes) marks the unit 取消评优资格 (score unchanged)`,
  }));
  const vetoCond = X.or(vetoInputs.map((i) => X.yes(i.key)));
  return { program, variant, unit: u, roots, inputs, vetoInputs, totals, vetoCond, cells, nodes, fullMark };
}
