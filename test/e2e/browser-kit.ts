// Shared by the browser tests and `npm run bench`: a tiny static HTTPS server for dist/ on 127.0.0.1
// (self-signed certificate from `selfsigned`, which webpack-dev-server brings; plain HTTP if that fails),
// the Debian Chromium path, a production build when dist/ is missing, and (openChromium) all of it with a
// page that collects the console's errors.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = join(ROOT, 'dist');
export const ARTIFACTS = join(ROOT, 'test-artifacts');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** The Chromium to drive: $CHROMIUM_PATH, else Debian's. null when none is installed. */
export function findChromium(): string | null {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && existsSync(p)) return p;
  }
  return null;
}

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Written after each build: webpack leaves unchanged files untouched (compareBeforeEmit), so their times do not tell. */
const STAMP = join(DIST, '.build-stamp');

function fresh(): boolean {
  const js = join(DIST, 'taskpane.js');
  if (!existsSync(join(DIST, 'taskpane.html')) || !existsSync(js)) return false;
  const sources = Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'rubrics')), statSync(join(ROOT, 'webpack.config.js')).mtimeMs);
  return Math.max(statSync(js).mtimeMs, existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0) >= sources;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds dist/ (production) unless a build newer than the sources (src/, rubrics/, the config) is there.
 * Test files run in parallel workers: a lock directory makes the second one wait for the first build
 * instead of building the same dist/ at the same time.
 */
export function ensureBuild(): void {
  const lock = join(ROOT, '.cache', 'dist-build.lock');
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    if (fresh()) return;
    try {
      mkdirSync(lock);
    } catch {
      // Another worker builds; a lock older than 15 minutes is left over from a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      sleep(500);
      continue;
    }
    try {
      if (!fresh()) {
        execFileSync(process.execPath, [join(ROOT, 'node_modules', 'webpack', 'bin', 'webpack.js'), '--mode', 'production'], {
          cwd: ROOT,
          stdio: 'inherit',
          env: { ...process.env, NODE_OPTIONS: '' },
        });
        writeFileSync(STAMP, new Date().toISOString());
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
    return;
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.xml': 'application/xml',
  '.json': 'application/json',
  '.map': 'application/json',
};

export interface StaticServer {
  url: string;
  https: boolean;
  close(): Promise<void>;
}

export async function serveDist(root = DIST): Promise<StaticServer> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path === '/' ? 'taskpane.html' : path));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  };
  let server: ReturnType<typeof createHttp>;
  let https = false;
  try {
    type Generate = (attrs: { name: string; value: string }[], opts: { days: number; keySize: number }) => unknown;
    const selfsigned = (await import('selfsigned')) as unknown as { default?: { generate: Generate }; generate?: Generate };
    const generate = (selfsigned.generate ?? selfsigned.default?.generate)!;
    const pems = (await generate([{ name: 'commonName', value: '127.0.0.1' }], { days: 2, keySize: 2048 })) as { private: string; cert: string };
    server = createHttps({ key: pems.private, cert: pems.cert }, handler) as unknown as ReturnType<typeof createHttp>;
    https = true;
  } catch {
    server = createHttp(handler);
  }
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${https ? 'https' : 'http'}://127.0.0.1:${port}`,
    https,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

export interface ChromiumPane {
  server: StaticServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * dist/ built when needed and served, Chromium launched, one context (downloads accepted, the certificate
 * trusted) and one page whose console errors and uncaught exceptions go into `errors`. `init` runs on the
 * context before the page opens (e.g. an init script).
 */
export async function openChromium(options: { locale: string; viewport: { width: number; height: number }; errors: string[]; init?: (context: BrowserContext) => Promise<void> }): Promise<ChromiumPane> {
  const exe = findChromium();
  if (!exe) throw new Error('no Chromium: the browser tests skip without it');
  ensureBuild();
  const server = await serveDist();
  const browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true, locale: options.locale, viewport: options.viewport });
  await options.init?.(context);
  const page = await context.newPage();
  page.on('console', (m) => void (m.type() === 'error' && options.errors.push(m.text())));
  page.on('pageerror', (e) => options.errors.push(String(e)));
  return {
    server, browser, context, page,
    close: async () => {
      await context.close();
      await browser.close();
      await server.close();
    },
  };
}
