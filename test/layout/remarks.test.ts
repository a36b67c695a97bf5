/**
 * 扣分依据/说明: the assessor's own words beside 备注, an input like any other. Placed on every criterion
 * with inputs (and the 一票否决 block), unlocked, mapped by criterion id; read back from a saved workbook
 * even after rows were inserted; kept by `dafen score -o` and shown by `dafen score --json`; carried by
 * criterion id by 更新评分标准 (kept aside in 未匹配录入 when the criterion is gone); never written by the
 * add-in's live scoring.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main';
import { readEntries } from '../../src/excel/hands';
import { REASON_HEADER, checkPlan, planWorkbook, type WorkbookPlan } from '../../src/layout';
import { readFilledWorkbook, writeWorkbook } from '../../src/xlsx';
import { REMARK_SUFFIX, planMigration, readUnmatchedRows, unmatchedSheetPlan, withUnmatched } from '../../src/taskpane/migrate';
import { NEXT_VERSION, liveWorkbook, rubric, v11 } from '../excel/helpers';

const v1 = rubric('taiqian-2018.yaml');
const towns = (v1.units ?? []).filter((u) => u.variant === 'town').slice(0, 2).map((u) => u.name);
const dir = mkdtempSync(join(tmpdir(), 'dafen-remarks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SAID = { 's1.1': '现场查看：外网未覆盖便民服务中心（附照片3张）', 's1.3': '未见工作总结\n（2018年12月检查）' };

async function typeRemarks(bytes: Uint8Array, plan: WorkbookPlan, unit: string, said: Record<string, string>, insertRowAt?: number): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const sm = plan.meta.sheets.find((s) => s.unit === unit)!;
  const ws = wb.getWorksheet(sm.name)!;
  for (const [id, text] of Object.entries(said)) ws.getCell(sm.remarks!.find((r) => r.id === id)!.address).value = text;
  if (insertRowAt) ws.spliceRows(insertRowAt, 0, []); // the clerk inserts a row above
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('扣分依据/说明 on the sheet', () => {
  const plan = planWorkbook(v1, towns, { date: '2019-01-15' });
  const sheet = plan.sheets.find((s) => s.name === plan.meta.sheets[0].name)!;
  const sm = plan.meta.sheets[0];

  it('has its own column right of 备注, one unlocked cell per criterion with inputs, merged over the criterion’s rows', () => {
    expect(checkPlan(plan)).toEqual([]);
    // The visible header row only: since issue 9 the hidden marker and state columns of row 3 hold the `$errors` count.
    const headers = sheet.cells.filter((c) => c.row === 3 && c.style === 'header').sort((a, b) => a.col - b.col).map((c) => c.value).filter(Boolean);
    expect(headers.slice(-2)).toEqual(['备注', REASON_HEADER]);
    const ids = sm.cells.filter((c) => c.kind === 'criterion').map((c) => c.id);
    expect(sm.remarks!.map((r) => r.id)).toEqual([...ids.filter((id) => sm.inputs.some((i) => i.criterionId === id)), '$veto']);
    for (const r of sm.remarks!) {
      const score = sm.cells.find((c) => c.id === r.id)!.address;
      expect(r.address.replace(/[A-Z]+/, ''), r.id).toBe(score.replace(/[A-Z]+/, '')); // same row as its 得分
      const cell = sheet.cells.find((c) => `${String.fromCharCode(64 + c.col)}${c.row}` === r.address)!;
      expect(cell.remark).toBe(r.id);
      expect(plan.styles[cell.style].locked).toBe(false);
      expect(cell.value ?? null).toBeNull(); // Dafen writes nothing there
    }
  });

  it('is read back from a saved workbook, also after the clerk inserted a row, and written back as typed', async () => {
    const bytes = await writeWorkbook(plan);
    const typed = await typeRemarks(bytes, plan, towns[0], SAID, 4);
    const read = await readFilledWorkbook(typed);
    expect(read.units.find((u) => u.unit === towns[0])!.remarks).toEqual(SAID);
    expect(read.units.find((u) => u.unit === towns[1])!.remarks).toEqual({});
    // Re-rendered with them (what dafen score -o does): same words, same cells, read back again.
    const again = planWorkbook(v1, read.units.map((u) => ({ name: u.unit, variant: u.variant, inputs: u.inputs, remarks: u.remarks })), { date: '2019-01-15' });
    expect(checkPlan(again)).toEqual([]);
    const back = await readFilledWorkbook(await writeWorkbook(again));
    expect(back.units.find((u) => u.unit === towns[0])!.remarks).toEqual(SAID);
  });

  it('is never written by live scoring in Excel, and is read before 更新评分标准 (one round trip)', async () => {
    const live = await liveWorkbook(v1, towns.map((name) => ({ name, variant: 'town' })));
    const s = live.plan.meta.sheets[0];
    const at = s.remarks!.find((r) => r.id === 's1.1')!.address;
    await live.book.type(s.name, at, SAID['s1.1']);
    await live.book.type(s.name, s.inputs.find((i) => i.key.startsWith('s1.1'))!.address, '否');
    expect(live.outcomes.length).toBeGreaterThan(0);
    // Live scoring wrote 备注 and left every 扣分依据 cell as the clerk left it.
    expect(String(live.book.value(s.name, s.cells.find((c) => c.id === 's1.1')!.address.replace(/^[A-Z]+/, (l) => String.fromCharCode(l.charCodeAt(0) + 1))))).not.toBe('');
    expect(live.book.value(s.name, at)).toBe(SAID['s1.1']);
    for (const r of s.remarks!.filter((x) => x.id !== 's1.1')) expect(live.book.value(s.name, r.address) ?? '').toBe('');
    // The formula status cell ($status, locked) keeps its formula: the add-in's status goes into the 总分 row's 备注.
    const status = s.cells.find((c) => c.id === '$status')!.address;
    const planned = live.plan.sheets.find((p) => p.name === s.name)!.cells.find((c) => c.computed === '$status')!.formula;
    expect(live.book.cell(s.name, status)!.formula).toBe(`=${planned}`);
    // The sheets are bound by id (issue 8): a tab renamed since is still read, under the name the binding knows.
    live.book.sheet(s.name)!.name = `${s.name}（改）`;
    const before = live.book.roundTrips;
    // Read with the inputs, in their one round trip.
    const { remarks: got } = await readEntries(live.book.context(), live.state, live.plan.meta);
    expect(live.book.roundTrips - before).toBe(1);
    expect(got.get(s.name)).toEqual({ 's1.1': SAID['s1.1'] });
    expect(got.get(live.plan.meta.sheets[1].name)).toEqual({});
    // A workbook too large for one answer (the web's 5 MB): read in groups of sheets, the same entries.
    const inputs = new Map(live.state.inputs);
    const sheets = live.state.binding.sheets.length;
    expect(sheets).toBeGreaterThan(1);
    const trips = live.book.roundTrips;
    const split = await readEntries(live.book.context(), live.state, live.plan.meta, 1);
    expect(live.book.roundTrips - trips).toBe(sheets);
    expect(split.remarks).toEqual(got);
    expect(live.state.inputs).toEqual(inputs);
  });
});

describe('扣分依据/说明 through 更新评分标准', () => {
  it('follows its criterion id; a removed criterion’s words are kept in 未匹配录入 and come back with a version that has it', () => {
    const m = planMigration(v1, v11(), [{ unit: towns[0], variant: 'town', inputs: { 's1.1#yes': '否' }, remarks: SAID }]);
    expect(m.carry.entries[0].remarks).toEqual({ 's1.1': SAID['s1.1'] }); // s1.3 is gone in the next version
    expect(m.carry.unmatched).toContainEqual(expect.objectContaining({ key: `s1.3${REMARK_SUFFIX}`, value: SAID['s1.3'], reason: 'criterionRemoved' }));
    const sheet = unmatchedSheetPlan(m.carry.unmatched, NEXT_VERSION);
    const rows: unknown[][] = [];
    for (const c of sheet.cells) (rows[c.row - 1] ??= [])[c.col - 1] = c.value;
    const back = withUnmatched([{ unit: towns[0], variant: 'town', inputs: {} }], readUnmatchedRows(rows.map((r) => Array.from(r ?? [], (x) => x ?? ''))));
    expect(back[0].remarks).toEqual({ 's1.3': SAID['s1.3'] });
    const m2 = planMigration(v11(), v1, back);
    expect(m2.carry.entries[0].remarks).toEqual({ 's1.3': SAID['s1.3'] });
    expect(m2.carry.unmatched).toEqual([]);
  });
});

describe('dafen score and 扣分依据/说明', () => {
  it('shows them in --json and keeps them in the corrected copy (-o)', async () => {
    const plan = planWorkbook(v1, towns, { date: '2019-01-15' });
    const file = join(dir, 'filled.xlsx');
    writeFileSync(file, await typeRemarks(await writeWorkbook(plan), plan, towns[1], SAID));
    const out: string[] = [];
    const io: Io = { out: (s) => out.push(s), err: () => {} };
    const fixed = join(dir, 'fixed.xlsx');
    await main(['score', file, '--json', '-o', fixed], io);
    const j = JSON.parse(out.join('\n')) as { units: { unit: string; remarks: Record<string, string> }[] };
    expect(j.units.find((u) => u.unit === towns[1])!.remarks).toEqual(SAID);
    expect(j.units.find((u) => u.unit === towns[0])!.remarks).toEqual({});
    const read = await readFilledWorkbook(new Uint8Array(readFileSync(fixed)));
    expect(read.units.find((u) => u.unit === towns[1])!.remarks).toEqual(SAID);
  });
});
