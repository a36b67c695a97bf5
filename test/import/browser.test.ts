// 导入评分细则 in the task pane outside Excel (Debian's Chromium, the built dist/ served on 127.0.0.1):
// upload a .docx holding a pasted-table-shaped grid (merged name cells, a 加分项 and a 扣分项 section, a
// 注 under the table) → the 评分细则 review table → 生成打分表 → the downloaded workbook is the engine's.
// Skips without Chromium. Screenshots go to test-artifacts/import/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, reviseCriterion } from '../../src/import';
import { planWorkbook } from '../../src/layout';
import { readFilledWorkbook, verifyWorkbook } from '../../src/xlsx';
import { ARTIFACTS, CHROMIUM_ARGS, ensureBuild, findChromium, serveDist, type StaticServer } from '../e2e/browser-kit';
import { docxFrom } from './ooxml-fixtures';

const CHROMIUM = findChromium();
if (!CHROMIUM) console.warn('[import browser test] skipped: no Chromium (install Debian\'s `chromium`, or set CHROMIUM_PATH)');
const OUT = join(ARTIFACTS, 'import');

const ROWS = [
  ['考核项目', '考核指标', '评分标准', '分值'],
  ['一、网上服务（40分）', '1.网上办理率', '网上办理率达到90%以上的得20分，80%以上的得12分，70%以上的得6分。', '20'],
  ['', '2.按期办结率', '按期办结率低于100%的，每低1个百分点扣0.5分。', '20'],
  ['二、窗口服务（60分）', '1.窗口人员', '每窗口配备两名工作人员，缺一人扣2分。', '10'],
  ['', '2.投诉处理', '有效投诉每件扣5分；被市级通报的，此项不得分。', '50'],
  ['三、加分项', '工作创新', '获省级表彰的每次加3分，市级每次加2分，最高加5分。', ''],
  ['四、扣分项', '违规行为', '发生违规行为被查实的，每次扣5分。', ''],
];

describe.skipIf(!CHROMIUM)('导入评分细则 in the browser page (Chromium)', () => {
  let server: StaticServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  let docx = '';

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    docx = join(OUT, 'bianmin-2024.docx');
    writeFileSync(docx, await docxFrom([{ before: ['2024年度便民服务考核细则'], rows: ROWS, mergeCols: [0] }], ['注：满分100分折合10分。']));
    ensureBuild();
    server = await serveDist();
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: CHROMIUM_ARGS });
    context = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true, locale: 'zh-CN', viewport: { width: 420, height: 1200 } });
    page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
  }, 300_000); // a production build of dist/ first when the sources are newer (minutes on a loaded machine)

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('reads the uploaded .docx into the 评分细则 review table', async () => {
    await page.goto(`${server.url}/taskpane.html`);
    await page.waitForSelector('body[data-mode="browser"]');
    await page.waitForSelector('#import-file', { state: 'attached' });
    expect(await page.textContent('#import-view h2')).toBe('导入评分细则');
    await page.setInputFiles('#import-file', docx);
    await page.waitForSelector('#import-review:not([hidden])');
    const rows = await page.$$eval('#import-table tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.querySelector('input')?.value ?? td.textContent ?? '')));
    expect(rows.map((r) => r.slice(0, 5))).toEqual([
      ['s1.1', '1.网上办理率', '20', ROWS[1][2], '分档'],
      ['s1.2', '2.按期办结率', '20', ROWS[2][2], '倒扣分'],
      ['s2.1', '1.窗口人员', '10', ROWS[3][2], '倒扣分'],
      ['s2.2', '2.投诉处理', '50', ROWS[4][2], '倒扣分'],
      ['s3.1', '工作创新', '—', ROWS[5][2], '累加'],
      ['s4.1', '违规行为', '—', ROWS[6][2], '累加'],
    ]);
    expect(rows[0][5]).toBe('90%以上20分；80%以上12分；70%以上6分');
    expect(rows[0][6]).toContain('“网上办理率达到90%以上的得20分”');
    expect(await page.textContent('#import-status')).toBe('已识别 6 条评分标准，其中 0 条需确认');
    // the same reading as in Node
    const node = await importFile('bianmin-2024.docx', new Uint8Array(readFileSync(docx)));
    expect(rows.map((r) => r[5])).toEqual(node.criteria.map((c) => c.params));
    await page.screenshot({ path: join(OUT, '1-review.png'), fullPage: true });
  });

  it('a rule corrected in words is read again at once', async () => {
    const cell = '#import-table tr[data-id="v1:s4.1"] input.import-params';
    await page.fill(cell, '违规行为：每次扣3分；不封顶');
    await page.dispatchEvent(cell, 'change');
    await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLInputElement)?.value === '违规行为：每次扣3分；不封顶', cell);
    const row = await page.$$eval('#import-table tr[data-id="v1:s4.1"] td', (tds) => tds.map((td) => td.querySelector('input')?.value ?? td.textContent ?? ''));
    expect(row[4]).toBe('累加');
    expect(row[5]).toBe('违规行为：每次扣3分；不封顶');
    expect(row[6]).toContain('“违规行为：每次扣3分”');
    expect(row[7]).toBe('');
  });

  it('生成打分表 adds the rubric to the picker and downloads its workbook', async () => {
    await page.fill('#units-paste', '城关镇');
    await page.fill('#date', '2024-12-31');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#import-generate')]);
    const file = join(OUT, 'bianmin-2024.xlsx');
    await download.saveAs(file);
    expect(await page.$eval('#program', (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? '')).toContain('2024年度便民服务考核细则');
    const read = await readFilledWorkbook(readFileSync(file));
    expect(read.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(read.meta?.program).toMatchObject({ id: 'bianmin-2024', version: '0.1.0' });
    expect(read.units.map((u) => u.unit)).toEqual(['城关镇']);
    const node = reviseCriterion(await importFile('bianmin-2024.docx', new Uint8Array(readFileSync(docx))), 'v1', 's4.1', '违规行为：每次扣3分；不封顶');
    const plan = planWorkbook(node.program!, [{ name: '城关镇', variant: 'v1' }], { date: '2024-12-31' });
    expect(verifyWorkbook(read, plan).filter((p) => p.severity === 'error')).toEqual([]);
    await page.screenshot({ path: join(OUT, '2-generated.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
