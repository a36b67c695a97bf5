/**
 * 各评分人扣分依据 (issue 15), the layout's sheet of other hands' 扣分依据/说明: planned by planWorkbook from
 * UnitIn.handRemarks only when a remark is there, before the metadata, with the columns workbooks made since
 * issue 15 have; read back by the xlsx reader into ReadUnit.handRemarks; a row naming no unit or hand reported
 * and kept (FilledWorkbook.strayRemarks, then 未匹配录入); carried by criterion id per hand.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { AssessmentPolicy } from '../../src/engine';
import {
  HAND_REMARKS_SHEET, META_SHEET, carryOver, matchHandRemarks, parseHandRemarkRows, planWorkbook, unreadRemarksKept, withUnmatched,
} from '../../src/layout';
import { readFilledWorkbook, writeWorkbook } from '../../src/xlsx';
import { loadFixture } from './helpers';

const program = loadFixture();
const RATERS: AssessmentPolicy = { raters: { count: 3, aggregate: 'mean', on: 'criterion' } };
const cellsOf = (plan: ReturnType<typeof planWorkbook>) => {
  const s = plan.sheets.find((x) => x.name === HAND_REMARKS_SHEET);
  if (!s) return null;
  const rows: unknown[][] = [];
  for (const c of s.cells) (rows[c.row - 1] ??= [])[c.col - 1] = c.value;
  return rows;
};

describe('planWorkbook and 各评分人扣分依据', () => {
  it('emits the sheet only when another hand has a non-blank remark, before the metadata', () => {
    const none = planWorkbook(program, [{ name: '甲局', handRemarks: { rater2: { 's1.2': '  ' } } }, '乙局'], { assessment: RATERS });
    expect(none.sheets.map((s) => s.name)).not.toContain(HAND_REMARKS_SHEET);
    // The first scoring hand's words go to its 扣分依据 column, not to the sheet.
    const first = planWorkbook(program, [{ name: '甲局', handRemarks: { rater1: { 's1.2': '评委1' } } }], { assessment: RATERS });
    expect(first.sheets.map((s) => s.name)).not.toContain(HAND_REMARKS_SHEET);
    const sm = first.meta.sheets[0];
    const at = sm.remarks!.find((r) => r.id === 's1.2')!.address;
    const unit = first.sheets.find((s) => s.name === sm.name)!;
    expect(unit.cells.find((c) => `${String.fromCharCode(64 + c.col)}${c.row}` === at)?.value).toBe('评委1');

    const some = planWorkbook(program, [
      { name: '甲局', handRemarks: { rater2: { 's1.2': '评委2：资料不全' }, rater3: { 's2.2': '评委3：未见文件', 's1.1': '' } } },
      { name: '乙局', handRemarks: { rater3: { 's1.2': '评委3' } } },
    ], { assessment: RATERS });
    const names = some.sheets.map((s) => s.name);
    expect(names.indexOf(HAND_REMARKS_SHEET)).toBe(names.indexOf(META_SHEET) - 1);
    expect(cellsOf(some)!.slice(1)).toEqual([
      ['被考核单位', '填写人', '评分项编号', '扣分依据/说明', '填写人编号'],
      ['甲局', '评委2', 's1.2', '评委2：资料不全', 'rater2'],
      ['甲局', '评委3', 's2.2', '评委3：未见文件', 'rater3'],
      ['乙局', '评委3', 's1.2', '评委3', 'rater3'],
    ]);
  });

  it('reads the rows back by their headers (columns moved), and sorts out those that fit no unit or hand', () => {
    const rows = [
      ['标题'],
      ['填写人编号', '被考核单位', '评分项编号', '扣分依据/说明', '填写人'],
      ['rater2', '甲局', 's1.2', '评委2：资料不全', '评委2'],
      undefined,
      ['', '甲局', 's2.2', '评委3：按表头认出', '评委3'],
      ['rater9', '甲局', 's1.2', '第九位', '评委9'],
      ['rater2', '丁局', 's1.2', '没有此单位', '评委2'],
      ['rater1', '甲局', 's1.2', '第一位在列中', '评委1'],
      ['rater2', '甲局', 's1.2', '又一次', '评委2'],
      ['rater3', '甲局', 's1.1', '  ', '评委3'],
    ];
    const read = parseHandRemarkRows(rows);
    expect(read.map((r) => [r.row, r.unit, r.hand, r.id, r.text])).toEqual([
      [3, '甲局', 'rater2', 's1.2', '评委2：资料不全'],
      [5, '甲局', '评委3', 's2.2', '评委3：按表头认出'],
      [6, '甲局', 'rater9', 's1.2', '第九位'],
      [7, '丁局', 'rater2', 's1.2', '没有此单位'],
      [8, '甲局', 'rater1', 's1.2', '第一位在列中'],
      [9, '甲局', 'rater2', 's1.2', '又一次'],
    ]);
    const m = matchHandRemarks(read, ['甲局', '乙局'], ['rater1', 'rater2', 'rater3']);
    expect(Object.fromEntries(m.byUnit)).toEqual({ 甲局: { rater2: { 's1.2': '评委2：资料不全' }, rater3: { 's2.2': '评委3：按表头认出' } } });
    expect(m.unread.map((r) => [r.row, r.why])).toEqual([[6, 'hand'], [7, 'unit'], [8, 'first'], [9, 'twice']]);
  });

  it('the xlsx reader: ReadUnit.handRemarks for every hand; a row naming no unit or hand reported and kept', async () => {
    const plan = planWorkbook(program, [
      { name: '甲局', remarks: { 's1.2': '评委1：两次' }, handRemarks: { rater2: { 's1.2': '评委2：资料不全' } } },
      '乙局',
    ], { assessment: RATERS });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeWorkbook(plan)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(HAND_REMARKS_SHEET)!;
    ws.getRow(4).values = ['丁局', '评委3', 's1.2', '丁局没有', 'rater3'];
    ws.getRow(5).values = ['乙局', '评委3', 's2.2', '评委3：乙局', 'rater3'];
    const read = await readFilledWorkbook(new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(read.units.map((u) => [u.unit, u.handRemarks])).toEqual([
      ['甲局', { rater1: { 's1.2': '评委1：两次' }, rater2: { 's1.2': '评委2：资料不全' }, rater3: {} }],
      ['乙局', { rater1: {}, rater2: {}, rater3: { 's2.2': '评委3：乙局' } }],
    ]);
    expect(read.strayRemarks!.map((r) => [r.row, r.unit, r.hand, r.id, r.text, r.why])).toEqual([[4, '丁局', 'rater3', 's1.2', '丁局没有', 'unit']]);
    const p = read.problems.filter((x) => x.code === 'workbook.remarkNotRead');
    expect(p.map((x) => x.message.zh)).toEqual(['“各评分人扣分依据”第4行（单位“丁局”，评分人“rater3”，评分项“s1.2”）的扣分依据“丁局没有”未读入：本工作簿没有此单位；更新评分标准或合并时原样保留在“未匹配录入”']);
    // As an update takes them: kept aside, with the row it came from.
    const kept = unreadRemarksKept(read.strayRemarks!, () => undefined);
    expect(kept).toEqual([{ unit: '丁局', variant: '', key: 'rater3:s1.2#扣分依据', value: '丁局没有', label: '各评分人扣分依据第4行：rater3：s1.2：扣分依据/说明' }]);
  });
});

describe('carryOver and every hand’s 扣分依据', () => {
  it('carries each hand’s words by criterion id; a gone criterion’s, or a hand the workbook lacks, kept aside', () => {
    const v2 = { ...program, version: '1.1.0', variants: program.variants.map((v) => ({ ...v, sections: v.sections.map((s) => ({ ...s, children: s.children?.filter((c) => c.id !== 's2.2') })) })) };
    const hands = ['rater1', 'rater2', 'rater3'] as const;
    const c = carryOver(program, v2 as typeof program, [{
      unit: '甲局', variant: 'a', inputs: {}, remarks: { 's1.2': '评委1' },
      handRemarks: { rater2: { 's1.2': '评委2', 's2.2': '评委2：领导小组' }, rater3: { 's1.1': '评委3' } },
    }], [...hands]);
    expect(c.entries[0].remarks).toEqual({ 's1.2': '评委1' });
    expect(c.entries[0].handRemarks).toEqual({ rater2: { 's1.2': '评委2' }, rater3: { 's1.1': '评委3' } });
    expect(c.unmatched.map((u) => [u.key, u.label, u.value, u.reason])).toEqual([['rater2:s2.2#扣分依据', '评委2：领导小组：扣分依据/说明', '评委2：领导小组', 'criterionRemoved']]);
    // Kept aside earlier under the hand's key: back with that hand (another version may have the criterion again).
    const back = withUnmatched([{ unit: '甲局', variant: 'a', inputs: {} }], [{ unit: '甲局', variant: 'a', key: 'rater2:s2.2#扣分依据', value: '评委2：领导小组' }]);
    expect(back[0].handRemarks).toEqual({ rater2: { 's2.2': '评委2：领导小组' } });
    expect(carryOver(program, program, back, [...hands]).entries[0].handRemarks).toEqual({ rater2: { 's2.2': '评委2：领导小组' } });
    // A hand the workbook does not have (a row for rater9): kept aside, said why.
    const odd = carryOver(program, program, withUnmatched([{ unit: '甲局', variant: 'a', inputs: {} }], [{ unit: '甲局', variant: 'a', key: 'rater9:s1.2#扣分依据', value: '第九位' }]), [...hands]);
    expect(odd.unmatched.map((u) => [u.key, u.value, u.reason])).toEqual([['rater9:s1.2#扣分依据', '第九位', 'remarkAside']]);
  });

  it('another hand’s value kept aside goes back to its column when a later version has the input again', () => {
    const v2 = { ...program, version: '1.1.0', variants: program.variants.map((v) => ({ ...v, sections: v.sections.map((s) => ({ ...s, children: s.children?.filter((c) => c.id !== 's2.2') })) })) } as typeof program;
    const hands = ['rater1', 'rater2', 'rater3'] as const;
    const key = planWorkbook(program, ['甲局']).meta.sheets[0].inputs.find((i) => i.criterionId === 's2.2')!.key;
    // 1.0 → 1.1: rater2's entry on s2.2 has no place, kept aside under rater2's key.
    const out = carryOver(program, v2, [{ unit: '甲局', variant: 'a', inputs: {}, hands: { rater1: {}, rater2: { [key]: 1 }, rater3: {} } }], [...hands]);
    expect(out.unmatched.map((u) => [u.key, u.value, u.reason])).toEqual([[`rater2:${key}`, 1, 'criterionRemoved']]);
    // 1.1 → 1.2 with s2.2 again: back into rater2's column (before: kept aside again, never carried back).
    const v3 = { ...program, version: '1.2.0' };
    const back = carryOver(v2, v3, withUnmatched([{ unit: '甲局', variant: 'a', inputs: {}, hands: { rater1: {}, rater2: {}, rater3: {} } }], out.unmatched.map((u) => ({ unit: u.unit, variant: u.variant, key: u.key, value: u.value, label: u.label }))), [...hands]);
    expect(back.unmatched).toEqual([]);
    expect(back.entries[0].hands!.rater2).toEqual({ [key]: 1 });
    // Where the place holds another value now, kept aside again rather than written over.
    const taken = carryOver(v2, v3, withUnmatched([{ unit: '甲局', variant: 'a', inputs: {}, hands: { rater1: {}, rater2: { [key]: 0 }, rater3: {} } }], [{ unit: '甲局', variant: 'a', key: `rater2:${key}`, value: 1 }]), [...hands]);
    expect(taken.entries[0].hands!.rater2).toEqual({ [key]: 0 });
    expect(taken.unmatched.map((u) => [u.key, u.value])).toEqual([[`rater2:${key}`, 1]]);
  });
});
