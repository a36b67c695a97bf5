/**
 * 本表设定 through the CLI (issue 11): the 台前 县直 s2.3.3 rank table the document never gives (第1名20分, each later
 * place 1 less) is a cell on the 本表设定 sheet. A clerk who changes it there changes what `dafen score` and
 * `dafen summary` compute; a bad value is listed at its sheet and cell and the rubric's value is used; `dafen update`
 * carries a changed value to the new version, or keeps it aside on 未匹配录入 when the new version has no such setting.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkbook as open, run, scratchDir } from './run';
import { ROOT } from '../layout/helpers';

const dir = scratchDir('dafen-settings-');
const RUBRIC = join(ROOT, 'rubrics', 'taiqian-2018.yaml');
const UNITS = ['县安监局', '县残联', '县城管局'];
const FIGURES = [300, 200, 100]; // 年度累计办件量: places 1, 2, 3

/** A made workbook with the three units' 办件量 entered and the 本表设定 cells set as given (by setting key). */
async function made(name: string, settings: Record<string, string | number | null>): Promise<string> {
  const blank = join(dir, `${name}-blank.xlsx`);
  const r = await run('make', RUBRIC, ...UNITS.flatMap((u) => ['--unit', u]), '-o', blank);
  expect(r.code, r.err).toBe(0);
  const { wb, meta } = await open(blank);
  meta.sheets.forEach((s, i) => {
    wb.getWorksheet(s.name)!.getCell(s.inputs.find((x) => x.key === 's2.3.3#figure')!.address).value = FIGURES[i];
  });
  const ws = wb.getWorksheet(meta.settings!.sheet)!;
  for (const [key, v] of Object.entries(settings)) ws.getCell(meta.settings!.cells.find((c) => c.key === key)!.address).value = v;
  const out = join(dir, `${name}.xlsx`);
  await wb.xlsx.writeFile(out);
  return out;
}

const pointsOf = (json: { units: { unit: string; nodes: { id: string; points: number }[] }[] }, id: string) =>
  json.units.map((u) => u.nodes.find((n) => n.id === id)!.points);

describe('dafen score / summary read the 本表设定 sheet', () => {
  it('lists every setting with its cell and the rubric value; the unit sheets read 计分采用', async () => {
    const file = await made('plain', {});
    const { wb, meta } = await open(file);
    expect(meta.settings!.cells.map((c) => [c.key, c.address])).toEqual([
      ['county/s2.3.3@step.first', 'G3'], ['county/s2.3.3@step.per', 'G4'], ['town/s3.1.1@tiers.3.points', 'G5'], ['town/s5.1.3@tiers.0.points', 'G6'],
    ]);
    const ws = wb.getWorksheet('本表设定')!;
    expect([ws.getCell('F3').value, ws.getCell('G3').value, ws.getCell('F4').value]).toEqual([20, 20, 1]);
    const unit = wb.getWorksheet(meta.sheets[0].name)!;
    const at = meta.sheets[0].cells.find((c) => c.id === 's2.3.3')!.address;
    expect(unit.getCell(at).formula).toContain("'本表设定'!$H$3");
    expect(unit.getCell(at).formula).not.toMatch(/(^|[^$\d])20([^\d]|$)/);
    const r = await run('score', file, '--json');
    expect(pointsOf(JSON.parse(r.out), 's2.3.3')).toEqual([20, 19, 18]);
  });

  it('a changed setting changes the scores (每后1名减 1 → 5: 20, 15, 10)', async () => {
    const file = await made('per5', { 'county/s2.3.3@step.per': 5 });
    const r = await run('score', file, '--json');
    const j = JSON.parse(r.out);
    expect(pointsOf(j, 's2.3.3')).toEqual([20, 15, 10]);
    expect(j.workbook.problems.filter((p: { code: string }) => p.code.startsWith('setting.'))).toEqual([]);
    const s = await run('summary', file);
    expect(s.out).toMatch(/县城管局/);
  });

  it('a bad value is a problem at its sheet and cell, never used: the criterion keeps the rubric\'s values', async () => {
    for (const [value, code] of [['二十', 'setting.notNumber'], [-3, 'setting.range'], [25, 'setting.range'], [null, 'setting.blank']] as const) {
      const file = await made(`bad-${String(value)}`, { 'county/s2.3.3@step.first': value, 'county/s2.3.3@step.per': 5 });
      const r = await run('score', file, '--json');
      expect(r.code).toBe(1);
      const j = JSON.parse(r.out);
      expect(pointsOf(j, 's2.3.3')).toEqual([20, 19, 18]); // per 5 is refused with it: one group
      const p = j.workbook.problems.find((x: { code: string }) => x.code === code);
      expect(p, `${String(value)}`).toMatchObject({ sheet: '本表设定', cell: 'G3', severity: 'error' });
      expect(p.message.zh).toContain('本表设定!G3');
      expect(p.message.en).toContain("rubric's values");
    }
  });

  it('a tier setting out of order (60%—80% above the 80% tier\'s 2分) is refused', async () => {
    const file = await made('order', { 'town/s5.1.3@tiers.0.points': 3 });
    const r = await run('score', file, '--json');
    const p = JSON.parse(r.out).workbook.problems.find((x: { code: string }) => x.code === 'setting.orderTier');
    expect(p).toMatchObject({ sheet: '本表设定', cell: 'G6' });
    expect(p.message.zh).toContain('较高档次的得分将低于较低档次');
  });
});

describe('dafen update carries a changed setting', () => {
  const text = readFileSync(RUBRIC, 'utf8');
  const version = /^version: (\S+)$/m.exec(text)![1];
  const next = version.replace(/^(\d+)\.(\d+)\..*$/, (_m, a, b) => `${a}.${Number(b) + 1}.0`);

  it('to the same setting of the new version; an unchanged one takes the new version\'s value', async () => {
    const file = await made('carry', { 'county/s2.3.3@step.per': 2 });
    // The new version corrects the 60%—80% tier's own value (0 → 1): not changed by the clerk, so 1 applies.
    const v2 = join(dir, 'v2.yaml');
    writeFileSync(v2, text.replace(`version: ${version}`, `version: ${next}`).replace(/- min: 0\.6\n(\s+)points: 0\n/, '- min: 0.6\n$1points: 1\n'));
    const out = join(dir, 'carried.xlsx');
    const r = await run('update', file, '--rubric', v2, '-o', out);
    expect(r.code, r.err).toBe(0);
    const { wb } = await open(out);
    const ws = wb.getWorksheet('本表设定')!;
    expect([ws.getCell('G4').value, ws.getCell('G6').value, ws.getCell('F6').value]).toEqual([2, 1, 1]);
    expect(wb.getWorksheet('未匹配录入')).toBeUndefined();
    const s = JSON.parse((await run('score', out, '--json')).out);
    expect(pointsOf(s, 's2.3.3')).toEqual([20, 18, 16]);
  });

  it('to 未匹配录入 when the new version no longer has it', async () => {
    const file = await made('gone', { 'county/s2.3.3@step.per': 2 });
    const v2 = join(dir, 'v2-table.yaml');
    // The new version gives s2.3.3 a fixed table instead of the step: the step's settings are gone.
    const step = /( +)step:\n\s+first: 20\n\s+per: 1\n\s+min: 0\n\s+setting: .*\n/.exec(text)!;
    writeFileSync(v2, text.replace(`version: ${version}`, `version: ${next}`).replace(step[0], `${step[1]}table: [{ upTo: 1, points: 20 }, { upTo: 2, points: 10 }]\n`));
    const out = join(dir, 'gone-out.xlsx');
    const r = await run('update', file, '--rubric', v2, '-o', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('county/s2.3.3@step.per');
    const { wb } = await open(out);
    const kept = wb.getWorksheet('未匹配录入')!;
    const rows: unknown[][] = [];
    kept.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows.find((x) => x[2] === 'county/s2.3.3@step.per')).toEqual(['本表设定', 'county', 'county/s2.3.3@step.per', expect.stringContaining('每后1名减'), 2, '新版本中已无此本表设定']);
  });
});

describe('a changed 本表设定 value is an entry: no command replaces it', () => {
  it('make -o --force onto a workbook whose only change is 第1名得分 is refused, the setting counted', async () => {
    const blank = join(dir, 'only-setting-blank.xlsx');
    expect((await run('make', RUBRIC, ...UNITS.flatMap((u) => ['--unit', u]), '-o', blank)).code).toBe(0);
    const { wb, meta } = await open(blank);
    const cell = meta.settings!.cells.find((c) => c.key === 'county/s2.3.3@step.first')!.address;
    const file = join(dir, 'only-setting.xlsx');
    // Unchanged (the rubric's 20): nothing would be lost, so --force may replace it.
    wb.getWorksheet(meta.settings!.sheet)!.getCell(cell).value = 20;
    await wb.xlsx.writeFile(file);
    expect((await run('make', RUBRIC, '--unit', UNITS[0], '-o', file, '--force')).code).toBe(0);
    // Changed to 15: refused, and the file keeps the clerk's value.
    const again = await open(blank);
    again.wb.getWorksheet(again.meta.settings!.sheet)!.getCell(cell).value = 15;
    await again.wb.xlsx.writeFile(file);
    const before = readFileSync(file);
    const r = await run('make', RUBRIC, '--unit', UNITS[0], '-o', file, '--force');
    expect(r.code).toBe(1);
    expect(r.err).toContain('1');
    expect(r.err).toMatch(/录入|entries/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
