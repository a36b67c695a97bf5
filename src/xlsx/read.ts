/**
 * A filled 打分表 workbook (saved by Excel, WPS or LibreOffice) → its metadata, every unit's inputs by
 * key, and every computed cell's formula and stored value. Inputs are found through the cell map in
 * the hidden `_dafen` sheet and the hidden marker column of each sheet, so inserted, deleted or moved
 * rows are noticed (and reported with sheet and cell) rather than read from the wrong place.
 * Browser-safe: bytes in, data out.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { firstScoringHand, isDefaultHands, shownValue, type HandId, type Raw } from '../engine';
import {
  HAND_REMARKS_SHEET, META_FORMAT, META_SHEET, UNMATCHED_SHEET_NAME, UNREAD_WHY, colNumber, decodeMeta, matchHandRemarks, parseHandRemarkRows, parseAddr, addr,
  type HandRemarks, type SummaryColumn, type UnreadHandRemark, type WorkbookMeta, type SheetMeta,
} from '../layout';
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
  /** Every hand's entries on a multi-hand sheet (WorkbookMeta.hands), by hand; `inputs` is the first scoring hand's. */
  hands?: Partial<Record<HandId, Record<string, Raw>>>;
  /** Where each hand's entries were read, by hand and key. */
  handCells?: Partial<Record<HandId, Record<string, string>>>;
  computed: Record<string, ReadCell>;
  /** 扣分依据/说明 the assessor wrote, by criterion id (`$veto` for the 一票否决 block); blank ones left out. */
  remarks: Record<string, string>;
  /**
   * Every hand's 扣分依据/说明 on a multi-hand sheet, by hand then criterion id: the first scoring hand's are
   * `remarks` (its column), the others' are read from the 各评分人扣分依据 sheet (layout/hand-remarks.ts).
   */
  handRemarks?: HandRemarks;
  /** Some rows are no longer where the map puts them. */
  moved: boolean;
  /** Row → its marker text (`in:… out:…`), for comparing formulas by what they point at. */
  rowMarkers: Record<number, string>;
  /** Values typed into rows the sheet did not generate (inserted rows): read by no formula, kept by an update. */
  stray?: { cell: string; value: number | string | boolean }[];
  /** Columns now → where they were generated (inserted or deleted columns); absent: unchanged. */
  colMap?: { shift: number; cols: Record<number, number> };
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
  /** What the 本表设定 sheet's 设定值 cells hold, by setting key (absent: a workbook without the sheet). */
  settings?: Record<string, Raw>;
  /** The rows of a 未匹配录入 sheet left by an earlier update (plain values, 0-based columns), when there is one. */
  unmatched?: unknown[][];
  /** Rows of 各评分人扣分依据 naming no unit or hand of the workbook: reported (workbook.remarkNotRead), kept aside by an update or a merge. */
  strayRemarks?: UnreadHandRemark[];
}

/** Rows read from a 未匹配录入 sheet at most: an update writes one row per entry kept aside. */
const MAX_UNMATCHED_ROWS = 100_000;

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
  const bad = await inspectPackage(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  if (bad) return { meta: null, units: [], summary: {}, problems: [bad] };
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as ArrayBuffer);
  } catch (e) {
    // The package is a sound zip with a workbook part: what failed is the XML inside.
    problems.push(wbProblem('workbook.damaged', { part: '工作表内容 / sheet XML', detail: libraryDetail(e) }));
    return { meta: null, units: [], summary: {}, problems };
  }
  DATE1904.set(wb, wb.properties?.date1904 === true);
  const ms = findMetaSheet(wb);
  if (!ms) {
    problems.push(wbProblem('workbook.notDafen', { sheets: wb.worksheets.map((w) => w.name).join('、') || '—' }));
    return { meta: null, units: [], summary: {}, problems };
  }
  const column: (string | undefined)[] = [];
  for (let r = 1; r <= ms.rowCount; r++) column.push(text(ms.findCell(r, 1)?.value ?? null) ?? undefined);
  const decoded = decodeMeta(column);
  if (!decoded.meta) {
    problems.push(wbProblem('workbook.badMeta', { sheet: ms.name, detail: decoded.error }, { sheet: ms.name }));
    return { meta: null, units: [], summary: {}, problems };
  }
  const meta = decoded.meta;

  const units: ReadUnit[] = [];
  for (const sm of meta.sheets) {
    const found = findUnitSheet(wb, sm, problems);
    if (!found) continue;
    units.push(readUnit(found.ws, sm, found.markerCol, problems, wb.properties?.date1904 === true));
  }
  if (!wb.getWorksheet(meta.summary.sheet)) {
    problems.push(wbProblem('workbook.summaryMissing', { sheet: meta.summary.sheet }, { sheet: meta.summary.sheet }));
  }
  const kept = wb.getWorksheet(UNMATCHED_SHEET_NAME);
  const settings = readSettingCells(wb, meta, problems);
  const aside = wb.getWorksheet(HAND_REMARKS_SHEET);
  const strayRemarks = withHandRemarks(meta, units, aside ? sheetRows(aside, true) : null, problems);
  return {
    meta, units, summary: readSummary(wb, meta), problems, ...(settings ? { settings } : {}), ...(kept ? { unmatched: sheetRows(kept) } : {}),
    ...(strayRemarks.length ? { strayRemarks } : {}),
  };
}

/**
 * Every hand's 扣分依据 onto the read units of a multi-hand workbook (`handRemarks`: the first scoring hand's
 * column, the other hands' rows of 各评分人扣分依据); rows that fit no unit or hand are reported and returned.
 * Shared with the fast reader (src/collect/quick-read.ts), which gives up when any row is returned.
 */
export function withHandRemarks(meta: WorkbookMeta, units: ReadUnit[], rows: readonly (readonly unknown[] | undefined)[] | null, problems: WorkbookProblem[]): UnreadHandRemark[] {
  const hands = meta.hands ?? ['assessor'];
  const { byUnit, unread } = matchHandRemarks(rows ? parseHandRemarkRows(rows) : [], units.map((u) => u.unit), hands);
  if (!isDefaultHands(hands)) {
    const first = firstScoringHand(hands);
    for (const u of units) {
      const got = byUnit.get(u.unit) ?? {};
      u.handRemarks = Object.fromEntries(hands.map((h) => [h, h === first ? { ...u.remarks } : { ...(got[h] ?? {}) }]));
    }
  }
  for (const r of unread) {
    const why = UNREAD_WHY[r.why];
    problems.push(wbProblem('workbook.remarkNotRead', {
      sheet: HAND_REMARKS_SHEET, count: r.row, unit: r.unit || '—', label: r.hand || '—', key: r.id || '—', value: r.text.slice(0, 40), reason: why.zh, reasonEn: why.en,
    }, { sheet: HAND_REMARKS_SHEET }));
  }
  return unread;
}

/** The clerk's 本表设定 values, as the sheet's formulas see them (a formula's result, a date's serial number). */
function readSettingCells(wb: ExcelJS.Workbook, meta: WorkbookMeta, problems: WorkbookProblem[]): Record<string, Raw> | undefined {
  const sm = meta.settings;
  if (!sm) return undefined;
  const ws = wb.getWorksheet(sm.sheet);
  if (!ws) {
    problems.push(wbProblem('workbook.settingsMissing', { sheet: sm.sheet }, { sheet: sm.sheet }));
    return undefined;
  }
  const out: Record<string, Raw> = {};
  for (const c of sm.cells) out[c.key] = inputContent(ws.getCell(c.address).value, DATE1904.get(wb) ?? false);
  return out;
}

/** A plain sheet's non-empty rows, top to bottom, as values (bounded; empty rows left out, or left as holes at their index `row - 1`). */
function sheetRows(ws: ExcelJS.Worksheet, atRow = false): unknown[][] {
  const rows: unknown[][] = [];
  let n = 0;
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    if (n++ >= MAX_UNMATCHED_ROWS) return;
    const out: unknown[] = [];
    row.eachCell({ includeEmpty: false }, (c, col) => {
      if (col <= 64) out[col - 1] = plain(c.value);
    });
    rows[atRow ? r - 1 : rows.length] = Array.from(out, (x) => x ?? '');
  });
  return rows;
}

/** The column of row 1 holding `sheet:<index>` (the marker column, wherever columns moved it), or 0. */
function markerColumn(ws: ExcelJS.Worksheet, marker: string, expected: number): number {
  if (text(ws.findCell(1, expected)?.value ?? null) === marker) return expected;
  const row = ws.findRow(1);
  let found = 0;
  row?.eachCell((c, col) => {
    if (!found && text(c.value) === marker) found = col;
  });
  return found;
}

function findUnitSheet(wb: ExcelJS.Workbook, sm: SheetMeta, problems: WorkbookProblem[]): { ws: ExcelJS.Worksheet; markerCol: number } | undefined {
  const ws = wb.getWorksheet(sm.name);
  const marker = `sheet:${sm.index}`;
  const col = colNumber(sm.markerCol);
  if (ws) {
    const at = markerColumn(ws, marker, col);
    if (at) return { ws, markerCol: at };
    // Another sheet's marker here: this name now belongs to another unit's sheet (renamed over it).
    const other = text(ws.findCell(1, col)?.value ?? null);
    if (!other || !other.startsWith('sheet:')) {
      const renamed = wb.worksheets.find((w) => w !== ws && markerColumn(w, marker, col));
      if (!renamed) return { ws, markerCol: col };
    }
  }
  for (const w of wb.worksheets) {
    if (w === ws) continue;
    const at = markerColumn(w, marker, col);
    if (at) {
      problems.push(wbProblem('workbook.sheetRenamed', { sheet: sm.name, now: w.name }, { sheet: w.name }));
      return { ws: w, markerCol: at };
    }
  }
  problems.push(wbProblem('workbook.sheetMissing', { sheet: sm.name, unit: sm.unit }, { sheet: sm.name }));
  return undefined;
}

/** The header row's texts (录入, 得分, 备注) above the first marked row: where the input and score columns are now. */
function headerColumn(ws: ExcelJS.Worksheet, label: string, lastRow: number): number {
  for (let r = 1; r <= Math.min(lastRow, 50); r++) {
    let found = 0;
    ws.findRow(r)?.eachCell((c, col) => {
      if (!found && text(c.value)?.trim() === label && (!c.isMerged || c.master === c)) found = col;
    });
    if (found) return found;
  }
  return 0;
}

function readUnit(ws: ExcelJS.Worksheet, sm: SheetMeta, markerAt: number, problems: WorkbookProblem[], date1904 = false): ReadUnit {
  const col = markerAt;
  const rowOf = new Map<string, number>();
  const rowMarkers: Record<number, string> = {};
  // Only rows that exist: a cell typed at row 1,000,000 makes rowCount large but not this loop.
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    if (r < 2) return;
    const t = text(row.findCell(col)?.value ?? null);
    if (!t) return;
    rowMarkers[r] = t;
    for (const tok of t.split(' ')) if (tok && !rowOf.has(tok)) rowOf.set(tok, r);
  });
  const markers = rowOf.size > 0;
  if (!markers) problems.push(wbProblem('workbook.markersMissing', { sheet: ws.name, col: sm.markerCol }, { sheet: ws.name }));
  // Columns inserted or deleted left of the marker column: find the input and score columns again by their headers.
  const origMarker = colNumber(sm.markerCol);
  const shift = col - origMarker;
  let colMap: ReadUnit['colMap'];
  if (shift !== 0) {
    const firstMarked = Math.min(...Object.keys(rowMarkers).map(Number), 50);
    const origInput = sm.inputs[0] ? parseAddr(sm.inputs[0].address).col : origMarker - 3;
    const origScore = sm.cells.find((c) => c.kind === 'criterion' || c.kind === 'total') ? parseAddr(sm.cells.find((c) => c.kind === 'criterion' || c.kind === 'total')!.address).col : origMarker - 2;
    const entry = headerColumn(ws, '录入', firstMarked);
    const score = headerColumn(ws, '得分', firstMarked);
    // 录入 spans the label and the input column; the input column is the last of the two.
    const nowInput = entry ? entry + (origInput - (origScore - 2)) : origInput + shift;
    const nowScore = score || origScore + shift;
    colMap = { shift, cols: { [nowInput]: origInput, [nowScore]: origScore, [col]: origMarker } };
    problems.push(wbProblem('workbook.columnsMoved', { sheet: ws.name, count: shift > 0 ? `+${shift}` : String(shift) }, { sheet: ws.name }));
  }
  /** Where a generated cell is now, or null when its column is gone (deleted, or shifted off the sheet's left edge). */
  const toNow = (a: string): string | null => {
    if (!colMap) return a;
    const { row, col: c } = parseAddr(a);
    const now = Object.entries(colMap.cols).find(([, o]) => o === c);
    const col = now ? Number(now[0]) : c + colMap.shift;
    return col >= 1 && col <= 16384 ? addr(row, col) : null;
  };
  const moved: { label: string; from: string; cell: string }[] = [];
  const locate = (token: string, expected: string, label: string): string | null => {
    const here = toNow(expected);
    if (!markers || here === null) return here;
    const r = rowOf.get(token);
    const e = parseAddr(expected);
    if (r === undefined) return null;
    const at = addr(r, parseAddr(here).col);
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
  // Every hand's entries (multi-hand sheets): on the row of the input's marker, in that hand's column.
  let hands: ReadUnit['hands'];
  let handCells: ReadUnit['handCells'];
  if (sm.hands) {
    hands = {};
    handCells = {};
    const labels = new Map(sm.inputs.map((i) => [i.key, i.label]));
    for (const h of sm.hands) {
      const got: Record<string, Raw> = {};
      const where: Record<string, string> = {};
      for (const i of h.inputs) {
        const e = parseAddr(i.address);
        const row = markers ? rowOf.get(`in:${i.key}`) : e.row;
        const col = colMap ? e.col + colMap.shift : e.col;
        if (row === undefined || col < 1 || col > 16384) continue;
        const at = addr(row, col);
        where[i.key] = at;
        const c = ws.getCell(at);
        const v = c.value;
        const value = inputContent(v, date1904);
        if (inputCells[i.key] !== at && v !== null && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) {
          problems.push(wbProblem('workbook.formulaInInput', { sheet: ws.name, cell: at, label: labels.get(i.key) ?? i.key, formula: c.formula, value: shownValue(value ?? '') }, { sheet: ws.name, cell: at }));
        }
        if (value !== null && value !== '') got[i.key] = value;
      }
      hands[h.hand] = got;
      handCells[h.hand] = where;
    }
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
  // 扣分依据/说明: on the row of its criterion's 得分 (the out: marker), in its own column (wherever columns moved it).
  const remarks: Record<string, string> = {};
  for (const rm of sm.remarks ?? []) {
    const row = markers ? rowOf.get(`out:${rm.id}`) : parseAddr(rm.address).row;
    const now = toNow(rm.address);
    if (row === undefined || now === null) continue;
    const v = plain(ws.getCell(addr(row, parseAddr(now).col)).value);
    const t = v === null || v === undefined ? '' : String(v);
    if (t.trim() !== '') remarks[rm.id] = t;
  }
  // A value typed into a row the sheet did not generate (an inserted row) is read by nothing: say so.
  const stray: NonNullable<ReadUnit['stray']> = [];
  if (markers) {
    // Every entry column: the first scoring hand's and, on a multi-hand sheet, each other hand's (自评, raters).
    const colOf = (a: string | undefined) => {
      const now = a ? toNow(a) : null;
      return now ? parseAddr(now).col : 0;
    };
    const inputCols = [...new Set([colOf(sm.inputs[0]?.address), ...(sm.hands ?? []).map((h) => colOf(h.inputs[0]?.address))])].filter((c) => c > 0);
    const lastMarked = Math.max(...Object.keys(rowMarkers).map(Number));
    const firstMarked = Math.min(...Object.keys(rowMarkers).map(Number));
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      if (r <= firstMarked || r > lastMarked || rowMarkers[r] || !sm.inputs.length) return;
      for (const col of inputCols) {
        const c = row.findCell(col);
        if (!c || (c.isMerged && c.master !== c)) continue;
        const v = plain(c.value);
        if (v === null || v === '' || (typeof v === 'string' && !v.trim())) continue;
        stray.push({ cell: c.address, value: v });
        if (stray.length <= 20) problems.push(wbProblem('workbook.entryNotRead', { sheet: ws.name, cell: c.address, value: String(v).slice(0, 40) }, { sheet: ws.name, cell: c.address }));
      }
    });
  }
  if (moved.length) {
    const m = moved[0];
    problems.push(wbProblem('workbook.rowMoved', { sheet: ws.name, count: moved.length, label: m.label, from: m.from, cell: m.cell }, { sheet: ws.name, cell: m.cell }));
  }
  return { sheet: ws.name, unit: sm.unit, variant: sm.variant, tags: sm.tags, inputs, inputCells, computed, remarks, moved: moved.length > 0, rowMarkers, ...(hands ? { hands, handCells } : {}), ...(stray.length ? { stray } : {}), ...(colMap ? { colMap } : {}) };
}

function readSummary(wb: ExcelJS.Workbook, meta: WorkbookMeta): Record<string, ReadSummaryRow> {
  const out: Record<string, ReadSummaryRow> = {};
  const ws = wb.getWorksheet(meta.summary.sheet);
  const unitCol = meta.summary.cols.unit;
  if (!ws || !unitCol) return out;
  const wanted = new Set(meta.sheets.map((s) => s.unit));
  // Bounded by the sheet's real size, whatever the metadata says.
  const last = ws.rowCount;
  for (let r = meta.summary.firstRow; r <= last; r++) {
    const name = text(ws.findCell(r, colNumber(unitCol))?.value ?? null);
    if (!name || !wanted.has(name) || out[name]) continue;
    const cells: ReadSummaryRow['cells'] = {};
    for (const [k, letter] of Object.entries(meta.summary.cols) as [SummaryColumn, string][]) cells[k] = readCell(ws, `${letter}${r}`);
    const figures: Record<string, ReadCell> = {};
    for (const [key, letter] of Object.entries(meta.summary.rankCols)) figures[key] = readCell(ws, `${letter}${r}`);
    out[name] = { row: r, cells, figures };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The package before ExcelJS sees it: another format under an .xlsx name, a damaged zip, or a zip bomb
// are named here, in our words, with the library's text only as detail.

/** Caps checked before anything is inflated for ExcelJS: a 打分表 of 100 units unpacks to about 10 MB. */
export const MAX_ENTRIES = 5000;
export const MAX_UNPACKED = 150 * 1024 * 1024;

const OTHER_FORMATS: Record<string, [string, string]> = {
  // One container (OLE2) for all three: an old .xls, a WPS .et, an .xlsx saved with a password.
  xls: ['旧版 Excel 97–2003（.xls）、WPS 表格（.et）或加密的工作簿', 'an Excel 97–2003 (.xls), WPS (.et) or encrypted workbook'],
  ods: ['OpenDocument 表格（.ods）', 'an OpenDocument spreadsheet (.ods)'],
  odf: ['OpenDocument 文档', 'an OpenDocument file'],
  docx: ['Word 文档（.docx）', 'a Word document (.docx)'],
  pptx: ['PowerPoint 演示文稿（.pptx）', 'a PowerPoint presentation (.pptx)'],
  zip: ['普通 zip 压缩包', 'a plain zip archive'],
  csv: ['文本或 CSV/HTML', 'a text, CSV or HTML file'],
};

function libraryDetail(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0].replace(/https?:\/\/\S+/g, '').trim().slice(0, 160);
}

const other = (format: keyof typeof OTHER_FORMATS): WorkbookProblem => wbProblem('workbook.otherFormat', { format: OTHER_FORMATS[format][0], formatEn: OTHER_FORMATS[format][1] });

/** Counts an entry's inflated bytes chunk by chunk, stopping at `budget`: a lying size field cannot make it inflate more. */
function inflatedSize(f: JSZip.JSZipObject, budget: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const h = (f as unknown as { internalStream(t: string): { on(e: string, cb: (x: unknown) => void): unknown; pause(): void; resume(): void } }).internalStream('uint8array');
    h.on('data', (chunk) => {
      n += (chunk as Uint8Array).length;
      if (n > budget) {
        h.pause();
        resolve(n);
      }
    });
    h.on('error', (e) => reject(e));
    h.on('end', () => resolve(n));
    h.resume();
  });
}

export async function inspectPackage(u8: Uint8Array): Promise<WorkbookProblem | null> {
  const sig = (...b: number[]) => b.every((x, i) => u8[i] === x);
  if (sig(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return other('xls');
  if (!sig(0x50, 0x4b)) {
    if (u8.length === 0) return wbProblem('workbook.unreadable', { detail: '这是空文件（0 字节）', detailEn: 'the file is empty (0 bytes)' });
    const head = new TextDecoder('utf-8', { fatal: false }).decode(u8.subarray(0, 512));
    // eslint-disable-next-line no-control-regex
    if (!/[\x00-\x08\x0e-\x1f]/.test(head)) return other('csv');
    return wbProblem('workbook.unreadable', { detail: '不是 zip 格式', detailEn: 'not a zip package' });
  }
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(u8);
  } catch (e) {
    return wbProblem('workbook.damaged', { part: 'zip 结构 / zip structure', detail: libraryDetail(e) });
  }
  const files = Object.values(zip.files).filter((f) => !f.dir);
  if (files.length > MAX_ENTRIES) return wbProblem('workbook.tooLarge', { what: `${files.length} > ${MAX_ENTRIES} parts` });
  const declared = files.reduce((a, f) => a + ((f as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0), 0);
  if (declared > MAX_UNPACKED) return wbProblem('workbook.tooLarge', { what: `${Math.round(declared / 1048576)} MB > ${MAX_UNPACKED / 1048576} MB` });
  const mimetype = zip.file('mimetype');
  if (mimetype) {
    const mt = await mimetype.async('string').catch(() => '');
    if (mt.includes('opendocument.spreadsheet')) return other('ods');
    if (mt.includes('opendocument')) return other('odf');
  }
  if (!zip.file('xl/workbook.xml')) {
    if (zip.file('word/document.xml')) return other('docx');
    if (zip.file('ppt/presentation.xml')) return other('pptx');
    return other('zip');
  }
  let total = 0;
  try {
    for (const f of files) {
      total += await inflatedSize(f, MAX_UNPACKED - total);
      if (total > MAX_UNPACKED) return wbProblem('workbook.tooLarge', { what: `> ${MAX_UNPACKED / 1048576} MB` });
    }
  } catch (e) {
    return wbProblem('workbook.damaged', { part: 'zip 压缩数据 / compressed data', detail: libraryDetail(e) });
  }
  return null;
}
