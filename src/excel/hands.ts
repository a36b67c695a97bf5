// What a workbook's sheets hold, read back before 生成打分表 or 更新评分标准 rewrites them and before 分发/收集:
// every hand's entries on a multi-hand sheet (自评, raters: WorkbookMeta.hands), so that every column carries
// over by criterion id (layout/carry.ts) and nothing a self-assessor or rater entered is lost, and the 扣分依据.
// The same read as live scoring's (queueReadSheet: every hand's column and the marker column, each entry on
// the row of its `in:<key>` marker), with the 扣分依据 column in the same round trip.
import type { HandId, Raw } from '../engine';
import type { WorkbookMeta } from '../layout/plan';
import { inputReadRect, type SheetBinding } from './binding';
import { queueReadAll, type LiveState } from './live';
import { queueReadRemarks } from './remarks';

/**
 * What every sheet holds, in one round trip (one per READ_CELLS_PER_SYNC cells): every hand's entries (into `state.inputs` / `state.handInputs`, as live
 * scoring reads them, 本表设定 included) and the 扣分依据 column. The read before 更新评分标准, 生成打分表 over a filled
 * workbook, 分发 and 收集. Returns the 扣分依据 per sheet and, on a multi-hand workbook, every hand's entries per sheet.
 */
export async function readEntries(context: Excel.RequestContext, state: LiveState, meta: WorkbookMeta, cellsPerSync = READ_CELLS_PER_SYNC): Promise<{
  remarks: Map<string, Record<string, string>>;
  hands: Map<string, Partial<Record<HandId, Record<string, Raw>>>> | null;
}> {
  const remarks = new Map<string, Record<string, string>>();
  for (const group of readGroups(state.binding.sheets, cellsPerSync)) {
    const inputs = queueReadAll(context, state, group);
    const said = queueReadRemarks(context, { ...state.binding, sheets: group }, meta);
    await context.sync();
    inputs();
    for (const [k, v] of said()) remarks.set(k, v);
  }
  const multi = meta.hands !== undefined;
  return { remarks, hands: multi ? new Map(state.binding.sheets.map((s) => [s.sheet, state.handInputs.get(s.sheet) ?? {}])) : null };
}

/**
 * Cells answered per round trip at most. The web refuses answers over 5 MB, as it refuses requests (resource
 * limits page); an answer takes about 8 bytes a cell (measured: 1.7 MB for 300 台前 sheets of ~700 cells each),
 * so 250,000 cells stay near 2 MB. 300 units take one round trip, 1,000 about three.
 */
export const READ_CELLS_PER_SYNC = 250_000;

/** Cells one sheet's read answers with: its input rectangle (every hand's column) plus the marker and 扣分依据 columns. */
function cellsRead(s: SheetBinding): number {
  const r = inputReadRect(s);
  return r ? (r.bottom - r.top + 1) * (r.right - r.left + 3) : 0;
}

/** The sheets in order, in groups of at most `limit` cells read (a sheet larger than that alone). */
function readGroups(sheets: readonly SheetBinding[], limit: number): SheetBinding[][] {
  const out: SheetBinding[][] = [];
  let cur: SheetBinding[] = [];
  let n = 0;
  for (const s of sheets) {
    const c = cellsRead(s);
    if (cur.length && n + c > limit) {
      out.push(cur);
      cur = [];
      n = 0;
    }
    cur.push(s);
    n += c;
  }
  if (cur.length || !out.length) out.push(cur);
  return out;
}
