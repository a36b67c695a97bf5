/**
 * The 评分细则 sheet as an .xlsx file, for clerks without the add-in (WPS, LibreOffice, the browser page):
 * sheet 评分细则 (one row per node, the 计分方式 column a list validation of the registry's kind names,
 * 需确认 rows shaded) and the hidden sheet _dafen_细则 keeping the rubric the rows were written from.
 * Written as SpreadsheetML with JSZip (the import layer sits on the engine only), read back with the
 * import's own .xlsx reader. Runs in Node and in the browser.
 */
import JSZip from 'jszip';
import { readXlsx } from './readers/ooxml';
import { importProblem, type ImportProblem } from './messages';
import {
  BASE_SHEET, baseCells, baseFromCells, KIND_CHOICES, rowsFromGrid, rubricFromRows, SHEET_COLUMNS, SHEET_HEADERS, SHEET_NAME,
  type SheetColumn, type SheetResult, type SheetRow,
} from './sheet';

/** Column widths (characters) of the 评分细则 sheet. */
export const SHEET_WIDTHS: Record<SheetColumn, number> = { variant: 6, id: 10, title: 24, points: 7, text: 48, kind: 11, params: 40, basis: 36, confirm: 30, check: 36 };
/** Rows under the header the 计分方式 list validation covers (the rows written, and room for more). */
export const VALIDATION_ROWS = 1000;

/** Characters XML 1.0 cannot hold (control characters but tab, line feed, carriage return; U+FFFE/U+FFFF). */
const notXml = (c: string): boolean => {
  const n = c.charCodeAt(0);
  return (n < 0x20 && n !== 0x09 && n !== 0x0a && n !== 0x0d) || n === 0xfffe || n === 0xffff;
};
const esc = (s: string): string =>
  Array.from(s, (c) => (notXml(c) ? '' : c)).join('').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** The list validation's formula: the kind names in quotes, comma-separated (at most 255 characters). */
export const KIND_LIST_FORMULA = `"${KIND_CHOICES.join(',')}"`;

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="2"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font></fonts>
<fills count="5"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFD9E1F2"/></patternFill></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFFF2CC"/></patternFill></fill><fill><patternFill patternType="solid"><fgColor rgb="FFF2F2F2"/></patternFill></fill></fills>
<borders count="2"><border/><border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/></border></borders>
<cellStyleXfs count="1"><xf/></cellStyleXfs>
<cellXfs count="5">
<xf/>
<xf fontId="1" fillId="2" borderId="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment wrapText="1" vertical="center" horizontal="center"/></xf>
<xf borderId="1" applyBorder="1" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>
<xf fillId="3" borderId="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>
<xf fontId="1" fillId="4" borderId="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>
</cellXfs>
</styleSheet>`;

function cell(ref: string, v: string, style: number, numeric: boolean): string {
  if (v === '') return `<c r="${ref}" s="${style}"/>`;
  if (numeric && /^-?\d+(\.\d+)?$/.test(v)) return `<c r="${ref}" s="${style}"><v>${v}</v></c>`;
  return `<c r="${ref}" s="${style}" t="inlineStr"><is><t xml:space="preserve">${esc(v)}</t></is></c>`;
}

function sheetXml(rows: readonly SheetRow[]): string {
  const kindCol = colName(SHEET_COLUMNS.indexOf('kind'));
  const out: string[] = [];
  out.push(`<row r="1">${SHEET_COLUMNS.map((c, i) => cell(`${colName(i)}1`, SHEET_HEADERS[c].zh, 1, false)).join('')}</row>`);
  rows.forEach((r, k) => {
    const n = k + 2;
    const style = !r.kind && !r.params ? 4 : r.confirm ? 3 : 2;
    out.push(`<row r="${n}">${SHEET_COLUMNS.map((c, i) => cell(`${colName(i)}${n}`, r[c], style, c === 'points')).join('')}</row>`);
  });
  const cols = SHEET_COLUMNS.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${SHEET_WIDTHS[c]}" customWidth="1"/>`).join('');
  const last = colName(SHEET_COLUMNS.length - 1);
  const validation =
    `<dataValidations count="1"><dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" promptTitle="${esc(SHEET_HEADERS.kind.zh)}" prompt="${esc('从列表中选择计分方式；参数按所选方式填写')}" errorTitle="${esc(SHEET_HEADERS.kind.zh)}" error="${esc(`请从列表中选择：${KIND_CHOICES.join('、')}`)}" sqref="${kindCol}2:${kindCol}${VALIDATION_ROWS + 1}"><formula1>${esc(KIND_LIST_FORMULA)}</formula1></dataValidation></dataValidations>`;
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1:${last}${rows.length + 1}"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>${out.join('')}</sheetData><autoFilter ref="A1:${last}${rows.length + 1}"/>${validation}</worksheet>`;
}

function baseXml(cells: readonly string[]): string {
  const rows = cells.map((c, i) => `<row r="${i + 1}">${cell(`A${i + 1}`, c, 0, false)}</row>`).join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;
}

/** The 评分细则 workbook: the sheet and the hidden base. */
export async function sheetWorkbook(base: Record<string, unknown>, rows: readonly SheetRow[]): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`);
  zip.file('_rels/.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
  zip.file('xl/workbook.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView activeTab="0"/></bookViews><sheets><sheet name="${esc(SHEET_NAME)}" sheetId="1" r:id="rId1"/><sheet name="${esc(BASE_SHEET)}" sheetId="2" state="hidden" r:id="rId2"/></sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'${esc(SHEET_NAME)}'!$A$1:$${colName(SHEET_COLUMNS.length - 1)}$${rows.length + 1}</definedName></definedNames></workbook>`);
  zip.file('xl/_rels/workbook.xml.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`);
  zip.file('xl/styles.xml', STYLES);
  zip.file('xl/worksheets/sheet1.xml', sheetXml(rows));
  zip.file('xl/worksheets/sheet2.xml', baseXml(baseCells(base)));
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

export interface SheetFile {
  base: Record<string, unknown>;
  result: SheetResult;
  /** Each row's 1-based row number in the sheet (for messages: 评分细则!G5). */
  sheetRows: number[];
}

/**
 * A 评分细则 workbook read back (as a clerk edited it in WPS, LibreOffice or Excel): the rows checked
 * against the kept base. Null when the file is not one (no _dafen_细则 sheet): the caller imports it as a
 * document instead. Problems (no header, no base) are coded, never thrown.
 */
export async function readSheetWorkbook(bytes: Uint8Array): Promise<SheetFile | { problems: ImportProblem[] } | null> {
  let grids;
  try {
    grids = (await readXlsx(bytes)).grids;
  } catch {
    return null;
  }
  const baseGrid = grids.find((g) => g.sheet === BASE_SHEET);
  if (!baseGrid) return null;
  const base = baseFromCells(baseGrid.rows.map((r) => r[0] ?? ''));
  if (!base) return { problems: [importProblem('sheet.noBase', '')] };
  const sheet = grids.find((g) => g.sheet === SHEET_NAME) ?? grids.find((g) => g.sheet !== BASE_SHEET && rowsFromGrid(g.rows));
  const read = sheet ? rowsFromGrid(sheet.rows) : null;
  if (!read) return { problems: [importProblem('sheet.noHeader', '')] };
  return { base, result: rubricFromRows(base, read.rows), sheetRows: read.sheetRows.map((r) => r + 1) };
}

/** Where a problem of the sheet is, as a clerk finds it: 评分细则!G5 (the cell), 评分细则!5 (the row), or the sheet. */
export function cellOf(p: { row: number; column: SheetColumn | null }, sheetRows: readonly number[]): string {
  if (p.row < 0) return SHEET_NAME;
  const n = sheetRows[p.row] ?? p.row + 2;
  return p.column ? `${SHEET_NAME}!${colName(SHEET_COLUMNS.indexOf(p.column))}${n}` : `${SHEET_NAME}!${n}`;
}

