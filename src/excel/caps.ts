// What the host and the loaded office.js can do. A feature is used only when the host reports its
// requirement set AND the library in the page has the API: the npm copy of office.js can lag behind the
// host (it has no Worksheet.notes although Microsoft 365 reports ExcelApi 1.18), and iPad reports 1.13
// without insertWorksheetsFromBase64. Sources: docs/ARCHITECTURE.md, "Office.js behaviour relied on".

/** Office.onReady's platform values that matter here ("OfficeOnline" is the web, "iOS" the iPad). */
export type HostPlatform = 'PC' | 'Mac' | 'OfficeOnline' | 'iOS' | 'Android' | 'Universal' | string | null;

export interface HostCaps {
  apiMinor: number;
  platform: HostPlatform;
  /** 1.14: WorksheetChangedEventArgs.triggerSource tells the add-in's own writes apart. */
  triggerSource: boolean;
  /** 1.18 and present in the loaded library: cell notes. */
  notes: boolean;
  /** 1.9: WorksheetCollection.onChanged / onSelectionChanged (one handler for every sheet). */
  collectionEvents: boolean;
  /** 1.8: context.runtime.enableEvents (the add-in's own batches fire no events). */
  enableEvents: boolean;
  /** 1.9: Worksheet.getRanges (formats on many cells in one call). */
  rangeAreas: boolean;
  /** 1.13, not on iPad, present in the library: insertWorksheetsFromBase64. */
  insertBase64: boolean;
  /** The web drops onChanged for values picked from a dropdown: re-check on selection change. */
  dropdownFallback: boolean;
  /** Largest request the host accepts (the web: 5 MB); the adapter stays well below. */
  requestLimit: number;
  /** 1.8 and present in the library: Excel.createWorkbook(base64) opens a file as a new workbook. */
  createWorkbook: boolean;
  /**
   * The pane can offer a file to download (a blob link). Not in Office for Mac or on iPad: their WKWebView
   * ignores it, "by design" (office-js #2700; #3385, #4681): there a file is opened as a new workbook instead.
   */
  downloads: boolean;
}

export const WEB_REQUEST_LIMIT = 5 * 1024 * 1024;
/** One sync carries at most this many bytes of writes (estimated): well inside the web's 5 MB. */
export const CHUNK_BYTES = 2 * 1024 * 1024;

/** True when the loaded library defines `prop` on the class (e.g. Excel.Worksheet, "notes"). */
export function libraryHas(ns: unknown, className: string, prop: string): boolean {
  const cls = (ns as Record<string, { prototype?: object } | undefined> | undefined)?.[className];
  let p: object | null | undefined = cls?.prototype;
  while (p) {
    if (Object.prototype.hasOwnProperty.call(p, prop)) return true;
    p = Object.getPrototypeOf(p);
  }
  return false;
}

/** The capabilities from the highest ExcelApi minor version, the platform and the loaded `Excel` namespace. */
export function hostCaps(apiMinor: number, platform: HostPlatform, excel: unknown): HostCaps {
  const web = platform === 'OfficeOnline';
  return {
    apiMinor,
    platform,
    triggerSource: apiMinor >= 14,
    notes: apiMinor >= 18 && libraryHas(excel, 'Worksheet', 'notes'),
    collectionEvents: apiMinor >= 9 && libraryHas(excel, 'WorksheetCollection', 'onChanged'),
    enableEvents: apiMinor >= 8 && libraryHas(excel, 'Runtime', 'enableEvents'),
    rangeAreas: apiMinor >= 9 && libraryHas(excel, 'Worksheet', 'getRanges'),
    insertBase64: apiMinor >= 13 && platform !== 'iOS' && libraryHas(excel, 'Workbook', 'insertWorksheetsFromBase64'),
    dropdownFallback: web,
    requestLimit: web ? WEB_REQUEST_LIMIT : 64 * 1024 * 1024,
    createWorkbook: apiMinor >= 8 && typeof (excel as { createWorkbook?: unknown } | undefined)?.createWorkbook === 'function',
    downloads: platform !== 'Mac' && platform !== 'iOS',
  };
}
