/* eslint-disable @typescript-eslint/no-this-alias */
// A small fake of the parts of the Excel object model the adapter uses, built from office-addin-mock's
// OfficeMockObject (load / sync semantics: unloaded properties read as "Error, property was not loaded",
// reads before sync as "Error, context.sync() was not called"). office-addin-mock has no Excel
// behaviour (toolchain.md), so this file adds a cell model underneath: writes queued on range proxies
// are applied to the model when context.sync() runs, which is also where round trips are counted. Tests
// then assert the values and formulas that landed in the model, not merely that calls happened.
import { OfficeMockObject } from 'office-addin-mock';
import { cellAddress, parseRect, quoteSheet, splitSheet } from '../../src/excel/a1';

const ERRORS = new Set(['Error, property was not loaded', 'Error, context.sync() was not called']);
const isErr = (v: unknown): boolean => typeof v === 'string' && ERRORS.has(v);

export interface FakeCell {
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

export interface FakeSheet {
  id: string;
  name: string;
  visibility: 'Visible' | 'Hidden' | 'VeryHidden';
  position: number;
  cells: Map<string, FakeCell>;
  merges: string[];
  notes: Map<string, string>;
  validations: Map<string, unknown>;
  colWidths: Map<number, number>;
  rowHeights: Map<number, number>;
  handlers: ((e: unknown) => unknown)[];
  protected: boolean;
  frozenRows: number;
  tabColor?: string;
  hiddenCols: Set<number>;
  conditional: { address: string; type: string }[];
}

export interface FakeOptions {
  /** Highest ExcelApi minor version the fake claims (features above it are absent). */
  apiMinor?: number;
  /** Decodes .xlsx bytes for insertWorksheetsFromBase64 (tests pass an ExcelJS-based reader). */
  insertFromBase64?: (book: FakeBook, base64: string, options: Excel.InsertWorksheetOptions | undefined) => Promise<string[]>;
}

type Tracked = { apply: (prop: string, v: unknown) => void };

export class FakeBook {
  sheets: FakeSheet[] = [];
  syncs = 0;
  /** Every sync's number of queued write operations, for the request-size story. */
  writesPerSync: number[] = [];
  collectionHandlers: ((e: unknown) => unknown)[] = [];
  names: { name: string; reference: string }[] = [];
  private nextId = 1;
  private mocks: any[] = [];
  private queued: (() => unknown)[] = [];
  private writes = 0;
  readonly apiMinor: number;

  constructor(readonly options: FakeOptions = {}) {
    this.apiMinor = options.apiMinor ?? 14;
  }

  addSheet(name: string, visibility: FakeSheet['visibility'] = 'Visible'): FakeSheet {
    if (this.sheet(name)) throw new Error(`A sheet named ${name} exists`);
    const s: FakeSheet = {
      id: `{S${this.nextId++}}`, name, visibility, position: this.sheets.length, cells: new Map(), merges: [], notes: new Map(),
      validations: new Map(), colWidths: new Map(), rowHeights: new Map(), handlers: [], protected: false, frozenRows: 0, hiddenCols: new Set(), conditional: [],
    };
    this.sheets.push(s);
    return s;
  }

  sheet(name: string): FakeSheet | undefined {
    return this.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  cell(sheet: string, address: string): FakeCell | undefined {
    return this.sheet(sheet)?.cells.get(address);
  }

  /** The value a clerk would see (formulas show their cached value). */
  value(sheet: string, address: string): unknown {
    return this.cell(sheet, address)?.value ?? '';
  }

  setCell(sheet: string, address: string, patch: Partial<FakeCell>): void {
    const s = this.sheet(sheet)!;
    s.cells.set(address, { value: '', ...(s.cells.get(address) ?? {}), ...patch });
  }

  /** A clerk types into a cell: the model changes, then the change event fires like Excel's. */
  async type(sheet: string, address: string, value: unknown, extra: Record<string, unknown> = {}): Promise<void> {
    this.setCell(sheet, address, { value, formula: undefined });
    const s = this.sheet(sheet)!;
    const event = { address, worksheetId: s.id, source: 'Local', changeType: 'RangeEdited', type: 'WorksheetChanged', ...(this.apiMinor >= 14 ? { triggerSource: 'Unknown' } : {}), ...extra };
    for (const h of [...s.handlers, ...this.collectionHandlers]) await h(event);
  }

  // ------------------------------------------------------------------ the Office side
  /**
   * Wraps a mock so that assignments to the watched properties (dotted paths, e.g. "format.fill.color")
   * are queued in program order, as Office.js queues them, and applied to the model at the next sync.
   */
  private track(mock: any, props: string[], apply: Tracked['apply']): any {
    const book = this;
    const wrap = (target: any, prefix: string): any =>
      new Proxy(target, {
        get(t, k, recv) {
          const v = Reflect.get(t, k, recv);
          if (typeof k === 'string' && v instanceof OfficeMockObject && props.some((p) => p.startsWith(`${prefix}${k}.`))) {
            return wrap(v, `${prefix}${k}.`);
          }
          if (k === 'load' && typeof v === 'function') {
            // A load queued after an earlier sync resolves at the next one.
            return (...args: unknown[]) => {
              if (!book.mocks.includes(t)) book.mocks.push(t);
              return v.apply(recv, args);
            };
          }
          return v;
        },
        set(t, k, v) {
          const path = `${prefix}${String(k)}`;
          if (typeof k === 'string' && props.includes(path) && !isErr(v)) {
            book.queue(() => apply(path, v));
          }
          return Reflect.set(t, k, v);
        },
      });
    return wrap(mock, '');
  }

  /** A sheet known now. */
  ref(sheet: FakeSheet): SheetRef {
    return { name: sheet.name, peek: () => sheet, get: () => sheet };
  }

  /** A sheet looked up by name the first time the batch needs it, then held (renames do not lose it). */
  lazyRef(name: string): SheetRef {
    let held: FakeSheet | undefined;
    return {
      name,
      peek: () => held ?? this.sheet(name),
      get: () => (held ??= this.sheet(name) ?? fail(`fake: no sheet ${name}`)),
    };
  }

  private queue(op: () => unknown): void {
    this.queued.push(op);
    this.writes++;
  }

  private rect(address: string) {
    const r = parseRect(splitSheet(address).local);
    if (!r) throw new Error(`fake: bad address ${address}`);
    return r;
  }

  private rangeMock(ref: SheetRef, address: string): any {
    const r = this.rect(address);
    const S = () => ref.get();
    const huge = r.bottom - r.top >= 1_048_575 || r.right - r.left >= 16_383; // whole rows/columns
    const rows = huge ? 0 : r.bottom - r.top + 1;
    const cols = huge ? 0 : r.right - r.left + 1;
    const grid = <T>(f: (c: FakeCell | undefined) => T): T[][] =>
      Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => f(ref.peek()?.cells.get(cellAddress(r.top + i, r.left + j)))));
    const each = (f: (addr: string) => void) => {
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) f(cellAddress(r.top + i, r.left + j));
    };
    const patchAll = (patch: Partial<FakeCell>) => each((a) => S().cells.set(a, { value: '', ...(S().cells.get(a) ?? {}), ...patch }));
    const book = this;
    const mock: any = new OfficeMockObject({
      address: `${quoteSheet(ref.peek()?.name ?? ref.name)}!${address}`,
      rowCount: rows,
      columnCount: cols,
      values: grid((c) => (c?.value ?? '') as never),
      formulas: grid((c) => (c?.formula !== undefined ? c.formula : (c?.value ?? '')) as never),
      numberFormat: grid((c) => c?.numberFormat ?? 'General'),
      format: {
        columnWidth: 64,
        rowHeight: 15,
        wrapText: false,
        horizontalAlignment: 'General',
        verticalAlignment: 'Bottom',
        fill: { color: '#FFFFFF', clear: () => book.queue(() => patchAll({ fill: null })) },
        font: { color: '#000000', bold: false, name: 'Calibri', size: 11 },
        protection: { locked: true },
        borders: { getItem: (_edge: string) => { const b: any = new OfficeMockObject({ style: 'None', color: '#000000' }); return book.track(b, ['style'], () => patchAll({ borders: true })); } },
        autofitRows: () => undefined,
      },
      dataValidation: { rule: {}, prompt: {}, errorAlert: {}, clear: () => book.queue(() => each((a) => S().validations.delete(a))) },
      columnHidden: false,
      conditionalFormats: { add: (type: string) => { book.queue(() => S().conditional.push({ address, type })); return { dataBar: { positiveFormat: {} } }; } },
      merge: (_across?: boolean) => book.queue(() => S().merges.push(address)),
      clear: () => book.queue(() => each((a) => S().cells.delete(a))),
    });
    const setGrid = (v: unknown, asFormulas: boolean) => {
      const g = v as unknown[][];
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const x = g[i]?.[j] ?? g[0]?.[0];
          const a = cellAddress(r.top + i, r.left + j);
          const prev = S().cells.get(a) ?? { value: '' };
          if (S().protected && prev.locked !== false) throw new Error(`fake: ${S().name}!${a} is locked and the sheet is protected`);
          if (typeof x === 'string' && x.startsWith('=')) S().cells.set(a, { ...prev, formula: x, value: asFormulas ? prev.value ?? '' : prev.value ?? '' });
          else S().cells.set(a, { ...prev, value: x, formula: undefined });
        }
      }
    };
    const proxy = this.track(mock, ['values', 'formulas', 'numberFormat', 'format.fill.color', 'format.font.color', 'format.font.bold', 'format.font.name', 'format.font.size',
      'format.columnWidth', 'format.rowHeight', 'format.wrapText', 'format.horizontalAlignment', 'format.verticalAlignment', 'format.protection.locked',
      'dataValidation.rule', 'dataValidation.prompt', 'dataValidation.errorAlert', 'columnHidden'], (prop, v) => {
      switch (prop) {
        case 'values': return setGrid(v, false);
        case 'formulas': return setGrid(v, true);
        case 'numberFormat': return patchAll({ numberFormat: Array.isArray(v) ? (v as string[][])[0]?.[0] : String(v) });
        case 'format.fill.color': return patchAll({ fill: v as string });
        case 'format.font.color': return patchAll({ fontColor: v as string });
        case 'format.font.bold': return patchAll({ bold: v as boolean });
        case 'format.font.name': return patchAll({ fontName: v as string });
        case 'format.font.size': return patchAll({ fontSize: v as number });
        case 'format.wrapText': return patchAll({ wrap: v as boolean });
        case 'format.horizontalAlignment': return patchAll({ hAlign: v as string });
        case 'format.verticalAlignment': return patchAll({ vAlign: v as string });
        case 'format.protection.locked': return patchAll({ locked: v as boolean });
        case 'columnHidden': for (let c = r.left; c <= r.right; c++) S().hiddenCols.add(c); return;
        case 'format.columnWidth': for (let c = r.left; c <= r.right; c++) S().colWidths.set(c, v as number); return;
        case 'format.rowHeight': for (let row = r.top; row <= r.bottom; row++) S().rowHeights.set(row, v as number); return;
        case 'dataValidation.rule': return each((a) => S().validations.set(a, { ...(S().validations.get(a) as object ?? {}), rule: v }));
        case 'dataValidation.prompt': return each((a) => S().validations.set(a, { ...(S().validations.get(a) as object ?? {}), prompt: v }));
        case 'dataValidation.errorAlert': return each((a) => S().validations.set(a, { ...(S().validations.get(a) as object ?? {}), errorAlert: v }));
      }
    });
    this.mocks.push(mock);
    return proxy;
  }

  private sheetMock(ref: SheetRef): any {
    const book = this;
    const S = () => ref.get();
    const peek = ref.peek();
    const notes = {
      getItemOrNullObject: (addr: string) => {
        const has = peek?.notes.has(addr) ?? false;
        const m: any = new OfficeMockObject({ isNullObject: !has, content: peek?.notes.get(addr) ?? '', delete: () => book.queue(() => S().notes.delete(addr)) });
        m.load = function (this: any) { OfficeMockObject.prototype.load.call(this, ['isNullObject', 'content']); return this; };
        book.mocks.push(m);
        return book.track(m, ['content'], (_p, v) => S().notes.set(addr, String(v)));
      },
      add: (addr: string, content: string) => {
        if (book.apiMinor < 18) throw new Error('fake: notes need ExcelApi 1.18');
        book.queue(() => S().notes.set(addr, content));
        return {};
      },
    };
    const m: any = new OfficeMockObject({
      id: peek?.id ?? '',
      name: peek?.name ?? ref.name,
      visibility: peek?.visibility ?? 'Visible',
      position: peek?.position ?? 0,
      tabColor: '',
      getRange: (address: string) => book.rangeMock(ref, address),
      getUsedRange: (_valuesOnly?: boolean) => {
        let bottom = 0;
        let right = 0;
        for (const [a, c] of S().cells) {
          if (c.value === '' && c.formula === undefined) continue;
          const r = parseRect(a)!;
          bottom = Math.max(bottom, r.bottom);
          right = Math.max(right, r.right);
        }
        return book.rangeMock(ref, `A1:${cellAddress(bottom, right)}`);
      },
      getRangeByIndexes: (row: number, col: number, rows: number, cols: number) =>
        book.rangeMock(ref, `${cellAddress(row, col)}:${cellAddress(row + rows - 1, col + cols - 1)}`),
      delete: () => book.queue(() => { const sh = S(); book.sheets = book.sheets.filter((s) => s !== sh); }),
      activate: () => undefined,
      freezePanes: { freezeRows: (n: number) => book.queue(() => { S().frozenRows = n; }) },
      protection: {
        protected: peek?.protected ?? false,
        options: { allowFormatCells: true },
        protect: () => book.queue(() => { S().protected = true; }),
        unprotect: () => book.queue(() => { S().protected = false; }),
      },
      pageLayout: { orientation: 'Portrait', printArea: '', setPrintArea: () => undefined, setPrintTitleRows: () => undefined, zoom: {}, centerHorizontally: false },
    });
    m.notes = notes;
    m.onChanged = { add: (h: (e: unknown) => unknown) => { S().handlers.push(h); return {}; } };
    this.mocks.push(m);
    return this.track(m, ['visibility', 'name', 'tabColor', 'position'], (prop, v) => {
      if (prop === 'visibility') S().visibility = v as FakeSheet['visibility'];
      else if (prop === 'name') S().name = String(v);
      else if (prop === 'tabColor') S().tabColor = String(v);
    });
  }

  /** A fresh request context, as Excel.run hands one to the batch. */
  context(): Excel.RequestContext {
    const book = this;
    const worksheets: any = {
      items: [] as any[],
      load(this: any) {
        // office-addin-mock cannot mock collections: items are filled at sync time, as Excel would.
        book.queued.push(() => {
          worksheets.items = book.sheets.map((s) => {
            const sm = book.sheetMock(book.ref(s));
            sm.load('id,name,visibility,position');
            return sm;
          });
        });
        return this;
      },
      // Resolved when the batch runs (a sheet inserted earlier in the same batch is found).
      getItem: (name: string) => book.sheetMock(book.lazyRef(name)),
      getItemOrNullObject: (name: string) => {
        const s = book.sheet(name);
        if (s) {
          const sm = book.sheetMock(book.ref(s));
          sm.isNullObject = false;
          return sm;
        }
        const m: any = new OfficeMockObject({ isNullObject: true });
        book.mocks.push(m);
        return m;
      },
      add: (name: string) => {
        let made: FakeSheet | undefined;
        book.queue(() => { made = book.addSheet(name); });
        return book.sheetMock({ name, peek: () => made, get: () => made ?? fail(`fake: sheet ${name} not added yet`) });
      },
      onChanged: { add: (h: (e: unknown) => unknown) => { book.collectionHandlers.push(h); return {}; } },
    };
    const workbook: any = {
      worksheets,
      names: { add: (name: string, reference: string) => { book.queue(() => book.names.push({ name, reference })); return {}; } },
      insertWorksheetsFromBase64: (base64: string, options?: Excel.InsertWorksheetOptions) => {
        if (book.apiMinor < 13) throw new Error('fake: insertWorksheetsFromBase64 needs ExcelApi 1.13');
        const result: any = { value: undefined };
        book.queue(async () => {
          result.value = await book.options.insertFromBase64!(book, base64, options);
        });
        return result;
      },
    };
    const ctx: any = {
      workbook,
      sync: async () => {
        book.syncs++;
        await book.flush();
      },
    };
    return ctx as Excel.RequestContext;
  }

  private async flush(): Promise<void> {
    // 1. Queued writes and method calls, in the order the code made them.
    const ops = this.queued;
    this.queued = [];
    this.writesPerSync.push(this.writes);
    this.writes = 0;
    for (const op of ops) await op();
    // 2. Loads resolve (office-addin-mock), settled through its async forEach.
    const mocks = this.mocks;
    this.mocks = [];
    for (const m of mocks) await m.sync();
    await new Promise((r) => setTimeout(r, 0));
  }

  /** The global `Excel` for code that calls Excel.run. */
  excelGlobal(): any {
    return {
      run: async (a: unknown, b?: unknown) => {
        const batch = (typeof a === 'function' ? a : b) as (ctx: Excel.RequestContext) => Promise<unknown>;
        return batch(this.context());
      },
      WorksheetPositionType: { end: 'End' },
      SheetVisibility: { hidden: 'Hidden', veryHidden: 'VeryHidden', visible: 'Visible' },
    };
  }
}

interface SheetRef {
  name: string;
  peek(): FakeSheet | undefined;
  get(): FakeSheet;
}

function fail(message: string): never {
  throw new Error(message);
}
