/**
 * 本表设定，文件未规定: the rule values a rubric marks `setting` (a rank table the document never gives, a tier
 * it leaves out, a step). The workbook holds each on its 本表设定 sheet, where the clerk may change it; the sheet's
 * formulas read that cell, and so does the engine: `readSettings` checks what the cells hold exactly as the
 * sheet's 采用值 formula does (layout/settings.ts), `withSettings` gives the program those values.
 * A bad value (text, blank, out of range, a table that no longer keeps its order) is a problem with sheet and
 * cell; the criterion's settings then all keep the rubric's values, in the engine and in the formulas alike.
 */
import { Dec, fmt } from './decimal';
import { kindOf } from './kinds';
import { settingKey, type SettingGroup, type SettingMark } from './kinds/types';
import type { Program, RubricNode } from './model';
import { problem, type Problem } from './problems';
import { criterionCtx, nodeLabel, walkVariant } from './tree';
import type { Raw } from './inputs';

export interface ProgramSetting {
  /** `variant/criterion@param`, e.g. `county/s2.3.3@step.first`. */
  key: string;
  variant: string;
  criterionId: string;
  /** How the criterion is named on the sheet (its title or the start of its text). */
  criterion: string;
  param: string;
  /** The rubric's value. */
  value: number;
  mark: SettingMark;
  min: number;
  max: number | null;
  positive: boolean;
  /** Keys of every setting of the same criterion (they are accepted or refused together). */
  group: string[];
  /** The criterion's whole sequence, where its values must stay in order. */
  order?: { seq: ({ key: string } | { value: number })[]; dir: 'up' | 'down' };
}

const LISTS = new WeakMap<Program, ProgramSetting[]>();

/** Every setting of the program, in rubric order (variants, then criteria). */
export function settingsOf(program: Program): ProgramSetting[] {
  const known = LISTS.get(program);
  if (known) return known;
  const out: ProgramSetting[] = [];
  program.variants.forEach((v, vi) => walkVariant(v, vi, ({ node, path, isCriterion }) => {
    if (!isCriterion || !node.rule) return;
    const ctx = criterionCtx(program, node, path);
    const g: SettingGroup | null = kindOf(node.rule).settings?.(node.rule, ctx) ?? null;
    if (!g || !g.items.length) return;
    const k = (param: string) => settingKey(v.id, node.id, param);
    const group = g.items.map((i) => k(i.param));
    const order = g.order ? { dir: g.order.dir, seq: g.order.seq.map((s) => ('param' in s ? { key: k(s.param) } : { value: s.value })) } : undefined;
    for (const i of g.items) {
      out.push({
        key: k(i.param), variant: v.id, criterionId: node.id, criterion: nodeLabel(node), param: i.param, value: i.value,
        mark: i.mark, min: i.min, max: i.max, positive: i.positive === true, group, ...(order ? { order } : {}),
      });
    }
  }));
  LISTS.set(program, out);
  return out;
}

/** Where a setting's cell is, for messages: `'本表设定'!F4`. */
export type SettingWhere = (key: string) => { sheet: string; cell: string };

const shown = (raw: Raw): string => (typeof raw === 'boolean' ? (raw ? 'TRUE' : 'FALSE') : String(raw));

/** Whether one cell holds an acceptable value of `s` (the sheet's 有效 test, layout/settings.ts). */
function ownProblem(s: ProgramSetting, raw: Raw, where: SettingWhere): Problem | null {
  const { sheet, cell } = where(s.key);
  const [label, criterion, rubric] = [s.mark.label, s.criterion, fmt(s.value, 6)];
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return problem('setting.blank', s.key, { sheet, cell, label, criterion, rubric });
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return problem('setting.notNumber', s.key, { sheet, cell, label, criterion, rubric, value: shown(raw) });
  const v = new Dec(raw);
  const low = s.positive ? v.lte(s.min) : v.lt(s.min);
  if (low || (s.max !== null && v.gt(s.max))) {
    const min = s.positive ? `>${fmt(s.min)}` : fmt(s.min);
    return problem('setting.range', s.key, { sheet, cell, label, criterion, rubric, value: fmt(v, 6), min, max: s.max === null ? '∞' : fmt(s.max) });
  }
  return null;
}

/**
 * The clerk's values (cell contents by setting key; a key not given keeps the rubric's value, as a workbook made
 * before it had the cell) → the values in force and the problems. A group with any bad cell keeps the rubric's values.
 */
export function readSettings(program: Program, raw: ReadonlyMap<string, Raw>, where: SettingWhere): { values: Map<string, number>; problems: Problem[] } {
  const list = settingsOf(program);
  const byKey = new Map(list.map((s) => [s.key, s]));
  const values = new Map<string, number>();
  const problems: Problem[] = [];
  const done = new Set<string>();
  for (const s of list) {
    if (done.has(s.group[0])) continue;
    done.add(s.group[0]);
    const members = s.group.map((k) => byKey.get(k)!);
    if (!members.some((m) => raw.has(m.key))) continue;
    const value = (m: ProgramSetting): Raw => (raw.has(m.key) ? raw.get(m.key) : m.value);
    const value0 = (k: string): number => value(byKey.get(k)!) as number;
    const own = members.map((m) => ownProblem(m, value(m), where)).filter((p): p is Problem => p !== null);
    problems.push(...own);
    if (own.length) continue;
    const order = s.order;
    if (order) {
      const seq = order.seq.map((x) => ('key' in x ? { key: x.key, v: value(byKey.get(x.key)!) as number } : { key: null, v: x.value }));
      const bad = seq.findIndex((x, i) => i > 0 && (order.dir === 'down' ? x.v > seq[i - 1].v : x.v < seq[i - 1].v));
      if (bad > 0) {
        const k = seq[bad].key ?? seq[bad - 1].key!;
        const { sheet, cell } = where(k);
        const [label, criterion, value] = [byKey.get(k)!.mark.label, s.criterion, fmt(value0(k), 6)];
        problems.push(order.dir === 'down'
          ? problem('setting.orderRank', k, { sheet, cell, label, criterion, value })
          : problem('setting.orderTier', k, { sheet, cell, label, criterion, value }));
        continue;
      }
    }
    for (const m of members) if (value(m) !== m.value) values.set(m.key, value(m) as number);
  }
  return { values, problems };
}

function setPath(obj: Record<string, unknown>, path: string, v: number): boolean {
  const parts = path.split('.');
  let at: unknown = obj;
  for (const p of parts.slice(0, -1)) {
    if (at === null || typeof at !== 'object') return false;
    at = (at as Record<string, unknown>)[p];
  }
  const last = parts[parts.length - 1];
  if (at === null || typeof at !== 'object' || typeof (at as Record<string, unknown>)[last] !== 'number') return false;
  (at as Record<string, unknown>)[last] = v;
  return true;
}

const APPLIED = new WeakMap<Program, Map<string, Program>>();

/**
 * The program with the clerk's setting values in force (the rubric itself untouched). The same values give the
 * same program object, so compiled sheets are reused across calls (score.ts keeps them per program).
 */
export function withSettings(program: Program, values: ReadonlyMap<string, number>): Program {
  if (!values.size) return program;
  const list = new Map(settingsOf(program).map((s) => [s.key, s]));
  const sig = [...values].filter(([k]) => list.has(k)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(';');
  if (!sig) return program;
  let cache = APPLIED.get(program);
  if (!cache) APPLIED.set(program, (cache = new Map()));
  const known = cache.get(sig);
  if (known) return known;
  const variants = program.variants.map((v) => ({ ...v, sections: structuredClone(v.sections) }));
  for (const [k, value] of values) {
    const s = list.get(k);
    if (!s) continue;
    const vi = program.variants.findIndex((v) => v.id === s.variant);
    const node = findNode(variants[vi].sections, s.criterionId);
    if (node?.rule) setPath(node.rule as unknown as Record<string, unknown>, s.param, value);
  }
  const out: Program = { ...program, variants };
  cache.set(sig, out);
  return out;
}

function findNode(nodes: RubricNode[], id: string): RubricNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const c = n.children ? findNode(n.children, id) : undefined;
    if (c) return c;
  }
  return undefined;
}
