// 分发 / 收集 inside Excel (issue 15), through the real office.js against the simulated host.
//  - The adapter (src/excel/collected.ts): collected values go into blank cells only — a value typed after the
//    read is kept and reported, never overwritten; text stays text ("=1+1", "007"); rows the clerk inserted
//    are followed by the marker column; a value without a cell is reported, not written elsewhere.
//  - The pane's card: the open 3-rater workbook is split as `dafen split` splits a file (the zip it offers),
//    the pieces are filled as raters would (a conflicting value, a wrong-version file, a foreign file and a
//    duplicate among them), collected into the open workbook, and every hand's entries then equal what the
//    file merge (`dafen merge`) gives for the same master and the same files.
import JSZip from 'jszip';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AssessmentPolicy, HandId, Raw } from '../../src/engine';
import { planWorkbook, type UnitIn, type WorkbookPlan } from '../../src/layout';
import { readFilledWorkbook, writeWorkbook } from '../../src/xlsx';
import { mergeWorkbooks, splitWorkbook } from '../../src/collect';
import { bindingFromMeta } from '../../src/excel/fromMeta';
import { generate } from '../../src/excel/generate';
import { readEntries } from '../../src/excel/hands';
import { createLiveState } from '../../src/excel/live';
import { writeCollected, type CollectedValue } from '../../src/excel/collected';
import { parseCell } from '../../src/excel/a1';
import { filledOf, readHeld } from '../../src/taskpane/held';
import { fill } from '../collect/helpers';
import { randomInputs } from '../layout/helpers';
import { ExcelHost } from './excel-host';
import { CURRENT_VERSION, NEXT_VERSION, capsFor, insertRow, rubric, v11 } from './helpers';
import { openPaneOn, resetPane, until } from './pane-helpers';
import type { Platform } from './office-lib';

const taiqian = rubric('taiqian-2018.yaml');
const next = v11();
const RATERS: AssessmentPolicy = { raters: { count: 3, aggregate: 'trimmedMean', on: 'criterion', spread: 1 } };
const towns = (taiqian.units ?? []).filter((u) => u.variant === 'town').slice(0, 3).map((u) => ({ name: u.name, variant: u.variant, tags: [] as string[] }));
const WORKBOOK_ID = 'wb-collect-excel-test';

async function bookOf(plan: WorkbookPlan, platform: Platform = 'win32'): Promise<{ book: ExcelHost; ids: Map<string, string> }> {
  const book = new ExcelHost({ apiMinor: 14, platform });
  book.addSheet('Sheet1');
  const g = await generate(book.context(), plan, { apiMinor: 14, insertBase64: false });
  if (g.status !== 'done') throw new Error(`generate: ${JSON.stringify(g)}`);
  return { book, ids: g.ids };
}

/** A hand's input address for a key on a unit's sheet (as made). */
const at = (plan: WorkbookPlan, unit: string, hand: HandId, key: string): string =>
  plan.meta.sheets.find((s) => s.unit === unit)!.hands!.find((h) => h.hand === hand)!.inputs.find((i) => i.key === key)!.address;

describe('writeCollected: blank cells only', () => {
  it('writes blanks, keeps what the clerk typed meanwhile, keeps text as text, and places nothing it has no cell for', async () => {
    const plan = planWorkbook(taiqian, towns, { assessment: RATERS, workbookId: WORKBOOK_ID });
    const { book, ids } = await bookOf(plan);
    const state = createLiveState(taiqian, bindingFromMeta(plan.meta, plan, new Map(), ids), capsFor(14));
    const s = plan.meta.sheets[0];
    const keys = s.inputs.map((i) => i.key);
    const numberKey = keys[1]; // the adapter writes whatever the merge decided: the type is the engine's business
    // The clerk typed into rater2's cell after the pane read the workbook, and rater1 already holds the same value.
    await book.type(s.name, at(plan, s.unit, 'rater2', keys[0]), '否');
    await book.type(s.name, at(plan, s.unit, 'rater1', keys[0]), '是');
    // A formula the clerk put into an input cell shows "" but is not blank: never written over.
    book.setCell(s.name, at(plan, s.unit, 'rater1', keys[2]), { formula: '=IF(1>2,1,"")', value: '' });
    const values: CollectedValue[] = [
      { unit: s.unit, hand: 'rater3', key: keys[0], value: '是' },
      { unit: s.unit, hand: 'rater2', key: keys[0], value: '是' },
      { unit: s.unit, hand: 'rater1', key: keys[0], value: '是' },
      { unit: s.unit, hand: 'rater3', key: numberKey, value: '=1+1' },
      { unit: s.unit, hand: 'rater2', key: numberKey, value: '007' },
      { unit: s.unit, hand: 'rater1', key: numberKey, value: 3 },
      { unit: s.unit, hand: 'rater1', key: keys[2], value: 1 },
      { unit: s.unit, hand: 'rater1', remark: 's1.1', value: '会议记录缺两次' },
      { unit: s.unit, hand: 'rater2', remark: 's1.1', value: '评委2的说明' },
      { unit: '不存在的单位', hand: 'rater1', key: keys[0], value: '是' },
    ];
    const before = book.roundTrips;
    const r = await writeCollected(book.context(), state.binding, plan.meta, values, state.caps);
    expect(book.roundTrips - before).toBe(2); // one read of every column concerned, one write
    expect(r.cells.map((c) => c.outcome)).toEqual(['written', 'changed', 'same', 'written', 'written', 'written', 'changed', 'written', 'unplaced', 'unplaced']);
    expect(r.written).toBe(5);
    expect(r.cells[1]).toMatchObject({ now: '否', address: at(plan, s.unit, 'rater2', keys[0]) });
    expect(book.value(s.name, at(plan, s.unit, 'rater2', keys[0]))).toBe('否');
    expect(book.value(s.name, at(plan, s.unit, 'rater3', keys[0]))).toBe('是');
    // Text that Excel would take for a formula or a number stays the text it was.
    const f = book.cell(s.name, at(plan, s.unit, 'rater3', numberKey))!;
    expect([f.value, f.formula]).toEqual(['=1+1', undefined]);
    expect(book.value(s.name, at(plan, s.unit, 'rater2', numberKey))).toBe('007');
    expect(book.value(s.name, at(plan, s.unit, 'rater1', numberKey))).toBe(3);
    expect(book.cell(s.name, at(plan, s.unit, 'rater1', keys[2]))!.formula).toBe('=IF(1>2,1,"")');
    expect(book.value(s.name, s.remarks!.find((x) => x.id === 's1.1')!.address)).toBe('会议记录缺两次');
  });

  it('follows a row the clerk inserted above (the marker column says where the input is now)', async () => {
    const plan = planWorkbook(taiqian, towns, { assessment: RATERS, workbookId: WORKBOOK_ID });
    const { book, ids } = await bookOf(plan);
    const state = createLiveState(taiqian, bindingFromMeta(plan.meta, plan, new Map(), ids), capsFor(14));
    const s = plan.meta.sheets[1];
    const key = s.inputs[2].key;
    const made = at(plan, s.unit, 'rater2', key);
    // The clerk inserts a row above the first input row: every cell from there moves one row down.
    await insertRow(book, s.name, parseCell(s.inputs[0].address)!.row + 1, '');
    const r = await writeCollected(book.context(), state.binding, plan.meta, [{ unit: s.unit, hand: 'rater2', key, value: 1 }], state.caps);
    const now = made.replace(/\d+$/, (n) => String(Number(n) + 1));
    expect(r.cells[0]).toMatchObject({ outcome: 'written', address: now });
    expect(book.value(s.name, now)).toBe(1);
    expect(book.value(s.name, made)).not.toBe(1);
  });
  it('a stop half-way loses nothing: what was written stays, the rest is written when 收集 runs again', async () => {
    const plan = planWorkbook(taiqian, towns, { assessment: RATERS, workbookId: WORKBOOK_ID });
    const { book, ids } = await bookOf(plan);
    const state = createLiveState(taiqian, bindingFromMeta(plan.meta, plan, new Map(), ids), { ...capsFor(14), chunkBytes: 2000 });
    const values: CollectedValue[] = plan.meta.sheets.flatMap((s) => s.inputs.slice(0, 8).map((i, n) => ({ unit: s.unit, hand: 'rater2' as HandId, key: i.key, value: n })));
    const held = plan.meta.sheets[2];
    await book.type(held.name, at(plan, held.unit, 'rater2', held.inputs[0].key), 9); // the master's own value
    // The third request (the second write) fails at its first write: Excel keeps what ran before it.
    book.options.failRequest = book.requests.length + 3;
    await expect(writeCollected(book.context(), state.binding, plan.meta, values, state.caps)).rejects.toThrow();
    const now = () => values.map((v) => book.value(plan.meta.sheets.find((s) => s.unit === v.unit)!.name, at(plan, v.unit, 'rater2', v.key!)));
    const after = now();
    const done = after.filter((v, i) => v === values[i].value).length;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(values.length - 1);
    expect(after[16]).toBe(9); // never overwritten
    book.options.failRequest = undefined;
    const again = await writeCollected(book.context(), state.binding, plan.meta, values, state.caps);
    expect(again.cells.filter((c) => c.outcome === 'same').length).toBe(done);
    expect(again.cells.filter((c) => c.outcome === 'changed').map((c) => c.now)).toEqual([9]);
    expect(now()).toEqual(values.map((v, i) => (i === 16 ? 9 : v.value)));
  });
});

describe('the 分发与收集 card in Excel', () => {
  afterEach(resetPane);

  const entered = (seed: number) => Object.fromEntries(randomInputs(next, towns, seed).map((u) => [u.name, u.inputs]));
  let plan: WorkbookPlan;
  let masterBytes: Uint8Array;
  let oldMaster: Uint8Array;
  const first = towns[0].name;
  let key0: string;

  beforeAll(async () => {
    // The master, corrected to the next version, already holds rater1's answer to s1.1 for the first town.
    const blank = planWorkbook(next, towns, { assessment: RATERS, workbookId: WORKBOOK_ID });
    key0 = blank.meta.sheets[0].inputs.find((i) => i.criterionId === 's1.1')!.key;
    // Rater 3's words on s1.2, returned earlier, are on 各评分人扣分依据: a collect must keep them.
    const units: UnitIn[] = towns.map((t) => (t.name === first ? { ...t, hands: { rater1: { [key0]: '是' } }, handRemarks: { rater3: { 's1.2': '评委3原有说明' } } } : t));
    plan = planWorkbook(next, units, { assessment: RATERS, workbookId: WORKBOOK_ID, date: '2019-01-15' });
    masterBytes = await writeWorkbook(plan);
    // The same workbook before the correction: rater3's piece was sent out from it.
    oldMaster = await writeWorkbook(planWorkbook(taiqian, towns, { assessment: RATERS, workbookId: WORKBOOK_ID, date: '2019-01-15' }));
  });

  it('分发 offers the pieces of the open workbook; 收集 fills them in as dafen merge would, conflicts and refusals listed', async () => {
    const { book } = await bookOf(plan);
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob);
      return `blob:dafen/${blobs.length}`;
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const pane = await openPaneOn(book, { url: 'https://contoso.sharepoint.com/sites/zw/台前评分.xlsx' });
    await until(() => pane.text('live-status').includes('实时计分已开启') && !!pane.doc.getElementById('collectx-split'), 'live scoring and the card');

    // 分发: by rater (the workbook has raters and no 自评), one zip of three pieces named after the workbook.
    pane.click('collectx-split');
    await until(() => pane.text('collectx-split-status').includes('已生成'), 'split');
    expect((pane.doc.getElementById('collectx-by') as HTMLSelectElement).value).toBe('rater');
    expect(pane.text('collectx-split-status')).toContain('台前评分-分发.zip');
    const zip = await JSZip.loadAsync(await blobs[0].arrayBuffer());
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual(['台前评分-评委1.xlsx', '台前评分-评委2.xlsx', '台前评分-评委3.xlsx']);
    const piece = async (n: string) => new Uint8Array(await zip.file(n)!.async('uint8array'));
    const r1 = await readFilledWorkbook(await piece('台前评分-评委1.xlsx'));
    expect(r1.meta!.piece).toMatchObject({ hand: 'rater1', master: WORKBOOK_ID });
    expect(r1.units.find((u) => u.unit === first)!.inputs[key0]).toBe('是'); // what the master holds for rater1 travels

    // The raters fill their pieces; rater1 answers s1.1 differently (a conflict), rater2 writes a 扣分依据,
    // rater3 returns the piece sent out before the correction (s1.3 was removed: kept on 未匹配录入).
    const two = entered(7);
    two[first] = { ...two[first], [key0]: '是' };
    const files = [
      { name: '评委1.xlsx', bytes: await fill(await piece('台前评分-评委1.xlsx'), { [first]: { [key0]: '否' } }) },
      { name: '评委2.xlsx', bytes: await fill(await piece('台前评分-评委2.xlsx'), two, { [first]: { 's1.1': '会议记录不全' } }) },
    ];
    const old = await splitWorkbook(oldMaster, { by: 'rater', hand: 'rater3', file: '台前评分.xlsx' });
    const three = entered(11);
    three[first] = { ...three[first], 's1.3#yes': '是' };
    files.push({ name: '评委3-旧版.xlsx', bytes: await fill(old.pieces![0].bytes, three) });
    files.push({ name: '别的表.xlsx', bytes: oldMaster }); // a whole workbook, not a piece
    files.push({ name: '评委2-再交.xlsx', bytes: files[1].bytes }); // the same file twice
    pane.setFiles('collectx-pieces', files.map((f) => new File([f.bytes as BlobPart], f.name)));
    pane.click('collectx-merge');
    await until(() => pane.text('collectx-merge-status').includes('已收进'), 'collected', 60_000);
    const status = pane.text('collectx-merge-status');
    expect(status).toContain('收回 3 份，拒收 2 份');
    const report = [...pane.doc.querySelectorAll('#collectx-report li')].map((li) => ({ text: li.textContent ?? '', status: li.getAttribute('data-status'), conflict: li.getAttribute('data-conflict') }));
    expect(report.filter((l) => l.status === 'collect.notPiece').map((l) => l.text)).toEqual([expect.stringContaining('别的表.xlsx')]);
    expect(report.filter((l) => l.status === 'collect.duplicate').map((l) => l.text)).toEqual([expect.stringContaining('评委2-再交.xlsx')]);
    expect(report.filter((l) => l.conflict).map((l) => l.conflict)).toEqual([`${first}|rater1|${key0}`]);
    expect(report.map((l) => l.text)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^评委3-旧版\\.xlsx：按评分细则第${CURRENT_VERSION}版填写，已按评分项转入第${NEXT_VERSION}版（\\d+ 项转入，1 项保留在“未匹配录入”）`))])); // the old version carried, and said so

    // In the workbook: rater1's value kept; every other returned value in its hand's column.
    const sheet = plan.meta.sheets.find((s) => s.unit === first)!.name;
    expect(book.value(sheet, at(plan, first, 'rater1', key0))).toBe('是');
    expect(book.value(sheet, at(plan, first, 'rater2', key0))).toBe('是');
    const values = (name: string) => [...(book.sheet(name)?.cells.values() ?? [])].map((c) => c.value);
    expect(values('未匹配录入')).toEqual(expect.arrayContaining(['s1.3#yes', '是']));
    expect(values('各评分人扣分依据')).toEqual(expect.arrayContaining(['会议记录不全', 'rater2', '评委3原有说明', 'rater3']));

    // The same master and files through the file merge: every hand's entries are the same.
    const byFile = await mergeWorkbooks({ name: '台前评分.xlsx', bytes: masterBytes }, files);
    const merged = await readFilledWorkbook(byFile.bytes!);
    const state = createLiveState(next, bindingFromMeta(plan.meta, plan, new Map(), new Map(book.sheets.map((s) => [s.name, s.id]))), capsFor(14));
    const inExcel = (await readEntries(book.context(), state, plan.meta)).hands!;
    const clean = (r: Record<string, Raw> | undefined) => Object.fromEntries(Object.entries(r ?? {}).filter(([, v]) => v !== null && v !== ''));
    let compared = 0;
    for (const u of merged.units) {
      for (const h of ['rater1', 'rater2', 'rater3'] as const) {
        expect(clean(inExcel.get(u.sheet)![h]), `${u.unit} ${h}`).toEqual(clean(u.hands![h]));
        compared += Object.keys(clean(u.hands![h])).length;
      }
    }
    expect(compared).toBeGreaterThan(100);
    // Every hand's 扣分依据 too: the column's (rater1) and the sheet's (rater2, rater3), as the file merge keeps them.
    const said = (h: Record<string, Record<string, string> | undefined> | undefined) => Object.fromEntries(Object.entries(h ?? {}).filter(([, x]) => x && Object.keys(x).length));
    const excelRemarks = filledOf(await readHeld((fn) => fn(book.context()), state, plan.meta), state).units.map((u) => [u.unit, u.remarks, said(u.handRemarks)]);
    expect(excelRemarks).toEqual(merged.units.map((u) => [u.unit, u.remarks, said(u.handRemarks)]));
    expect(said(merged.units.find((u) => u.unit === first)!.handRemarks)).toEqual({ rater2: { 's1.1': '会议记录不全' }, rater3: { 's1.2': '评委3原有说明' } });
    expect(byFile.report!.conflicts.map((c) => `${c.unit}|${c.hand}|${c.key}`)).toEqual([`${first}|rater1|${key0}`]);
  }, 120_000);

  it('in Excel for Mac (no downloads from the pane) each piece is opened as a new workbook instead', async () => {
    const { book } = await bookOf(plan, 'mac');
    const created = vi.spyOn(URL, 'createObjectURL');
    const pane = await openPaneOn(book, { url: '/Users/clerk/Documents/台前评分.xlsx' });
    await until(() => pane.text('live-status').includes('实时计分已开启') && !!pane.doc.getElementById('collectx-split'), 'live scoring and the card');
    pane.click('collectx-split');
    await until(() => pane.text('collectx-split-status').includes('已生成'), 'split');
    expect(pane.text('collectx-split-status')).toContain('Mac 版 Excel 不能从窗格下载文件');
    expect(created).not.toHaveBeenCalled();
    const buttons = [...pane.doc.querySelectorAll('#collectx-pieces-list button')];
    expect(buttons.map((b) => b.getAttribute('data-open'))).toEqual(['台前评分-评委1.xlsx', '台前评分-评委2.xlsx', '台前评分-评委3.xlsx']);
    (buttons[1] as any).dispatchEvent(new (pane.doc.defaultView as any).Event('click'));
    await until(() => book.opened.length === 1, 'a workbook opened');
    const opened = await readFilledWorkbook(book.opened[0]);
    expect(opened.meta!.piece).toMatchObject({ hand: 'rater2', master: WORKBOOK_ID, units: towns.map((t) => t.name) });
  }, 120_000);
});
