/**
 * `dafen import`: the rubric it writes is checked by `dafen validate` and made into a workbook by
 * `dafen make` unchanged; --report and --json; bad files end with a message, not a stack trace.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, scratchDir } from '../cli/run';
import { docxFrom } from './ooxml-fixtures';

const dir = scratchDir('dafen-import-');
const fixture = (f: string): string => new URL(`../fixtures/import/${f}`, import.meta.url).pathname;

describe('dafen import', () => {
  it('writes a rubric that validate accepts and make turns into a workbook', async () => {
    const yaml = join(dir, 'tiers.yaml');
    const r = await run('import', fixture('tiers-bonus-penalty.txt'), '-o', yaml);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`已写入 ${yaml}`);
    const v = await run('validate', yaml);
    expect(v.code).toBe(0);
    expect(v.out).toContain('0 个错误');
    const xlsx = join(dir, 'tiers.xlsx');
    const m = await run('make', yaml, '--unit', '某单位', '-o', xlsx);
    expect(m.code).toBe(0);
    expect(existsSync(xlsx)).toBe(true);
  });

  it('--report prints one line per criterion with its kind, parameters and 需确认', async () => {
    const r = await run('import', fixture('numbered-target.txt'), '--report');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    const row = lines.find((l) => l.startsWith('v1:s2.2'))!;
    expect(row).toMatch(/v1:s2\.2\s+2\s+deduct\s+每月不少于2次：少于2时每少1扣0\.5分；扣完为止\s+high/);
    expect(lines.find((l) => l.startsWith('v1:s2.1'))).toMatch(/yesno.*medium\s+需确认：/);
    expect(lines[lines.length - 1]).toBe('4 条评分标准，1 条需确认 / 4 criteria, 1 to confirm');
  });

  it('--json prints the rubric object in the file format', async () => {
    const r = await run('import', fixture('circled-self-score.txt'), '--json');
    expect(r.code).toBe(0);
    const obj = JSON.parse(r.out);
    expect(obj.variants[0].sections[0].children[0].rule.kind).toBe('deduct');
    expect(obj.version).toBe('0.1.0');
  });

  it('reads a .docx', async () => {
    const f = join(dir, '细则.docx');
    writeFileSync(f, await docxFrom([{ rows: [['考核项目', '评分标准', '分值'], ['组织领导', '未成立领导小组的扣5分。', '5']] }]));
    const r = await run('import', f);
    expect(r.code).toBe(0);
    expect(r.out).toContain('未成立领导小组的扣5分。');
  });

  it('bad files end with a zh-CN and English message and exit 1', async () => {
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const e = await run('import', empty);
    expect([e.code, e.err]).toEqual([1, 'import.empty 文件是空的，没有可导入的内容 / The file is empty: nothing to import']);
    const notzip = join(dir, 'bad.docx');
    writeFileSync(notzip, 'hello');
    const b = await run('import', notzip);
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/^import\.unreadable 无法读取文件（\.docx）：.+ \/ Cannot read the file \(\.docx\)/);
    expect(b.err).not.toMatch(/at .*\.ts:\d+/);
    const missing = await run('import', join(dir, 'nope.txt'));
    expect([missing.code, missing.err]).toEqual([1, `找不到文件：${join(dir, 'nope.txt')} / file not found: ${join(dir, 'nope.txt')}`]);
    expect((await run('import')).code).toBe(2);
    const big = join(dir, 'big.txt');
    writeFileSync(big, Buffer.alloc(20 * 1024 * 1024, 0x20));
    const l = await run('import', big);
    expect([l.code, l.err]).toEqual([1, 'import.tooLarge 文件太大（20.0 MB），评分细则一般不超过 10.0 MB；请只导出评分细则表格 / The file is too large (20.0 MB); a rubric table is rarely over 10.0 MB: export the table alone']);
  });
});
