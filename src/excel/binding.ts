// What the adapter needs to know about a Dafen workbook: which sheets are unit sheets, and where each
// input, 备注, status and computed cell sits. It is derived from the layout's cell map (the plan when
// the sheets are generated; the hidden metadata sheet when the workbook is reopened), see fromPlan.ts.
import type { AssessmentPolicy, HandId, Raw } from '../engine';
import { boundingRect, parseCell, type Rect } from './a1';

export interface InputCell {
  key: string;
  /** Local A1 address of one cell, e.g. "G7". */
  address: string;
}

export interface NoteCell {
  /** Node id (criterion, indicator, section) or total id ($final…). */
  id: string;
  address: string;
}

export interface FormulaCell {
  id: string;
  address: string;
  /** The formula the layout wrote, with its leading "=". */
  formula: string;
}

/** One hand's input cells on a multi-hand sheet (自评, 考核, 评委1…: SheetMeta.hands). */
export interface HandInputs {
  hand: HandId;
  inputs: InputCell[];
}

export interface SheetBinding {
  /** The sheet's name as last seen (for messages); Office calls use `id` when known. */
  sheet: string;
  /** The worksheet's id: stays the same when the clerk renames the tab. */
  id?: string;
  unit: string;
  variant: string;
  /** The unit's tags from the workbook's metadata (applicability, R21). */
  tags?: string[];
  inputs: InputCell[];
  /**
   * A multi-hand sheet: every hand's input cells, in column order (the first scoring hand's equal `inputs`).
   * Absent on today's one-hand sheet.
   */
  hands?: HandInputs[];
  /** 备注 cells, one per node that has one. */
  notes: NoteCell[];
  /** The status cell (完成 / 未完成 n 项 / 有 n 处错误), where the layout has one. */
  status?: string;
  /** Text the layout put in the status cell, kept in front of the status line. */
  statusLead?: string;
  /** Computed cells whose formula the add-in can check and restore. */
  formulas: FormulaCell[];
  /** Column letter of the layout's hidden marker column (`in:<key> out:<id>` per row), if any. */
  markerCol?: string;
  /** Set once rows were found moved (inserted/deleted by the clerk): formulas can no longer be compared. */
  moved?: boolean;
}

export interface SummaryBinding {
  sheet: string;
  id?: string;
  formulas: FormulaCell[];
  /** Per unit: the summary's status cell, where it has one. */
  status: { unit: string; address: string }[];
}

export interface WorkbookBinding {
  programId: string;
  version: string;
  hash?: string;
  /** The hidden sheet holding the metadata. */
  metaSheet: string;
  sheets: SheetBinding[];
  /** A multi-hand workbook (WorkbookMeta.hands other than ['assessor']): its hands and assessment policy. */
  hands?: HandId[];
  assessment?: AssessmentPolicy;
  summary?: SummaryBinding;
  /** Fill colour of input cells as the layout styles them (restored when an input becomes valid). */
  inputFill?: string | null;
  /** Other sheets the layout wrote (e.g. 未匹配录入), to be replaced together with the Dafen sheets. */
  extraSheets?: string[];
  /**
   * The 本表设定 sheet (layout/settings.ts): its 设定值 cells by setting key, read like inputs; its formulas (计分采用,
   * 说明, state) for 重新计算, and the texts it was made with (each row's 评分项), which say whether its rows are
   * still where they were made (the sheet has no marker column).
   */
  settings?: { sheet: string; id?: string; cells: { key: string; address: string }[]; formulas?: FormulaCell[]; landmarks?: { address: string; text: string }[] };
}

/** The key Office calls use to find a bound sheet: its id when known, else its name. */
export function sheetKey(s: { sheet: string; id?: string }): string {
  return s.id ?? s.sheet;
}

/** Puts the workbook's sheet ids (name → id, from a load of the worksheet collection) into the binding. */
export function withSheetIds(b: WorkbookBinding, ids: ReadonlyMap<string, string>): WorkbookBinding {
  const id = (name: string, old?: string) => ids.get(name) ?? old;
  return {
    ...b,
    sheets: b.sheets.map((s) => ({ ...s, id: id(s.sheet, s.id) })),
    summary: b.summary ? { ...b.summary, id: id(b.summary.sheet, b.summary.id) } : undefined,
    ...(b.settings ? { settings: { ...b.settings, id: id(b.settings.sheet, b.settings.id) } } : {}),
  };
}

export function allSheetNames(b: WorkbookBinding): string[] {
  return [...b.sheets.map((s) => s.sheet), ...(b.summary ? [b.summary.sheet] : []), ...(b.settings ? [b.settings.sheet] : []), ...(b.extraSheets ?? []), b.metaSheet];
}

/** Every input cell of a sheet: every hand's on a multi-hand sheet, else `inputs`. */
export function allInputs(s: SheetBinding): InputCell[] {
  return s.hands ? s.hands.flatMap((h) => h.inputs) : s.inputs;
}

/** The rectangle covering every input cell of a sheet, every hand's (read in one range, one round trip). */
export function inputRect(s: SheetBinding): Rect | null {
  return boundingRect(allInputs(s).map((i) => parseCell(i.address)).filter((c): c is NonNullable<typeof c> => c !== null));
}

/** Picks the inputs (`cells`: the sheet's, or one hand's) out of a values grid read at `rect`. Empty strings become null (not entered). */
export function inputsFromGrid(s: SheetBinding, rect: Rect, values: readonly (readonly unknown[])[], cells: readonly InputCell[] = s.inputs): Record<string, Raw> {
  const out: Record<string, Raw> = {};
  for (const i of cells) {
    const c = parseCell(i.address);
    if (!c) continue;
    const v = values[c.row - rect.top]?.[c.col - rect.left];
    out[i.key] = v === '' || v === undefined ? null : (v as Raw);
  }
  return out;
}

/** How many rows below the last mapped row the marker column is read (rows a clerk inserted). */
export const MARKER_SLACK = 60;

/** The marker column range to read with the inputs (same round trip). */
export function markerRange(s: SheetBinding): string | null {
  if (!s.markerCol) return null;
  const rows = [...s.inputs.map((i) => parseCell(i.address)?.row ?? 0), ...s.notes.map((n) => parseCell(n.address)?.row ?? 0)];
  return `${s.markerCol}1:${s.markerCol}${Math.max(0, ...rows) + 1 + MARKER_SLACK}`;
}

/** Input columns over every row the marker column covers: read once, picked after relocating. */
export function inputReadRect(s: SheetBinding): Rect | null {
  const r = inputRect(s);
  if (!r) return null;
  if (!s.markerCol) return r;
  const rows = [...s.inputs.map((i) => parseCell(i.address)?.row ?? 0), ...s.notes.map((n) => parseCell(n.address)?.row ?? 0)];
  return { ...r, top: 0, bottom: Math.max(0, ...rows) + MARKER_SLACK };
}

/** The marker column read from row 1: each token (`in:<key>`, `out:<id>`, `sheet:<n>`) → the 0-based row it is on now (its first). */
export function markerRows(column: readonly (readonly unknown[])[]): Map<string, number> {
  const rowOf = new Map<string, number>();
  column.forEach((r, i) => {
    const t = r[0];
    if (typeof t === 'string' && t) for (const tok of t.split(/\s+/)) if (tok && !rowOf.has(tok)) rowOf.set(tok, i);
  });
  return rowOf;
}

const withRow = (address: string, row: number): string => address.replace(/\d+$/, String(row + 1));

/**
 * Follows the marker column when the clerk inserted or deleted rows: every input (every hand's: they share the
 * row of the `in:<key>` marker), 备注 and status cell moves to the row its marker is on now. Returns the binding
 * unchanged when nothing moved.
 */
export function relocate(s: SheetBinding, column: readonly (readonly unknown[])[]): SheetBinding {
  const rowOf = markerRows(column);
  if (rowOf.size === 0) return s;
  let moved = false;
  const at = (token: string, address: string): string => {
    const row = rowOf.get(token);
    const c = parseCell(address);
    if (row === undefined || !c || row === c.row) return address;
    moved = true;
    return withRow(address, row);
  };
  const follow = (cells: InputCell[]) => cells.map((i) => ({ ...i, address: at(`in:${i.key}`, i.address) }));
  const inputs = follow(s.inputs);
  const hands = s.hands?.map((h) => ({ ...h, inputs: follow(h.inputs) }));
  const notes = s.notes.map((n) => ({ ...n, address: at(`out:${n.id}`, n.address) }));
  const status = s.status ? at('out:$final', s.status) : undefined;
  return moved ? { ...s, inputs, ...(hands ? { hands } : {}), notes, status, moved: true } : s;
}
