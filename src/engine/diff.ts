/**
 * What changed between two versions of a rubric, and how entered values carry over (更新评分标准).
 * Inputs follow what they mean (their key `<criterion id>#<name>` when the input there still asks for
 * the same thing, else the moved line that does); a value with no such place is never dropped but
 * returned as unmatched, for the sheet's 未匹配录入 block.
 */
import type { InputSpec, Raw } from './inputs';
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
  /** Values placed on the new rubric's sheet, by their key there. */
  carried: Record<string, Raw>;
  /**
   * Values with nowhere safe to go: kept, shown in 未匹配录入. `changed`: the key still exists but the
   * input there now means something else (another label, line text or type), and no input of the same
   * criterion means what the old one meant.
   */
  unmatched: { key: string; value: Raw; changed?: boolean }[];
  /** Values carried to another key because their line moved (same label, text and type), old key → new key. */
  moved: { from: string; to: string }[];
}

/** Line names given by position (`l1`, `l2`…) say nothing about what the line is; named inputs do. */
const positional = (s: InputSpec): boolean => /^l\d+$/.test(s.name);
const meaning = (s: InputSpec): string => JSON.stringify([s.type, s.label.trim(), (s.lineText ?? '').trim()]);

/**
 * Carries a unit's entered values onto the new rubric's sheet for that unit.
 *
 * Without `oldInputs` (the old version's input specs for this unit) values follow their key only. With
 * them, a value follows what its input means: it stays on its key when the input there means the same
 * (same type, label and line text) or has a stable, rubric-given name of the same type; otherwise it goes
 * to the one input of the same criterion that means what the old one meant (a line that moved, e.g. after
 * a line was inserted before it, so `l1` became `l2`), and when there is none, or more than one, it is
 * unmatched rather than put on a line that asks for something else.
 */
export function carryInputs(
  after: Program,
  variantId: string,
  unit: { name: string; tags?: string[] },
  values: Record<string, Raw>,
  oldInputs?: readonly InputSpec[],
): CarryResult {
  const variant = after.variants.find((v) => v.id === variantId);
  const specs = new Map<string, InputSpec>();
  if (variant) {
    const sheet = compileSheet(after, variant, unit);
    for (const i of [...sheet.inputs, ...sheet.vetoInputs]) specs.set(i.key, i);
  }
  const old = new Map<string, InputSpec>((oldInputs ?? []).map((i) => [i.key, i]));
  const carried: Record<string, Raw> = {};
  const unmatched: CarryResult['unmatched'] = [];
  const moved: CarryResult['moved'] = [];
  const taken = new Set<string>();
  const deferred: [string, Raw, InputSpec][] = [];
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined || v === '') continue;
    const now = specs.get(k);
    const was = old.get(k);
    if (!was) {
      // Nothing known about what it meant (no old version, or a key kept aside by an earlier update).
      if (now && !taken.has(k)) {
        carried[k] = v;
        taken.add(k);
      } else unmatched.push({ key: k, value: v });
    } else if (now && (meaning(now) === meaning(was) || (!positional(now) && !positional(was) && now.type === was.type))) {
      carried[k] = v;
      taken.add(k);
    } else deferred.push([k, v, was]);
  }
  // Second pass, after every value that stays put has its place: lines that moved within their criterion.
  for (const [k, v, was] of deferred) {
    const same = [...specs.values()].filter((s) => s.criterionId === was.criterionId && meaning(s) === meaning(was) && !taken.has(s.key));
    if (same.length === 1) {
      carried[same[0].key] = v;
      taken.add(same[0].key);
      moved.push({ from: k, to: same[0].key });
    } else unmatched.push({ key: k, value: v, ...(specs.has(k) ? { changed: true } : {}) });
  }
  return { carried, unmatched, moved };
}
