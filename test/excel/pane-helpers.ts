// The task pane in Excel mode without Excel, for the pane tests: the real pane code (shell, picker,
// excel-mode and its cards) on a linkedom document, Office.onReady reporting Excel on a platform, and the
// real office.js (Excel.run included) talking to the simulated host. linkedom lacks the form properties the
// pane reads (linkedom-forms.ts); `setFiles` gives a file input the files a clerk picked.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { vi } from 'vitest';
import { startApp } from '../../src/taskpane/app';
import { entryFromText, type CatalogEntry } from '../../src/taskpane/catalog';
import { boot, type OfficeLike } from '../../src/taskpane/shell';
import { ExcelHost } from './excel-host';
import { decodeXlsx } from './insert-xlsx';
import { formProperties } from './linkedom-forms';
import type { Platform } from './office-lib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HTML = readFileSync(join(ROOT, 'src', 'taskpane', 'taskpane.html'), 'utf8');
const RUBRICS = join(ROOT, 'rubrics');
const OFFICE_PLATFORM: Record<Platform, string> = { web: 'OfficeOnline', win32: 'PC', mac: 'Mac', ios: 'iOS' };

export async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface Pane {
  doc: Document;
  book: ExcelHost;
  /** Document settings the pane set (Office.context.document.settings). */
  settings: Map<string, unknown>;
  /** Round trips the pane's opening took. */
  openTrips: number;
  text(id: string): string;
  click(id: string): void;
  change(id: string, value: string): void;
  /** Types into a field (an input event). */
  fill(id: string, value: string): void;
  /** The files a clerk picked in a file input, then its change event. */
  setFiles(id: string, files: File[]): void;
}

/** The bundled rubrics as the pane's catalog, plus `extra`. */
export function bundledCatalog(extra: CatalogEntry[] = []): Promise<CatalogEntry[]> {
  const files = readdirSync(RUBRICS).filter((f) => f.endsWith('.yaml'));
  return Promise.resolve([...files.map((f) => entryFromText(f, readFileSync(join(RUBRICS, f), 'utf8'), true)), ...extra]);
}

/** Opens the pane over `book` (a workbook the host already holds); `url` is what Office.context.document.url says. */
export async function openPaneOn(book: ExcelHost, options: { extra?: CatalogEntry[]; url?: string } = {}): Promise<Pane> {
  const { window, document } = parseHTML(HTML);
  const win = window as any;
  formProperties(win);
  win.location = { search: '' };
  win.navigator = { languages: ['zh-CN'] };
  win.performance = { mark: () => undefined };
  (globalThis as any).Excel = book.excelGlobal();
  const settings = new Map<string, unknown>();
  // The pane builds events with the globals: use linkedom's, which its dispatchEvent accepts.
  (globalThis as any).CustomEvent = win.CustomEvent;
  const office = {
    HostType: { Excel: 'Excel' },
    onReady: () => Promise.resolve({ host: 'Excel', platform: OFFICE_PLATFORM[book.platform] }),
    context: {
      displayLanguage: 'zh-CN',
      requirements: { isSetSupported: (name: string, v?: string) => book.isSetSupported(name, v) },
      document: { ...(options.url ? { url: options.url } : {}), settings: { set: (k: string, v: unknown) => settings.set(k, v), saveAsync: () => undefined } },
    },
  };
  (globalThis as any).Office = office;
  const cat = bundledCatalog(options.extra);
  const trips = book.roundTrips;
  await boot(win, office as OfficeLike, async (info) => {
    await startApp(win, info, cat);
  });
  const doc = document as unknown as Document;
  const el = (id: string) => doc.getElementById(id) as any;
  return {
    doc,
    book,
    settings,
    openTrips: book.roundTrips - trips,
    text: (id) => doc.getElementById(id)?.textContent ?? '',
    click: (id) => el(id).dispatchEvent(new win.Event('click')),
    change: (id, value) => {
      el(id).value = value;
      el(id).dispatchEvent(new win.Event('change'));
    },
    fill: (id, value) => {
      el(id).value = value;
      el(id).dispatchEvent(new win.Event('input'));
    },
    setFiles: (id, files) => {
      Object.defineProperty(el(id), 'files', { value: files, configurable: true });
      el(id).dispatchEvent(new win.Event('change'));
    },
  };
}

/** The pane over a fresh workbook (one empty sheet), or over `existing` reopened (its handlers gone with the old pane). */
export async function openPane(apiMinor: number, extra: CatalogEntry[] = [], existing?: ExcelHost, platform: Platform = 'win32'): Promise<Pane> {
  const book = existing ?? new ExcelHost({ apiMinor, platform, decodeXlsx });
  if (!existing) book.addSheet('Sheet1');
  else book.paneClosed();
  return openPaneOn(book, { extra });
}

const NodeCustomEvent = globalThis.CustomEvent;
/** What each pane test puts back after itself (afterEach): the globals the pane set, the spies. */
export function resetPane(): void {
  vi.restoreAllMocks();
  delete (globalThis as any).Excel;
  delete (globalThis as any).Office;
  (globalThis as any).CustomEvent = NodeCustomEvent;
}
