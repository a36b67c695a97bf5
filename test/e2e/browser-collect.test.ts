// 分发 / 收集 on the page outside Excel, in Debian's Chromium with the built dist/ and the real office.js:
// upload a 台前 master (自评 + 3 raters) → download the raters' pieces as one zip; fill them as raters
// would (one value differing from the master's), upload master + pieces + a duplicate + a foreign file →
// download the merged workbook: every value in its rater's column, the conflict listed and kept as the
// master's, the duplicate and the foreign file refused by name. Skipped without Chromium.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandId, Raw } from '../../src/engine';
import { planWorkbook } from '../../src/layout';
import { writeWorkbook } from '../../src/xlsx';
import { identityProblem, quickRead } from '../../src/collect';
import { randomInputs } from '../layout/helpers';
import { fill, taiqian } from '../collect/helpers';
import { ARTIFACTS, type ChromiumPane, findChromium, openChromium, type StaticServer } from './browser-kit';

const CHROMIUM = findChromium();
if (!CHROMIUM) console.warn('[browser collect test] skipped: no Chromium (install Debian\'s `chromium`, or set CHROMIUM_PATH)');

const OUT = join(ARTIFACTS, 'browser-collect');
const program = taiqian();
const UNITS = ['县安监局', '县残联', '城关镇'];
const RATERS: HandId[] = ['rater1', 'rater2', 'rater3'];
const listed = UNITS.map((n) => program.units!.find((u) => u.name === n)!).map((u) => ({ name: u.name, variant: u.variant, tags: [] }));
const typed = Object.fromEntries(RATERS.map((h, i) => [h, Object.fromEntries(randomInputs(program, listed, 900 + i).map((u) => [u.name, u.inputs]))])) as Record<HandId, Record<string, Record<string, Raw>>>;

describe.skipIf(!CHROMIUM)('分发 / 收集 outside Excel (Chromium)', () => {
  let server: StaticServer;
  let page: Page;
  let chrome: ChromiumPane | undefined;
  const errors: string[] = [];
  const masterFile = join(OUT, '台前.xlsx');
  let conflictKey = '';
  const pieceFiles: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    chrome = await openChromium({ locale: 'zh-CN', viewport: { width: 420, height: 900 }, errors });
    ({ server, page } = chrome);
    // rater1 of 县残联 already has one figure in the master (typed by the office), differing from what comes back.
    conflictKey = Object.keys(typed.rater1['县残联']).find((k) => typeof typed.rater1['县残联'][k] === 'number')!;
    const assessment = { self: true, raters: { count: 3, aggregate: 'mean' as const, on: 'criterion' as const } };
    writeFileSync(masterFile, await writeWorkbook(planWorkbook(program, UNITS.map((u) => ({ name: u, hands: u === '县残联' ? { rater1: { [conflictKey]: (typed.rater1[u][conflictKey] as number) + 1 } } : {} })), { date: '2019-01-15', assessment })));
    await page.goto(`${server.url}/taskpane.html`);
    await page.waitForSelector('body[data-mode="browser"]');
    await page.waitForSelector('#collect-view');
  }, 300_000);

  afterAll(async () => {
    await chrome?.close();
  });

  it('分发: the master → one zip with a piece per rater, each with its identity', async () => {
    await page.setInputFiles('#collect-split-master', masterFile);
    await page.selectOption('#collect-by', 'rater');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#collect-split')]);
    expect(download.suggestedFilename()).toBe('台前-分发.zip');
    const zipFile = join(OUT, '台前-分发.zip');
    await download.saveAs(zipFile);
    await page.waitForSelector('#collect-split-status.ok');
    const zip = await JSZip.loadAsync(readFileSync(zipFile));
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual(['台前-评委1.xlsx', '台前-评委2.xlsx', '台前-评委3.xlsx']);
    for (const [i, name] of names.entries()) {
      const bytes = await zip.file(name)!.async('uint8array');
      const read = await quickRead(bytes);
      expect(read!.meta!.piece).toMatchObject({ hand: RATERS[i], units: UNITS });
      expect(identityProblem(read!.meta!)).toBeNull();
      const f = join(OUT, name);
      writeFileSync(f, await fill(bytes, typed[RATERS[i]]));
      pieceFiles.push(f);
    }
    await page.screenshot({ path: join(OUT, '1-split.png'), fullPage: true });
  });

  it('收集: master + returned files → the merged workbook and the report; conflict kept, duplicate and foreign refused', async () => {
    const foreign = join(OUT, '名单.xlsx');
    writeFileSync(foreign, '单位,得分\n县残联,90\n');
    const dup = join(OUT, '台前-评委2-再交.xlsx');
    writeFileSync(dup, readFileSync(pieceFiles[1]));
    await page.setInputFiles('#collect-merge-master', masterFile);
    await page.setInputFiles('#collect-merge-pieces', [...pieceFiles, dup, foreign]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#collect-merge')]);
    expect(download.suggestedFilename()).toBe('台前-合并.xlsx');
    const mergedFile = join(OUT, '台前-合并.xlsx');
    await download.saveAs(mergedFile);
    await page.waitForSelector('#collect-report li');
    const report = await page.$$eval('#collect-report li', (lis) => lis.map((li) => ({ file: (li as HTMLElement).dataset.file, status: (li as HTMLElement).dataset.status, conflict: (li as HTMLElement).dataset.conflict, text: li.textContent ?? '' })));
    const status = Object.fromEntries(report.filter((r) => r.file).map((r) => [r.file, r.status]));
    expect(status).toEqual({ '台前-评委1.xlsx': 'taken', '台前-评委2.xlsx': 'taken', '台前-评委3.xlsx': 'taken', '台前-评委2-再交.xlsx': 'collect.duplicate', '名单.xlsx': 'collect.notOurs' });
    expect(report.find((r) => r.file === '名单.xlsx')!.text).toContain('名单.xlsx');
    const conflicts = report.filter((r) => r.conflict);
    expect(conflicts.map((c) => c.conflict)).toEqual([`县残联|rater1|${conflictKey}`]);
    expect(conflicts[0].text).toContain('保留打分表中的值');
    const merged = await quickRead(new Uint8Array(readFileSync(mergedFile)));
    expect(merged).not.toBeNull();
    for (const u of merged!.units) {
      for (const h of RATERS) {
        const want = { ...typed[h][u.unit] };
        if (h === 'rater1' && u.unit === '县残联') want[conflictKey] = (typed.rater1[u.unit][conflictKey] as number) + 1;
        expect(u.hands![h], `${u.unit} ${h}`).toEqual(want);
      }
    }
    await page.screenshot({ path: join(OUT, '2-merged.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
