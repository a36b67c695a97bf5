// 生成打分表: put the layout's workbook into the open workbook.
//  - insertWorksheetsFromBase64 (ExcelApi 1.13, not on iPad, the file under the host's request limit)
//    with the .xlsx bytes of the shared outlet (src/xlsx, made by the task pane and passed in as base64:
//    this folder never imports the writer) — 3 round trips: the sheet names; old sheets renamed aside +
//    insert + the new sheets' ids and cross-sheet formulas read back; formulas the host changed restored
//    (office-js #2809, #5911) + old sheets deleted + the caller's finalize (change handlers).
//  - Otherwise, or when the insert fails (UnsupportedFeature, GeneralException on the web): the same plan
//    range by range, in requests of at most CHUNK_BYTES.
// Existing sheets are never overwritten unless the caller says `replace` (the pane asks the clerk first).
// Old sheets are renamed aside, never deleted before their replacements are complete and verified; a very
// hidden one (_dafen) is made hidden first, as Excel refuses to delete a very hidden sheet (office-js #365).
// When anything fails, the new sheets are removed and the old ones put back under their names.
import type { CellPlan, CellStyle, Range as PlanRange, SheetPlan, Validation, WorkbookPlan } from '../layout/plan';
import { colName, parseCell, rectAddress, boundingRect, type Rect } from './a1';
import { CHUNK_BYTES } from './caps';
import { Chunker, estimateBytes } from './chunk';
import { isOverwritten } from './recalc';

export interface GenerateOptions {
  /** The .xlsx of the same plan, base64; absent → range by range. */
  base64?: string;
  /** Replace sheets that already exist with the plan's names (the clerk agreed). */
  replace?: boolean;
  /** Highest ExcelApi minor version, to leave out what the host lacks. */
  apiMinor: number;
  /** insertWorksheetsFromBase64 usable (1.13, not iPad, in the library); default: apiMinor ≥ 13. */
  insertBase64?: boolean;
  /** Largest request the host takes (the web: 5 MB): a larger file goes range by range. */
  requestLimit?: number;
  /** Bytes per request on the range path. */
  chunkBytes?: number;
  /** ExcelApi 1.8: the add-in's events are off while it writes the sheets (no onChanged for its own writes). */
  quiet?: boolean;
  /** Queued into the last request (e.g. the change handlers), so attaching costs no extra round trip. */
  finalize?: (context: Excel.RequestContext, ids: ReadonlyMap<string, string>) => void;
}

export type GenerateResult =
  | { status: 'conflict'; conflicts: string[] }
  | {
      status: 'done';
      path: 'base64' | 'ranges';
      sheets: string[];
      replaced: string[];
      /** Sheet name → worksheet id of the new sheets. */
      ids: Map<string, string>;
      /** Why the insert path was not taken or failed (a code), when the host would have had it. */
      fallback?: string;
      /** Formulas the host changed on insert and the add-in put back. */
      restoredFormulas: number;
      syncs: number;
    }
  | { status: 'failed'; code: string; message: string; restored: boolean; syncs: number };

/** Names in the plan that the workbook already has (compared as Excel does, ignoring case). */
export function findConflicts(existing: readonly string[], plan: WorkbookPlan): string[] {
  const have = new Map(existing.map((n) => [n.toLowerCase(), n]));
  return plan.sheets.map((s) => have.get(s.name.toLowerCase())).filter((n): n is string => n !== undefined);
}

const VIS: Record<SheetPlan['state'], 'Visible' | 'Hidden' | 'VeryHidden'> = { visible: 'Visible', hidden: 'Hidden', veryHidden: 'VeryHidden' };

interface Aside {
  name: string;
  id: string;
  visibility: string;
  temp: string;
}

function tempName(i: number): string {
  return `~dafen-old-${Date.now().toString(36).slice(-4)}-${i}`;
}

/** Queues: old sheets with clashing names renamed aside (by id: they keep it). */
function queueMoveAside(context: Excel.RequestContext, aside: readonly Aside[]): void {
  for (const a of aside) context.workbook.worksheets.getItem(a.id).name = a.temp;
}

/** Queues the deletion of the old sheets, each made hidden first when very hidden. */
function queueDeleteAside(context: Excel.RequestContext, aside: readonly Aside[]): void {
  for (const a of aside) {
    const ws = context.workbook.worksheets.getItem(a.id);
    if (a.visibility === 'VeryHidden') ws.visibility = 'Hidden';
    ws.delete();
  }
}

function errorOf(e: unknown): { code: string; message: string } {
  const x = e as { code?: unknown; message?: unknown };
  return { code: typeof x?.code === 'string' ? x.code : 'GeneralException', message: typeof x?.message === 'string' ? x.message : String(e) };
}

/**
 * Puts the workbook back as it was before this generation: sheets that did not exist before (by id) and
 * carry a plan name are deleted, the old sheets get their names and visibility back. Two round trips.
 */
async function undo(context: Excel.RequestContext, before: ReadonlySet<string>, plan: WorkbookPlan, aside: readonly Aside[], quiet = false): Promise<boolean> {
  try {
    if (quiet) context.runtime.enableEvents = true;
    const sheets = context.workbook.worksheets;
    sheets.load('items/id,items/name,items/visibility');
    await context.sync();
    const planned = new Set(plan.sheets.map((s) => s.name.toLowerCase()));
    for (const ws of sheets.items) {
      if (before.has(ws.id) || !planned.has(ws.name.toLowerCase())) continue;
      if (ws.visibility === 'VeryHidden') ws.visibility = 'Hidden';
      ws.delete();
    }
    for (const a of aside) {
      const ws = sheets.getItem(a.id);
      ws.name = a.name;
      ws.visibility = a.visibility as Excel.SheetVisibility;
    }
    await context.sync();
    return true;
  } catch {
    return false;
  }
}

/** Cells whose formula points at another sheet: the ones a host may rewrite on insert. */
function crossSheetFormulas(s: SheetPlan): { address: string; formula: string }[] {
  return s.cells.filter((c) => c.formula !== undefined && c.formula.includes('!')).map((c) => ({ address: `${colName(c.col - 1)}${c.row}`, formula: `=${c.formula}` }));
}

export async function generate(context: Excel.RequestContext, plan: WorkbookPlan, options: GenerateOptions): Promise<GenerateResult> {
  const sheets = context.workbook.worksheets;
  sheets.load('items/id,items/name,items/visibility');
  const names = options.apiMinor >= 4 ? context.workbook.names : null;
  names?.load('items/name');
  await context.sync(); // 1
  let syncs = 1;
  const conflicts = findConflicts(sheets.items.map((s) => s.name), plan);
  if (conflicts.length > 0 && !options.replace) return { status: 'conflict', conflicts };
  const before = new Set(sheets.items.map((s) => s.id));
  const existingNames = new Set((names?.items ?? []).map((n) => n.name.toLowerCase()));
  const aside: Aside[] = conflicts.map((n, i) => {
    const ws = sheets.items.find((x) => x.name === n)!;
    return { name: n, id: ws.id, visibility: String(ws.visibility), temp: tempName(i) };
  });
  const planNames = plan.sheets.map((s) => s.name);
  const limit = options.requestLimit ?? Infinity;
  const canInsert = options.insertBase64 ?? options.apiMinor >= 13;
  let fallback: string | undefined;
  if (options.base64 && canInsert && options.base64.length + 64 * 1024 > limit) fallback = 'RequestTooLarge';

  if (options.quiet) context.runtime.enableEvents = false;
  if (options.base64 && canInsert && !fallback) {
    try {
      queueMoveAside(context, aside);
      context.workbook.insertWorksheetsFromBase64(options.base64, { sheetNamesToInsert: planNames, positionType: 'End' });
      // Some hosts bring hidden sheets in visible: set every sheet's state explicitly.
      for (const s of plan.sheets) if (s.state !== 'visible') sheets.getItem(s.name).visibility = VIS[s.state];
      // Verify: every new sheet is there (getItem fails otherwise), and read back the cross-sheet formulas.
      const fresh = plan.sheets.map((s) => {
        const ws = sheets.getItem(s.name);
        ws.load('id,name');
        const cells = crossSheetFormulas(s);
        const rect = boundingRect(cells.map((c) => parseCell(c.address)!));
        const range = rect ? ws.getRange(rectAddress(rect)) : null;
        range?.load('formulas');
        return { s, ws, cells, rect, range };
      });
      await context.sync(); // 2
      syncs++;
      const ids = new Map(fresh.map((f) => [f.s.name, f.ws.id]));
      let restored = 0;
      for (const f of fresh) {
        if (!f.rect || !f.range) continue;
        const bad = f.cells.filter((c) => {
          const at = parseCell(c.address)!;
          return isOverwritten(c.formula, f.range!.formulas[at.row - f.rect!.top]?.[at.col - f.rect!.left]);
        });
        if (bad.length === 0) continue;
        const ws = sheets.getItem(f.ws.id);
        // The sheet was just inserted, protected without a password by the layout: lift it around the fix.
        if (f.s.protection) ws.protection.unprotect();
        for (const c of bad) ws.getRange(c.address).formulas = [[c.formula]];
        if (f.s.protection) ws.protection.protect(protectionOptions(f.s));
        restored += bad.length;
      }
      queueDeleteAside(context, aside);
      options.finalize?.(context, ids);
      if (options.quiet) context.runtime.enableEvents = true;
      await context.sync(); // 3
      syncs++;
      return { status: 'done', path: 'base64', sheets: planNames, replaced: conflicts, ids, restoredFormulas: restored, syncs };
    } catch (e) {
      fallback = errorOf(e).code;
      const ok = await undo(context, before, plan, aside);
      if (options.quiet) context.runtime.enableEvents = false;
      syncs += 2;
      if (!ok) return { status: 'failed', ...errorOf(e), restored: false, syncs };
    }
  }
  return generateByRanges(context, plan, options, { before, aside, existingNames, fallback, syncs });
}

async function generateByRanges(
  context: Excel.RequestContext,
  plan: WorkbookPlan,
  options: GenerateOptions,
  st: { before: Set<string>; aside: Aside[]; existingNames: Set<string>; fallback?: string; syncs: number },
): Promise<GenerateResult> {
  const sheets = context.workbook.worksheets;
  const chunker = new Chunker(context, options.chunkBytes ?? CHUNK_BYTES);
  const planNames = plan.sheets.map((s) => s.name);
  try {
    // The old sheets step aside (nothing deleted yet); the new ones are added under the plan's names.
    await chunker.add(estimateBytes(st.aside, st.aside.length * 2), () => queueMoveAside(context, st.aside));
    const added: { plan: SheetPlan; ws: Excel.Worksheet }[] = [];
    await chunker.add(estimateBytes(planNames, planNames.length * 2), () => {
      for (const s of plan.sheets) {
        const ws = sheets.add(s.name);
        ws.load('id');
        added.push({ plan: s, ws });
      }
    });
    await chunker.flush();
    const ids = new Map(added.map(({ plan: s, ws }) => [s.name, ws.id]));
    const wsOf = (s: SheetPlan) => sheets.getItem(ids.get(s.name)!);
    for (const { plan: s } of added) await queueContent(chunker, wsOf, s);
    for (const { plan: s } of added) await queueFormats(chunker, wsOf, s, plan.styles);
    for (const { plan: s } of added) await queueFinish(chunker, wsOf, s, options.apiMinor);
    if (options.apiMinor >= 4) {
      for (const dn of plan.definedNames) {
        // A name that exists already (a second generation in the same workbook) stays as it was.
        if (st.existingNames.has(dn.name.toLowerCase())) continue;
        await chunker.add(estimateBytes(dn), () => context.workbook.names.add(dn.name, dn.range.startsWith('=') ? dn.range : `=${dn.range}`));
      }
    }
    // Verify before anything old goes: every new sheet holds its first planned cell.
    const probes = plan.sheets.map((s) => {
      const first = s.cells.find((c) => c.formula === undefined && typeof c.value === 'string' && c.value !== '');
      const r = first ? wsOf(s).getRange(`${colName(first.col - 1)}${first.row}`) : null;
      r?.load('values');
      return { s, first, r };
    });
    await chunker.add(1, () => undefined);
    await chunker.flush();
    for (const { s, first, r } of probes) {
      if (!first || !r) continue;
      const got = r.values[0]?.[0];
      const want = literalText(first.value as string);
      if (got !== first.value && got !== want) throw Object.assign(new Error(`${s.name}: content missing after writing`), { code: 'VerificationFailed' });
    }
    await chunker.add(estimateBytes(st.aside, st.aside.length * 3), () => queueDeleteAside(context, st.aside));
    if (options.finalize) await chunker.add(2000, () => options.finalize!(context, ids));
    if (options.quiet) await chunker.add(200, () => { context.runtime.enableEvents = true; });
    await chunker.flush();
    return { status: 'done', path: 'ranges', sheets: planNames, replaced: st.aside.map((a) => a.name), ids, fallback: st.fallback, restoredFormulas: 0, syncs: st.syncs + chunker.syncs };
  } catch (e) {
    const restored = await undo(context, st.before, plan, st.aside, options.quiet);
    return { status: 'failed', ...errorOf(e), restored, syncs: st.syncs + chunker.syncs + 2 };
  }
}

export function protectionOptions(s: SheetPlan): Excel.WorksheetProtectionOptions {
  return {
    allowFormatColumns: s.protection?.formatColumns,
    allowFormatRows: s.protection?.formatRows,
    allowAutoFilter: s.protection?.autoFilter,
    allowFormatCells: Boolean(s.protection?.formatCells),
  };
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

type WsOf = (s: SheetPlan) => Excel.Worksheet;

/** Values and formulas, in blocks of rows so that no request carries more than the chunker allows. */
async function queueContent(chunker: Chunker, wsOf: WsOf, s: SheetPlan): Promise<void> {
  const rect = usedRect(s);
  if (!rect) return;
  const grid = contentGrid(s, rect);
  const rowBytes = Math.max(1, Math.ceil(estimateBytes(grid, 0) / grid.length));
  const step = Math.max(1, Math.floor((chunker.limitBytes / 2) / rowBytes));
  for (let top = 0; top < grid.length; top += step) {
    const rows = grid.slice(top, top + step);
    const r: Rect = { ...rect, top: rect.top + top, bottom: rect.top + top + rows.length - 1 };
    await chunker.add(estimateBytes(rows, 3), () => { wsOf(s).getRange(rectAddress(r)).formulas = rows as never; });
  }
}

async function queueFormats(chunker: Chunker, wsOf: WsOf, s: SheetPlan, styles: Record<string, CellStyle>): Promise<void> {
  const HV: Record<string, 'Left' | 'Center' | 'Right'> = H;
  const VV: Record<string, 'Top' | 'Center' | 'Bottom'> = V;
  for (const { prop, value, rect } of formatOps(s, styles)) {
    const cells = (rect.bottom - rect.top + 1) * (rect.right - rect.left + 1);
    await chunker.add(prop === 'numFmt' ? estimateBytes(value, 3) + cells * (value.length + 3) : prop === 'border' ? estimateBytes(undefined, 14) : estimateBytes(value, 4), () => queueFormatOp(wsOf(s), prop, value, rect, HV, VV));
  }
  await chunker.add(estimateBytes(s.merges, s.merges.length * 2 + s.columns.length * 3 + s.rowHeights.length * 2), () => {
    const ws = wsOf(s);
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
  });
}

function queueFormatOp(ws: Excel.Worksheet, prop: FormatProp, value: string, rect: Rect, HV: Record<string, 'Left' | 'Center' | 'Right'>, VV: Record<string, 'Top' | 'Center' | 'Bottom'>): void {
  {
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

async function queueFinish(chunker: Chunker, wsOf: WsOf, s: SheetPlan, apiMinor: number): Promise<void> {
  if (apiMinor >= 8) {
    for (const { address, rule } of s.validations) {
      const r = validationRule(rule);
      if (!r) continue;
      await chunker.add(estimateBytes([r, rule.prompt, rule.error, rule.promptTitle, rule.errorTitle], 6), () => {
        const dv = wsOf(s).getRange(address).dataValidation;
        dv.rule = r;
        dv.prompt = { showPrompt: true, title: rule.promptTitle.slice(0, 32), message: rule.prompt.slice(0, 255) };
        dv.errorAlert = { showAlert: true, style: 'Stop', title: rule.errorTitle.slice(0, 32), message: rule.error.slice(0, 255) };
      });
    }
  }
  await chunker.add(estimateBytes(s.print, 12 + s.conditional.length * 4), () => queueSheetFinish(wsOf(s), s, apiMinor));
}

function queueSheetFinish(ws: Excel.Worksheet, s: SheetPlan, apiMinor: number): void {
  if (s.freeze && s.freeze.rows > 0) ws.freezePanes.freezeRows(s.freeze.rows);
  if (s.print && apiMinor >= 9) {
    const pl = ws.pageLayout;
    pl.orientation = s.print.orientation === 'landscape' ? 'Landscape' : 'Portrait';
    pl.centerHorizontally = s.print.horizontalCentered;
    pl.zoom = { horizontalFitToPages: 1, verticalFitToPages: 0 };
    pl.setPrintArea(s.print.printArea.replace(/\$/g, ''));
    if (s.print.printTitlesRow) pl.setPrintTitleRows(`$${s.print.printTitlesRow.replace(/\$/g, '').replace(':', ':$')}`);
    // The official form's page setup, as the .xlsx carries it: the sheet's own page count in the footer,
    // page numbers from 1 on every sheet, and the layout's page breaks (a break after row r starts a page at r + 1).
    if (s.print.footer) pl.headersFooters.defaultForAllPages.centerFooter = s.print.footer.replace(/^&C/, '');
    if (s.print.firstPageNumber !== undefined) pl.firstPageNumber = s.print.firstPageNumber;
    for (const r of s.print.rowBreaks ?? []) ws.horizontalPageBreaks.add(`A${r + 1}`);
  }
  for (const c of s.conditional) {
    const cf = ws.getRange(c.ref).conditionalFormats.add('DataBar');
    cf.dataBar.positiveFormat.fillColor = color(c.color);
  }
  if (s.protection) ws.protection.protect(protectionOptions(s));
  if (s.state !== 'visible') ws.visibility = VIS[s.state];
}
