/**
 * Split and merge with hands (issue 15): a 台前 master with a 自评 column and three raters. By unit: one
 * self-assessment piece per unit; by rater: one piece per rater with every unit. Returned values land in
 * their own hand's column; a rater's 扣分依据 (no column on the master) is kept on 各评分人扣分依据 and read
 * back; merging the same files again takes nothing and finds no conflict.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { HandId, Raw } from '../../src/engine';
import { planWorkbook, type WorkbookPlan } from '../../src/layout';
import { writeWorkbook } from '../../src/xlsx';
import { HAND_REMARKS_SHEET, mergeWorkbooks, plainSheet, quickRead, splitWorkbook, type CollectFile } from '../../src/collect';
import { randomInputs } from '../layout/helpers';
import { fill, taiqian } from './helpers';

const program = taiqian();
const UNITS = ['县安监局', '县残联', '城关镇'];
const HANDS: HandId[] = ['self', 'rater1', 'rater2', 'rater3'];
const listed = UNITS.map((n) => program.units!.find((u) => u.name === n)!).map((u) => ({ name: u.name, variant: u.variant, tags: [] }));
/** What each hand types, per unit: different seeds, so the hands differ. */
const typed = Object.fromEntries(HANDS.map((h, i) => [h, Object.fromEntries(randomInputs(program, listed, 100 + i).map((u) => [u.name, u.inputs]))])) as Record<HandId, Record<string, Record<string, Raw>>>;

let plan: WorkbookPlan;
let master: Uint8Array;
let returned: CollectFile[];

beforeAll(async () => {
  plan = planWorkbook(program, UNITS, { date: '2019-01-15', assessment: { self: true, raters: { count: 3, aggregate: 'trimmedMean', on: 'criterion', spread: 2 } } });
  expect(plan.meta.hands).toEqual(HANDS);
  master = await writeWorkbook(plan);
  const byUnit = await splitWorkbook(master, { by: 'unit', file: '台前.xlsx' });
  const byRater = await splitWorkbook(master, { by: 'rater', file: '台前.xlsx' });
  expect(byUnit.problems).toBeUndefined();
  expect(byRater.problems).toBeUndefined();
  returned = [];
  for (const p of [...byUnit.pieces!, ...byRater.pieces!]) {
    const inputs = Object.fromEntries(p.units.map((u) => [u, typed[p.hand][u]]));
    const remarks: Record<string, Record<string, string>> = p.hand === 'rater2' ? { 县残联: { 's1.2': '评委2：资料不全' } } : {};
    returned.push({ name: p.name, bytes: await fill(p.bytes, inputs, remarks) });
  }
});

describe('split with hands', () => {
  it('by unit: a 自评 piece per unit; by rater: a piece per rater with every unit', async () => {
    const byUnit = await splitWorkbook(master, { by: 'unit', file: '台前.xlsx' });
    expect(byUnit.pieces!.map((p) => [p.name, p.hand, p.units])).toEqual(UNITS.map((u) => [`台前-自评-${u}.xlsx`, 'self', [u]]));
    const byRater = await splitWorkbook(master, { by: 'rater', file: '台前.xlsx' });
    expect(byRater.pieces!.map((p) => [p.name, p.hand, p.units])).toEqual([1, 2, 3].map((n) => [`台前-评委${n}.xlsx`, `rater${n}`, UNITS]));
    // A piece has the one entry column of today's sheet.
    const q = await quickRead(byRater.pieces![0].bytes);
    expect(q!.meta!.hands ?? ['assessor']).toEqual(['assessor']);
  });
});

describe('merge with hands', () => {
  let merged: Awaited<ReturnType<typeof mergeWorkbooks>>;
  beforeAll(async () => {
    merged = await mergeWorkbooks({ name: '台前.xlsx', bytes: master }, returned);
  });

  it('puts every returned value into its unit and its hand’s column', async () => {
    expect(merged.report!.refused).toBe(0);
    expect(merged.report!.conflicts).toEqual([]);
    const read = await quickRead(merged.bytes!);
    expect(read).not.toBeNull();
    for (const u of read!.units) {
      for (const h of HANDS) expect(u.hands![h], `${u.unit} ${h}`).toEqual(typed[h][u.unit]);
      expect(u.inputs).toEqual(typed.rater1[u.unit]);
    }
    const total = HANDS.reduce((n, h) => n + UNITS.reduce((m, u) => m + Object.keys(typed[h][u]).length, 0), 0);
    expect(merged.report!.taken).toBe(total);
  });

  it('keeps a rater’s 扣分依据 on 各评分人扣分依据, and reads it back on the next merge', async () => {
    const rows = await plainSheet(merged.bytes!, HAND_REMARKS_SHEET);
    expect(rows!.slice(3).filter(Boolean).map((r) => [r[1], r[2], r[3], r[4], r[5]])).toEqual([['县残联', '评委2', 's1.2', '评委2：资料不全', 'rater2']]);
    const again = await mergeWorkbooks({ name: '合并.xlsx', bytes: merged.bytes! }, returned);
    expect(again.report!.taken).toBe(0);
    expect(again.report!.remarks).toBe(0);
    expect(again.report!.conflicts).toEqual([]);
    expect(again.report!.files.every((f) => f.status === 'taken')).toBe(true);
    const rows2 = await plainSheet(again.bytes!, HAND_REMARKS_SHEET);
    expect(rows2!.slice(3).filter(Boolean).map((r) => r[4])).toEqual(['评委2：资料不全']);
  });

  it('a value changed by a rater after the first merge is a conflict in that rater’s column, the master’s kept', async () => {
    const rater2 = returned.find((f) => f.name === '台前-评委2.xlsx')!;
    const key = plan.meta.sheets[0].inputs.find((i) => i.criterionId === 's1.2')!.key;
    const before = typed.rater2['县安监局'][key];
    const changed = before === 2 ? 1 : 2;
    const edited = await fill(rater2.bytes, { 县安监局: { [key]: changed } });
    const r = await mergeWorkbooks({ name: '合并.xlsx', bytes: merged.bytes! }, [{ name: '评委2-改.xlsx', bytes: edited }]);
    expect(r.report!.conflicts.map((c) => [c.unit, c.hand, c.key, c.master ?? null, c.piece, c.kept])).toEqual(
      before === undefined ? [] : [['县安监局', 'rater2', key, before, changed, 'master']],
    );
    const read = await quickRead(r.bytes!);
    expect(read!.units[0].hands!.rater2![key]).toBe(before ?? changed);
  });
});
