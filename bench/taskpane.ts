/**
 * Task pane bench: the initial script's size (gzip, what the pane downloads before it can work; office.js
 * and the on-demand chunks — ExcelJS, the .xlsx outlet, the bundled rubrics — listed apart) and the time
 * from navigation start to the pane's "dafen-ready" mark in Debian's Chromium (production build served
 * over HTTPS on 127.0.0.1, fresh browser context each round). Targets: ≤ 150 KB gzip, ready ≤ 1 s.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, DIST, ensureBuild, findChromium, serveDist } from '../test/e2e/browser-kit';
import type { BenchResult } from './run';
import { median } from './run';

const ROUNDS = 7;
const SIZE_TARGET_KB = 150;
const READY_TARGET_MS = 1000;

const gz = (file: string): number => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (n: number): number => Math.round((n / 1024) * 10) / 10;

/** Scripts taskpane.html loads up front, except office.js (Microsoft's, loaded from the same origin). */
export function initialScripts(html: string): string[] {
  return [...html.matchAll(/<script[^>]*\ssrc=["']?([^"'?\s>]+)/g)].map((m) => m[1]).filter((src) => !src.startsWith('office/'));
}

export async function run(): Promise<BenchResult> {
  ensureBuild();
  const html = readFileSync(join(DIST, 'taskpane.html'), 'utf8');
  const initial = initialScripts(html);
  const initialGz = initial.reduce((n, f) => n + gz(join(DIST, f)), 0);
  const lazy = readdirSync(DIST).filter((f) => f.endsWith('.js') && !initial.includes(f) && f !== 'commands.js');
  const rows: BenchResult['rows'] = [
    { metric: `initial script gzip (${initial.join(', ')})`, value: kb(initialGz), unit: 'KB' },
    { metric: 'office.js gzip (not counted)', value: kb(gz(join(DIST, 'office', 'office.js'))), unit: 'KB' },
    ...lazy.map((f) => ({ metric: `on demand: ${f.replace(/\.[0-9a-f]{8}\.js$/, '')} gzip`, value: kb(gz(join(DIST, f))), unit: 'KB' })),
  ];
  const notes: string[] = [];
  const exe = findChromium();
  let ready: number | null = null;
  if (!exe) {
    notes.push('ready time not measured: no Chromium (install Debian\'s chromium or set CHROMIUM_PATH)');
  } else {
    const server = await serveDist();
    const browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS });
    const times: number[] = [];
    const loads: number[] = [];
    try {
      for (let i = 0; i < ROUNDS + 1; i++) {
        const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'zh-CN' });
        const page = await context.newPage();
        await page.goto(`${server.url}/taskpane.html`);
        await page.waitForFunction(() => performance.getEntriesByName('dafen-ready').length > 0, undefined, { timeout: 30_000 });
        const t = await page.evaluate(() => ({
          ready: performance.getEntriesByName('dafen-ready')[0].startTime,
          load: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd,
        }));
        if (i > 0) {
          // round 0 warms the browser process itself
          times.push(t.ready);
          loads.push(t.load);
        }
        await context.close();
      }
    } finally {
      await browser.close();
      await server.close();
    }
    ready = median(times);
    rows.push(
      { metric: `page load → ready, median of ${ROUNDS}`, value: Math.round(ready), unit: 'ms' },
      { metric: 'page load → ready, slowest', value: Math.round(Math.max(...times)), unit: 'ms' },
      { metric: 'page load → load event, median', value: Math.round(median(loads)), unit: 'ms' },
    );
    notes.push(`${server.https ? 'HTTPS' : 'HTTP'} on 127.0.0.1, production build, outside-Excel mode (Office.onReady with no host), rubric catalog loaded before ready`);
  }
  const met = kb(initialGz) <= SIZE_TARGET_KB && (ready === null || ready <= READY_TARGET_MS);
  return {
    name: 'Task pane: initial bundle and time to ready (Chromium)',
    rows,
    target: { text: `initial script ≤ ${SIZE_TARGET_KB} KB gzip, ready ≤ ${READY_TARGET_MS} ms`, met },
    notes,
  };
}
