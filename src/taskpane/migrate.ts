// 更新评分标准, the pure half, on the engine's diffPrograms / carryInputs (src/engine/diff.ts): what
// changed between two versions of a rubric, how the inputs a clerk already typed carry over (by input key
// `<criterion id>#<name>`), which ones have nowhere to go (kept in a visible 未匹配录入 block, never
// dropped, with the reason), and which unit totals move. No Office, no DOM: the Excel adapter reads the
// inputs and writes the result.
import {
  carryInputs,
  compileSheet,
  diffPrograms,
  findVariant,
  resolveUnit,
  scoreCohort,
  walkVariant,
  type CohortEntry,
  type InputSpec,
  type NodeChange,
  type Program,
  type Raw,
  type SheetModel,
} from '../engine';
import type { CellPlan, SheetPlan } from '../layout';

export interface ProgramDiff {
  programId: string;
  from: string | null;
  to: string;
  changes: NodeChange[];
  /** True when nothing changed (same criteria, points, rules and texts). */
  same: boolean;
}

export type UnmatchedReason = 'criterionRemoved' | 'inputRemoved' | 'notApplicable' | 'unitRemoved';

export interface UnmatchedInput {
  unit: string;
  variant: string;
  key: string;
  /** What the input was called in the old version (its label), or the key when unknown. */
  label: string;
  value: Raw;
  reason: UnmatchedReason;
}

export interface OldEntry {
  unit: string;
  variant: string;
  tags?: string[];
  inputs: Record<string, Raw>;
  /** 扣分依据/说明 by criterion id: carried to the same criterion id, or kept aside like an input. */
  remarks?: Record<string, string>;
}

/** The key under which a 扣分依据/说明 is kept in 未匹配录入 (`<criterion id>#扣分依据`). */
export const REMARK_SUFFIX = '#扣分依据';

export interface CarryOver {
  entries: (CohortEntry & { variant: string; inputs: Record<string, Raw>; remarks: Record<string, string> })[];
  unmatched: UnmatchedInput[];
  /** How many non-blank inputs were carried over. */
  carried: number;
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

const isBlank = (v: Raw): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const criterionOf = (key: string): string => key.split('#')[0];

function unitOf(program: Program, unit: string, variant: string, tags?: string[]): { name: string; variant: string; tags: string[] } | null {
  const listed = program.units?.find((u) => u.name === unit);
  if (listed) return findVariant(program, listed.variant) ? resolveUnit(program, unit, listed.variant, tags) : null;
  return findVariant(program, variant) ? resolveUnit(program, unit, variant, tags) : null;
}

function inVariant(program: Program, variantId: string, criterionId: string): boolean {
  const vi = program.variants.findIndex((v) => v.id === variantId);
  let found = false;
  if (vi >= 0) walkVariant(program.variants[vi], vi, ({ node }) => (found ||= node.id === criterionId));
  return found;
}

/**
 * Carries every non-blank input over to the new version by key (engine's carryInputs); the rest is
 * returned in `unmatched` with its old label and the reason.
 */
export function carryOver(oldProgram: Program | null, newProgram: Program, old: readonly OldEntry[]): CarryOver {
  const entries: CarryOver['entries'] = [];
  const unmatched: UnmatchedInput[] = [];
  let carried = 0;
  for (const e of old) {
    const ou = oldProgram ? unitOf(oldProgram, e.unit, e.variant, e.tags) : null;
    const ov = ou && oldProgram ? findVariant(oldProgram, ou.variant) : undefined;
    const oldSheet: SheetModel | null = ou && ov && oldProgram ? compileSheet(oldProgram, ov, ou) : null;
    const oldSpecs = new Map<string, InputSpec>(oldSheet ? [...oldSheet.inputs, ...oldSheet.vetoInputs].map((x) => [x.key, x]) : []);
    const labelOf = (key: string): string => {
      const spec = oldSpecs.get(key);
      if (!spec) return key;
      const node = oldSheet?.nodes.get(spec.criterionId)?.node;
      const title = node ? node.title || node.text?.slice(0, 30) || '' : '';
      return title && title !== spec.label ? `${title}：${spec.label}` : spec.label;
    };
    const nu = unitOf(newProgram, e.unit, e.variant, e.tags);
    const filled = Object.fromEntries(Object.entries(e.inputs).filter(([, v]) => !isBlank(v)));
    const said = Object.entries(e.remarks ?? {}).filter(([, v]) => !isBlank(v));
    const remarkLabel = (cid: string): string => {
      const node = oldSheet?.nodes.get(cid)?.node;
      return `${node ? node.title || node.text?.slice(0, 30) || cid : cid}：扣分依据/说明`;
    };
    if (!nu) {
      for (const [key, value] of Object.entries(filled)) unmatched.push({ unit: e.unit, variant: e.variant, key, label: labelOf(key), value, reason: 'unitRemoved' });
      for (const [cid, value] of said) unmatched.push({ unit: e.unit, variant: e.variant, key: `${cid}${REMARK_SUFFIX}`, label: remarkLabel(cid), value, reason: 'unitRemoved' });
      continue;
    }
    const r = carryInputs(newProgram, nu.variant, nu, filled);
    carried += Object.keys(r.carried).length;
    const sheet = compileSheet(newProgram, findVariant(newProgram, nu.variant)!, nu);
    for (const { key, value } of r.unmatched) {
      const cid = criterionOf(key);
      const reason: UnmatchedReason = sheet.nodes.has(cid) ? 'inputRemoved' : inVariant(newProgram, nu.variant, cid) ? 'notApplicable' : 'criterionRemoved';
      unmatched.push({ unit: e.unit, variant: e.variant, key, label: labelOf(key), value, reason });
    }
    // The assessor's words follow their criterion id; the 一票否决 block's ($veto) stays while vetoes exist.
    const remarks: Record<string, string> = {};
    for (const [cid, value] of said) {
      const node = sheet.nodes.get(cid);
      if ((node && node.inputs.length > 0) || (cid === '$veto' && sheet.vetoInputs.length > 0)) remarks[cid] = value;
      else {
        const reason: UnmatchedReason = node ? 'notApplicable' : inVariant(newProgram, nu.variant, cid) ? 'notApplicable' : 'criterionRemoved';
        unmatched.push({ unit: e.unit, variant: e.variant, key: `${cid}${REMARK_SUFFIX}`, label: remarkLabel(cid), value, reason });
      }
    }
    entries.push({ unit: nu.name, variant: nu.variant, tags: nu.tags, inputs: r.carried, remarks });
  }
  return { entries, unmatched, carried };
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
): Migration {
  const diff = diffVersions(oldProgram, newProgram);
  const carry = carryOver(oldProgram, newProgram, old);
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

// ---------------------------------------------------------------------------------------------------
// The visible 未匹配录入 block: a plain sheet in the plan, so both outlets (xlsx bytes, ranges) write it.

export const UNMATCHED_SHEET_NAME = '未匹配录入';
const UNMATCHED_HEADERS = ['被考核单位', '类别', '录入项编号', '原评分项', '录入值', '原因'];
const REASONS: Record<UnmatchedReason, string> = {
  criterionRemoved: '新版本中已无此评分项',
  inputRemoved: '评分项仍在，但此录入项已取消',
  notApplicable: '新版本中此评分项不考核本单位',
  unitRemoved: '新版本中没有此单位或其类别',
};

/** The 未匹配录入 sheet: a title, a header row and one row per input kept aside. */
export function unmatchedSheetPlan(unmatched: readonly UnmatchedInput[], version: string): SheetPlan {
  const cells: CellPlan[] = [
    { row: 1, col: 1, style: 'title', value: `未匹配录入（更新为版本 ${version} 时找不到对应评分项的录入，原样保留）` },
    ...UNMATCHED_HEADERS.map((h, i) => ({ row: 2, col: i + 1, style: 'header', value: h })),
  ];
  unmatched.forEach((u, i) => {
    const row = i + 3;
    const value = u.value === null || u.value === undefined ? '' : typeof u.value === 'boolean' ? (u.value ? '是' : '否') : u.value;
    [u.unit, u.variant, u.key, u.label, value, REASONS[u.reason]].forEach((v, j) =>
      cells.push({ row, col: j + 1, style: j === 4 ? 'textCenter' : 'text', value: v as string | number }),
    );
  });
  return {
    name: UNMATCHED_SHEET_NAME,
    kind: 'summary',
    state: 'visible',
    columns: [{ width: 16 }, { width: 8 }, { width: 18 }, { width: 36 }, { width: 12 }, { width: 26 }],
    rowHeights: [undefined, 28],
    cells,
    merges: [{ top: 1, left: 1, bottom: 1, right: 6 }],
    validations: [],
    protection: null,
    print: null,
    conditional: [],
    tabColor: 'C00000',
  };
}

/** Rows read back from an existing 未匹配录入 sheet (header found by its 录入项编号 column). */
export function readUnmatchedRows(rows: readonly (readonly unknown[])[]): { unit: string; variant: string; key: string; value: Raw }[] {
  const h = rows.findIndex((r) => r.includes('录入项编号'));
  if (h < 0) return [];
  const col = (name: string) => rows[h].indexOf(name);
  const [cu, cv, ck, cx] = [col('被考核单位'), col('类别'), col('录入项编号'), col('录入值')];
  return rows
    .slice(h + 1)
    .map((r) => ({ unit: String(r[cu] ?? ''), variant: String(r[cv] ?? ''), key: String(r[ck] ?? ''), value: r[cx] as Raw }))
    .filter((r) => r.unit && r.key && !isBlank(r.value));
}

/** Puts inputs kept aside by an earlier update back with their units, so a newer version may match them. */
export function withUnmatched(old: readonly OldEntry[], rows: ReturnType<typeof readUnmatchedRows>): OldEntry[] {
  const out = old.map((e) => ({ ...e, inputs: { ...e.inputs } }));
  for (const r of rows) {
    let e = out.find((x) => x.unit === r.unit);
    if (!e) {
      e = { unit: r.unit, variant: r.variant, inputs: {} };
      out.push(e);
    }
    if (r.key.endsWith(REMARK_SUFFIX)) {
      const cid = r.key.slice(0, -REMARK_SUFFIX.length);
      e.remarks = { ...(e.remarks ?? {}) };
      if (isBlank(e.remarks[cid] ?? null)) e.remarks[cid] = String(r.value);
    } else if (isBlank(e.inputs[r.key] ?? null)) e.inputs[r.key] = r.value;
  }
  return out;
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
