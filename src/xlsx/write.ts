/**
 * WorkbookPlan → .xlsx bytes. Browser-safe: no Node APIs, so the download page and the add-in use the
 * same writer as the CLI. writeWorkbook writes the SpreadsheetML directly (./ooxml.ts, ./zip.ts:
 * linear in units, repeated sheet XML deflated once); buildWorkbook builds the same workbook with
 * ExcelJS, for callers that post-process it and as the reference test/xlsx/direct.test.ts compares
 * the direct writer with. A feature added to one must be added to the other.
 */
import ExcelJS from 'exceljs';
import type { CellStyle, SheetPlan, WorkbookPlan } from '../layout';
import { workbookParts } from './ooxml';
import { zipParts } from './zip';

type XStyle = Partial<ExcelJS.Style>;

/** The style of every row (rows carry no style of their own; cells do). */
const NO_STYLE: XStyle = Object.freeze({}) as XStyle;

/** What ExcelJS has at runtime but its typings leave out. */
type StyledRow = ExcelJS.Row & { style: XStyle };
type ValidatedSheet = ExcelJS.Worksheet & { dataValidations: { add(address: string, v: ExcelJS.DataValidation): void } };

const argb = (rgb: string): string => `FF${rgb.toUpperCase()}`;
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' },
};

function toExcelStyle(s: CellStyle): XStyle {
  const cjk = [...s.font.name].some((ch) => ch.charCodeAt(0) > 127);
  const st: XStyle = {
    font: {
      name: s.font.name, size: s.font.size, ...(s.font.bold ? { bold: true } : {}),
      ...(s.font.color ? { color: { argb: argb(s.font.color) } } : {}),
      // GB2312 charset tells Excel and WPS this is a Chinese font.
      ...(cjk ? { charset: 134 } : {}),
    },
    alignment: { horizontal: s.align.h, vertical: s.align.v, wrapText: s.align.wrap, ...(s.align.indent ? { indent: s.align.indent } : {}) },
    protection: { locked: s.locked },
  };
  if (s.border) st.border = THIN;
  if (s.fill) st.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(s.fill) } };
  if (s.numFmt) st.numFmt = s.numFmt;
  return st;
}

/** The ExcelJS workbook for a plan (exposed for tests and for callers that post-process it). */
export async function buildWorkbook(plan: WorkbookPlan): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  wb.creator = plan.properties.creator;
  wb.title = plan.properties.title;
  wb.subject = plan.properties.subject;
  wb.keywords = plan.properties.keywords;
  const styles = new Map<string, XStyle>(Object.entries(plan.styles).map(([id, s]) => [id, toExcelStyle(s)]));
  for (const sp of plan.sheets) await addSheet(wb, sp, styles);
  for (const d of plan.definedNames) wb.definedNames.add(d.range, d.name);
  wb.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' }];
  return wb;
}

async function addSheet(wb: ExcelJS.Workbook, sp: SheetPlan, styles: Map<string, XStyle>): Promise<void> {
  const ws = wb.addWorksheet(sp.name, {
    state: sp.state,
    properties: sp.tabColor ? { tabColor: { argb: argb(sp.tabColor) } } : {},
    views: sp.freeze ? [{ state: 'frozen', xSplit: sp.freeze.cols, ySplit: sp.freeze.rows }] : [],
  });
  sp.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width;
    if (c.hidden) col.hidden = true;
  });
  // Rows fetched once (Worksheet.getCell builds an address object per call).
  // Each row shares one empty style object: ExcelJS maps a style object to its id once (a WeakMap),
  // so a fresh `{}` per row would be serialised again for every row when the sheet is written.
  const rows: StyledRow[] = [];
  const rowAt = (r: number): StyledRow => {
    let row = rows[r];
    if (!row) {
      row = rows[r] = ws.getRow(r) as StyledRow;
      if (row.style && Object.keys(row.style).length === 0) row.style = NO_STYLE;
    }
    return row;
  };
  for (const c of sp.cells) {
    const cell = rowAt(c.row).getCell(c.col);
    const st = styles.get(c.style);
    if (st) cell.style = st;
    if (c.formula !== undefined) cell.value = { formula: c.formula, result: c.cached } as ExcelJS.CellFormulaValue;
    else if (c.value !== undefined && c.value !== null) cell.value = c.value; // strings stay text, even "=…"
  }
  // Every cell already has its style, and checkPlan guarantees merges never overlap: merge cell by cell
  // (what Worksheet.mergeCells does after an overlap scan of all merges and an address lookup per cell;
  // the <mergeCells> list is written from the merged cells). Falls back to the public call.
  type Mergeable = ExcelJS.Cell & { merge?: (master: ExcelJS.Cell, ignoreStyle: boolean) => void };
  for (const m of sp.merges) {
    const master = rowAt(m.top).getCell(m.left) as Mergeable;
    if (typeof master.merge !== 'function') {
      ws.mergeCellsWithoutStyle(m.top, m.left, m.bottom, m.right);
      continue;
    }
    for (let r = m.top; r <= m.bottom; r++) {
      for (let c = m.left; c <= m.right; c++) {
        if (r !== m.top || c !== m.left) (rowAt(r).getCell(c) as Mergeable).merge!(master, true);
      }
    }
  }
  sp.rowHeights.forEach((h, r) => {
    if (h !== undefined && r > 0) rowAt(r).height = h;
  });
  // Worksheet.dataValidations is keyed by address; Cell.dataValidation = … only adds a parse of the
  // address (Worksheet.getCell) in front of the same call.
  for (const v of sp.validations) {
    (ws as ValidatedSheet).dataValidations.add(v.address, {
      type: v.rule.type,
      ...(v.rule.operator ? { operator: v.rule.operator } : {}),
      formulae: v.rule.formulae,
      allowBlank: true,
      showInputMessage: true,
      promptTitle: v.rule.promptTitle,
      prompt: v.rule.prompt,
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: v.rule.errorTitle,
      error: v.rule.error,
    } as ExcelJS.DataValidation);
  }
  for (const cf of sp.conditional) {
    ws.addConditionalFormatting({
      ref: cf.ref,
      rules: [{ type: 'dataBar', priority: 1, cfvo: [{ type: 'min' }, { type: 'max' }], color: { argb: argb(cf.color) } } as unknown as ExcelJS.ConditionalFormattingRule],
    });
  }
  if (sp.autoFilter) ws.autoFilter = sp.autoFilter;
  if (sp.print) {
    const p = sp.print;
    ws.pageSetup = {
      ...ws.pageSetup,
      paperSize: p.paperSize, orientation: p.orientation, fitToPage: true, fitToWidth: p.fitToWidth, fitToHeight: p.fitToHeight,
      printArea: p.printArea, ...(p.printTitlesRow ? { printTitlesRow: p.printTitlesRow } : {}),
      margins: p.margins, horizontalCentered: p.horizontalCentered,
      ...(p.firstPageNumber ? { firstPageNumber: p.firstPageNumber } : {}),
    };
    if (p.footer) ws.headerFooter = { ...ws.headerFooter, oddFooter: p.footer };
    // Manual breaks (<rowBreaks>): a new page after each row; the layout chose them (layout/pages.ts).
    // Across every column, max="16383" as Excel writes it (without arguments ExcelJS writes 16838).
    for (const r of p.rowBreaks ?? []) rowAt(r).addPageBreak(1, 16384);
  }
  if (sp.protection) await ws.protect('', { ...sp.protection });
}

export interface WriteOptions {
  /**
   * Deflate level 1–9 for content written once. Default 1: deflating is most of the cost of a filled
   * workbook, whose sheets all differ; level 1 is about three times as fast as 6 for a file some 15%
   * larger. Sheet XML that recurs (unit sheets of one layout) is deflated once, at level 9.
   */
  compression?: number;
  /** `exceljs`: build with ExcelJS and its writer (the reference; slower, superlinear in units). */
  writer?: 'direct' | 'exceljs';
}

/** Plan → .xlsx bytes. */
export async function writeWorkbook(plan: WorkbookPlan, options: WriteOptions = {}): Promise<Uint8Array> {
  if (options.writer !== 'exceljs') return zipParts(workbookParts(plan), { level: options.compression ?? 1, repeatedLevel: 9 }).bytes;
  const wb = await buildWorkbook(plan);
  const buf = await wb.xlsx.writeBuffer({ zip: { compression: 'DEFLATE', compressionOptions: { level: options.compression ?? 1 } } } as Partial<ExcelJS.XlsxWriteOptions>);
  return buf instanceof Uint8Array ? buf : new Uint8Array(buf as ArrayBuffer);
}
