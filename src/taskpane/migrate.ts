// 更新评分标准, the pure half, on the engine's diffPrograms / carryInputs (src/engine/diff.ts): what
// changed between two versions of a rubric, how the inputs a clerk already typed carry over (by input key
// `<criterion id>#<name>`), which ones have nowhere to go (kept in a visible 未匹配录入 block, never
// dropped, with the reason), and which unit totals move. No Office, no DOM: the Excel adapter reads the
// inputs and writes the result.
import { diffPrograms, scoreCohort, type HandId, type NodeChange, type Program } from '../engine';
import { carryOver, type CarryOver, type OldEntry } from '../layout';

// The pure carry-over and the 未匹配录入 sheet live in src/layout/carry.ts (the CLI uses them too).
export {
  carryOver,
  readUnmatchedRows,
  unmatchedSheetPlan,
  withUnmatched,
  UNMATCHED_SHEET_NAME,
  type CarryOver,
  type OldEntry,
  type UnmatchedInput,
  type UnmatchedReason,
} from '../layout';
/** Key suffix of a 扣分依据/说明 kept on 未匹配录入 (`<criterion id>#扣分依据`). */
export { REMARK_SUFFIX } from '../layout/carry';

export interface ProgramDiff {
  programId: string;
  from: string | null;
  to: string;
  changes: NodeChange[];
  /** True when nothing changed (same criteria, points, rules and texts). */
  same: boolean;
}

export interface TotalMove {
  unit: string;
  variant: string;
  from: number | null;
  to: number;
  delta: number | null;
}

export interface Migration {
  diff: ProgramDiff;
  carry: CarryOver;
  totals: TotalMove[];
  /** Only the units whose final score changes (or whose old total is unknown). */
  moved: TotalMove[];
}

export function diffVersions(oldProgram: Program | null, newProgram: Program): ProgramDiff {
  const changes = oldProgram ? diffPrograms(oldProgram, newProgram) : [];
  return { programId: newProgram.id, from: oldProgram?.version ?? null, to: newProgram.version, changes, same: oldProgram !== null && changes.length === 0 };
}

/**
 * The whole migration. `oldFinals` (unit → final score as the workbook shows it) stands in for the old
 * version when its rubric text is not available.
 */
export function planMigration(
  oldProgram: Program | null,
  newProgram: Program,
  old: readonly OldEntry[],
  oldFinals: ReadonlyMap<string, number> = new Map(),
  hands?: readonly HandId[],
): Migration {
  const diff = diffVersions(oldProgram, newProgram);
  // Every hand's column (自评, raters) carried by criterion id like the first (issue 15).
  const carry = carryOver(oldProgram, newProgram, old, hands);
  const before = new Map<string, number>(oldFinals);
  if (oldProgram) {
    const r = scoreCohort(oldProgram, old.map((e) => ({ unit: e.unit, variant: e.variant, tags: e.tags, inputs: e.inputs })));
    for (const u of r.units) before.set(u.unit, u.final);
  }
  const after = scoreCohort(newProgram, carry.entries);
  const totals: TotalMove[] = after.units.map((u) => {
    const from = before.get(u.unit) ?? null;
    const delta = from === null ? null : Math.round((u.final - from) * 1e6) / 1e6;
    return { unit: u.unit, variant: u.variant, from, to: u.final, delta };
  });
  return { diff, carry, totals, moved: totals.filter((t) => t.delta === null || t.delta !== 0) };
}

export type DiffLine = {
  id: 'diff.title' | 'diff.added' | 'diff.removed' | 'diff.points' | 'diff.rule' | 'diff.text' | 'diff.none' | 'diff.moved' | 'diff.unmoved' | 'diff.unmatched';
  params: Record<string, string>;
  variant?: string;
};

const LINE_OF: Record<NodeChange['change'], DiffLine['id']> = {
  added: 'diff.added',
  removed: 'diff.removed',
  points: 'diff.points',
  rule: 'diff.rule',
  text: 'diff.text',
  moved: 'diff.text',
};

/** The migration as lines for the pane (message ids with parameters), per variant and kind of change. */
export function diffLines(m: Migration, variantName: (id: string) => string = (id) => id): DiffLine[] {
  const lines: DiffLine[] = [{ id: 'diff.title', params: { from: m.diff.from ?? '?', to: m.diff.to } }];
  const variants = [...new Set(m.diff.changes.map((c) => c.variant))];
  for (const v of variants) {
    const tag = variants.length > 1 ? `${variantName(v)}：` : '';
    for (const id of ['diff.added', 'diff.removed', 'diff.points', 'diff.rule', 'diff.text'] as const) {
      const cs = m.diff.changes.filter((c) => c.variant === v && LINE_OF[c.change] === id);
      if (!cs.length) continue;
      const item = (c: NodeChange) => `${c.title}（${c.id}）${c.change === 'points' ? ` ${c.before}→${c.after}` : ''}`;
      lines.push({ id, params: { items: tag + [...new Map(cs.map((c) => [c.id, item(c)])).values()].join('；') }, variant: v });
    }
  }
  if (lines.length === 1) lines.push({ id: 'diff.none', params: {} });
  const moved = m.moved.filter((t) => t.delta !== null && t.delta !== 0);
  if (moved.length) {
    lines.push({ id: 'diff.moved', params: { items: moved.map((t) => `${t.unit} ${t.from}→${t.to}（${t.delta! > 0 ? '+' : ''}${t.delta}）`).join('；') } });
  } else lines.push({ id: 'diff.unmoved', params: {} });
  if (m.carry.unmatched.length) lines.push({ id: 'diff.unmatched', params: { count: String(m.carry.unmatched.length) } });
  return lines;
}
