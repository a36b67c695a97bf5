// 收集 inside Excel (issue 15): the values a merge takes from returned pieces (src/collect `mergeEntries`,
// decided by the task pane) are written into the open workbook's own cells — each hand's entry column and
// the first scoring hand's 扣分依据 — but only where the cell is still blank when the write is queued. The
// cells are read again in the same Excel.run just before writing (one round trip), so a value the clerk
// typed after the pane read the workbook is reported and kept, never overwritten; the writes follow in
// requests of at most CHUNK_BYTES, with the add-in's events off (ExcelApi 1.8). Rows the clerk inserted
// or deleted are followed by the `in:<key>` / `out:<id>` tokens of the marker column, as every read does.
import type { HandId, Raw } from '../engine';
import type { WorkbookMeta } from '../layout/plan';
import { parseCell } from './a1';
import { MARKER_SLACK, markerRows, sheetKey, type WorkbookBinding } from './binding';
import { estimateBytes } from './chunk';
import { ownWriteChunker, type LiveCaps } from './live';

/** One value to put into the workbook (the shape of src/collect's `Write`). */
export interface CollectedValue {
  unit: string;
  hand: HandId;
  /** Input key of an entry… */
  key?: string;
  /** …or the criterion id of a 扣分依据/说明 (the first scoring hand's column). */
  remark?: string;
  value: Raw;
}

/** What became of one value. */
export interface CollectedCell {
  value: CollectedValue;
  sheet: string;
  /** Where it was (or would have been) written, e.g. "H12". */
  address?: string;
  /** written: the cell was blank; same: it already held this value; changed: the clerk filled it meanwhile (kept); unplaced: the workbook has no cell for it. */
  outcome: 'written' | 'same' | 'changed' | 'unplaced';
  /** The cell's value now, for `changed`. */
  now?: unknown;
}

export interface CollectWriteReport {
  cells: CollectedCell[];
  written: number;
  /** Round trips taken, and the largest request's estimated bytes. */
  syncs: number;
  largestWrite: number;
}

const blank = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const same = (a: unknown, b: unknown): boolean => (typeof a === 'string' && typeof b === 'string' ? a.trim() === b.trim() : a === b);

/**
 * A value as the Range.values setter must receive it to keep it as it is: a number or a boolean as such; text
 * behind an apostrophe, which Excel takes as "this is text" and does not keep in the value (as when typed), so
 * that "=1+1", "1/2", "TRUE" or "007" from a returned file stay the text they were instead of becoming a
 * formula, a date, a boolean or a number (office-js #6687 shows the apostrophe's meaning to Excel).
 */
export function cellValue(v: Raw): string | number | boolean {
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  return `'${String(v ?? '')}`;
}

/** The cell of a value on its unit's sheet: [column letter, layout row (0-based), marker token], or null. */
function placeOf(meta: WorkbookMeta, v: CollectedValue): { address: string; token: string } | null {
  const sm = meta.sheets.find((s) => s.unit === v.unit);
  if (!sm) return null;
  if (v.key !== undefined) {
    const inputs = sm.hands ? sm.hands.find((h) => h.hand === v.hand)?.inputs : v.hand === 'assessor' ? sm.inputs : undefined;
    const at = inputs?.find((i) => i.key === v.key)?.address;
    return at ? { address: at, token: `in:${v.key}` } : null;
  }
  if (v.remark !== undefined) {
    // Only the first scoring hand has a 扣分依据 column; the others' words go on their own sheet (the pane's job).
    const first = sm.hands ? (sm.hands.find((h) => h.hand !== 'self')?.hand ?? 'assessor') : 'assessor';
    if (v.hand !== first) return null;
    const at = sm.remarks?.find((r) => r.id === v.remark)?.address;
    return at ? { address: at, token: `out:${v.remark}` } : null;
  }
  return null;
}

/**
 * Writes collected values into blank cells only. One round trip reads every column concerned (and the marker
 * column) of every sheet concerned; the writes follow, chunked. A sheet the binding lacks (deleted tab) or a
 * value without a cell is `unplaced`, never written elsewhere.
 */
export async function writeCollected(context: Excel.RequestContext, binding: WorkbookBinding, meta: WorkbookMeta, values: readonly CollectedValue[], caps: LiveCaps): Promise<CollectWriteReport> {
  const cells: CollectedCell[] = [];
  type Target = { cell: CollectedCell; letter: string; row: number; token: string };
  const bySheet = new Map<string, { key: string; markerCol?: string; targets: Target[] }>();
  for (const v of values) {
    const s = binding.sheets.find((b) => b.unit === v.unit);
    const place = s ? placeOf(meta, v) : null;
    const cell: CollectedCell = { value: v, sheet: s?.sheet ?? v.unit, outcome: 'unplaced' };
    cells.push(cell);
    const at = place ? parseCell(place.address) : null;
    if (!s || !place || !at) continue;
    cell.address = place.address;
    const g = bySheet.get(s.sheet) ?? { key: sheetKey(s), markerCol: s.markerCol, targets: [] };
    bySheet.set(s.sheet, g);
    g.targets.push({ cell, letter: place.address.replace(/\d+$/, ''), row: at.row, token: place.token });
  }
  // Read: per sheet, each column concerned from row 1 to below its last cell (rows may have been inserted), and the marker column.
  const reads = [...bySheet.values()].map((g) => {
    const ws = context.workbook.worksheets.getItem(g.key);
    const last = Math.max(...g.targets.map((t) => t.row)) + 1 + MARKER_SLACK;
    const columns = new Map<string, Excel.Range>();
    for (const t of g.targets) {
      if (columns.has(t.letter)) continue;
      const r = ws.getRange(`${t.letter}1:${t.letter}${last}`);
      // Formulas, not values: a cell holding a formula that shows "" is not blank, and is never written over.
      r.load('formulas');
      columns.set(t.letter, r);
    }
    const markers = g.markerCol ? ws.getRange(`${g.markerCol}1:${g.markerCol}${last}`) : null;
    markers?.load('values');
    return { g, ws, columns, markers };
  });
  if (!reads.length) return { cells, written: 0, syncs: 0, largestWrite: 0 };
  await context.sync();
  const chunker = ownWriteChunker(context, caps);
  let written = 0;
  for (const { g, ws, columns, markers } of reads) {
    const rowOf = markerRows(markers?.values ?? []);
    const blanks = new Map<string, { row: number; value: string | number | boolean }[]>();
    for (const t of g.targets) {
      const row = rowOf.get(t.token) ?? t.row;
      const now = columns.get(t.letter)!.formulas[row]?.[0];
      t.cell.address = `${t.letter}${row + 1}`;
      if (!blank(now)) {
        t.cell.outcome = same(now, t.cell.value.value) ? 'same' : 'changed';
        if (t.cell.outcome === 'changed') t.cell.now = now;
        continue;
      }
      const list = blanks.get(t.letter) ?? [];
      blanks.set(t.letter, list);
      // Two values for one cell (cannot come from one merge): the first is written, the second reported as changed.
      if (list.some((x) => x.row === row)) {
        t.cell.outcome = 'changed';
        continue;
      }
      list.push({ row, value: cellValue(t.cell.value.value) });
      t.cell.outcome = 'written';
      written++;
    }
    // One write per run of adjacent rows in a column (a rater's column is mostly one run per sheet).
    for (const [letter, list] of blanks) {
      list.sort((a, b) => a.row - b.row);
      for (let i = 0; i < list.length; ) {
        let j = i;
        while (j + 1 < list.length && list[j + 1].row === list[j].row + 1) j++;
        const run = list.slice(i, j + 1);
        const address = `${letter}${run[0].row + 1}:${letter}${run[run.length - 1].row + 1}`;
        const grid = run.map((x) => [x.value]);
        await chunker.add(estimateBytes([address, grid], 2), () => {
          ws.getRange(address).values = grid;
        });
        i = j + 1;
      }
    }
  }
  await chunker.flush();
  return { cells, written, syncs: 1 + chunker.syncs, largestWrite: chunker.largest };
}

/**
 * Opens an .xlsx (base64) as a new workbook beside this one (ExcelApi 1.8, Excel.createWorkbook, which runs
 * its own batch): how a piece reaches the clerk where the pane cannot offer downloads (Office for Mac). The
 * request carries the whole file, so on the web a file over the 5 MB limit is refused.
 */
export function openCopy(base64: string): Promise<void> {
  return Excel.createWorkbook(base64);
}
