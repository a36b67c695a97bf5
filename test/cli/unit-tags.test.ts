/**
 * Units the rubric does not list, with their tags (R21): `--unit 米市巷街道:街道` in the CLI, `名称：标签`
 * pasted in the pane. The tags decide which criteria concern the unit, are stored in the workbook and
 * come back when it is re-scored. Seed 004's 考核对象: 各进驻单位、各街道 (s1.2.3.2) / 各相关单位 (s1.2.1.1).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main';
import { loadProgram, parseUnitSpec, resolveUnit, scoreCohort, type NodeResult } from '../../src/engine';
import { readFilledWorkbook } from '../../src/xlsx';
import { parseUnitList } from '../../src/taskpane/catalog';

const GONGSHU = new URL('../../rubrics/gongshu-2021.yaml', import.meta.url);
const program = loadProgram(readFileSync(GONGSHU, 'utf8')).program!;
const dir = mkdtempSync(join(tmpdir(), 'dafen-tags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const find = (nodes: NodeResult[], id: string): NodeResult | undefined => {
  for (const n of nodes) {
    if (n.id === id) return n;
    const c = find(n.children, id);
    if (c) return c;
  }
  return undefined;
};

describe('unit specs as clerks write them', () => {
  it('parses a name with tags, half- or full-width', () => {
    expect(parseUnitSpec('米市巷街道')).toEqual({ name: '米市巷街道', tags: [] });
    expect(parseUnitSpec('米市巷街道:街道,进驻单位')).toEqual({ name: '米市巷街道', tags: ['街道', '进驻单位'] });
    expect(parseUnitSpec(' 区市场监管局：部门、进驻单位 ')).toEqual({ name: '区市场监管局', tags: ['部门', '进驻单位'] });
  });
  it('keeps a pasted line with tags whole, and splits plain lists as before', () => {
    expect(parseUnitList('米市巷街道：街道、进驻单位\n区市场监管局，区卫健委')).toEqual(['米市巷街道：街道、进驻单位', '区市场监管局', '区卫健委']);
  });
  it('adds given tags to a listed unit', () => {
    expect(resolveUnit(program, '区住建局', undefined, ['街道'])!.tags).toEqual(expect.arrayContaining(['部门', '街道']));
  });
});

describe('tags decide applicability', () => {
  it('a street concerns 各街道 items but not 各相关单位 ones; without tags it concerns neither', () => {
    const r = scoreCohort(program, [
      { unit: '米市巷街道', tags: ['街道'], inputs: {} },
      { unit: '某街道', inputs: {} },
    ]).units;
    expect(find(r[0].nodes, 's1.2.3.2')!.applicable).toBe(true);
    expect(find(r[0].nodes, 's1.2.1.1')!.applicable).toBe(false);
    expect(find(r[1].nodes, 's1.2.3.2')!.applicable).toBe(false);
  });
});

describe('dafen make → score keeps the tags', () => {
  it('stores each unit\'s tags in the workbook and scores it with them', async () => {
    const out: string[] = [];
    const io: Io = { out: (s) => out.push(s), err: (s) => out.push(s) };
    const file = join(dir, 'gongshu.xlsx');
    expect(await main(['make', GONGSHU.pathname, '--unit', '米市巷街道:街道', '--unit', '区市场监管局:部门,进驻单位', '-o', file], io)).toBe(0);
    const read = await readFilledWorkbook(new Uint8Array(readFileSync(file)));
    const street = read.units.find((u) => u.unit === '米市巷街道')!;
    expect(street.tags).toEqual(['街道']);
    // The street's sheet has an input row for s1.2.3.2 (各进驻单位、各街道) and none for s1.2.1.1 (各相关单位).
    expect(Object.keys(street.inputCells).some((k) => k.startsWith('s1.2.3.2#'))).toBe(true);
    expect(Object.keys(street.inputCells).some((k) => k.startsWith('s1.2.1.1#'))).toBe(false);
    out.length = 0;
    expect(await main(['score', file, '--json'], io)).toBe(0);
    const json = JSON.parse(out.join('\n'));
    const bureau = json.units.find((u: { unit: string }) => u.unit === '区市场监管局');
    const streetJson = json.units.find((u: { unit: string }) => u.unit === '米市巷街道');
    expect(bureau.nodes.find((n: { id: string }) => n.id === 's1.2.1.1').explanation).not.toContain('本项不考核本单位');
    expect(streetJson.nodes.find((n: { id: string }) => n.id === 's1.2.1.1').explanation).toContain('本项不考核本单位');
  });
});
