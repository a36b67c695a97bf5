/**
 * The CLI behaves as people expect: `dafen <command> --help` for every command, a missing argument
 * named, an .xlsx written only to .xlsx, a file that is not .xlsx named by our own message, a unit
 * with rejected input not "complete", a rejected value explained as 录入有误, and a single-variant
 * program's make line printed cleanly.
 */
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/help';
import { run, scratchDir } from './run';
import { FIXTURE, ROOT } from '../layout/helpers';

const dir = scratchDir('dafen-help-');

describe('dafen <command> --help', () => {
  it.each(COMMANDS)('%s --help and -h print that command’s usage and options, exit 0, and do nothing else', async (cmd) => {
    for (const flag of ['--help', '-h']) {
      const r = await run(cmd, flag);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).toMatch(new RegExp(`^用法 / usage: dafen ${cmd} `));
      expect(r.out).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await run('help', cmd)).out).toBe((await run(cmd, '--help')).out);
  });

  it('documents every option each command parses', async () => {
    expect((await run('make', '--help')).out).toEqual(expect.stringContaining('--unit'));
    for (const o of ['--variant', '--all-units', '--date', '--sort', '-o, --output']) expect((await run('make', '--help')).out).toContain(o);
    for (const o of ['--json', '-o, --output', '--rubric']) expect((await run('score', '--help')).out).toContain(o);
    for (const o of ['--inputs', '--json']) expect((await run('eval', '--help')).out).toContain(o);
    for (const cmd of ['make', 'score', 'update']) expect((await run(cmd, '--help')).out).toContain('--force');
    for (const o of ['--rubric', '-o, --output']) expect((await run('update', '--help')).out).toContain(o);
    for (const o of ['-o, --out', '--json', '--report']) expect((await run('import', '--help')).out).toContain(o);
  });

  it('knows every command main dispatches, update and import too', async () => {
    expect([...COMMANDS].sort()).toEqual(['eval', 'import', 'make', 'merge', 'score', 'split', 'summary', 'update', 'validate']);
    const all = (await run('help')).out;
    for (const cmd of COMMANDS) expect(all).toContain(`dafen ${cmd} `);
  });

  it('make --help with a rubric and -o still only prints help (nothing written)', async () => {
    const out = join(dir, 'never.xlsx');
    const r = await run('make', FIXTURE, '-o', out, '--help');
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(false);
  });
});

describe('argument messages', () => {
  it('eval without --inputs says that --inputs is missing', async () => {
    const r = await run('eval', FIXTURE);
    expect(r.code).toBe(2);
    expect(r.err).toContain('缺少 --inputs');
    expect(r.err).toContain('--inputs <inputs.json> is missing');
    expect((await run('eval')).err).toContain('the rubric file and --inputs are missing');
  });

  it('refuses to write an .xlsx to another extension (make and score)', async () => {
    const csv = join(dir, 'x.csv');
    const r = await run('make', FIXTURE, '-o', csv);
    expect(r.code).toBe(2);
    expect(r.err).toContain('只能写出 .xlsx 工作簿');
    expect(existsSync(csv)).toBe(false);
    const ok = join(dir, 'ok.xlsx');
    expect((await run('make', FIXTURE, '-o', ok)).code).toBe(0);
    const s = await run('score', ok, '-o', join(dir, 'fixed.CSV'));
    expect(s.code).toBe(2);
    expect(s.err).toContain('an .xlsx workbook is written only to an .xlsx file');
  });

  it.each([
    ['a CSV', 'units.csv', '单位,得分\n甲局,90\n', '不是 .xlsx 工作簿'],
    ['an old .xls', 'old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), '旧版 Excel 97–2003（.xls）'],
    ['an empty file', 'empty.xlsx', '', '空文件'],
    ['JSON renamed .xlsx', 'fake.xlsx', '{"units":{}}', '不是 .xlsx 工作簿'],
  ])('score and summary name %s in our own words', async (_what, name, content, words) => {
    const f = join(dir, name);
    writeFileSync(f, content);
    for (const cmd of ['score', 'summary']) {
      const r = await run(cmd, f);
      expect(r.code).toBe(1);
      expect(r.err).toContain(words);
      expect(r.err).not.toMatch(/zip|Corrupted|End of data|^\s*at .*\(/im); // no library words, no stack frame
    }
  });
});

describe('dafen eval --json and rejected input', () => {
  it('a unit with an input error is not complete, and the rejected value is explained as 录入有误', async () => {
    const inputs = join(dir, 'in.json');
    writeFileSync(inputs, JSON.stringify({ units: { 甲局: { 's1.2': '三次' }, 乙局: {} } }));
    const r = await run('eval', FIXTURE, '--inputs', inputs, '--json');
    const j = JSON.parse(r.out) as { units: { unit: string; complete: boolean; nodes: { id: string; explanation: string; rejected?: boolean }[] }[] };
    const a = j.units.find((u) => u.unit === '甲局')!;
    expect(a.complete).toBe(false);
    const n = a.nodes.find((x) => x.id === 's1.2')!;
    expect(n.rejected).toBe(true);
    expect(n.explanation).toMatch(/^录入有误：/);
    expect(n.explanation).toContain('三次');
    expect(n.explanation).not.toMatch(/得\d/);
  });
});

describe('dafen make output line', () => {
  it('names a single variant cleanly, without a count glued to its name', async () => {
    const r = await run('make', join(ROOT, 'rubrics', 'gongshu-2021.yaml'), '--all-units', '-o', join(dir, 'gs.xlsx'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/2 个单位（各街道办事处,区直属各单位、市直延伸单位）/);
    const t = await run('make', join(ROOT, 'rubrics', 'taiqian-2018.yaml'), '--all-units', '-o', join(dir, 'tq.xlsx'));
    expect(t.out).toMatch(/40 个单位（县直 31、乡镇 9）/);
  });
});
