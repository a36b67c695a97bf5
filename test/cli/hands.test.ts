/**
 * Issue 15 through the CLI: `dafen make --self` / `--raters 3 --aggregate trimmed --on total --spread 1`, the
 * workbook filled hand by hand, `dafen score --json` scoring every hand (the unit's points the assessor's or the
 * raters' aggregate; a rejected entry named by its own hand's cell), `dafen update` carrying every hand's column.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkbook as open, run, scratchDir } from './run';
import type { WorkbookMeta } from '../../src/layout';
import { FIXTURE } from '../layout/helpers';
import { HAND_REMARKS_SHEET, mergeWorkbooks, plainSheet, splitWorkbook } from '../../src/collect';
import { readFilledWorkbook } from '../../src/xlsx';
import { fill as fillPiece } from '../collect/helpers';

const dir = scratchDir('dafen-cli-hands-');

/** Fills hand by hand: { unit: { hand: { keyPrefix: value } } }. */
async function fill(file: string, to: string, values: Record<string, Record<string, Record<string, string | number>>>): Promise<WorkbookMeta> {
  const { wb, meta } = await open(file);
  for (const m of meta.sheets) {
    const ws = wb.getWorksheet(m.name)!;
    for (const [hand, vs] of Object.entries(values[m.unit] ?? {})) {
      const h = m.hands!.find((x) => x.hand === hand)!;
      for (const [prefix, v] of Object.entries(vs)) ws.getCell(h.inputs.find((i) => i.key.startsWith(prefix))!.address).value = v;
    }
  }
  await wb.xlsx.writeFile(to);
  return meta;
}

describe('dafen make / score with several hands', () => {
  it('--self: score reports the assessor’s points, counts every hand’s blanks, names a rejected self entry by its own cell', async () => {
    const out = join(dir, 'self.xlsx');
    const made = await run('make', FIXTURE, '--self', '-o', out);
    expect(made.code, made.err).toBe(0);
    const { meta } = await open(out);
    expect(meta.hands).toEqual(['self', 'assessor']);
    expect(meta.workbookId).toMatch(/^[0-9a-f-]{36}$/);
    const filled = join(dir, 'self-filled.xlsx');
    await fill(out, filled, { 甲局: { self: { 's2.2': '是', 's1.2': '三次' }, assessor: { 's2.2': '否', 's1.2': 2 } } });
    const r = await run('score', filled, '--json');
    type U = { unit: string; final: number; complete: boolean; problems: { path: string }[]; hands: Record<string, { final: number; status: string }>; diff: Record<string, number> };
    const a = (JSON.parse(r.out) as { units: U[] }).units.find((u) => u.unit === '甲局')!;
    // The unit's own points are the assessor's; both hands are reported, and where they differ.
    expect(a.final).toBe(a.hands.assessor.final);
    expect(a.hands.self.final).not.toBe(a.hands.assessor.final);
    expect(a.diff.$final).toBeCloseTo(a.hands.self.final - a.hands.assessor.final, 6);
    expect(a.complete).toBe(false);
    expect(a.hands.self.status).toContain('有 1 处错误'); // the self column's 三次
    // In the text report the rejected self entry is named by its own cell, and both totals are printed.
    const text = await run('score', filled);
    const selfCell = meta.sheets.find((s) => s.unit === '甲局')!.hands!.find((h) => h.hand === 'self')!.inputs.find((i) => i.key.startsWith('s1.2'))!.address;
    expect(text.out + text.err).toContain(selfCell);
    expect(a.problems.map((p) => p.path)).toEqual([`${meta.sheets.find((x) => x.unit === '甲局')!.name}!${selfCell}`]); // its own column's cell
    expect(text.out).toMatch(/甲局：自评 [\d.]+ · 考核 [\d.]+（差异/);
  });

  it('--raters 3 --aggregate trimmed --on total: the unit’s 总分 is the middle rater’s; refuses --aggregate without --raters', async () => {
    const out = join(dir, 'raters.xlsx');
    expect((await run('make', FIXTURE, '--raters', '3', '--aggregate', 'trimmed', '--on', 'total', '--spread', '1', '-o', out)).code).toBe(0);
    const filled = join(dir, 'raters-filled.xlsx');
    const meta = await fill(out, filled, { 甲局: { rater1: { 's2.2': '是' }, rater2: { 's2.2': '否' }, rater3: { 's2.2': '是', 's1.2': 4 } } });
    expect(meta.assessment).toEqual({ raters: { count: 3, aggregate: 'trimmedMean', on: 'total', spread: 1 } });
    const j = JSON.parse((await run('score', filled, '--json')).out) as { units: { unit: string; final: number }[] };
    // Finals per rater, scored alone through a default workbook of the same entries.
    const finals: number[] = [];
    for (const [i, vs] of [{ 's2.2': '是' }, { 's2.2': '否' }, { 's2.2': '是', 's1.2': 4 }].entries()) {
      const one = join(dir, `one-${i}.xlsx`);
      expect((await run('make', FIXTURE, '-o', one)).code).toBe(0);
      const { wb, meta: m1 } = await open(one);
      const s = m1.sheets.find((x) => x.unit === '甲局')!;
      for (const [k, v] of Object.entries(vs)) wb.getWorksheet(s.name)!.getCell(s.inputs.find((x) => x.key.startsWith(k))!.address).value = v;
      await wb.xlsx.writeFile(one);
      finals.push(JSON.parse((await run('score', one, '--json')).out).units.find((u: { unit: string }) => u.unit === '甲局').final);
    }
    const sorted = [...finals].sort((x, y) => x - y);
    expect(j.units.find((u) => u.unit === '甲局')!.final).toBeCloseTo(sorted[1], 9);
    const refused = await run('make', FIXTURE, '--aggregate', 'trimmed', '-o', join(dir, 'x.xlsx'));
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--raters');
    const two = await run('make', FIXTURE, '--raters', '2', '--aggregate', 'trimmed', '-o', join(dir, 'y.xlsx'));
    expect(two.code).toBe(2);
    expect(two.err).toContain('至少3名评委');
  });

  it('update carries every hand’s column to the corrected rubric and keeps the workbook id', async () => {
    const out = join(dir, 'upd.xlsx');
    expect((await run('make', FIXTURE, '--self', '-o', out)).code).toBe(0);
    const filled = join(dir, 'upd-filled.xlsx');
    const before = await fill(out, filled, { 甲局: { self: { 's2.2': '是' }, assessor: { 's2.2': '否' } } });
    const v2 = join(dir, 'mini-1.1.0.yaml');
    writeFileSync(v2, readFileSync(FIXTURE, 'utf8').replace('version: 1.0.0', 'version: 1.1.0'));
    const updated = join(dir, 'upd-1.1.0.xlsx');
    const r = await run('update', filled, '--rubric', v2, '-o', updated);
    expect(r.code, r.err + r.out).toBe(0);
    const { wb, meta } = await open(updated);
    expect(meta.program.version).toBe('1.1.0');
    expect(meta.hands).toEqual(['self', 'assessor']);
    expect(meta.workbookId).toBe(before.workbookId);
    const s = meta.sheets.find((x) => x.unit === '甲局')!;
    const at = (hand: string) => s.hands!.find((h) => h.hand === hand)!.inputs.find((i) => i.key.startsWith('s2.2'))!.address;
    expect(wb.getWorksheet(s.name)!.getCell(at('self')).value).toBe('是');
    expect(wb.getWorksheet(s.name)!.getCell(at('assessor')).value).toBe('否');
  });
});

describe('dafen update keeps every hand’s 扣分依据 (issue 15)', () => {
  it('a 3-rater workbook: rater2/rater3 remarks on 各评分人扣分依据 carried, one whose criterion is gone on 未匹配录入', async () => {
    const out = join(dir, 'r3.xlsx');
    expect((await run('make', FIXTURE, '--raters', '3', '--aggregate', 'trimmed', '--on', 'total', '-o', out)).code).toBe(0);
    // Pieces by rater, filled and merged back: the master's 各评分人扣分依据 holds rater2's and rater3's words.
    const split = await splitWorkbook(new Uint8Array(readFileSync(out)), { by: 'rater', file: 'r3.xlsx' });
    const said: Record<string, Record<string, Record<string, string>>> = {
      rater1: { 甲局: { 's1.2': '评委1：巡查记录两次' } },
      rater2: { 甲局: { 's1.2': '评委2：资料不全' }, 乙局: { 's2.2': '评委2：未见文件' } },
      rater3: { 甲局: { 's1.3': '评委3：可办率按80%计' } },
    };
    const returned = [];
    for (const p of split.pieces!) returned.push({ name: p.name, bytes: await fillPiece(p.bytes, {}, said[p.hand] ?? {}) });
    const merged = await mergeWorkbooks({ name: 'r3.xlsx', bytes: new Uint8Array(readFileSync(out)) }, returned);
    expect(merged.report!.remarks).toBe(4);
    // A clerk adds a row for a unit the workbook does not have: not read into a unit, not dropped either.
    const master = join(dir, 'r3-merged.xlsx');
    const mwb = new ExcelJS.Workbook();
    await mwb.xlsx.load(merged.bytes! as unknown as ArrayBuffer);
    mwb.getWorksheet(HAND_REMARKS_SHEET)!.getRow(10).values = ['丁局', '评委2', 's1.2', '丁局：另行通知', 'rater2'];
    await mwb.xlsx.writeFile(master);
    // dafen score --json gives every hand's words: the column's (remarks, the first scoring hand's) and, by hand, every hand's (handRemarks).
    const scored = JSON.parse((await run('score', master, '--json')).out) as { units: { unit: string; remarks: Record<string, string>; handRemarks?: Record<string, Record<string, string>> }[] };
    const unitJ = (u: string) => scored.units.find((x) => x.unit === u)!;
    expect([unitJ('甲局').remarks, unitJ('甲局').handRemarks]).toEqual([{ 's1.2': '评委1：巡查记录两次' }, { rater1: { 's1.2': '评委1：巡查记录两次' }, rater2: { 's1.2': '评委2：资料不全' }, rater3: { 's1.3': '评委3：可办率按80%计' } }]);
    expect(unitJ('乙局').handRemarks).toEqual({ rater2: { 's2.2': '评委2：未见文件' } });
    // Version 1.1.0 drops s1.3 (可办率).
    const v2 = join(dir, 'mini-1.1.0-no-s13.yaml');
    const text = readFileSync(FIXTURE, 'utf8').replace('version: 1.0.0', 'version: 1.1.0').split('\n').filter((l) => !l.includes('id: s1.3,')).join('\n');
    writeFileSync(v2, text);
    const updated = join(dir, 'r3-1.1.0.xlsx');
    const r = await run('update', master, '--rubric', v2, '-o', updated);
    expect(r.code, r.err + r.out).toBe(0);
    const read = await readFilledWorkbook(readFileSync(updated));
    const of = (unit: string) => read.units.find((u) => u.unit === unit)!;
    // The first scoring hand's words stay in the 扣分依据 column, the others' on 各评分人扣分依据.
    expect(of('甲局').remarks).toEqual({ 's1.2': '评委1：巡查记录两次' });
    expect(of('甲局').handRemarks?.rater2).toEqual({ 's1.2': '评委2：资料不全' });
    expect(of('乙局').handRemarks?.rater2).toEqual({ 's2.2': '评委2：未见文件' });
    // rater2's words, all on criteria 1.1.0 keeps: the same as the old workbook's reader gives, unit by unit.
    const old = await readFilledWorkbook(readFileSync(master));
    for (const u of old.units) expect(of(u.unit).handRemarks?.rater2, u.unit).toEqual(u.handRemarks?.rater2);
    expect(old.units.find((u) => u.unit === '甲局')!.handRemarks?.rater3).toEqual({ 's1.3': '评委3：可办率按80%计' });
    expect(of('甲局').handRemarks?.rater3 ?? {}).toEqual({});
    const rows = await plainSheet(new Uint8Array(readFileSync(updated)), HAND_REMARKS_SHEET);
    expect(rows!.slice(3).filter(Boolean).map((x) => [x[1], x[5], x[3], x[4]])).toEqual([
      ['甲局', 'rater2', 's1.2', '评委2：资料不全'],
      ['乙局', 'rater2', 's2.2', '评委2：未见文件'],
    ]);
    // rater3's words on s1.3, gone in 1.1.0: kept on 未匹配录入 under the hand's key, with the reason.
    const kept = (read.unmatched ?? []).filter((x) => String(x[2]).endsWith('#扣分依据'));
    expect(kept.map((x) => [x[0], x[2], x[4], x[5]])).toEqual([
      ['甲局', 'rater3:s1.3#扣分依据', '评委3：可办率按80%计', '新版本中已无此评分项'],
      ['丁局', 'rater2:s1.2#扣分依据', '丁局：另行通知', '新版本中没有此单位或其类别'],
    ]);
    // Both said on the way: the reader's warning for the row, the update's line for each kept aside.
    expect(r.out).toContain('“各评分人扣分依据”第10行（单位“丁局”');
    expect(r.out.split('\n').filter((l) => l.includes('workbook.keptAside') && l.includes('扣分依据'))).toHaveLength(2);
  });
});
