// 生成打分表: put the layout's workbook into the open workbook.
//  - ExcelApi 1.13: insertWorksheetsFromBase64 with the .xlsx bytes of the shared outlet (src/xlsx, made
//    by the task pane and passed in as base64: this folder never imports the writer) — 2 round trips:
//    read the sheet names, then rename-away/insert/delete in one batch.
//  - Older hosts: apply the plan range by range — 4 round trips: names; sheets, values and formulas;
//    formats, merges and sizes; validations, protection, print setup and visibility.
// Existing sheets are never overwritten unless the caller says `replace` (the pane asks the clerk first).
import type { CellPlan, CellStyle, Range as PlanRange, SheetPlan, Validation, WorkbookPlan } from '../layout/plan';
import { colName, rectAddress, type Rect } from './a1';

export interface GenerateOptions {
  /** The .xlsx of the same plan, base64 (ExcelApi 1.13 path); absent → range by range. */
  base64?: string;
  /** Replace sheets that already exist with the plan's names (the clerk agreed). */
  replace?: boolean;
  /** Highest ExcelApi minor version, to leave out what the host lacks. */
  apiMinor: number;
}

export type GenerateResult =
  | { status: 'conflict'; conflicts: string[] }
  | { status: 'done'; path: 'base64' | 'ranges'; sheets: string[]; replaced: string[] };

/** Names in the plan that the workbook already has (compared as Excel does, ignoring case). */
export function findConflicts(existing: readonly string[], plan: WorkbookPlan): string[] {
  const have = new Map(existing.map((n) => [n.toLowerCase(), n]));
  return plan.sheets.map((s) => have.get(s.name.toLowerCase())).filter((n): n is string => n !== undefined);
}

const VIS: Record<SheetPlan['state'], 'Visible' | 'Hidden' | 'VeryHidden'> = { visible: 'Visible', hidden: 'Hidden', veryHidden: 'VeryHidden' };

function tempName(i: number): string {
  return `~dafen-old-${Date.now().toString(36).slice(-4)}-${i}`;
}

/** Queues: old sheets with clashing names renamed away (deleted after the new ones exist). */
function queueMoveAside(context: Excel.RequestContext, names: readonly string[]): Excel.Worksheet[] {
  return names.map((n, i) => {
    const ws = context.workbook.worksheets.getItem(n);
    ws.name = tempName(i);
    return ws;
  });
}

export async function generate(context: Excel.RequestContext, plan: WorkbookPlan, options: GenerateOptions): Promise<GenerateResult> {
  const sheets = context.workbook.worksheets;
  sheets.load('items/name');
  await context.sync(); // 1
  const conflicts = findConflicts(sheets.items.map((s) => s.name), plan);
  if (conflicts.length > 0 && !options.replace) return { status: 'conflict', conflicts };

  const old = queueMoveAside(context, conflicts);
  const names = plan.sheets.map((s) => s.name);
  if (options.base64 && options.apiMinor >= 13) {
    context.workbook.insertWorksheetsFromBase64(options.base64, {
      sheetNamesToInsert: names,
      positionType: 'End',
    });
    // Some hosts bring hidden sheets in visible: set every sheet's state explicitly.
    for (const s of plan.sheets) if (s.state !== 'visible') sheets.getItem(s.name).visibility = VIS[s.state];
    for (const ws of old) ws.delete();
    await context.sync(); // 2
    return { status: 'done', path: 'base64', sheets: names, replaced: conflicts };
  }

  // Fallback, batch 2: the sheets with their values and formulas.
  const added = plan.sheets.map((s) => ({ plan: s, ws: sheets.add(s.name) }));
  for (const ws of old) ws.delete();
  for (const { plan: s, ws } of added) queueContent(ws, s);
  await context.sync(); // 2
  // Batch 3: formats, merges, column widths, row heights.
  for (const { plan: s, ws } of added) queueFormats(ws, s, plan.styles);
  await context.sync(); // 3
  // Batch 4: validations, protection, freeze panes, print setup, names, visibility.
  for (const { plan: s, ws } of added) queueFinish(ws, s, options.apiMinor);
  if (options.apiMinor >= 4) {
    for (const dn of plan.definedNames) {
      try {
        context.workbook.names.add(dn.name, dn.range.startsWith('=') ? dn.range : `=${dn.range}`);
      } catch {
        // A name that exists already (a second generation in the same workbook) stays as it was.
      }
    }
  }
  await context.sync(); // 4
  return { status: 'done', path: 'ranges', sheets: names, replaced: conflicts };
}

// ---------------------------------------------------------------------------------------------------
// Pure helpers: the plan as rectangles and grids, in 0-based coordinates for a1.ts.

export function usedRect(s: SheetPlan): Rect | null {
  if (s.cells.length === 0) return null;
  let bottom = 0;
  let right = 0;
  for (const c of s.cells) {
    bottom = Math.max(bottom, c.row);
    right = Math.max(right, c.col);
  }
  return { top: 0, left: 0, bottom: bottom - 1, right: right - 1 };
}

/** Text that Excel would turn into a number, date, boolean or formula gets the ' text prefix. */
export function literalText(s: string): string {
  if (s === '') return s;
  if (/^[=+\-@']/.test(s)) return `'${s}`;
  if (/^\s*[\d.,%/:\s-]+\s*$/.test(s) || /^(true|false)$/i.test(s)) return `'${s}`;
  return s;
}

/** What goes into Range.formulas for a cell: "=…" for formulas, numbers as numbers, text kept as text. */
export function formulaCell(c: CellPlan | undefined): string | number | boolean {
  if (!c) return '';
  if (c.formula !== undefined) return `=${c.formula}`;
  if (c.value === null || c.value === undefined) return '';
  return typeof c.value === 'number' ? c.value : literalText(c.value);
}

export function contentGrid(s: SheetPlan, rect: Rect): (string | number | boolean)[][] {
  const at = new Map(s.cells.map((c) => [`${c.row - 1}:${c.col - 1}`, c]));
  return Array.from({ length: rect.bottom - rect.top + 1 }, (_, i) =>
    Array.from({ length: rect.right - rect.left + 1 }, (_, j) => formulaCell(at.get(`${rect.top + i}:${rect.left + j}`))),
  );
}

/**
 * Groups cells into rectangles by a key: runs of equal keys along a row, then runs with identical
 * column spans stacked over consecutive rows. Keeps the number of range proxies (and the request
 * size, capped at 5 MB on the web) small.
 */
export function rectsBy<K extends string>(cells: readonly CellPlan[], key: (c: CellPlan) => K | null): { key: K; rect: Rect }[] {
  const byRow = new Map<number, CellPlan[]>();
  for (const c of cells) if (key(c) !== null) byRow.set(c.row, [...(byRow.get(c.row) ?? []), c]);
  const runs: { key: K; row: number; left: number; right: number }[] = [];
  for (const [row, list] of [...byRow].sort((x, y) => x[0] - y[0])) {
    list.sort((x, y) => x.col - y.col);
    let cur: (typeof runs)[number] | null = null;
    for (const c of list) {
      const k = key(c)!;
      if (cur && cur.key === k && cur.right === c.col - 2) cur.right = c.col - 1;
      else {
        cur = { key: k, row: row - 1, left: c.col - 1, right: c.col - 1 };
        runs.push(cur);
      }
    }
  }
  const open = new Map<string, { key: K; rect: Rect }>();
  const out: { key: K; rect: Rect }[] = [];
  for (const r of runs) {
    const k = `${r.key}|${r.left}|${r.right}`;
    const o = open.get(k);
    if (o && o.rect.bottom === r.row - 1) o.rect.bottom = r.row;
    else {
      const n = { key: r.key, rect: { top: r.row, bottom: r.row, left: r.left, right: r.right } };
      open.set(k, n);
      out.push(n);
    }
  }
  return out;
}

/** Rectangles of equal style (for tests and for hosts that want whole styles). */
export function styleRects(s: SheetPlan): { style: string; rect: Rect }[] {
  return rectsBy(s.cells, (c) => c.style).map((r) => ({ style: r.key, rect: r.rect }));
}

/** The format properties set through Office.js, each grouped on its own. */
export const FORMAT_PROPS = ['fontName', 'fontSize', 'bold', 'fontColor', 'fill', 'hAlign', 'vAlign', 'wrap', 'numFmt', 'locked', 'border'] as const;
export type FormatProp = (typeof FORMAT_PROPS)[number];

export function styleProp(st: CellStyle, p: FormatProp): string {
  switch (p) {
    case 'fontName': return st.font.name;
    case 'fontSize': return String(st.font.size);
    case 'bold': return st.font.bold ? '1' : '0';
    case 'fontColor': return st.font.color ?? '000000';
    case 'fill': return st.fill ?? '';
    case 'hAlign': return st.align.h;
    case 'vAlign': return st.align.v;
    case 'wrap': return st.align.wrap ? '1' : '0';
    case 'numFmt': return st.numFmt ?? 'General';
    case 'locked': return st.locked ? '1' : '0';
    case 'border': return st.border ? '1' : '0';
  }
}

/**
 * The sheet's formats as few range operations as possible: per property, the most common value is set
 * once on the whole used range (borders and fills excepted: they are only ever added), then rectangles
 * for the cells that differ. A 31-sheet workbook stays near 2 000 operations instead of 50 000.
 */
export function formatOps(s: SheetPlan, styles: Record<string, CellStyle>): { prop: FormatProp; value: string; rect: Rect }[] {
  const rect = usedRect(s);
  if (!rect) return [];
  const cells = s.cells.filter((c) => styles[c.style]);
  const ops: { prop: FormatProp; value: string; rect: Rect }[] = [];
  for (const prop of FORMAT_PROPS) {
    const counts = new Map<string, number>();
    for (const c of cells) {
      const v = styleProp(styles[c.style], prop);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const additive = prop === 'border' || prop === 'fill';
    const base = additive ? (prop === 'border' ? '0' : '') : [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (base === undefined) continue;
    if (!additive) ops.push({ prop, value: base, rect });
    for (const r of rectsBy(cells, (c) => {
      const v = styleProp(styles[c.style], prop);
      return v === base ? null : v;
    })) {
      ops.push({ prop, value: r.key, rect: r.rect });
    }
  }
  return ops;
}

const H: Record<CellStyle['align']['h'], 'Left' | 'Center' | 'Right'> = { left: 'Left', center: 'Center', right: 'Right' };
const V: Record<CellStyle['align']['v'], 'Top' | 'Center' | 'Bottom'> = { top: 'Top', middle: 'Center', bottom: 'Bottom' };
const color = (c: string): string => (c.startsWith('#') ? c : `#${c.length === 8 ? c.slice(2) : c}`);
/** Excel column width units → points (7 px per unit + 5 px padding, 0.75 pt per px). */
export const widthPoints = (w: number): number => Math.round((w * 7 + 5) * 0.75 * 100) / 100;
const planRect = (m: PlanRange): Rect => ({ top: m.top - 1, left: m.left - 1, bottom: m.bottom - 1, right: m.right - 1 });

function queueContent(ws: Excel.Worksheet, s: SheetPlan): void {
  const rect = usedRect(s);
  if (!rect) return;
  ws.getRange(rectAddress(rect)).formulas = contentGrid(s, rect) as never;
}

function queueFormats(ws: Excel.Worksheet, s: SheetPlan, styles: Record<string, CellStyle>): void {
  const HV: Record<string, 'Left' | 'Center' | 'Right'> = H;
  const VV: Record<string, 'Top' | 'Center' | 'Bottom'> = V;
  for (const { prop, value, rect } of formatOps(s, styles)) {
    const r = ws.getRange(rectAddress(rect));
    const f = r.format;
    switch (prop) {
      case 'fontName': f.font.name = value; break;
      case 'fontSize': f.font.size = Number(value); break;
      case 'bold': f.font.bold = value === '1'; break;
      case 'fontColor': f.font.color = color(value); break;
      case 'fill': f.fill.color = color(value); break;
      case 'hAlign': f.horizontalAlignment = HV[value]; break;
      case 'vAlign': f.verticalAlignment = VV[value]; break;
      case 'wrap': f.wrapText = value === '1'; break;
      case 'numFmt':
        r.numberFormat = Array.from({ length: rect.bottom - rect.top + 1 }, () => Array(rect.right - rect.left + 1).fill(value)) as never;
        break;
      case 'locked': f.protection.locked = value === '1'; break;
      case 'border': {
        const edges = ['EdgeTop', 'EdgeBottom', 'EdgeLeft', 'EdgeRight'];
        if (rect.bottom > rect.top) edges.push('InsideHorizontal');
        if (rect.right > rect.left) edges.push('InsideVertical');
        for (const e of edges) {
          const b = f.borders.getItem(e as Excel.BorderIndex);
          b.style = 'Continuous';
          b.color = '#000000';
        }
        break;
      }
    }
  }
  for (const m of s.merges) ws.getRange(rectAddress(planRect(m))).merge(false);
  s.columns.forEach((c, i) => {
    const col = ws.getRange(`${colName(i)}:${colName(i)}`);
    col.format.columnWidth = widthPoints(c.width);
    if (c.hidden) col.columnHidden = true;
  });
  s.rowHeights.forEach((h, row) => {
    if (h !== undefined && row > 0) ws.getRange(`${row}:${row}`).format.rowHeight = h;
  });
  if (s.tabColor) ws.tabColor = color(s.tabColor);
}

export function validationRule(v: Validation): Excel.DataValidationRule | null {
  const f = (x: string | undefined) => (x === undefined ? undefined : x.startsWith('=') ? x : `=${x}`);
  const op = v.operator === 'greaterThanOrEqual' ? 'GreaterThanOrEqualTo' : v.operator === 'lessThanOrEqual' ? 'LessThanOrEqualTo' : 'Between';
  switch (v.type) {
    case 'list':
      return { list: { inCellDropDown: true, source: v.formulae[0].replace(/^"|"$/g, '') } };
    case 'decimal':
    case 'whole': {
      const basic = { formula1: f(v.formulae[0])!, ...(v.formulae[1] !== undefined ? { formula2: f(v.formulae[1]) } : {}), operator: op } as Excel.BasicDataValidation;
      return v.type === 'decimal' ? { decimal: basic } : { wholeNumber: basic };
    }
    case 'custom':
      return { custom: { formula: f(v.formulae[0])! } };
    default:
      return null;
  }
}

function queueFinish(ws: Excel.Worksheet, s: SheetPlan, apiMinor: number): void {
  if (apiMinor >= 8) {
    for (const { address, rule } of s.validations) {
      const dv = ws.getRange(address).dataValidation;
      const r = validationRule(rule);
      if (!r) continue;
      dv.rule = r;
      dv.prompt = { showPrompt: true, title: rule.promptTitle.slice(0, 32), message: rule.prompt.slice(0, 255) };
      dv.errorAlert = { showAlert: true, style: 'Stop', title: rule.errorTitle.slice(0, 32), message: rule.error.slice(0, 255) };
    }
  }
  if (s.freeze && s.freeze.rows > 0) ws.freezePanes.freezeRows(s.freeze.rows);
  if (s.print && apiMinor >= 9) {
    const pl = ws.pageLayout;
    pl.orientation = s.print.orientation === 'landscape' ? 'Landscape' : 'Portrait';
    pl.centerHorizontally = s.print.horizontalCentered;
    pl.zoom = { horizontalFitToPages: 1, verticalFitToPages: 0 };
    pl.setPrintArea(s.print.printArea.replace(/\$/g, ''));
    if (s.print.printTitlesRow) pl.setPrintTitleRows(`$${s.print.printTitlesRow.replace(/\$/g, '').replace(':', ':$')}`);
  }
  for (const c of s.conditional) {
    const cf = ws.getRange(c.ref).conditionalFormats.add('DataBar');
    cf.dataBar.positiveFormat.fillColor = color(c.color);
  }
  if (s.protection) {
    ws.protection.protect({
      allowFormatColumns: s.protection.formatColumns,
      allowFormatRows: s.protection.formatRows,
      allowAutoFilter: s.protection.autoFilter,
      allowFormatCells: true,
    });
  }
  if (s.state !== 'visible') ws.visibility = VIS[s.state];
}
