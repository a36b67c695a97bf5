// 导入评分细则 in the task pane outside Excel (Debian's Chromium, the built dist/ served on 127.0.0.1): a
// paste-shaped grid (an .xlsx with merged name cells, a 加分项 and a 扣分项 section) uploaded → the 评分细则
// sheet in the page (计分方式 a dropdown, 参数 typed, re-checked at once) → downloaded as a workbook, edited
// as a WPS/LibreOffice user would (计分方式 and 参数) and uploaded again → 生成打分表 → the downloaded
// workbook is the engine's for the edited rubric. Skips without Chromium. Screenshots: test-artifacts/import/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, readSheetWorkbook, rowsFromImport } from '../../src/import';
import { planWorkbook } from '../../src/layout';
import { readFilledWorkbook, verifyWorkbook } from '../../src/xlsx';
import { ARTIFACTS, type ChromiumPane, findChromium, openChromium, type StaticServer } from '../e2e/browser-kit';
import { xlsxFrom } from './ooxml-fixtures';
import { PASTED } from './sheet-grid';

const CHROMIUM = findChromium();
if (!CHROMIUM) console.warn('[import browser test] skipped: no Chromium (install Debian\'s `chromium`, or set CHROMIUM_PATH)');
const OUT = join(ARTIFACTS, 'import');

const tableRows = (page: Page) =>
  page.$$eval('#import-table tbody tr.criterion', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.querySelector('select, textarea') as HTMLTextAreaElement | null)?.value ?? td.textContent ?? '')));

/** The clerk's edit in WPS/LibreOffice: cells of the 评分细则 sheet by 编号 and header. */
async function editSheet(file: string, out: string, changes: { id: string; header: string; value: string }[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet('评分细则')!;
  const head = (ws.getRow(1).values as unknown[]).map(String);
  for (const c of changes) {
    ws.eachRow((r) => {
      if (String(r.getCell(head.indexOf('编号')).value) === c.id) r.getCell(head.indexOf(c.header)).value = c.value;
    });
  }
  await wb.xlsx.writeFile(out);
}

describe.skipIf(!CHROMIUM)('导入评分细则 in the browser page (Chromium)', () => {
  let server: StaticServer;
  let page: Page;
  let chrome: ChromiumPane | undefined;
  const errors: string[] = [];
  let pasted = '';
  const sheetFile = join(OUT, 'bianmin-2024-评分细则.xlsx');
  const edited = join(OUT, 'bianmin-2024-评分细则-改.xlsx');

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    pasted = join(OUT, 'bianmin-2024.xlsx');
    writeFileSync(pasted, await xlsxFrom([{ before: ['2024年度便民服务考核细则'], rows: PASTED, mergeCols: [0] }], ['注：满分100分折合10分。']));
    chrome = await openChromium({ locale: 'zh-CN', viewport: { width: 420, height: 1200 }, errors });
    ({ server, page } = chrome);
  }, 600_000); // a production build of dist/ on a loaded machine can take minutes

  afterAll(async () => {
    await chrome?.close();
  });

  it('reads the uploaded paste-shaped grid into the 评分细则 sheet', async () => {
    await page.goto(`${server.url}/taskpane.html`);
    await page.waitForSelector('body[data-mode="browser"]');
    await page.waitForSelector('#import-file', { state: 'attached' });
    expect(await page.textContent('#import-view h2')).toBe('导入评分细则');
    await page.setInputFiles('#import-file', pasted);
    await page.waitForSelector('#import-review:not([hidden])');
    const rows = await tableRows(page);
    expect(rows.map((r) => r.slice(0, 5))).toEqual([
      ['s1.1', '1.网上办理率', '20', PASTED[1][2], '分档'],
      ['s1.2', '2.按期办结率', '20', PASTED[2][2], '倒扣分'],
      ['s2.1', '1.窗口人员', '10', PASTED[3][2], '倒扣分'],
      ['s2.2', '2.投诉处理', '50', PASTED[4][2], '倒扣分'],
      ['s3.1', '工作创新', '—', PASTED[5][2], '累加'],
      ['s4.1', '违规行为', '—', PASTED[6][2], '累加'],
    ]);
    expect(rows[0][5]).toBe('90%以上20分；80%以上12分；70%以上6分');
    expect(rows[0][6]).toContain('“网上办理率达到90%以上的得20分”');
    expect(rows.map((r) => r[8])).toEqual(['✓', '✓', '✓', '✓', '✓', '✓']);
    // the dropdown holds the registry's kind names
    expect(await page.$$eval('#import-table tr[data-id="v1:s1.1"] select option', (os) => os.map((o) => o.textContent))).toEqual(['直接打分', '是否', '选项', '倒扣分', '累加', '按比例', '分档', '排名', '取最高']);
    expect(await page.textContent('#import-status')).toBe('已识别 6 条评分标准，其中 0 条需确认');
    // the same rows as in Node
    const node = rowsFromImport(await importFile('bianmin-2024.xlsx', new Uint8Array(readFileSync(pasted))))!;
    expect(rows.map((r) => r[5])).toEqual(node.rows.filter((r) => r.kind).map((r) => r.params));
    await page.screenshot({ path: join(OUT, '1-review.png'), fullPage: true });
  });

  it('a bad 参数 typed in the page is flagged at once, in its row; correcting it clears it', async () => {
    const cell = '#import-table tr[data-id="v1:s4.1"] textarea.import-params';
    await page.fill(cell, '看情况定');
    await page.dispatchEvent(cell, 'change');
    await page.waitForSelector('#import-table tr[data-id="v1:s4.1"].error');
    const row = (await tableRows(page))[5];
    expect(row[5]).toBe('看情况定');
    expect(row[8]).toBe('✗ 参数：s4.1：参数“看情况定”无法识别（没有可识别的计分文字）；请按“每次扣0.5分；扣完为止”“90%以上4分；70%以上1分”这样的写法填写');
    expect(await page.textContent('#import-status')).toBe('评分细则表有 1 处错误：改正后才能生成打分表');
    expect(await page.$eval('#import-generate', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await page.fill(cell, '违规行为：每次扣3分；不封顶');
    await page.dispatchEvent(cell, 'change');
    await page.waitForSelector('#import-table tr[data-id="v1:s4.1"]:not(.error)');
    expect((await tableRows(page))[5].slice(4, 9)).toEqual(['累加', '违规行为：每次扣3分；不封顶', '“违规行为：每次扣3分” “不封顶”', '', '✓']);
  });

  it('downloads the 评分细则 workbook; edited in WPS/LibreOffice and uploaded again, it makes the 打分表', async () => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#import-sheet')]);
    await dl.saveAs(sheetFile);
    expect(dl.suggestedFilename()).toBe('bianmin-2024-评分细则.xlsx');
    // the downloaded sheet holds the edit made in the page
    const back = await readSheetWorkbook(new Uint8Array(readFileSync(sheetFile)));
    expect(back && 'result' in back && back.result.rows.find((r) => r.id === 's4.1')!.params).toBe('违规行为：每次扣3分；不封顶');
    await editSheet(sheetFile, edited, [
      { id: 's1.2', header: '参数', value: '90%以上20分；60%以上10分' },
      { id: 's2.1', header: '计分方式', value: '直接打分' },
    ]);
    await page.setInputFiles('#import-file', edited);
    await page.waitForFunction(() => document.querySelector('#import-table tr[data-id="v1:s1.2"] select')?.getAttribute('data-col') === 'kind' && (document.querySelector('#import-table tr[data-id="v1:s1.2"] select') as HTMLSelectElement).value === '分档');
    const rows = await tableRows(page);
    expect(rows.map((r) => [r[0], r[4], r[8]])).toEqual([
      ['s1.1', '分档', '✓'], ['s1.2', '分档', '✓'], ['s2.1', '直接打分', '✓'], ['s2.2', '倒扣分', '✓'], ['s3.1', '累加', '✓'], ['s4.1', '累加', '✓'],
    ]);
    await page.screenshot({ path: join(OUT, '2-re-uploaded.png'), fullPage: true });
    await page.fill('#units-paste', '城关镇');
    await page.fill('#date', '2024-12-31');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#import-generate')]);
    const file = join(OUT, 'bianmin-2024-打分表.xlsx');
    await download.saveAs(file);
    expect(await page.$eval('#program', (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? '')).toContain('2024年度便民服务考核细则');
    const read = await readFilledWorkbook(readFileSync(file));
    expect(read.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(read.meta?.program).toMatchObject({ id: 'bianmin-2024', version: '0.1.0' });
    expect(read.units.map((u) => u.unit)).toEqual(['城关镇']);
    // the workbook is the engine's for the edited sheet, read in Node
    const node = await readSheetWorkbook(new Uint8Array(readFileSync(edited)));
    if (!node || !('result' in node)) throw new Error('edited sheet unreadable');
    const plan = planWorkbook(node.result.program!, [{ name: '城关镇', variant: 'v1' }], { date: '2024-12-31' });
    expect(verifyWorkbook(read, plan).filter((p) => p.severity === 'error')).toEqual([]);
    await page.screenshot({ path: join(OUT, '3-generated.png'), fullPage: true });
  });

  it('an uploaded sheet with an unknown 计分方式 says where, and makes nothing', async () => {
    const bad = join(OUT, 'bianmin-2024-评分细则-错.xlsx');
    await editSheet(sheetFile, bad, [{ id: 's2.2', header: '计分方式', value: '打分' }]);
    await page.setInputFiles('#import-file', bad);
    await page.waitForSelector('#import-table tr[data-id="v1:s2.2"].error');
    const row = (await tableRows(page))[3];
    expect(row[4]).toBe('打分');
    expect(row[8]).toBe('✗ 计分方式：s2.2：未知的计分方式“打分”，可选：直接打分、是否、选项、倒扣分、累加、按比例、分档、排名、取最高');
    expect(await page.$eval('#import-generate', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    expect(errors).toEqual([]);
  });
});
