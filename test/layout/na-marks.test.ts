/**
 * 不涉及 as clerks write it (engine/marks.ts): where the rubric allows it, `/`, `—`, `无`, `N/A`, `NA` and
 * `不 涉及` (with a space, also full-width) mark a criterion not applicable — in the engine and, through
 * HyperFormula, in the sheet's own formula, so both score it alike. `无` stays 否 on a 是/否 question.
 * Where the rubric allows no 不涉及 the message says so; where it allows it, messages name the marks.
 */
import { describe, expect, it } from 'vitest';
import { compileSheet, parseInput, type InputSpec } from '../../src/engine';
import { addr, planWorkbook } from '../../src/layout';
import { hfMismatches, loadFixture } from './helpers';

const program = loadFixture();
const variant = program.variants[0];
const sheet = compileSheet(program, variant, { name: '甲局', tags: [] });
const spec = (key: string): InputSpec => [...sheet.inputs].find((i) => i.key === key)!;
const NUMBER = spec('s2.1#figure');
const YESNO = spec('s2.2#yes');
const MARKS = ['/', '／', '—', '——', '不 涉及', '不　涉及', '不  涉及', '不 适用', 'N/A', 'n/a', 'NA', 'ＮＡ', '无', ' 无 '];

describe('不涉及 marks where the rubric allows 不涉及', () => {
  it.each(MARKS)('%j on a number input is 不涉及', (mark) => {
    expect(parseInput(NUMBER, mark)).toMatchObject({ na: true, problems: [] });
  });

  it.each(MARKS.filter((m) => m.trim() !== '无'))('%j on a 是/否 input is 不涉及', (mark) => {
    expect(parseInput(YESNO, mark)).toMatchObject({ na: true, problems: [] });
  });

  it('无 on a 是/否 question stays 否', () => {
    expect(parseInput(YESNO, '无')).toMatchObject({ na: false, value: { t: 'bool', v: false }, problems: [] });
  });

  it.each(MARKS)('%j: the sheet’s formulas score it as the engine does (HyperFormula)', (mark) => {
    const plan = planWorkbook(program, [{ name: '甲局', inputs: { [NUMBER.key]: mark, [YESNO.key]: mark } }, '乙局'], { date: '2019-01-15' });
    expect(hfMismatches(plan)).toEqual([]);
    // And it is 不涉及 (full points under this program's policy), not 0.
    const s = plan.sheets.find((x) => x.name === '甲局')!;
    const at = plan.meta.sheets.find((m) => m.unit === '甲局')!.cells.find((c) => c.id === 's2.1')!.address;
    expect(s.cells.find((c) => addr(c.row, c.col) === at)!.cached).toBe(Number(variant.sections[1].children![0].points));
  });

  it('names the marks in the message of a value it rejects, and in the cell’s input message', () => {
    const p = parseInput(NUMBER, '没有数据').problems[0];
    expect(p.code).toBe('input.notNumber');
    expect(p.message.zh).toContain('本项不涉及的可填“不涉及”（或无、/、—、N/A）');
    expect(p.message.en).toContain('type 不涉及 (or 无, /, —, N/A)');
    expect(parseInput(YESNO, '也许').problems[0].message.zh).toContain('（或/、—、N/A）');
    const plan = planWorkbook(program, ['甲局'], {});
    const v = plan.sheets.find((x) => x.name === '甲局')!.validations;
    const rule = v.find((x) => x.address === plan.meta.sheets[0].inputs.find((i) => i.key === NUMBER.key)!.address)!.rule;
    expect(rule.prompt).toContain('（或无、/、—、N/A）');
    for (const x of v) expect(x.rule.formulae.every((f) => f.length <= 255)).toBe(true);
    expect(rule.formulae[0]).toContain('TRIM(');
    expect(rule.formulae[0]).toContain('"/"');
  });
});

describe('where the rubric allows no 不涉及', () => {
  const refused = { ...NUMBER, naAllowed: false };

  it('says that the rubric does not allow it, naming what was typed', () => {
    const p = parseInput(refused, '不涉及').problems[0];
    expect(p.code).toBe('input.notApplicableRefused');
    expect(p.message.zh).toBe('“' + NUMBER.label + '”不能填“不涉及”：评分细则未规定本项可以不涉及（未设“不涉及”），请按实际情况填写');
    expect(p.message.en).toContain('the rubric does not allow 不涉及');
  });

  it('reads the marks as before (a number is wanted), without offering 不涉及', () => {
    for (const mark of ['/', '—', '无', '不 涉及']) {
      const p = parseInput(refused, mark);
      expect(p.na).toBe(false);
      expect(p.problems[0].code).toBe('input.notNumber');
      expect(p.problems[0].message.zh).not.toContain('不涉及的可填');
    }
  });
});
