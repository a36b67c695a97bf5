/**
 * `dafen make`, `dafen score`, `dafen summary` through main() with captured output: a workbook made,
 * filled as a clerk would, re-scored; problems named by sheet and cell; the input never overwritten.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { openWorkbook as metaOf, run, scratchDir } from './run';
import { metaSheet, sha256Text, type WorkbookMeta } from '../../src/layout';
import { FIXTURE, ROOT } from '../layout/helpers';

const dir = scratchDir('dafen-cli-');

/** Fills a made workbook by criterion id prefix: { unit: { 's1.2': 3 } }. */
async function fill(file: string, to: string, values: Record<string, Record<string, string | number>>, edit?: (wb: ExcelJS.Workbook, meta: WorkbookMeta) => void): Promise<void> {
  const { wb, meta } = await metaOf(file);
  for (const m of meta.sheets) {
    const ws = wb.getWorksheet(m.name)!;
    for (const [prefix, v] of Object.entries(values[m.unit] ?? {})) ws.getCell(m.inputs.find((i) => i.key.startsWith(prefix))!.address).value = v;
  }
  edit?.(wb, meta);
  await wb.xlsx.writeFile(to);
}

describe('dafen make', () => {
  it('makes the workbook for every listed unit', async () => {
    const out = join(dir, 'sub', 'mini.xlsx');
    const r = await run('make', FIXTURE, '--date', '2019-01-15', '-o', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/3 个单位/);
    expect(existsSync(out)).toBe(true);
    const { meta } = await metaOf(out);
    expect(meta.sheets.map((s) => s.unit)).toEqual(['甲局', '乙局', '丙局']);
    expect(meta.options.date).toBe('2019-01-15');
    expect(meta.program.id).toBe('mini');
  });

  it('--rank-incomplete ranks every unit on the 汇总 (kept in the metadata); by default only complete units get a 名次', async () => {
    const out = join(dir, 'rank.xlsx');
    expect((await run('make', FIXTURE, '--rank-incomplete', '-o', out)).code).toBe(0);
    expect((await metaOf(out)).meta.options.rankIncomplete).toBe(true);
    const { wb } = await metaOf(out);
    const sum = wb.getWorksheet('汇总')!;
    const rankCol = (await metaOf(out)).meta.summary.cols.rank!;
    expect(sum.getCell(`${rankCol}4`).formula).toMatch(/^COUNTIF/);
    const plain = join(dir, 'rank-default.xlsx');
    expect((await run('make', FIXTURE, '-o', plain)).code).toBe(0);
    expect((await metaOf(plain)).meta.options.rankIncomplete).toBeUndefined();
  });

  it('takes --unit (unlisted units too, with --variant), and --all-units', async () => {
    const out = join(dir, 'one.xlsx');
    let r = await run('make', FIXTURE, '--unit', '乙局', '--unit', '新设局', '--variant', 'a', '-o', out);
    expect(r.code).toBe(0);
    expect((await metaOf(out)).meta.sheets.map((s) => s.unit)).toEqual(['乙局', '新设局']);
    r = await run('make', FIXTURE, '--all-units', '-o', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/outputExists.*--force/);
    r = await run('make', FIXTURE, '--all-units', '--force', '-o', out);
    expect(r.code).toBe(0);
    expect((await metaOf(out)).meta.sheets.length).toBe(3);
  });

  it('prints a progress line per sheet on long runs', async () => {
    const units = Array.from({ length: 12 }, (_, i) => ['--unit', `单位${i + 1}`]).flat();
    const r = await run('make', FIXTURE, ...units, '--variant', 'a', '-o', join(dir, 'many.xlsx'));
    expect(r.code).toBe(0);
    expect(r.err.split('\n').filter((l) => /^\[\d+\/12\]/.test(l)).length).toBe(12);
  });

  it('refuses bad arguments with a usage line', async () => {
    expect((await run('make', FIXTURE)).code).toBe(2);
    expect((await run('make', FIXTURE, '--date', '2019-02-30', '-o', join(dir, 'x.xlsx'))).err).toMatch(/YYYY-MM-DD/);
    expect((await run('make', FIXTURE, '--variant', 'zz', '-o', join(dir, 'x.xlsx'))).err).toMatch(/类别“zz”不存在/);
    expect((await run('make', FIXTURE, '--bogus', '-o', join(dir, 'x.xlsx'))).code).toBe(2);
    expect((await run('make', FIXTURE, '-o', FIXTURE)).code).toBe(2);
    expect((await run('make', join(dir, 'missing.yaml'), '-o', join(dir, 'x.xlsx'))).code).toBe(1);
  });
});

describe('dafen score / summary', () => {
  const made = join(dir, 'made.xlsx');
  const filledFile = join(dir, 'filled.xlsx');

  it('re-scores a filled workbook: the same JSON as dafen eval, with workbook problems', async () => {
    expect((await run('make', FIXTURE, '-o', made)).code).toBe(0);
    await fill(made, filledFile, {
      甲局: { 's1.1#done': 5, 's1.1#of': 8, 's1.2': 3, 's1.3': 0.95, 's1.4': '整体接入', 's2.1': 120, 's2.2': '是', 's2.3': 1 },
      乙局: { 's2.1': 300, 's1.2': 'abc' },
    });
    const r = await run('score', filledFile, '--json', '--rubric', FIXTURE);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['program', 'units', 'problems', 'workbook']));
    const a = j.units.find((u: { unit: string }) => u.unit === '甲局');
    expect(a.nodes.find((n: { id: string }) => n.id === 's1.2').points).toBe(0.5);
    expect(j.units.map((u: { unit: string; rank: number }) => `${u.unit}${u.rank}`)).toEqual(['甲局1', '乙局2', '丙局3']);
    // Text in a number cell: named by sheet and cell.
    const b = j.units.find((u: { unit: string }) => u.unit === '乙局');
    expect(b.problems.map((p: { code: string; path: string }) => `${p.code} ${p.path}`)).toEqual([expect.stringMatching(/^input\.notNumber 乙局!E\d+$/)]);
    expect(r.code).toBe(1);
    // The workbook itself was saved by ExcelJS without recalculation: stale values, not changed formulas.
    expect(j.workbook.problems.map((p: { code: string }) => p.code)).toEqual(['workbook.notRecalculated']);
  });

  it('flags an overwritten formula by sheet and cell, and writes a repaired copy — never over its input', async () => {
    const broken = join(dir, 'broken.xlsx');
    await fill(made, broken, { 甲局: { 's1.2': 1 } }, (wb, meta) => {
      const m = meta.sheets[0];
      wb.getWorksheet(m.name)!.getCell(m.cells.find((c) => c.id === 's1')!.address).value = 10;
    });
    const before = readFileSync(broken);
    const same = await run('score', broken, '-o', broken, '--rubric', FIXTURE);
    expect(same.code).toBe(2);
    expect(same.err).toMatch(/不会覆盖输入文件/);
    expect(readFileSync(broken).equals(before)).toBe(true);

    const fixed = join(dir, 'fixed.xlsx');
    const r = await run('score', broken, '-o', fixed, '--rubric', FIXTURE);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/甲局!F\d+ workbook\.formulaChanged/);
    expect(statSync(fixed).size).toBeGreaterThan(0);
    const again = await run('score', fixed, '--rubric', FIXTURE);
    expect(again.out).toContain('✓ 工作簿与重新计分结果一致');
    expect(again.code).toBe(0);
    const { meta } = await metaOf(fixed);
    expect(meta.sheets.length).toBe(3);
  });

  it('prints the ranking table aligned for Chinese text', async () => {
    const r = await run('summary', filledFile, '--rubric', FIXTURE);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('测试考核');
    expect(lines[1]).toMatch(/^名次\s+单位\s+类别/);
    expect(lines.slice(3).map((l) => l.trim().split(/\s+/)[1])).toEqual(['甲局', '乙局', '丙局']);
  });

  it('says clearly when a workbook was not made by Dafen, or its rubric version is unknown', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('成绩').getCell('A1').value = '县安监局';
    const foreign = join(dir, 'foreign.xlsx');
    await wb.xlsx.writeFile(foreign);
    const r = await run('score', foreign);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/workbook\.notDafen .*成绩/);
    const newer = join(dir, 'mini-2.yaml');
    writeFileSync(newer, readFileSync(FIXTURE, 'utf8').replace('version: 1.0.0', 'version: 2.0.0'));
    const v = await run('score', filledFile, '--rubric', newer);
    expect(v.code).toBe(1);
    expect(v.err).toMatch(/workbook\.useUpdate.*1\.0\.0.*dafen update/);
    expect((await run('summary', join(dir, 'nope.xlsx'))).code).toBe(1);
    // Without --rubric the rubric is looked up in rubrics/ by id: the fixture is not there, so the copy the
    // workbook carries is used, and the clerk is told so.
    const own = await run('score', filledFile);
    expect(own.out).toMatch(/workbook\.embeddedRubric/);
    expect(own.out).toContain('甲局');
    const table = await run('summary', filledFile);
    expect(table.code).toBe(0);
    expect(table.out).toContain('甲局');
  });

  it('re-scores with the workbook’s own rubric copy made by an earlier loader: not "differs", and -o rewrites it in place', async () => {
    const made = join(dir, 'older.xlsx');
    expect((await run('make', FIXTURE, '-o', made)).code).toBe(0);
    const older = join(dir, 'older-filled.xlsx');
    await fill(made, older, { 甲局: { 's1.2': 3 } }, (wb, meta) => {
      // As an earlier loader wrote it: without the rank input's default type, hashed as such.
      const rubric = meta.rubric!.replace(/"type":"number",/g, '');
      expect(rubric).not.toBe(meta.rubric);
      const m = { ...meta, rubric, contentHash: sha256Text(rubric) };
      const plan = metaSheet(m);
      const ws = wb.getWorksheet('_dafen')!;
      for (let r = 1; r <= ws.rowCount; r++) ws.getCell(r, 1).value = null;
      for (const c of plan.cells) ws.getCell(c.row, c.col).value = c.value as string;
    });
    const r = await run('score', older, '-o', join(dir, 'older-fixed.xlsx'));
    expect(r.out).toMatch(/workbook\.embeddedRubric/);
    expect(r.out + r.err).not.toMatch(/workbook\.hashDiffers|workbook\.madeUnknown|已转入/);
    expect(r.out).toMatch(/已写出修正后的工作簿/);
    expect(r.code).toBe(0);
  });

  it('keeps validate and eval working', async () => {
    expect((await run('validate', FIXTURE)).code).toBe(0);
    expect((await run('help')).out).toMatch(/dafen make/);
    void ROOT;
  });
});
