/**
 * 拱墅区审管办2021年度打造国际一流营商环境考核评分细则 (seed 004_8116892f3733762d.txt): the rubric file
 * rubrics/gongshu-2021.yaml against figures written here from the document itself (not read back from the file).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Dec, loadProgram, nodeMax, score, scoreCohort, walkVariant, type InputsIn, type NodeResult, type Program, type RubricNode } from '../../src/engine/index';

const file = new URL('../../rubrics/gongshu-2021.yaml', import.meta.url);
const seed = new URL('../../../shared/seeds/004_8116892f3733762d.txt', import.meta.url);
const { program, problems } = loadProgram(readFileSync(file, 'utf8'), 'gongshu-2021.yaml');
const P = program as Program;
const V = P.variants[0];

// The document lists no units (考核对象: “各街道办事处,区直属各单位、市直延伸单位”): the tests add an example 街道
// and a unit carrying every tag (so that no criterion is 不涉及) beside the two bureaus the rubric lists.
const ALL_TAGS = ['部门', '街道', '进驻单位', '一件事单位', '投资项目审批单位'];
P.units!.push({ name: '米市巷街道', variant: 'all', tags: ['街道'] }, { name: '全适用单位', variant: 'all', tags: ALL_TAGS });

const walk = (nodes: NodeResult[]): NodeResult[] => nodes.flatMap((n) => [n, ...walk(n.children)]);
const find = (nodes: NodeResult[], id: string): NodeResult => {
  const n = walk(nodes).find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};
const leaves = (nodes: RubricNode[]): RubricNode[] => nodes.flatMap((n) => (n.children?.length ? leaves(n.children) : [n]));
const base = () => V.sections.filter((s) => (s.role ?? 'base') === 'base');

/** A unit that does everything the 细则 asks; bonus and penalty items left blank (nothing to report). */
const perfect = (): InputsIn => ({
  's1.1.1.1': { system: 0, window: 0, online: 0, minute: '否', hour: '否' },
  's1.1.1.2': { spot: 0, mismatch: 0 },
  's1.1.2.1': 0,
  's1.1.2.2': '否',
  's1.1.3.1': '否',
  's1.2.1.1': 0,
  's1.2.1.2': '否',
  's1.2.1.3': '90%', // 事项收件率: ranks by the cohort (alone: 第1名, +1.5, within the capped 10分)
  's1.2.2.1': 2,
  's1.2.3.1': { done: 100, of: 100 },
  's1.2.3.2': 0,
  's1.2.4.1': { days: 0, beyond: 0 },
  's1.2.4.2.1': { days: 0, city: 0, province: 0 },
  's1.2.4.2.2': 12, // 每月新增…加0.1分，满分1.2分: twelve months
  's1.2.4.3.2': 5, // 每代办案例…加0.2分，累计不超过1分: five cases
  's1.2.5.1': { appeal: 0, bad: 0, again: 0 },
  's1.2.5.2': {}, // no level spot-checked: left blank, no deduction
  's1.2.5.3': { done: 100, of: 100 },
  's2.3.1.1': { facility: 0, public: 0 },
  's2.3.2.1': { zone: '否', staff: '否' },
  's2.3.3.1': '否',
  's2.4.1.1': 0,
  's2.4.2.1': '否',
  's2.5.1.1': 0,
  's2.5.2.1': { province: 0, city: 0 },
  's2.6.1.1': { window: '否', cockpit: '否', reduce: '否' },
  's2.6.2.1': { open: '否', claim: '否' },
  's2.6.2.2': { city: '否', province: '否' },
  's3.7.1.1': { rank: 1, judged: 0, unhappy: 0, advice: 0 },
  's3.7.2.1': { band2: '否', band3: '否', unhappy: 0, advice: 0 },
});

describe('gongshu-2021: the file', () => {
  it('loads with no errors; the warnings are the document’s own inconsistencies', () => {
    expect(program).not.toBeNull();
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    // 2.0认领率和收件率 (10分) over (5分)+(5分) and the rank bonus (up to 1.5, no points of its own);
    // 代办案例 (2分) whose only rule reaches 1 (“累计不超过1分”);
    // 大厅改造 (6分) over one criterion of (3分); 2.0工作台 (4分) over criteria of (3分) and (2分).
    expect(problems.map((p) => p.code)).toEqual(['rubric.pointsMismatch', 'rubric.noPointsCriterion', 'rubric.pointsMismatch', 'rubric.pointsMismatch', 'rubric.pointsMismatch']);
    expect(problems.map((p) => p.path)).toEqual([
      'variants[0].sections[0].children[1].children[0].points',
      'variants[0].sections[0].children[1].children[0].children[2]',
      'variants[0].sections[0].children[1].children[3].children[2].points',
      'variants[0].sections[1].children[3].children[0].points',
      'variants[0].sections[1].children[3].children[1].points',
    ]);
    expect(problems[0].message.zh).toContain('标明10分，但下级分值合计11.5分');
    expect(problems[2].message.zh).toContain('标明2分，但下级分值合计1分');
    expect(problems[3].message.zh).toContain('“大厅改造 (6分)”标明6分，但下级分值合计3分');
    expect(problems[4].message.zh).toContain('“2.0工作台 (4分)”标明4分，但下级分值合计5分');
  });

  it('keeps the document’s text verbatim (titles, texts, 考核对象, line texts, quotes)', () => {
    expect(P.title).toBe('拱墅区审管办2021年度打造国际一流营商环境考核办法');
    expect(V.title).toBe('拱墅区审管办2021年度打造国际一流营商环境考核评分细则');
    expect(P.docNo).toBe('拱审管办发〔2021〕1号');
    expect(V.columns.map((c) => c.header)).toEqual(['指标名称', '指标名称', '目标任务及评分标准', '分值', '考核对象']);
    if (!existsSync(seed)) return; // the seed lives beside the repo in the workspace
    const squash = (s: string) => s.replace(/\s+/g, '');
    const doc = squash(readFileSync(seed, 'utf8'));
    walkVariant(V, 0, ({ node }) => {
      for (const s of [node.title, node.text, node.target]) if (s) expect(doc, node.id).toContain(squash(s));
      const lines = (node.rule as { lines?: { text?: string }[] } | undefined)?.lines ?? [];
      for (const l of lines) expect(l.text, node.id).toBeTruthy();
      for (const l of lines) expect(doc, `${node.id} ${l.text}`).toContain(squash(l.text!));
    });
    expect(doc).toContain(squash(P.policies.netCapQuote!));
    // The 办法 has no general 不涉及 clause: the policy quotes nothing (the old quote was a cohort clause).
    expect(P.policies.notApplicable.quote).toBeUndefined();
  });

  it('policies: net cap 5; 不涉及 rescaled; clerks may mark 不涉及', () => {
    // “6.不重复加减分,累计加减分最高为5分”
    expect(P.policies.netCap).toBe(5);
    expect(P.policies.notApplicable).toMatchObject({ policy: 'rescale', clerkMayMark: true });
    // The document names only 区住建局、区发改局 (招标投标).
    expect(P.units!.slice(0, 2).map((u) => u.name)).toEqual(['区住建局', '区发改局']);
  });
});

describe('gongshu-2021: 各街道办事处,区直属各单位、市直延伸单位 (variant all)', () => {
  it('maximum base 95 = 45 + 40 + 10; 加扣分项 capped by the net cap 5; 28 paragraphs, 30 + 5 criteria', () => {
    // “一、打造国际一流营商环境建设(45分)” “二、…(40分)” “三、营商环境和“两率”指标评价(10分)”
    expect(base().map((s) => s.points)).toEqual([45, 40, 10]);
    const max = base().reduce((a, s) => a.plus(nodeMax(P, s)!), new Dec(0));
    expect(max.toNumber()).toBe(95);
    // “四、亮点工作和问题整改加扣分项(5分)” … “最高不超过5分” (items 1 and 2) … “累计加减分最高为5分”
    const bonus = V.sections.filter((s) => s.role === 'bonus');
    const penalty = V.sections.filter((s) => s.role === 'penalty');
    expect(bonus).toHaveLength(1);
    expect(penalty).toHaveLength(1);
    expect(bonus[0].points ?? null).toBeNull(); // no cap of its own: the net cap applies
    expect(penalty[0].points ?? null).toBeNull();
    expect(bonus[0].children!.map((c) => c.points)).toEqual([5, 5, 1]);
    // Paragraphs of 目标任务及评分标准 per sub-indicator, in the document's order:
    // 事项基础 2, 预约 2, 错时 1, 2.0认领率和收件率 2 (+ the rank bonus row), 招标投标 1, 窗口服务 2, 投资项目 3,
    // 服务效能 3, 现场管理 1, 网办 1, 名称标识 1, 全进驻 1, 综合窗口 1, 就近办 1, 高频通办 1, 大厅改造 1,
    // 2.0工作台 2, 营商环境评价 1, “两率” 1 = 28 paragraphs, 29 rows.
    const paragraphs = [2, 2, 1, 3, 1, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1];
    const subIndicators = base().flatMap((s) => s.children!.flatMap((i) => i.children!));
    expect(subIndicators.map((n) => n.children!.length)).toEqual(paragraphs);
    expect(paragraphs.reduce((a, b) => a + b, 0)).toBe(29);
    // One paragraph is split into two sub-criteria (deductions + 满分1.2分); 代办案例 holds its one increment: 30.
    expect(leaves(base())).toHaveLength(30);
    // Section 四: items 1, 2, 3 (加分) and 4, 5 (扣分); item 6 is the net cap.
    expect(leaves(bonus)).toHaveLength(3);
    expect(leaves(penalty)).toHaveLength(2);
  });

  it('perfect inputs give 91, not 95: 大厅改造 (6分) gives at most (3分), 代办案例 (2分) at most 1', () => {
    const r = score(P, '全适用单位', perfect());
    expect(r.problems).toEqual([]);
    expect(r.complete).toBe(true);
    expect(find(r.nodes, 's2.6.1').points).toBe(3);
    expect(find(r.nodes, 's2.6.2').points).toBe(4); // 3 + 2 capped at (4分)
    expect(find(r.nodes, 's1.2.4.3').points).toBe(1);
    expect([find(r.nodes, 's1').points, find(r.nodes, 's2').points, find(r.nodes, 's3').points]).toEqual([44, 37, 10]);
    expect(r.base).toBe(91);
    expect(r.adjustment).toBe(0);
    expect(r.final).toBe(91);
  });

  it('all-blank inputs are incomplete', () => {
    const r = score(P, '全适用单位', {});
    expect(r.complete).toBe(false);
    expect(r.missing).toBeGreaterThan(0);
  });

  it('R19: the 2.0工作台 subtotal never exceeds its declared (4分)', () => {
    const at = (extra: InputsIn) => find(score(P, '全适用单位', { ...perfect(), ...extra }).nodes, 's2.6.2');
    // No findings: 3 + 2 = 5 → “按4分计”.
    const full = at({});
    expect(full.raw).toBe(5);
    expect(full.points).toBe(4);
    expect(full.limit).toEqual({ value: 4, source: 'declared', applied: 'cap' });
    expect(full.explanation.zh).toBe('小计5分，超过本项分值4分，按4分计');
    // “超时未处理被市级抽查通报的扣0.5分”: 3 + 1.5 = 4.5 → still 4.
    expect(at({ 's2.6.2.2': { city: '是', province: '否' } }).points).toBe(4);
    // “未开设工作台的扣1分” and “被省级抽查通报的扣1分”: 2 + 1 = 3 → 3.
    const low = at({ 's2.6.2.1': { open: '是', claim: '否' }, 's2.6.2.2': { city: '否', province: '是' } });
    expect(low.points).toBe(3);
    expect(low.limit).toBeUndefined();
  });

  it('咨询电话接通率: a shortfall below 90% per level — 区级 0.1, 市级 0.2, 省级 0.3 per percentage point', () => {
    // “被区级组织抽查到接通率不足90%的,每低1个百分点扣 0.1 分,被市级抽查到每低1个百分点扣 0.2 分。
    //  被省级抽查到每低1个百分点扣 0.3 分。(4分)”
    // 区级 85%: 5 points × 0.1 = 0.5; 市级 88%: 2 × 0.2 = 0.4; 省级 89.5%: 0.5 × 0.3 = 0.15
    // 4 − (0.5 + 0.4 + 0.15) = 4 − 1.05 = 2.95
    const r = score(P, '全适用单位', { ...perfect(), 's1.2.5.2': { district: '85%', city: '88%', province: '89.5%' } });
    expect(r.problems).toEqual([]);
    const n = find(r.nodes, 's1.2.5.2');
    expect(n.points).toBe(2.95);
    expect(n.explanation.zh).toContain('区级抽查接通率(未抽查的留空)85%，低于90%，扣0.5分');
    expect(n.explanation.zh).toContain('市级抽查接通率(未抽查的留空)88%，低于90%，扣0.4分');
    expect(n.explanation.zh).toContain('省级抽查接通率(未抽查的留空)89.5%，低于90%，扣0.15分');
    expect(n.explanation.zh).toContain('共扣1.05分');
    // “实现接通率90%以上”: exactly 90% takes nothing; 省级 70% would take 20 × 0.3 = 6 > 4 → floored at 0.
    expect(find(score(P, '全适用单位', { ...perfect(), 's1.2.5.2': { district: '90%', city: '100%', province: '100%' } }).nodes, 's1.2.5.2').points).toBe(4);
    expect(find(score(P, '全适用单位', { ...perfect(), 's1.2.5.2': { district: '100%', city: '100%', province: '70%' } }).nodes, 's1.2.5.2').points).toBe(0);
  });

  it('net cap: 加分 7 and 扣分 1 give +5 (“累计加减分最高为5分”); 扣分 8 gives −5', () => {
    // 加分: item 1 — one 宣传内容 in 《领跑者》 (3) and another reported by 中央级媒体 (2) = 5 (the item's cap);
    //       item 2 — a 市级主要领导批示表彰 (2). Total 7.
    // 扣分: item 5 — 视情扣1分. Net 7 − 1 = 6 → capped at 5.
    const r = score(P, '全适用单位', {
      ...perfect(),
      's4.1': { item1: '入选最佳和优秀实践案例或《改革情况交流》《领跑者》刊发', item2: '中央级媒体宣传报道' },
      's4.2': { item1: '市级主要领导批示表彰' },
      's4.5': 1,
    });
    expect(r.problems).toEqual([]);
    expect(r.bonus).toBe(7);
    expect(r.penalty).toBe(1);
    expect(r.adjustment).toBe(5);
    expect(r.final).toBe(96);
    // 扣分: 区级督查 2 + 新闻媒体曝光 3 + 3例通报批评 6 = 11; 加分 0 → −5.
    const down = score(P, '全适用单位', { ...perfect(), 's4.4': { district: '是', press: '是', notice: 3 } });
    expect(down.penalty).toBe(11);
    expect(down.adjustment).toBe(-5);
    expect(down.final).toBe(86);
    // “同一宣传内容取最高分”, “最高不超过5分”: three 《领跑者》 items = 9 → 5.
    const best = score(P, '全适用单位', { ...perfect(), 's4.1': { item1: '入选最佳和优秀实践案例或《改革情况交流》《领跑者》刊发', item2: '入选最佳和优秀实践案例或《改革情况交流》《领跑者》刊发', item3: '入选最佳和优秀实践案例或《改革情况交流》《领跑者》刊发' } });
    expect(find(best.nodes, 's4.1').points).toBe(5);
    expect(find(best.nodes, 's4.1').explanation.zh).toContain('合计9分，超过上限5分，按5分计');
  });

  it('applicability: a 街道 is scored on its own items and rescaled to 95', () => {
    // Not for a 街道 (考核对象 各相关单位 / “一件事”单位 / 投资项目审批有关单位): 事项基础 3+3, 2.0认领率和收件率 5+5,
    // 招标投标 2, 投资项目 1+2+2, “亲清D小二” 4, 高频事项通办 5 = 32 declared of 95. 代办案例 (2分) can give at most 1
    // (its one rule “累计不超过1分”), so the 街道 loses 31 reachable points. A perfect 街道: 95 − 32 − 3 (大厅改造) = 60,
    // rescaled 60 × 95 / (95 − 31) = 5700 / 64 = 89.0625.
    const r = score(P, '米市巷街道', perfect());
    expect(r.problems).toEqual([]);
    expect(r.complete).toBe(true);
    expect(find(r.nodes, 's1.2.1.1').applicable).toBe(false);
    expect(find(r.nodes, 's2.3.3.1').applicable).toBe(true); // 考核对象 各街道
    expect(find(r.nodes, 's1.2.2.1').applicable).toBe(false); // 区住建局、区发改局,各相关单位
    const raw = ['s1', 's2', 's3'].reduce((a, id) => a + find(r.nodes, id).points, 0);
    expect(raw).toBe(60);
    expect(r.base).toBe(89.0625);
    // 统一综合政务服务场所名称和标识: “未按要求落实的扣3分” takes the whole item.
    const sign = score(P, '米市巷街道', { ...perfect(), 's2.3.3.1': '是' });
    expect(find(sign.nodes, 's2.3.3.1').points).toBe(0);
  });

  it('worked example: 区住建局 with a handful of findings', () => {
    // 区住建局 (tags 部门, 进驻单位, 投资项目审批单位): 不涉及 事项基础 ① (3, “一件事”单位) and 名称和标识 (3, 各街道).
    // 一 (42 applicable):
    //   事项基础 ②: 被省市级抽查通报问题 1次 × 1                                   → 3 − 1 = 2
    //   2.0认领: 未按规定认领 3个 × 0.2 = 0.6                                       → 4.4
    //   2.0收件率: not below 85%                                                    → 5
    //   招标投标: 评定 1.5                                                         → 1.5
    //   窗口服务 ①: 年度考核成绩 90 of 100 → 3 × 90 / 100                          → 2.7
    //   窗口服务 ②: 一起投诉, 扣1.5 (“每发现一起扣1-3分”)                           → 1.5
    //   中介 ①: 延迟3天 × 0.1 = 0.3                                                 → 0.7
    //   中介 ②: 延迟推送2天 × 0.2 = 0.4 + 省级通报1次 × 0.5 = 0.9 > 0.8 → 扣完为止    → 0
    //           每月新增项目 7个月 × 0.1                                             → 0.7
    //   2.0收件率排名: alone in its cohort → 第1名 +1.5: 4.4 + 5 + 1.5 = 10.9 → capped at (10分)     → 10
    //   代办案例: 被录用 6篇 × 0.2 = 1.2 → 累计不超过1分                               → 1
    //   好差评: none → 4;  接通率: 区级 85% → 5 × 0.1 = 0.5 (市级、省级 not spot-checked: blank) → 3.5
    //   亲清D小二: 考核成绩 90 of 100 → 4 × 90 / 100 = 3.6
    //   错时延时 2, 预约 0.5 + 1.5
    //   s1 = 2 + (0.5 + 1.5) + 2 + 10 + 1.5 + (2.7 + 1.5) + (0.7 + 0.7 + 1) + (4 + 3.5 + 3.6) = 35.2
    // 二 (37 applicable, 34 reachable): 应进未进驻 2个 × 0.5 = 1 → 4; 2.0工作台: 未落实认领要求 → 2 + 2 = 4
    //   s2 = 4 + 3 + (4 + 5) + (5 + 5) + (3 + 4) = 33
    // 三: 我区排名第5 → (5 − 3) × 0.5 = 1, 不满意 1条 × 0.5 → 3.5; “两率” 全市第8名 → 扣2 → 3;  s3 = 6.5
    // raw = 35.2 + 33 + 6.5 = 74.7; rescaled: 74.7 × 95 / (95 − 6) = 7096.5 / 89 = 79.7359…
    // 加分: 一篇市级媒体宣传报道 1.5; 扣分: 1例被省、市通报批评 2 → adjustment −0.5; final = 7096.5/89 − 0.5
    const inputs: InputsIn = {
      ...perfect(), // inputs of the two 不涉及 items are ignored for this unit
      's1.1.1.2': { spot: 1, mismatch: 0 },
      's1.2.1.1': 3,
      's1.2.2.1': 1.5,
      's1.2.3.1': { done: 90, of: 100 },
      's1.2.3.2': 1.5,
      's1.2.4.1': { days: 3, beyond: 0 },
      's1.2.4.2.1': { days: 2, city: 0, province: 1 },
      's1.2.4.2.2': 7,
      's1.2.4.3.2': 6,
      's1.2.5.2': { district: '85%' },
      's1.2.5.3': { done: 90, of: 100 },
      's2.4.1.1': 2,
      's2.6.2.1': { open: '否', claim: '是' },
      's3.7.1.1': { rank: 5, judged: 0, unhappy: 1, advice: 0 },
      's3.7.2.1': { band2: '是', band3: '否', unhappy: 0, advice: 0 },
      's4.1': { item1: '市级媒体宣传报道' },
      's4.4': { notice: 1 },
    };
    const r = score(P, '区住建局', inputs);
    expect(r.problems).toEqual([]);
    expect(r.complete).toBe(true);
    expect(find(r.nodes, 's1.1.1.1').applicable).toBe(false);
    expect(find(r.nodes, 's2.3.3.1').applicable).toBe(false);
    expect(find(r.nodes, 's1.2.3.1').points).toBe(2.7);
    expect(find(r.nodes, 's1.2.4.2.1').points).toBe(0);
    expect(find(r.nodes, 's1.2.4.2.1').explanation.zh).toContain('扣完为止');
    expect(find(r.nodes, 's1.2.4.2').points).toBe(0.7);
    expect(find(r.nodes, 's1.2.4.3.2').points).toBe(1);
    expect(find(r.nodes, 's1.2.4.3.2').explanation.zh).toContain('合计1.2分，超过上限1分，按1分计');
    expect(find(r.nodes, 's1.2.4').points).toBe(2.4);
    expect(find(r.nodes, 's1.2.1').points).toBe(10);
    expect(find(r.nodes, 's1.2.5').points).toBe(11.1);
    expect(find(r.nodes, 's3.7.1.1').points).toBe(3.5);
    expect(find(r.nodes, 's3.7.1.1').explanation.zh).toContain('我区在全市13个区县(市)中的排名5，超过3，扣1分');
    expect(find(r.nodes, 's3.7.2.1').points).toBe(3);
    expect(find(r.nodes, 's2.6.2').points).toBe(4);
    expect([find(r.nodes, 's1').points, find(r.nodes, 's2').points, find(r.nodes, 's3').points]).toEqual([35.2, 33, 6.5]);
    expect(r.base).toBeCloseTo(7096.5 / 89, 10);
    expect(r.bonus).toBe(1.5);
    expect(r.penalty).toBe(2);
    expect(r.adjustment).toBe(-0.5);
    expect(r.final).toBeCloseTo(7096.5 / 89 - 0.5, 10);
  });

  it('input rules from the document: 扣1-3分 is 0 or within 1～3; 视情扣0.5-3分 likewise', () => {
    const r = score(P, '全适用单位', { ...perfect(), 's1.2.3.2': 0.5, 's4.5': 4 });
    expect(r.problems.map((p) => p.code).sort()).toEqual(['input.outOfRange', 'input.outOfRange']);
  });
});

describe('gongshu-2021: audit fixes (issue 11)', () => {
  const one = (unit: string, extra: InputsIn) => score(P, unit, { ...perfect(), ...extra });

  it('代办案例 (2分): one increment “每代办案例…加0.2分,累计不超过1分”, no invented direct score', () => {
    const n = (extra: InputsIn) => find(one('全适用单位', extra).nodes, 's1.2.4.3');
    expect(walk(one('全适用单位', {}).nodes).some((x) => x.id === 's1.2.4.3.1')).toBe(false);
    // 3 cases × 0.2 = 0.6; 6 cases × 0.2 = 1.2 → 累计不超过1分 → 1; the other 1 of the (2分) has no rule.
    expect(n({ 's1.2.4.3.2': 3 }).points).toBe(0.6);
    expect(n({ 's1.2.4.3.2': 6 }).points).toBe(1);
    expect(n({ 's1.2.4.3.2': 0 }).points).toBe(0);
  });

  it('“两率” bands are alternatives: both ticked take 3, not 5, and the clerk is told', () => {
    // “进入全省30名至60名的、全市第6名至10名…扣2分。全省60名以后、全市11名以后的…扣3分。”
    // 全省45名 (band 2) and 全市11名 (band 3): the worse band, 5 − 3 = 2.
    const r = one('全适用单位', { 's3.7.2.1': { band2: '是', band3: '是', unhappy: 0, advice: 0 } });
    const n = find(r.nodes, 's3.7.2.1');
    expect(n.points).toBe(2);
    expect(n.explanation.zh).toContain('互斥各项只计扣分最多的一项');
    expect(r.problems.map((p) => [p.code, p.severity, p.path])).toEqual([['input.exclusiveLines', 'warning', 's3.7.2.1#band3']]);
    expect(r.problems[0].message.zh).toContain('只能有一项成立');
    expect(find(one('全适用单位', { 's3.7.2.1': { band2: '是', band3: '否', unhappy: 0, advice: 0 } }).nodes, 's3.7.2.1').points).toBe(3);
  });

  it('收件率 rank bonus “排名前三位,依次加…”, ranked on percentages; the <85% zero-out voids it', () => {
    // Four departments: 96%, 0.9 (= 90%), '90%' typed (= 0.9), 88%. Ranks 1, 2, 2, 4 → +1.5, +1, +1, 0.
    // (A bare 90 in a percent cell is rejected since issue 9: percent inputs hold the fraction, test/engine/golden-issue11.)
    // 认领 s1.2.1.1: A loses 2 (10 items × 0.2): 3 + 5 + 1.5 = 9.5; B 5 + 5 + 1 = 11 → capped at 10.
    // D: 收件率 below 85%? no (88%), rank 4: 10. E: “低于85%的此项不得分” — 80%: 5 + 0 + 0 (bonus voided) = 5.
    const dept = (name: string) => P.units!.push({ name, variant: 'all', tags: ['部门'] });
    ['甲局', '乙局', '丙局', '丁局', '戊局'].forEach(dept);
    const cohort = [
      { unit: '甲局', inputs: { ...perfect(), 's1.2.1.1': 10, 's1.2.1.3': '96%' } },
      { unit: '乙局', inputs: { ...perfect(), 's1.2.1.3': 0.9 } },
      { unit: '丙局', inputs: { ...perfect(), 's1.2.1.3': '90%' } },
      { unit: '丁局', inputs: { ...perfect(), 's1.2.1.3': '88%' } },
      { unit: '戊局', inputs: { ...perfect(), 's1.2.1.2': '是', 's1.2.1.3': '80%' } },
    ];
    const r = scoreCohort(P, cohort);
    const at = (u: string, id: string) => find(r.units.find((x) => x.unit === u)!.nodes, id);
    expect(['甲局', '乙局', '丙局', '丁局', '戊局'].map((u) => at(u, 's1.2.1.3').points)).toEqual([1.5, 1, 1, 0, 0]);
    expect(['甲局', '乙局', '丙局', '丁局', '戊局'].map((u) => at(u, 's1.2.1').points)).toEqual([9.5, 10, 10, 10, 5]);
    expect(at('乙局', 's1.2.1.3').explanation.zh).toBe('事项收件率90%，排名第2，得1分');
    expect(at('戊局', 's1.2.1.3').explanation.zh).toBe('政务服务2.0收件率低于85%，此项不得分，得0分');
    expect(r.units.flatMap((u) => u.problems)).toEqual([]);
    P.units!.splice(P.units!.length - 5, 5);
  });

  it('“亲清D小二” 根据考核情况折算成绩 is converted like 窗口服务 (R24): 4 × 90 / 100 = 3.6', () => {
    const n = find(one('全适用单位', { 's1.2.5.3': { done: 90, of: 100 } }).nodes, 's1.2.5.3');
    expect(n.kind).toBe('proportional');
    expect(n.points).toBe(3.6);
  });

  it('接通率 by level: a level that did not spot-check is left blank — no deduction, and complete', () => {
    const r = one('全适用单位', { 's1.2.5.2': { city: '88%' } });
    expect(r.complete).toBe(true);
    expect(find(r.nodes, 's1.2.5.2').points).toBe(3.6); // 4 − 2 × 0.2
    expect(find(r.nodes, 's1.2.5.2').missing).toEqual([]);
  });

  it('“每发现一起扣1-3分” and 自媒体曝光 “扣2-5分”: one row per case', () => {
    // 窗口服务 ②: two cases, 1 and 1.5 → 3 − 2.5 = 0.5; a third case of 1 → 扣完为止 0.
    expect(find(one('全适用单位', { 's1.2.3.2': { l1: 1, l2: 1.5 } }).nodes, 's1.2.3.2').points).toBe(0.5);
    expect(find(one('全适用单位', { 's1.2.3.2': { l1: 1, l2: 1.5, l3: 1 } }).nodes, 's1.2.3.2').points).toBe(0);
    // 扣分 4: two exposures, 2 and 3 → 5; net 0 − 5 = −5.
    const r = one('全适用单位', { 's4.4': { selfmedia: 2, selfmedia2: 3 } });
    expect(r.problems).toEqual([]);
    expect(r.penalty).toBe(5);
    expect(r.final).toBe(86);
  });

  it('不涉及 under a capped subtotal takes away only what the subtotal loses (2.0工作台 (4分) over 3 + 2)', () => {
    // s2.6.2.2 (2分) 不涉及: 2.0工作台 = min(4, 3) = 3, so the base maximum loses 4 − 3 = 1, not 2.
    // raw = 44 + 36 + 10 = 90; rescaled 90 × 95 / (95 − 1) = 8550 / 94.
    const r = one('全适用单位', { 's2.6.2.2': { city: '不涉及' } });
    expect(r.problems).toEqual([]);
    expect(find(r.nodes, 's2.6.2').points).toBe(3);
    expect(r.base).toBeCloseTo(8550 / 94, 10);
  });

  it('item 6 “6.不重复加减分,累计加减分最高为5分。” is the net cap quote (printed on the 加减分 row)', () => {
    expect(P.policies.netCapQuote).toBe('6.不重复加减分,累计加减分最高为5分。');
  });
});

describe('gongshu-2021: cohort clauses computed by the engine (issue 11)', () => {
  const seedText = existsSync(seed) ? readFileSync(seed, 'utf8').replace(/\s+/g, '') : null;
  const withUnits = <T>(units: { name: string; tags: string[] }[], fn: () => T): T => {
    const n = P.units!.length;
    P.units!.push(...units.map((u) => ({ ...u, variant: 'all' })));
    try { return fn(); } finally { P.units!.splice(n); }
  };

  it('the three clauses are quoted verbatim', () => {
    const quotes: string[] = [];
    walkVariant(V, 0, ({ node }) => { if (node.cohort?.quote) quotes.push(node.cohort.quote); });
    expect(quotes).toEqual([
      '没有进驻大厅的部门按进驻单位最低得分计分',
      '与样本框无关联的部门在平均分基础上下浮1分',
      '最后折算为平均得分,无需提供样本框的样本框的部门在平均分基础上适当下浮。',
    ]);
    if (seedText) for (const q of quotes) expect(seedText).toContain(q.replace(/\s+/g, ''));
  });

  it('“没有进驻大厅的部门按进驻单位最低得分计分”: the lowest converted score of the 进驻单位', () => {
    // 区住建局 90/100 → 2.7; 区发改局 80/100 → 2.4; 区档案局 (部门, not in the hall) → min = 2.4 (区发改局).
    const r = withUnits([{ name: '区档案局', tags: ['部门'] }], () => scoreCohort(P, [
      { unit: '区住建局', inputs: { ...perfect(), 's1.2.3.1': { done: 90, of: 100 } } },
      { unit: '区发改局', inputs: { ...perfect(), 's1.2.3.1': { done: 80, of: 100 } } },
      { unit: '区档案局', inputs: perfect() },
    ]));
    const n = find(r.units.find((u) => u.unit === '区档案局')!.nodes, 's1.2.3.1');
    expect(n.points).toBe(2.4);
    expect(n.explanation.zh).toBe('按进驻单位最低得分计分：最低为区发改局2.4分，得2.4分');
    expect(r.units.flatMap((u) => u.problems)).toEqual([]);
  });

  it('“与样本框无关联的部门在平均分基础上下浮1分”: the others’ mean − 1', () => {
    // 营商环境评价 (5分): 区住建局 rank 5 → 5 − 1 = 4; 区发改局 rank 3, 2 unhappy → 5 − 1 = 4; 米市巷街道 rank 3 → 5.
    // mean = 13 / 3; 区档案局 (与样本框无关联) = 13/3 − 1 = 10/3.
    const r = withUnits([{ name: '区档案局', tags: ['部门'] }, { name: '米市巷街道2', tags: ['街道'] }], () => scoreCohort(P, [
      { unit: '区住建局', inputs: { ...perfect(), 's3.7.1.1': { rank: 5, judged: 0, unhappy: 0, advice: 0 } } },
      { unit: '区发改局', inputs: { ...perfect(), 's3.7.1.1': { rank: 3, judged: 0, unhappy: 2, advice: 0 } } },
      { unit: '米市巷街道2', inputs: { ...perfect(), 's3.7.1.1': { rank: 3, judged: 0, unhappy: 0, advice: 0 } } },
      { unit: '区档案局', inputs: { ...perfect(), 's3.7.1.1': { cohortFor: '是' } } },
    ]));
    const n = find(r.units.find((u) => u.unit === '区档案局')!.nodes, 's3.7.1.1');
    expect(n.points).toBeCloseTo(10 / 3, 12);
    expect(n.complete).toBe(true);
    expect(n.explanation.zh).toBe('其他单位平均分4.3333分（3个单位），下浮1分，得3.3333分');
  });

  it('“无需提供样本框的…部门在平均分基础上适当下浮”: the others’ mean less the 下浮 entered', () => {
    // “两率” (5分): 区住建局 band 2 → 3; 区发改局 no band → 5; mean 4; 区档案局 下浮 0.5 → 3.5.
    const r = withUnits([{ name: '区档案局', tags: ['部门'] }], () => scoreCohort(P, [
      { unit: '区住建局', inputs: { ...perfect(), 's3.7.2.1': { band2: '是', band3: '否', unhappy: 0, advice: 0 } } },
      { unit: '区发改局', inputs: perfect() },
      { unit: '区档案局', inputs: { ...perfect(), 's3.7.2.1': { cohortFor: '是', cohortReduce: 0.5 } } },
    ]));
    expect(find(r.units.find((u) => u.unit === '区档案局')!.nodes, 's3.7.2.1').points).toBe(3.5);
  });
});
