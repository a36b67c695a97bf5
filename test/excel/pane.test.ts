// The task pane in Excel mode, end to end without Excel: the real pane code (shell, picker, excel-mode)
// on a linkedom document, Office.onReady reporting Excel with a given ExcelApi version and platform, and
// the real office.js (Excel.run included) talking to the simulated host. Clicks the buttons a clerk clicks.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { META_SHEET } from '../../src/layout';
import { entryFromText } from '../../src/taskpane/catalog';
import { CURRENT_VERSION, NEXT_VERSION, v11Text } from './helpers';
import { openPane, resetPane, until } from './pane-helpers';

afterEach(resetPane);

describe.each([
  { apiMinor: 18, platform: 'win32' as const },
  { apiMinor: 14, platform: 'win32' as const },
  { apiMinor: 12, platform: 'win32' as const },
  { apiMinor: 14, platform: 'web' as const },
  { apiMinor: 13, platform: 'ios' as const },
])('task pane in Excel (ExcelApi 1.$apiMinor, $platform)', ({ apiMinor, platform }) => {
  it('生成打分表 → live scoring → asks before replacing → reopened', async () => {
    const errors = vi.spyOn(console, 'error');
    const pane = await openPane(apiMinor, [], undefined, platform);
    expect(pane.doc.body.dataset.mode).toBe('excel');
    expect(pane.text('live-status')).toContain('没有打分表');
    expect(pane.text('live-last')).toContain('实时计分未开启');
    pane.change('variant', 'town');
    const trips = pane.book.roundTrips;
    pane.click('generate');
    await until(() => pane.text('message').includes('已生成'), 'generated');
    const inserts = apiMinor >= 13 && platform !== 'ios';
    expect(pane.text('message')).toContain(inserts ? '一次插入' : '逐区域写入');
    // 生成打分表 including re-attaching live scoring: ≤3 round trips where the insert is available.
    if (inserts) expect(pane.book.roundTrips - trips).toBeLessThanOrEqual(3);
    expect(pane.settings.get('Office.AutoShowTaskpaneWithDocument')).toBe(true);
    const names = pane.book.sheets.map((s) => s.name);
    expect(names).toContain('汇总');
    expect(names).toContain(META_SHEET);
    expect(names).toContain('城关镇');
    expect(pane.text('live-status')).toContain('实时计分已开启');

    // A clerk types (G7: 全年专题研究便民服务工作次数): the handler the pane registered scores it.
    await pane.book.type('城关镇', 'G7', 2);
    await until(() => pane.text('live-last').includes('城关镇'), 'live line');
    expect(pane.text('live-last')).toMatch(/城关镇：(未完成|有)/);

    // Again: the sheets exist now, so the pane asks; 取消 leaves the workbook alone.
    const before = pane.book.sheets.length;
    pane.click('generate');
    await until(() => !(pane.doc.getElementById('confirm') as any).hidden, 'confirm box');
    expect(pane.text('confirm-text')).toContain('已存在');
    pane.click('confirm-no');
    await until(() => pane.text('message').includes('已取消'), 'cancelled');
    expect(pane.book.sheets.length).toBe(before);
    expect(pane.book.value('城关镇', 'G7')).toBe(2);

    // Replacing, after asking: the very hidden _dafen goes too, and the clerk's entry is carried into the new
    // sheets (issue 10: no action replaces a sheet that holds entries without carrying them over).
    pane.click('generate');
    await until(() => !(pane.doc.getElementById('confirm') as any).hidden, 'confirm box again');
    pane.click('confirm-yes');
    await until(() => pane.text('message').includes('已生成'), 'replaced');
    expect(pane.book.sheets.filter((s) => s.name.startsWith('~dafen'))).toEqual([]);
    expect(pane.book.sheet(META_SHEET)!.visibility).toBe('VeryHidden');
    expect(pane.book.value('城关镇', 'G7')).toBe(2);
    await pane.book.type('城关镇', 'G7', 3);
    await until(() => pane.text('live-last').includes('城关镇'), 'live after replacing');

    // Reopened (a new pane, handlers gone): the metadata sheet brings live scoring back, in ≤3 round trips.
    const again = await openPane(apiMinor, [], pane.book);
    expect(again.openTrips).toBeLessThanOrEqual(3);
    expect(again.text('live-status')).toContain('实时计分已开启');
    expect(again.text('live-status')).toContain('9 张打分表');
    await again.book.type('孙口镇', 'G4', '也许');
    await until(() => again.text('live-last').includes('孙口镇'), 'live line after reopening');
    expect(again.text('live-last')).toContain('有 1 处错误');
    expect(errors).not.toHaveBeenCalled();
  });
});

describe('task pane in Excel: 重新计算 and 更新评分标准', () => {
  it('finds and restores an overwritten formula, then updates to the next version keeping every input', async () => {
    const errors = vi.spyOn(console, 'error');
    const corrected = entryFromText(`taiqian-2018-${NEXT_VERSION}.yaml`, v11Text(), false);
    const pane = await openPane(14, [corrected]);
    pane.change('variant', 'town');
    pane.click('generate');
    await until(() => pane.text('live-status').includes('实时计分已开启'), 'live on');

    await pane.book.type('城关镇', 'G6', '是'); // s1.3 (removed in the next version)
    await pane.book.type('城关镇', 'G4', '是'); // s1.1
    const sheet = pane.book.sheet('城关镇')!;
    sheet.cells.set('H4', { ...sheet.cells.get('H4')!, formula: undefined, value: 2 });

    pane.click('recalc');
    await until(() => pane.text('recalc-text').length > 0, 'recalc result');
    expect(pane.text('recalc-text')).toContain('城关镇!H4');
    pane.click('restore');
    await until(() => pane.text('recalc-text').includes('已恢复'), 'restored');
    expect(sheet.cells.get('H4')!.formula).toMatch(/^=IF\(/);
    expect(pane.book.value('城关镇', 'G4')).toBe('是');

    pane.click('update');
    (pane.doc.getElementById('update-program') as any).value = corrected.key;
    pane.click('update-preview');
    await until(() => pane.text('update-diff').length > 0, 'diff');
    const diff = pane.text('update-diff');
    expect(diff).toContain(`${CURRENT_VERSION} → ${NEXT_VERSION}`);
    expect(diff).toContain('s1.3');
    expect(diff).toContain('s1.6');
    expect(diff).toContain('未匹配录入');
    pane.click('update-apply');
    await until(() => pane.text('message').includes(`已按版本 ${NEXT_VERSION}`), 'updated');
    expect(pane.text('live-status')).toContain(NEXT_VERSION);
    const un = pane.book.sheet('未匹配录入')!;
    expect([...un.cells.values()].map((c) => c.value)).toContain('s1.3#yes');
    // s1.1 moved nowhere (same key, same row here); its typed value came along.
    expect(pane.book.value('城关镇', 'G4')).toBe('是');
    expect(errors).not.toHaveBeenCalled();
  });
});
