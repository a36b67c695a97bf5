/**
 * `dafen update` (and `dafen score -o` with an edited rubric): a filled workbook carried to a corrected
 * rubric, every entry either carried (by what its input means) or kept, visibly, on 未匹配录入; the
 * success line counts both. Issue 10: `score --rubric` kept 17 of 25 entries, dropped 8 with "已忽略"
 * and said all were kept; inserting a line moved 违规次数=2 onto the new 迟报次数.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, scratchDir } from './run';
import { decodeMeta, entriesHeld, readKeptRows, type WorkbookMeta } from '../../src/layout';
import { readFilledWorkbook, type FilledWorkbook } from '../../src/xlsx';
import { FIXTURE } from '../layout/helpers';
import { shiftFormulas } from './attacks-generate';

const dir = scratchDir('dafen-update-');

const read = async (file: string): Promise<FilledWorkbook> => readFilledWorkbook(new Uint8Array(readFileSync(file)));
const inputsOf = (wb: FilledWorkbook, unit: string) => wb.units.find((u) => u.unit === unit)!.inputs;

const TEXT = readFileSync(FIXTURE, 'utf8');
// 1.1.0: a line 迟报次数 inserted before 违反次数 (s1.2), 接入 (s1.4) removed, the city-level award line
// reworded into something else (b1#l1 now counts 省级表彰), the rest unchanged.
const V2 = TEXT.replace('version: 1.0.0', 'version: 1.1.0')
  .replace('lines: [{ type: count, label: 违反次数, rate: 0.5 }]', 'lines: [{ type: count, label: 迟报次数, rate: 1 }, { type: count, label: 违反次数, rate: 0.5 }]')
  .replace(/ {10}- \{ id: s1\.4.*\n/, '')
  .replace('label: 市级以上表彰次数', 'label: 省级表彰次数');
// 1.2.0: 接入 back (so the value kept aside for it may return); the rest as 1.1.0.
const V3 = V2.replace('version: 1.1.0', 'version: 1.2.0')
  .replace(/( {10}- \{ id: s1\.3.*\n)/, '$1          - { id: s1.4, title: 接入, text: 整体接入的记10分，单机接入的记5分。, points: 2, rule: { kind: choice, options: [{ label: 整体接入, points: 2 }, { label: 单机接入, points: 1 }] } }\n');

let base: string;
let v2: string;
let v3: string;

async function metaOf(wb: ExcelJS.Workbook): Promise<WorkbookMeta> {
  const ws = wb.getWorksheet('_dafen')!;
  const col: string[] = [];
  for (let r = 1; r <= ws.rowCount; r++) col.push(String(ws.getCell(r, 1).value));
  return decodeMeta(col).meta!;
}

beforeAll(async () => {
  v2 = join(dir, 'v2.yaml');
  v3 = join(dir, 'v3.yaml');
  writeFileSync(v2, V2);
  writeFileSync(v3, V3);
  const made = join(dir, 'made.xlsx');
  expect((await run('make', FIXTURE, '--date', '2019-01-15', '-o', made)).code).toBe(0);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(made);
  const meta = await metaOf(wb);
  const values: Record<string, Record<string, string | number>> = {
    甲局: { 's1.2#l1': 2, 's1.4#choice': '整体接入', 's2.1#figure': 120, 'b1#l1': 1, 'b1#l2': 2 },
    乙局: { 's1.2#l1': 1, 's2.1#figure': 80 },
  };
  for (const s of meta.sheets) {
    const ws = wb.getWorksheet(s.name)!;
    for (const [key, v] of Object.entries(values[s.unit] ?? {})) ws.getCell(s.inputs.find((i) => i.key === key)!.address).value = v;
  }
  // 丙局: a row inserted below the first input, with a value typed into it (read by no formula).
  const third = meta.sheets[2];
  const ws = wb.getWorksheet(third.name)!;
  const at = Number(/\d+/.exec(third.inputs[0].address)![0]) + 1;
  shiftFormulas(wb, third.name, at, 1, 'row');
  ws.spliceRows(at, 0, []);
  ws.getCell(`${/[A-Z]+/.exec(third.inputs[0].address)![0]}${at}`).value = 7;
  base = join(dir, 'filled.xlsx');
  await wb.xlsx.writeFile(base);
}, 60_000);

describe('dafen update', () => {
  it('carries every entry by what it means, keeps the rest on 未匹配录入, and counts both truthfully', async () => {
    const out = join(dir, 'v2.xlsx');
    const before = readFileSync(base);
    const r = await run('update', base, '--rubric', v2, '-o', out);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    expect(readFileSync(base).equals(before)).toBe(true);
    const wb = await read(out);
    expect(wb.meta!.program.version).toBe('1.1.0');
    // 违反次数=2 followed its line to l2; the new 迟报次数 (l1) is blank.
    expect(inputsOf(wb, '甲局')).toEqual({ 's1.2#l2': 2, 's2.1#figure': 120, 'b1#l2': 2 });
    expect(inputsOf(wb, '乙局')).toEqual({ 's1.2#l2': 1, 's2.1#figure': 80 });
    const kept = readKeptRows(wb.unmatched ?? []);
    expect(kept.map((k) => [k.unit, k.key, k.value])).toEqual([
      ['甲局', 's1.4#choice', '整体接入'],
      ['甲局', 'b1#l1', 1],
      ['丙局', expect.stringMatching(/!G\d+$|![A-Z]+\d+$/), 7],
    ]);
    expect(kept[1].label).toMatch(/市级以上表彰次数/);
    // 8 entries in: 5 carried, 3 kept; the success line says exactly that, and each kept one is listed.
    expect(r.out).toMatch(/5 项录入已转入（其中2项随移动的扣分行转到新位置），3 项保留在“未匹配录入”工作表/);
    expect(r.out.split('\n').filter((l) => l.includes('workbook.keptAside'))).toHaveLength(3);
    expect(r.out).toMatch(/s1\.4#choice.*新版本中已无此评分项/);
    expect(r.out).toMatch(/b1#l1.*内容已改变/);
    expect(r.out).toMatch(/插入的行中/);
  });

  it('carries the 扣分依据/说明 by criterion id; one whose criterion is gone on 未匹配录入 (update dropped both before)', async () => {
    const made = join(dir, 'remarks.xlsx');
    expect((await run('make', FIXTURE, '-o', made)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(made);
    const s = (await metaOf(wb)).sheets.find((x) => x.unit === '甲局')!;
    const at = (id: string) => s.remarks!.find((r) => r.id === id)!.address;
    wb.getWorksheet(s.name)!.getCell(at('s1.2')).value = '巡查记录两次';
    wb.getWorksheet(s.name)!.getCell(at('s1.4')).value = '单机接入，见照片';
    const filled = join(dir, 'remarks-filled.xlsx');
    await wb.xlsx.writeFile(filled);
    const out = join(dir, 'remarks-v2.xlsx');
    const r = await run('update', filled, '--rubric', v2, '-o', out);
    expect(r.code, r.err).toBe(0);
    const after = await read(out);
    expect(after.units.find((u) => u.unit === '甲局')!.remarks).toEqual({ 's1.2': '巡查记录两次' });
    expect(readKeptRows(after.unmatched ?? []).map((k) => [k.unit, k.key, k.value])).toEqual([['甲局', 's1.4#扣分依据', '单机接入，见照片']]);
  });

  it('gives entries kept aside another chance with the next version, never onto a key that meant something else', async () => {
    const mid = join(dir, 'v2.xlsx');
    const out = join(dir, 'v3.xlsx');
    const r = await run('update', mid, '--rubric', v3, '-o', out);
    expect(r.code).toBe(0);
    const wb = await read(out);
    // 接入 is back: its value returns. b1#l1 existed in 1.1.0 as 省级表彰次数: the 市级 count stays aside.
    expect(inputsOf(wb, '甲局')).toEqual({ 's1.2#l2': 2, 's2.1#figure': 120, 'b1#l2': 2, 's1.4#choice': '整体接入' });
    expect(readKeptRows(wb.unmatched ?? []).map((k) => [k.unit, k.key, k.value])).toEqual([
      ['甲局', 'b1#l1', 1],
      ['丙局', expect.stringMatching(/!/), 7],
    ]);
    expect(r.out).toMatch(/6 项录入已转入，2 项保留/);
  });

  it('a same-version re-score (-o) keeps the 未匹配录入 rows too', async () => {
    const out = join(dir, 'v3-again.xlsx');
    const r = await run('score', join(dir, 'v3.xlsx'), '-o', out, '--rubric', v3);
    expect(r.err).not.toMatch(/\n\s+at /);
    const wb = await read(out);
    expect(readKeptRows(wb.unmatched ?? [])).toHaveLength(2);
    expect(inputsOf(wb, '甲局')['b1#l1']).toBeUndefined();
    expect(r.out).toMatch(/6 项录入已转入，2 项保留/);
  });

  it('score --rubric with another version points to dafen update instead of scoring', async () => {
    const r = await run('score', base, '--rubric', v2);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/workbook\.useUpdate.*dafen update/);
  });

  it('score -o with the same version edited carries, never drops with 已忽略', async () => {
    const edited = join(dir, 'v1-edited.yaml');
    writeFileSync(edited, V2.replace('version: 1.1.0', 'version: 1.0.0'));
    const out = join(dir, 'v1-edited.xlsx');
    const r = await run('score', base, '--rubric', edited, '-o', out);
    const wb = await read(out);
    expect(inputsOf(wb, '甲局')).toEqual({ 's1.2#l2': 2, 's2.1#figure': 120, 'b1#l2': 2 });
    expect(readKeptRows(wb.unmatched ?? [])).toHaveLength(3);
    expect(r.out).toMatch(/5 项录入已转入.*3 项保留/);
  });

  it('refuses a rubric of another program, a missing --rubric, and an output holding entries (pointing to update)', async () => {
    const other = join(dir, 'other.yaml');
    writeFileSync(other, TEXT.replace('id: mini', 'id: other'));
    let r = await run('update', base, '--rubric', other, '-o', join(dir, 'o.xlsx'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/workbook\.otherProgram/);
    r = await run('update', base, '-o', join(dir, 'o.xlsx'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--rubric/);
    r = await run('update', base, '--rubric', v2, '-o', join(dir, 'v2.xlsx'), '--force');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/workbook\.outputHoldsEntries.*dafen update/);
    r = await run('update', base, '--rubric', v2, '-o', v2, '--force');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/workbook\.sameFile/);
  });

  it('entriesHeld, the check before any replacement: inputs, values in inserted rows, 扣分依据 and rows kept aside all count', async () => {
    const filled = await read(base);
    expect(entriesHeld(filled.units, filled.unmatched)).toBe(8);
    const v2wb = await read(join(dir, 'v2.xlsx'));
    expect(entriesHeld(v2wb.units, v2wb.unmatched)).toBe(8);
    const made = await read(join(dir, 'made.xlsx'));
    expect(entriesHeld(made.units, made.unmatched)).toBe(0);
    // A 扣分依据/说明 alone is an entry too (2, typed in the test above): `dafen make -o … --force` does not replace it.
    const said = await read(join(dir, 'remarks-filled.xlsx'));
    expect(entriesHeld(said.units, said.unmatched)).toBe(2);
  });
});
