// Live scoring of what one unit's edit changes on other sheets, through the real office.js against the
// simulated host: a cohort clause (拱墅 s1.2.3.1 没有进驻大厅的部门按进驻单位最低得分计分) and a 本表设定 value
// (台前 县直 s2.3.3's rank step, which the document does not state). The edit is scored through the engine's
// rescoreCohort with the state's CohortCache; another unit's 备注 changes without 重新计算.
import { describe, expect, it } from 'vitest';
import { loadProgram, settingsOf } from '../../src/engine';
import { planWorkbook } from '../../src/layout';
import { bindingFromMeta, noteAddressOf } from '../../src/excel/fromMeta';
import { generate } from '../../src/excel/generate';
import { createLiveState, loadAllInputs } from '../../src/excel/live';
import { recalcAll, restoreFormulas } from '../../src/excel/recalc';
import { readWorkbookState } from '../../src/excel/state';
import { planMigration, readUnmatchedRows, unmatchedSheetPlan } from '../../src/taskpane/migrate';
import { capsFor, insertRow, liveWorkbook, rubric, v11Text } from './helpers';

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

describe('重新计算 and the 本表设定 sheet’s own formulas', () => {
  const taiqian = rubric('taiqian-2018.yaml');
  const county = (taiqian.units ?? []).filter((u) => u.variant === 'county').slice(0, 2).map((u) => ({ name: u.name, variant: u.variant }));

  it('finds a 计分采用 formula typed over (before: not checked), restores it, never touches a 设定值; rows moved → nothing compared', async () => {
    const live = await liveWorkbook(taiqian, county, 18);
    const sheet = live.book.sheet('本表设定')!;
    const used = live.state.binding.settings!.formulas!.find((f) => f.id === 'setting:county/s2.3.3@step.per')!;
    expect(used.address).toBe('H4');
    const formula = sheet.cells.get('H4')!.formula;
    sheet.cells.set('H4', { ...sheet.cells.get('H4')!, formula: undefined, value: 3 }); // a clerk typed 3 over 计分采用
    await live.book.type('本表设定', 'G3', 25); // and changed a 设定值, as allowed
    const r = await recalcAll(live.book.context(), live.state);
    expect(r.overwritten.map((o) => [o.sheet, o.address, o.actual])).toEqual([['本表设定', 'H4', 3]]);
    const { restored } = await restoreFormulas(live.book.context(), live.state, r.overwritten);
    expect(restored).toBe(1);
    expect(sheet.cells.get('H4')!.formula).toBe(formula);
    expect(live.book.value('本表设定', 'G3')).toBe(25);
    // The clerk lifted the protection and inserted a row at the top: no formula is where it was made, none is compared.
    await insertRow(live.book, '本表设定', 1, '');
    const moved = await recalcAll(live.book.context(), live.state);
    expect(moved.overwritten).toEqual([]);
    expect(moved.moved).toEqual(['本表设定']);
  });
});

describe('更新评分标准 carries a changed 本表设定 value (adapter round trip)', () => {
  it('to the new version\'s cell of the same key; one the new version no longer has goes to 未匹配录入', async () => {
    const v1 = rubric('taiqian-2018.yaml');
    const towns = (v1.units ?? []).filter((u) => u.variant === 'town').slice(0, 2).map((u) => ({ name: u.name, variant: u.variant }));
    const live = await liveWorkbook(v1, towns, 18);
    await live.book.type('本表设定', 'G5', 12); // town/s3.1.1@tiers.3.points: 190—200㎡ 10 → 12
    await live.book.type('本表设定', 'G6', 1); // town/s5.1.3@tiers.0.points: 60%—80% 0 → 1
    expect(live.state.settings).toMatchObject({ 'town/s3.1.1@tiers.3.points': 12, 'town/s5.1.3@tiers.0.points': 1 });
    // The next version drops the 60%—80% tier's setting mark (its value is the document's now, say).
    const text = v11Text();
    const mark = /\n +setting: \{ label: 满意度60%—80%得分.*\}/.exec(text)!;
    const v2 = loadProgram(text.replace(mark[0], ''), 'v2.yaml').program!;
    const wb = await readWorkbookState(live.book.context());
    const state = createLiveState(v1, bindingFromMeta(wb.meta!, live.plan, wb.renamed, wb.ids), capsFor(18));
    await loadAllInputs(live.book.context(), state);
    const old = state.binding.sheets.map((x) => ({ unit: x.unit, variant: x.variant, inputs: state.inputs.get(x.sheet) ?? {} }));
    const m = planMigration(v1, v2, old, new Map(), undefined, state.settings);
    expect(m.settings).toEqual({ 'town/s3.1.1@tiers.3.points': 12 });
    expect(m.carry.unmatched.filter((u) => u.unit === '本表设定').map((u) => [u.key, u.value, u.reason])).toEqual([['town/s5.1.3@tiers.0.points', 1, 'settingRemoved']]);
    const plan = planWorkbook(v2, m.carry.entries.map((e) => ({ name: e.unit, variant: e.variant, inputs: e.inputs })), { sort: wb.meta!.options.sort, settings: m.settings });
    plan.sheets.splice(plan.sheets.length - 1, 0, unmatchedSheetPlan(m.carry.unmatched, v2.version));
    const r = await generate(live.book.context(), plan, { apiMinor: 18, replace: true });
    expect(r.status).toBe('done');
    expect(live.book.value('本表设定', 'G5')).toBe(12);
    expect(live.book.sheets.filter((x) => x.name.startsWith('本表设定')).map((x) => x.name)).toEqual(['本表设定']);
    const after = await readWorkbookState(live.book.context());
    const next = createLiveState(v2, bindingFromMeta(after.meta!, plan, after.renamed, after.ids), capsFor(18));
    await loadAllInputs(live.book.context(), next);
    expect(next.settings).toEqual({ 'county/s2.3.3@step.first': 20, 'county/s2.3.3@step.per': 1, 'town/s3.1.1@tiers.3.points': 12 });
    expect(settingsOf(next.scoring).find((x) => x.key === 'town/s3.1.1@tiers.3.points')!.value).toBe(12);
    expect(readUnmatchedRows(after.unmatched!)).toEqual([{ unit: '本表设定', variant: 'town', key: 'town/s5.1.3@tiers.0.points', value: 1 }]);
  });
});
