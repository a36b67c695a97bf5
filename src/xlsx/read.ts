/**
 * A filled 打分表 workbook (saved by Excel, WPS or LibreOffice) → its metadata, every unit's inputs by
 * key, and every computed cell's formula and stored value. Inputs are found through the cell map in
 * the hidden `_dafen` sheet and the hidden marker column of each sheet, so inserted, deleted or moved
 * rows are noticed (and reported with sheet and cell) rather than read from the wrong place.
 * Browser-safe: bytes in, data out.
 */
import ExcelJS from 'exceljs';
import { shownValue, type Raw } from '../engine';
import { META_FORMAT, META_SHEET, colNumber, decodeMeta, parseAddr, addr, type SummaryColumn, type WorkbookMeta, type SheetMeta } from '../layout';
import { wbProblem, type WorkbookProblem } from './messages';

export interface ReadCell {
  address: string;
  /** Formula without `=`, when the cell holds one. */
  formula?: string;
  /** Stored value (a formula's cached result). null: empty — or a formula result of 0 or "" (ExcelJS drops those). */
  value: number | string | boolean | null;
}

export interface ReadUnit {
  /** The sheet's name now (it may have been renamed). */
  sheet: string;
  unit: string;
  variant: string;
  /** The unit's tags, as the workbook was made (applicability, R21). */
  tags?: string[];
  inputs: Record<string, Raw>;
  /** Where each input was read, by key. */
  inputCells: Record<string, string>;
  computed: Record<string, ReadCell>;
  /** 扣分依据/说明 the assessor wrote, by criterion id (`$veto` for the 一票否决 block); blank ones left out. */
  remarks: Record<string, string>;
  /** Some rows are no longer where the map puts them. */
  moved: boolean;
}

export interface ReadSummaryRow {
  row: number;
  cells: Partial<Record<SummaryColumn, ReadCell>>;
  figures: Record<string, ReadCell>;
}

export interface FilledWorkbook {
  meta: WorkbookMeta | null;
  units: ReadUnit[];
  /** Summary rows by unit name (the clerk may have sorted them). */
  summary: Record<string, ReadSummaryRow>;
  problems: WorkbookProblem[];
}

type CellValue = ExcelJS.CellValue;

function text(v: CellValue): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  if (typeof v === 'object' && 'text' in v && typeof v.text === 'string') return v.text;
  return null;
}

/** A cell's content as the engine reads inputs: numbers, text, booleans; a formula's result. */
function plain(v: CellValue): number | string | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('formula' in v || 'sharedFormula' in v) return plain((v as ExcelJS.CellFormulaValue).result as CellValue);
    if ('error' in v) return String(v.error);
    if ('text' in v) return String(v.text);
  }
  return null;
}

/** Excel's serial number of a date (1900 or 1904 date system): what a formula reads in a date cell. */
function dateSerial(d: Date, date1904: boolean): number {
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  return Math.round(((d.getTime() - epoch) / 86_400_000) * 1e9) / 1e9;
}

/**
 * An input cell's content as the sheet's formulas see it (inputs.ts: readCell reads exactly this): a date
 * is its serial number (a formula sees 43480, not 2019-01-15), a formula its result, an error its text.
 */
function inputContent(v: CellValue, date1904: boolean): number | string | boolean | null {
  // A figure too large for a date shown in date format: the reader cannot recover it; it is no figure either.
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '#日期无效' : dateSerial(v, date1904);
  if (v !== null && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) {
    const r = (v as ExcelJS.CellFormulaValue).result;
    if (r instanceof Date) return dateSerial(r, date1904);
    return plain(r as CellValue);
  }
  return plain(v);
}

function readCell(ws: ExcelJS.Worksheet, address: string): ReadCell {
  const c = ws.getCell(address);
  const v = c.value;
  const isF = v !== null && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v);
  // A result shown in date format (LibreOffice gives a formula its input's format) is still its number.
  const r = isF ? (v as ExcelJS.CellFormulaValue).result : v;
  const value = r instanceof Date && !Number.isNaN(r.getTime()) ? dateSerial(r, DATE1904.get(ws.workbook) ?? false) : plain(v);
  return { address, ...(isF ? { formula: c.formula } : {}), value };
}

/** The workbook's date system, noted once per workbook read. */
const DATE1904 = new WeakMap<ExcelJS.Workbook, boolean>();

function findMetaSheet(wb: ExcelJS.Workbook): ExcelJS.Worksheet | undefined {
  const byName = wb.getWorksheet(META_SHEET);
  if (byName) return byName;
  // Renamed: look for the header in A1.
  return wb.worksheets.find((ws) => (text(ws.getCell('A1').value) ?? '').includes(`"format":"${META_FORMAT}"`));
}

export async function readFilledWorkbook(bytes: Uint8Array | ArrayBuffer): Promise<FilledWorkbook> {
  const problems: WorkbookProblem[] = [];
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as ArrayBuffer);
  } catch (e) {
    problems.push(wbProblem('workbook.unreadable', { detail: (e as Error).message.split('\n')[0] }));
    return { meta: null, units: [], summary: {}, problems };
  }
  DATE1904.set(wb, wb.properties?.date1904 === true);
  const ms = findMetaSheet(wb);
  if (!ms) {
    problems.push(wbProblem('workbook.notDafen', { sheets: wb.worksheets.map((w) => w.name).join('、') || '—' }));
    return { meta: null, units: [], summary: {}, problems };
  }
  const column: (string | undefined)[] = [];
  for (let r = 1; r <= ms.rowCount; r++) column.push(text(ms.getCell(r, 1).value) ?? undefined);
  const decoded = decodeMeta(column);
  if (!decoded.meta) {
    problems.push(wbProblem('workbook.badMeta', { sheet: ms.name, detail: decoded.error }, { sheet: ms.name }));
    return { meta: null, units: [], summary: {}, problems };
  }
  const meta = decoded.meta;

  const units: ReadUnit[] = [];
  for (const sm of meta.sheets) {
    const ws = findUnitSheet(wb, sm, problems);
    if (!ws) continue;
    units.push(readUnit(ws, sm, problems, wb.properties?.date1904 === true));
  }
  return { meta, units, summary: readSummary(wb, meta), problems };
}

function findUnitSheet(wb: ExcelJS.Workbook, sm: SheetMeta, problems: WorkbookProblem[]): ExcelJS.Worksheet | undefined {
  const ws = wb.getWorksheet(sm.name);
  const marker = `sheet:${sm.index}`;
  const col = colNumber(sm.markerCol);
  if (ws && (text(ws.getCell(1, col).value) ?? marker) === marker) return ws;
  const renamed = wb.worksheets.find((w) => text(w.getCell(1, col).value) === marker);
  if (renamed) {
    problems.push(wbProblem('workbook.sheetRenamed', { sheet: sm.name, now: renamed.name }, { sheet: renamed.name }));
    return renamed;
  }
  if (ws) return ws;
  problems.push(wbProblem('workbook.sheetMissing', { sheet: sm.name, unit: sm.unit }, { sheet: sm.name }));
  return undefined;
}

function readUnit(ws: ExcelJS.Worksheet, sm: SheetMeta, problems: WorkbookProblem[], date1904 = false): ReadUnit {
  const col = colNumber(sm.markerCol);
  const rowOf = new Map<string, number>();
  for (let r = 2; r <= ws.rowCount; r++) {
    const t = text(ws.getCell(r, col).value);
    if (t) for (const tok of t.split(' ')) if (tok && !rowOf.has(tok)) rowOf.set(tok, r);
  }
  const markers = rowOf.size > 0;
  if (!markers) problems.push(wbProblem('workbook.markersMissing', { sheet: ws.name, col: sm.markerCol }, { sheet: ws.name }));
  const moved: { label: string; from: string; cell: string }[] = [];
  const locate = (token: string, expected: string, label: string): string | null => {
    if (!markers) return expected;
    const r = rowOf.get(token);
    const e = parseAddr(expected);
    if (r === undefined) return null;
    const at = addr(r, e.col);
    if (r !== e.row) moved.push({ label, from: expected, cell: at });
    return at;
  };

  const inputs: Record<string, Raw> = {};
  const inputCells: Record<string, string> = {};
  for (const i of sm.inputs) {
    const at = locate(`in:${i.key}`, i.address, i.label);
    if (!at) {
      problems.push(wbProblem('workbook.rowDeleted', { sheet: ws.name, label: i.label, cell: i.address }, { sheet: ws.name, cell: i.address }));
      continue;
    }
    inputCells[i.key] = at;
    const c = ws.getCell(at);
    const v = c.value;
    const value = inputContent(v, date1904);
    if (v !== null && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) {
      problems.push(wbProblem('workbook.formulaInInput', { sheet: ws.name, cell: at, label: i.label, formula: c.formula, value: shownValue(value ?? '') }, { sheet: ws.name, cell: at }));
    } else if (v instanceof Date && !Number.isNaN(v.getTime())) {
      problems.push(wbProblem('workbook.dateInInput', { sheet: ws.name, cell: at, label: i.label, date: v.toISOString().slice(0, 10), value: String(value) }, { sheet: ws.name, cell: at }));
    }
    if (value !== null && value !== '') inputs[i.key] = value;
  }
  const computed: Record<string, ReadCell> = {};
  for (const c of sm.cells) {
    const at = locate(`out:${c.id}`, c.address, c.id);
    if (!at) {
      problems.push(wbProblem('workbook.rowDeleted', { sheet: ws.name, label: c.id, cell: c.address }, { sheet: ws.name, cell: c.address }));
      continue;
    }
    computed[c.id] = readCell(ws, at);
  }
  // 扣分依据/说明: on the row of its criterion's 得分 (the out: marker), in its own column.
  const remarks: Record<string, string> = {};
  for (const rm of sm.remarks ?? []) {
    const row = markers ? rowOf.get(`out:${rm.id}`) : parseAddr(rm.address).row;
    if (row === undefined) continue;
    const v = plain(ws.getCell(addr(row, parseAddr(rm.address).col)).value);
    const t = v === null || v === undefined ? '' : String(v);
    if (t.trim() !== '') remarks[rm.id] = t;
  }
  if (moved.length) {
    const m = moved[0];
    problems.push(wbProblem('workbook.rowMoved', { sheet: ws.name, count: moved.length, label: m.label, from: m.from, cell: m.cell }, { sheet: ws.name, cell: m.cell }));
  }
  return { sheet: ws.name, unit: sm.unit, variant: sm.variant, tags: sm.tags, inputs, inputCells, computed, remarks, moved: moved.length > 0 };
}

function readSummary(wb: ExcelJS.Workbook, meta: WorkbookMeta): Record<string, ReadSummaryRow> {
  const out: Record<string, ReadSummaryRow> = {};
  const ws = wb.getWorksheet(meta.summary.sheet);
  const unitCol = meta.summary.cols.unit;
  if (!ws || !unitCol) return out;
  const wanted = new Set(meta.sheets.map((s) => s.unit));
  const last = Math.max(ws.rowCount, meta.summary.lastRow);
  for (let r = meta.summary.firstRow; r <= last; r++) {
    const name = text(ws.getCell(`${unitCol}${r}`).value);
    if (!name || !wanted.has(name) || out[name]) continue;
    const cells: ReadSummaryRow['cells'] = {};
    for (const [k, letter] of Object.entries(meta.summary.cols) as [SummaryColumn, string][]) cells[k] = readCell(ws, `${letter}${r}`);
    const figures: Record<string, ReadCell> = {};
    for (const [key, letter] of Object.entries(meta.summary.rankCols)) figures[key] = readCell(ws, `${letter}${r}`);
    out[name] = { row: r, cells, figures };
  }
  return out;
}
