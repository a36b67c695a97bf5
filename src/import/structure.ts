/**
 * A grid → the tree of a rubric variant: the header row and what each column is, the name columns
 * (merged over the rows they head) as levels, the scoring text of each row as criteria, points from
 * the 分值 column or from （N分） in the text, and bonus/penalty sections.
 */
import type { Grid } from './grid';
import { headerRole, isHeaderRow, type ColumnRole } from './headers';
import { fold } from './numbers';
import { trailingPoints } from './grammar';
import type { ImportProblem } from './messages';
import { importProblem } from './messages';

export interface ImportNode {
  title: string;
  points?: number;
  role?: 'bonus' | 'penalty';
  effect?: 'subtract';
  method?: string;
  content?: string;
  text?: string;
  target?: string;
  /** Line (text) or row (sheet) the node came from. */
  line?: number;
  children?: ImportNode[];
  /** A criterion: read by the grammar later. */
  criterion?: boolean;
  /** The criterion was split from a cell holding several numbered clauses. */
  split?: boolean;
}

export interface Column {
  header: string;
  role: ColumnRole;
}

export interface ImportTable {
  columns: Column[];
  sections: ImportNode[];
  /** The 分值 column holds the points of the first level (merged over a section), not a criterion's. */
  pointsLevel: boolean;
  /** 倒扣分 / 扣完为止 in a header: every criterion starts full and loses points. */
  deductive: boolean;
  units: string[];
  problems: ImportProblem[];
}

const joinLines = (s: string): string => s.split('\n').map((x) => x.trim()).filter(Boolean).join('');

/** Points written as a cell value: 10, 3分, 2.5 分. */
export function pointsValue(s: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*分?\s*$/.exec(fold(s));
  return m ? Number(m[1]) : undefined;
}

/** （N分） at the end of a title: 一、…（30分）, 基础工作 (10分). */
export function titlePoints(title: string): number | undefined {
  const m = /\(\s*(\d+(?:\.\d+)?)\s*分\s*\)?\s*$/.exec(fold(joinLines(title)));
  return m ? Number(m[1]) : undefined;
}

const NUMBERED = /^\s*(\d+\s*[.、．](?!\d)|[（(]\s*\d+\s*[)）]|[①②③④⑤⑥⑦⑧⑨⑩])/;

function numberedCount(text: string): number {
  return text.split('\n').filter((l) => NUMBERED.test(l)).length;
}

function columnsOf(grid: Grid, problems: ImportProblem[]): Column[] {
  const header = grid.rows[0];
  const width = Math.max(...grid.rows.map((r) => r.length));
  const cols: Column[] = header.map((h, i) => ({ header: h.trim() || (i > 0 ? header[i - 1].trim() : ''), role: headerRole(h) ?? (i > 0 && !h.trim() ? headerRole(header[i - 1]) ?? 'note' : 'note') }));
  // A name header spanning two columns (指标名称 over 组织保障 | 领导重视): rows are wider than the header.
  const extra = width - cols.length;
  if (extra > 0) {
    const first = cols.findIndex((c) => c.role === 'level');
    const at = first >= 0 ? first : 0;
    for (let k = 0; k < extra; k++) cols.splice(at + 1, 0, { header: cols[at].header, role: cols[at].role });
    problems.push(importProblem('import.headerSpan', '', { header: cols[at].header, n: extra + 1 }));
  }
  // 考核内容: a name column (short, merged) or one description per row (long).
  const textCol = cols.findIndex((c) => c.role === 'text');
  cols.forEach((c, i) => {
    if (c.role !== 'level' || !/考核内容|工作任务/.test(c.header) || textCol < 0) return;
    if (!cols.slice(0, i).some((x) => x.role === 'level')) return;
    const vals = grid.rows.slice(1).map((r) => joinLines(r[i] ?? '')).filter(Boolean);
    const mean = vals.reduce((n, v) => n + v.length, 0) / Math.max(1, vals.length);
    if (mean > 40) c.role = 'content';
  });
  return cols;
}

interface RowItem {
  text: string;
  rawText: string;
  content?: string;
  points?: string;
  method?: string;
  target?: string;
  line?: number;
}

/** Build the tree of one table. */
export function buildTable(grid: Grid): ImportTable {
  const problems: ImportProblem[] = [];
  const columns = columnsOf(grid, problems);
  const idx = (role: ColumnRole): number => columns.findIndex((c) => c.role === role);
  const levelCols = columns.map((c, i) => (c.role === 'level' ? i : -1)).filter((i) => i >= 0);
  const textCol = idx('text');
  const contentCol = idx('content');
  const pointsCol = idx('points');
  const methodCol = idx('method');
  const targetCol = idx('target');
  const unitsCol = idx('units');
  const deductive = columns.some((c) => /倒扣分|扣完为止/.test(c.header));
  const hasBanner = !!grid.banner?.some(Boolean);
  const base = hasBanner ? 1 : 0;
  const depthCount = base + levelCols.length;

  const roots: ImportNode[] = [];
  const open: (ImportNode | null)[] = new Array(depthCount).fill(null);
  const items = new Map<ImportNode, RowItem[]>();
  const newAt = (d: number, title: string, line?: number): ImportNode => {
    const n: ImportNode = { title, line };
    const pts = titlePoints(title);
    if (pts !== undefined) n.points = pts;
    if (d === 0) roots.push(n);
    else {
      let parent: ImportNode | null = null;
      for (let k = d - 1; k >= 0 && !parent; k--) parent = open[k];
      if (!parent) {
        parent = { title: '' };
        roots.push(parent);
        open[0] = parent;
      }
      (parent.children ??= []).push(n);
    }
    open[d] = n;
    for (let k = d + 1; k < depthCount; k++) open[k] = null;
    return n;
  };
  let lastMethod: string | undefined;
  let lastTarget: string | undefined;
  let lastPoints: string | undefined;
  const pointsRows: { value: string; opened: number }[] = [];
  const units: string[] = [];

  grid.rows.forEach((row, r) => {
    if (r === 0) return;
    const line = grid.lineOf?.[r];
    if (isHeaderRow(row)) return; // repeated at a page break
    if (row.every((c) => !c.trim())) return;
    if (grid.banner?.[r]) {
      const t = joinLines(row[0]);
      if (!open[0] || open[0].title !== t) {
        newAt(0, t, line);
        lastMethod = lastTarget = undefined;
      }
      return;
    }
    let openedAt = -1;
    levelCols.forEach((c, k) => {
      const d = base + k;
      const v = joinLines(row[c] ?? '');
      if (!v) return;
      const cur = open[d];
      if (openedAt < 0 && cur && cur.title === v) return; // merged cell repeated (page break, extraction)
      newAt(d, v, line);
      if (openedAt < 0) openedAt = d;
    });
    if (openedAt === base) lastMethod = lastTarget = undefined;
    if (unitsCol >= 0 && row[unitsCol]?.trim()) units.push(...splitList(joinLines(row[unitsCol])).map((s) => s.replace(/等\s*\d+\s*个(部门|单位)[。]?$/, '').trim()).filter(Boolean));
    let text = textCol >= 0 ? (row[textCol] ?? '') : '';
    let pts = pointsCol >= 0 ? (row[pointsCol] ?? '').trim() : '';
    // A short row whose scoring text slid into the 分值 column (加、减分 rows without points)
    if (pts && pointsValue(pts.split('\n')[0]) === undefined && !/^(扣分项|加分项)$/.test(pts) && !text.trim() && textCol > pointsCol) {
      text = pts;
      pts = '';
    }
    const content = contentCol >= 0 ? joinLines(row[contentCol] ?? '') : '';
    const method = methodCol >= 0 ? row[methodCol]?.trim() : '';
    const target = targetCol >= 0 ? joinLines(row[targetCol] ?? '') : '';
    if (method) lastMethod = method;
    if (target) lastTarget = target;
    if (pts) {
      const ls = pts.split('\n');
      if (ls.length > 1 && ls.every((x) => x === ls[0]) && numberedCount(text) !== ls.length) pts = ls[0];
      const first = ls[0];
      // the merged 85 printed twice does not start anything
      if (!(openedAt !== base && first === lastPoints && pointsValue(first) !== undefined)) pointsRows.push({ value: first, opened: openedAt });
      lastPoints = first;
    }
    if (!text.trim() && !content && !pts) return;
    let holder: ImportNode | null = null;
    for (let d = depthCount - 1; d >= 0 && !holder; d--) holder = open[d];
    if (!holder) holder = newAt(0, '', line);
    const list = items.get(holder) ?? [];
    list.push({ text: joinLines(text), rawText: text, content: content || undefined, points: pts || undefined, method: lastMethod, target: lastTarget, line });
    items.set(holder, list);
  });

  // The 分值 column belongs to the first level when every value in it starts a section.
  const blankCriterionRow = [...items.values()].some((list) => list.some((it) => it.text && !it.points));
  const pointsLevel = pointsRows.length > 0 && pointsRows.every((p) => p.opened === base) && levelCols.length > 1 && blankCriterionRow
    && roots.every((r) => r.points === undefined || !firstItem(r, items)?.points || pointsValue(firstItem(r, items)!.points!.split('\n')[0]) === r.points);
  if (pointsLevel) {
    // values were attached to the rows that opened the sections: move them onto the sections.
    for (const root of roots) {
      const first = firstItem(root, items);
      if (first?.points && root.points === undefined) root.points = pointsValue(first.points.split('\n')[0]);
    }
    for (const list of items.values()) for (const it of list) it.points = undefined;
  }

  const finish = (node: ImportNode, depth: number): void => {
    const its = items.get(node) ?? [];
    const crit: ImportNode[] = its.flatMap((it) => criteriaOf(it, problems));
    if (crit.length) node.children = [...(node.children ?? []), ...crit];
    for (const ch of node.children ?? []) if (!ch.criterion) finish(ch, depth + 1);
    // A level heading a single criterion is that criterion (领导重视 | 考核内容 | 分值 | 扣分办法).
    const kids = node.children ?? [];
    if (depth > 0 && kids.length === 1 && kids[0].criterion && !kids[0].split && node.points === undefined && !kids[0].title) {
      const c = kids[0];
      Object.assign(node, { ...c, title: node.title, line: node.line ?? c.line });
      delete node.children;
      node.criterion = true;
    }
    liftShared(node, 'method');
  };
  roots.forEach((r) => finish(r, 0));
  for (const r of roots) {
    for (const ch of r.children ?? []) liftShared(ch, 'method');
  }
  return { columns, sections: splitRoles(roots), pointsLevel, deductive, units, problems };
}

/** A list separated by 、，, — not inside brackets: 政府办(民族宗教局、法制办 ) is one name. */
export function splitList(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if ('（(【['.includes(ch)) depth++;
    if ('）)】]'.includes(ch)) depth = Math.max(0, depth - 1);
    if (depth === 0 && '、，,'.includes(ch)) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter(Boolean);
}

function firstItem(n: ImportNode, items: Map<ImportNode, RowItem[]>): RowItem | undefined {
  const own = items.get(n)?.[0];
  if (own) return own;
  for (const ch of n.children ?? []) {
    const f = firstItem(ch, items);
    if (f) return f;
  }
  return undefined;
}

/** One row → its criteria: several when the cell holds numbered clauses each with its own points. */
function criteriaOf(it: RowItem, problems: ImportProblem[]): ImportNode[] {
  const lines = it.rawText.split('\n').map((l) => l.trim()).filter(Boolean);
  const starts = lines.map((l, i) => (NUMBERED.test(l) ? i : -1)).filter((i) => i >= 0);
  const ptsList = (it.points ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
  const mk = (text: string, pts: string | undefined, split: boolean): ImportNode => {
    const n: ImportNode = { title: '', criterion: true, line: it.line };
    if (it.method) n.method = it.method;
    if (it.content) n.content = it.content;
    if (text) n.text = text;
    if (it.target) n.target = it.target;
    if (split) n.split = true;
    if (pts === '扣分项') n.effect = 'subtract';
    else if (pts !== undefined && pointsValue(pts) !== undefined) n.points = pointsValue(pts);
    else if (text && trailingPoints(text)) n.points = trailingPoints(text)!.points;
    return n;
  };
  if (starts.length >= 2 && starts[0] === 0) {
    const parts = starts.map((s, k) => lines.slice(s, starts[k + 1] ?? lines.length).join(''));
    const own = parts.some((p) => trailingPoints(p) !== undefined) && ptsList.length <= 1;
    if (ptsList.length === parts.length || own) {
      return parts.map((p, k) => mk(p, ptsList.length === parts.length ? ptsList[k] : undefined, true));
    }
    if (ptsList.length > 1) problems.push(importProblem('import.pointsCount', '', { line: it.line ?? '', n: ptsList.length, m: parts.length }, 'warning'));
  }
  const node = mk(it.text, ptsList[0], false);
  return [subParts(node) ?? incrementSplit(node) ?? node];
}

/**
 * A paragraph worth (N分) that ends in a capped increment (…每月新增1个以上项目的,加0.1分,满分1.2分。
 * / …每代办案例…加0.2分,累计不超过1分。) worth less than N: the increment is a criterion of its own
 * worth its cap, the words before it another worth the rest — unless they hold no scoring words (…编写成案例,
 * then the condition of the increment, and the increment is the only criterion).
 */
function incrementSplit(node: ImportNode): ImportNode | undefined {
  const text = node.text ?? '';
  const t = fold(text);
  const tp = trailingPoints(text);
  if (!tp || node.points === undefined) return undefined;
  const capM = /(?:累计不超过|最高不超过|满分)\s*(\d+(?:\.\d+)?)\s*分[。；;]?/.exec(t.slice(0, tp.start));
  if (!capM) return undefined;
  const cap = Number(capM[1]);
  if (!(cap < node.points)) return undefined;
  const capEnd = capM.index + capM[0].length;
  if (t.slice(capEnd, tp.start).trim()) return undefined;
  const add = t.slice(0, capM.index).search(/加\s*\d+(?:\.\d+)?\s*分[^加]*$/);
  if (add < 0) return undefined;
  // the increment starts at its sentence, or at its clause when the sentence is the whole text
  let start = add;
  while (start > 0 && !/[。；;]/.test(t[start - 1])) start--;
  if (start === 0) {
    start = add;
    while (start > 0 && !/[，,；;。]/.test(t[start - 1])) start--;
    const m = /每/.exec(t.slice(start, add));
    if (m) start += m.index;
  }
  if (start === 0) return undefined;
  const before = text.slice(0, start);
  const inc = text.slice(start, capEnd);
  const rest = +(node.points - cap).toFixed(6);
  const kid = (tx: string, p: number): ImportNode => ({ title: '', criterion: true, text: tx, points: p, line: node.line, ...(node.target ? { target: node.target } : {}) });
  // words before the increment with no scoring rule of their own (…编写成案例,) are its condition, not a criterion
  const scored = /(扣|加|记|计|得)\s*\d|每[^，,；;。]{0,10}(扣|加)|不得分|不记分|不计分/.test(fold(before));
  const parent: ImportNode = { ...node, children: scored ? [kid(before, rest), kid(inc, cap)] : [kid(inc, cap)] };
  delete parent.criterion;
  return parent;
}

/**
 * A criterion whose text gives its parts their own points: 成立…领导小组（5分）；指定专人负责（5分）…（10分）.
 * When the parts add up to the whole, each part is a criterion of its own under the text.
 */
function subParts(node: ImportNode): ImportNode | undefined {
  const text = node.text ?? '';
  const t = fold(text);
  const tp = trailingPoints(text);
  if (!tp) return undefined;
  const marks = [...t.slice(0, tp.start).matchAll(/\(\s*(\d+(?:\.\d+)?)\s*分\s*\)/g)];
  if (marks.length < 2) return undefined;
  const sum = marks.reduce((n, m) => n + Number(m[1]), 0);
  if (Math.abs(sum - tp.points) > 1e-9) return undefined;
  let from = 0;
  const kids: ImportNode[] = marks.map((m) => {
    const end = m.index! + m[0].length;
    let part = text.slice(from, end);
    from = end;
    part = part.replace(/^[\s；;，,、。]+/, '').replace(NUMBERED, '');
    const dot = part.lastIndexOf('。');
    if (dot >= 0 && dot < part.length - 1) part = part.slice(dot + 1);
    return { title: '', criterion: true, text: part.trim(), points: Number(m[1]), line: node.line, ...(node.target ? { target: node.target } : {}) };
  });
  const parent: ImportNode = { ...node, children: kids };
  delete parent.criterion;
  return parent;
}

/** Children that all share the same method pass it to their parent. */
function liftShared(node: ImportNode, key: 'method'): void {
  const kids = node.children ?? [];
  if (!kids.length) return;
  const v = kids[0][key];
  if (v === undefined || !kids.every((k) => k[key] === v)) return;
  if (node[key] === undefined) node[key] = v;
  for (const k of kids) delete k[key];
}

const BONUS = /加分项|^加分$|奖励加分/;
const PENALTY = /扣分项|减分项|^减分$|^扣分$/;

/** The items of a cell numbered inline (…取最高分);2.领导批示…。3.在省市…), when they run 1, 2, 3…. */
export function inlineItems(text: string): string[] | undefined {
  const t = fold(text);
  const at: number[] = [];
  let want = 1;
  for (const m of t.matchAll(/(^|[。;；])\s*(\d+)[.、]/g)) {
    if (Number(m[2]) !== want) continue;
    at.push(m.index! + m[1].length);
    want++;
  }
  if (at.length < 3 || at[0] !== 0) return undefined;
  return at.map((s, k) => text.slice(s, at[k + 1] ?? text.length).trim());
}

const addItem = (t: string): boolean => /加\s*[\d.]+\s*分|加分|分别(加|得)|得分\s*[\d.]/.test(fold(t));
const deductItem = (t: string): boolean => /扣\s*[\d.]+\s*(-\s*[\d.]+\s*)?分/.test(fold(t));

/**
 * A 加扣分项 section whose one cell lists 加分 and 扣分 items (1.…加2分…2.…3.…4.…扣5分…) and a
 * net cap (不重复加减分,累计加减分最高为5分): a bonus section and a penalty section under the same title;
 * the (5分) is the net cap, not the sections' points (read at program level).
 */
function splitMixed(r: ImportNode): ImportNode[] | undefined {
  const kids = r.children ?? [];
  if (kids.length !== 1 || !kids[0].criterion || !/加.{0,2}(扣|减)分/.test(r.title)) return undefined;
  const items = inlineItems(kids[0].text ?? '');
  if (!items) return undefined;
  const net = items.filter((x) => /累计加减分|加减分最高/.test(x));
  const rest = items.filter((x) => !net.includes(x));
  const plus = rest.filter((x) => addItem(x) && !deductItem(x));
  const minus = rest.filter((x) => deductItem(x) && !addItem(x));
  if (!plus.length || !minus.length || plus.length + minus.length !== rest.length) return undefined;
  const mk = (x: string, bonus: boolean): ImportNode => {
    const n: ImportNode = { title: '', criterion: true, text: x, line: kids[0].line, ...(kids[0].target ? { target: kids[0].target } : {}) };
    if (bonus) {
      const capM = /(?:最高不超过|累计不超过|最多)\s*(\d+(?:\.\d+)?)\s*分/.exec(fold(x)) ?? /^[^扣]*?加\s*(\d+(?:\.\d+)?)\s*分[。；;]?$/.exec(fold(x).replace(/^\d+[.、]/, ''));
      if (capM) n.points = Number(capM[1]);
    }
    return n;
  };
  const base = { ...r };
  if (net.length) delete base.points;
  delete base.children;
  return [
    { ...base, role: 'bonus', children: plus.map((x) => mk(x, true)), ...(r.target ? {} : kids[0].target ? { target: kids[0].target } : {}) },
    { ...base, role: 'penalty', children: minus.map((x) => mk(x, false)), ...(r.target ? {} : kids[0].target ? { target: kids[0].target } : {}) },
  ];
}

/** Bonus and penalty sections; a 加、减分 section holding 加分 and 减分 becomes one of each. */
function splitRoles(roots: ImportNode[]): ImportNode[] {
  const out: ImportNode[] = [];
  for (const r of roots) {
    const mixed = splitMixed(r);
    if (mixed) {
      out.push(...mixed);
      continue;
    }
    const t = r.title.replace(/^[一二三四五六七八九十]+[、.．]\s*/, '').replace(/[(（].*$/, '');
    const kids = r.children ?? [];
    const plus = kids.filter((k) => BONUS.test(k.title));
    const minus = kids.filter((k) => PENALTY.test(k.title));
    if (/加.{0,2}减分|加.{0,2}扣分/.test(t) && plus.length && minus.length && plus.length + minus.length === kids.length) {
      out.push({ ...r, role: 'bonus', children: plus });
      out.push({ ...r, role: 'penalty', children: minus });
      continue;
    }
    if (BONUS.test(t)) r.role = 'bonus';
    else if (PENALTY.test(t)) r.role = 'penalty';
    out.push(r);
  }
  return out;
}
