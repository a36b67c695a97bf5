import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { carryInputs, diffPrograms, loadProgram, scoreCohort } from '../../src/engine';

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
