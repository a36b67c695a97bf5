// Every hand's entries on a multi-hand sheet (自评, raters: WorkbookMeta.hands), read back before 生成打分表 or
// 更新评分标准 rewrites the sheets, so that every column carries over by criterion id (layout/carry.ts) and
// nothing a self-assessor or rater entered is lost. The same read as live scoring's (queueReadSheet: every hand's
// column and the marker column, each entry on the row of its `in:<key>` marker). One round trip.
import type { HandId, Raw } from '../engine';
import type { WorkbookMeta } from '../layout/plan';
import type { WorkbookBinding } from './binding';
import { handsOf } from './fromMeta';
import { queueReadSheet } from './live';

/**
 * Per sheet (keyed by its binding's name, as `LiveState.inputs` is): every hand's entries by input key (blank
 * cells as null), read on the row of the input's `in:<key>` marker (rows the clerk inserted or deleted followed).
 * Empty for a workbook with one hand. A binding made without the hands (not by bindingFromMeta) takes them from `meta`.
 */
export async function readHandEntries(context: Excel.RequestContext, binding: WorkbookBinding, meta: WorkbookMeta): Promise<Map<string, Partial<Record<HandId, Record<string, Raw>>>>> {
  const reads = binding.sheets.flatMap((s) => {
    const hands = s.hands ?? handsOf(meta.sheets.find((m) => m.unit === s.unit) ?? {});
    if (!hands) return [];
    return [{ sheet: s.sheet, read: queueReadSheet(context, { ...s, hands }, { triggerSource: false, notes: false, collectionEvents: false }) }];
  });
  if (!reads.length) return new Map();
  await context.sync();
  return new Map(reads.map((r) => [r.sheet, r.read.entries().hands ?? {}]));
}
