// The real Excel JavaScript library from @microsoft/office-js, loaded in Node. The platform's host script
// (excel-web-16.00.js, excel-win32-16.01.js, …: the same files office.js fetches inside Excel) runs in a
// vm context with the few browser globals it touches. Every RequestContext it creates sends its batches to
// the request executor of the current simulated host (excel-host.ts) instead of Excel: the library builds
// the real request messages (object paths and actions), checks requirement sets through
// Office.context.requirements, tracks loads and null objects, and raises its own errors, exactly as in a
// task pane. Events come back through the library's own rich-API message entry point.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

export type Platform = 'web' | 'win32' | 'mac' | 'ios';

const FILES: Record<Platform, string> = {
  web: 'excel-web-16.00.js',
  win32: 'excel-win32-16.01.js',
  mac: 'excel-mac-16.00.js',
  ios: 'excel-ios-16.00.js',
};

/** What a simulated host provides to the library. */
export interface HostBinding {
  executeAsync(customData: unknown, flags: number, message: { Url: string; Headers: Record<string, string>; Body: unknown }): Promise<unknown>;
  isSetSupported(name: string, version?: string): boolean;
}

export interface OfficeLib {
  platform: Platform;
  Excel: any;
  OfficeExtension: any;
  /** The host answering the library's requests from now on. */
  bind(host: HostBinding): void;
  /** Delivers a rich-API event message (what Excel posts to the pane when a change happens). */
  raise(eventType: number, targetId: string, args: Record<string, unknown>): void;
}

const cache = new Map<Platform, OfficeLib>();

export function officeDist(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@microsoft/office-js/package.json')), 'dist');
}

export function loadOfficeLib(platform: Platform = 'win32'): OfficeLib {
  const hit = cache.get(platform);
  if (hit) return hit;
  const src = readFileSync(join(officeDist(), FILES[platform]), 'utf8');
  let host: HostBinding | null = null;
  const requirements = { isSetSupported: (name: string, version?: string) => (host ? host.isSetSupported(name, version) : false) };
  const win: any = {
    navigator: { userAgent: 'Node', language: 'zh-CN' },
    location: { href: 'https://localhost/taskpane.html', protocol: 'https:', hostname: 'localhost', host: 'localhost', search: '', hash: '', pathname: '/taskpane.html' },
    document: {
      getElementsByTagName: () => [],
      createElement: () => ({ setAttribute() {}, style: {}, appendChild() {} }),
      addEventListener() {},
      readyState: 'complete',
      cookie: '',
    },
    addEventListener() {},
    removeEventListener() {},
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    console: { log() {}, warn() {}, error() {}, info() {} },
    JSON,
    Promise,
    Math,
    Date,
    performance: { now: () => Date.now() },
  };
  win.window = win;
  win.self = win;
  const ctx = vm.createContext(win);
  vm.runInContext(src, ctx, { filename: FILES[platform] });
  // The library asks Office.context.requirements whether the host has an API set (throwIfApiNotSupported).
  win.Office = { ...(win.Office ?? {}), context: { requirements } };
  const Excel = win.Excel;
  const OfficeExtension = win.OfficeExtension;
  if (!Excel?.RequestContext || !OfficeExtension?.ClientRequestContext) throw new Error(`${FILES[platform]}: no Excel.RequestContext`);
  // Replace the request executor: batches go to the bound host.
  const proto = OfficeExtension.ClientRequestContext.prototype;
  proto.ensureRequestUrlAndHeaderInfo = function (this: any) {
    if (!host) throw new Error('office-lib: no host bound');
    const bound = host;
    this.m_requestUrlAndHeaderInfo = { url: 'local', headers: {} };
    this._requestExecutor = { executeAsync: (c: unknown, f: number, m: any) => bound.executeAsync(c, f, m) };
    return Promise.resolve();
  };
  // Event registration becomes ready at once (the rich-API channel is the host itself).
  OfficeExtension._testSetRichApiMessageReadyImpl(() => Promise.resolve());
  const lib: OfficeLib = {
    platform,
    Excel,
    OfficeExtension,
    bind: (h) => {
      host = h;
    },
    raise: (eventType, targetId, args) => {
      OfficeExtension._testTriggerRichApiMessageEvent({
        entries: [{ messageCategory: 65536, messageType: eventType, targetId, message: JSON.stringify(args) }],
      });
    },
  };
  cache.set(platform, lib);
  return lib;
}
