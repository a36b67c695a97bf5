/**
 * Whatever a clerk pastes, the import answers with a rubric or with coded problems — it never throws:
 * random text in the seeds' shapes (tabs, blank lines, `|` rows) and random grids with header words,
 * merged (blank) cells and scoring phrases in odd places.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadProgram } from '../../src/engine';
import { importGrids, importText, type ImportResult } from '../../src/import';

const WORDS = ['考核项目', '考核内容', '评分标准', '分值', '备注', '自评分', '一、组织领导（10分）', '1.领导重视', '（1）', '①', '每次扣0.5分', '扣完为止', '未成立的扣2分', '90%以上记4分', '低于60%不记分',
  '此项不得分', '5分封顶', '视情扣0.5-3分', '按排名记分', '加分项', '扣分项', '加、减分', '10', '3分', '扣分项', '', '', '', '注：满分100分折合2分', '|', '\t', '\n', '（', '）', '分', '两', '０．５'];
const token = fc.constantFrom(...WORDS);

function wellFormed(r: ImportResult): void {
  for (const p of r.problems) {
    expect(typeof p.code).toBe('string');
    expect(p.message.zh.length).toBeGreaterThan(0);
    expect(p.message.en.length).toBeGreaterThan(0);
  }
  if (r.rubric) expect(loadProgram(r.yaml).problems.filter((p) => p.severity === 'error').length === 0).toBe(r.program !== null);
  else expect(r.problems.some((p) => p.severity === 'error')).toBe(true);
}

describe('import never throws', () => {
  it('on random text shaped like the extractions', () => {
    const line = fc.array(token, { maxLength: 6 }).map((ts) => ts.join(''));
    const doc = fc.array(fc.tuple(fc.boolean(), line), { maxLength: 60 }).map((ls) => ls.map(([tab, l]) => (tab ? `\t${l}` : l)).join('\n'));
    fc.assert(fc.property(doc, (text) => wellFormed(importText(text, 'random.txt'))), { numRuns: 300, seed: 12 });
  });

  it('on random grids with header words and blank (merged) cells', () => {
    const row = fc.array(token, { minLength: 0, maxLength: 7 });
    const grid = fc.record({ rows: fc.array(row, { minLength: 0, maxLength: 25 }), banner: fc.option(fc.array(fc.boolean(), { maxLength: 25 }), { nil: undefined }) });
    fc.assert(fc.property(fc.array(grid, { maxLength: 3 }), fc.array(token, { maxLength: 4 }), (grids, after) => wellFormed(importGrids(grids, 'paste', after))), { numRuns: 300, seed: 12 });
  });
});
