/**
 * 台前县 2018年度“一网通办”前提下“最多跑一次”改革工作考核实施方案 (seed 001_df907131779fedef.txt):
 * the rubric file rubrics/taiqian-2018.yaml against figures read from the document itself.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Dec, loadProgram, settingsOf, nodeMax, score, scoreCohort, type NodeResult, type Program, type RubricNode, type UnitResult } from '../../src/engine';

const FILE = new URL('../../rubrics/taiqian-2018.yaml', import.meta.url);
const loaded = loadProgram(readFileSync(FILE, 'utf8'), 'rubrics/taiqian-2018.yaml');
const program = loaded.program as Program;

const variant = (id: string) => program.variants.find((v) => v.id === id)!;

function leaves(nodes: RubricNode[], out: RubricNode[] = []): RubricNode[] {
  for (const n of nodes) {
    if (n.children?.length) leaves(n.children, out);
    else out.push(n);
  }
  return out;
}

function find(nodes: NodeResult[], id: string): NodeResult {
  for (const n of nodes) {
    if (n.id === id) return n;
    const hit = n.children.length ? findOrNull(n.children, id) : null;
    if (hit) return hit;
  }
  throw new Error(`no node ${id}`);
}
function findOrNull(nodes: NodeResult[], id: string): NodeResult | null {
  try {
    return find(nodes, id);
  } catch {
    return null;
  }
}

/** Every base section of a variant, summed by the engine's own nodeMax. */
function baseMax(id: string): string {
  return variant(id).sections.filter((s) => (s.role ?? 'base') === 'base')
    .reduce((a, s) => a.plus(nodeMax(program, s) ?? 0), new Dec(0)).toString();
}
/** The same figure from the criteria alone (no declared subtotals), excluding 扣分项 (effect: subtract). */
function criteriaMax(id: string): string {
  return leaves(variant(id).sections.filter((s) => (s.role ?? 'base') === 'base'))
    .filter((n) => n.effect !== 'subtract')
    .reduce((a, n) => a.plus(nodeMax(program, n) ?? 0), new Dec(0)).toString();
}

// A 县直 unit that does everything the 细则 asks (附件2).
const perfectCounty = {
  's1.1': { done: 20, of: 20 },
  's1.2': 2,
  's1.3.1': { staff: '否', adjust: 0 },
  's1.3.2': { attend: 0, rules: 0 },
  's1.4.1': 0,
  's1.4.2': 0,
  's1.4.3': 0,
  's1.4.4': { complaints: 0, verified: '否' },
  's1.5.1': '是',
  's1.5.2': '是',
  's2.1': '整体接入',
  's2.2.1': '是',
  's2.2.2': '90%',
  's2.2.3': 0,
  's2.3.1': 0,
  's2.3.2': '是',
  's2.3.3': 9999,
  's3.1.1': '是',
  's3.1.2': '是',
  's3.2.1': '是',
  's3.2.2': '是',
  's3.2.3': '是',
  's4.1.1': 5,
  's4.1.2': '100%',
};

// A 乡镇 that does everything the 细则 asks (附件3).
const perfectTown = {
  's1.1': '是',
  's1.2': '是',
  's1.3': '是',
  's1.4': '4次',
  's1.5': { leader: '否', staff: '否' },
  's2.1': '是',
  's2.2.1': '是',
  's2.2.2': '90%',
  's2.2.3': '是',
  's2.2.4': '是',
  's3.1.1': '200平方米',
  's3.1.2': 0,
  's3.1.3': '是',
  's3.1.4': '是',
  's3.1.5': '是',
  's3.2.1': '是',
  's3.2.2': '是',
  's3.2.3': '是',
  's3.3': '是',
  's4.1.1': '是',
  's4.1.2': '是',
  's4.2.1': '是',
  's4.2.2': '是',
  's5.1.2': '是',
  's5.1.3': '95%',
  's5.1.4': '是',
};

describe('台前县 2018 rubric file', () => {
  it('loads with no errors and no warnings', () => {
    // Both 细则 add up to 100 and no declared subtotal disagrees with its parts, so nothing to warn about.
    expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(loaded.problems.map((p) => p.code)).toEqual([]);
  });

  it('lists all 40 units of 附件1 with their variant and 序号', () => {
    // 附件1: 序号1–31 are 县直部门 (附件2), 32–40 are the nine 乡镇 (附件3).
    const units = program.units!;
    expect(units).toHaveLength(40);
    expect(units.filter((u) => u.variant === 'county')).toHaveLength(31);
    expect(units.filter((u) => u.variant === 'town')).toHaveLength(9);
    expect(units.map((u) => u.no)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(units.find((u) => u.no === 10)).toMatchObject({ name: '县政府金融办', variant: 'county' });
    expect(units.find((u) => u.no === 31)).toMatchObject({ name: '县宗教局', variant: 'county' });
    expect(units.find((u) => u.no === 32)).toMatchObject({ name: '城关镇', variant: 'town' });
    expect(units.find((u) => u.no === 40)).toMatchObject({ name: '吴坝镇', variant: 'town' });
  });

  it('carries both 取消评优资格 clauses as vetoes', () => {
    // 五（三）一票否决 …一律取消年度评优资格; 五（二）实事求是 …弄虚作假…除取消评优资格外
    expect(program.vetoes!.map((v) => v.id)).toEqual(['yipiao', 'fake']);
    expect(program.vetoes![0].text).toContain('一律取消年度评优资格');
    expect(program.vetoes![1].text).toContain('除取消评优资格外');
  });
});

describe('附件2 县直', () => {
  it('has a base maximum of 100, bonus and penalty caps of 10, and 28 criteria', () => {
    // “考核实行百分制”; sections 一（30分）+ 二（50分）+ 三（10分）+ 四（10分） = 100.
    expect(baseMax('county')).toBe('100');
    // Criteria alone: 一 3+2+(2+3)+(2+2+2+4)+(5+5)=30; 二 10+(4+4+2)+(5+5+20)=50; 三 2+2+2+2+2=10; 四 5+5=10.
    expect(criteriaMax('county')).toBe('100');
    expect(variant('county').fullMark).toBe(100);
    // “五、加分项（10分）”, “六、扣分项(10分)”.
    const bonus = variant('county').sections.find((s) => s.role === 'bonus')!;
    const penalty = variant('county').sections.find((s) => s.role === 'penalty')!;
    expect(nodeMax(program, bonus)?.toString()).toBe('10');
    expect(nodeMax(program, penalty)?.toString()).toBe('10');
    // Criteria: 一 10 (1,2, 3×2, 4×4, 5×2), 二 7 (1, 2×3, 3×3), 三 5, 四 2, 加分项 2, 扣分项 2 = 28.
    expect(leaves(variant('county').sections)).toHaveLength(28);
  });

  it('gives perfect inputs the full mark', () => {
    const r = score(program, '县安监局', perfectCounty);
    expect(r.problems).toEqual([]);
    expect(r.complete).toBe(true);
    expect(r.base).toBe(100);
    expect(r.final).toBe(100);
  });

  it('says incomplete when nothing is entered', () => {
    const r = score(program, '县安监局', {});
    expect(r.complete).toBe(false);
  });

  it('caps the bonus at 10 and each 按比例扣分 line at 5', () => {
    // 市级以上表彰 4次×2=8 + 县级表彰 3次×1=3 = 11 > 加分项（10分） → 10.
    // 上行 100%×5 = 5 (最高扣5分) + 下行 100%×5 = 5 → 扣分 10.
    const r = score(program, '县残联', {
      ...perfectCounty,
      's5.1.1': { city: 4, county: 3 },
      's6.1.1': '100%',
      's6.1.2': '100%',
    });
    expect(r.bonus).toBe(10);
    expect(r.penalty).toBe(10);
    expect(find(r.nodes, 's5').explanation.zh).toContain('超过本项分值10分');
    expect(r.final).toBe(100);
  });

  it('scores a worked example: 县公安局 with a handful of findings', () => {
    // 事项集中入驻 18 of 20 进驻: 3 × 18/20 = 2.7
    // 一窗受理不完全，酌情给分: 1.5
    // 窗口队伍 1: 每窗口两名 (未做到 = 否), 随意调整人员 1次: 2 − 1 = 1
    // 窗口队伍 2: 考勤低于1/2 1人, 违反纪律 1次: 3 − 1 − 1 = 1
    // 优质服务 1: 少1项制度: 2 − 1 = 1
    // 优质服务 2: 日常巡查违反 3次 × 0.5 = 1.5: 2 − 1.5 = 0.5
    // 优质服务 3: no finding: 2
    // 优质服务 4: 投诉 1次, and one 查证属实: 此项不记分 → 0
    // 后台审批: 进驻 是 5 + 具体资料 未提供 (否) 0 — requirement rows, met or not
    // 一 = 2.7 + 1.5 + 1 + 1 + 1 + 0.5 + 2 + 0 + 5 + 0 = 14.7
    // 外网 单机接入 5; 目录 是 4; 可办率 85% (≥70%, <90%) 1; 要素 1项有误 2 − 0.5 = 1.5
    // 纳入系统 缺3项 5 − 1.5 = 3.5; 在线申报 是 5; 办件量 1200 → 3rd of 5000/3000/1200 → 20 − 2×1 = 18
    // 二 = 5 + 4 + 1 + 1.5 + 3.5 + 5 + 18 = 38
    // 三 = 2 + 2 + 0 + 2 + 0 = 6
    // 四: 承担 7 项 → 5分封顶 5; 进度 60% → 5 × 0.6 = 3; = 8
    // base = 14.7 + 38 + 6 + 8 = 66.7
    // 加分: 市级表彰 1×2 + 县级表彰 2×1 = 4; 省级媒体 1×2 + 简报刊登 1 = 3; bonus = 7
    // 扣分: 上行 40% × 5 = 2; 下行 50% × 5 = 2.5; penalty = 4.5
    // final = 66.7 + 7 − 4.5 = 69.2
    const cohort = [
      { unit: '县税务局', inputs: { 's2.3.3': 5000 } },
      { unit: '县环保局', inputs: { 's2.3.3': 3000 } },
    ];
    const r = score(program, '县公安局', {
      's1.1': { done: 18, of: 20 },
      's1.2': 1.5,
      's1.3.1': { staff: '否', adjust: 1 },
      's1.3.2': { attend: 1, rules: 1 },
      's1.4.1': 1,
      's1.4.2': 3,
      's1.4.3': 0,
      's1.4.4': { complaints: 1, verified: '是' },
      's1.5.1': '是',
      's1.5.2': '否',
      's2.1': '单机接入',
      's2.2.1': '是',
      's2.2.2': '85%',
      's2.2.3': 1,
      's2.3.1': 3,
      's2.3.2': '是',
      's2.3.3': '1,200',
      's3.1.1': '是',
      's3.1.2': '是',
      's3.2.1': '否',
      's3.2.2': '是',
      's3.2.3': '否',
      's4.1.1': 7,
      's4.1.2': '60%',
      's5.1.1': { city: 1, county: 2 },
      's5.1.2': { media: 1, bulletin: '是' },
      's6.1.1': '40%',
      's6.1.2': '50%',
    }, cohort);
    expect(r.problems).toEqual([]);
    expect(r.complete).toBe(true);
    expect(find(r.nodes, 's1.1').points).toBe(2.7);
    expect(find(r.nodes, 's1.4.2').points).toBe(0.5);
    expect(find(r.nodes, 's1.4.2').explanation.zh).toContain('日常巡查违反次数3次×0.5=1.5分');
    expect(find(r.nodes, 's1.4.4').points).toBe(0);
    expect(find(r.nodes, 's1.4.4').explanation.zh).toContain('此项不得分');
    expect(find(r.nodes, 's1').points).toBe(14.7);
    expect(find(r.nodes, 's2.2.2').points).toBe(1);
    expect(find(r.nodes, 's2.3.3').points).toBe(18);
    expect(find(r.nodes, 's2.3.3').explanation.zh).toContain('排名第3');
    expect(find(r.nodes, 's2').points).toBe(38);
    expect(find(r.nodes, 's3').points).toBe(6);
    expect(find(r.nodes, 's4.1.1').points).toBe(5);
    expect(find(r.nodes, 's4.1.2').points).toBe(3);
    expect(r.base).toBe(66.7);
    expect(r.bonus).toBe(7);
    expect(r.penalty).toBe(4.5);
    expect(r.final).toBe(69.2);
    expect(r.veto).toBe(false);
  });

  it('ranks 办件量 among 县直 units, ties sharing a place (按排名记分)', () => {
    // Chosen step (note on s2.3.3): 第1名20分, each later place 1分 less.
    // 5000 → 1st 20; 3000, 3000 → both 2nd 19; 100 → 4th (two units ahead tie) 17.
    // A 乡镇 in the same cohort has no such criterion and does not take a place.
    const res = scoreCohort(program, [
      { unit: '县安监局', inputs: { 's2.3.3': 5000 } },
      { unit: '县残联', inputs: { 's2.3.3': 3000 } },
      { unit: '县城管局', inputs: { 's2.3.3': '３０００' } },
      { unit: '县档案局', inputs: { 's2.3.3': 100 } },
      { unit: '城关镇', inputs: {} },
    ]);
    const pts = (u: string) => find(res.units.find((x) => x.unit === u)!.nodes, 's2.3.3').points;
    expect(pts('县安监局')).toBe(20);
    expect(pts('县残联')).toBe(19);
    expect(pts('县城管局')).toBe(19);
    expect(pts('县档案局')).toBe(17);
    expect(find(res.units.find((x) => x.unit === '县城管局')!.nodes, 's2.3.3').explanation.zh).toContain('排名第2');
  });

  it('gives places 21–31 of the 31 县直 units 0 (rank step floored at 0)', () => {
    const county = program.units!.filter((u) => u.variant === 'county');
    // 序号 n enters 办件量 1000 − n: 序号1 is 1st … 序号20 is 20th (1分), 序号21 onward 0.
    const res = scoreCohort(program, county.map((u) => ({ unit: u.name, inputs: { 's2.3.3': 1000 - u.no! } })));
    const pts = (no: number) => find(res.units.find((x) => x.unit === county[no - 1].name)!.nodes, 's2.3.3').points;
    expect(pts(1)).toBe(20);
    expect(pts(20)).toBe(1);
    expect(pts(21)).toBe(0);
    expect(pts(31)).toBe(0);
  });

  it('marks a 一票否决 unit without changing its score', () => {
    const r: UnitResult = score(program, '县商务局', { ...perfectCounty, yipiao: '是' });
    expect(r.final).toBe(100);
    expect(r.veto).toBe(true);
    expect(r.vetoItems[0]).toContain('吃拿卡要');
  });
});

describe('附件3 乡镇', () => {
  it('has a base maximum of 100, no bonus or penalty section, and 27 criteria', () => {
    // “考核实行百分制”; 一（10分）+ 二（15分）+ 三（45分）+ 四（18分）+ 工作绩效（12分） = 100.
    expect(baseMax('town')).toBe('100');
    // Criteria alone: 一 2+2+2+2+2=10; 二 5+(4+2+2+2)=15; 三 (15+4+4+4+4)+(4+4+2)+4=45; 四 4+4+5+5=18;
    // 工作绩效 (扣分项 has no points) 4+4+4=12.
    expect(criteriaMax('town')).toBe('100');
    expect(variant('town').fullMark).toBe(100);
    expect(variant('town').sections.filter((s) => s.role === 'bonus' || s.role === 'penalty')).toHaveLength(0);
    // Criteria: 一 5, 二 1+4, 三 5+3+1, 四 2+2, 工作绩效 4 = 27.
    expect(leaves(variant('town').sections)).toHaveLength(27);
  });

  it('gives perfect inputs the full mark', () => {
    const r = score(program, '城关镇', perfectTown);
    expect(r.problems).toEqual([]);
    expect(r.complete).toBe(true);
    expect(r.base).toBe(100);
    expect(r.final).toBe(100);
  });

  it('says incomplete when nothing is entered', () => {
    expect(score(program, '城关镇', {}).complete).toBe(false);
  });

  it('scores a worked example: 孙口镇 with a handful of findings', () => {
    // 领导小组 未成立 (否): 0 (“未成立扣 2分” = the item's 2分 lost)
    // 工作计划 是 2; 工作总结 是 2
    // 专题研究 2次 (不少于4次，每缺一次扣0.5分): 2 − 2×0.5 = 1
    // 未明确分管领导 (是) −1, 专职工作人员 有: 2 − 1 = 1
    // 一 = 0 + 2 + 2 + 1 + 1 = 6
    // 外网 是 5; 目录 是 4; 可办率 92% ≥ 90% → 2; 要素 否 0; 清单 是 2 → 二 = 13
    // 面积 195平方米: between 150—190 and 200以上 → chosen 10; 缺2项服务 4 − 2 = 2; 吊牌 是 4; 寄递 否 0; 办事指南 是 4
    // 制度 4 + 4 + 2 = 10; 固定人员 4 → 三 = 10 + 2 + 4 + 0 + 4 + 10 + 4 = 34
    // 四 = 4 + 0 + 5 + 5 = 14
    // 工作绩效: 通报 2次 → 扣分项 −2; 效率 是 4; 满意度 75% (60%—80% gap, chosen 0) 0; 热线 是 4 → 8 − 2 = 6
    // base = 6 + 13 + 34 + 14 + 6 = 73
    const r = score(program, '孙口镇', {
      's1.1': '否',
      's1.2': '是',
      's1.3': '是',
      's1.4': 2,
      's1.5': { leader: '是', staff: '否' },
      's2.1': '是',
      's2.2.1': '是',
      's2.2.2': '92%',
      's2.2.3': '否',
      's2.2.4': '是',
      's3.1.1': '195㎡',
      's3.1.2': 2,
      's3.1.3': '是',
      's3.1.4': '否',
      's3.1.5': '是',
      's3.2.1': '是',
      's3.2.2': '是',
      's3.2.3': '是',
      's3.3': '是',
      's4.1.1': '是',
      's4.1.2': '否',
      's4.2.1': '是',
      's4.2.2': '是',
      's5.1.1': 2,
      's5.1.2': '是',
      's5.1.3': '75%',
      's5.1.4': '是',
    });
    expect(r.problems).toEqual([]);
    expect(r.complete).toBe(true);
    expect(find(r.nodes, 's1.1').points).toBe(0);
    expect(find(r.nodes, 's1.4').points).toBe(1);
    expect(find(r.nodes, 's1').points).toBe(6);
    expect(find(r.nodes, 's2').points).toBe(13);
    expect(find(r.nodes, 's3.1.1').points).toBe(10);
    // 195㎡: the 190—200 tier the document leaves out, scored 10 as the rubric sets it (本表设定).
    expect(find(r.nodes, 's3.1.1').explanation.zh).toContain('190平方米以上');
    expect(find(r.nodes, 's3').points).toBe(34);
    expect(find(r.nodes, 's4').points).toBe(14);
    expect(find(r.nodes, 's5.1.1').points).toBe(2);
    expect(find(r.nodes, 's5.1.3').points).toBe(0);
    expect(find(r.nodes, 's5').points).toBe(6);
    expect(find(r.nodes, 's5.1').explanation.zh).toContain('含扣分2分');
    expect(r.base).toBe(73);
    expect(r.final).toBe(73);
  });

  it('scores the tier bounds as chosen (面积, 满意度)', () => {
    const tier = (id: string, v: string) => find(score(program, '后方乡', { ...perfectTown, [id]: v }).nodes, id).points;
    // 面积: 49 → 0; 50 → 5; 100 → 8 (shared bound to the higher tier); 150 → 10; 199.9 → 10 (gap); 200 → 15.
    expect(tier('s3.1.1', '49')).toBe(0);
    expect(tier('s3.1.1', '50')).toBe(5);
    expect(tier('s3.1.1', '100')).toBe(8);
    expect(tier('s3.1.1', '150')).toBe(10);
    expect(tier('s3.1.1', '199.9')).toBe(10);
    expect(tier('s3.1.1', '200')).toBe(15);
    // 满意度: 59% → 0 (低于60%不记分); 70% → 0 (gap); 80% → 2; 90% → 4.
    expect(tier('s5.1.3', '59%')).toBe(0);
    expect(tier('s5.1.3', '70%')).toBe(0);
    expect(tier('s5.1.3', '80%')).toBe(2);
    expect(tier('s5.1.3', '90%')).toBe(4);
  });

  it('floors 工作绩效 at 0 however many 通报 (扣分项 inside the section)', () => {
    // 通报 20次 → −20 against 12: the section stays at 0, the base loses only 工作绩效's 12.
    const r = score(program, '马楼镇', { ...perfectTown, 's5.1.1': 20 });
    expect(find(r.nodes, 's5').points).toBe(0);
    expect(r.base).toBe(88);
  });
});

describe('taiqian-2018: audit fixes (issue 11)', () => {
  const node = (v: string, id: string): RubricNode => {
    const all = (ns: RubricNode[]): RubricNode[] => ns.flatMap((n) => [n, ...all(n.children ?? [])]);
    return all(variant(v).sections).find((n) => n.id === id)!;
  };

  it('县直 s1.2 “一窗受理不完全的，酌情给分” takes 1.3: no step the document does not state', () => {
    expect((node('county', 's1.2').rule as { step?: number }).step).toBeUndefined();
    // 一: 100-point perfect unit, s1.2 2 → 1.3: final 100 − 0.7 = 99.3
    const r = score(program, '县公安局', { ...perfectCounty, 's1.2': 1.3 });
    expect(r.problems).toEqual([]);
    expect(find(r.nodes, 's1.2').points).toBe(1.3);
  });

  it('县直 s1.5.1/s1.5.2 are requirements met or not (5 or 0), like the other requirement rows', () => {
    // “1.综合审批股按要求进驻服务大厅。” “2、综合审批股提供后台审批的具体资料。” — 5分 each, no partial rule.
    expect(node('county', 's1.5.1').rule?.kind).toBe('yesno');
    expect(node('county', 's1.5.2').rule?.kind).toBe('yesno');
    const r = score(program, '县公安局', { ...perfectCounty, 's1.5.1': '是', 's1.5.2': '否' });
    expect(find(r.nodes, 's1.5.1').points).toBe(5);
    expect(find(r.nodes, 's1.5.2').points).toBe(0);
    expect(score(program, '县公安局', { ...perfectCounty, 's1.5.2': 4.5 }).problems.map((p) => p.code)).toEqual(['input.notYesNo']);
  });

  it('乡镇 s2.2.3/s2.2.4 read 考核方式 看资料, the nearest entry above them', () => {
    expect(node('town', 's2.2.2').method).toBe('看资料');
    expect(node('town', 's2.2.3').method).toBe('看资料');
    expect(node('town', 's2.2.4').method).toBe('看资料');
  });

  it('parameters the document does not state are marked as the table’s own setting (本表设定，文件未规定)', () => {
    const marked = settingsOf(program).map((x) => `${x.variant}/${x.criterionId} ${x.mark.label}=${x.value}`);
    expect(marked).toEqual([
      'county/s2.3.3 办件量排名记分：第1名得分=20', 'county/s2.3.3 办件量排名记分：每后1名减=1',
      'town/s3.1.1 190—200平方米得分=10', 'town/s5.1.3 满意度60%—80%得分=0',
    ]);
    // “低于60%不记分” is pointless if 60%—80% scores 0: the note says a 60% tier may have dropped out.
    expect(node('town', 's5.1.3').note).toContain('dropped out');
    // “获记省级媒体正面宣传报道的每次加2分”: national media recorded as not counted (no 以上).
    expect(node('county', 's5.1.2').note).toContain('national');
  });
});
