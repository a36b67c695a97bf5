// The task pane at the width Excel gives it (320 px), outside Excel, in Chromium, in both languages:
// nothing hides behind horizontal scrolling; switching the language keeps every choice; English mode is
// English everywhere, including statuses and the file and date controls (labelled by the pane, not by
// the browser's locale); the summary shows 名次, 单位, 总分, 状态 and opens a unit for the rest with its
// 备注 and 扣分依据 per criterion; after an upload the corrected workbook and the 汇总 are offered.
// Screenshots go to test-artifacts/pane-320/ (gitignored).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSheet, findVariant, fmt, loadProgram, scoreCohort, type Program } from '../../src/engine';
import { planWorkbook } from '../../src/layout';
import { readFilledWorkbook, verifyWorkbook, writeWorkbook } from '../../src/xlsx';
import { correctedPlan } from '../../src/taskpane/browser-mode';
import { ARTIFACTS, type ChromiumPane, findChromium, openChromium, ROOT, type StaticServer } from './browser-kit';

const CHROMIUM = findChromium();
if (!CHROMIUM) console.warn('[pane 320 px] skipped: no Chromium (install Debian\'s `chromium`, or set CHROMIUM_PATH)');

const program: Program = loadProgram(readFileSync(join(ROOT, 'rubrics', 'taiqian-2018.yaml'), 'utf8')).program!;
const towns = (program.units ?? []).filter((u) => u.variant === 'town').map((u) => u.name);
const OUT = join(ARTIFACTS, 'pane-320');
const CJK = /[\u3400-\u9fff]/;
/** Percent inputs hold the fraction Excel stores for 85% (0.85); a number above 1 is an input error (issue 9). */
const PERCENT = new Set(compileSheet(program, findVariant(program, 'town')!, { name: towns[0] }).inputs.filter((s) => s.type === 'percent').map((s) => s.key));

/** A filled 乡镇 workbook: every input, one bad value on the second town, a 扣分依据 on the first. */
async function filledWorkbook(file: string): Promise<{ bad: string; reason: string }> {
  const plan = planWorkbook(program, towns.map((name) => ({ name, variant: 'town' })), { date: '2019-01-15' });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await writeWorkbook(plan)) as unknown as ArrayBuffer);
  plan.meta.sheets.forEach((s, i) => {
    for (const inp of s.inputs) {
      const v = /#(yes|leader|staff)$/.test(inp.key) || inp.key.startsWith('veto#') ? (i % 3 === 0 ? '否' : '是') : /#value$/.test(inp.key) ? (PERCENT.has(inp.key) ? (70 + i) / 100 : 70 + i) : i + 1;
      wb.getWorksheet(s.name)!.getCell(inp.address).value = v;
    }
  });
  const second = plan.meta.sheets[1];
  const bad = second.inputs.find((x) => /#yes$/.test(x.key))!;
  wb.getWorksheet(second.name)!.getCell(bad.address).value = '也许';
  const reason = '现场查看：未设置政务公开栏（附照片2张）';
  const first = plan.meta.sheets[0];
  wb.getWorksheet(first.name)!.getCell(first.remarks![0].address).value = reason;
  writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
  return { bad: bad.key, reason };
}

describe.skipIf(!CHROMIUM)('task pane at 320 px (Chromium, both languages)', () => {
  let server: StaticServer;
  let page: Page;
  let chrome: ChromiumPane | undefined;
  const errors: string[] = [];

  /** Page and every scrolling box fit the width: nothing behind a horizontal scrollbar. */
  const overflow = () => page.evaluate(() => {
    const out: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) out.push(`page ${root.scrollWidth} > ${root.clientWidth}`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('main *'))) {
      if (el.offsetParent === null) continue;
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible' && el.tagName !== 'SELECT') out.push(`${el.tagName}#${el.id}.${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
      const r = el.getBoundingClientRect();
      if (r.right > root.clientWidth + 1 && r.width > 0) out.push(`${el.tagName}#${el.id}.${el.className} ends at ${Math.round(r.right)}`);
    }
    return out;
  });

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    // The browser's own locale is English: in the Chinese pane nothing may say "Choose File" or "mm/dd/yyyy".
    chrome = await openChromium({ locale: 'en-US', viewport: { width: 320, height: 720 }, errors, init: async (context) => {
      await context.addInitScript(() => {
        try {
          if (!sessionStorage.getItem('seeded')) {
            localStorage.setItem('dafen.lang', 'zh-CN');
            sessionStorage.setItem('seeded', '1');
          }
        } catch {
          // a download's document has no storage
        }
      });
    } });
    ({ server, page } = chrome);
    await page.goto(`${server.url}/taskpane.html`);
    await page.waitForSelector('body[data-mode="browser"]');
    await page.waitForFunction(() => performance.getEntriesByName('dafen-ready').length > 0);
  }, 300_000);

  afterAll(async () => {
    await chrome?.close();
  });

  it('switching the language keeps the program, variant, ticked units, pasted units and date', async () => {
    expect(await page.textContent('h1')).toBe('打分');
    await page.selectOption('#program', 'builtin:taiqian-2018.yaml');
    await page.selectOption('#variant', 'town');
    await page.uncheck(`#unit-list input[value="${towns[1]}"]`);
    await page.uncheck(`#unit-list input[value="${towns[3]}"]`);
    await page.fill('#units-paste', '新设单位甲\n新设单位乙');
    await page.fill('#date', '2019-01-15');
    const state = () => page.evaluate(() => ({
      program: (document.getElementById('program') as HTMLSelectElement).value,
      variant: (document.getElementById('variant') as HTMLSelectElement).value,
      ticked: Array.from(document.querySelectorAll<HTMLInputElement>('#unit-list input')).filter((b) => b.checked).map((b) => b.value),
      pasted: (document.getElementById('units-paste') as HTMLTextAreaElement).value,
      date: (document.getElementById('date') as HTMLInputElement).value,
      count: document.getElementById('units-count')!.textContent,
    }));
    const before = await state();
    expect(before.ticked).toEqual(towns.filter((_, i) => i !== 1 && i !== 3));
    await page.screenshot({ path: join(OUT, '1-zh-picked.png'), fullPage: true });
    expect(await overflow()).toEqual([]);

    await page.click('#lang-toggle');
    expect(await page.textContent('h1')).toBe('Dafen');
    const after = await state();
    expect({ ...after, count: '' }).toEqual({ ...before, count: '' });
    expect(after.count).toBe(`${towns.length} unit(s) selected`);
    await page.screenshot({ path: join(OUT, '2-en-picked.png'), fullPage: true });
    expect(await overflow()).toEqual([]);
    await page.click('#lang-toggle');
    expect(await state()).toEqual(before);
  });

  it('labels the file and date controls itself, in the pane’s language', async () => {
    const labels = () => page.evaluate(() => ({
      buttons: Array.from(document.querySelectorAll('.file-button')).filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => e.textContent),
      names: Array.from(document.querySelectorAll('.file-name')).filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => e.textContent),
      date: (document.getElementById('date') as HTMLInputElement).placeholder,
      dateType: (document.getElementById('date') as HTMLInputElement).type,
    }));
    const zh = await labels();
    expect(zh.buttons.length).toBeGreaterThanOrEqual(2);
    expect(new Set(zh.buttons)).toEqual(new Set(['选择文件…']));
    expect(new Set(zh.names)).toEqual(new Set(['未选择文件']));
    expect(zh.date).toBe('年-月-日，如 2019-01-15');
    expect(zh.dateType).toBe('text'); // no browser-locale mm/dd/yyyy
    await page.click('#lang-toggle');
    const en = await labels();
    expect(new Set(en.buttons)).toEqual(new Set(['Choose a file…']));
    expect(new Set(en.names)).toEqual(new Set(['No file chosen']));
    expect(en.date).toBe('YYYY-MM-DD, e.g. 2019-01-15');
    // Every label, button and heading of the English pane is English (program and unit names are data).
    const chrome = await page.evaluate(() => Array.from(document.querySelectorAll('[data-i18n]'))
      .filter((e) => e.id !== 'lang-toggle' && (e as HTMLElement).offsetParent !== null && !/[\u3400-\u9fff]/.test(e.getAttribute('data-i18n-params') ?? '')).map((e) => e.textContent ?? ''));
    expect(chrome.filter((x) => /[\u3400-\u9fff]/.test(x) && !x.includes('汇总') && !x.includes('未匹配录入'))).toEqual([]);
    await page.click('#lang-toggle');
  });

  it('refuses a date that is not one, in our words', async () => {
    await page.fill('#date', '2019-02-30');
    await page.click('#download');
    await page.waitForSelector('#message.error');
    expect(await page.textContent('#message')).toContain('2019-02-30');
    await page.fill('#date', '2019/1/15');
  });

  it('uploads a filled workbook: 名次, 单位, 总分, 状态 fit, a unit opens with every figure and each criterion’s 备注 and 扣分依据', async () => {
    const file = join(OUT, 'town-filled.xlsx');
    const { reason } = await filledWorkbook(file);
    await page.setInputFiles('#upload', file);
    await page.waitForSelector('#summary:not([hidden]) #summary-table tbody tr');
    expect(await page.textContent('#upload-name')).toBe('town-filled.xlsx');
    const heads = await page.$$eval('#summary-table th', (ths) => ths.map((th) => th.textContent));
    expect(heads).toEqual(['名次', '单位', '总分', '状态']);
    const read = await readFilledWorkbook(readFileSync(file));
    const res = scoreCohort(program, read.units.map((u) => ({ unit: u.unit, variant: u.variant, inputs: u.inputs })));
    const rows = await page.$$eval('#summary-table tbody tr', (trs) => trs.map((tr) => ({
      unit: (tr as HTMLElement).dataset.unit,
      cells: Object.fromEntries(Array.from(tr.querySelectorAll('td')).map((td) => [(td as HTMLElement).dataset.col, td.textContent])),
    })));
    for (const u of res.units) expect(rows.find((r) => r.unit === u.unit)!.cells['sum.final']).toBe(fmt(u.final, program.policies.precision));
    expect(rows.find((r) => r.unit === towns[1])!.cells['sum.status']).toBe('有 1 处错误');
    expect(await overflow()).toEqual([]);
    await page.screenshot({ path: join(OUT, '3-zh-summary.png'), fullPage: true });

    await page.click(`#summary-table tr[data-unit="${towns[0]}"]`);
    await page.waitForSelector('#unit-detail:not([hidden])');
    expect(await page.isHidden('#summary-list')).toBe(true);
    expect(await page.textContent('#detail-unit')).toBe(towns[0]);
    const figures = await page.$$eval('#detail-figures dt', (d) => d.map((x) => x.textContent));
    expect(figures).toEqual(expect.arrayContaining(['名次', '基础分', '总分', '状态']));
    const u0 = res.units.find((u) => u.unit === towns[0])!;
    const notes = await page.$$eval('#detail-nodes li.criterion', (lis) => lis.map((li) => ({ id: (li as HTMLElement).dataset.node, note: li.querySelector('.node-note')?.textContent ?? '', reason: li.querySelector('.node-reason')?.textContent ?? '' })));
    const crit = (ns: typeof u0.nodes): typeof u0.nodes => ns.flatMap((n) => (n.children.length ? crit(n.children) : [n]));
    expect(notes.map((n) => n.id)).toEqual(crit(u0.nodes).map((n) => n.id));
    for (const n of crit(u0.nodes)) expect(notes.find((x) => x.id === n.id)!.note).toBe(`备注：${n.explanation.zh}`);
    expect(notes.some((n) => n.reason === `扣分依据/说明：${reason}`)).toBe(true);
    expect(await overflow()).toEqual([]);
    await page.screenshot({ path: join(OUT, '4-zh-unit.png'), fullPage: true });

    // English: statuses, figures and notes in English; the open unit stays open.
    await page.click('#lang-toggle');
    expect(await page.isVisible('#unit-detail')).toBe(true);
    const en = await page.$$eval('#detail-figures dt', (d) => d.map((x) => x.textContent));
    expect(en).toEqual(expect.arrayContaining(['Rank', 'Base', 'Total', 'Status']));
    const enNote = await page.textContent(`#detail-nodes li[data-node="${crit(u0.nodes)[0].id}"] .node-note`);
    expect(enNote).toBe(`Note: ${crit(u0.nodes)[0].explanation.en}`);
    expect(await overflow()).toEqual([]);
    await page.screenshot({ path: join(OUT, '5-en-unit.png'), fullPage: true });
    await page.click('#detail-back');
    const status = await page.$$eval('#summary-table tbody td[data-col="sum.status"]', (tds) => tds.map((td) => td.textContent ?? ''));
    expect(status.some((s) => CJK.test(s))).toBe(false);
    expect(status).toContain('1 error(s)');
    expect(await page.$$eval('#summary-table th', (ths) => ths.map((th) => th.textContent))).toEqual(['Rank', 'Unit', 'Total', 'Status']);
    expect(await overflow()).toEqual([]);
    await page.screenshot({ path: join(OUT, '6-en-summary.png'), fullPage: true });
    await page.click('#lang-toggle');
  });

  it('offers the corrected workbook (as dafen score -o writes it) and the 汇总 as downloads', async () => {
    const [fixed] = await Promise.all([page.waitForEvent('download'), page.click('#download-fixed')]);
    expect(fixed.suggestedFilename()).toBe('town-filled-修正.xlsx');
    const fixedFile = join(OUT, 'town-fixed.xlsx');
    await fixed.saveAs(fixedFile);
    const before = await readFilledWorkbook(readFileSync(join(OUT, 'town-filled.xlsx')));
    const after = await readFilledWorkbook(readFileSync(fixedFile));
    expect(after.units.map((u) => [u.unit, u.inputs, u.remarks])).toEqual(before.units.map((u) => [u.unit, u.inputs, u.remarks]));
    expect(verifyWorkbook(after, correctedPlan({ program, meta: before.meta!, read: before })).filter((p) => p.severity === 'error')).toEqual([]);

    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#download-summary')]);
    expect(csv.suggestedFilename()).toBe('town-filled-汇总.csv');
    const csvFile = join(OUT, 'town-summary.csv');
    await csv.saveAs(csvFile);
    const lines = readFileSync(csvFile, 'utf8').replace(/^\ufeff/, '').trim().split(/\r\n/);
    expect(lines[0].split(',').slice(0, 2)).toEqual(['名次', '单位']);
    expect(lines.length).toBe(towns.length + 1);
    expect(lines.slice(1).map((l) => l.split(',')[1]).sort()).toEqual([...towns].sort());
    expect(errors).toEqual([]);
  });
});
