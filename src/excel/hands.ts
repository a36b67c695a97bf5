// What a workbook's sheets hold, read back before 生成打分表 or 更新评分标准 rewrites them and before 分发/收集:
// every hand's entries on a multi-hand sheet (自评, raters: WorkbookMeta.hands), so that every column carries
// over by criterion id (layout/carry.ts) and nothing a self-assessor or rater entered is lost, and the 扣分依据.
// The same read as live scoring's (queueReadSheet: every hand's column and the marker column, each entry on
// the row of its `in:<key>` marker), with the 扣分依据 column in the same round trip.
import type { HandId, Raw } from '../engine';
import type { WorkbookMeta } from '../layout/plan';
import { queueReadAll, type LiveState } from './live';
import { queueReadRemarks } from './remarks';

/**
 * What every sheet holds, in one round trip: every hand's entries (into `state.inputs` / `state.handInputs`, as live
 * scoring reads them, 本表设定 included) and the 扣分依据 column. The read before 更新评分标准, 生成打分表 over a filled
 * workbook, 分发 and 收集. Returns the 扣分依据 per sheet and, on a multi-hand workbook, every hand's entries per sheet.
 */
export async function readEntries(context: Excel.RequestContext, state: LiveState, meta: WorkbookMeta): Promise<{
  remarks: Map<string, Record<string, string>>;
  hands: Map<string, Partial<Record<HandId, Record<string, Raw>>>> | null;
}> {
  const inputs = queueReadAll(context, state);
  const remarks = queueReadRemarks(context, state.binding, meta);
  await context.sync();
  inputs();
  const multi = meta.hands !== undefined;
  return { remarks: remarks(), hands: multi ? new Map(state.binding.sheets.map((s) => [s.sheet, state.handInputs.get(s.sheet) ?? {}])) : null };
}
