// The task pane shell: decides the mode (in Excel / in a plain browser), picks the language and renders
// the static parts. Plain DOM, no framework, to keep the initial script small. Every function takes what
// it needs as arguments (document, Office-like objects, storage) so unit tests can drive it without
// office.js or a real browser.
import {
  type Lang,
  type LangStorage,
  type MessageId,
  detectLang,
  isMessageId,
  loadStoredLang,
  otherLang,
  storeLang,
  t,
} from './i18n';

export type Mode = 'excel' | 'browser' | 'other-host';

/** What Office.onReady reports; host is null when the page is opened outside Office. */
export interface ReadyInfo {
  host: string | null;
  platform: string | null;
}

/** Minimal shape of the global Office object this module touches. */
export interface OfficeLike {
  onReady(): Promise<{ host?: string | null; platform?: string | null }>;
  HostType?: { Excel: string };
  context?: {
    displayLanguage?: string;
    requirements?: { isSetSupported(name: string, minVersion?: string): boolean };
  };
}

/** ExcelApi floor declared in manifest.xml (Worksheet.onChanged). */
export const EXCEL_API_FLOOR = '1.7';
/** Highest ExcelApi minor version probed at runtime. */
export const EXCEL_API_PROBE_MAX = 20;

/** Office.HostType.Excel ("Excel"), without requiring office.js to be loaded. */
export function excelHostType(office?: OfficeLike | null): string {
  return office?.HostType?.Excel ?? 'Excel';
}

export function decideMode(info: Partial<ReadyInfo> | null | undefined, office?: OfficeLike | null): Mode {
  const host = info?.host ?? null;
  if (host === null) return 'browser';
  return host === excelHostType(office) ? 'excel' : 'other-host';
}

/** Resolves with Office.onReady's info, or { host: null } when office.js is absent (e.g. it failed to load). */
export async function waitForOffice(office: OfficeLike | null | undefined): Promise<ReadyInfo> {
  if (!office || typeof office.onReady !== 'function') return { host: null, platform: null };
  const info = await office.onReady();
  return { host: info?.host ?? null, platform: info?.platform ?? null };
}

/** Features newer than the manifest's floor, probed with isSetSupported (see toolchain.md for the sets). */
export interface Capabilities {
  /** Highest supported ExcelApi version, e.g. "1.14"; null when nothing answered. */
  excelApi: string | null;
  dataValidation: boolean; // 1.8
  changeDetails: boolean; // 1.9 (single-cell details on onChanged)
  pageLayout: boolean; // 1.9
  customProperties: boolean; // 1.12 Worksheet.customProperties
  insertWorksheetsFromBase64: boolean; // 1.13
  triggerSource: boolean; // 1.14 tells the add-in's own writes apart
}

export type IsSetSupported = (name: string, minVersion?: string) => boolean;

export function detectCapabilities(isSetSupported: IsSetSupported): Capabilities {
  const has = (minor: number): boolean => {
    try {
      return isSetSupported('ExcelApi', `1.${minor}`);
    } catch {
      return false;
    }
  };
  let top = 0;
  for (let minor = 1; minor <= EXCEL_API_PROBE_MAX; minor++) {
    if (has(minor)) top = minor;
    else break; // requirement sets are cumulative
  }
  return {
    excelApi: top > 0 ? `1.${top}` : null,
    dataValidation: top >= 8,
    changeDetails: top >= 9,
    pageLayout: top >= 9,
    customProperties: top >= 12,
    insertWorksheetsFromBase64: top >= 13,
    triggerSource: top >= 14,
  };
}

// ---------------------------------------------------------------------------------------------------
// DOM rendering. Elements carry data-i18n="<id>" (text), data-i18n-title="<id>" (title attribute) and,
// for messages with placeholders, data-i18n-params='{"name":"value"}' so a language switch re-renders them.

function readParams(el: Element): Record<string, string> {
  const raw = el.getAttribute('data-i18n-params');
  if (!raw) return {};
  try {
    return JSON.parse(raw) as Record<string, string>;
  } catch {
    return {};
  }
}

export function applyTranslations(root: ParentNode, lang: Lang): void {
  for (const el of Array.from(root.querySelectorAll('[data-i18n]'))) {
    const id = el.getAttribute('data-i18n') ?? '';
    if (isMessageId(id)) el.textContent = t(id, lang, readParams(el));
  }
  for (const el of Array.from(root.querySelectorAll('[data-i18n-title]'))) {
    const id = el.getAttribute('data-i18n-title') ?? '';
    if (isMessageId(id)) el.setAttribute('title', t(id, lang));
  }
}

/** Sets a translated message with parameters on an element, remembering them for later switches. */
export function setMessage(el: Element, id: MessageId, lang: Lang, params: Record<string, string> = {}): void {
  el.setAttribute('data-i18n', id);
  if (Object.keys(params).length > 0) el.setAttribute('data-i18n-params', JSON.stringify(params));
  else el.removeAttribute('data-i18n-params');
  el.textContent = t(id, lang, params);
}

export function setLanguage(doc: Document, lang: Lang): void {
  doc.documentElement.lang = lang === 'zh-CN' ? 'zh-CN' : 'en';
  applyTranslations(doc, lang);
}

export interface ModeDetails {
  host?: string | null;
  capabilities?: Capabilities | null;
}

/** Shows the section for the mode ([data-mode]), hides the loading line and fills mode-specific text. */
export function showMode(doc: Document, mode: Mode, lang: Lang, details: ModeDetails = {}): void {
  for (const section of Array.from(doc.querySelectorAll<HTMLElement>('[data-mode]'))) {
    section.hidden = section.dataset.mode !== mode;
  }
  const boot = doc.getElementById('boot');
  if (boot) boot.hidden = true;

  if (mode === 'excel') {
    const api = doc.getElementById('excel-api');
    const caps = details.capabilities;
    if (api && caps?.excelApi) setMessage(api, 'mode.excel.api', lang, { version: caps.excelApi });
    const old = doc.getElementById('excel-old-api');
    if (old) {
      old.hidden = !caps || caps.insertWorksheetsFromBase64;
      setMessage(old, 'mode.excel.oldApi', lang, { version: '1.13' });
    }
  } else if (mode === 'other-host') {
    const intro = doc.getElementById('other-host-intro');
    if (intro) setMessage(intro, 'mode.otherHost.intro', lang, { host: details.host ?? '?' });
  }
  doc.body.dataset.mode = mode;
}

export function showBootError(doc: Document, lang: Lang, error: unknown): void {
  const boot = doc.getElementById('boot');
  if (!boot) return;
  boot.hidden = false;
  boot.classList.add('error');
  setMessage(boot, 'boot.failed', lang, { message: error instanceof Error ? error.message : String(error) });
}

/** Language state shared by the toggle and the renderers. */
export interface LangState {
  lang: Lang;
  /** True once the clerk picked a language with the toggle: Office's display language no longer overrides it. */
  explicit: boolean;
}

export function bindLanguageToggle(
  doc: Document,
  button: HTMLElement | null,
  state: LangState,
  storage: LangStorage | null,
  onChange?: (lang: Lang) => void,
): void {
  if (!button) return;
  button.addEventListener('click', () => {
    state.lang = otherLang(state.lang);
    state.explicit = true;
    storeLang(storage, state.lang);
    setLanguage(doc, state.lang);
    onChange?.(state.lang);
  });
}

function safeLocalStorage(win: Window): LangStorage | null {
  try {
    return win.localStorage;
  } catch {
    return null;
  }
}

/**
 * Boots the pane: language first (so the loading line is right), then Office.onReady decides the mode.
 * When ready, body[data-mode] is set, a performance mark "dafen-ready" is recorded and a "dafen:ready"
 * event fires on the document (browser tests and `npm run bench` wait for it).
 */
export interface StartInfo {
  mode: Mode;
  capabilities: Capabilities | null;
  state: LangState;
  /** Office.onReady's platform ("PC", "Mac", "OfficeOnline", "iOS"…), null outside Office. */
  platform?: string | null;
}

export async function boot(
  win: Window,
  office: OfficeLike | null | undefined,
  start?: (info: StartInfo) => Promise<void>,
): Promise<Mode> {
  const doc = win.document;
  const storage = safeLocalStorage(win);
  const stored = loadStoredLang(storage);
  const state: LangState = {
    lang: detectLang({ stored, navigatorLanguages: win.navigator?.languages }),
    explicit: stored !== undefined,
  };
  setLanguage(doc, state.lang);
  bindLanguageToggle(doc, doc.getElementById('lang-toggle'), state, storage, (lang) =>
    doc.dispatchEvent(new CustomEvent('dafen:lang', { detail: { lang } })),
  );

  try {
    const info = await waitForOffice(office);
    const mode = decideMode(info, office);
    let capabilities: Capabilities | null = null;
    if (mode !== 'browser' && office?.context) {
      if (!state.explicit) {
        state.lang = detectLang({
          officeDisplayLanguage: office.context.displayLanguage,
          navigatorLanguages: win.navigator?.languages,
        });
        setLanguage(doc, state.lang);
      }
      const req = office.context.requirements;
      if (mode === 'excel' && req) capabilities = detectCapabilities((n, v) => req.isSetSupported(n, v));
    }
    showMode(doc, mode, state.lang, { host: info.host, capabilities });
    // Ready means usable: the app part (rubric catalog, workbook state, handlers) has started too.
    if (start) await start({ mode, capabilities, state, platform: info.platform });
    win.performance?.mark?.('dafen-ready');
    doc.dispatchEvent(new CustomEvent('dafen:ready', { detail: { mode, capabilities } }));
    return mode;
  } catch (error) {
    showBootError(doc, state.lang, error);
    throw error;
  }
}
