// A simulated Excel host behind the real office.js (office-lib.ts). It receives the request messages the
// library builds — object paths and actions (instantiate, query, method, set property) — interprets them
// on a cell model of the part of the object model Dafen uses, and answers in the library's response
// format, so the library itself fills loaded properties, null objects and errors. Every round trip is
// one executeAsync call: the host counts them and the bytes of each request.
//
// It refuses what Excel refuses (sources in docs/ARCHITECTURE.md, "Office.js behaviour relied on"):
//  - deleting a very hidden sheet: InvalidOperation (office-js #365; Excel docs, excel-add-ins-worksheets);
//  - writing values or formulas into locked cells of a protected sheet, formatting cells there unless the
//    protection allows formatting cells, protecting a protected sheet, unprotecting without its password;
//  - a request over 5 MB on the web (RequestPayloadSizeLimitExceeded; resource limits page);
//  - insertWorksheetsFromBase64 on iPad (not available there) and, when asked, UnsupportedFeature /
//    GeneralException on the web (office-js #2718, #5777);
//  - a second sheet with the same name (ItemAlreadyExists), a missing item (ItemNotFound), deleting the
//    last visible sheet;
//  - APIs the library lacks (cell notes are not in @microsoft/office-js) never reach it: the library
//    itself refuses them, and requirement sets above `apiMinor` answer false (ApiNotFound).
// Writes the add-in makes fire onChanged afterwards (with triggerSource on 1.14) unless the add-in turned
// events off (context.runtime.enableEvents, 1.8), as Excel does; on the web a value picked from a
// data-validation dropdown fires no onChanged (office-js #3888, #4066).
import { cellAddress, parseRect, quoteSheet, splitSheet, type Rect } from '../../src/excel/a1';
import { loadOfficeLib, type OfficeLib, type Platform } from './office-lib';

export interface Cell {
  value: unknown;
  formula?: string;
  numberFormat?: string;
  fill?: string | null;
  fontColor?: string;
  bold?: boolean;
  fontName?: string;
  fontSize?: number;
  hAlign?: string;
  vAlign?: string;
  wrap?: boolean;
  locked?: boolean;
  borders?: boolean;
}

export interface Sheet {
  id: string;
  name: string;
  visibility: 'Visible' | 'Hidden' | 'VeryHidden';
  cells: Map<string, Cell>;
  merges: string[];
  /** A clerk's cell notes (the add-in cannot reach them: the library has no notes API). */
  notes: Map<string, string>;
  validations: Map<string, unknown>;
  colWidths: Map<number, number>;
  rowHeights: Map<number, number>;
  hiddenCols: Set<number>;
  frozenRows: number;
  tabColor?: string;
  conditional: { address: string; type: string }[];
  protection: { protected: boolean; options: Record<string, boolean>; password?: string };
  /** Print setup the range path writes (ExcelApi 1.9): the center footer, the first page number, row page breaks (the row a page starts at). */
  print: { centerFooter?: string; firstPageNumber?: number; breaksBefore: number[] };
}

export interface HostOptions {
  /** Highest ExcelApi minor version the host supports (requirement sets above answer false). */
  apiMinor?: number;
  platform?: Platform;
  /** insertWorksheetsFromBase64 fails with this code (the web's UnsupportedFeature / GeneralException). */
  insertFails?: string;
  /** Decodes .xlsx bytes into sheets for insertWorksheetsFromBase64 (test side: ExcelJS). */
  decodeXlsx?: (base64: string) => Promise<Omit<Sheet, 'id'>[]>;
  /** Inserted formulas that point at other sheets come in as broken workbook links (the web: office-js #2809, #5911). */
  insertBreaksLinks?: boolean;
  /** The n-th request (1-based) fails at its first write with GeneralException (a host hiccup mid-way). */
  failRequest?: number;
  /** Keep the library's event handlers of earlier hosts (a host made only to probe capabilities). */
  keepHandlers?: boolean;
  /** Called when a request arrives (before it is processed): tests act "during" a batch. */
  onRequest?: (n: number) => void;
}

export class HostError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** The web's request (and response) limit: 5 MB. */
export const WEB_REQUEST_LIMIT = 5 * 1024 * 1024;

export interface RequestLog {
  bytes: number;
  actions: number;
  /** Bytes of the answer (UTF-8 JSON): the web's 5 MB payload limit holds for responses too (resource limits page). */
  responseBytes?: number;
  error?: string;
}

type Registration = { eventType: number; target: string };

// ---------------------------------------------------------------------------------------------------
// Host objects: each answers get/set/call by the wire name the library sends (PascalCase).

abstract class HostObj {
  constructor(protected host: ExcelHost) {}
  abstract readonly type: string;
  /** Scalar properties returned by a load without select. */
  scalars(): string[] {
    return [];
  }
  get(prop: string): unknown {
    throw new HostError('InvalidArgument', `host: ${this.type} has no property ${prop}`);
  }
  set(prop: string, _v: unknown): void {
    throw new HostError('InvalidArgument', `host: ${this.type}.${prop} cannot be set`);
  }
  call(method: string, _args: unknown[]): unknown {
    if (/^_(Register|Unregister)/.test(method)) return this.host.register(method, this.eventTarget());
    // Excel.run's object tracking (the library's own bookkeeping): nothing to do in the model.
    if (method === '_KeepReference' || method === '_RemoveReference' || method === '_RemoveAllReferences') return null;
    throw new HostError('InvalidArgument', `host: ${this.type} has no method ${method}`);
  }
  eventTarget(): string {
    return '';
  }
  index(key: unknown): HostObj | null {
    throw new HostError('InvalidArgument', `host: ${this.type} is not a collection (${String(key)})`);
  }
  items(): HostObj[] | null {
    return null;
  }
  idResult(): unknown {
    return {};
  }
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function serialize(o: HostObj, select?: string[]): unknown {
  const items = o.items();
  if (items) return { _Items: items.map((i) => serialize(i, select)) };
  const out: Record<string, unknown> = {};
  const names = select && select.length ? select : o.scalars();
  const nested = new Map<string, string[]>();
  for (const n of names) {
    const [head, ...rest] = n.split('/');
    if (rest.length) nested.set(head, [...(nested.get(head) ?? []), rest.join('/')]);
    else {
      const v = o.get(pascal(head));
      if (v instanceof HostObj) out[pascal(head)] = serialize(v);
      else out[pascal(head)] = v;
    }
  }
  for (const [head, sub] of nested) out[pascal(head)] = serialize(o.get(pascal(head)) as HostObj, sub);
  const id = (o as { idResult(): unknown }).idResult() as Record<string, unknown>;
  return { ...id, ...out };
}

class WorkbookObj extends HostObj {
  readonly type = 'Workbook';
  override get(prop: string): unknown {
    switch (prop) {
      case 'Worksheets': return new SheetsObj(this.host);
      case 'Names': return new NamesObj(this.host);
      case '_Runtime': return new RuntimeObj(this.host);
      case 'Application': return new ApplicationObj(this.host);
    }
    return super.get(prop);
  }
  override call(method: string, args: unknown[]): unknown {
    // ExcelApi 1.1: "Gets the currently selected single range from the workbook. If there are multiple ranges
    // selected, this method will throw an error" (learn.microsoft.com/javascript/api/excel/excel.workbook#getSelectedRange)
    if (method === 'GetSelectedRange') {
      const sel = this.host.selection;
      const s = (sel && this.host.sheet(sel.sheet)) || this.host.sheets.find((x) => x.visibility === 'Visible')!;
      const address = sel?.address ?? 'A1';
      if (address.includes(',')) throw new HostError('InvalidSelection', 'The current selection is invalid for this operation: several ranges are selected');
      return new RangeObj(this.host, s, [this.host.rect(address)]);
    }
    if (method === 'InsertWorksheetsFromBase64') return this.host.insertFromBase64(String(args[0]), (args[1] ?? {}) as Record<string, unknown>);
    return super.call(method, args);
  }
}

class ApplicationObj extends HostObj {
  readonly type = 'Application';
  override call(method: string, args: unknown[]): unknown {
    if (method === 'Calculate') return null;
    // Excel.createWorkbook(base64) (ExcelApi 1.8) runs application.createWorkbook(base64).open(): the file must be
    // an .xlsx (a zip); anything else fails (InvalidArgument) and opens nothing.
    if (method === 'CreateWorkbook') {
      const base64 = String(args[0] ?? '');
      const bytes = Buffer.from(base64, 'base64');
      if (base64 && !(bytes[0] === 0x50 && bytes[1] === 0x4b)) throw new HostError('InvalidArgument', 'The argument is invalid or missing or has an incorrect format.');
      return new WorkbookCreatedObj(this.host, bytes);
    }
    return super.call(method, args);
  }
}

class WorkbookCreatedObj extends HostObj {
  readonly type = 'WorkbookCreated';
  constructor(host: ExcelHost, readonly bytes: Uint8Array) {
    super(host);
  }
  override call(method: string, args: unknown[]): unknown {
    if (method === 'Open') {
      this.host.opened.push(this.bytes);
      return null;
    }
    return super.call(method, args);
  }
}

class RuntimeObj extends HostObj {
  readonly type = 'Runtime';
  override scalars() {
    return ['EnableEvents'];
  }
  override get(prop: string): unknown {
    if (prop === 'EnableEvents') return this.host.enableEvents;
    return super.get(prop);
  }
  override set(prop: string, v: unknown): void {
    if (prop === 'EnableEvents') this.host.enableEvents = Boolean(v);
    else super.set(prop, v);
  }
}

class NameObj extends HostObj {
  readonly type = 'NamedItem';
  constructor(host: ExcelHost, readonly item: { name: string; reference: string }) {
    super(host);
  }
  override scalars() {
    return ['Name', 'Formula'];
  }
  override get(prop: string): unknown {
    if (prop === 'Name') return this.item.name;
    if (prop === 'Formula') return this.item.reference;
    return super.get(prop);
  }
}

class NamesObj extends HostObj {
  readonly type = 'NamedItemCollection';
  override items(): HostObj[] {
    return this.host.names.map((n) => new NameObj(this.host, n));
  }
  override call(method: string, args: unknown[]): unknown {
    if (method === 'Add') {
      const name = String(args[0]);
      if (this.host.names.some((n) => n.name.toLowerCase() === name.toLowerCase())) throw new HostError('ItemAlreadyExists', `A name ${name} exists`);
      this.host.names.push({ name, reference: String(args[1]) });
      return {};
    }
    return super.call(method, args);
  }
}

class SheetsObj extends HostObj {
  readonly type = 'WorksheetCollection';
  override items(): HostObj[] {
    return this.host.sheets.map((s) => new SheetObj(this.host, s));
  }
  override index(key: unknown): HostObj {
    const s = this.host.findSheet(String(key));
    if (!s) throw new HostError('ItemNotFound', `The requested resource doesn't exist: worksheet ${String(key)}`);
    return new SheetObj(this.host, s);
  }
  override eventTarget() {
    return 'Workbook';
  }
  override call(method: string, args: unknown[]): unknown {
    switch (method) {
      case 'GetItem': return this.index(args[0]);
      case 'GetItemOrNullObject': {
        const s = this.host.findSheet(String(args[0]));
        return s ? new SheetObj(this.host, s) : null;
      }
      case 'Add': return new SheetObj(this.host, this.host.addSheet(args[0] === undefined || args[0] === null ? `Sheet${this.host.sheets.length + 1}` : String(args[0])));
      case 'GetCount': return this.host.sheets.length;
    }
    return super.call(method, args);
  }
}

class SheetObj extends HostObj {
  readonly type = 'Worksheet';
  constructor(host: ExcelHost, readonly sheet: Sheet) {
    super(host);
  }
  private live(): Sheet {
    if (!this.host.sheets.includes(this.sheet)) throw new HostError('ItemNotFound', `The worksheet was deleted`);
    return this.sheet;
  }
  override scalars() {
    return ['Id', 'Name', 'Visibility', 'Position', 'TabColor'];
  }
  override idResult() {
    return { Id: this.sheet.id };
  }
  override eventTarget() {
    return this.sheet.id;
  }
  override get(prop: string): unknown {
    const s = this.live();
    switch (prop) {
      case 'Id': return s.id;
      case 'Name': return s.name;
      case 'Visibility': return s.visibility;
      case 'Position': return this.host.sheets.indexOf(s);
      case 'TabColor': return s.tabColor ?? '';
      case 'Protection': return new ProtectionObj(this.host, s);
      case 'FreezePanes': return new FreezeObj(this.host, s);
      case 'PageLayout': return new PageLayoutObj(this.host, s);
      case 'HorizontalPageBreaks':
        if (this.host.apiMinor < 9) throw new HostError('ApiNotFound', 'Worksheet.horizontalPageBreaks needs ExcelApi 1.9');
        return new PageBreaksObj(this.host, s);
    }
    return super.get(prop);
  }
  override set(prop: string, v: unknown): void {
    const s = this.live();
    switch (prop) {
      case 'Name': this.host.renameSheet(s, String(v)); return;
      case 'Visibility': {
        const to = v as Sheet['visibility'];
        if (to !== 'Visible' && s.visibility === 'Visible' && this.host.sheets.filter((x) => x.visibility === 'Visible').length <= 1) {
          throw new HostError('InvalidOperation', 'A workbook must keep at least one visible sheet');
        }
        s.visibility = to;
        return;
      }
      case 'TabColor': s.tabColor = String(v); return;
      case 'Position': {
        const list = this.host.sheets.filter((x) => x !== s);
        list.splice(Math.min(Number(v), list.length), 0, s);
        this.host.sheets = list;
        return;
      }
    }
    super.set(prop, v);
  }
  override call(method: string, args: unknown[]): unknown {
    const s = this.live();
    switch (method) {
      case 'GetRange': return new RangeObj(this.host, s, [this.host.rect(String(args[0] ?? 'A1'))]);
      case 'GetRanges': return new RangeObj(this.host, s, String(args[0]).split(',').map((a) => this.host.rect(a.trim())), true);
      case 'GetRangeByIndexes': {
        const [r, c, rows, cols] = args.map(Number);
        return new RangeObj(this.host, s, [{ top: r, left: c, bottom: r + rows - 1, right: c + cols - 1 }]);
      }
      case 'GetUsedRange':
      case 'GetUsedRangeOrNullObject': {
        let bottom = -1;
        let right = -1;
        for (const [a, c] of s.cells) {
          if ((c.value === '' || c.value === null || c.value === undefined) && c.formula === undefined) continue;
          const r = parseRect(a)!;
          bottom = Math.max(bottom, r.bottom);
          right = Math.max(right, r.right);
        }
        if (bottom < 0) return method === 'GetUsedRange' ? new RangeObj(this.host, s, [{ top: 0, left: 0, bottom: 0, right: 0 }]) : null;
        return new RangeObj(this.host, s, [{ top: 0, left: 0, bottom, right }]);
      }
      case 'Delete': this.host.deleteSheet(s); return null;
      case 'Activate': return null;
    }
    return super.call(method, args);
  }
}

class ProtectionObj extends HostObj {
  readonly type = 'WorksheetProtection';
  constructor(host: ExcelHost, readonly sheet: Sheet) {
    super(host);
  }
  override scalars() {
    return ['Protected', 'Options'];
  }
  override get(prop: string): unknown {
    if (prop === 'Protected') return this.sheet.protection.protected;
    if (prop === 'Options') return { ...this.sheet.protection.options };
    return super.get(prop);
  }
  override call(method: string, args: unknown[]): unknown {
    const p = this.sheet.protection;
    if (method === 'Protect' || method === 'Unprotect') this.host.protectionCalls++;
    if (method === 'Protect') {
      // "Fails if the worksheet has already been protected" (WorksheetProtection.protect).
      if (p.protected) throw new HostError('InvalidOperation', 'The worksheet is already protected');
      this.sheet.protection = { protected: true, options: { ...((args[0] ?? {}) as Record<string, boolean>) }, password: args[1] === undefined || args[1] === null ? undefined : String(args[1]) };
      return null;
    }
    if (method === 'Unprotect') {
      if (p.protected && p.password !== undefined && p.password !== (args[0] ?? undefined)) throw new HostError('InvalidArgument', 'The password is incorrect');
      this.sheet.protection = { protected: false, options: {} };
      return null;
    }
    return super.call(method, args);
  }
}

class FreezeObj extends HostObj {
  readonly type = 'WorksheetFreezePanes';
  constructor(host: ExcelHost, readonly sheet: Sheet) {
    super(host);
  }
  override call(method: string, args: unknown[]): unknown {
    if (method === 'FreezeRows') {
      this.sheet.frozenRows = Number(args[0] ?? 1);
      return null;
    }
    if (method === 'Unfreeze') {
      this.sheet.frozenRows = 0;
      return null;
    }
    return super.call(method, args);
  }
}

class PageLayoutObj extends HostObj {
  readonly type = 'PageLayout';
  constructor(host: ExcelHost, readonly sheet: Sheet) {
    super(host);
  }
  override get(prop: string): unknown {
    if (prop === 'HeadersFooters') {
      if (this.host.apiMinor < 9) throw new HostError('ApiNotFound', 'PageLayout.headersFooters needs ExcelApi 1.9');
      return new HeadersFootersObj(this.host, this.sheet);
    }
    return super.get(prop);
  }
  override set(prop: string, _v: unknown): void {
    if (['Orientation', 'CenterHorizontally', 'Zoom', 'CenterVertically'].includes(prop)) return;
    if (prop === 'FirstPageNumber') {
      this.sheet.print.firstPageNumber = Number(_v);
      return;
    }
    super.set(prop, _v);
  }
  override call(method: string, args: unknown[]): unknown {
    if (method === 'SetPrintArea' || method === 'SetPrintTitleRows') return null;
    return super.call(method, args);
  }
}

/** PageLayout.headersFooters (ExcelApi 1.9): only defaultForAllPages is modelled. */
class HeadersFootersObj extends HostObj {
  readonly type = 'HeaderFooterGroup';
  constructor(host: ExcelHost, readonly sheet: Sheet) {
    super(host);
  }
  override get(prop: string): unknown {
    if (prop === 'DefaultForAllPages') return new HeaderFooterObj(this.host, this.sheet);
    return super.get(prop);
  }
}

class HeaderFooterObj extends HostObj {
  readonly type = 'HeaderFooter';
  constructor(host: ExcelHost, readonly sheet: Sheet) {
    super(host);
  }
  override set(prop: string, v: unknown): void {
    if (prop === 'CenterFooter') {
      this.sheet.print.centerFooter = String(v);
      return;
    }
    super.set(prop, v);
  }
}

/** Worksheet.horizontalPageBreaks (ExcelApi 1.9): add(range) breaks the page before the range's top-left cell. */
class PageBreaksObj extends HostObj {
  readonly type = 'PageBreakCollection';
  constructor(host: ExcelHost, readonly sheet: Sheet) {
    super(host);
  }
  override call(method: string, args: unknown[]): unknown {
    if (method === 'Add') {
      const m = /^\$?[A-Z]{1,3}\$?(\d+)/.exec(String(args[0] ?? ''));
      if (!m) throw new HostError('InvalidArgument', `page break at ${String(args[0])}`);
      this.sheet.print.breaksBefore.push(Number(m[1]));
      return null;
    }
    return super.call(method, args);
  }
}

/** A range: one rectangle, or several (RangeAreas, from getRanges, ExcelApi 1.9). */
class RangeObj extends HostObj {
  readonly type: string;
  constructor(host: ExcelHost, readonly sheet: Sheet, readonly rects: Rect[], readonly areas = false) {
    super(host);
    this.type = areas ? 'RangeAreas' : 'Range';
    if (areas && host.apiMinor < 9) throw new HostError('ApiNotFound', 'RangeAreas need ExcelApi 1.9');
  }
  get rect(): Rect {
    return this.rects[0];
  }
  cellsOf(): string[] {
    const out: string[] = [];
    for (const r of this.rects) {
      if (r.bottom - r.top > 100_000 || r.right - r.left > 5_000) continue; // whole rows/columns: formats only
      for (let i = r.top; i <= r.bottom; i++) for (let j = r.left; j <= r.right; j++) out.push(cellAddress(i, j));
    }
    return out;
  }
  address(): string {
    return this.rects.map((r) => `${quoteSheet(this.sheet.name)}!${rectText(r)}`).join(',');
  }
  private grid<T>(f: (c: Cell | undefined) => T): T[][] {
    const r = this.rect;
    return Array.from({ length: r.bottom - r.top + 1 }, (_, i) => Array.from({ length: r.right - r.left + 1 }, (_, j) => f(this.sheet.cells.get(cellAddress(r.top + i, r.left + j)))));
  }
  override scalars() {
    return ['Address', 'RowCount', 'ColumnCount', 'Values', 'Formulas', 'NumberFormat', 'Text'];
  }
  override get(prop: string): unknown {
    const r = this.rect;
    switch (prop) {
      case 'Worksheet': return new SheetObj(this.host, this.sheet);
      case 'Address': return this.address();
      case 'RowCount': return r.bottom - r.top + 1;
      case 'ColumnCount': return r.right - r.left + 1;
      case 'Values': return this.grid((c) => (c?.value ?? ''));
      case 'Text': return this.grid((c) => String(c?.value ?? ''));
      case 'Formulas': return this.grid((c) => (c?.formula ?? c?.value ?? ''));
      case 'NumberFormat': return this.grid((c) => c?.numberFormat ?? 'General');
      case 'Format': return new FormatObj(this.host, this);
      case 'DataValidation': return new ValidationObj(this.host, this);
      case 'ConditionalFormats': return new CondFormatsObj(this.host, this);
      case 'ColumnHidden': return false;
      case 'Areas': return null;
    }
    return super.get(prop);
  }
  override set(prop: string, v: unknown): void {
    switch (prop) {
      case 'Values':
      case 'Formulas': return this.setGrid(v);
      case 'NumberFormat': return this.host.format(this, 'cells', (c, i, j) => {
        c.numberFormat = String(Array.isArray(v) ? (v as unknown[][])[i]?.[j] ?? (v as unknown[][])[0]?.[0] : v);
      });
      case 'ColumnHidden':
        this.host.guardFormat(this.sheet, 'columns');
        for (const r of this.rects) {
          for (let c = r.left; c <= r.right; c++) {
            if (v) this.sheet.hiddenCols.add(c);
            else this.sheet.hiddenCols.delete(c);
          }
        }
        return;
      case 'RowHidden': return;
    }
    super.set(prop, v);
  }
  private setGrid(v: unknown): void {
    if (this.areas) throw new HostError('InvalidArgument', 'RangeAreas has no values');
    const g = v as unknown[][];
    const r = this.rect;
    const single = !Array.isArray(g);
    const rows = r.bottom - r.top + 1;
    const cols = r.right - r.left + 1;
    if (!single && (g.length !== rows || g.some((row) => !Array.isArray(row) || row.length !== cols))) {
      throw new HostError('InvalidArgument', `The number of rows or columns in the input array doesn't match the size or dimensions of the range ${rectText(r)}`);
    }
    // Every cell is checked before any is written: a write into a locked cell of a protected sheet fails whole.
    if (this.sheet.protection.protected) {
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const a = cellAddress(r.top + i, r.left + j);
          if (this.sheet.cells.get(a)?.locked !== false) throw new HostError('AccessDenied', `The cell ${this.sheet.name}!${a} is on a protected sheet and locked`);
        }
      }
    }
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const x = single ? v : g[i][j];
        const a = cellAddress(r.top + i, r.left + j);
        const prev = this.sheet.cells.get(a) ?? { value: '' };
        if (typeof x === 'string' && x.startsWith('=') && x.length > 1) this.sheet.cells.set(a, { ...prev, formula: x, value: prev.formula === x ? prev.value : '' });
        else this.sheet.cells.set(a, { ...prev, value: typeof x === 'string' && x.startsWith("'") ? x.slice(1) : x, formula: undefined });
      }
    }
    this.host.changed(this.sheet, this.address());
  }
  override call(method: string, args: unknown[]): unknown {
    switch (method) {
      case 'Merge':
        this.host.guardStructure(this.sheet);
        for (const r of this.rects) this.sheet.merges.push(rectText(r));
        return null;
      case 'Unmerge': return null;
      case 'Clear':
        this.host.guardStructure(this.sheet);
        for (const a of this.cellsOf()) this.sheet.cells.delete(a);
        this.host.changed(this.sheet, this.address());
        return null;
      case '_ValidateArraySize': return null; // the library checks large arrays before setting them
      // …and sets them in blocks of rows: getRow(i).getBoundingRect(getRow(j)).
      case 'GetRow': {
        const i = Number(args[0]);
        return new RangeObj(this.host, this.sheet, [{ ...this.rect, top: this.rect.top + i, bottom: this.rect.top + i }]);
      }
      case 'GetBoundingRect': {
        const o = args[0] as RangeObj;
        const a = this.rect;
        const b = o.rect;
        return new RangeObj(this.host, this.sheet, [{ top: Math.min(a.top, b.top), left: Math.min(a.left, b.left), bottom: Math.max(a.bottom, b.bottom), right: Math.max(a.right, b.right) }]);
      }
      case 'GetCell': {
        const [i, j] = args.map(Number);
        return new RangeObj(this.host, this.sheet, [{ top: this.rect.top + i, left: this.rect.left + j, bottom: this.rect.top + i, right: this.rect.left + j }]);
      }
    }
    return super.call(method, args);
  }
}

const rectText = (r: Rect): string => {
  const a = cellAddress(r.top, r.left);
  return r.top === r.bottom && r.left === r.right ? a : `${a}:${cellAddress(r.bottom, r.right)}`;
};

class FormatObj extends HostObj {
  readonly type = 'RangeFormat';
  constructor(host: ExcelHost, readonly range: RangeObj) {
    super(host);
  }
  override get(prop: string): unknown {
    switch (prop) {
      case 'Fill': return new FillObj(this.host, this.range);
      case 'Font': return new FontObj(this.host, this.range);
      case 'Protection': return new CellProtectionObj(this.host, this.range);
      case 'Borders': return new BordersObj(this.host, this.range);
      case 'ColumnWidth': return this.range.sheet.colWidths.get(this.range.rect.left) ?? 48;
      case 'RowHeight': return this.range.sheet.rowHeights.get(this.range.rect.top) ?? 15;
      case 'WrapText': return this.range.sheet.cells.get(cellAddress(this.range.rect.top, this.range.rect.left))?.wrap ?? false;
    }
    return super.get(prop);
  }
  override set(prop: string, v: unknown): void {
    const r = this.range;
    switch (prop) {
      case 'ColumnWidth':
        this.host.guardFormat(r.sheet, 'columns');
        for (const x of r.rects) for (let c = x.left; c <= x.right; c++) r.sheet.colWidths.set(c, Number(v));
        return;
      case 'RowHeight':
        this.host.guardFormat(r.sheet, 'rows');
        for (const x of r.rects) for (let row = x.top; row <= x.bottom; row++) r.sheet.rowHeights.set(row, Number(v));
        return;
      case 'WrapText': return this.host.format(r, 'cells', (c) => { c.wrap = Boolean(v); });
      case 'HorizontalAlignment': return this.host.format(r, 'cells', (c) => { c.hAlign = String(v); });
      case 'VerticalAlignment': return this.host.format(r, 'cells', (c) => { c.vAlign = String(v); });
    }
    super.set(prop, v);
  }
  override call(method: string, args: unknown[]): unknown {
    if (method === 'AutofitRows' || method === 'AutofitColumns') return null;
    return super.call(method, args);
  }
}

class FillObj extends HostObj {
  readonly type = 'RangeFill';
  constructor(host: ExcelHost, readonly range: RangeObj) {
    super(host);
  }
  override get(prop: string): unknown {
    if (prop === 'Color') return this.range.sheet.cells.get(cellAddress(this.range.rect.top, this.range.rect.left))?.fill ?? '#FFFFFF';
    return super.get(prop);
  }
  override set(prop: string, v: unknown): void {
    if (prop === 'Color') return this.host.format(this.range, 'cells', (c) => { c.fill = String(v); });
    super.set(prop, v);
  }
  override call(method: string, args: unknown[]): unknown {
    if (method === 'Clear') {
      this.host.format(this.range, 'cells', (c) => { c.fill = null; });
      return null;
    }
    return super.call(method, args);
  }
}

class FontObj extends HostObj {
  readonly type = 'RangeFont';
  constructor(host: ExcelHost, readonly range: RangeObj) {
    super(host);
  }
  override set(prop: string, v: unknown): void {
    const f = (fn: (c: Cell) => void) => this.host.format(this.range, 'cells', fn);
    switch (prop) {
      case 'Color': return f((c) => { c.fontColor = String(v); });
      case 'Bold': return f((c) => { c.bold = Boolean(v); });
      case 'Name': return f((c) => { c.fontName = String(v); });
      case 'Size': return f((c) => { c.fontSize = Number(v); });
    }
    super.set(prop, v);
  }
}

class CellProtectionObj extends HostObj {
  readonly type = 'FormatProtection';
  constructor(host: ExcelHost, readonly range: RangeObj) {
    super(host);
  }
  override set(prop: string, v: unknown): void {
    if (prop === 'Locked') {
      // Changing a cell's lock on a protected sheet is refused even where formatting is allowed.
      if (this.range.sheet.protection.protected) throw new HostError('AccessDenied', `${this.range.sheet.name} is protected: cell locks cannot change`);
      return this.host.format(this.range, 'cells', (c) => { c.locked = Boolean(v); });
    }
    super.set(prop, v);
  }
}

class BordersObj extends HostObj {
  readonly type = 'RangeBorderCollection';
  constructor(host: ExcelHost, readonly range: RangeObj) {
    super(host);
  }
  override index(_key: unknown): HostObj {
    return new BorderObj(this.host, this.range);
  }
  override call(method: string, args: unknown[]): unknown {
    if (method === 'GetItem') return this.index(args[0]);
    return super.call(method, args);
  }
}

class BorderObj extends HostObj {
  readonly type = 'RangeBorder';
  constructor(host: ExcelHost, readonly range: RangeObj) {
    super(host);
  }
  override set(prop: string, v: unknown): void {
    if (prop === 'Style') return this.host.format(this.range, 'cells', (c) => { c.borders = v !== 'None'; });
    if (prop === 'Color' || prop === 'Weight') return this.host.format(this.range, 'cells', () => undefined);
    super.set(prop, v);
  }
}

class ValidationObj extends HostObj {
  readonly type = 'DataValidation';
  constructor(host: ExcelHost, readonly range: RangeObj) {
    super(host);
  }
  override set(prop: string, v: unknown): void {
    if (!['Rule', 'Prompt', 'ErrorAlert', 'IgnoreBlanks'].includes(prop)) return super.set(prop, v);
    this.host.guardStructure(this.range.sheet);
    for (const a of this.range.cellsOf()) this.range.sheet.validations.set(a, { ...((this.range.sheet.validations.get(a) as object) ?? {}), [prop.toLowerCase()]: v });
  }
  override call(method: string, args: unknown[]): unknown {
    if (method === 'Clear') {
      this.host.guardStructure(this.range.sheet);
      for (const a of this.range.cellsOf()) this.range.sheet.validations.delete(a);
      return null;
    }
    return super.call(method, args);
  }
}

class CondFormatsObj extends HostObj {
  readonly type = 'ConditionalFormatCollection';
  constructor(host: ExcelHost, readonly range: RangeObj) {
    super(host);
  }
  override call(method: string, args: unknown[]): unknown {
    if (method === 'Add') {
      this.host.guardStructure(this.range.sheet);
      this.range.sheet.conditional.push({ address: rectText(this.range.rect), type: String(args[0]) });
      return new AnyObj(this.host, 'ConditionalFormat');
    }
    return super.call(method, args);
  }
}

/** Conditional-format details the model does not keep (data bar colours). */
class AnyObj extends HostObj {
  constructor(host: ExcelHost, readonly type: string) {
    super(host);
  }
  override get(_prop: string): unknown {
    return new AnyObj(this.host, `${this.type}.${_prop}`);
  }
  override set(): void {}
}

// ---------------------------------------------------------------------------------------------------

export class ExcelHost {
  sheets: Sheet[] = [];
  names: { name: string; reference: string }[] = [];
  requests: RequestLog[] = [];
  /** Workbooks the add-in opened beside this one (Excel.createWorkbook), as .xlsx bytes. */
  opened: Uint8Array[] = [];
  enableEvents = true;
  /** Worksheet protect/unprotect calls the add-in made. */
  protectionCalls = 0;
  readonly apiMinor: number;
  readonly platform: Platform;
  readonly lib: OfficeLib;
  /** Registered event channels (what _Register…Event actions asked for). */
  registrations: Registration[] = [];
  private nextId = 1;
  private inFlight = 0;
  private pending: Promise<unknown>[] = [];
  private writing: { sheet: Sheet; address: string }[] | null = null;

  constructor(readonly options: HostOptions = {}) {
    this.apiMinor = options.apiMinor ?? 14;
    this.platform = options.platform ?? 'win32';
    this.lib = loadOfficeLib(this.platform);
    // A new host is a new Excel: handlers registered with an earlier one are gone.
    if (!options.keepHandlers) this.lib.OfficeExtension.GenericEventRegistration.s_genericEventRegistrations = {};
    this.bind();
  }

  /** The pane reloads (or the file is reopened): every handler it registered is gone. */
  paneClosed(): void {
    this.registrations = [];
    this.lib.OfficeExtension.GenericEventRegistration.s_genericEventRegistrations = {};
  }

  /** Makes this host the one the library talks to (one host per test). */
  bind(): void {
    this.lib.bind({
      executeAsync: (_c, _f, m) => this.execute(m.Body as RequestBody),
      isSetSupported: (name, version) => this.isSetSupported(name, version),
    });
  }

  isSetSupported(name: string, version?: string): boolean {
    const minor = Number((version ?? '1.1').split('.')[1] ?? 1);
    if (name === 'ExcelApi') return minor <= this.apiMinor;
    if (name === 'ExcelApiOnline') return this.platform === 'web' && minor <= 1;
    return false;
  }

  get roundTrips(): number {
    return this.requests.length;
  }

  get largestRequest(): number {
    return Math.max(0, ...this.requests.map((r) => r.bytes));
  }

  /** A request context of the real library, as Excel.run hands one to the batch. */
  context(): Excel.RequestContext {
    this.bind();
    return new this.lib.Excel.RequestContext();
  }

  /** The real `Excel` namespace (Excel.run included), talking to this host. */
  excelGlobal(): typeof Excel {
    this.bind();
    return this.lib.Excel;
  }

  // ------------------------------------------------------------------ model
  addSheet(name: string, visibility: Sheet['visibility'] = 'Visible'): Sheet {
    this.checkName(name);
    const s: Sheet = {
      id: `{${String(this.nextId++).padStart(8, '0')}-0000-4000-8000-000000000000}`, name, visibility, cells: new Map(), merges: [], notes: new Map(), validations: new Map(),
      colWidths: new Map(), rowHeights: new Map(), hiddenCols: new Set(), frozenRows: 0, conditional: [], protection: { protected: false, options: {} },
      print: { breaksBefore: [] },
    };
    this.sheets.push(s);
    return s;
  }

  private checkName(name: string, except?: Sheet): void {
    if (!name || name.length > 31 || /[:\\/?*[\]]/.test(name) || /^'|'$/.test(name)) throw new HostError('InvalidArgument', `Invalid sheet name ${name}`);
    if (this.sheets.some((s) => s !== except && s.name.toLowerCase() === name.toLowerCase())) throw new HostError('ItemAlreadyExists', `A sheet named ${name} exists`);
  }

  renameSheet(s: Sheet, name: string): void {
    if (s.name === name) return;
    this.checkName(name, s);
    const old = s.name;
    s.name = name;
    // Formulas follow the renamed sheet, as in Excel.
    const re = new RegExp(`(^|[^\\w\\u4e00-\\u9fff'])('?)${escape(old)}\\2!`, 'g');
    for (const sh of this.sheets) for (const c of sh.cells.values()) if (c.formula) c.formula = c.formula.replace(re, (_m, pre) => `${pre}${quoteSheet(name)}!`);
  }

  deleteSheet(s: Sheet): void {
    // Excel refuses to delete a very hidden sheet (office-js #365): make it hidden or visible first.
    if (s.visibility === 'VeryHidden') throw new HostError('InvalidOperation', `This operation is not permitted for the current object: ${s.name} is very hidden`);
    if (s.visibility === 'Visible' && this.sheets.filter((x) => x.visibility === 'Visible').length <= 1) {
      throw new HostError('InvalidOperation', 'A workbook must contain at least one visible worksheet');
    }
    this.sheets = this.sheets.filter((x) => x !== s);
    // References to it become #REF!.
    const re = new RegExp(`('?)${escape(s.name)}\\1!\\$?[A-Z]+\\$?\\d+`, 'g');
    for (const sh of this.sheets) for (const c of sh.cells.values()) if (c.formula) c.formula = c.formula.replace(re, '#REF!');
  }

  findSheet(key: string): Sheet | undefined {
    return this.sheets.find((s) => s.id === key) ?? this.sheets.find((s) => s.name.toLowerCase() === key.toLowerCase());
  }

  sheet(name: string): Sheet | undefined {
    return this.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  cell(sheet: string, address: string): Cell | undefined {
    return this.sheet(sheet)?.cells.get(address);
  }

  value(sheet: string, address: string): unknown {
    return this.cell(sheet, address)?.value ?? '';
  }

  setCell(sheet: string, address: string, patch: Partial<Cell>): void {
    const s = this.sheet(sheet)!;
    s.cells.set(address, { value: '', ...(s.cells.get(address) ?? {}), ...patch });
  }

  rect(address: string): Rect {
    const r = parseRect(splitSheet(address).local);
    if (!r) throw new HostError('InvalidArgument', `The argument is invalid or missing or has an incorrect format: ${address}`);
    return r;
  }

  /** Formatting on a protected sheet needs the matching allowance (cells, columns, rows). */
  guardFormat(s: Sheet, what: 'cells' | 'columns' | 'rows'): void {
    const p = s.protection;
    if (!p.protected) return;
    const key = what === 'cells' ? 'allowFormatCells' : what === 'columns' ? 'allowFormatColumns' : 'allowFormatRows';
    if (!p.options[key]) throw new HostError('AccessDenied', `${s.name} is protected: formatting ${what} is not allowed`);
  }

  /** Merges, validations and conditional formats cannot change on a protected sheet. */
  guardStructure(s: Sheet): void {
    if (s.protection.protected) throw new HostError('AccessDenied', `${s.name} is protected`);
  }

  format(r: RangeObj, what: 'cells', fn: (c: Cell, i: number, j: number) => void): void {
    this.guardFormat(r.sheet, what);
    for (const x of r.rects) {
      if (x.bottom - x.top > 100_000 || x.right - x.left > 5_000) continue;
      for (let i = x.top; i <= x.bottom; i++) {
        for (let j = x.left; j <= x.right; j++) {
          const a = cellAddress(i, j);
          const c = r.sheet.cells.get(a) ?? { value: '' };
          fn(c, i - x.top, j - x.left);
          r.sheet.cells.set(a, c);
        }
      }
    }
    this.changed(r.sheet, r.address());
  }

  /** Records an add-in write: onChanged fires for it after the request (unless events are off). */
  changed(sheet: Sheet, address: string): void {
    // Events follow the runtime's enableEvents at the time of the change.
    if (this.enableEvents) this.writing?.push({ sheet, address });
  }

  async insertFromBase64(base64: string, options: Record<string, unknown>): Promise<string[]> {
    if (this.apiMinor < 13) throw new HostError('ApiNotFound', 'insertWorksheetsFromBase64 needs ExcelApi 1.13');
    // Not available on iPad (the API set reports 1.13 there, the call does not exist).
    if (this.platform === 'ios') throw new HostError('ApiNotFound', 'insertWorksheetsFromBase64 is not available on this platform');
    if (this.options.insertFails) throw new HostError(this.options.insertFails, `insertWorksheetsFromBase64 failed (${this.options.insertFails})`);
    if (!this.options.decodeXlsx) throw new Error('host: no decodeXlsx');
    const wanted = options.sheetNamesToInsert as string[] | undefined;
    const decoded = (await this.options.decodeXlsx(base64)).filter((s) => !wanted || wanted.length === 0 || wanted.includes(s.name));
    for (const d of decoded) this.checkName(d.name);
    const names: string[] = [];
    for (const d of decoded) {
      const s = this.addSheet(d.name, d.visibility);
      Object.assign(s, { ...d, id: s.id });
      if (this.options.insertBreaksLinks) {
        for (const c of s.cells.values()) if (c.formula) c.formula = c.formula.replace(/('[^']+'|[\w\u4e00-\u9fff]+)!/g, (_m, n: string) => `'[1]${n.replace(/^'|'$/g, '')}'!`);
      }
      names.push(d.name);
    }
    return names;
  }

  register(method: string, target: string): null {
    const m = /^_(Register|Unregister)(\w+)Event$/.exec(method);
    if (!m) return null;
    const eventType = m[2] === 'DataChanged' ? 10 : m[2] === 'SelectionChanged' ? 14 : -1;
    if (m[1] === 'Register') this.registrations.push({ eventType, target });
    else this.registrations = this.registrations.filter((r) => !(r.eventType === eventType && r.target === target));
    return null;
  }

  // ------------------------------------------------------------------ the wire
  private async execute(body: RequestBody): Promise<unknown> {
    const bytes = Buffer.byteLength(JSON.stringify(body), 'utf8');
    const log: RequestLog = { bytes, actions: body.Actions?.length ?? 0 };
    this.requests.push(log);
    this.inFlight++;
    try {
      this.options.onRequest?.(this.requests.length);
      await new Promise((r) => setTimeout(r, 0)); // a round trip is never synchronous
      if (this.platform === 'web' && bytes > WEB_REQUEST_LIMIT) {
        log.error = 'RequestPayloadSizeLimitExceeded';
        return { ErrorCode: 'RequestPayloadSizeLimitExceeded', HttpStatusCode: 413, ErrorMessage: 'The request payload size has exceeded the limit.' };
      }
      const results: { ActionId: number; Value: unknown }[] = [];
      const objs = new Map<number, HostObj | null>();
      this.writing = [];
      const resolve = (id: number): HostObj | null => {
        if (objs.has(id)) return objs.get(id)!;
        const p = body.ObjectPaths[String(id)];
        if (!p) throw new HostError('InvalidObjectPath', `no object path ${id}`);
        const parent = p.ParentObjectPathId !== undefined ? resolve(p.ParentObjectPathId) : null;
        // Arguments that are objects come as object path ids, flagged in ReferencedObjectPathIds.
        const refs = p.ArgumentInfo?.ReferencedObjectPathIds ?? [];
        const args = (p.ArgumentInfo?.Arguments ?? []).map((x, i) => (typeof refs[i] === 'number' && refs[i] > 0 ? resolve(refs[i] as number) : x));
        let o: HostObj | null;
        switch (p.ObjectPathType) {
          case 1: o = new WorkbookObj(this); break;
          case 4: o = parent === null ? null : (parent.get(p.Name) as HostObj | null); break;
          case 3: o = parent === null ? null : (parent.call(p.Name, args) as HostObj | null); break;
          case 5: o = parent === null ? null : parent.index(args[0]); break;
          case 7: o = null; break;
          default: throw new HostError('InvalidObjectPath', `object path type ${p.ObjectPathType}`);
        }
        objs.set(id, o);
        return o;
      };
      const actions = body.Actions ?? [];
      const failHere = this.options.failRequest === this.requests.length;
      for (let i = 0; i < actions.length; i++) {
        const a = actions[i];
        try {
          if (failHere && (a.ActionType === 3 || a.ActionType === 4)) throw new HostError('GeneralException', 'There was an internal error while processing the request.');
          switch (a.ActionType) {
            case 1: {
              const o = resolve(a.ObjectPathId);
              results.push({ ActionId: a.Id, Value: o === null ? null : o.idResult() });
              break;
            }
            case 2: {
              const o = resolve(a.ObjectPathId);
              results.push({ ActionId: a.Id, Value: o === null ? null : serialize(o, a.QueryInfo?.Select ?? undefined) });
              break;
            }
            case 3: {
              const o = resolve(a.ObjectPathId);
              // A null object (…OrNullObject) answers null to every method.
              if (o === null) {
                results.push({ ActionId: a.Id, Value: null });
                break;
              }
              let v = o.call(a.Name, a.ArgumentInfo?.Arguments ?? []);
              if (v instanceof Promise) v = await v;
              results.push({ ActionId: a.Id, Value: v instanceof HostObj ? v.idResult() : v });
              break;
            }
            case 4: {
              const o = resolve(a.ObjectPathId);
              if (o === null) throw new HostError('ItemNotFound', `set ${a.Name} on a null object`);
              o.set(a.Name, a.ArgumentInfo?.Arguments?.[0]);
              break;
            }
            case 5:
              // Traces answer so the library's markers run (handlers are registered from one).
              results.push({ ActionId: a.Id, Value: null });
              break;
            default:
              break;
          }
        } catch (e) {
          if (!(e instanceof HostError)) throw e;
          log.error = e.code;
          // Excel stops at the failing action; what ran before it stays done (no rollback).
          this.flushEvents();
          return { ErrorCode: '', HttpStatusCode: 200, Body: { Results: results, Error: { Code: e.code, Message: e.message, ActionIndex: i, Location: '' } } };
        }
      }
      this.flushEvents();
      log.responseBytes = Buffer.byteLength(JSON.stringify(results), 'utf8');
      return { ErrorCode: '', HttpStatusCode: 200, Body: { Results: results } };
    } finally {
      this.inFlight--;
    }
  }

  private flushEvents(): void {
    const w = this.writing ?? [];
    this.writing = null;
    if (w.length === 0) return;
    const seen = new Set<string>();
    for (const { sheet, address } of w) {
      if (seen.has(address)) continue;
      seen.add(address);
      const local = address.split(',').map((x) => splitSheet(x).local).join(',');
      this.later(() => this.raiseChanged(sheet, local, { triggerSource: 'ThisLocalAddin' }));
    }
  }

  private later(fn: () => void): void {
    this.pending.push(new Promise<void>((r) => setTimeout(() => { fn(); r(); }, 0)));
  }

  // ------------------------------------------------------------------ what the clerk does
  private raiseChanged(s: Sheet, address: string, extra: Record<string, unknown> = {}): void {
    // runtime.enableEvents = false silences every event of the add-in (its own and the clerk's).
    if (!this.enableEvents) return;
    const args: Record<string, unknown> = { type: 'WorksheetChanged', address, worksheetId: s.id, source: 'Local', changeType: 'RangeEdited', shiftDirection: 'None', ...extra };
    if (this.apiMinor < 14) delete args.triggerSource;
    else args.triggerSource ??= 'Unknown';
    for (const r of this.registrations) {
      if (r.eventType !== 10) continue;
      if (r.target === 'Workbook' || r.target === s.id) this.lib.raise(10, r.target, args);
    }
  }

  /** A clerk types into a cell (refused on a locked cell of a protected sheet, as Excel's UI refuses it). */
  async type(sheet: string, address: string, value: unknown, extra: Record<string, unknown> = {}): Promise<void> {
    const s = this.sheet(sheet);
    if (!s) throw new Error(`host: no sheet ${sheet}`);
    if (s.protection.protected && s.cells.get(address)?.locked !== false && !extra.force) throw new Error(`host: ${sheet}!${address} is locked: a clerk cannot type there`);
    delete extra.force;
    const before = s.cells.get(address)?.value ?? '';
    this.setCell(s.name, address, { value, formula: undefined });
    // ExcelApi 1.9: a single-cell change carries the value before and after.
    const single = /^[A-Z]+\d+$/.test(address);
    this.raiseChanged(s, address, this.apiMinor >= 9 && single ? { valueBefore: before, valueAfter: value, ...extra } : extra);
    await this.settle();
  }

  /** A value picked from a data-validation dropdown: on the web no onChanged fires (office-js #3888, #4066). */
  async pick(sheet: string, address: string, value: unknown): Promise<void> {
    if (this.platform !== 'web') return this.type(sheet, address, value);
    this.setCell(sheet, address, { value, formula: undefined });
    await this.settle();
  }

  /** The clerk's current selection (workbook.getSelectedRange), set by select(). */
  selection: { sheet: string; address: string } | null = null;

  /** The clerk moves the selection (onSelectionChanged). */
  async select(sheet: string, address: string): Promise<void> {
    const s = this.sheet(sheet)!;
    this.selection = { sheet: s.name, address };
    for (const r of this.registrations) {
      if (r.eventType !== 14) continue;
      if (r.target === 'Workbook' || r.target === s.id) this.lib.raise(14, r.target, { type: 'WorksheetSelectionChanged', address, worksheetId: s.id });
    }
    await this.settle();
  }

  /** A co-author's edit arrives (source Remote). */
  async remote(sheet: string, address: string, value: unknown): Promise<void> {
    const s = this.sheet(sheet)!;
    this.setCell(s.name, address, { value, formula: undefined });
    this.raiseChanged(s, address, { source: 'Remote' });
    await this.settle();
  }

  /** Waits until the pane has handled everything (no request in flight for a few turns). */
  async settle(): Promise<void> {
    let quiet = 0;
    let seen = this.requests.length;
    while (quiet < 5) {
      await Promise.all(this.pending.splice(0));
      await new Promise((r) => setTimeout(r, 1));
      if (this.inFlight === 0 && this.requests.length === seen && this.pending.length === 0) quiet++;
      else {
        quiet = 0;
        seen = this.requests.length;
      }
    }
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface RequestBody {
  Actions: { Id: number; ActionType: number; Name: string; ObjectPathId: number; ArgumentInfo?: { Arguments?: unknown[] }; QueryInfo?: { Select?: string[] } }[];
  ObjectPaths: Record<string, { Id: number; ObjectPathType: number; Name: string; ParentObjectPathId?: number; ArgumentInfo?: { Arguments?: unknown[]; ReferencedObjectPathIds?: unknown[] } }>;
}
