/**
 * The layout's guarantees on their own: sheet names Excel accepts, text that is never a formula,
 * checkPlan catching broken plans, the content hash, the metadata chunks, text measuring.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadProgram, type Program } from '../../src/engine';
import {
  META_SHEET, canonicalJson, checkPlan, contentHash, decodeMeta, isValidSheetName, metaSheet, planWorkbook, sha256Text, sheetName, wrappedLines,
  formatDate, PlanError, type WorkbookPlan,
} from '../../src/layout';
import { FIXTURE, loadFixture } from './helpers';
import { readFileSync } from 'node:fs';

describe('sheet names', () => {
  it('replaces forbidden characters, keeps 31 characters, and stays unique (case-insensitively)', () => {
    const taken = new Set<string>(['汇总']);
    const names = ['a/b:c*d?[e]\\f', 'x'.repeat(40), 'X'.repeat(40), 'History', '汇总', "'引号'", '', '县=局', '县=局'].map((n) => sheetName(n, taken));
    for (const n of names) {
      expect(isValidSheetName(n), n).toBe(true);
      expect(n.length).toBeLessThanOrEqual(31);
    }
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    expect(names[0]).toBe('a／b：c＊d？［e］＼f');
    expect(names[2]).toMatch(/\(2\)$/);
    expect(names[3]).not.toBe('History');
    expect(names[4]).toBe('汇总(2)');
    expect(names[5]).toBe('’引号’');
    expect(names[8]).toBe('县=局(2)');
  });

  it('does not split a surrogate pair when cutting', () => {
    const n = sheetName(`${'测'.repeat(30)}𠀀𠀀`, new Set());
    expect(n.length).toBeLessThanOrEqual(31);
    expect(n).toBe('测'.repeat(30));
  });
});

describe('text that looks like a formula stays text', () => {
  const yaml = readFileSync(FIXTURE, 'utf8')
    .replace('title: 测试打分表（县直）', 'title: "=1+1 打分表"')
    .replace('title: 进驻,', 'title: "+进驻",')
    .replace('text: 全部进驻记3分', 'text: "-全部进驻记3分');
  const program = loadProgram(yaml.replace('进驻比例记分。,', '进驻比例记分。",'), 'inline.yaml').program as Program;

  it('writes unit names and rubric text starting with = + - @ as values, never formulas', () => {
    expect(program).not.toBeNull();
    const plan = planWorkbook(program, [{ name: '=SUM(A1)', variant: 'a' }, { name: '@甲', variant: 'a' }, { name: '+1', variant: 'a' }, { name: '-1', variant: 'a' }]);
    expect(checkPlan(plan)).toEqual([]);
    const texts = plan.sheets.flatMap((s) => s.cells).filter((c) => typeof c.value === 'string' && /^[=+\-@]/.test(c.value));
    expect(texts.map((c) => c.value)).toEqual(expect.arrayContaining(['=SUM(A1)', '@甲', '+1', '-1', '=1+1 打分表']));
    for (const c of texts) expect(c.formula).toBeUndefined();
    // Formulas name those sheets quoted.
    const sum = plan.sheets[0].cells.filter((c) => c.formula?.includes("'=SUM(A1)'!"));
    expect(sum.length).toBeGreaterThan(0);
  });
});

describe('checkPlan', () => {
  const plan = planWorkbook(loadFixture(), ['甲局', '乙局']);
  const broken = (f: (p: WorkbookPlan) => void): string[] => {
    const p = structuredClone(plan);
    f(p);
    return checkPlan(p);
  };

  it('accepts a generated plan', () => expect(checkPlan(plan)).toEqual([]));
  it('finds overlapping merges', () => {
    expect(broken((p) => p.sheets[1].merges.push({ ...p.sheets[1].merges[0] })).join()).toMatch(/overlap/);
  });
  it('finds merges beyond the last column', () => {
    expect(broken((p) => p.sheets[1].merges.push({ top: 200, left: 1, bottom: 200, right: 99 })).join()).toMatch(/beyond the last column/);
  });
  it('finds content hidden inside a merge', () => {
    expect(broken((p) => p.sheets[1].cells.push({ row: 1, col: 2, style: 'title', value: 'x' })).join()).toMatch(/two cells|inside a merge/);
  });
  it('finds bad sheet names, locked inputs, formulas starting with =, a printArea LibreOffice ignores', () => {
    expect(broken((p) => (p.sheets[1].name = 'a:b')).join()).toMatch(/invalid sheet name/);
    expect(broken((p) => (p.sheets[2].name = p.sheets[1].name.toUpperCase())).join()).toMatch(/duplicate/);
    expect(broken((p) => (p.sheets[1].cells.find((c) => c.input)!.style = 'text')).join()).toMatch(/input but locked/);
    expect(broken((p) => (p.sheets[1].cells.find((c) => c.formula)!.formula = '=1')).join()).toMatch(/must not start/);
    expect(broken((p) => (p.sheets[1].print!.printArea = '$A1:$G9')).join()).toMatch(/print area/);
  });
  it('finds a cell map that names the wrong cell', () => {
    expect(broken((p) => (p.meta.sheets[0].inputs[0].address = 'A1')).join()).toMatch(/map says input/);
  });
});

describe('content hash', () => {
  it('is SHA-256 (checked against node:crypto)', () => {
    for (const s of ['', 'abc', '打分'.repeat(1000), 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64)]) {
      expect(sha256Text(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
    }
  });
  it('hashes the canonical JSON: key order does not matter, content does', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: undefined }] })).toBe('{"a":[1,{"d":2}],"b":1}');
    const p = loadFixture();
    expect(contentHash(p)).toBe(contentHash(JSON.parse(JSON.stringify(p))));
    expect(contentHash(p)).not.toBe(contentHash({ ...p, version: '1.0.1' }));
    expect(planWorkbook(p, ['甲局']).meta.contentHash).toBe(contentHash(p));
  });
});

describe('metadata in cells', () => {
  it('splits large metadata into chunks below the cell limit and reads it back', () => {
    const p = loadFixture();
    const units = Array.from({ length: 300 }, (_, i) => ({ name: `单位${i}`, variant: 'a' }));
    const plan = planWorkbook(p, units);
    const sheet = plan.sheets.at(-1)!;
    expect(sheet.name).toBe(META_SHEET);
    expect(sheet.cells.every((c) => String(c.value).length <= 32767)).toBe(true);
    expect(decodeMeta(sheet.cells.map((c) => String(c.value))).meta).toEqual(plan.meta);
    expect(metaSheet(plan.meta)).toEqual(sheet);
  });
  it('refuses what is not Dafen metadata', () => {
    expect(decodeMeta([]).error).toBeDefined();
    expect(decodeMeta(['hello']).error).toBeDefined();
    expect(decodeMeta(['{"format":"dafen-workbook","formatVersion":1,"chunks":2}', '{']).error).toMatch(/chunks missing|not JSON/);
    expect(decodeMeta(['{"format":"dafen-workbook","formatVersion":9,"chunks":1}', '{}']).error).toMatch(/newer/);
  });
});

describe('planWorkbook refuses what it cannot place', () => {
  it('names unknown and doubled units', () => {
    const p = { ...loadFixture(), variants: [...loadFixture().variants, { ...loadFixture().variants[0], id: 'b' }] } as Program;
    expect(() => planWorkbook(p, ['无名局'])).toThrow(PlanError);
    expect(() => planWorkbook(loadFixture(), ['甲局', '甲局'])).toThrow(/重复/);
    expect(() => planWorkbook(loadFixture(), [{ name: '甲局', variant: 'zz' }])).toThrow(PlanError);
  });
});

describe('text measuring', () => {
  it('counts wrapped lines of Chinese text', () => {
    expect(wrappedLines('', 100, 10.5)).toBe(1);
    expect(wrappedLines('测'.repeat(10), 400, 10.5)).toBe(1);
    expect(wrappedLines('测'.repeat(60), 150, 10.5)).toBeGreaterThanOrEqual(6);
    expect(wrappedLines('一\n二\n三', 400, 10.5)).toBe(3);
    expect(wrappedLines('a'.repeat(200), 100, 10.5)).toBeGreaterThan(3);
  });
  it('formats dates the Chinese way', () => {
    expect(formatDate('2019-01-05')).toBe('2019年1月5日');
    expect(formatDate(undefined)).toBe('');
  });
});
