/**
 * What the printed sheet must carry beside the scores (issue 11): the table's own footnotes (注：…) under
 * it, every parameter the rubric sets that the document does not state (本表设定，文件未规定), a parent
 * item's own text before its parts as the document reads, and the net-cap clause on the 加减分 row.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadProgram, type Program } from '../../src/engine';
import { SIGNATURE_LINES, planWorkbook, type SheetPlan } from '../../src/layout';

const load = (f: string) => loadProgram(readFileSync(new URL(`../../rubrics/${f}`, import.meta.url), 'utf8'), f).program as Program;
const textAt = (s: SheetPlan, row: number, col: number) => s.cells.find((c) => c.row === row && c.col === col)?.value;
const rowOf = (s: SheetPlan, text: string) => s.cells.find((c) => c.value === text)?.row;
const units = (plan: { sheets: SheetPlan[] }) => plan.sheets.filter((s) => s.kind === 'unit');
const lastTableRow = (s: SheetPlan) => Math.max(...s.cells.filter((c) => c.formula !== undefined).map((c) => c.row));

describe('footnotes and 本表设定 under the table', () => {
  it('蛟河: the 附件 注 is printed verbatim under the last row of the table, across the page', () => {
    const p = load('jiaohe-2018.yaml');
    const sheet = units(planWorkbook(p, [{ name: '交通局' }], { date: '2018-12-01' }))[0];
    const note = '注：此表中的各考评分值是指事涉部门，如小项中不涉及的部门需部门提供证明，核实后赋分。满分100分折合2分。';
    const r = rowOf(sheet, note)!;
    expect(r).toBeGreaterThan(lastTableRow(sheet));
    const cell = sheet.cells.find((c) => c.row === r && c.col === 1)!;
    expect(cell.style).toBe('subtitle');
    expect(sheet.merges.some((m) => m.top === r && m.left === 1 && m.bottom === r && m.right >= 5)).toBe(true);
    // Printed: inside the print area, which since issue 13 ends with the signature block under the notes.
    const printEnd = Number(/\$(\d+)$/.exec(sheet.print!.printArea)![1]);
    expect(r).toBeLessThan(printEnd);
    const signature = sheet.cells.filter((c) => c.style === 'signature' && typeof c.value === 'string');
    expect(signature.map((c) => c.value)).toEqual(SIGNATURE_LINES);
    for (const c of signature) expect(c.row > r && c.row <= printEnd, `signature row ${c.row}`).toBe(true);
  });

  it('张掖 市直: the 注 on the nine departments is printed; 县区 has none', () => {
    const p = load('zhangye-2018q2.yaml');
    const plan = planWorkbook(p, [{ name: '甘州区' }, { name: '市财政局', variant: 'city' }]);
    const [county, city] = units(plan);
    expect(city.cells.some((c) => typeof c.value === 'string' && c.value.startsWith('注：按照《张掖市人民政府办公室'))).toBe(true);
    expect(county.cells.some((c) => typeof c.value === 'string' && c.value.startsWith('注：'))).toBe(false);
  });

  it('台前: the rank table and the tier gaps are printed as 本表设定，文件未规定', () => {
    const p = load('taiqian-2018.yaml');
    const plan = planWorkbook(p, [{ name: '县公安局' }, { name: '城关镇' }]);
    const texts = (s: SheetPlan) => s.cells.map((c) => c.value).filter((v): v is string => typeof v === 'string' && v.startsWith('本表设定'));
    expect(texts(units(plan)[0])).toEqual(['本表设定，文件未规定：3.政务服务网上审批办理情况，根据各单位年度累计…——办件量排名记分：第1名得分、办件量排名记分：每后1名减（取值见“本表设定”表，可修改）']);
    expect(texts(units(plan)[1])).toHaveLength(2);
    expect(texts(units(plan)[1])[0]).toContain('190—200平方米得分');
    expect(texts(units(plan)[1])[1]).toContain('满意度60%—80%得分');
    // The values themselves are on the 本表设定 sheet, printed, each with the rubric's value and an unlocked cell.
    const set = plan.sheets.find((s) => s.name === '本表设定')!;
    expect(set.state).toBe('visible');
    expect(set.print?.printArea).toMatch(/^A\$1:I\$6$/);
    const input = set.cells.filter((c) => c.input).map((c) => [c.input, c.value, plan.styles[c.style].locked]);
    expect(input).toEqual([['county/s2.3.3@step.first', 20, false], ['county/s2.3.3@step.per', 1, false], ['town/s3.1.1@tiers.3.points', 10, false], ['town/s5.1.3@tiers.0.points', 0, false]]);
    // The unit sheets read the 计分采用 cells, never a copy of the value.
    const f = units(plan)[0].cells.find((c) => c.computed === 's2.3.3')!.formula!;
    expect(f).toContain("'本表设定'!$H$3");
    expect(f).toContain("'本表设定'!$H$4");
  });
});

describe('a parent item’s text before its parts (蛟河)', () => {
  it('“1.成立…领导小组（5分）；指定专人负责（5分）…（10分）” prints above its two parts, and the 小计 row carries only its label', () => {
    const p = load('jiaohe-2018.yaml');
    const sheet = units(planWorkbook(p, [{ name: '交通局' }]))[0];
    const parent = rowOf(sheet, '1.成立“放管服”工作领导小组（5分）；指定专人负责（5分）（以部门文件为考核依据）。（10分）')!;
    const part1 = rowOf(sheet, '成立“放管服”工作领导小组（5分）')!;
    const part2 = rowOf(sheet, '指定专人负责（5分）')!;
    expect(parent).toBeLessThan(part1);
    expect(part1).toBeLessThan(part2);
    // The parent text appears once.
    expect(sheet.cells.filter((c) => c.value === '1.成立“放管服”工作领导小组（5分）；指定专人负责（5分）（以部门文件为考核依据）。（10分）')).toHaveLength(1);
    // The 小计 row right after the parts: its 工作任务指标量化 column holds the label, not the text again.
    expect(String(textAt(sheet, part2 + 1, 2))).toContain('小计');
  });
});

describe('拱墅 item 6 on the 加减分 row', () => {
  it('“6.不重复加减分,累计加减分最高为5分。” is printed in the 备注 of the 加减分 row', () => {
    const p = load('gongshu-2021.yaml');
    p.units!.push({ name: '米市巷街道', variant: 'all', tags: ['街道'] });
    const sheet = units(planWorkbook(p, [{ name: '米市巷街道' }]))[0];
    expect(sheet.cells.some((c) => typeof c.value === 'string' && c.value.startsWith('6.不重复加减分,累计加减分最高为5分。'))).toBe(true);
  });
});
