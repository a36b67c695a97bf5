/**
 * `dafen split` and `dafen merge` from the command line: usage errors (exit 2), refusals with the file's
 * name (exit 1), the per-file report and --json, never writing over an input or a returned piece.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planWorkbook } from '../../src/layout';
import { readFilledWorkbook, writeWorkbook } from '../../src/xlsx';
import { splitWorkbook } from '../../src/collect';
import { run, scratchDir } from '../cli/run';
import { fill, taiqian } from './helpers';

const dir = scratchDir('dafen-collect-cli-');
const program = taiqian();
const UNITS = ['县安监局', '城关镇'];
let master: string;
let pieces: string[];
let key: string;

beforeAll(async () => {
  const plan = planWorkbook(program, UNITS, { date: '2019-01-15' });
  key = plan.meta.sheets[0].inputs.find((i) => i.criterionId === 's1.2')!.key;
  master = join(dir, '台前.xlsx');
  writeFileSync(master, await writeWorkbook(planWorkbook(program, [{ name: '县安监局', inputs: { [key]: 1 } }, '城关镇'], { date: '2019-01-15', workbookId: plan.meta.workbookId })));
  const split = await splitWorkbook(new Uint8Array(readFileSync(master)), { by: 'unit', hand: 'assessor', file: master });
  pieces = [];
  for (const p of split.pieces!) {
    const f = join(dir, p.name);
    writeFileSync(f, await fill(p.bytes, { 县安监局: { [key]: 2, [plan.meta.sheets[0].inputs[0].key]: 3 } }));
    pieces.push(f);
  }
});

describe('dafen split', () => {
  it('says how to call it (exit 2)', async () => {
    expect((await run('split', master)).code).toBe(2);
    const r = await run('split', master, '-o', dir, '--by', 'everyone');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--by');
    expect((await run('split', '--help')).out).toContain('dafen split');
  });

  it('refuses a workbook without a self-assessment column or raters, naming it (exit 1), and writes nothing', async () => {
    const out = join(dir, 'pieces');
    const r = await run('split', master, '-o', out, '--by', 'unit');
    expect(r.code).toBe(1);
    expect(r.err).toContain('collect.noSelfHand');
    expect(r.err).toContain('台前.xlsx');
    const r2 = await run('split', master, '-o', out);
    expect(r2.err).toContain('collect.noRaters');
    expect(existsSync(out)).toBe(false);
  });
});

describe('dafen split with hands (dafen make --self --raters 3)', () => {
  it('writes a 自评 piece per unit or a piece per rater; never over a file already there', async () => {
    const made = join(dir, '评委.xlsx');
    const m = await run('make', join(process.cwd(), 'rubrics', 'taiqian-2018.yaml'), '--unit', '县安监局', '--unit', '城关镇', '--self', '--raters', '3', '-o', made);
    expect(m.code, m.err).toBe(0);
    const both = await run('split', made, '-o', join(dir, 'x'));
    expect(both.code).toBe(2);
    expect(both.err).toContain('--by');
    const units = await run('split', made, '-o', join(dir, '自评'), '--by', 'unit');
    expect(units.code, units.err).toBe(0);
    expect(readdirSync(join(dir, '自评')).sort()).toEqual(['评委-自评-城关镇.xlsx', '评委-自评-县安监局.xlsx'].sort());
    const raters = await run('split', made, '-o', join(dir, '评委'), '--by', 'rater');
    expect(raters.code, raters.err).toBe(0);
    expect(raters.out).toContain('已分发 3 份');
    expect(readdirSync(join(dir, '评委')).sort()).toEqual(['评委-评委1.xlsx', '评委-评委2.xlsx', '评委-评委3.xlsx']);
    const again = await run('split', made, '-o', join(dir, '评委'), '--by', 'rater');
    expect(again.code).toBe(2);
    expect(again.err).toContain('workbook.outputExists');
    // A returned piece (holding entries) is not replaced even with --force.
    const returned = join(dir, '评委', '评委-评委1.xlsx');
    const read = await readFilledWorkbook(new Uint8Array(readFileSync(returned)));
    writeFileSync(returned, await fill(new Uint8Array(readFileSync(returned)), { 县安监局: { [read.meta!.sheets[0].inputs[0].key]: 1 } }));
    const forced = await run('split', made, '-o', join(dir, '评委'), '--by', 'rater', '--force');
    expect(forced.code).toBe(1);
    expect(forced.err).toContain('不会替换');
  });
});

describe('dafen merge', () => {
  it('usage errors exit 2; the output is never an input', async () => {
    expect((await run('merge', master, '-o', join(dir, 'm.xlsx'))).code).toBe(2);
    expect((await run('merge', master, pieces[0])).code).toBe(2);
    expect((await run('merge', master, pieces[0], '-o', join(dir, 'm.csv'))).code).toBe(2);
    const same = await run('merge', master, pieces[0], '-o', pieces[0]);
    expect(same.code).toBe(2);
    expect(same.err).toContain('workbook.sameFile');
  });

  it('prints what each file gave, the conflict with both values, the refusals; exit 1 when a file was refused', async () => {
    const foreign = join(dir, '名单.csv');
    writeFileSync(foreign, '单位,得分\n县安监局,90\n');
    const out = join(dir, 'merged.xlsx');
    const r = await run('merge', master, ...pieces, pieces[0], foreign, '-o', out);
    expect(r.code).toBe(1);
    expect(r.out).toContain('台前-考核-县安监局.xlsx  考核，县安监局：取 1 项，冲突 1 项');
    expect(r.out).toContain('台前-考核-城关镇.xlsx  考核，城关镇：取 0 项');
    expect(r.out).toMatch(/冲突 县安监局 考核 .*：打分表 1，交回 2；保留打分表中的值/);
    expect(r.err).toContain('collect.duplicate');
    expect(r.err).toContain('collect.notOurs');
    expect(r.err).toContain('名单.csv');
    expect(r.out).toContain('拒收 2 份');
    const read = await readFilledWorkbook(new Uint8Array(readFileSync(out)));
    expect(read.units.find((u) => u.unit === '县安监局')!.inputs[key]).toBe(1);
    // The master itself is untouched.
    const m = await readFilledWorkbook(new Uint8Array(readFileSync(master)));
    expect(Object.keys(m.units.find((u) => u.unit === '县安监局')!.inputs)).toEqual([key]);
  });

  it('--json gives the report as data; --piece-wins takes the returned value', async () => {
    const out = join(dir, 'merged-json.xlsx');
    const r = await run('merge', master, ...pieces, '-o', out, '--json', '--piece-wins');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.refused).toBe(0);
    expect(j.conflicts).toEqual([expect.objectContaining({ unit: '县安监局', key, master: 1, piece: 2, kept: 'piece' })]);
    expect(j.files.map((f: { status: string }) => f.status)).toEqual(['taken', 'taken']);
    const read = await readFilledWorkbook(new Uint8Array(readFileSync(out)));
    expect(read.units.find((u) => u.unit === '县安监局')!.inputs[key]).toBe(2);
  });

  it('a missing returned file stops the merge before anything is written', async () => {
    const out = join(dir, 'never.xlsx');
    const r = await run('merge', master, join(dir, '没有.xlsx'), '-o', out);
    expect(r.code).toBe(1);
    expect(r.err).toContain('没有.xlsx');
    expect(readdirSync(dir)).not.toContain('never.xlsx');
  });
});
