// The 评分细则 sheet in Excel (导入评分细则 in the task pane): the Office calls only. What the sheet holds
// (rows, kind names, the kept rubric) is decided by the import layer (src/import/sheet.ts) and handed in
// as plain data by the task pane; this file reads the clerk's selection, writes the sheet (values, the
// 计分方式 list validation, widths, wrap, shading, the frozen header) and the hidden sheet keeping the
// rubric, reads both back, writes the check columns with events off, and registers the sheet's onChanged.
// Writes go through the Chunker (no request near the web's 5 MB limit).
import { cellAddress, colName, rectAddress } from './a1';
import { Chunker, estimateBytes } from './chunk';

export interface ImportSheetWrite {
  /** The sheet's name (评分细则; a free name such as 评分细则2 when that one exists). */
  name: string;
  /** The hidden sheet keeping the rubric the rows were written from. */
  baseName: string;
  /** Header row, then one row per node, as text. */
  grid: string[][];
  /** Columns written as numbers where the text is one (分值). */
  numericCols: number[];
  /** Column widths in characters. */
  widths: number[];
  /** The 计分方式 column, its list (the registry's names) and how many rows under the header it covers. */
  kindCol: number;
  kindList: readonly string[];
  validationRows: number;
  /** Per data row: a group (section) row, a row to confirm, or a plain one. */
  rowStyle: ('group' | 'confirm' | 'plain')[];
  /** The kept rubric, in cells of column A. */
  base: string[];
}

export const IMPORT_FILLS = { header: '#D9E1F2', confirm: '#FFF2CC', group: '#F2F2F2', error: '#FFC7CE' } as const;

/** Points of Excel's column width per character of 宋体 11 (the layout's figure for CJK text). */
const POINTS_PER_CHAR = 7.5;

/**
 * The clerk's selection (the pasted table) as text, and where it is. Excel refuses `getSelectedRange` when
 * several areas are selected (InvalidSelection): returned as such for the pane to say so.
 */
export async function readSelection(context: Excel.RequestContext): Promise<{ sheet: string; address: string; text: string[][] } | { refused: string }> {
  const range = context.workbook.getSelectedRange();
  range.load('address,text,rowCount,columnCount');
  range.worksheet.load('name');
  try {
    await context.sync();
  } catch (error) {
    const code = String((error as { code?: unknown })?.code ?? '');
    if (code === 'InvalidSelection' || code === 'InvalidArgument' || code === 'InvalidOperation') return { refused: code };
    throw error;
  }
  return { sheet: range.worksheet.name, address: range.address, text: range.text.map((r) => r.map((c) => String(c ?? ''))) };
}

/** A name no sheet has: 评分细则, else 评分细则2, 评分细则3… (nothing a clerk made is replaced). */
export async function freeSheetName(context: Excel.RequestContext, wanted: string): Promise<{ name: string; existing: string[] }> {
  const sheets = context.workbook.worksheets;
  sheets.load('items/name');
  await context.sync();
  const existing = sheets.items.map((s) => s.name);
  const taken = new Set(existing.map((n) => n.toLowerCase()));
  let name = wanted;
  for (let k = 2; taken.has(name.toLowerCase()); k++) name = `${wanted}${k}`;
  return { name, existing };
}

/**
 * Writes the 评分细则 sheet and its hidden rubric sheet (replacing an earlier hidden one, which holds no
 * clerk's entry). Returns the new sheet's id (events carry it; it survives a rename).
 */
export async function writeImportSheet(context: Excel.RequestContext, w: ImportSheetWrite): Promise<{ id: string; syncs: number }> {
  context.runtime.enableEvents = false;
  const chunker = new Chunker(context, undefined, undefined, () => {
    context.runtime.enableEvents = true;
  });
  try {
    const old = context.workbook.worksheets.getItemOrNullObject(w.baseName);
    old.load('name');
    await context.sync();
    if (!old.isNullObject) {
      old.visibility = Excel.SheetVisibility.visible;
      old.delete();
    }
    const ws = context.workbook.worksheets.add(w.name);
    ws.load('id');
    const cols = w.grid[0].length;
    const rows = w.grid.length;
    // values, a few rows per request part; numbers where the column is numeric and the text is one
    const values = w.grid.map((r, i) => r.map((v, c) => (i > 0 && w.numericCols.includes(c) && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v)));
    const step = 200;
    for (let top = 0; top < rows; top += step) {
      const part = values.slice(top, top + step);
      const address = rectAddress({ top, left: 0, bottom: top + part.length - 1, right: cols - 1 });
      await chunker.add(estimateBytes(part), () => {
        const r = ws.getRange(address);
        r.numberFormat = part.map((row) => row.map(() => '@'));
        r.values = part;
      });
    }
    await chunker.add(estimateBytes(null, 12 + cols), () => {
      const all = ws.getRange(rectAddress({ top: 0, left: 0, bottom: rows - 1, right: cols - 1 }));
      all.format.wrapText = true;
      all.format.verticalAlignment = Excel.VerticalAlignment.top;
      const head = ws.getRange(rectAddress({ top: 0, left: 0, bottom: 0, right: cols - 1 }));
      head.format.font.bold = true;
      head.format.fill.color = IMPORT_FILLS.header;
      w.widths.forEach((n, c) => {
        ws.getRange(`${colName(c)}:${colName(c)}`).format.columnWidth = n * POINTS_PER_CHAR;
      });
      ws.freezePanes.freezeRows(1);
      const kind = ws.getRange(rectAddress({ top: 1, left: w.kindCol, bottom: w.validationRows, right: w.kindCol }));
      kind.dataValidation.clear();
      kind.dataValidation.rule = { list: { inCellDropDown: true, source: w.kindList.join(',') } };
      kind.dataValidation.errorAlert = { showAlert: true, style: Excel.DataValidationAlertStyle.stop, title: w.grid[0][w.kindCol], message: `请从列表中选择：${w.kindList.join('、')}` };
    });
    for (let i = 0; i < w.rowStyle.length; i++) {
      const style = w.rowStyle[i];
      if (style === 'plain') continue;
      await chunker.add(estimateBytes(null, 3), () => {
        const r = ws.getRange(rectAddress({ top: i + 1, left: 0, bottom: i + 1, right: cols - 1 }));
        r.format.fill.color = style === 'group' ? IMPORT_FILLS.group : IMPORT_FILLS.confirm;
        if (style === 'group') r.format.font.bold = true;
      });
    }
    // the kept rubric: a hidden sheet, column A
    const base = context.workbook.worksheets.add(w.baseName);
    if (w.base.length) {
      await chunker.add(estimateBytes(w.base), () => {
        const r = base.getRange(`A1:A${w.base.length}`);
        r.numberFormat = w.base.map(() => ['@']);
        r.values = w.base.map((c) => [c]);
      });
    }
    await chunker.add(estimateBytes(null, 3), () => {
      base.visibility = Excel.SheetVisibility.hidden;
      ws.activate();
      context.runtime.enableEvents = true;
    });
    await chunker.flush();
    return { id: ws.id, syncs: chunker.syncs + 1 };
  } catch (error) {
    context.runtime.enableEvents = true;
    await context.sync().catch(() => undefined);
    throw error;
  }
}

/** The sheet's used range and the kept rubric's cells, in one round trip; null where the sheet is gone. */
export async function readImportSheet(context: Excel.RequestContext, key: string, baseName: string): Promise<{ name: string; id: string; values: unknown[][]; base: unknown[] } | null> {
  const ws = context.workbook.worksheets.getItemOrNullObject(key);
  ws.load('name,id');
  const used = ws.getUsedRangeOrNullObject(true);
  // the header sits in row 1 (written there), so the used range starts at A1
  used.load('values');
  const base = context.workbook.worksheets.getItemOrNullObject(baseName);
  base.load('name');
  const baseUsed = base.getUsedRangeOrNullObject(true);
  baseUsed.load('values');
  await context.sync();
  if (ws.isNullObject || used.isNullObject) return null;
  return { name: ws.name, id: ws.id, values: used.values, base: base.isNullObject || baseUsed.isNullObject ? [] : baseUsed.values.map((r) => r[0]) };
}

/** The columns Dafen keeps up to date (计分方式 where it followed the 参数, 识别依据, 需确认, 检查结果), events off. */
export async function writeImportChecks(context: Excel.RequestContext, key: string, cells: readonly { row: number; col: number; value: string; error?: boolean }[]): Promise<number> {
  if (!cells.length) return 0;
  const ws = context.workbook.worksheets.getItem(key);
  context.runtime.enableEvents = false;
  const chunker = new Chunker(context, undefined, undefined, () => {
    context.runtime.enableEvents = true;
  });
  for (const c of cells) {
    await chunker.add(estimateBytes([[c.value]], 2), () => {
      const r = ws.getRange(cellAddress(c.row, c.col));
      r.values = [[c.value]];
      if (c.error !== undefined) {
        if (c.error) r.format.fill.color = IMPORT_FILLS.error;
        else r.format.fill.clear();
      }
    });
  }
  await chunker.add(estimateBytes(null), () => {
    context.runtime.enableEvents = true;
  });
  await chunker.flush();
  return chunker.syncs;
}

/**
 * Registers the 评分细则 sheet's onChanged (ExcelApi 1.7), once per pane (`registered` holds the sheet id),
 * and where given its onSelectionChanged (1.7): on the web a value picked from a data-validation dropdown
 * fires no onChanged (office-js #3888, #4066), so the sheet is checked again when the selection moves. No sync.
 */
export function registerImportSheet(
  context: Excel.RequestContext,
  id: string,
  handler: (e: Excel.WorksheetChangedEventArgs) => Promise<unknown>,
  registered: Set<string>,
  onSelection?: (e: Excel.WorksheetSelectionChangedEventArgs) => Promise<unknown>,
): boolean {
  const key = `import:${id}`;
  if (registered.has(key)) return false;
  const ws = context.workbook.worksheets.getItem(id);
  ws.onChanged.add(handler);
  if (onSelection) ws.onSelectionChanged.add(onSelection);
  registered.add(key);
  return true;
}
