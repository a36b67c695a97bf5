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

export function compileSheet(program: Program, variant: Variant, unit: { name: string; tags?: string[] }): SheetModel {
  const u = { name: unit.name, tags: unit.tags ?? [] };
  const policy = program.policies.notApplicable.policy;
  const nodes = new Map<string, NodeModel>();
  const cells = new Map<string, Expr>();
  const inputs: InputSpec[] = [];
  const naTerms: Expr[] = [];
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
      const naMax = role === 'base' && effect === 'add' && policy === 'rescale' && points ? points : null;
      if (!applicable) {
        m.expr = naValue;
        if (naMax) naTerms.push(X.num(naMax));
      } else {
        m.inputs = k.inputs(node.rule, ctx).map((spec) =>
          role !== 'base' || effect === 'subtract' || node.rule!.kind === 'best' ? { ...spec, optional: true } : spec);
        inputs.push(...m.inputs);
        const first = m.inputs[0];
        if (first?.naAllowed) {
          m.naKey = first.key;
          m.expr = X.iff(X.isNa(first.key, first.type === 'yesno'), naValue, compiled.points);
          if (naMax) naTerms.push(X.iff(X.isNa(first.key, first.type === 'yesno'), X.num(naMax), X.num(0)));
        } else {
          m.expr = compiled.points;
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
    put('$naMax', X.sum(naTerms));
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
