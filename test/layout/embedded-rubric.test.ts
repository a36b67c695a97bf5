/**
 * A workbook carries the rubric it was made with (WorkbookMeta.rubric, canonical JSON), so it can be
 * re-scored where that rubric file is missing — checked by id, version and content hash.
 */
import { describe, expect, it } from 'vitest';
import { embeddedProgram, planWorkbook, contentHash } from '../../src/layout';
import { loadedRubrics } from '../engine/helpers';

describe('the rubric saved in the workbook', () => {
  for (const r of loadedRubrics()) {
    it(`${r.name}: loads back to the same program (same content hash)`, () => {
      const units = (r.program.units ?? []).slice(0, 2).map((u) => u.name);
      const plan = planWorkbook(r.program, units.length ? units : [{ name: '某单位', variant: r.program.variants[0].id }]);
      const back = embeddedProgram(plan.meta);
      expect(back).not.toBeNull();
      expect(contentHash(back!)).toBe(plan.meta.contentHash);
      expect(back!.variants.map((v) => v.id)).toEqual(r.program.variants.map((v) => v.id));
    });
  }
  it('is refused when missing, altered or from another version', () => {
    const r = loadedRubrics()[0];
    const plan = planWorkbook(r.program, [{ name: '某单位', variant: r.program.variants[0].id }]);
    expect(embeddedProgram({ ...plan.meta, rubric: undefined })).toBeNull();
    expect(embeddedProgram({ ...plan.meta, rubric: plan.meta.rubric!.replace(/"title":"[^"]*"/, '"title":"改动"') })).toBeNull();
    expect(embeddedProgram({ ...plan.meta, program: { ...plan.meta.program, version: '9.9.9' } })).toBeNull();
  });
});
