/**
 * What rubric authors commonly get wrong (issue 13), each with a zh-CN-first hint at its file:line:
 * a full-width colon after a field name, 16分 where a number belongs, a variant that does not exist,
 * and a percent tier written as 90 instead of 0.9.
 */
import { describe, expect, it } from 'vitest';
import { formatProblem, hasErrors, loadProgram, scoreCohort, type Problem } from '../../src/engine';
import { oneYaml } from './helpers';

const codes = (ps: Problem[]) => ps.map((p) => p.code);
const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

const BLOCK = `id: t
version: 1.0.0
title: 测试考核
issuer: 测试办
year: 2018
source: test
variants:
  - id: a
    name: 县直
    title: 测试打分表
    columns: [{ header: 考核项目, source: level1 }, { header: 分值, source: points }]
    sections:
      - id: s1
        title: 一、组织
        POINTS
        rule: { kind: direct }
`;

describe('a full-width colon after a field name', () => {
  it('block mapping: points：5 is named at its line instead of a bare YAML syntax error', () => {
    const text = BLOCK.replace('POINTS', 'points：5');
    const r = loadProgram(text, 'colon.yaml');
    expect(r.program).toBeNull();
    const p = r.problems.find((x) => x.code === 'rubric.fullWidthColon')!;
    expect(p).toMatchObject({ file: 'colon.yaml', line: lineOf(text, 'points：5'), severity: 'error', params: { field: 'points' } });
    expect(p.message.zh).toContain('用了全角冒号“：”，应为半角“:”');
    expect(p.message.en).toMatch(/full-width colon/);
    // The parser's own words on that line are replaced by the hint, not repeated.
    expect(r.problems.filter((x) => x.code === 'rubric.yaml' && x.line === p.line)).toEqual([]);
    expect(formatProblem(p, 'zh')).toMatch(/^colon\.yaml:15 /);
  });

  it('flow mapping: { kind：direct } is named, not reported as the unknown field "kind：direct"', () => {
    const text = BLOCK.replace('POINTS', 'points: 5').replace('{ kind: direct }', '{ kind：direct }');
    const r = loadProgram(text, 'flow.yaml');
    expect(r.program).toBeNull();
    const p = r.problems.find((x) => x.code === 'rubric.fullWidthColon')!;
    expect(p).toMatchObject({ line: lineOf(text, 'kind：direct'), params: { field: 'kind' } });
    expect(r.problems.some((x) => x.code === 'rubric.unknownField' && String(x.params.field).startsWith('kind：'))).toBe(false);
  });

  it('a full-width colon in rubric text is left alone', () => {
    const text = BLOCK.replace('POINTS', 'points: 5').replace('title: 一、组织', 'title: 一、组织（分值：5分）');
    const r = loadProgram(text, 'ok.yaml');
    expect(codes(r.problems)).not.toContain('rubric.fullWidthColon');
    expect(hasErrors(r.problems)).toBe(false);
  });
});

describe('16分 where a number is expected', () => {
  it.each([['16分', '16'], ['16 分', '16'], ['１６分', '16'], ['2.5分', '2.5']])('points: %s → 请只写数字%s', (written, number) => {
    const text = BLOCK.replace('POINTS', `points: ${written}`);
    const r = loadProgram(text, 'fen.yaml');
    expect(r.program).toBeNull();
    const p = r.problems.find((x) => x.code === 'rubric.numberWithFen')!;
    expect(p).toMatchObject({ file: 'fen.yaml', line: lineOf(text, `points: ${written}`), path: 'variants[0].sections[0].points', params: { value: written, number } });
    expect(p.message.zh).toContain(`请只写数字${number}，不要带“分”`);
    expect(codes(r.problems)).not.toContain('rubric.schema');
  });

  it('inside a rule: a tier worth 3分', () => {
    const text = BLOCK.replace('POINTS', 'points: 5').replace('{ kind: direct }', '{ kind: tiers, input: { label: 件数 }, tiers: [{ min: 1, points: 3分 }] }');
    const r = loadProgram(text, 'tier.yaml');
    const p = r.problems.find((x) => x.code === 'rubric.numberWithFen')!;
    expect(p).toMatchObject({ path: 'variants[0].sections[0].rule.tiers[0].points', line: lineOf(text, '3分'), params: { number: '3' } });
    expect(codes(r.problems)).not.toContain('rubric.badKind');
  });

  it('other text where a number belongs keeps the plain shape message', () => {
    const r = loadProgram(BLOCK.replace('POINTS', 'points: 十六'), 'x.yaml');
    expect(codes(r.problems)).toEqual(['rubric.schema']);
  });
});

describe('a unit naming a variant that does not exist', () => {
  it('lists the variants there are', () => {
    const text = oneYaml('{ id: c1, title: 甲, points: 5, rule: { kind: direct } }', { units: '[{ name: 县民政局, variant: 乡镇 }]' });
    const r = loadProgram(text, 'v.yaml');
    const p = r.problems.find((x) => x.code === 'rubric.unknownVariant')!;
    expect(p).toMatchObject({ path: 'units[0].variant', line: lineOf(text, 'units:'), params: { variant: '乡镇', known: 'a（县直）' } });
    expect(p.message.zh).toBe('单位“县民政局”的类别“乡镇”不存在；现有类别：a（县直）（填编号 id）');
    expect(p.message.en).toContain('the variants are: a');
  });
});

describe('a percent tier written as 90 instead of 0.9', () => {
  const tiers = (mins: number[]) => `{ id: c1, title: 办结率, points: 4, rule: { kind: tiers, input: { label: 办结率, type: percent }, tiers: [${mins.map((m, i) => `{ min: ${m}, points: ${i + 2} }`).join(', ')}] } }`;

  it('is an error at the tier, saying to write 0.9', () => {
    const text = oneYaml(tiers([80, 90]));
    const r = loadProgram(text, 'pct.yaml');
    expect(r.program).toBeNull();
    const ps = r.problems.filter((x) => x.code === 'rubric.percentTierWhole');
    expect(ps.map((p) => [p.path, p.params.fraction, p.line])).toEqual([
      ['variants[0].sections[0].children[0].rule.tiers[0].min', '0.8', lineOf(text, 'kind: tiers')],
      ['variants[0].sections[0].children[0].rule.tiers[1].min', '0.9', lineOf(text, 'kind: tiers')],
    ]);
    expect(ps[1].message.zh).toContain('百分比档次应写成小数，如 90% 写 0.9');
    expect(ps[1].severity).toBe('error');
  });

  it('fractions, 100% itself, and plain-number tiers are fine', () => {
    expect(hasErrors(loadProgram(oneYaml(tiers([0.8, 0.9, 1]))).problems)).toBe(false);
    const num = oneYaml('{ id: c1, title: 面积, points: 4, rule: { kind: tiers, input: { label: 面积 }, tiers: [{ min: 50, points: 2 }, { min: 90, points: 4 }] } }');
    expect(hasErrors(loadProgram(num).problems)).toBe(false);
  });
});

describe('an inputs entry naming a variant that does not exist', () => {
  it('is refused with the variants listed, not as an unknown unit', () => {
    const program = loadProgram(oneYaml('{ id: c1, title: 甲, points: 5, rule: { kind: direct } }'), 'v.yaml').program!;
    const res = scoreCohort(program, [{ unit: '新设单位', variant: 'xiangzhen', inputs: { c1: 3 } }]);
    const p = res.problems.find((x) => x.code === 'input.unknownVariant')!;
    expect(p).toMatchObject({ severity: 'error', params: { unit: '新设单位', variant: 'xiangzhen', known: 'a（县直）' } });
    expect(p.message.zh).toBe('单位“新设单位”的类别“xiangzhen”不存在；现有类别：a（县直）（填编号 id）');
    expect(codes(res.problems)).not.toContain('input.unknownUnit');
  });
});
