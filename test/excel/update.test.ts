// 重新计算 and 更新评分标准 through the adapter, and the pure diff / carry-over behind the update.
import { describe, expect, it } from 'vitest';
import { planWorkbook } from '../../src/layout';
import { bindingFromMeta, noteAddressOf } from '../../src/excel/fromMeta';
import { generate } from '../../src/excel/generate';
import { loadAllInputs, createLiveState } from '../../src/excel/live';
import { readWorkbookState } from '../../src/excel/state';
import { recalcAll, restoreFormulas, isOverwritten } from '../../src/excel/recalc';
import { diffLines, planMigration, readUnmatchedRows, unmatchedSheetPlan, withUnmatched, UNMATCHED_SHEET_NAME } from '../../src/taskpane/migrate';
import { CURRENT_VERSION, NEXT_VERSION, capsFor, liveWorkbook, rubric, v11 } from './helpers';


const v1 = rubric('taiqian-2018.yaml');

const towns = (v1.units ?? []).filter((u) => u.variant === 'town').slice(0, 3).map((u) => ({ name: u.name, variant: u.variant }));

describe('diff and carry-over (pure)', () => {
  it('lists added and removed criteria and changed points, carries inputs by key, keeps the rest aside', () => {
    const v2 = v11();
    const old = [
      { unit: towns[0].name, variant: 'town', inputs: { 's1.1#yes': '是', 's1.3#yes': '是', 's1.4#meetings': 3 } },
      { unit: towns[1].name, variant: 'town', inputs: { 's1.3#yes': '否', 's1.4#meetings': 4 } },
    ];
    const m = planMigration(v1, v2, old);
    const town = (change: string) => m.diff.changes.filter((c) => c.variant === 'town' && c.change === change).map((c) => c.id);
    expect(town('removed')).toEqual(['s1.3']);
    expect(town('added')).toEqual(['s1.6']);
    expect(m.diff.changes).toContainEqual(expect.objectContaining({ variant: 'town', id: 's1.4', change: 'points', before: '2', after: '3' }));
    expect(m.diff.changes.filter((c) => c.variant === 'county')).toEqual([]);
    expect(m.carry.entries[0].inputs).toEqual({ 's1.1#yes': '是', 's1.4#meetings': 3 });
    expect(m.carry.unmatched).toEqual([
      expect.objectContaining({ unit: towns[0].name, key: 's1.3#yes', value: '是', reason: 'criterionRemoved' }),
      expect.objectContaining({ unit: towns[1].name, key: 's1.3#yes', value: '否', reason: 'criterionRemoved' }),
    ]);
    // Unit 0 loses s1.3 (2 points) and gains 1 on s1.4 (3 − 0.5 instead of 2 − 0.5): −1.
    const t0 = m.totals.find((x) => x.unit === towns[0].name)!;
    expect(t0.delta).toBe(-1);
    expect(t0.to).toBe(t0.from! - 1);
    const lines = diffLines(m).map((l) => l.id);
    expect(lines).toEqual(['diff.title', 'diff.added', 'diff.removed', 'diff.points', 'diff.moved', 'diff.unmatched']);
  });

  it('gives inputs kept aside another chance with the next version', () => {
    const sheet = unmatchedSheetPlan([{ unit: '城关镇', variant: 'town', key: 's1.3#yes', label: '是否撰写工作总结', value: '是', reason: 'criterionRemoved' }], NEXT_VERSION);
    const rows: unknown[][] = [];
    for (const c of sheet.cells) (rows[c.row - 1] ??= [])[c.col - 1] = c.value;
    const back = readUnmatchedRows(rows.map((r) => Array.from(r ?? [], (x) => x ?? '')));
    expect(back).toEqual([{ unit: '城关镇', variant: 'town', key: 's1.3#yes', value: '是' }]);
    // Going back to the current version (s1.3 exists again) matches it.
    const m = planMigration(v11(), v1, withUnmatched([{ unit: '城关镇', variant: 'town', inputs: {} }], back));
    expect(m.carry.entries[0].inputs['s1.3#yes']).toBe('是');
    expect(m.carry.unmatched).toEqual([]);
  });
});

describe('重新计算', () => {
  it('re-scores every sheet, finds overwritten formulas and restores them without touching inputs (2 + 1 round trips)', async () => {
    const live = await liveWorkbook(v1, towns, 18);
    const s = live.plan.meta.sheets[0];
    const yes = s.inputs.find((i) => i.key === 's1.1#yes')!;
    live.book.setCell(s.name, yes.address, { value: '是' }); // typed while the pane was closed
    const crit = s.cells.find((c) => c.id === 's1.1')!;
    const sub = s.cells.find((c) => c.id === 's1')!;
    const sheet = live.book.sheet(s.name)!;
    sheet.cells.set(crit.address, { ...sheet.cells.get(crit.address)!, value: 2, formula: undefined }); // typed over a formula
    sheet.cells.set(sub.address, { ...sheet.cells.get(sub.address)!, formula: '=SUM(H4:H8)' }); // a different formula

    const before = live.book.roundTrips;
    const report = await recalcAll(live.book.context(), live.state);
    expect(live.book.roundTrips - before).toBe(2);
    expect(report.writes).toHaveLength(towns.length);
    expect(String(live.book.value(s.name, noteAddressOf(crit.address)))).toContain('2');
    expect(report.overwritten.map((o) => [o.sheet, o.id])).toEqual([[s.name, 's1.1'], [s.name, 's1']]);

    const { restored: n, refused } = await restoreFormulas(live.book.context(), live.state, report.overwritten);
    expect(n).toBe(2);
    expect(refused).toEqual([]);
    expect(live.book.roundTrips - before).toBe(4); // protection read, then unprotect + formulas + protect
    const planned = live.plan.sheets.find((x) => x.name === s.name)!;
    const formulaOf = (a: string) => planned.cells.find((c) => `${String.fromCharCode(64 + c.col)}${c.row}` === a)!.formula;
    expect(sheet.cells.get(crit.address)!.formula).toBe(`=${formulaOf(crit.address)}`);
    expect(sheet.cells.get(sub.address)!.formula).toBe(`=${formulaOf(sub.address)}`);
    expect(live.book.value(s.name, yes.address)).toBe('是');
    expect(sheet.protection.protected).toBe(true);
  });

  it('a sheet the clerk protected with a password: formulas not restored there, and said so', async () => {
    const live = await liveWorkbook(v1, towns, 14);
    const s = live.plan.meta.sheets[0];
    const crit = s.cells.find((c) => c.id === 's1.1')!;
    const sheet = live.book.sheet(s.name)!;
    sheet.cells.set(crit.address, { ...sheet.cells.get(crit.address)!, value: 2, formula: undefined });
    sheet.protection = { protected: true, options: {}, password: 'abc' };
    const report = await recalcAll(live.book.context(), live.state);
    expect(report.overwritten.map((o) => o.id)).toEqual(['s1.1']);
    const r = await restoreFormulas(live.book.context(), live.state, report.overwritten);
    expect(r).toEqual({ restored: 0, refused: [s.name] });
    expect(sheet.cells.get(crit.address)!.value).toBe(2);
    expect(sheet.protection.password).toBe('abc');
    expect(live.book.enableEvents).toBe(true);
  });

  it('compares formulas as Excel may print them back', () => {
    expect(isOverwritten("=SUM('城关镇'!H10,'城关镇'!H17)", '=SUM(城关镇!H10, 城关镇!H17)')).toBe(false);
    expect(isOverwritten('=IF(TRIM(G4)="是",2,0)', '=if(trim(G4)="是",2,0)')).toBe(false);
    expect(isOverwritten('=IF(TRIM(G4)="是",2,0)', 2)).toBe(true);
    expect(isOverwritten('=_xlfn.RANK.EQ(G4,$G$4:$G$9)', '=RANK.EQ(G4,$G$4:$G$9)')).toBe(false);
  });
});

describe('更新评分标准 (adapter round trip)', () => {
  it('re-renders with the next version, carries inputs by key to their new cells, and keeps the rest on 未匹配录入', async () => {
    const live = await liveWorkbook(v1, towns, 14);
    const s0 = live.plan.meta.sheets[0];
    const at = (key: string) => s0.inputs.find((i) => i.key === key)!.address;
    await live.book.type(s0.name, at('s1.1#yes'), '是');
    await live.book.type(s0.name, at('s1.3#yes'), '是');
    await live.book.type(s0.name, at('s1.4#meetings'), 3);

    // What the pane does: read the workbook, plan the migration, plan the next version with the carried inputs.
    const wb = await readWorkbookState(live.book.context());
    expect(wb.meta?.program.version).toBe(CURRENT_VERSION);
    const state = createLiveState(v1, bindingFromMeta(wb.meta!, live.plan, wb.renamed, wb.ids), capsFor(14));
    await loadAllInputs(live.book.context(), state);
    const old = state.binding.sheets.map((x) => ({ unit: x.unit, variant: x.variant, inputs: state.inputs.get(x.sheet) ?? {} }));
    const v2 = v11();
    const m = planMigration(v1, v2, old);
    const plan = planWorkbook(v2, m.carry.entries.map((e) => ({ name: e.unit, variant: e.variant, inputs: e.inputs })), { sort: wb.meta!.options.sort });
    plan.sheets.splice(plan.sheets.length - 1, 0, unmatchedSheetPlan(m.carry.unmatched, v2.version));
    const r = await generate(live.book.context(), plan, { apiMinor: 12, replace: true });
    expect(r.status).toBe('done');
    expect(live.book.largestRequest).toBeLessThan(2.3 * 1024 * 1024);

    const n0 = plan.meta.sheets[0];
    const at2 = (key: string) => n0.inputs.find((i) => i.key === key)!.address;
    expect(live.book.value(n0.name, at2('s1.1#yes'))).toBe('是');
    expect(live.book.value(n0.name, at2('s1.4#meetings'))).toBe(3);
    expect(n0.inputs.some((i) => i.key === 's1.3#yes')).toBe(false);
    const un = live.book.sheet(UNMATCHED_SHEET_NAME)!;
    const values = [...un.cells.values()].map((c) => c.value);
    expect(values).toContain('s1.3#yes');
    expect(values).toContain('是');
    const after = await readWorkbookState(live.book.context());
    expect(after.meta?.program.version).toBe(NEXT_VERSION);
    expect(readUnmatchedRows(after.unmatched!)).toEqual([{ unit: s0.unit, variant: 'town', key: 's1.3#yes', value: '是' }]);
    expect(live.book.sheets.filter((x) => x.name.startsWith('~dafen-old'))).toEqual([]);
  });
});
