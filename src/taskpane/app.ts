// The task pane's working part, started by shell.boot once the mode is known: the rubric catalog and
// the picker for every mode, then the Excel actions (excel-mode.ts) or the download/upload page
// (browser-mode.ts). zh-CN first; every visible string comes from i18n.ts or the engine's messages.
import { bundledRubrics } from './bundled';
import { loadCatalog, usable, type CatalogEntry } from './catalog';
import { t, type Lang, type MessageId } from './i18n';
import { Picker } from './picker';
import { setMessage, type StartInfo } from './shell';

export interface App {
  doc: Document;
  win: Window;
  info: StartInfo;
  picker: Picker;
  lang(): Lang;
  /** Shows a line in the status area (kind: ok / error / info). */
  say(id: MessageId, params?: Record<string, string | number>, kind?: 'ok' | 'error' | 'info'): void;
  fail(error: unknown): void;
  el<T extends HTMLElement = HTMLElement>(id: string): T;
  /** Runs an action with its button disabled, reporting errors. */
  busy(button: HTMLElement | null, fn: () => Promise<void>): Promise<void>;
}

export function makeApp(win: Window, info: StartInfo): App {
  const doc = win.document;
  const lang = () => info.state.lang;
  const el = <T extends HTMLElement = HTMLElement>(id: string) => doc.getElementById(id) as T;
  const say: App['say'] = (id, params = {}, kind = 'info') => {
    const m = el('message');
    m.className = `status ${kind === 'info' ? '' : kind}`.trim();
    setMessage(m, id, lang(), Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])));
  };
  const fail = (error: unknown) => {
    console.error('[dafen]', error);
    say('error.generic', { message: error instanceof Error ? error.message : String(error) }, 'error');
  };
  const app: App = {
    doc,
    win,
    info,
    picker: new Picker(doc, lang),
    lang,
    say,
    fail,
    el,
    async busy(button, fn) {
      if (button) (button as HTMLButtonElement).disabled = true;
      try {
        await fn();
      } catch (error) {
        fail(error);
      } finally {
        if (button) (button as HTMLButtonElement).disabled = false;
      }
    },
  };
  doc.addEventListener('dafen:lang', () => app.picker.relabel());
  wireFileControls(doc, lang);
  return app;
}

/**
 * File inputs are labelled by the pane itself (the browser's own "Choose File / No file chosen" speaks
 * the browser's language): the native input lies transparent over a button and the chosen file's name.
 */
export function wireFileControls(doc: Document, lang: () => Lang): void {
  for (const input of Array.from(doc.querySelectorAll<HTMLInputElement>('input.file-input'))) {
    const name = input.parentElement?.querySelector('.file-name');
    if (!name) continue;
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (file) {
        name.removeAttribute('data-i18n');
        name.textContent = file.name;
        name.setAttribute('title', file.name);
      } else setMessage(name, 'file.none', lang());
    });
  }
}

/** Picks the initial program: ?program=<id>&variant=<id> in the URL, else the first usable one. */
function initialSelection(app: App, entries: CatalogEntry[]): void {
  const q = new URLSearchParams(app.win.location.search);
  const id = q.get('program');
  if (!(id && app.picker.selectProgram(id))) {
    const first = entries.find((e) => e.is(DEFAULT_PROGRAM) && usable(e)) ?? entries.find(usable);
    if (first) app.picker.program.value = first.key;
    app.picker.renderProgram();
  }
  const v = q.get('variant');
  if (v) app.picker.selectVariant(v);
}

/** The rubric the pane shows first when nothing else is asked for. */
export const DEFAULT_PROGRAM = 'taiqian-2018';

/**
 * Starts fetching the bundled rubrics (their own chunk) and parses the one shown first, while office.js
 * is still getting ready: the two waits overlap instead of adding up.
 */
export function prepareCatalog(search = ''): Promise<CatalogEntry[]> {
  const wanted = new URLSearchParams(search).get('program') ?? DEFAULT_PROGRAM;
  return loadCatalog(bundledRubrics()).then((entries) => {
    void entries.find((e) => e.is(wanted))?.program;
    return entries;
  });
}

export async function startApp(win: Window, info: StartInfo, catalog?: Promise<CatalogEntry[]>): Promise<App | null> {
  if (info.mode === 'other-host') return null;
  const app = makeApp(win, info);
  app.picker.show();
  const entries = await (catalog ?? prepareCatalog(win.location.search));
  app.picker.setEntries(entries);
  initialSelection(app, entries);
  if (info.mode === 'browser') {
    const { startBrowser } = await import(/* webpackMode: "eager" */ './browser-mode');
    startBrowser(app);
  } else {
    const { startExcel } = await import(/* webpackMode: "eager" */ './excel-mode');
    await startExcel(app);
  }
  return app;
}

export function tr(app: App, id: MessageId, params: Record<string, string | number> = {}): string {
  return t(id, app.lang(), params);
}
