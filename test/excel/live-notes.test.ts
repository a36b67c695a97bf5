// The 备注 the layout keeps live by formula (deduction lines, issue 9) are never in the add-in's write list
// (issue 8 writes explanations into 备注): a text written over them would leave the note stale in WPS for good.
import { describe, expect, it } from 'vitest';
import { planWorkbook } from '../../src/layout';
import { bindingFromMeta } from '../../src/excel/fromMeta';
import { rubric } from './helpers';

describe('the add-in leaves formula 备注 alone', () => {
  for (const file of ['taiqian-2018.yaml', 'miluo-2017.yaml', 'gongshu-2021.yaml']) {
    it(`${file}: every 备注 it writes holds text in the plan; every formula 备注 is left out`, () => {
      const program = rubric(file);
      const units = (program.units ?? []).slice(0, 2).map((u) => u.name);
      const plan = planWorkbook(program, units.length ? units : [{ name: '测试单位', variant: program.variants[0].id }]);
      const binding = bindingFromMeta(plan.meta, plan);
      let live = 0;
      for (const sb of binding.sheets) {
        const sheet = plan.sheets.find((s) => s.name === sb.sheet)!;
        const at = (a: string) => sheet.cells.find((c) => `${String.fromCharCode(64 + c.col)}${c.row}` === a);
        const meta = plan.meta.sheets.find((s) => s.name === sb.sheet)!;
        const criteria = meta.cells.filter((c) => c.kind === 'criterion');
        for (const n of sb.notes) expect(at(n.address)?.formula, `${sb.sheet}!${n.address}`).toBeUndefined();
        live += criteria.length - sb.notes.length;
      }
      // The rubric has deduction-line criteria whose 备注 is a formula: they were left out.
      expect(live).toBeGreaterThan(0);
    });
  }
});
