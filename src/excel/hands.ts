// Every hand's entries on a multi-hand sheet (自评, raters: WorkbookMeta.hands), read back before 生成打分表 or
// 更新评分标准 rewrites the sheets, so that every column carries over by criterion id (layout/carry.ts) and
// nothing a self-assessor or rater entered is lost. Live scoring reads the first scoring hand's column (the
// binding's inputs); this reads the others. One round trip: each hand's input column and the marker column.
import type { HandId, Raw } from '../engine';
import type { WorkbookMeta } from '../layout/plan';
import { parseCell } from './a1';
import { MARKER_SLACK, sheetKey, type WorkbookBinding } from './binding';

/**
 * Per sheet (keyed by its binding's name, as `LiveState.inputs` is): every hand's entries by input key (blank
 * cells as null), read on the row of the input's `in:<key>` marker (rows the clerk inserted or deleted followed).
 * Empty for a workbook with one hand.
 */
export async function readHandEntries(context: Excel.RequestContext, binding: WorkbookBinding, meta: WorkbookMeta): Promise<Map<string, Partial<Record<HandId, Record<string, Raw>>>>> {
  const reads: { sheet: string; hands: { hand: HandId; keys: { key: string; row: number }[]; values: Excel.Range }[]; markers: Excel.Range | null }[] = [];
  for (const s of binding.sheets) {
    const sm = meta.sheets.find((m) => m.unit === s.unit);
    if (!sm?.hands) continue;
    const ws = context.workbook.worksheets.getItem(sheetKey(s));
    const rows = sm.hands.flatMap((h) => h.inputs.map((i) => parseCell(i.address)?.row ?? 0));
    const last = Math.max(0, ...rows) + 1 + MARKER_SLACK;
    const hands = sm.hands.filter((h) => h.inputs.length).map((h) => {
      const letter = h.inputs[0].address.replace(/\d+$/, '');
      const values = ws.getRange(`${letter}1:${letter}${last}`);
      values.load('values');
      return { hand: h.hand, keys: h.inputs.map((i) => ({ key: i.key, row: parseCell(i.address)?.row ?? 0 })), values };
    });
    const markers = s.markerCol ? ws.getRange(`${s.markerCol}1:${s.markerCol}${last}`) : null;
    markers?.load('values');
    reads.push({ sheet: s.sheet, hands, markers });
  }
  if (!reads.length) return new Map();
  await context.sync();
  const out = new Map<string, Partial<Record<HandId, Record<string, Raw>>>>();
  for (const r of reads) {
    const rowOf = new Map<string, number>();
    (r.markers?.values ?? []).forEach((row, i) => {
      const t = row[0];
      if (typeof t === 'string') for (const tok of t.split(/\s+/)) if (tok && !rowOf.has(tok)) rowOf.set(tok, i);
    });
    const byHand: Partial<Record<HandId, Record<string, Raw>>> = {};
    for (const h of r.hands) {
      const got: Record<string, Raw> = {};
      for (const { key, row } of h.keys) {
        const v = h.values.values[rowOf.get(`in:${key}`) ?? row]?.[0];
        got[key] = v === '' || v === undefined ? null : (v as Raw);
      }
      byHand[h.hand] = got;
    }
    out.set(r.sheet, byHand);
  }
  return out;
}
