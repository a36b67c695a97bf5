/**
 * What changed between two versions of a rubric, and how entered values carry over (更新评分标准).
 * Inputs follow their key (`<criterion id>#<name>`); a key that no longer exists is never dropped but
 * returned as unmatched, for the sheet's 未匹配录入 block.
 */
import type { Raw } from './inputs';
import type { Program, RubricNode } from './model';
import { compileSheet } from './compile';
import { nodeLabel, walkVariant } from './tree';

export interface NodeChange {
  variant: string;
  id: string;
  title: string;
  change: 'added' | 'removed' | 'points' | 'rule' | 'text' | 'moved';
  before?: string;
  after?: string;
}

const fingerprint = (n: RubricNode) => JSON.stringify(n.rule ?? null);

function flatten(program: Program, variantId: string): Map<string, { node: RubricNode; parent: string }> {
  const out = new Map<string, { node: RubricNode; parent: string }>();
  const vi = program.variants.findIndex((v) => v.id === variantId);
  if (vi < 0) return out;
  walkVariant(program.variants[vi], vi, ({ node, parents }) => out.set(node.id, { node, parent: parents[parents.length - 1]?.id ?? '' }));
  return out;
}

export function diffPrograms(before: Program, after: Program): NodeChange[] {
  const changes: NodeChange[] = [];
  const variants = new Set([...before.variants.map((v) => v.id), ...after.variants.map((v) => v.id)]);
  for (const v of variants) {
    const a = flatten(before, v);
    const b = flatten(after, v);
    for (const [id, { node }] of a) if (!b.has(id)) changes.push({ variant: v, id, title: nodeLabel(node), change: 'removed' });
    for (const [id, { node, parent }] of b) {
      const old = a.get(id);
      const title = nodeLabel(node);
      if (!old) {
        changes.push({ variant: v, id, title, change: 'added' });
        continue;
      }
      if ((old.node.points ?? null) !== (node.points ?? null)) changes.push({ variant: v, id, title, change: 'points', before: String(old.node.points ?? '—'), after: String(node.points ?? '—') });
      if (fingerprint(old.node) !== fingerprint(node)) changes.push({ variant: v, id, title, change: 'rule', before: fingerprint(old.node), after: fingerprint(node) });
      if ((old.node.text ?? '') !== (node.text ?? '') || (old.node.title ?? '') !== (node.title ?? '')) changes.push({ variant: v, id, title, change: 'text', before: old.node.text ?? old.node.title, after: node.text ?? node.title });
      if (old.parent !== parent) changes.push({ variant: v, id, title, change: 'moved', before: old.parent, after: parent });
    }
  }
  return changes;
}

export interface CarryResult {
  /** Values whose key exists in the new rubric, by key. */
  carried: Record<string, Raw>;
  /** Values whose key no longer exists: kept, shown in 未匹配录入. */
  unmatched: { key: string; value: Raw }[];
}

/** Carries a unit's entered values onto the new rubric's sheet for that unit. */
export function carryInputs(after: Program, variantId: string, unit: { name: string; tags?: string[] }, values: Record<string, Raw>): CarryResult {
  const variant = after.variants.find((v) => v.id === variantId);
  const keys = new Set<string>();
  if (variant) {
    const sheet = compileSheet(after, variant, unit);
    for (const i of [...sheet.inputs, ...sheet.vetoInputs]) keys.add(i.key);
  }
  const carried: Record<string, Raw> = {};
  const unmatched: { key: string; value: Raw }[] = [];
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined || v === '') continue;
    if (keys.has(k)) carried[k] = v;
    else unmatched.push({ key: k, value: v });
  }
  return { carried, unmatched };
}
