// Reading what a workbook already holds: its sheets (with ids), the Dafen metadata (program id, version,
// hash and the cell map, on the very hidden _dafen sheet written by the layout), the 未匹配录入 block
// left by an earlier 更新评分标准, and other hands' 扣分依据 on 各评分人扣分依据 (multi-hand workbooks). Works the same after reopening, on another machine, or after WPS saved
// the file, because the metadata lives in plain cells. A unit sheet the clerk renamed (or a copy Excel
// named "城关镇 (2)") is found again by the `sheet:<index>` marker the layout puts in the first row of
// its hidden marker column.
import { HAND_REMARKS_SHEET } from '../layout/hand-remarks';
import { decodeMeta, META_SHEET } from '../layout/meta';
import type { WorkbookMeta } from '../layout/plan';

/** Rows of metadata read back (header + chunks of 30 000 characters: 64 rows hold ~1.9 MB of JSON). */
export const META_ROWS = 64;
export const UNMATCHED_SHEET = '未匹配录入';

export interface WorkbookState {
  sheets: { id: string; name: string; visibility: string }[];
  meta: WorkbookMeta | null;
  /** Why the metadata could not be read, when a _dafen sheet exists. */
  metaError?: string;
  /** The 未匹配录入 sheet's rows (header included), when it exists. */
  unmatched: unknown[][] | null;
  /**
   * The 各评分人扣分依据 sheet's rows (other hands' 扣分依据, header included; index 0 is the used range's first
   * row), when it exists: parsed by layout/hand-remarks.ts parseHandRemarkRows, as the xlsx reader parses them.
   */
  handRemarks: unknown[][] | null;
  /** Unit sheets found under another name than the metadata's (renamed tabs): metadata name → name now. */
  renamed: Map<string, string>;
  /** Metadata sheets found nowhere (deleted tabs). */
  missing: string[];
  /** Sheet name → id (the binding calls Office by id). */
  ids: Map<string, string>;
}

/**
 * One round trip: the sheet list, the metadata column, the 未匹配录入 and 各评分人扣分依据 rows, through null objects (a
 * workbook without them answers null instead of failing). One more only when a unit sheet is not where
 * the metadata says (renamed): the marker cell of every other sheet is read to find it.
 */
export async function readWorkbookState(context: Excel.RequestContext): Promise<WorkbookState> {
  const ws = context.workbook.worksheets;
  ws.load('items/id,items/name,items/visibility');
  const metaRange = ws.getItemOrNullObject(META_SHEET).getRange(`A1:A${META_ROWS}`);
  metaRange.load('values');
  const un = ws.getItemOrNullObject(UNMATCHED_SHEET).getUsedRangeOrNullObject(true);
  un.load('values');
  const hr = ws.getItemOrNullObject(HAND_REMARKS_SHEET).getUsedRangeOrNullObject(true);
  hr.load('values');
  await context.sync();
  const sheets = ws.items.map((s) => ({ id: s.id, name: s.name, visibility: String(s.visibility) }));
  const ids = new Map(sheets.map((s) => [s.name, s.id]));
  const unmatched = un.isNullObject ? null : un.values;
  const handRemarks = hr.isNullObject ? null : hr.values;
  if (metaRange.isNullObject) return { sheets, meta: null, unmatched, handRemarks, renamed: new Map(), missing: [], ids };
  const column = metaRange.values.map((r) => (typeof r[0] === 'string' && r[0] !== '' ? r[0] : undefined));
  const decoded = decodeMeta(column);
  const meta = decoded.meta ?? null;
  if (!meta) return { sheets, meta: null, metaError: decoded.error, unmatched, handRemarks, renamed: new Map(), missing: [], ids };

  const have = new Set(sheets.map((s) => s.name));
  const lost = meta.sheets.map((s, index) => ({ s, index })).filter(({ s }) => !have.has(s.name));
  const renamed = new Map<string, string>();
  if (lost.length > 0) {
    const known = new Set([...meta.sheets.map((s) => s.name), meta.summary.sheet, META_SHEET, UNMATCHED_SHEET, HAND_REMARKS_SHEET]);
    const candidates = sheets.filter((s) => !known.has(s.name));
    const cols = [...new Set(meta.sheets.map((s) => s.markerCol))];
    const probes = candidates.flatMap((c) => cols.map((col) => {
      const r = ws.getItem(c.id).getRange(`${col}1`);
      r.load('values');
      return { c, r };
    }));
    if (probes.length) await context.sync();
    const byIndex = new Map<number, string>();
    for (const { c, r } of probes) {
      const m = /^sheet:(\d+)$/.exec(String(r.values[0]?.[0] ?? ''));
      if (m && !byIndex.has(Number(m[1]))) byIndex.set(Number(m[1]), c.name);
    }
    for (const { s, index } of lost) {
      const now = byIndex.get(index);
      if (now) renamed.set(s.name, now);
    }
  }
  const missing = lost.filter(({ s }) => !renamed.has(s.name)).map(({ s }) => s.name);
  const metaNow: WorkbookMeta = renamed.size
    ? { ...meta, sheets: meta.sheets.map((s) => (renamed.has(s.name) ? { ...s, name: renamed.get(s.name)! } : s)) }
    : meta;
  return { sheets, meta: metaNow, metaError: decoded.error, unmatched, handRemarks, renamed, missing, ids };
}
