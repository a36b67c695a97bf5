// What Excel's insertWorksheetsFromBase64 does, for the fake: read the .xlsx (ExcelJS, test side only)
// and put its sheets — values, formulas, merges, fills, protection, validations, visibility — into the model.
import ExcelJS from 'exceljs';
import type { FakeBook } from './fake-excel';

const VIS = { visible: 'Visible', hidden: 'Hidden', veryHidden: 'VeryHidden' } as const;

export async function xlsxInserter(book: FakeBook, base64: string, options: Excel.InsertWorksheetOptions | undefined): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(base64, 'base64') as never);
  const wanted = options?.sheetNamesToInsert;
  const inserted: string[] = [];
  for (const ws of wb.worksheets) {
    if (wanted && !wanted.includes(ws.name)) continue;
    // Excel inserts every sheet; real Excel keeps the file's visibility for hidden sheets on most hosts.
    const s = book.addSheet(ws.name, VIS[(ws.state ?? 'visible') as keyof typeof VIS] ?? 'Visible');
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const v = cell.value as unknown;
        const fill = (cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;
        const base = { fill: fill ? `#${fill.slice(2)}` : null, locked: cell.protection?.locked !== false, numberFormat: cell.numFmt };
        if (cell.isMerged && cell.master !== cell) return;
        if (v && typeof v === 'object' && 'formula' in (v as object)) {
          const f = v as { formula: string; result?: unknown };
          s.cells.set(cell.address, { ...base, formula: `=${f.formula}`, value: f.result ?? '' });
        } else if (v && typeof v === 'object' && 'richText' in (v as object)) {
          s.cells.set(cell.address, { ...base, value: (v as { richText: { text: string }[] }).richText.map((t) => t.text).join('') });
        } else {
          s.cells.set(cell.address, { ...base, value: v ?? '' });
        }
      });
    });
    // Merged cells' other members still exist (formatted) in Excel.
    s.merges.push(...((ws.model as { merges?: string[] }).merges ?? []));
    s.protected = Boolean((ws as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet);
    const dv = (ws as unknown as { dataValidations?: { model?: Record<string, unknown> } }).dataValidations?.model ?? {};
    for (const [addr, rule] of Object.entries(dv)) s.validations.set(addr, { rule });
    inserted.push(ws.name);
  }
  return inserted;
}
