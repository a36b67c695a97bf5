// Other hands' 扣分依据 (各评分人扣分依据, issue 15) in the add-in, through the real office.js against the simulated
// host: the state read takes the sheet in its one round trip, parsed as the xlsx reader parses it; the pane's
// 更新评分标准 and 生成打分表 (both to the next version) over a filled 3-rater workbook keep rater2's and rater3's words (by criterion id;
// one whose criterion the new version drops on 未匹配录入), and the first rater's in the 扣分依据 column.
import { afterEach, describe, expect, it } from 'vitest';
import type { AssessmentPolicy } from '../../src/engine';
import { HAND_REMARKS_SHEET, parseHandRemarkRows, planWorkbook, readKeptRows, type UnitIn, type WorkbookMeta } from '../../src/layout';
import { generate } from '../../src/excel/generate';
import { readWorkbookState } from '../../src/excel/state';
import { entryFromText } from '../../src/taskpane/catalog';
import { ExcelHost } from './excel-host';
import { decodeXlsx } from './insert-xlsx';
import { NEXT_VERSION, rubric, v11Text } from './helpers';
import { openPane, resetPane, until } from './pane-helpers';

afterEach(resetPane);

const taiqian = rubric('taiqian-2018.yaml');
const towns = (taiqian.units ?? []).filter((u) => u.variant === 'town').slice(0, 3).map((u) => ({ name: u.name, variant: u.variant }));
const RATERS: AssessmentPolicy = { raters: { count: 3, aggregate: 'trimmedMean', on: 'criterion', spread: 2 } };
const [A, B] = [towns[0].name, towns[1].name];

/** A 3-rater workbook in the host: rater1's (the first scoring hand's) words in the column, rater2's and rater3's on 各评分人扣分依据. */
async function filledBook() {
  const plan = planWorkbook(taiqian, towns.map((u): UnitIn => ({
    ...u,
    ...(u.name === A ? { remarks: { 's1.1': '评委1：已进驻' } } : {}),
    handRemarks: u.name === A
      ? { rater2: { 's1.1': '评委2：资料不全' }, rater3: { 's1.3': '评委3：总结未见' } }
      : u.name === B ? { rater2: { 's1.3': '评委2：有总结' } } : {},
  })), { assessment: RATERS });
  const book = new ExcelHost({ apiMinor: 14, platform: 'win32', decodeXlsx });
  book.addSheet('Sheet1');
  const g = await generate(book.context(), plan, { apiMinor: 14, insertBase64: false });
  if (g.status !== 'done') throw new Error(`generate: ${JSON.stringify(g)}`);
  return { plan, book };
}

/** The 扣分依据 column's text of a unit's criterion, by the metadata's address. */
const columnRemark = (book: ExcelHost, meta: WorkbookMeta, unit: string, id: string) => {
  const s = meta.sheets.find((x) => x.unit === unit)!;
  return book.value(s.name, s.remarks!.find((r) => r.id === id)!.address);
};

const rowsOf = (rows: unknown[][] | null) => parseHandRemarkRows(rows ?? []).map((r) => [r.unit, r.hand, r.id, r.text]);


/** After 更新评分标准 or 生成打分表 to the next version: every rater's words carried, those on the dropped s1.3 on 未匹配录入. */
async function expectCarried(book: ExcelHost): Promise<void> {
    const after = await readWorkbookState(book.context());
    expect(after.meta!.program.version).toBe(NEXT_VERSION);
    expect(after.meta!.hands).toEqual(['rater1', 'rater2', 'rater3']);
    expect(columnRemark(book, after.meta!, A, 's1.1')).toBe('评委1：已进驻');
    expect(rowsOf(after.handRemarks)).toEqual([[A, 'rater2', 's1.1', '评委2：资料不全']]);
    expect(readKeptRows(after.unmatched!).map((r) => [r.unit, r.key, r.value])).toEqual([
      [A, 'rater3:s1.3#扣分依据', '评委3：总结未见'],
      [B, 'rater2:s1.3#扣分依据', '评委2：有总结'],
    ]);
}

describe('各评分人扣分依据 in the add-in', () => {
  it('the state read takes the sheet in its one round trip; the rows parse as planned', async () => {
    const { book } = await filledBook();
    const before = book.roundTrips;
    const state = await readWorkbookState(book.context());
    expect(book.roundTrips - before).toBe(1);
    expect(rowsOf(state.handRemarks)).toEqual([
      [A, 'rater2', 's1.1', '评委2：资料不全'],
      [A, 'rater3', 's1.3', '评委3：总结未见'],
      [B, 'rater2', 's1.3', '评委2：有总结'],
    ]);
  });

  it('更新评分标准 keeps every rater’s words: carried by criterion id, those on the dropped s1.3 on 未匹配录入', async () => {
    const { book } = await filledBook();
    const corrected = entryFromText(`taiqian-2018-${NEXT_VERSION}.yaml`, v11Text(), false);
    const pane = await openPane(14, [corrected], book);
    expect(pane.text('live-status')).toContain('实时计分已开启');
    pane.click('update');
    (pane.doc.getElementById('update-program') as any).value = corrected.key;
    pane.click('update-preview');
    await until(() => pane.text('update-diff').length > 0, 'diff');
    pane.click('update-apply');
    await until(() => pane.text('message').includes(`已按版本 ${NEXT_VERSION}`), 'updated');

    await expectCarried(book);
    // Replaced, not duplicated: one sheet of that name, no old one set aside.
    expect(book.sheets.filter((x) => x.name === HAND_REMARKS_SHEET || x.name.startsWith('~dafen'))).toHaveLength(1);
  });

  it('生成打分表 over the filled workbook, with the next version, keeps them too (s1.3’s on 未匹配录入)', async () => {
    const { book } = await filledBook();
    const corrected = entryFromText(`taiqian-2018-${NEXT_VERSION}.yaml`, v11Text(), false);
    const pane = await openPane(14, [corrected], book);
    pane.change('program', corrected.key);
    pane.change('variant', 'town');
    pane.click('generate');
    await until(() => !(pane.doc.getElementById('confirm') as any).hidden, 'confirm box');
    pane.click('confirm-yes');
    await until(() => pane.text('message').includes('已生成'), 'generated');
    await expectCarried(book);
  });
});
