// Live scoring of what one unit's edit changes on other sheets, through the real office.js against the
// simulated host: a cohort clause (拱墅 s1.2.3.1 没有进驻大厅的部门按进驻单位最低得分计分) and a 本表设定 value
// (台前 县直 s2.3.3's rank step, which the document does not state). The edit is scored through the engine's
// rescoreCohort with the state's CohortCache; another unit's 备注 changes without 重新计算.
import { describe, expect, it } from 'vitest';
import { noteAddressOf } from '../../src/excel/fromMeta';
import { recalcAll } from '../../src/excel/recalc';
import { liveWorkbook, rubric } from './helpers';

type Live = Awaited<ReturnType<typeof liveWorkbook>>;

function at(live: Live, unit: string, key: string) {
  const s = live.plan.meta.sheets.find((x) => x.unit === unit)!;
  const i = s.inputs.find((x) => x.key === key);
  if (!i) throw new Error(`no input ${key} on ${s.name}: ${s.inputs.map((x) => x.key).join(', ')}`);
  return { sheet: s.name, address: i.address, note: noteAddressOf(s.cells.find((c) => c.id === i.criterionId)!.address) };
}

describe('live: an edit refreshes every unit whose result changes', () => {
  it('拱墅 s1.2.3.1: the 进驻单位 that sets the minimum changes it → the department outside the hall gets the new minimum', async () => {
    const gongshu = rubric('gongshu-2021.yaml');
    const live = await liveWorkbook(gongshu, [
      { name: '区住建局', variant: 'all', tags: ['部门', '进驻单位'] },
      { name: '区发改局', variant: 'all', tags: ['部门', '进驻单位'] },
      { name: '区民政局', variant: 'all', tags: ['部门'] },
    ], 18);
    const [a, b] = ['区住建局', '区发改局'].map((u) => ({ done: at(live, u, 's1.2.3.1#done'), of: at(live, u, 's1.2.3.1#of') }));
    for (const [x, done] of [[a, 80], [b, 90]] as const) {
      await live.book.type(x.of.sheet, x.of.address, 100);
      await live.book.type(x.done.sheet, x.done.address, done);
    }
    const c = live.plan.meta.sheets.find((s) => s.unit === '区民政局')!;
    const note = noteAddressOf(c.cells.find((x) => x.id === 's1.2.3.1')!.address);
    const before = String(live.book.value(c.name, note));
    expect(before).toContain('区住建局'); // 2.4, the lowest of 2.4 and 2.7
    expect(before).toContain('2.4');
    const trips = live.book.roundTrips;
    await live.book.type(a.done.sheet, a.done.address, 95); // 区住建局 2.85: 区发改局's 2.7 is the minimum now
    expect(live.book.roundTrips - trips).toBeLessThanOrEqual(2);
    const after = String(live.book.value(c.name, note));
    expect(after).toContain('区发改局');
    expect(after).toContain('2.7');
    // The same as 重新计算 writes.
    const report = await recalcAll(live.book.context(), live.state);
    expect(String(live.book.value(c.name, note))).toBe(after);
    expect(report.results.find((u) => u.unit === '区民政局')!.final).toBe(live.state.results.get('区民政局')!.final);
  });
});

describe('live: 本表设定 (a value the document does not state) changed in the workbook', () => {
  const taiqian = rubric('taiqian-2018.yaml');
  const county = (taiqian.units ?? []).filter((u) => u.variant === 'county').slice(0, 3).map((u) => ({ name: u.name, variant: u.variant }));

  it('每后1名减 1 → 5 re-scores every sheet (20, 15, 10); text in 第1名得分 is refused at 本表设定!G3 and the rubric\'s values return', async () => {
    const live = await liveWorkbook(taiqian, county, 18);
    const cells = county.map((u) => at(live, u.name, 's2.3.3#figure'));
    for (const [i, c] of cells.entries()) await live.book.type(c.sheet, c.address, [300, 200, 100][i]);
    const points = () => county.map((u) => live.state.results.get(u.name)!.nodes.flatMap(function all(n): typeof n[] { return [n, ...n.children.flatMap(all)]; }).find((n) => n.id === 's2.3.3')!.points);
    const notes = () => cells.map((c) => String(live.book.value(c.sheet, c.note)));
    expect(points()).toEqual([20, 19, 18]);
    expect(notes()[2]).toContain('得18分');
    const cell = live.plan.meta.settings!.cells.find((x) => x.key === 'county/s2.3.3@step.per')!;
    expect(cell.address).toBe('G4');
    await live.book.type('本表设定', 'G4', 5);
    expect(live.outcomes.at(-1)!.decision.act).toBe('settings');
    expect(points()).toEqual([20, 15, 10]);
    expect(notes()[1]).toContain('得15分');
    expect(notes()[2]).toContain('得10分');
    expect(live.state.settingProblems).toEqual([]);
    await live.book.type('本表设定', 'G3', '二十');
    expect(points()).toEqual([20, 19, 18]);
    expect(notes()[2]).toContain('得18分');
    expect(live.state.settingProblems.map((p) => [p.code, p.params.sheet, p.params.cell])).toEqual([['setting.notNumber', '本表设定', 'G3']]);
    expect(live.state.settingProblems[0].message.zh).toContain('本表设定!G3');
    // 重新计算 reads the same cells and reports the refused one.
    const report = await recalcAll(live.book.context(), live.state);
    expect(report.settingProblems.map((p) => p.code)).toEqual(['setting.notNumber']);
    expect(report.results.map((u) => u.final)).toEqual(county.map((u) => live.state.results.get(u.name)!.final));
  });
});
