import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { carryInputs, compileSheet, diffPrograms, loadProgram, scoreCohort } from '../../src/engine';

const text = readFileSync(new URL('../fixtures/mini.yaml', import.meta.url), 'utf8');
const before = loadProgram(text).program!;

describe('rubric corrections (更新评分标准)', () => {
  // The corrected rubric: 巡查 now 3 points at 1 per time, 接入 removed, a new yes/no item added.
  const corrected = text
    .replace('points: 2, rule: { kind: deduct, lines: [{ type: count, label: 违反次数, rate: 0.5 }] }', 'points: 3, rule: { kind: deduct, lines: [{ type: count, label: 违反次数, rate: 1 }] }')
    .replace(/ {10}- \{ id: s1\.4.*\n/, '          - { id: s1.5, title: 公开, text: 公开记1分, points: 1, rule: { kind: yesno, question: 是否公开 } }\n');
  const after = loadProgram(corrected).program!;

  it('lists added, removed, re-pointed and re-ruled criteria', () => {
    const d = diffPrograms(before, after);
    const by = (c: string) => d.filter((x) => x.change === c).map((x) => x.id);
    expect(by('added')).toEqual(['s1.5']);
    expect(by('removed')).toEqual(['s1.4']);
    expect(by('points')).toEqual(['s1.2']);
    expect(by('rule')).toEqual(['s1.2']);
    expect(d.find((x) => x.change === 'points')).toMatchObject({ before: '2', after: '3' });
  });

  it('carries every value by key and keeps the ones whose criterion vanished', () => {
    const values = { 's1.2#l1': 2, 's1.4#choice': '整体接入', 's1.3#value': '95%', 's2.1#figure': 10, 'veto#chinaka': '否' };
    const r = carryInputs(after, 'a', { name: '甲局' }, values);
    expect(r.carried).toEqual({ 's1.2#l1': 2, 's1.3#value': '95%', 's2.1#figure': 10, 'veto#chinaka': '否' });
    expect(r.unmatched).toEqual([{ key: 's1.4#choice', value: '整体接入' }]);
    // The corrected rule applies to the carried count: 3 − 2×1 = 1 (was 2 − 2×0.5 = 1 under the old rule).
    const scored = scoreCohort(after, [{ unit: '甲局', inputs: r.carried }]).units[0];
    const s12 = scored.nodes[0].children.find((n) => n.id === 's1.2')!;
    expect(s12.points).toBe(1);
    expect(s12.max).toBe(3);
  });
});

describe('carrying by what a line means, not by its position', () => {
  const LINE = '[{ type: count, label: 违反次数, rate: 0.5 }]';
  const edit = (lines: string) => loadProgram(text.replace(LINE, lines)).program!;
  const inputsOf = (p: typeof before) => {
    const v = p.variants.find((x) => x.id === 'a')!;
    const s = compileSheet(p, v, { name: '甲局' });
    return [...s.inputs, ...s.vetoInputs];
  };

  it('a line inserted before another: 违反次数=2 follows its line to l2, the new 迟报次数 stays blank', () => {
    const after = edit('[{ type: count, label: 迟报次数, rate: 1 }, { type: count, label: 违反次数, rate: 0.5 }]');
    const r = carryInputs(after, 'a', { name: '甲局' }, { 's1.2#l1': 2, 's2.1#figure': 10 }, inputsOf(before));
    expect(r.carried).toEqual({ 's1.2#l2': 2, 's2.1#figure': 10 });
    expect(r.carried['s1.2#l1']).toBeUndefined();
    expect(r.moved).toEqual([{ from: 's1.2#l1', to: 's1.2#l2' }]);
    expect(r.unmatched).toEqual([]);
    // Without the old version's inputs (key only), the value would land on 迟报次数: the behaviour this replaces.
    expect(carryInputs(after, 'a', { name: '甲局' }, { 's1.2#l1': 2 }).carried).toEqual({ 's1.2#l1': 2 });
  });

  it('a line whose label changed is kept aside (changed), not put on a line asking for something else', () => {
    const after = edit('[{ type: count, label: 迟报次数, rate: 0.5 }]');
    const r = carryInputs(after, 'a', { name: '甲局' }, { 's1.2#l1': 2 }, inputsOf(before));
    expect(r.carried).toEqual({});
    expect(r.unmatched).toEqual([{ key: 's1.2#l1', value: 2, changed: true }]);
  });

  it('two lines swapped: each value follows its own line', () => {
    const two = '[{ type: count, label: 违反次数, rate: 0.5 }, { type: flag, label: 未整改, amount: 1 }]';
    const v1 = edit(two);
    const v2 = edit('[{ type: flag, label: 未整改, amount: 1 }, { type: count, label: 违反次数, rate: 0.5 }]');
    const r = carryInputs(v2, 'a', { name: '甲局' }, { 's1.2#l1': 3, 's1.2#l2': '是' }, inputsOf(v1));
    expect(r.carried).toEqual({ 's1.2#l2': 3, 's1.2#l1': '是' });
    expect(r.unmatched).toEqual([]);
  });

  it('a rubric-given stable name keeps its value when the label is reworded; a type change does not', () => {
    const v1 = edit('[{ type: count, name: viol, label: 违反次数, rate: 0.5 }]');
    const reworded = edit('[{ type: count, name: viol, label: 违反规定次数, rate: 0.5 }]');
    expect(carryInputs(reworded, 'a', { name: '甲局' }, { 's1.2#viol': 2 }, inputsOf(v1)).carried).toEqual({ 's1.2#viol': 2 });
    const retyped = edit('[{ type: flag, name: viol, label: 违反次数, amount: 1 }]');
    const r = carryInputs(retyped, 'a', { name: '甲局' }, { 's1.2#viol': 2 }, inputsOf(v1));
    expect(r.carried).toEqual({});
    expect(r.unmatched).toEqual([{ key: 's1.2#viol', value: 2, changed: true }]);
  });

  it('a line replaced by another: its value is kept aside; a removed line: unmatched (not changed)', () => {
    const v1 = edit('[{ type: count, label: 违反次数, text: 甲, rate: 0.5 }, { type: count, label: 其他, rate: 1 }]');
    const after = edit('[{ type: count, label: 违反次数, text: 甲, rate: 0.5 }, { type: count, label: 另一项, rate: 1 }]');
    const r = carryInputs(after, 'a', { name: '甲局' }, { 's1.2#l1': 1, 's1.2#l2': 4 }, inputsOf(v1));
    expect(r.carried).toEqual({ 's1.2#l1': 1 });
    expect(r.unmatched).toEqual([{ key: 's1.2#l2', value: 4, changed: true }]);
    const fewer = edit('[{ type: count, label: 违反次数, text: 甲, rate: 0.5 }]');
    expect(carryInputs(fewer, 'a', { name: '甲局' }, { 's1.2#l2': 4 }, inputsOf(v1)).unmatched).toEqual([{ key: 's1.2#l2', value: 4 }]);
  });
});
