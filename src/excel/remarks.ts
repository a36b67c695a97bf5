// 扣分依据/说明: what the assessor wrote beside 备注, read back before 更新评分标准 rewrites the sheets so
// that every word carries over to the same criterion (taskpane/migrate.ts). Dafen never writes these
// cells; it only reads them: the reason column and the marker column of every sheet, queued into the
// round trip that reads the inputs (readEntries in hands.ts).
import type { WorkbookMeta } from '../layout/plan';
import { parseCell } from './a1';
import { MARKER_SLACK, markerRows, sheetKey, type WorkbookBinding } from './binding';

/**
 * Queues the read; after the sync, per sheet (keyed by its binding's name, as `LiveState.inputs` is): the non-blank 扣分依据/说明 by criterion id
 * (`$veto` for the 一票否决 block). Sheets are found by their id where the binding has one, so a tab the clerk
 * renamed is still read (worksheets.getItem takes a name or an id).
 */
export function queueReadRemarks(context: Excel.RequestContext, binding: WorkbookBinding, meta: WorkbookMeta): () => Map<string, Record<string, string>> {
  const reads: { sheet: string; ids: { id: string; row: number }[]; values: Excel.Range; markers: Excel.Range | null }[] = [];
  for (const s of binding.sheets) {
    const sm = meta.sheets.find((m) => m.unit === s.unit);
    const at = (sm?.remarks ?? []).map((r) => ({ id: r.id, cell: parseCell(r.address) })).filter((r) => r.cell !== null);
    if (!at.length) continue;
    const last = Math.max(...at.map((r) => r.cell!.row)) + 1 + MARKER_SLACK;
    const letter = sm!.remarks![0].address.replace(/\d+$/, '');
    const ws = context.workbook.worksheets.getItem(sheetKey(s));
    const values = ws.getRange(`${letter}1:${letter}${last}`);
    values.load('values');
    const markers = s.markerCol ? ws.getRange(`${s.markerCol}1:${s.markerCol}${last}`) : null;
    markers?.load('values');
    reads.push({ sheet: s.sheet, ids: at.map((r) => ({ id: r.id, row: r.cell!.row })), values, markers });
  }
  return () => {
    const out = new Map<string, Record<string, string>>();
    for (const r of reads) {
      // Rows the clerk inserted or deleted: the criterion's out:<id> marker says where its row is now.
      const rowOf = markerRows(r.markers?.values ?? []);
      const said: Record<string, string> = {};
      for (const { id, row } of r.ids) {
        const v = r.values.values[rowOf.get(`out:${id}`) ?? row]?.[0];
        const text = v === null || v === undefined ? '' : String(v);
        if (text.trim() !== '') said[id] = text;
      }
      out.set(r.sheet, said);
    }
    return out;
  };
}
