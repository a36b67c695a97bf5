/** Walking a variant's rubric tree, and the criterion context every kind receives. */
import { Dec } from './decimal';
import type { CriterionCtx } from './kinds';
import type { Program, RubricNode, Variant } from './model';

export type Role = 'base' | 'bonus' | 'penalty';

export interface Visit {
  node: RubricNode;
  path: string;
  /** 1 for sections. */
  depth: number;
  parents: RubricNode[];
  role: Role;
  isCriterion: boolean;
}

export function walkVariant(v: Variant, vi: number, fn: (x: Visit) => void): void {
  const go = (nodes: RubricNode[], base: string, depth: number, parents: RubricNode[], role: Role | null): void => {
    nodes.forEach((node, i) => {
      const path = `${base}[${i}]`;
      const r: Role = role ?? node.role ?? 'base';
      fn({ node, path, depth, parents, role: r, isCriterion: !node.children?.length });
      if (node.children?.length) go(node.children, `${path}.children`, depth + 1, [...parents, node], r);
    });
  };
  go(v.sections, `variants[${vi}].sections`, 1, [], null);
}

/** How a node is named in messages: its title, else the start of its 评分标准, else its id. */
export function nodeLabel(node: RubricNode): string {
  if (node.title) return node.title;
  const t = (node.text ?? '').replace(/\s+/g, '');
  return t ? (t.length > 24 ? `${t.slice(0, 24)}…` : t) : node.id;
}

export function criterionCtx(program: Program, node: RubricNode, path: string): CriterionCtx {
  const vi = Number(/^variants\[(\d+)\]/.exec(path)?.[1] ?? 0);
  return {
    id: node.id,
    variant: program.variants[vi]?.id ?? '',
    path,
    title: nodeLabel(node),
    points: node.points === undefined || node.points === null ? null : new Dec(node.points),
    naAllowed: node.na ?? program.policies.notApplicable.clerkMayMark,
  };
}

export function findVariant(program: Program, id: string): Variant | undefined {
  return program.variants.find((v) => v.id === id);
}

/** The variants a user may name, for a message: `xianzhi（县直）、xiangzhen（乡镇）`. */
export function variantList(program: Program): string {
  return program.variants.map((v) => (v.name && v.name !== v.id ? `${v.id}（${v.name}）` : v.id)).join('、') || '（无）';
}

/** Does this node concern this unit (R21)? Nodes without appliesTo concern everyone. */
export function appliesToUnit(node: RubricNode, unit: { name: string; tags?: string[] }): boolean {
  const a = node.appliesTo;
  if (!a) return true;
  if (a.exceptUnits?.includes(unit.name)) return false;
  if (!a.units && !a.tags) return true;
  return Boolean(a.units?.includes(unit.name) || a.tags?.some((t) => unit.tags?.includes(t)));
}
