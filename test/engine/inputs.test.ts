/**
 * parseInput over what clerks really type: 85, "85%", 0.85, full-width "８５", "１，２００",
 * 是/否/√/×/有/无, blanks, garbage, negatives, non-integer counts, step violations.
 */
import { describe, expect, it } from 'vitest';
import { parseInput, parseNumberText, normalizeText, readCell, stateFormula, type InputSpec, type Raw } from '../../src/engine';

const spec = (type: InputSpec['type'], extra: Partial<InputSpec> = {}): InputSpec => ({
  key: `c#${type}`, criterionId: 'c', name: type, type, label: '录入项', hint: '', hintEn: '', ...extra,
});
const COUNT = spec('count', { min: '0', label: '违反次数' });
const NUMBER = spec('number', { min: '0', label: '办件量' });
const PERCENT = spec('percent', { min: '0', max: '1', label: '网上可办率' });
const SCORE = spec('score', { min: '0', max: '5', step: '0.5', label: '得分' });
const RANGE = spec('score', { min: '0.5', max: '3', step: '0.5', zeroOrRange: true, label: '视情扣分' });
const YESNO = spec('yesno', { label: '是否成立领导小组' });
const CHOICE = spec('choice', { options: ['整体接入', '单机接入'], label: '接入方式' });

const num = (s: InputSpec, raw: Raw): number | null => {
  const p = parseInput(s, raw);
  expect(p.problems).toEqual([]);
  return p.value && p.value.t === 'num' ? p.value.v.toNumber() : null;
};
const bad = (s: InputSpec, raw: Raw) => {
  const p = parseInput(s, raw);
  expect(p.value).toBeNull();
  expect(p.problems).toHaveLength(1);
  expect(p.problems[0].path).toBe(s.key);
  expect(p.problems[0].severity).toBe('error');
  return p.problems[0];
};

describe('numbers as typed', () => {
  it.each([
    [85, 85], ['85', 85], [' 85 ', 85], ['８５', 85], ['１，２００', 1200], ['1,200', 1200], ['1，200', 1200],
    ['12.5', 12.5], ['.5', 0.5], ['0.85', 0.85], ['８５．５', 85.5], ['+3', 3], ['\u3000７\u3000', 7],
    ['120件', 120], ['3天', 3], ['150平方米', 150], ['150㎡', 150], [0, 0], ['0', 0], [1e6, 1e6],
  ] as const)('number %j → %d', (raw, v) => {
    expect(num(NUMBER, raw)).toBe(v);
  });

  it.each([['abc'], ['八十五'], ['85分分'], ['—'], ['85 %x'], ['1e3'], ['0x10'], ['Infinity']] as const)('garbage %j is input.notNumber', (raw) => {
    const p = bad(NUMBER, raw);
    expect(p.code).toBe('input.notNumber');
    expect(p.message.zh).toBe(`“办件量”应填数字，实际为“${normalizeText(raw)}”`);
    expect(p.message.en).toBe(`"办件量" needs a number, got "${normalizeText(raw)}"`);
  });

  it.each([[NaN], [Infinity], [-Infinity], [true], [false]] as const)('%s is input.notNumber, never NaN', (raw) => {
    expect(bad(NUMBER, raw).code).toBe('input.notNumber');
  });

  it('negative figures are input.negative in both languages', () => {
    const p = bad(NUMBER, '-3');
    expect(p.code).toBe('input.negative');
    expect(p.message.zh).toBe('“办件量”不能为负数（-3）');
    expect(p.message.en).toBe('"办件量" cannot be negative (-3)');
    expect(bad(COUNT, -1).code).toBe('input.negative');
    expect(bad(NUMBER, '－５').code).toBe('input.negative');
  });

  // Issue 10: ambiguous text is a problem, never a guess ("1,2" was 12, "1 0 0" was 100, "150%" 1.5 points).
  it.each([['1,2'], ['12,34'], ['1 0 0'], ['1.2.3'], ['1,2,3']] as const)('ambiguous %j is input.ambiguousNumber', (raw) => {
    const p = bad(NUMBER, raw);
    expect(p.code).toBe('input.ambiguousNumber');
    expect(p.message.zh).toBe(`“办件量”的“${raw}”不是明确的数字（逗号只能用作千位分隔，数字中间不能有空格）`);
  });
  it('a % sign where no percentage is asked is input.percentSign', () => {
    expect(bad(SCORE, '150%').code).toBe('input.percentSign');
    expect(bad(NUMBER, '85%').message.zh).toBe('“办件量”不是百分比，不能带%（85%）');
  });
  it('another unit than the input\'s own is input.unitMismatch (2分 is no count of 次)', () => {
    const p = bad({ ...COUNT, unit: '次' }, '2分');
    expect(p.code).toBe('input.unitMismatch');
    expect(p.message.zh).toBe('“违反次数”的单位是“次”，填的“2分”单位是“分”');
  });
  it('arrays and objects are input.notScalar ([1,2] was 12, [[["8"]]] was 8)', () => {
    for (const raw of [[1, 2], [[['8']]], { a: 1 }]) expect(bad(NUMBER, raw as never).code).toBe('input.notScalar');
  });
  it('a long value is cut in the message (a pasted 50 MB cell is not echoed)', () => {
    const p = bad(NUMBER, 'x'.repeat(100_000));
    expect(p.message.zh.length).toBeLessThan(150);
    expect(p.message.zh).toContain('…（共100000字');
  });

  it('-0 is zero, not an error', () => {
    expect(Math.abs(num(NUMBER, '-0')!)).toBe(0);
  });

  it('parseNumberText says whether a % sign was used', () => {
    expect(parseNumberText('85%')).toMatchObject({ percent: true });
    expect(parseNumberText('85')).toMatchObject({ percent: false });
    expect(parseNumberText('x')).toBeNull();
  });
});

describe('counts', () => {
  it('whole counts, with or without 次', () => {
    expect(num(COUNT, 3)).toBe(3);
    expect(num(COUNT, '3次')).toBe(3);
    expect(num(COUNT, '３')).toBe(3);
  });
  it.each([[1.5], ['2.5'], ['0.5次']] as const)('non-integer count %j is input.notInteger', (raw) => {
    const p = bad(COUNT, raw);
    expect(p.code).toBe('input.notInteger');
    expect(p.message.zh).toMatch(/^“违反次数”应为整数次数（[\d.]+）$/);
    expect(p.message.en).toMatch(/^"违反次数" must be a whole count \([\d.]+\)$/);
  });
});

// The percent rule (docs/ARCHITECTURE.md): a percent input holds the fraction Excel stores for 85% (0.85);
// typed text may carry the sign ("85%"). A number above 1 is never reinterpreted as percentage points:
// 85 and 1.2 (what Excel stores for 120%) are input.percentAbove1, so 1 is always 100% and 1.5 never 1.5%.
describe('percentages: 0.85 and "85%" mean 85%; 85 is a problem', () => {
  it.each([['85%', 0.85], [0.85, 0.85], ['0.85', 0.85], ['８５％', 0.85], ['100%', 1], [1, 1], [0, 0], ['0%', 0], ['12.5%', 0.125], ['1.5%', 0.015]] as const)('%j → %d', (raw, v) => {
    expect(num(PERCENT, raw)).toBe(v);
  });
  it.each([[85], ['85'], [1.2], [1.5], [150], ['150%'], ['１２０％']] as const)('%j is above 100%: input.percentAbove1', (raw) => {
    expect(bad(PERCENT, raw).code).toBe('input.percentAbove1');
  });
  it('the message says what the number means and how to type 85%', () => {
    const p = bad(PERCENT, 85);
    expect(p.message.zh).toBe('“网上可办率”是百分比（0～100%），85即8500%，超过100%；85%请填“85%”或0.85');
    expect(p.message.en).toBe('"网上可办率" is a percentage (0–100%); 85 is 8500%, above 100%: for 85% enter "85%" or 0.85');
  });
  it('negative percentages are input.negative', () => {
    expect(bad(PERCENT, '-5%').code).toBe('input.negative');
  });
});

describe('scores: range and step (R1, R26)', () => {
  it('within range and step', () => {
    expect(num(SCORE, 4.5)).toBe(4.5);
    expect(num(SCORE, '5')).toBe(5);
    expect(num(SCORE, '３．５')).toBe(3.5);
  });
  it('out of range is an error, not clamped', () => {
    const p = bad(SCORE, 6);
    expect(p.code).toBe('input.outOfRange');
    expect(p.message.zh).toBe('“得分”应在0～5之间，实际为6');
    expect(p.message.en).toBe('"得分" must be between 0 and 5, got 6');
  });
  it('a step violation names the step', () => {
    const p = bad(SCORE, 4.3);
    expect(p.code).toBe('input.step');
    expect(p.message.zh).toBe('“得分”须按0.5分的步长给分（4.3）');
    expect(p.message.en).toBe('"得分" must be in steps of 0.5 (4.3)');
    expect(bad(SCORE, '0.25').code).toBe('input.step');
  });
  it('a step of 0.1 is exact (no float modulo drift)', () => {
    const s = spec('score', { min: '0', max: '10', step: '0.1' });
    for (const v of ['0.3', '0.7', '2.9', '9.9', '0.1']) expect(num(s, v)).toBe(Number(v));
    expect(bad(s, '0.35').code).toBe('input.step');
  });
  it('0 or within [min, max] (每发现一起扣1-3分 / 视情扣0.5-3分)', () => {
    expect(num(RANGE, 0)).toBe(0);
    expect(num(RANGE, 0.5)).toBe(0.5);
    expect(num(RANGE, 3)).toBe(3);
    expect(bad(RANGE, 0.3).code).toBe('input.outOfRange');
    expect(bad(RANGE, 3.5).code).toBe('input.outOfRange');
    expect(bad(RANGE, 1.2).code).toBe('input.step');
    expect(bad(RANGE, 0.3).message.zh).toBe('“视情扣分”应在0.5～3之间，实际为0.3');
  });
});

describe('yes / no: 是/否/√/×/有/无', () => {
  it.each([['是', true], ['√', true], ['有', true], ['✓', true], ['Y', true], ['y', true], [' 是 ', true],
    ['否', false], ['×', false], ['无', false], ['✗', false], ['N', false], ['n', false]] as const)('%j → %s', (raw, v) => {
    const p = parseInput(YESNO, raw);
    expect(p.problems).toEqual([]);
    expect(p.value).toEqual({ t: 'bool', v });
  });
  it.each([['对'], ['1'], [1], [true], ['是的']] as const)('%j is input.notYesNo', (raw) => {
    const p = bad(YESNO, raw);
    expect(p.code).toBe('input.notYesNo');
    const shown = raw === true ? 'TRUE' : String(raw);
    expect(p.message.zh).toBe(`“是否成立领导小组”应填“是”或“否”（也可填√/×、有/无、Y/N），实际为“${shown}”`);
    expect(p.message.en).toBe(`"是否成立领导小组" needs 是 or 否 (also accepted: yes/no, Y/N, √/×, 有/无), got "${shown}"`);
  });

  it.each([['yes', true], ['YES', true], ['no', false], ['No', false], ['y', true], ['n', false]] as const)('English %j reads as %s (the message offers yes/no, so it accepts them)', (raw, v) => {
    expect(parseInput(YESNO, raw)).toMatchObject({ value: { t: 'bool', v }, problems: [] });
  });
});

describe('choices', () => {
  it('an option, trimmed', () => {
    expect(parseInput(CHOICE, ' 单机接入 ').value).toEqual({ t: 'text', v: '单机接入' });
  });
  it('anything else names the options', () => {
    const p = bad(CHOICE, '部分接入');
    expect(p.code).toBe('input.unknownChoice');
    expect(p.message.zh).toBe('“接入方式”应从以下选项中选择：整体接入、单机接入；实际为“部分接入”');
    expect(p.message.en).toBe('"接入方式" must be one of: 整体接入、单机接入; got "部分接入"');
  });
});

describe('blanks and 不涉及', () => {
  it.each([[null], [undefined], [''], ['   '], ['\u3000']] as const)('%j is blank: no value, no problem', (raw) => {
    for (const s of [COUNT, NUMBER, PERCENT, SCORE, YESNO, CHOICE]) {
      const p = parseInput(s, raw);
      expect(p).toMatchObject({ blank: true, value: null, problems: [] });
    }
  });
  it('不涉及/不适用/N/A where allowed', () => {
    const s = { ...NUMBER, naAllowed: true };
    for (const w of ['不涉及', '不适用', 'N/A', 'n/a', ' 不涉及 ']) expect(parseInput(s, w)).toMatchObject({ na: true, value: { t: 'na' }, problems: [] });
  });
  it('不涉及 where not allowed is an error', () => {
    expect(bad(NUMBER, '不涉及').severity).toBe('error');
    expect(bad(YESNO, '不涉及').severity).toBe('error');
  });
});

describe('the value is never NaN, whatever comes in', () => {
  const weird: unknown[] = [NaN, Infinity, -Infinity, 1e308, -1e-308, 'NaN', '∞', {}, [], [1], () => 1, Symbol.iterator, 10n, new Date(0), '１'.repeat(400), '%', '.', '-', '+'];
  it.each(weird.map((w) => [w]))('%s', (raw) => {
    for (const s of [COUNT, NUMBER, PERCENT, SCORE, RANGE, YESNO, CHOICE]) {
      let p;
      try {
        p = parseInput(s, raw as Raw);
      } catch (e) {
        throw new Error(`parseInput(${s.type}, ${String(typeof raw)}) threw ${String(e)}`);
      }
      if (p.value && p.value.t === 'num') {
        expect(p.value.v.isFinite()).toBe(true);
        expect(Number.isNaN(p.value.v.toNumber())).toBe(false);
      }
      expect(p.value !== null || p.blank || p.problems.length > 0).toBe(true);
    }
  });
});

describe('不涉及 marks on a 是/否 first input (issue 13 marks joined to issue 9 state cells)', () => {
  const yesno: InputSpec = { key: 'c#q', criterionId: 'c', name: 'q', type: 'yesno', label: '是否公开', hint: '', hintEn: '', naAllowed: true };
  const count: InputSpec = { key: 'c#n', criterionId: 'c', name: 'n', type: 'count', label: '次数', hint: '', hintEn: '', naAllowed: true };
  const second: InputSpec = { key: 'c#m', criterionId: 'c', name: 'm', type: 'count', label: '条数', hint: '', hintEn: '' };
  const env = { cell: (k: string) => (k === 'c#m' ? 'B1' : 'A1'), state: (k: string) => (k === 'c#m' ? 'S2' : 'S1') };

  it('无 is 否 on a 是/否 question and 不涉及 on a number: the engine and the state cell say the same', () => {
    expect(readCell(yesno, '无').value).toEqual({ t: 'bool', v: false });
    expect(readCell(count, '无').na).toBe(true);
    expect(readCell(yesno, '/').na).toBe(true);
    // The second input's state: a blank is not missing when the first holds 不涉及 — 无 counts only where it means 不涉及.
    const onYesNo = stateFormula(second, env, yesno);
    const onCount = stateFormula(second, env, count);
    expect(onYesNo).toContain('TRIM(A1)="/"');
    expect(onYesNo).not.toContain('TRIM(A1)="无"');
    expect(onCount).toContain('TRIM(A1)="无"');
  });

  it('a 是 cohort flag waives the own lines in the state cell, as the engine drops them from 未完成', () => {
    const f = stateFormula(second, env, undefined, 'c#q');
    expect(f).toMatch(/^IF\(ISERROR\(B1\),2,IF\(LEN\(TRIM\(B1\)\)=0,IF\(IF\(S1=2,FALSE\(\),OR\(TRIM\(A1\)="是"/);
  });
});

// A cell's content, read exactly as the sheet's formulas read it (readCell; the state cell prints the same test).
describe('cells as the formulas read them (readCell)', () => {
  const cell = (s: InputSpec, raw: unknown) => readCell(s, raw);
  it.each([['85', COUNT], ['８５', COUNT], [' 3 ', COUNT], ['1,500', COUNT], ['90%', PERCENT], ['2次', COUNT]] as const)('text %j in a number cell is input.textNumber (a formula reads it as 0)', (raw, s) => {
    const p = cell(s, raw);
    expect(p).toMatchObject({ value: null, rejected: true });
    expect(p.problems.map((x) => x.code)).toEqual(['input.textNumber']);
  });
  it.each([[true], [false], ['#DIV/0!'], ['abc'], ['\u3000']] as const)('%j in a number cell is rejected', (raw) => {
    expect(cell(NUMBER, raw)).toMatchObject({ value: null, rejected: true });
  });
  it('numbers are read as they are, with the same checks as typed values', () => {
    expect(cell(SCORE, 4.5).value).toEqual({ t: 'num', v: expect.anything() });
    expect(cell(SCORE, 6).problems[0].code).toBe('input.outOfRange');
    expect(cell(SCORE, 1e9).problems[0].code).toBe('input.outOfRange');
    expect(cell(PERCENT, 0.85).rejected).toBe(false);
    expect(cell(PERCENT, 1.2).problems[0].code).toBe('input.percentAbove1');
  });
  it('words as TRIM and spreadsheet comparison see them: spaces trimmed, ASCII case ignored, width not', () => {
    expect(cell(YESNO, '  是 ').value).toEqual({ t: 'bool', v: true });
    expect(cell(YESNO, 'y').value).toEqual({ t: 'bool', v: true });
    expect(cell(YESNO, 'ｙ').rejected).toBe(true);
    expect(cell(YESNO, true).rejected).toBe(true);
    expect(cell(YESNO, 1).rejected).toBe(true);
    expect(cell(CHOICE, ' 单机接入 ').value).toEqual({ t: 'text', v: '单机接入' });
    expect(cell({ ...NUMBER, naAllowed: true }, ' n/a ').value).toEqual({ t: 'na' });
    // 不 涉及 with a space is one of the clerks' marks (marks.ts), read alike by the formulas.
    expect(cell({ ...NUMBER, naAllowed: true }, '不 涉及').value).toEqual({ t: 'na' });
  });
  it('a blank cell, an empty text or spaces only are blank, not rejected', () => {
    for (const raw of [null, undefined, '', '   ']) expect(cell(COUNT, raw)).toMatchObject({ blank: true, rejected: false, problems: [] });
  });
});
