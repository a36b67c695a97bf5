/**
 * The meaning checks of a rubric that parsed: ids, units, points, and every kind's own checks.
 * Disagreements in the document itself (R19: declared points ≠ their parts) are warnings naming both
 * figures; the engine then caps the subtotal at the declared points.
 */
import { Dec, ZERO, fmt } from './decimal';
import { kindOf } from './kinds';
import type { Program, RubricNode } from './model';
import { problem, type Problem } from './problems';
import { criterionCtx, nodeLabel, variantList, walkVariant } from './tree';

/** The most a node can contribute: its declared points, or what its children/rule can reach. */
export function nodeMax(program: Program, node: RubricNode, path = ''): Dec | null {
  if (node.points !== undefined && node.points !== null) return new Dec(node.points);
  if (node.rule) {
    return kindOf(node.rule).reach(node.rule, criterionCtx(program, node, path));
  }
  if (!node.children?.length) return null;
  const kids = node.children.filter((c) => c.effect !== 'subtract').map((c) => nodeMax(program, c));
  if (kids.some((k) => k === null)) return null;
  const ks = kids as Dec[];
  return node.aggregate === 'max' ? Dec.max(...ks) : ks.reduce((a, b) => a.plus(b), ZERO);
}

/** A zero-out that voids other nodes must name nodes of the same variant. */
function voidChecks(program: Program, v: Program['variants'][number], vi: number, ids: Map<string, string>, skip: ReadonlySet<RubricNode>): Problem[] {
  const out: Problem[] = [];
  walkVariant(v, vi, ({ node, path, isCriterion }) => {
    if (!isCriterion || !node.rule || node.children?.length || skip.has(node)) return;
    const k = kindOf(node.rule);
    if (!k.voids) return;
    for (const clause of k.voids(node.rule, criterionCtx(program, node, path))) {
      for (const id of clause.ids) if (!ids.has(id) || id === node.id) out.push(problem('rubric.unknownVoid', `${path}.rule`, { title: nodeLabel(node), id }));
    }
  });
  return out;
}
/** Spreadsheet functions take at most 255 arguments (Excel; LibreOffice gives #N/A beyond): a node's parts are summed as arguments. */
export const MAX_PARTS = 255;

/** `skip`: nodes whose rule did not parse (already reported); their kind checks are not run. */
export function checkProgram(program: Program, skip: ReadonlySet<RubricNode> = new Set()): Problem[] {
  const out: Problem[] = [];
  const unitNames = new Set<string>();
  const trimmedNames = new Set<string>();
  const variantIds = new Set<string>();
  program.variants.forEach((v, vi) => {
    if (variantIds.has(v.id)) out.push(problem('rubric.duplicateVariant', `variants[${vi}].id`, { id: v.id }));
    variantIds.add(v.id);
  });
  (program.units ?? []).forEach((u, ui) => {
    // "甲局 " and "甲局" print alike: one unit given twice.
    const trimmed = u.name.trim();
    if (unitNames.has(u.name) || trimmedNames.has(trimmed)) out.push(problem('rubric.duplicateUnit', `units[${ui}].name`, { unit: u.name }));
    unitNames.add(u.name);
    trimmedNames.add(trimmed);
    if (!variantIds.has(u.variant)) out.push(problem('rubric.unknownVariant', `units[${ui}].variant`, { unit: u.name, variant: u.variant, known: variantList(program) }));
  });
  // Grade bands are read highest first (the first band whose minimum the score reaches); tiers ascend.
  (program.policies?.grades ?? []).forEach((g, i, gs) => {
    if (i > 0 && !(g.min < gs[i - 1].min)) out.push(problem('rubric.gradesOrder', `policies.grades[${i}]`, { index: i + 1, label: g.label, min: g.min }));
  });
  if ((program.vetoes?.length ?? 0) > MAX_PARTS) out.push(problem('rubric.tooMany', 'vetoes', { what: 'vetoes', count: program.vetoes!.length, max: MAX_PARTS }));
  const vetoIds = new Set<string>();
  (program.vetoes ?? []).forEach((v, i) => {
    if (vetoIds.has(v.id)) out.push(problem('rubric.vetoDuplicate', `vetoes[${i}].id`, { id: v.id }));
    vetoIds.add(v.id);
  });

  program.variants.forEach((v, vi) => {
    const ids = new Map<string, string>();
    let baseSum = ZERO;
    let baseSumKnown = true;
    if (v.sections.length > MAX_PARTS) out.push(problem('rubric.tooMany', `variants[${vi}].sections`, { what: `variants[${vi}].sections`, count: v.sections.length, max: MAX_PARTS }));
    walkVariant(v, vi, ({ node, path, depth, role, isCriterion }) => {
      if ((node.children?.length ?? 0) > MAX_PARTS) out.push(problem('rubric.tooMany', `${path}.children`, { what: `${path}.children`, count: node.children!.length, max: MAX_PARTS }));
      const first = ids.get(node.id);
      if (first) out.push(problem('rubric.duplicateId', `${path}.id`, { id: node.id, first }));
      else ids.set(node.id, path);
      if (node.role && depth > 1) out.push(problem('rubric.schema', `${path}.role`, { detail: 'role 只能用于顶层项目 / role belongs to top-level sections only' }));
      if (node.appliesTo?.units && program.units) {
        node.appliesTo.units.filter((u) => !unitNames.has(u)).forEach((u) => out.push(problem('rubric.unknownUnit', `${path}.appliesTo`, { unit: u })));
      }
      if (depth === 1 && role === 'base') {
        if (node.points === undefined || node.points === null) baseSumKnown = false;
        else baseSum = baseSum.plus(node.points);
      }
      if (node.rule && node.children?.length) {
        out.push(problem('rubric.ruleAndChildren', path, { title: nodeLabel(node) }));
        return;
      }
      if (isCriterion) {
        if (!node.rule) {
          out.push(problem('rubric.noChildren', path, { title: nodeLabel(node) }));
          return;
        }
        if (skip.has(node)) return;
        const hasPoints = node.points !== undefined && node.points !== null;
        const needsPoints = role === 'base' && node.effect !== 'subtract' && node.rule.kind !== 'tally';
        if (!hasPoints && needsPoints) {
          if (node.note) out.push(problem('rubric.noPointsCriterion', path, { title: nodeLabel(node), note: node.note }));
          else out.push(problem('rubric.pointsMissing', path, { title: nodeLabel(node) }));
        }
        const ctx = criterionCtx(program, node, path);
        out.push(...kindOf(node.rule).check(node.rule, ctx));
        const reach = kindOf(node.rule).reach(node.rule, ctx);
        if (hasPoints && reach !== null && reach.lt(node.points!) && node.rule.kind !== 'deduct') {
          out.push(problem('rubric.capUnreachable', `${path}.points`, { cap: fmt(node.points!), reach: fmt(reach, 4) }));
        }
        return;
      }
      // R19: declared points against the sum (or the highest) of the parts.
      if (node.points !== undefined && node.points !== null) {
        // A rule that failed its schema anywhere below leaves the sum unknown (its parameters cannot be read).
        const bad = (n: RubricNode): boolean => skip.has(n) || (n.children ?? []).some(bad);
        if (node.children!.some(bad)) return;
        const kids = node.children!.filter((c) => c.effect !== 'subtract').map((c) => nodeMax(program, c));
        if (kids.every((k) => k !== null)) {
          const ks = kids as Dec[];
          const agg = node.aggregate === 'max' ? Dec.max(...ks) : ks.reduce((a, b) => a.plus(b), ZERO);
          if (!agg.eq(node.points)) out.push(problem('rubric.pointsMismatch', `${path}.points`, { title: nodeLabel(node), declared: fmt(node.points), sum: fmt(agg, 4) }));
        }
      }
    });
    out.push(...voidChecks(program, v, vi, ids, skip));
    if (v.fullMark !== undefined && baseSumKnown && !baseSum.eq(v.fullMark)) {
      out.push(problem('rubric.totalMismatch', `variants[${vi}].fullMark`, { variant: v.name, fullMark: fmt(v.fullMark), sum: fmt(baseSum, 4) }));
    }
  });
  return out;
}
