/**
 * A fast read of a Dafen workbook whose structure is exactly as it was made — the common case for a
 * piece sent out, filled in and returned — straight from the package's XML (JSZip), reading only the
 * marker, input and 扣分依据 columns. Where anything differs from the generated structure (a row inserted,
 * moved or deleted, a sheet renamed, a formula or a date typed into an input, a value in an inserted row,
 * a 未匹配录入 sheet, another date system, a cell without its address) it returns null and the caller uses
 * the full reader (src/xlsx readFilledWorkbook), which explains each of these; when it returns a result,
 * the result is the full reader's (test/collect/quick-read.test.ts holds the two to it, also on files
 * LibreOffice saved). ExcelJS takes about 15 ms per unit sheet to load a workbook; this takes about 1.
 */
import JSZip from 'jszip';
import type { Raw } from '../engine';
import { decodeMeta, HAND_REMARKS_SHEET, META_SHEET, UNMATCHED_SHEET_NAME, colLetter, colNumber, parseAddr, type WorkbookMeta } from '../layout';
import { withHandRemarks, type FilledWorkbook, type ReadUnit, type WorkbookProblem } from '../xlsx';

const colLetterOf = (col: number): string => colLetter(col);

/** Inflated bytes beyond which the package is left to the full reader (which checks and names the limit). */
const MAX_UNPACKED = 150 * 1024 * 1024;

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function unescape(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ENTITY[e]);
}

const attr = (attrs: string, name: string): string | undefined => {
  const m = new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs);
  return m ? unescape(m[1]) : undefined;
};

/** Text of every <t> in a string item, phonetic runs (<rPh>) left out, as ExcelJS reads it. */
function itemText(xml: string): string {
  const body = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  let out = '';
  for (const m of body.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)) out += m[1] ? unescape(m[1]) : '';
  return out;
}

const CELL = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
const CELL_ATTR = /(?:^|\s)(r|t|s)="([^"]*)"/g;

interface XCell {
  t?: string;
  s: number;
  v?: string;
  inline?: string;
  formula: boolean;
}

const count = (s: string, sub: string): number => {
  let n = 0;
  for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length)) n++;
  return n;
};

function cellOf(attrs: string, inner: string | undefined): XCell {
  let t: string | undefined, s = 0;
  for (const a of attrs.matchAll(CELL_ATTR)) {
    if (a[1] === 't') t = a[2];
    else if (a[1] === 's') s = Number(a[2]);
  }
  const body = inner ?? '';
  const v = /<v(?:\s[^>]*)?>([\s\S]*?)<\/v>/.exec(body);
  const is = /<is>([\s\S]*?)<\/is>/.exec(body);
  return { t, s, ...(v ? { v: unescape(v[1]) } : {}), ...(is ? { inline: itemText(is[1]) } : {}), formula: /<f[\s>/]/.test(body) };
}

/** The cells of a sheet's XML in the wanted columns (all columns when `cols` is null), by address; null when a cell has no address. */
function sheetCells(xml: string, cols: Set<number> | null): Map<string, XCell> | null {
  const out = new Map<string, XCell>();
  const start = xml.indexOf('<sheetData');
  const end = xml.indexOf('</sheetData>');
  const data = start < 0 ? '' : xml.slice(start, end < 0 ? undefined : end);
  // Every cell written as `<c r="…"` first (Excel, LibreOffice, WPS, this writer and ExcelJS do): each wanted
  // column is found by its address prefix, without visiting the other cells.
  if (cols && count(data, '<c ') === count(data, '<c r="') && !data.includes('<c>') && !data.includes('<c/>')) {
    for (const col of cols) {
      const letters = colLetterOf(col);
      const re = new RegExp(`<c r="(${letters}\\d+)"([^>]*?)(?:\\/>|>([\\s\\S]*?)<\\/c>)`, 'g');
      for (const m of data.matchAll(re)) out.set(m[1], cellOf(m[2], m[3]));
    }
    return out;
  }
  const colOf = new Map<string, number>();
  for (const m of data.matchAll(CELL)) {
    let r: string | undefined, t: string | undefined, s = 0;
    for (const a of m[1].matchAll(CELL_ATTR)) {
      if (a[1] === 'r') r = a[2];
      else if (a[1] === 't') t = a[2];
      else s = Number(a[2]);
    }
    if (!r) return null;
    const letters = /^[A-Z]+/.exec(r)?.[0];
    if (!letters) return null;
    let col = colOf.get(letters);
    if (col === undefined) colOf.set(letters, (col = colNumber(letters)));
    if (cols && !cols.has(col)) continue;
    const inner = m[2] ?? '';
    const v = /<v(?:\s[^>]*)?>([\s\S]*?)<\/v>/.exec(inner);
    const is = /<is>([\s\S]*?)<\/is>/.exec(inner);
    out.set(r, { t, s, ...(v ? { v: unescape(v[1]) } : {}), ...(is ? { inline: itemText(is[1]) } : {}), formula: /<f[\s>/]/.test(inner) });
  }
  return out;
}

/** Whether a number format code shows a date or time (ExcelJS then reads the cell as a Date). */
function isDateFormat(id: number, code: string | undefined): boolean {
  if (code === undefined) return (id >= 14 && id <= 22) || (id >= 45 && id <= 47) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
  const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
  return /[ymdhs]/i.test(bare);
}

/** Style indexes whose number format is a date. */
function dateStyles(xml: string): Set<number> {
  const codes = new Map<number, string>();
  for (const m of xml.matchAll(/<numFmt\b([^>]*)\/?>/g)) {
    const id = attr(m[1], 'numFmtId');
    const code = attr(m[1], 'formatCode');
    if (id !== undefined && code !== undefined) codes.set(Number(id), code);
  }
  const out = new Set<number>();
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml);
  let i = 0;
  for (const m of (xfs?.[1] ?? '').matchAll(/<xf\b([^>]*?)(?:\/>|>[\s\S]*?<\/xf>)/g)) {
    const id = Number(attr(m[1], 'numFmtId') ?? 0);
    if (isDateFormat(id, codes.get(id))) out.add(i);
    i++;
  }
  return out;
}

/** The cell's content as the full reader's input reading gives it; undefined when only the full reader may say (a formula, a date). */
function content(c: XCell | undefined, sst: string[], dates: Set<number>): Raw | undefined {
  if (!c) return null;
  if (c.formula) return undefined;
  switch (c.t) {
    case 's': {
      const s = sst[Number(c.v)];
      return s === undefined ? undefined : s;
    }
    case 'inlineStr':
      return c.inline ?? '';
    case 'str':
      return c.v ?? '';
    case 'b':
      return c.v === '1' || c.v === 'true';
    case 'e':
      return c.v ?? null;
    default: {
      if (c.v === undefined || c.v === '') return null;
      if (dates.has(c.s)) return undefined;
      const n = Number(c.v);
      return Number.isFinite(n) ? n : undefined;
    }
  }
}

export async function quickRead(bytes: Uint8Array): Promise<FilledWorkbook | null> {
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) return null;
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    return null;
  }
  const declared = Object.values(zip.files).reduce((a, f) => a + ((f as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0), 0);
  if (declared > MAX_UNPACKED || Object.keys(zip.files).length > 5000) return null;
  const text = async (path: string): Promise<string | null> => {
    const f = zip.file(path);
    if (!f) return null;
    try {
      return await f.async('string');
    } catch {
      return null;
    }
  };
  const wbXml = await text('xl/workbook.xml');
  const relsXml = await text('xl/_rels/workbook.xml.rels');
  if (!wbXml || !relsXml) return null;
  if (/<workbookPr\b[^>]*date1904="(1|true)"/.test(wbXml)) return null;
  const targets = new Map<string, string>();
  for (const m of relsXml.matchAll(/<Relationship\b([^>]*)\/?>/g)) {
    const id = attr(m[1], 'Id');
    const target = attr(m[1], 'Target');
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const sheets = new Map<string, string>();
  for (const m of wbXml.matchAll(/<sheet\b([^>]*)\/?>/g)) {
    const name = attr(m[1], 'name');
    const rid = attr(m[1], 'r:id');
    const path = rid ? targets.get(rid) : undefined;
    if (name === undefined || !path) return null;
    sheets.set(name, path);
  }
  if (sheets.has(UNMATCHED_SHEET_NAME)) return null;
  const sstXml = await text('xl/sharedStrings.xml');
  const sst: string[] = [];
  if (sstXml) for (const m of sstXml.matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)) sst.push(m[1] ? itemText(m[1]) : '');
  const dates = dateStyles((await text('xl/styles.xml')) ?? '');

  const metaPath = sheets.get(META_SHEET);
  const metaXml = metaPath ? await text(metaPath) : null;
  if (!metaXml) return null;
  const metaCells = sheetCells(metaXml, new Set([1]));
  if (!metaCells) return null;
  const column: (string | undefined)[] = [];
  const rows = [...metaCells.keys()].map((a) => parseAddr(a).row);
  const last = rows.length ? Math.max(...rows) : 0;
  for (let r = 1; r <= last; r++) {
    const v = content(metaCells.get(`A${r}`), sst, new Set());
    column.push(typeof v === 'string' ? v : undefined);
  }
  const decoded = decodeMeta(column);
  if (!decoded.meta) return null;
  const meta: WorkbookMeta = decoded.meta;
  if (!sheets.has(meta.summary.sheet)) return null;

  const units: ReadUnit[] = [];
  for (const sm of meta.sheets) {
    const path = sheets.get(sm.name);
    const xml = path ? await text(path) : null;
    if (!xml) return null;
    const markerCol = colNumber(sm.markerCol);
    const inputCol = sm.inputs[0] ? parseAddr(sm.inputs[0].address).col : 0;
    const handInputs = (sm.hands ?? []).flatMap((h) => h.inputs);
    const cols = new Set<number>([markerCol, ...sm.inputs.map((i) => parseAddr(i.address).col), ...handInputs.map((i) => parseAddr(i.address).col), ...(sm.remarks ?? []).map((r) => parseAddr(r.address).col)]);
    const cells = sheetCells(xml, cols);
    if (!cells) return null;
    const marker = (a: string): string | null => {
      const v = content(cells.get(a), sst, dates);
      return typeof v === 'string' ? v : null;
    };
    if (marker(`${sm.markerCol}1`) !== `sheet:${sm.index}`) return null;
    const rowOf = new Map<string, number>();
    const rowMarkers: Record<number, string> = {};
    for (const a of cells.keys()) {
      const { row, col } = parseAddr(a);
      if (col !== markerCol || row < 2) continue;
      const t = marker(a);
      if (!t) continue;
      rowMarkers[row] = t;
    }
    for (const r of Object.keys(rowMarkers).map(Number).sort((x, y) => x - y)) for (const tok of rowMarkers[r].split(' ')) if (tok && !rowOf.has(tok)) rowOf.set(tok, r);
    if (!rowOf.size) return null;
    // One entry column (the sheet's, or one hand's): every value on the row of its key's marker, or null (moved, or not plain).
    const column = (list: readonly { key: string; address: string }[]): { got: Record<string, Raw>; where: Record<string, string> } | null => {
      const got: Record<string, Raw> = {};
      const where: Record<string, string> = {};
      for (const i of list) {
        if (rowOf.get(`in:${i.key}`) !== parseAddr(i.address).row) return null;
        const v = content(cells.get(i.address), sst, dates);
        if (v === undefined) return null;
        where[i.key] = i.address;
        if (v !== null && v !== '') got[i.key] = v;
      }
      return { got, where };
    };
    const own = column(sm.inputs);
    if (!own) return null;
    const { got: inputs, where: inputCells } = own;
    // Every hand's entries (a multi-hand sheet): on the row of the key's marker, in the hand's own column.
    let hands: ReadUnit['hands'];
    let handCells: ReadUnit['handCells'];
    if (sm.hands?.length) {
      hands = {};
      handCells = {};
      for (const h of sm.hands) {
        const c = column(h.inputs);
        if (!c) return null;
        hands[h.hand] = c.got;
        handCells[h.hand] = c.where;
      }
    }
    // Computed cells must be where the map puts them too (the full reader reports a moved or deleted row).
    for (const c of sm.cells) if (rowOf.get(`out:${c.id}`) !== parseAddr(c.address).row) return null;
    const remarks: Record<string, string> = {};
    for (const rm of sm.remarks ?? []) {
      if (rowOf.get(`out:${rm.id}`) !== parseAddr(rm.address).row) return null;
      const v = content(cells.get(rm.address), sst, dates);
      if (v === undefined) return null;
      const t = v === null ? '' : String(v);
      if (t.trim() !== '') remarks[rm.id] = t;
    }
    // A value in a row the sheet did not make is the full reader's to report.
    const marked = Object.keys(rowMarkers).map(Number);
    const first = Math.min(...marked);
    const lastMarked = Math.max(...marked);
    // Every entry column (each hand's on a multi-hand sheet): the full reader lists and keeps such values.
    const entryCols = new Set([inputCol, ...handInputs.map((i) => parseAddr(i.address).col)].filter((c) => c > 0));
    if (entryCols.size && sm.inputs.length) {
      for (const [a, c] of cells) {
        const { row, col } = parseAddr(a);
        if (!entryCols.has(col) || row <= first || row > lastMarked || rowMarkers[row]) continue;
        const v = content(c, sst, dates);
        if (v === undefined || (v !== null && !(typeof v === 'string' && !v.trim()))) return null;
      }
    }
    units.push({ sheet: sm.name, unit: sm.unit, variant: sm.variant, tags: sm.tags, inputs, inputCells, ...(hands ? { hands, handCells } : {}), computed: {}, remarks, moved: false, rowMarkers });
  }
  // The clerk's 本表设定 values (a merge keeps them on the new master; a piece scores with them).
  let settings: Record<string, Raw> | undefined;
  if (meta.settings) {
    const path = sheets.get(meta.settings.sheet);
    const xml = path ? await text(path) : null;
    if (!xml) return null;
    const cells = sheetCells(xml, new Set(meta.settings.cells.map((c) => parseAddr(c.address).col)));
    if (!cells) return null;
    settings = {};
    for (const c of meta.settings.cells) {
      const v = content(cells.get(c.address), sst, dates);
      if (v === undefined) return null;
      settings[c.key] = v;
    }
  }
  // Other hands' 扣分依据 (各评分人扣分依据), matched to the units as the full reader matches them; a row that fits
  // none (or a formula, a date) is the full reader's to report.
  let asideRows: unknown[][] | null = null;
  const asidePath = sheets.get(HAND_REMARKS_SHEET);
  if (asidePath) {
    const xml = await text(asidePath);
    const cells = xml ? sheetCells(xml, null) : null;
    if (!cells) return null;
    asideRows = [];
    for (const [a, c] of cells) {
      const v = content(c, sst, dates);
      if (v === undefined) return null;
      if (v === null) continue;
      const { row, col } = parseAddr(a);
      (asideRows[row - 1] ??= [])[col - 1] = v;
    }
  }
  const problems: WorkbookProblem[] = [];
  if (withHandRemarks(meta, units, asideRows, problems).length || problems.length) return null;
  return { meta, units, summary: {}, problems: [], ...(settings ? { settings } : {}) };
}

/** A plain sheet's cell texts by name (rows and columns 1-based, as strings), for the sheets collect writes itself; null when absent. */
export async function plainSheet(bytes: Uint8Array, name: string): Promise<string[][] | null> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    return null;
  }
  const read = async (path: string) => (await zip.file(path)?.async('string').catch(() => null)) ?? null;
  const wbXml = await read('xl/workbook.xml');
  const relsXml = await read('xl/_rels/workbook.xml.rels');
  if (!wbXml || !relsXml) return null;
  let rid: string | undefined;
  for (const m of wbXml.matchAll(/<sheet\b([^>]*)\/?>/g)) if (attr(m[1], 'name') === name) rid = attr(m[1], 'r:id');
  if (!rid) return null;
  let path: string | undefined;
  for (const m of relsXml.matchAll(/<Relationship\b([^>]*)\/?>/g)) {
    if (attr(m[1], 'Id') !== rid) continue;
    const target = attr(m[1], 'Target');
    if (target) path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  }
  const xml = path ? await read(path) : null;
  if (!xml) return null;
  const sstXml = await read('xl/sharedStrings.xml');
  const sst: string[] = [];
  if (sstXml) for (const m of sstXml.matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)) sst.push(m[1] ? itemText(m[1]) : '');
  const cells = sheetCells(xml, null);
  if (!cells) return null;
  const rows: string[][] = [];
  for (const [a, c] of cells) {
    const { row, col } = parseAddr(a);
    const v = c.formula ? (c.v ?? '') : content(c, sst, new Set());
    if (v === null || v === undefined || v === '') continue;
    (rows[row] ??= [])[col] = String(v);
  }
  return rows;
}
