// 导入评分细则 in Excel, end to end without Excel: the real pane code (shell, picker, excel-mode and the
// 导入评分细则 card) on a linkedom document, the real office.js talking to the simulated host
// (test/excel/excel-host.ts). A pasted table selected → the 评分细则 sheet (计分方式 list validation, the
// rubric in the hidden _dafen_细则) → a clerk's edits re-checked at once by the sheet's onChanged, with the
// messages of `dafen validate` → 生成打分表 from the sheet, the workbook keeping the rubric.
import { afterEach, describe, expect, it } from 'vitest';
import { embeddedProgram } from '../../src/layout';
import { readWorkbookState } from '../../src/excel/state';
import { KIND_CHOICES } from '../../src/import';
import type { RubricNode } from '../../src/engine';
import { ExcelHost } from '../excel/excel-host';
import { decodeXlsx } from '../excel/insert-xlsx';
import { PASTED } from './sheet-grid';
import { openPaneOn, resetPane, until } from '../excel/pane-helpers';


/** The pane in Excel mode over `book`, once its 导入评分细则 card is built. */
async function openPane(book: ExcelHost) {
  const pane = await openPaneOn(book);
  await until(() => !!pane.doc.getElementById('import-excel-read'), 'the 导入评分细则 card');
  await book.settle();
  return pane;
}

afterEach(resetPane);

const cell = (book: ExcelHost, sheet: string, a: string) => book.sheet(sheet)!.cells.get(a)?.value ?? '';
/** The 评分细则 sheet's row of a 编号 (1-based), found in column B. */
const rowOf = (book: ExcelHost, id: string): number => {
  for (let r = 2; r < 100; r++) if (cell(book, '评分细则', `B${r}`) === id) return r;
  throw new Error(`no row ${id}`);
};

describe('导入评分细则 in Excel (ExcelApi 1.14, the real office.js)', () => {
  it('pasted table → 评分细则 sheet → edits re-checked at once → 生成打分表 from the sheet', async () => {
    const book = new ExcelHost({ apiMinor: 14, platform: 'win32', decodeXlsx });
    book.addSheet('Sheet1');
    // the table as Excel holds it after pasting from Word: merged name cells are blank below their text
    PASTED.forEach((r, i) => r.forEach((v, j) => book.setCell('Sheet1', `${'ABCD'[j]}${i + 1}`, { value: /^\d+$/.test(v) ? Number(v) : v })));
    const pane = await openPane(book);
    // several areas selected: Excel refuses getSelectedRange (InvalidSelection), the pane says what to do
    await book.select('Sheet1', 'A1:B2, D4');
    pane.click('import-excel-read');
    await until(() => pane.text('import-excel-status').includes('多块'), 'refusal');
    expect(pane.text('import-excel-status')).toBe('请只选中一块连续的表格区域（当前选中了多块）');

    await book.select('Sheet1', 'A1:D7');
    pane.click('import-excel-read');
    await until(() => pane.text('import-excel-status').startsWith('已写入'), 'sheet written');
    expect(pane.text('import-excel-status')).toBe('已写入“评分细则”表：6 条评分标准，其中 0 条需确认；请核对计分方式和参数');
    const ws = book.sheet('评分细则')!;
    expect(['A1', 'B1', 'C1', 'D1', 'E1', 'F1', 'G1', 'H1', 'I1', 'J1'].map((a) => cell(book, '评分细则', a))).toEqual(['类别', '编号', '考核项目/内容', '分值', '评分标准', '计分方式', '参数', '识别依据', '需确认', '检查结果']);
    const s11 = rowOf(book, 's1.1');
    expect([cell(book, '评分细则', `D${s11}`), cell(book, '评分细则', `F${s11}`), cell(book, '评分细则', `G${s11}`), cell(book, '评分细则', `J${s11}`)]).toEqual([20, '分档', '90%以上20分；80%以上12分；70%以上6分', '✓']);
    expect(ws.validations.get(`F${s11}`)).toMatchObject({ rule: { list: { inCellDropDown: true, source: KIND_CHOICES.join(',') } } });
    expect(ws.frozenRows).toBe(1);
    expect(book.sheet('_dafen_细则')!.visibility).toBe('Hidden');
    expect(String(cell(book, '_dafen_细则', 'A1'))).toContain('variants:');
    // the imported rubric is in the picker already
    expect(pane.doc.querySelector('#program option[selected]')?.textContent ?? '').toContain('评分细则');

    // a 参数 that cannot be read: flagged in its row at once, the clerk's text kept
    const s21 = rowOf(book, 's2.1');
    await book.type('评分细则', `G${s21}`, '看情况定');
    await until(() => String(cell(book, '评分细则', `J${s21}`)).startsWith('✗'), 'check written');
    expect(cell(book, '评分细则', `J${s21}`)).toBe('✗ 参数：s2.1：参数“看情况定”无法识别（没有可识别的计分文字）；请按“每次扣0.5分；扣完为止”“90%以上4分；70%以上1分”这样的写法填写 / s2.1: the parameters "看情况定" cannot be read (没有可识别的计分文字); write them like 每次扣0.5分；扣完为止 or 90%以上4分；70%以上1分');
    expect(cell(book, '评分细则', `G${s21}`)).toBe('看情况定');
    expect(pane.text('import-excel-status')).toBe('评分细则表有 1 处错误：改正后才能生成打分表');
    // an unknown 计分方式 pasted over the dropdown
    const s22 = rowOf(book, 's2.2');
    await book.type('评分细则', `F${s22}`, '打分');
    await until(() => String(cell(book, '评分细则', `J${s22}`)).startsWith('✗'), 'kind check');
    expect(String(cell(book, '评分细则', `J${s22}`))).toContain('✗ 计分方式：s2.2：未知的计分方式“打分”，可选：直接打分、是否、选项、倒扣分、累加、按比例、分档、排名、取最高');
    // corrections: 参数 in words that change the kind (it follows), a kind picked from the dropdown
    await book.type('评分细则', `G${s21}`, '90%以上10分；60%以上5分');
    await book.type('评分细则', `F${s22}`, '倒扣分');
    await book.pick('评分细则', `F${s11}`, '直接打分');
    await until(() => cell(book, '评分细则', `J${s21}`) === '✓' && cell(book, '评分细则', `J${s22}`) === '✓', 'all clear');
    expect(cell(book, '评分细则', `F${s21}`)).toBe('分档');
    expect(pane.text('import-excel-status')).toBe('“评分细则”表已检查，没有错误（0 处提醒）');

    // 生成打分表 from the sheet: the rubric as edited, kept in the workbook's _dafen
    pane.fill('units-paste', '城关镇');
    pane.click('import-excel-generate');
    await until(() => pane.text('message').includes('已生成'), 'generated');
    expect(book.sheets.map((s) => s.name)).toEqual(expect.arrayContaining(['评分细则', '_dafen_细则', '城关镇', '汇总']));
    const state = await readWorkbookState(book.context());
    const program = embeddedProgram(state.meta!)!;
    const leaf = (id: string) => {
      const find = (ns: RubricNode[]): RubricNode | undefined => ns.map((n) => (n.id === id ? n : find(n.children ?? []))).find(Boolean);
      return find(program.variants[0].sections)!;
    };
    expect(leaf('s1.1').rule).toEqual({ kind: 'direct', min: 0 });
    expect(leaf('s2.1').rule).toMatchObject({ kind: 'tiers', tiers: [{ min: 0.6, points: 5 }, { min: 0.9, points: 10 }] });
    expect(leaf('s2.2').rule!.kind).toBe('deduct');

    // the pane closed and opened again: the kept 评分细则 sheet is watched again
    book.paneClosed();
    const again = await openPane(book);
    await until(() => book.registrations.some((r) => r.target === book.sheet('评分细则')!.id), 'handler registered again');
    await book.type('评分细则', `G${s21}`, '再议');
    await until(() => String(cell(book, '评分细则', `J${s21}`)).startsWith('✗'), 'checked after reopening');
    expect(again.text('import-excel-status')).toBe('评分细则表有 1 处错误：改正后才能生成打分表');
  }, 60_000);

  it('Excel on the web: a 计分方式 picked from the dropdown fires no onChanged; moving on checks it', async () => {
    const book = new ExcelHost({ apiMinor: 14, platform: 'web', decodeXlsx });
    book.addSheet('Sheet1');
    PASTED.forEach((r, i) => r.forEach((v, j) => book.setCell('Sheet1', `${'ABCD'[j]}${i + 1}`, { value: v })));
    const pane = await openPane(book);
    await book.select('Sheet1', 'A1:D7');
    pane.click('import-excel-read');
    await until(() => pane.text('import-excel-status').startsWith('已写入'), 'sheet written');
    const s12 = rowOf(book, 's1.2');
    await book.select('评分细则', `F${s12}`);
    await book.pick('评分细则', `F${s12}`, '排名');
    expect(cell(book, '评分细则', `J${s12}`)).toBe('✓'); // no event: not checked yet
    await book.select('评分细则', `G${s12}`);
    await until(() => String(cell(book, '评分细则', `J${s12}`)).startsWith('✗'), 'checked on the move');
    expect(String(cell(book, '评分细则', `J${s12}`))).toContain('s1.2：计分方式改为“排名”，请在参数中写明排名的参数');
  }, 60_000);
});
