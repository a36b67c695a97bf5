// What Excel's insertWorksheetsFromBase64 reads from the .xlsx, for the simulated host: ExcelJS (test side
// only) decodes the bytes into sheets — values, formulas, fills, locks, merges, protection with its
// allowances, validations and visibility.
import ExcelJS from 'exceljs';
import type { Sheet } from './excel-host';

const VIS = { visible: 'Visible', hidden: 'Hidden', veryHidden: 'VeryHidden' } as const;

export async function decodeXlsx(base64: string): Promise<Omit<Sheet, 'id'>[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(base64, 'base64') as never);
  return wb.worksheets.map((ws) => {
    const s: Omit<Sheet, 'id'> = {
      name: ws.name, visibility: VIS[(ws.state ?? 'visible') as keyof typeof VIS] ?? 'Visible', cells: new Map(), merges: [], notes: new Map(), validations: new Map(),
      colWidths: new Map(), rowHeights: new Map(), hiddenCols: new Set(), frozenRows: 0, conditional: [], protection: { protected: false, options: {} },
      // The file's own print setup travels inside the inserted sheets; the model records only what the range path writes.
      print: { breaksBefore: [] },
    };
    ws.eachRow({ includeEmpty: false }, (row) => {
      // Empty cells count too: an empty input cell carries its unlocked protection and fill.
      row.eachCell({ includeEmpty: true }, (cell) => {
        const v = cell.value as unknown;
        if ((v === null || v === undefined) && !cell.style?.protection && !cell.fill) return;
        const fill = (cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;
        const base = { fill: fill ? `#${fill.slice(2)}` : null, locked: cell.protection?.locked !== false, numberFormat: cell.numFmt };
        if (cell.isMerged && cell.master !== cell) {
          s.cells.set(cell.address, { ...base, value: '' });
          return;
        }
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
    s.merges.push(...((ws.model as { merges?: string[] }).merges ?? []));
    const sp = (ws as unknown as { sheetProtection?: Record<string, boolean> }).sheetProtection;
    if (sp?.sheet) {
      s.protection = {
        protected: true,
        options: { allowFormatCells: Boolean(sp.formatCells), allowFormatColumns: Boolean(sp.formatColumns), allowFormatRows: Boolean(sp.formatRows), allowAutoFilter: Boolean(sp.autoFilter) },
      };
    }
    const dv = (ws as unknown as { dataValidations?: { model?: Record<string, unknown> } }).dataValidations?.model ?? {};
    for (const [addr, rule] of Object.entries(dv)) s.validations.set(addr, { rule });
    return s;
  });
}
