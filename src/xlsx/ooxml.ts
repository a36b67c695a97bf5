/**
 * WorkbookPlan → the SpreadsheetML parts of an .xlsx (ECMA-376 Part 1, §18), written directly as
 * text and zipped by ./zip.ts. It writes what src/xlsx/write.ts's ExcelJS builder writes — cells,
 * shared strings, styles, merges, row heights, column widths, validations, data bars, protection,
 * frozen panes, auto-filter, print setup (with manual page breaks and the first page number), defined
 * names and document properties — in the schema's
 * element order, and test/xlsx/direct.test.ts reads both back through ExcelJS and
 * src/xlsx/read.ts and requires the same. Browser-safe (no Node APIs).
 *
 * Speed: a cell's XML is built once per CellPlan object (unit sheets of one layout share their cell
 * objects, merges and validations, see layout/unit-sheet.ts `instantiate`), and each sheet's rows
 * are cut where they start or stop repeating rows already written, so the zip layer deflates a
 * repeated run once for all the sheets that hold it.
 */
import { ruleKey, type CellPlan, type CellStyle, type ConditionalDataBar, type Range, type SheetPlan, type Validation, type WorkbookPlan } from '../layout';
import type { ZipPart } from './zip';

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const CT = 'application/vnd.openxmlformats-officedocument';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
/** MS-XLSX extension URIs for the Excel 2010 data bar (ExcelJS writes the same). */
const X14_NS = 'http://schemas.microsoft.com/office/spreadsheetml/2009/9/main';
const EXT_CF_RULE_ID = '{B025F937-C7B1-47D3-B67F-A62EFF666E3E}';
const EXT_CONDITIONAL = '{78C0D931-6437-407d-A8EE-F0AAD7539E65}';

// Characters XML 1.0 does not allow, and DEL; dropped as ExcelJS drops them.
/* eslint-disable no-control-regex */
const BAD_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g;
const TEXT_SPECIAL = /[&<>\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/;
const ATTR_SPECIAL = /[&<>"\t\n\r\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/;
/* eslint-enable no-control-regex */

/** Element text: `&`, `<`, `>` escaped. */
export function escText(s: string): string {
  if (!TEXT_SPECIAL.test(s)) return s;
  return s.replace(BAD_CHARS, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute value (in double quotes): also `"` and the whitespace an attribute would normalise away. */
export function escAttr(s: string): string {
  if (!ATTR_SPECIAL.test(s)) return s;
  return s.replace(BAD_CHARS, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const COLS: string[] = [''];
function col(c: number): string {
  while (COLS.length <= c) {
    let n = COLS.length;
    let s = '';
    while (n > 0) {
      const m = (n - 1) % 26;
      s = String.fromCharCode(65 + m) + s;
      n = (n - 1 - m) / 26;
    }
    COLS.push(s);
  }
  return COLS[c];
}

const num = (n: number): string => (Number.isFinite(n) ? String(n) : '0');
const quoteSheet = (name: string): string => `'${name.replace(/'/g, "''")}'`;

/** `A$1:I$40`, `A1:I40`, `$A$1:$I$40` → `$A$1:$I$40` (what Excel writes for a print area). */
function absRange(range: string): string {
  return range.split(':').map((p) => p.replace(/^\$?([A-Za-z]+)\$?(\d+)$/, (_m, c: string, r: string) => `$${c.toUpperCase()}$${r}`)).join(':');
}

/** `3:3` → `$3:$3`. */
const absRows = (rows: string): string => rows.split(':').map((r) => `$${r.replace(/^\$/, '')}`).join(':');

// ---- styles ----

/** Built-in number formats (ECMA-376 §18.8.30) that need no <numFmt> of their own. */
const BUILTIN_FMT: Record<string, number> = { General: 0, '0': 1, '0.00': 2, '#,##0': 3, '#,##0.00': 4, '0%': 9, '0.00%': 10 };

interface Styles {
  xml: string;
  /** Style id → cellXfs index. */
  index: Map<string, number>;
}

function stylesPart(styles: Record<string, CellStyle>): Styles {
  const fonts = ['<font><sz val="11"/><color rgb="FF000000"/><name val="Calibri"/><family val="2"/></font>'];
  const fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>'];
  const borders = ['<border><left/><right/><top/><bottom/><diagonal/></border>',
    '<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border>'];
  const fmts = new Map<string, number>();
  const xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  const index = new Map<string, number>();
  const idOf = (list: string[], x: string): number => {
    const i = list.indexOf(x);
    return i >= 0 ? i : list.push(x) - 1;
  };
  for (const [id, s] of Object.entries(styles)) {
    const cjk = [...s.font.name].some((ch) => ch.charCodeAt(0) > 127);
    // GB2312 charset tells Excel and WPS this is a Chinese font.
    const font = `<font>${s.font.bold ? '<b/>' : ''}<sz val="${s.font.size}"/>${s.font.color ? `<color rgb="FF${s.font.color.toUpperCase()}"/>` : ''}<name val="${escAttr(s.font.name)}"/>${cjk ? '<charset val="134"/>' : ''}</font>`;
    const fontId = idOf(fonts, font);
    const fillId = s.fill ? idOf(fills, `<fill><patternFill patternType="solid"><fgColor rgb="FF${s.fill.toUpperCase()}"/></patternFill></fill>`) : 0;
    const borderId = s.border ? 1 : 0;
    let fmtId = 0;
    if (s.numFmt) {
      fmtId = BUILTIN_FMT[s.numFmt] ?? fmts.get(s.numFmt) ?? 164 + fmts.size;
      if (BUILTIN_FMT[s.numFmt] === undefined) fmts.set(s.numFmt, fmtId);
    }
    const v = s.align.v === 'middle' ? 'center' : s.align.v;
    const align = `<alignment horizontal="${s.align.h}" vertical="${v}"${s.align.wrap ? ' wrapText="1"' : ''}${s.align.indent ? ` indent="${s.align.indent}"` : ''}/>`;
    const prot = s.locked ? '' : '<protection locked="0"/>';
    xfs.push(`<xf numFmtId="${fmtId}" fontId="${fontId}" fillId="${fillId}" borderId="${borderId}" xfId="0"${fmtId ? ' applyNumberFormat="1"' : ''} applyFont="1"${fillId ? ' applyFill="1"' : ''}${borderId ? ' applyBorder="1"' : ''} applyAlignment="1" applyProtection="1">${align}${prot}</xf>`);
    index.set(id, xfs.length - 1);
  }
  const numFmts = fmts.size ? `<numFmts count="${fmts.size}">${[...fmts].map(([code, i]) => `<numFmt numFmtId="${i}" formatCode="${escAttr(code)}"/>`).join('')}</numFmts>` : '';
  const xml = `${XML_DECL}<styleSheet xmlns="${NS_MAIN}">${numFmts}<fonts count="${fonts.length}">${fonts.join('')}</fonts>`
    + `<fills count="${fills.length}">${fills.join('')}</fills><borders count="${borders.length}">${borders.join('')}</borders>`
    + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    + `<cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs>`
    + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/></styleSheet>';
  return { xml, index };
}

// ---- shared strings ----

class SharedStrings {
  private readonly index = new Map<string, number>();
  private readonly list: string[] = [];
  count = 0;

  id(s: string): number {
    this.count++;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.index.set(s, i);
      this.list.push(s);
    }
    return i;
  }

  /** Split in segments of about 16 000 characters (see ZipPart). */
  segments(): string[] {
    const out = [`${XML_DECL}<sst xmlns="${NS_MAIN}" count="${this.count}" uniqueCount="${this.list.length}">`];
    let cur = '';
    for (const s of this.list) {
      const preserve = /^\s|\s$|[\n\t]/.test(s) ? ' xml:space="preserve"' : '';
      cur += `<si><t${preserve}>${escText(s)}</t></si>`;
      if (cur.length > SEGMENT_CHARS) {
        out.push(cur);
        cur = '';
      }
    }
    out.push(`${cur}</sst>`);
    return out;
  }
}

/**
 * A segment is cut when it passes this length: long enough to deflate well on its own, and short
 * enough for V8 to hash strings by their whole content (it hashes longer ones by length only).
 */
const SEGMENT_CHARS = 16000;
/** A run of repeated rows shorter than this is not worth a segment of its own. */
const MIN_SHARED_RUN = 2000;

/** `s` cut before a `<` about every SEGMENT_CHARS characters. */
function chunks(s: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (s.length - at > SEGMENT_CHARS) {
    const cut = s.indexOf('<', at + SEGMENT_CHARS);
    if (cut < 0) break;
    out.push(s.slice(at, cut));
    at = cut;
  }
  out.push(s.slice(at));
  return out;
}

// ---- worksheets ----

interface Ctx {
  styles: Styles;
  strings: SharedStrings;
  cellXml: WeakMap<CellPlan, string>;
  mergesXml: WeakMap<Range[], string>;
  validationsXml: WeakMap<object, string>;
  /** Every row written so far: a run of rows seen before becomes a segment of its own. */
  seenRows: Set<string>;
  rowMemo: WeakMap<CellPlan, { cells: CellPlan[]; h: number | undefined; xml: string }>;
  runMemo: Map<string, { rows: string[]; run: string }[]>;
}

function cellXml(c: CellPlan, ctx: Ctx): string {
  let x = ctx.cellXml.get(c);
  if (x !== undefined) return x;
  const ref = `${col(c.col)}${c.row}`;
  const s = ctx.styles.index.get(c.style) ?? 0;
  const sa = s ? ` s="${s}"` : '';
  if (c.formula !== undefined) {
    const v = c.cached;
    if (typeof v === 'string') x = `<c r="${ref}"${sa} t="str"><f>${escText(c.formula)}</f><v>${escText(v)}</v></c>`;
    else if (typeof v === 'number') x = `<c r="${ref}"${sa}><f>${escText(c.formula)}</f><v>${num(v)}</v></c>`;
    else x = `<c r="${ref}"${sa}><f>${escText(c.formula)}</f></c>`;
  } else if (typeof c.value === 'string') {
    x = `<c r="${ref}"${sa} t="s"><v>${ctx.strings.id(c.value.replace(BAD_CHARS, ''))}</v></c>`;
  } else if (typeof c.value === 'number' && Number.isFinite(c.value)) {
    x = `<c r="${ref}"${sa}><v>${num(c.value)}</v></c>`;
  } else {
    x = `<c r="${ref}"${sa}/>`;
  }
  ctx.cellXml.set(c, x);
  return x;
}

/** A cell reference in formula text (not part of a name, a function call or a sheet-qualified range). */
const CELL_REF = /(?<![A-Za-z0-9_$.!:])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_(:!])/g;
const OWN = '\u0000';

/**
 * A custom rule's formula with its own cell's address replaced by OWN, when its own cell (written
 * relative, no `$`) is the only cell it refers to; else null. Text in double quotes is left alone.
 */
export function ownRelative(formula: string, address: string): string | null {
  let own = false;
  let other = false;
  const out = formula.split(/("(?:[^"]|"")*")/).map((p, i) => (i % 2 ? p : p.replace(CELL_REF, (m, d1: string, c: string, d2: string, r: string) => {
    if (!d1 && !d2 && `${c}${r}` === address) { own = true; return OWN; }
    other = true;
    return m;
  }))).join('');
  return own && !other ? out : null;
}

const cellRow = (address: string): number => Number(/\d+$/.exec(address)?.[0] ?? 0);

/**
 * A sheet's <dataValidations>: inputs with the same rule (type, limits, messages) share one entry
 * listing all their cells (ECMA-376 Part 1 §18.3.1.32 dataValidation, its sqref an ST_Sqref, §18.18.76: "a
 * sequence of cell references, space delimited"; MS-XLSX 2.7.2 ST_Sqref, learn.microsoft.com/openspecs/office_standards/ms-xlsx).
 * A custom rule that refers to its own cell only is shared by the inputs of one column: its formula
 * is written for the entry's first and topmost cell, and relative references apply to every other
 * cell at its offset from that one, as Excel and LibreOffice read a rule over several cells
 * (test/xlsx/validations.test.ts reads every cell back through LibreOffice).
 */
function validationsXml(list: SheetPlan['validations']): string {
  if (!list.length) return '';
  const groups = new Map<string, { rule: Validation; refs: string[]; shape: string | null }>();
  for (const v of list) {
    const shape = v.rule.type === 'custom' && v.rule.formulae.length === 1 ? ownRelative(v.rule.formulae[0], v.address) : null;
    const key = shape === null ? ruleKey(v.rule) : `${v.address.replace(/\d+$/, '')}\u0001${ruleKey({ ...v.rule, formulae: [shape] })}`;
    const g = groups.get(key);
    if (g) g.refs.push(v.address);
    else groups.set(key, { rule: v.rule, refs: [v.address], shape });
  }
  let x = `<dataValidations count="${groups.size}">`;
  for (const { rule: r, refs, shape } of groups.values()) {
    if (shape !== null) refs.sort((a, b) => cellRow(a) - cellRow(b));
    const formulae = shape === null ? r.formulae : [shape.split(OWN).join(refs[0])];
    x += `<dataValidation type="${r.type}"${r.operator ? ` operator="${r.operator}"` : ''} allowBlank="1" showInputMessage="1" showErrorMessage="1"`
      + ` errorTitle="${escAttr(r.errorTitle)}" error="${escAttr(r.error)}" promptTitle="${escAttr(r.promptTitle)}" prompt="${escAttr(r.prompt)}" sqref="${refs.join(' ')}">`
      + formulae.map((f, i) => `<formula${i + 1}>${escText(f)}</formula${i + 1}>`).join('')
      + '</dataValidation>';
  }
  return `${x}</dataValidations>`;
}

function guid(sheet: number, i: number): string {
  const hex = (n: number, w: number) => n.toString(16).toUpperCase().padStart(w, '0');
  return `{${hex(sheet, 8)}-0000-4000-8000-${hex(i + 1, 12)}}`;
}

function dataBarsXml(list: ConditionalDataBar[], sheet: number): { main: string; ext: string } {
  if (!list.length) return { main: '', ext: '' };
  let main = '';
  let ext = '';
  list.forEach((cf, i) => {
    const id = guid(sheet, i);
    main += `<conditionalFormatting sqref="${cf.ref}"><cfRule type="dataBar" priority="${i + 1}"><dataBar><cfvo type="min"/><cfvo type="max"/><color rgb="FF${cf.color.toUpperCase()}"/></dataBar>`
      + `<extLst><ext uri="${EXT_CF_RULE_ID}" xmlns:x14="${X14_NS}"><x14:id>${id}</x14:id></ext></extLst></cfRule></conditionalFormatting>`;
    ext += `<x14:conditionalFormatting xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:cfRule type="dataBar" id="${id}"><x14:dataBar minLength="0" maxLength="100"><x14:cfvo type="min"/><x14:cfvo type="max"/></x14:dataBar></x14:cfRule><xm:sqref>${cf.ref}</xm:sqref></x14:conditionalFormatting>`;
  });
  return { main, ext: `<extLst><ext uri="${EXT_CONDITIONAL}" xmlns:x14="${X14_NS}"><x14:conditionalFormattings>${ext}</x14:conditionalFormattings></ext></extLst>` };
}

function protectionXml(p: SheetPlan['protection']): string {
  if (!p) return '';
  // Attributes say what is protected: select* default to allowed ("0"), format*/autoFilter to protected ("1").
  const protectedIf = (allowed: boolean, name: string) => (allowed ? '' : ` ${name}="1"`);
  const allowedIf = (allowed: boolean, name: string) => (allowed ? ` ${name}="0"` : '');
  return `<sheetProtection sheet="1"${protectedIf(p.selectLockedCells, 'selectLockedCells')}${protectedIf(p.selectUnlockedCells, 'selectUnlockedCells')}`
    + `${allowedIf(!!p.formatCells, 'formatCells')}${allowedIf(p.formatColumns, 'formatColumns')}${allowedIf(p.formatRows, 'formatRows')}${allowedIf(p.autoFilter, 'autoFilter')}/>`;
}

/**
 * Manual page breaks (§18.3.1.73): a new page starts below each of these rows. `id` is the row,
 * `max` the last column index the break spans (16383, all columns, as Excel writes it).
 */
function rowBreaksXml(rows: number[] | undefined): string {
  if (!rows?.length) return '';
  return `<rowBreaks count="${rows.length}" manualBreakCount="${rows.length}">${rows.map((r) => `<brk id="${r}" max="16383" man="1"/>`).join('')}</rowBreaks>`;
}

function sheetViewXml(sp: SheetPlan): string {
  const f = sp.freeze;
  if (!f) return '';
  if (!f.rows && !f.cols) return '<sheetViews><sheetView workbookViewId="0"/></sheetViews>';
  const pane = f.rows && f.cols ? 'bottomRight' : f.rows ? 'bottomLeft' : 'topRight';
  return `<sheetViews><sheetView workbookViewId="0"><pane${f.cols ? ` xSplit="${f.cols}"` : ''}${f.rows ? ` ySplit="${f.rows}"` : ''} topLeftCell="${col(f.cols + 1)}${f.rows + 1}" activePane="${pane}" state="frozen"/>`
    + `<selection pane="${pane}"/></sheetView></sheetViews>`;
}

function colsXml(cols: SheetPlan['columns']): string {
  if (!cols.length) return '';
  return `<cols>${cols.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}"${c.hidden ? ' hidden="1"' : ''} customWidth="1"/>`).join('')}</cols>`;
}

/**
 * A row's XML. Sheets of one layout share their CellPlan objects: a row whose cells are the same
 * objects as last time gets the same string back (built, flattened and hashed once).
 */
function rowXml(cells: CellPlan[], from: number, to: number, r: number, h: number | undefined, ctx: Ctx): string {
  const attrs = `<row r="${r}"${h !== undefined ? ` ht="${h}" customHeight="1"` : ''}`;
  if (from === to) return `${attrs}/>`;
  const memo = ctx.rowMemo.get(cells[from]);
  if (memo && memo.h === h && memo.cells.length === to - from && memo.cells.every((c, k) => c === cells[from + k])) return memo.xml;
  let x = attrs + '>';
  for (let k = from; k < to; k++) x += cellXml(cells[k], ctx);
  x += '</row>';
  ctx.rowMemo.set(cells[from], { cells: cells.slice(from, to), h, xml: x });
  return x;
}

/** Rows joined into one segment; the same rows (the same strings) give the same string object back. */
function joinRun(rows: string[], ctx: Ctx): string {
  const list = ctx.runMemo.get(rows[0]);
  const hit = list?.find((m) => m.rows.length === rows.length && m.rows.every((x, k) => x === rows[k]));
  if (hit) return hit.run;
  const run = rows.join('');
  if (list) list.push({ rows, run });
  else ctx.runMemo.set(rows[0], [{ rows, run }]);
  return run;
}

/** One worksheet's XML as segments: head, runs of rows (cut where repetition starts or stops), tail. */
function sheetSegments(sp: SheetPlan, index: number, ctx: Ctx): string[] {
  let cells = sp.cells;
  for (let i = 1; i < cells.length; i++) {
    if (cells[i].row < cells[i - 1].row || (cells[i].row === cells[i - 1].row && cells[i].col <= cells[i - 1].col)) {
      cells = [...cells].sort((a, b) => a.row - b.row || a.col - b.col);
      break;
    }
  }
  let maxRow = 0;
  let maxCol = sp.columns.length;
  for (const c of cells) {
    if (c.row > maxRow) maxRow = c.row;
    if (c.col > maxCol) maxCol = c.col;
  }
  const heights = sp.rowHeights;
  maxRow = Math.max(maxRow, heights.length - 1);

  const print = sp.print;
  const sheetPr = sp.tabColor || print
    ? `<sheetPr>${sp.tabColor ? `<tabColor rgb="FF${sp.tabColor.toUpperCase()}"/>` : ''}${print ? '<pageSetUpPr fitToPage="1"/>' : ''}</sheetPr>` : '';
  const head = `${XML_DECL}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_R}">${sheetPr}<dimension ref="A1${maxRow ? `:${col(Math.max(1, maxCol))}${maxRow}` : ''}"/>`
    + `${sheetViewXml(sp)}<sheetFormatPr defaultRowHeight="15"/>${colsXml(sp.columns)}<sheetData>`;

  // Rows, grouped into runs of rows seen before (in this or an earlier sheet) and rows not seen;
  // a short run of seen rows (a header row, say) stays with its neighbours.
  const rows: { xml: string; seen: boolean }[] = [];
  let ci = 0;
  for (let r = 1; r <= maxRow; r++) {
    const h = heights[r];
    const from = ci;
    while (ci < cells.length && cells[ci].row === r) ci++;
    if (from === ci && h === undefined) continue;
    const xml = rowXml(cells, from, ci, r, h, ctx);
    const seen = ctx.seenRows.has(xml);
    if (!seen) ctx.seenRows.add(xml);
    rows.push({ xml, seen });
  }
  for (let i = 0; i < rows.length;) {
    let j = i;
    let len = 0;
    while (j < rows.length && rows[j].seen === rows[i].seen) len += rows[j++].xml.length;
    if (rows[i].seen && len < MIN_SHARED_RUN) for (let k = i; k < j; k++) rows[k].seen = false;
    i = j;
  }
  const out = [head];
  let run: string[] = [];
  let runLen = 0;
  let runSeen: boolean | null = null;
  for (const { xml, seen } of rows) {
    if ((runSeen !== null && seen !== runSeen) || runLen > SEGMENT_CHARS) {
      out.push(joinRun(run, ctx));
      run = [];
      runLen = 0;
    }
    runSeen = seen;
    run.push(xml);
    runLen += xml.length;
  }
  if (run.length) out.push(joinRun(run, ctx));

  let tail = `</sheetData>${protectionXml(sp.protection)}${sp.autoFilter ? `<autoFilter ref="${sp.autoFilter}"/>` : ''}`;
  let merges = ctx.mergesXml.get(sp.merges);
  if (merges === undefined) {
    merges = sp.merges.length
      ? `<mergeCells count="${sp.merges.length}">${sp.merges.map((m) => `<mergeCell ref="${col(m.left)}${m.top}:${col(m.right)}${m.bottom}"/>`).join('')}</mergeCells>` : '';
    ctx.mergesXml.set(sp.merges, merges);
  }
  const bars = dataBarsXml(sp.conditional, index);
  let dv = ctx.validationsXml.get(sp.validations);
  if (dv === undefined) {
    dv = validationsXml(sp.validations);
    ctx.validationsXml.set(sp.validations, dv);
  }
  tail += merges + bars.main;
  // Validations are long (messages): their own segment, shared by the sheets of one layout.
  out.push(tail, ...(dv ? chunks(dv) : []));
  tail = '';
  if (print) {
    const m = print.margins;
    tail += `${print.horizontalCentered ? '<printOptions horizontalCentered="1"/>' : ''}`
      + `<pageMargins left="${m.left}" right="${m.right}" top="${m.top}" bottom="${m.bottom}" header="${m.header}" footer="${m.footer}"/>`
      + `<pageSetup paperSize="${print.paperSize}" orientation="${print.orientation}" fitToWidth="${print.fitToWidth}" fitToHeight="${print.fitToHeight}"`
      + `${print.firstPageNumber ? ` firstPageNumber="${print.firstPageNumber}" useFirstPageNumber="1"` : ''}/>`
      + (print.footer ? `<headerFooter><oddFooter>${escText(print.footer)}</oddFooter></headerFooter>` : '')
      + rowBreaksXml(print.rowBreaks);
  }
  tail += `${bars.ext}</worksheet>`;
  out.push(tail);
  return out;
}

// ---- workbook ----

function workbookXml(plan: WorkbookPlan): string {
  const sheets = plan.sheets.map((s, i) => `<sheet name="${escAttr(s.name)}" sheetId="${i + 1}"${s.state !== 'visible' ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`).join('');
  const names: string[] = [];
  plan.sheets.forEach((s, i) => {
    if (s.print?.printArea) names.push(`<definedName name="_xlnm.Print_Area" localSheetId="${i}">${escText(`${quoteSheet(s.name)}!${absRange(s.print.printArea)}`)}</definedName>`);
    if (s.print?.printTitlesRow) names.push(`<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${escText(`${quoteSheet(s.name)}!${absRows(s.print.printTitlesRow)}`)}</definedName>`);
  });
  for (const d of plan.definedNames) names.push(`<definedName name="${escAttr(d.name)}">${escText(d.range)}</definedName>`);
  const first = Math.max(0, plan.sheets.findIndex((s) => s.state === 'visible'));
  return `${XML_DECL}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_R}"><workbookPr/>`
    + `<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="20000" windowHeight="12000" firstSheet="${first}" activeTab="${first}"/></bookViews>`
    + `<sheets>${sheets}</sheets>${names.length ? `<definedNames>${names.join('')}</definedNames>` : ''}<calcPr calcId="171027"/></workbook>`;
}

function coreXml(plan: WorkbookPlan, now: Date): string {
  const p = plan.properties;
  const t = `${now.toISOString().slice(0, 19)}Z`;
  return `${XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`
    + `<dc:creator>${escText(p.creator)}</dc:creator><dc:title>${escText(p.title)}</dc:title><dc:subject>${escText(p.subject)}</dc:subject><cp:keywords>${escText(p.keywords)}</cp:keywords>`
    + `<dcterms:created xsi:type="dcterms:W3CDTF">${t}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${t}</dcterms:modified></cp:coreProperties>`;
}

const APP_XML = `${XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>`;

/** Every part of the .xlsx for a plan, as segments for ./zip.ts. */
export function workbookParts(plan: WorkbookPlan, now = new Date()): ZipPart[] {
  const ctx: Ctx = {
    styles: stylesPart(plan.styles),
    strings: new SharedStrings(),
    cellXml: new WeakMap(),
    mergesXml: new WeakMap(),
    validationsXml: new WeakMap(),
    seenRows: new Set(),
    rowMemo: new WeakMap(),
    runMemo: new Map(),
  };
  const sheets: ZipPart[] = plan.sheets.map((s, i) => ({ path: `xl/worksheets/sheet${i + 1}.xml`, segments: sheetSegments(s, i, ctx) }));
  const n = plan.sheets.length;
  const types = `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`
    + `<Override PartName="/xl/workbook.xml" ContentType="${CT}.spreadsheetml.sheet.main+xml"/>`
    + plan.sheets.map((_s, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${CT}.spreadsheetml.worksheet+xml"/>`).join('')
    + `<Override PartName="/xl/styles.xml" ContentType="${CT}.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="${CT}.spreadsheetml.sharedStrings+xml"/>`
    + `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="${CT}.extended-properties+xml"/></Types>`;
  const rootRels = `${XML_DECL}<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/>`
    + `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>`
    + `<Relationship Id="rId3" Type="${REL}/extended-properties" Target="docProps/app.xml"/></Relationships>`;
  const wbRels = `${XML_DECL}<Relationships xmlns="${NS_PKG_REL}">`
    + plan.sheets.map((_s, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')
    + `<Relationship Id="rId${n + 1}" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId${n + 2}" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
  return [
    { path: '[Content_Types].xml', segments: [types] },
    { path: '_rels/.rels', segments: [rootRels] },
    { path: 'docProps/core.xml', segments: [coreXml(plan, now)] },
    { path: 'docProps/app.xml', segments: [APP_XML] },
    { path: 'xl/workbook.xml', segments: [workbookXml(plan)] },
    { path: 'xl/_rels/workbook.xml.rels', segments: [wbRels] },
    { path: 'xl/styles.xml', segments: [ctx.styles.xml] },
    ...sheets,
    { path: 'xl/sharedStrings.xml', segments: ctx.strings.segments() },
  ];
}
