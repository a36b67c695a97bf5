/**
 * 汨罗市 2017年政务公开政务服务工作考核细则 (seed 003_a4adb65e0315a8e0.txt): two tables, 乡镇 (`town`) and
 * 市直及省、岳阳市驻汨单位 (`dept`). Every indicator is “倒扣分，扣完为止”; 加、减分 are uncapped.
 * Every figure asserted here is written from the document, not read back from the rubric file.
 * The document names no units: units are typed by the clerk with their variant.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compileSheet, loadProgram, nodeMax, score, walkVariant, Dec,
  type InputsIn, type NodeResult, type Program, type Variant,
} from '../../src/engine/index';

const file = new URL('../../rubrics/miluo-2017.yaml', import.meta.url);
const seed = new URL('../../../shared/seeds/003_a4adb65e0315a8e0.txt', import.meta.url);
const { program, problems } = loadProgram(readFileSync(file, 'utf8'), 'miluo-2017.yaml');
const P = program as Program;
const variant = (id: string): Variant => P.variants.find((v) => v.id === id)!;
const TOWN = variant('town');
const DEPT = variant('dept');

const criteria = (v: Variant) => {
  const out: { id: string; points: number | null; kind: string; role: string }[] = [];
  walkVariant(v, P.variants.indexOf(v), ({ node, isCriterion, role }) => {
    if (isCriterion) out.push({ id: node.id, points: node.points ?? null, kind: node.rule!.kind, role });
  });
  return out;
};
const baseMax = (v: Variant): number =>
  v.sections.filter((s) => (s.role ?? 'base') === 'base').reduce((a, s) => a.plus(nodeMax(P, s)!), new Dec(0)).toNumber();

/**
 * Perfect inputs, as a clerk types them: every 未X “否”, every 每缺一项/每件次 count 0, and for the only
 * shortfall line (乡镇 信息报送: “每年…报送…信息不少于12条”) 12 条.
 */
const perfect = (v: Variant, extra: InputsIn = {}): InputsIn => {
  const sheet = compileSheet(P, v, { name: '满分单位' });
  const out: InputsIn = {};
  for (const i of sheet.inputs) {
    if (i.optional) continue; // 加、减分: blank means nothing to report
    out[i.key] = i.type === 'yesno' ? '否' : i.type === 'count' ? 0 : 12;
  }
  return { ...out, ...extra };
};
const walk = (nodes: NodeResult[]): NodeResult[] => nodes.flatMap((n) => [n, ...walk(n.children)]);
const find = (nodes: NodeResult[], id: string): NodeResult => {
  const n = walk(nodes).find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};

describe('miluo-2017: the file', () => {
  it('loads with no errors and no warnings (every section’s criteria add up to its declared points)', () => {
    expect(program).not.toBeNull();
    expect(problems.map((p) => p.code)).toEqual([]);
  });

  it('keeps the document’s text verbatim', () => {
    expect(TOWN.title).toBe('2017年乡镇政务公开政务服务工作考核细则');
    expect(DEPT.title).toBe('2017年市市直及省、岳阳市驻汨单位政务公开政务服务工作考核细则');
    for (const v of [TOWN, DEPT]) {
      expect(v.columns.map((c) => c.header)).toEqual(['指标名称', '指标名称', '考核内容', '分值', '扣分办法（倒扣分，扣完为止）']);
    }
    expect(P.units).toBeUndefined(); // the document names no units
    if (!existsSync(seed)) return; // the seed lives beside the repo in the workspace
    const doc = readFileSync(seed, 'utf8').replace(/[\n\r\t]/g, ''); // cell line breaks joined; other spaces kept
    for (const v of [TOWN, DEPT]) {
      expect(doc).toContain(v.title);
      walkVariant(v, P.variants.indexOf(v), ({ node }) => {
        for (const s of [node.title, node.content, node.text]) if (s) expect(doc, node.id).toContain(s);
        const lines = (node.rule as { lines?: { text?: string }[] } | undefined)?.lines ?? [];
        for (const l of lines) expect(node.text, node.id).toContain(l.text);
      });
    }
    expect(doc).toContain(P.policies.notApplicable.quote!);
  });

  it('N/A policy from the 说明: full points, the clerk marks 不涉及', () => {
    // “说明：考核内容中无具体工作任务的单位在年度考核时，按本单位承担的职责提出书面说明，报市政务公开办认定。”
    expect(P.policies.notApplicable).toMatchObject({ policy: 'full', clerkMayMark: true });
  });

  it('every base criterion is a deduction (倒扣分，扣完为止); 加、减分 are uncapped tallies', () => {
    for (const v of [TOWN, DEPT]) {
      const cs = criteria(v);
      expect(cs.filter((c) => c.role === 'base').every((c) => c.kind === 'deduct')).toBe(true);
      expect(cs.filter((c) => c.role !== 'base').map((c) => [c.id, c.kind, c.points])).toEqual([
        ['bonus.1', 'tally', null], ['penalty.1', 'tally', null],
      ]);
    }
  });
});

describe('miluo-2017: 乡镇', () => {
  it('maximum 100 = 15 + 35 + 39 + 6 + 5; 加分/减分 uncapped; 35 + 2 criteria', () => {
    // 指标名称: “组织保障（15分）” “信息公开（35分）” “互联网+政务服务（39分）” “政务公开便民服务（6分）” “工作衔接（5分）”
    expect(baseMax(TOWN)).toBe(100);
    expect(TOWN.sections.filter((s) => (s.role ?? 'base') === 'base').map((s) => s.points)).toEqual([15, 35, 39, 6, 5]);
    // The 分值 column, row by row, per section (the document's own figures):
    // 组织保障 3+4+2+2+4 = 15; 信息公开 3+3+3+3+15+8 = 35;
    // 互联网+政务服务 2 + (2+2+2+2) + (2+2+1) + (1+2+2+2+3) + (2+2+2) + (2+2+1+2+1) = 39; 便民 3+3 = 6; 衔接 5.
    const perSection = TOWN.sections.filter((s) => (s.role ?? 'base') === 'base').map((s) => {
      let sum = 0;
      walkVariant({ ...TOWN, sections: [s] }, 0, ({ node, isCriterion }) => { if (isCriterion) sum += node.points!; });
      return sum;
    });
    expect(perSection).toEqual([15, 35, 39, 6, 5]);
    // 加、减分 have no 分值: “受到省、地级表扬推介的每次加2分，市级加1分。” — no cap (R18).
    expect(nodeMax(P, TOWN.sections.find((s) => s.role === 'bonus')!)).toBeNull();
    expect(nodeMax(P, TOWN.sections.find((s) => s.role === 'penalty')!)).toBeNull();
    // Rows of the table: 组织保障 5, 信息公开 6, 互联网+政务服务 21, 政务公开便民服务 2, 工作衔接 1 = 35; 加分, 减分.
    const cs = criteria(TOWN);
    expect(cs.filter((c) => c.role === 'base')).toHaveLength(35);
    expect(cs).toHaveLength(37);
  });

  it('perfect inputs give the full 100; all-blank inputs are incomplete', () => {
    const r = score(P, { name: '某镇', variant: 'town' }, perfect(TOWN));
    expect(r.problems).toEqual([]);
    expect(r.complete).toBe(true);
    expect([r.base, r.bonus, r.penalty, r.final]).toEqual([100, 0, 0, 100]);
    const blank = score(P, { name: '某镇', variant: 'town' }, {});
    expect(blank.complete).toBe(false);
    expect(blank.missing).toBeGreaterThan(0);
  });

  it('worked example: deductions beyond an indicator’s points, a shortfall, bonus and penalty', () => {
    // 某镇:
    //  回应关切 (3分) “未及时回应的，每件次扣2分”: 2件次 → 2×2 = 4 > 3, 扣完为止 → 0.
    //  信息报送 (5分) “信息报送少于12条的，每少一条扣1分”: 报送8条 → (12−8)×1 = 4 → 1.
    //  监督考核 (4分) “未开展督查的扣1分”: 是 → 3.
    //  办事指南 (2分) “指南要素不全的，每缺一项扣0.5分”: 缺3项 → 1.5 → 0.5.
    //  依申请公开 (8分) “发生复议、诉讼经查实需承担责任的，每起扣8分”: 1起 → 0.
    //  组织保障 15−1 = 14; 信息公开 35−3−8 = 24; 互联网+ 39−1.5 = 37.5; 便民 6; 衔接 5−4 = 1 → base 82.5.
    //  加分 “受到省、地级表扬推介的每次加2分，市级加1分”: 省、地级1次, 市级2次 → 2+2 = 4.
    //  减分 “受到省、地级批评的每次扣2分，市级扣1分”: 市级1次 → 1.
    //  final = 82.5 + 4 − 1 = 85.5.
    const r = score(P, { name: '某镇', variant: 'town' }, perfect(TOWN, {
      's2.4#l1': 2,
      's5.1#l1': '8条',
      's1.5#l3': '是',
      's3.2b#l2': 3,
      's2.6': { l2: 1 },
      'bonus.1': { provincial: 1, city: 2 },
      'penalty.1#city': 1,
    }));
    expect(r.problems).toEqual([]);
    expect(r.complete).toBe(true);
    expect(find(r.nodes, 's2.4').points).toBe(0);
    // The raw figure before the floor: 3 − 2 × 2 = −1, floored at 0 (扣完为止).
    expect(find(r.nodes, 's2.4').raw).toBe(-1);
    expect(find(r.nodes, 's2.4').limit).toMatchObject({ value: 0, applied: 'floor', source: 'floor' });
    expect(find(r.nodes, 's2.4').explanation.zh).toContain('未及时回应2件次×2=4分');
    expect(find(r.nodes, 's2.4').explanation.zh).toContain('扣完为止');
    expect(find(r.nodes, 's5.1').points).toBe(1);
    expect(find(r.nodes, 's5.1').explanation.zh).toContain('报送信息条数8，低于12，扣4分');
    expect(find(r.nodes, 's1.5').points).toBe(3);
    expect(find(r.nodes, 's1.5').explanation.zh).toContain('未开展督查，扣1分');
    expect(find(r.nodes, 's3.2b').points).toBe(0.5);
    expect(find(r.nodes, 's2.6').points).toBe(0);
    expect(find(r.nodes, 's1').points).toBe(14);
    expect(find(r.nodes, 's2').points).toBe(24);
    expect(find(r.nodes, 's3').points).toBe(37.5);
    expect(find(r.nodes, 's4').points).toBe(6);
    expect(find(r.nodes, 's5').points).toBe(1);
    expect(r.base).toBe(82.5);
    expect(r.bonus).toBe(4);
    expect(r.penalty).toBe(1);
    expect(r.final).toBe(85.5);
  });

  it('several 未X lines of one indicator: their sum is floored at 0 (监督考核: 未纳入 4 + 分值权重 2 → 0)', () => {
    // “未纳入综合绩效考评的扣4分，分值权重不达标的扣2分，…” both answered 是 → 6 > 4 → 0, never negative.
    const r = score(P, { name: '某镇', variant: 'town' }, perfect(TOWN, { 's1.5#l1': '是', 's1.5#l2': '是' }));
    expect(find(r.nodes, 's1.5').points).toBe(0);
    expect(r.final).toBe(96);
  });

  it('bonus beyond 100: a perfect 乡镇 with 表扬推介 scores above 100 (加分 uncapped, R18)', () => {
    // 省、地级表扬推介 3次 ×2 = 6, 市级 4次 ×1 = 4 → 100 + 10 = 110.
    const r = score(P, { name: '某镇', variant: 'town' }, perfect(TOWN, { 'bonus.1': { provincial: 3, city: 4 } }));
    expect(r.base).toBe(100);
    expect(r.bonus).toBe(10);
    expect(r.final).toBe(110);
    expect(find(r.nodes, 'bonus.1').explanation.zh).toContain('合计10分');
  });
});

describe('miluo-2017: 市直及省、岳阳市驻汨单位', () => {
  it('maximum 100 = 10 + 35 + 50 + 5; 加分/减分 uncapped; 31 + 2 criteria', () => {
    // 指标名称: “组织保障（10分）” “信息公开（35分）” “互联网+政务服务（50分）” “工作衔接（5分）”
    expect(baseMax(DEPT)).toBe(100);
    expect(DEPT.sections.filter((s) => (s.role ?? 'base') === 'base').map((s) => s.points)).toEqual([10, 35, 50, 5]);
    // 组织保障 3+2+2+3 = 10; 信息公开 3+3+2+2+19+(4+2) = 35;
    // 互联网+ (3+3) + (3+2) + (2+4+3+3) + (3+2+2+3) + (2+3) + (3+3+2+2+2) = 50; 工作衔接 5.
    const perSection = DEPT.sections.filter((s) => (s.role ?? 'base') === 'base').map((s) => {
      let sum = 0;
      walkVariant({ ...DEPT, sections: [s] }, 0, ({ node, isCriterion }) => { if (isCriterion) sum += node.points!; });
      return sum;
    });
    expect(perSection).toEqual([10, 35, 50, 5]);
    // “受到省级表扬推介的每次加2分，市级加1分。” / “受到省级批评的每次扣2分，市级扣1分。” — no cap.
    expect(nodeMax(P, DEPT.sections.find((s) => s.role === 'bonus')!)).toBeNull();
    expect(nodeMax(P, DEPT.sections.find((s) => s.role === 'penalty')!)).toBeNull();
    // Rows: 组织保障 4, 信息公开 7, 互联网+政务服务 19, 工作衔接 1 = 31; 加分, 减分.
    const cs = criteria(DEPT);
    expect(cs.filter((c) => c.role === 'base')).toHaveLength(31);
    expect(cs).toHaveLength(33);
  });

  it('perfect inputs give the full 100; all-blank inputs are incomplete', () => {
    const r = score(P, { name: '某局', variant: 'dept' }, perfect(DEPT));
    expect(r.problems).toEqual([]);
    expect(r.complete).toBe(true);
    expect(r.final).toBe(100);
    const blank = score(P, { name: '某局', variant: 'dept' }, {});
    expect(blank.complete).toBe(false);
  });

  it('worked example: per-case deductions floored, flags, 不涉及, bonus and penalty', () => {
    // 某局:
    //  主动公开 (19分) “…每缺一项扣1分”: 缺5项 → 14.
    //  依申请公开 (4分) “出现超期回复的，每件次扣2分；发生复议、诉讼经查实需承担责任的，每起扣4分”:
    //    1件次 + 1起 → 2 + 4 = 6 > 4, 扣完为止 → 0.
    //  指南和年报公开 (3分) “未公开指南的扣1.5分…公开不及时的扣1分”: 未公开指南 是, 年报公开不及时 是 → 3 − 2.5 = 0.5.
    //  评议制度 (3分) “被市政务中心通报批评的每次扣0.5分”: 3次 → 1.5 → 1.5.
    //  情况报送 (5分) “未及时报送相关信息、资料的每次扣1分；缺席会议的每次扣1分”: 2次 + 1次 → 2.
    //  政务资源共享数据库 (4分) “各有政务业务数据资源汇聚任务的单位…”: 无此任务, 不涉及 (说明: 报市政务公开办认定) → full 4.
    //  组织保障 10; 信息公开 35 − 5 − 4 − 2.5 = 23.5; 互联网+ 50 − 1.5 = 48.5; 工作衔接 2 → base 84.
    //  加分 省级1次 ×2 + 市级2次 ×1 = 4; 减分 省级1次 ×2 = 2 → final 84 + 4 − 2 = 86.
    const r = score(P, { name: '某局', variant: 'dept' }, perfect(DEPT, {
      's2.5': 5,
      's2.6a': { l1: 1, l2: 1 },
      's2.2#l1': '是',
      's2.2#l4': '是',
      's3.4d': '3次',
      's4.1': { l1: 2, l2: 1 },
      's3.3b#l1': '不涉及',
      'bonus.1': { provincial: 1, city: 2 },
      'penalty.1': { provincial: 1 },
    }));
    expect(r.problems).toEqual([]);
    expect(r.complete).toBe(true);
    expect(find(r.nodes, 's2.5').points).toBe(14);
    expect(find(r.nodes, 's2.6a').points).toBe(0);
    expect(find(r.nodes, 's2.6a').explanation.zh).toContain('超过本项4分，扣完为止');
    expect(find(r.nodes, 's2.2').points).toBe(0.5);
    expect(find(r.nodes, 's2.2').explanation.zh).toContain('未公开指南，扣1.5分');
    expect(find(r.nodes, 's3.4d').points).toBe(1.5);
    expect(find(r.nodes, 's4.1').points).toBe(2);
    expect(find(r.nodes, 's3.3b').points).toBe(4);
    expect(find(r.nodes, 's3.3b').na).toBe(true);
    expect(find(r.nodes, 's3.3b').explanation.zh).toContain('不涉及');
    expect(find(r.nodes, 's2').points).toBe(23.5);
    expect(find(r.nodes, 's3').points).toBe(48.5);
    expect(find(r.nodes, 's4').points).toBe(2);
    expect(r.base).toBe(84);
    expect(r.bonus).toBe(4);
    expect(r.penalty).toBe(2);
    expect(r.final).toBe(86);
  });

  it('减分 is uncapped too: 省级批评 4次 + 市级 3次 = 11 off a perfect 100', () => {
    // “受到省级批评的每次扣2分，市级扣1分。” 4×2 + 3×1 = 11 → 89.
    const r = score(P, { name: '某局', variant: 'dept' }, perfect(DEPT, { 'penalty.1': { provincial: 4, city: 3 } }));
    expect(r.penalty).toBe(11);
    expect(r.final).toBe(89);
  });
});

describe('miluo-2017: audit fixes (issue 11)', () => {
  it('市直 s2.2 “未公开指南的扣1.5分，更新不及时的扣1分”: one of the pair, never both (2.5)', () => {
    // 未公开指南 1.5 and (wrongly) 更新不及时 1 both ticked: 1.5 is taken, the clerk is told; 年报 not published 1.5.
    // 3 − 1.5 − 1.5 = 0.
    const r = score(P, { name: '某局', variant: 'dept' }, perfect(DEPT, { 's2.2': { l1: '是', l2: '是', l3: '否', l4: '否' } }));
    expect(find(r.nodes, 's2.2').points).toBe(1.5);
    expect(r.problems.map((p) => [p.code, p.path])).toEqual([['input.exclusiveLines', 's2.2#l2']]);
    // 已公开指南但更新不及时 1 alone: 3 − 1 = 2.
    expect(find(score(P, { name: '某局', variant: 'dept' }, perfect(DEPT, { 's2.2': { l1: '否', l2: '是', l3: '否', l4: '否' } })).nodes, 's2.2').points).toBe(2);
    const labels = DEPT.sections.flatMap((s) => s.children ?? []).find((n) => n.id === 's2.2')!.rule as { lines: { label: string; oneOf?: string }[] };
    expect(labels.lines.map((l) => [l.label, l.oneOf])).toEqual([['未公开指南', 'guide'], ['已公开指南但更新不及时', 'guide'], ['未公开年报', 'report'], ['已公开年报但公开不及时', 'report']]);
  });

  it('乡镇 s1.2 “未成立…领导小组的扣2分，未及时调整…的扣1分” and s2.2 “未公开指南的扣1分，公开部门不全面的扣1分” are exclusive pairs', () => {
    // s1.2 (4分): 未成立 and 未及时调整 both ticked → 2 taken (not 3); 无管理机构 1 → 4 − 2 − 1 = 1.
    const r = score(P, { name: '某镇', variant: 'town' }, perfect(TOWN, { 's1.2': { l1: '是', l2: '是', l3: '是' } }));
    expect(find(r.nodes, 's1.2').points).toBe(1);
    // s2.2 (3分): every line ticked → 1 + 1 = 2 taken, 1 left.
    const g = score(P, { name: '某镇', variant: 'town' }, perfect(TOWN, { 's2.2': { l1: '是', l2: '是', l3: '是', l4: '是' } }));
    expect(find(g.nodes, 's2.2').points).toBe(1);
    expect(g.problems.map((p) => p.code)).toEqual(['input.exclusiveLines', 'input.exclusiveLines']);
  });

  it('records the readings of 市级 for 驻汨单位 and of one 通报批评 under s3.4d and 减分', () => {
    const pen = DEPT.sections.find((s) => s.role === 'penalty')!;
    expect(pen.note).toContain('汨罗市 and 岳阳市 alike');
    expect(pen.note).toContain('s3.4d');
    expect(DEPT.sections.find((s) => s.role === 'bonus')!.note).toContain('驻汨单位');
  });
});
