/**
 * Nothing the user gave is lost or overwritten (issue 10): `make`/`score -o` never replace a workbook
 * holding entries (not even with --force), never write onto a file they read — by device and inode, so a
 * hard link or a symlink to the input counts — and the inputs file of `eval` is read as a user would
 * expect (a BOM allowed, a key given twice refused, names differing only in spaces refused).
 */
import { createHash } from 'node:crypto';
import { linkSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, scratchDir } from './run';
import { decodeMeta } from '../../src/layout';
import { FIXTURE } from '../layout/helpers';

const dir = scratchDir('dafen-files-');
const hash = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

let empty: string;
let filled: string;
let rubric: string;

beforeAll(async () => {
  rubric = join(dir, 'r.yaml');
  writeFileSync(rubric, readFileSync(FIXTURE));
  empty = join(dir, 'empty.xlsx');
  expect((await run('make', rubric, '-o', empty)).code).toBe(0);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(empty);
  const ws = wb.getWorksheet('_dafen')!;
  const col: string[] = [];
  for (let r = 1; r <= ws.rowCount; r++) col.push(String(ws.getCell(r, 1).value));
  const meta = decodeMeta(col).meta!;
  const s = meta.sheets[0];
  wb.getWorksheet(s.name)!.getCell(s.inputs.find((i) => i.key === 's1.2#l1')!.address).value = 2;
  wb.getWorksheet(s.name)!.getCell(s.inputs.find((i) => i.key === 's2.1#figure')!.address).value = 90;
  filled = join(dir, 'filled.xlsx');
  await wb.xlsx.writeFile(filled);
}, 60_000);

describe('a workbook holding entries is never replaced', () => {
  it('make -o onto it: refused even with --force, the entries counted, carry-over named', async () => {
    const before = hash(filled);
    let r = await run('make', rubric, '-o', filled);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/workbook\.outputExists/);
    r = await run('make', rubric, '-o', filled, '--force');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/workbook\.outputHoldsEntries.*2项录入.*dafen update/);
    expect(hash(filled)).toBe(before);
  });

  it('score -o onto it: refused even with --force; an empty workbook may be replaced with --force', async () => {
    const before = hash(filled);
    const r = await run('score', empty, '-o', filled, '--force');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/workbook\.outputHoldsEntries/);
    expect(hash(filled)).toBe(before);
    const copy = join(dir, 'empty-copy.xlsx');
    writeFileSync(copy, readFileSync(empty));
    expect((await run('make', rubric, '-o', copy, '--force')).code).toBe(0);
  });
});

describe('no command writes onto a file it read', () => {
  it('a hard link or a symlink to the input workbook, and the input itself', async () => {
    const hard = join(dir, 'hard.xlsx');
    const soft = join(dir, 'soft.xlsx');
    linkSync(filled, hard);
    symlinkSync(filled, soft);
    const before = hash(filled);
    for (const target of [filled, hard, soft]) {
      const r = await run('score', filled, '-o', target, '--force');
      expect(r.code, target).toBe(2);
      expect(r.err, target).toMatch(/workbook\.sameFile/);
    }
    expect(hash(filled)).toBe(before);
  });

  it('score … --rubric r.yaml -o r.yaml, and make r.yaml -o <hard link to r.yaml>', async () => {
    const before = hash(rubric);
    // -o r.yaml is refused before the overwrite guard: an .xlsx is written only to an .xlsx name (issue 13).
    let r = await run('score', filled, '--rubric', rubric, '-o', rubric, '--force');
    expect(r.code).toBe(2);
    expect(r.err).toContain('只能写出 .xlsx 工作簿');
    // Under an .xlsx name the rubric is still the file read: the same-file guard (issue 10) refuses it.
    const link = join(dir, 'r-link.xlsx');
    linkSync(rubric, link);
    r = await run('score', filled, '--rubric', rubric, '-o', link, '--force');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/workbook\.sameFile/);
    r = await run('make', rubric, '-o', link, '--force');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/workbook\.sameFile/);
    expect(hash(rubric)).toBe(before);
  });
});

describe('what a user types on the command line and in inputs.json', () => {
  it('--unit= (an empty name) and a name of spaces are refused', async () => {
    for (const u of ['--unit=', '--unit=   ']) {
      const r = await run('make', rubric, u, '--variant', 'a', '-o', join(dir, 'u.xlsx'));
      expect(r.code, u).toBe(2);
      expect(r.err, u).toMatch(/单位名称为空/);
    }
  });

  it('inputs.json with a BOM is read; a key given twice and names differing only in spaces are refused', async () => {
    const f = join(dir, 'in.json');
    writeFileSync(f, '\uFEFF' + JSON.stringify({ units: { 甲局: { 's1.2#l1': 2 } } }));
    let r = await run('eval', rubric, '--inputs', f, '--json');
    expect(r.err).not.toMatch(/JSON/);
    expect(JSON.parse(r.out).units.find((u: { unit: string }) => u.unit === '甲局')).toBeTruthy();
    writeFileSync(f, '{ "units": {\n  "甲局": { "s1.2#l1": 2 },\n  "甲局": { "s1.2#l1": 3 }\n} }');
    r = await run('eval', rubric, '--inputs', f);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/in\.json:3 .*重复的键/);
    writeFileSync(f, '{ "units": { "甲局": { "s1.2#l1": 2, "s1.2#l1": 1 } } }');
    expect((await run('eval', rubric, '--inputs', f)).err).toMatch(/重复的键/);
    writeFileSync(f, JSON.stringify({ units: { 甲局: {}, '甲局 ': {} } }));
    r = await run('eval', rubric, '--inputs', f);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/只差空白/);
  });
});

describe('formulas Excel would refuse', () => {
  it('make with a criterion whose formula passes 8,192 characters: a problem at sheet, cell and criterion; nothing written', async () => {
    const lines = Array.from({ length: 150 }, (_, i) => `{ type: excess, label: 项目${i + 1}延迟, threshold: 0.5, rate: 0.1, per: 0.01, input: percent, whole: up }`).join(', ');
    const long = join(dir, 'long.yaml');
    writeFileSync(long, `id: long\nversion: 1.0.0\ntitle: t\nissuer: i\nyear: 2020\nsource: s\nvariants:\n  - id: a\n    name: n\n    title: t\n    columns: [{ header: 项目, source: level1 }, { header: 分值, source: points }]\n    sections:\n      - { id: s1, title: 一, points: 10, rule: { kind: deduct, lines: [${lines}] } }\nunits: [{ name: 甲局, variant: a }]\n`);
    const out = join(dir, 'long.xlsx');
    const r = await run('make', long, '-o', out);
    expect(r.code).toBe(1);
    // The score formula reads inputs through their state cells (issue 9): shorter than before, still over the limit.
    expect(r.err).toMatch(/甲局!E4 workbook\.formulaTooLong .*（s1）的公式有\d{4,5}个字符.*8192/);
    expect(() => readFileSync(out)).toThrow();
  });
});

