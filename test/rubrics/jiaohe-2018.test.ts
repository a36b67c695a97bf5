/**
 * 蛟河市 2018年度市政府相关部门“放管服”工作考核细则 (seed 002_1a2fbafe29ff21f8.txt): one table, 26 departments,
 * 满分100分折合2分. Every figure asserted here is written from the document, not read back from the rubric file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadProgram, nodeMax, score, scoreCohort, walkVariant, Dec, type InputsIn, type NodeResult, type Program } from '../../src/engine/index';

const file = new URL('../../rubrics/jiaohe-2018.yaml', import.meta.url);
const seed = new URL('../../../shared/seeds/002_1a2fbafe29ff21f8.txt', import.meta.url);
const { program, problems } = loadProgram(readFileSync(file, 'utf8'), 'jiaohe-2018.yaml');
const P = program as Program;
const V = P.variants[0];

const criteria = () => {
  const out: { id: string; points: number; kind: string }[] = [];
  walkVariant(V, 0, ({ node, isCriterion }) => {
    if (isCriterion) out.push({ id: node.id, points: node.points!, kind: node.rule!.kind });
  });
  return out;
};
const perfect = (): InputsIn => Object.fromEntries(criteria().map((c) => [c.id, c.kind === 'yesno' ? '是' : c.points]));
const walk = (nodes: NodeResult[]): NodeResult[] => nodes.flatMap((n) => [n, ...walk(n.children)]);
const find = (nodes: NodeResult[], id: string): NodeResult => {
  const n = walk(nodes).find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};

describe('jiaohe-2018: the file', () => {
  it('loads with no errors and no warnings', () => {
    expect(program).not.toBeNull();
    expect(problems).toEqual([]);
  });

  it('keeps the document’s text verbatim', () => {
    expect(P.title).toBe('2018年度市政府相关部门“放管服”工作考核细则');
    expect(V.title).toBe('2018年度“放管服”工作考评分值构成');
    expect(V.columns.map((c) => c.header)).toEqual(['考评内容', '工作任务指标量化', '分值']);
    if (!existsSync(seed)) return; // the seed lives beside the repo in the workspace
    const squash = (s: string) => s.replace(/\s+/g, '');
    const doc = squash(readFileSync(seed, 'utf8'));
    walkVariant(V, 0, ({ node }) => {
      for (const s of [node.title, node.text]) if (s) expect(doc, node.id).toContain(squash(s));
    });
    expect(doc).toContain(squash(P.policies.notApplicable.quote!));
  });

  it('lists the 26 departments of the 附件 table, in order', () => {
    // “交通局、教育局、政府办(民族宗教局、法制办 )、…、旅游办、城管局等26个部门”
    const names = P.units!.map((u) => u.name);
    expect(names).toHaveLength(26);
    expect(names[0]).toBe('交通局');
    expect(names[2]).toBe('政府办（民族宗教局、法制办）');
    expect(names[25]).toBe('城管局'); // the body text says 城管执法大队; the 附件 table says 城管局
    expect(P.notes!.join('')).toContain('城管执法大队');
  });

  it('policies: 不涉及 → full points, clerks may mark it; 满分100分折合2分', () => {
    // “如小项中不涉及的部门需部门提供证明，核实后赋分”
    expect(P.policies.notApplicable).toMatchObject({ policy: 'full', clerkMayMark: true });
    // “满分100分折合2分”
    expect(P.policies.conversion).toMatchObject({ from: 100, to: 2 });
  });
});

describe('jiaohe-2018: 市政府相关部门', () => {
  it('maximum 100 = 20 + 20 + 10 + 10 + 20 + 20; no bonus/penalty; 14 criteria', () => {
    // 考评内容: “（20分）” “(20分）” “（10分）” “（10分）” “（20分）” “（20分）”
    const max = V.sections.filter((s) => (s.role ?? 'base') === 'base').reduce((a, s) => a.plus(nodeMax(P, s)!), new Dec(0));
    expect(max.toNumber()).toBe(100);
    expect(V.sections.map((s) => s.points)).toEqual([20, 20, 10, 10, 20, 20]);
    expect(V.sections.filter((s) => s.role === 'bonus' || s.role === 'penalty')).toEqual([]);
    // 10 numbered items; items 1 (5+5), 4 (3+2), 8 (5+15) and 9 (8+7) split into two: 10 + 4 = 14.
    const cs = criteria();
    expect(cs).toHaveLength(14);
    expect(cs.reduce((a, c) => a + c.points, 0)).toBe(100);
    // “成立“放管服”工作领导小组（5分）；指定专人负责（5分）” are yes/no; the rest direct.
    expect(cs.filter((c) => c.kind === 'yesno').map((c) => c.id)).toEqual(['s1.1.1', 's1.1.2']);
  });

  it('perfect inputs give 100 → 2; blank inputs are incomplete', () => {
    const r = score(P, '交通局', perfect());
    expect(r.problems).toEqual([]);
    expect(r.complete).toBe(true);
    expect(r.final).toBe(100);
    expect(r.converted).toBe(2);
    const blank = score(P, '交通局', {});
    expect(blank.complete).toBe(false);
    expect(blank.missing).toBe(14);
  });

  it('worked example: 交通局 with findings and one 不涉及 item', () => {
    // 1.  领导小组 成立 (是) 5; 指定专人负责 否 0                        → 5
    // 2.  2018年任务完成情况 8 of 10                                      → 8       s1 = 13
    // 3.  行政许可事项目录修订情况 5 of 5                                 → 5
    // 4.  权力清单和责任清单修订情况 3 of 3; 网上公布、动态管理情况 1.5 of 2 → 4.5
    // 5.  优化服务流程… 10 of 10                                         → 10      s2 = 19.5
    // 6.  中介服务: 交通局 has none — “不涉及的部门需部门提供证明，核实后赋分” → full 10   s3 = 10
    // 7.  证明事项 10 of 10                                               → 10      s4 = 10
    // 8.  抽查计划 5 of 5; 名录、细则、清单录入 12 of 15                   → 17      s5 = 17
    // 9.  信息 每月至少2篇: some months short, 6 of 8; 每季度1篇 7 of 7     → 13
    // 10. 其他临时性工作 4.5 of 5                                         → 4.5     s6 = 17.5
    // final = 13 + 19.5 + 10 + 10 + 17 + 17.5 = 87;  converted = 87 × 2 / 100 = 1.74
    const inputs: InputsIn = {
      's1.1.1': '是', 's1.1.2': '否', 's1.2': 8,
      's2.1': 5, 's2.2.1': 3, 's2.2.2': 1.5, 's2.3': 10,
      's3.1': '不涉及',
      's4.1': 10,
      's5.1.1': 5, 's5.1.2': 12,
      's6.1.1': 6, 's6.1.2': 7, 's6.2': '4.5',
    };
    const r = score(P, '交通局', inputs);
    expect(r.problems).toEqual([]);
    expect(r.complete).toBe(true);
    expect([ 's1', 's2', 's3', 's4', 's5', 's6'].map((id) => find(r.nodes, id).points)).toEqual([13, 19.5, 10, 10, 17, 17.5]);
    expect(find(r.nodes, 's1.1').points).toBe(5);
    expect(find(r.nodes, 's1.1.2').explanation.zh).toBe('是否指定专人负责：否，得0分');
    const na = find(r.nodes, 's3.1');
    expect(na.na).toBe(true);
    expect(na.points).toBe(10);
    expect(na.explanation.zh).toBe('不涉及，按满分计10分');
    expect(r.base).toBe(87);
    expect(r.final).toBe(87);
    expect(r.converted).toBe((87 * 2) / 100);
    expect(r.converted).toBe(1.74);
  });

  it('converted = final × 2 / 100 for every unit of a cohort, without drift', () => {
    const cohort = [
      { unit: '交通局', inputs: { ...perfect(), 's6.2': 4.5 } }, // 99.5 → 1.99
      { unit: '城管局', inputs: { ...perfect(), 's1.1.1': '否', 's5.1.2': 14.5 } }, // 100 − 5 − 0.5 = 94.5 → 1.89
      { unit: '旅游办', inputs: { ...perfect(), 's4.1': '不涉及', 's6.1.1': 0.5 } }, // 100 − 7.5 = 92.5 → 1.85
    ];
    const r = scoreCohort(P, cohort);
    expect(r.units.map((u) => [u.unit, u.final, u.converted, u.rank])).toEqual([
      ['交通局', 99.5, 1.99, 1],
      ['城管局', 94.5, 1.89, 2],
      ['旅游办', 92.5, 1.85, 3],
    ]);
  });
});

describe('jiaohe-2018: audit fixes (issue 11)', () => {
  it('no step where the document states none: 1.3 of “行政许可事项目录修订情况…（5分）” is accepted', () => {
    walkVariant(V, 0, ({ node }) => expect((node.rule as { step?: number } | undefined)?.step, node.id).toBeUndefined());
    // 100 − 5 + 1.3 = 96.3 (s2.1: 1.3 of 5) → 96.3 × 2 / 100 = 1.926
    const r = score(P, '交通局', { ...perfect(), 's2.1': 1.3 });
    expect(r.problems).toEqual([]);
    expect(r.final).toBe(96.3);
    expect(r.converted).toBeCloseTo(1.926, 12);
  });

  it('the 附件 footnote (注：…) is kept verbatim for printing under the table', () => {
    expect(V.footnotes).toEqual(['注：此表中的各考评分值是指事涉部门，如小项中不涉及的部门需部门提供证明，核实后赋分。满分100分折合2分。']);
    if (existsSync(seed)) expect(readFileSync(seed, 'utf8')).toContain(V.footnotes![0]);
  });

  it('records the readings of 6. (落实 and 报送 assessed separately in the body) and of 不涉及 per 小项', () => {
    const s31 = V.sections.flatMap((s) => s.children ?? []).find((n) => n.id === 's3.1')!;
    expect(s31.note).toContain('落实情况和报送情况分别进行考核');
    expect(P.notes!.join('')).toContain('“小项”指附件表中每个标有分值的行');
  });
});

describe('the README’s eval example scores this rubric as written', () => {
  it('every key of `inputs.json` exists: no unknown key, the figures land where meant', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const m = /`inputs\.json` for `eval`: `(\{.*?\})`/.exec(readme);
    expect(m).not.toBeNull();
    const json = JSON.parse(m![1]) as { units: Record<string, InputsIn> };
    const [[unit, inputs]] = Object.entries(json.units);
    const r = score(P, unit, inputs);
    expect(r.problems).toEqual([]);
    expect(find(r.nodes, 's1.1.1').points).toBe(5); // 成立“放管服”工作领导小组（5分）: 是
    expect(find(r.nodes, 's2.2.1').points).toBe(2.5); // 权力清单和责任清单修订情况（3分）: 2.5
  });
});
