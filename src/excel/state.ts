// Reading what a workbook already holds: its sheets, the Dafen metadata (program id, version, hash and
// the cell map, on the very hidden _dafen sheet written by the layout), and the 未匹配录入 block left by an
// earlier 更新评分标准. Works the same after reopening, on another machine, or after WPS saved the file,
// because the metadata lives in plain cells.
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
}

/** At most two round trips: the sheet list, then the metadata and the 未匹配录入 rows. */
export async function readWorkbookState(context: Excel.RequestContext): Promise<WorkbookState> {
  const ws = context.workbook.worksheets;
  ws.load('items/id,items/name,items/visibility');
  await context.sync();
  const sheets = ws.items.map((s) => ({ id: s.id, name: s.name, visibility: String(s.visibility) }));
  const has = (n: string) => sheets.some((s) => s.name === n);
  if (!has(META_SHEET)) return { sheets, meta: null, unmatched: null };
  const metaRange = ws.getItem(META_SHEET).getRange(`A1:A${META_ROWS}`);
  metaRange.load('values');
  const un = has(UNMATCHED_SHEET) ? ws.getItem(UNMATCHED_SHEET).getUsedRange(true) : null;
  un?.load('values');
  await context.sync();
  const column = metaRange.values.map((r) => (typeof r[0] === 'string' && r[0] !== '' ? r[0] : undefined));
  const decoded = decodeMeta(column);
  return { sheets, meta: decoded.meta ?? null, metaError: decoded.error, unmatched: un ? un.values : null };
}
