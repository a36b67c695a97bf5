/**
 * 张掖市 第二季度“四办”改革工作考核 (seed 000_9d38926e1ada6648.txt): 附件1 县区, 附件2 市直.
 * Every figure asserted here is written from the document, not read back from the rubric file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadProgram, nodeMax, score, scoreCohort, walkVariant, Dec, type InputsIn, type NodeResult, type Program } from '../../src/engine/index';

const file = new URL('../../rubrics/zhangye-2018q2.yaml', import.meta.url);
const seed = new URL('../../../shared/seeds/000_9d38926e1ada6648.txt', import.meta.url);
const { program, problems } = loadProgram(readFileSync(file, 'utf8'), 'zhangye-2018q2.yaml');
const P = program as Program;

const variant = (id: string) => P.variants.find((v) => v.id === id)!;
const criteria = (id: string) => {
  const out: { id: string; points: number | null; kind: string }[] = [];
  walkVariant(variant(id), 0, ({ node, isCriterion }) => {
    if (isCriterion) out.push({ id: node.id, points: node.points ?? null, kind: node.rule!.kind });
  });
  return out;
};
/** Full marks: every direct criterion at its points, every yes/no 是. */
const perfect = (id: string): InputsIn =>
  Object.fromEntries(criteria(id).map((c) => [c.id, c.kind === 'yesno' ? '是' : c.points!]));
const walk = (nodes: NodeResult[]): NodeResult[] => nodes.flatMap((n) => [n, ...walk(n.children)]);
const find = (nodes: NodeResult[], id: string): NodeResult => {
  const n = walk(nodes).find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};

describe('zhangye-2018q2: the file', () => {
  it('loads without errors; the only warnings are the three 市直 criteria without points', () => {
    expect(program).not.toBeNull();
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    // 市直 推行行政许可标准化及“3550”改革落实情况 items 2–4 carry no （N分）:
    // “此项目只考核工商、国土、建设3个部门” / “此项目只考核发改部门” / “此项目只考核人社、民政、公安、食药、卫生计生部门”
    expect(problems.map((p) => p.code)).toEqual(['rubric.noPointsCriterion', 'rubric.noPointsCriterion', 'rubric.noPointsCriterion']);
    expect(problems.map((p) => p.path)).toEqual([
      'variants[1].sections[1].children[1].children[1]',
      'variants[1].sections[1].children[1].children[2]',
      'variants[1].sections[1].children[1].children[3]',
    ]);
  });

  it('keeps the document’s titles and text verbatim', () => {
    expect(variant('county').title).toBe('第二季度“四办”改革工作考核内容及打分表（县区）');
    expect(variant('city').title).toBe('第二季度“四办”改革工作考核内容及打分表（市直）');
    expect(variant('county').columns.map((c) => c.header)).toEqual(['考核项目', '考核内容', '评分标准', '分值']);
    if (!existsSync(seed)) return; // the seed lives beside the repo in the workspace
    const squash = (s: string) => s.replace(/\s+/g, '');
    const doc = squash(readFileSync(seed, 'utf8'));
    for (const v of P.variants) {
      walkVariant(v, 0, ({ node }) => {
        for (const s of [node.title, node.text]) if (s) expect(doc, `${v.id} ${node.id}`).toContain(squash(s));
      });
    }
  });

  it('has no 不涉及 policy in the document: full (default), clerks may not mark 不涉及', () => {
    expect(P.policies.notApplicable.policy).toBe('full');
    expect(P.policies.notApplicable.clerkMayMark).toBe(false);
    expect(P.policies.conversion).toBeUndefined();
  });
});

describe('zhangye-2018q2: 县区 (附件1)', () => {
  it('maximum 100 = 组织领导 10 + 工作落实 85 + 宣传调研 5; no bonus/penalty; 20 criteria', () => {
    // 分值 column: “10” (组织领导), “85” (工作落实), “5” (宣传调研).
    const v = variant('county');
    const max = v.sections.filter((s) => (s.role ?? 'base') === 'base').reduce((a, s) => a.plus(nodeMax(P, s)!), new Dec(0));
    expect(max.toNumber()).toBe(100);
    expect(v.sections.filter((s) => s.role === 'bonus' || s.role === 'penalty')).toEqual([]);
    // 组织领导 3 items; 工作落实 2+1+2+2+3+1+2+2 = 15 items; 宣传调研 2 items.
    expect(criteria('county')).toHaveLength(20);
    // The items' own （N分）: 3+2+5 = 10; 5+5 + 10 + 3+2 + 3+2 + 5+5+5 + 5 + 10+10 + 8+7 = 85; 3+2 = 5.
    const sum = (ids: string[]) => criteria('county').filter((c) => ids.some((p) => c.id.startsWith(p))).reduce((a, c) => a + c.points!, 0);
    expect([sum(['s1.']), sum(['s2.']), sum(['s3.'])]).toEqual([10, 85, 5]);
    // Every item: “（N分）” with no partial rule → direct, 0..N; the document states no step, so none is set.
    expect(new Set(criteria('county').map((c) => c.kind))).toEqual(new Set(['direct']));
    for (const v of P.variants) walkVariant(v, 0, ({ node }) => expect((node.rule as { step?: number } | undefined)?.step, node.id).toBeUndefined());
  });

  it('perfect inputs give 100; blank inputs are incomplete', () => {
    const r = score(P, '甘州区', perfect('county'));
    expect(r.problems).toEqual([]);
    expect(r.complete).toBe(true);
    expect(r.final).toBe(100);
    expect(find(r.nodes, 's2').raw).toBe(85);
    const blank = score(P, '甘州区', {});
    expect(blank.complete).toBe(false);
    expect(blank.missing).toBe(20);
  });

  it('worked example: 甘州区 with four findings', () => {
    // Findings, in the document's words:
    //  s2.1.1 “梳理完成“网上办理”事项清单，通过一定形式向社会公布” — list done but not published: 3 of 5
    //  s2.5.1 “政务大厅行政许可事项和公共服务事项入驻率达90%以上” — not reached: 3.5 of 5
    //  s2.7.2 “抽取1－2个乡镇和村，现场查看为民服务情况” — one 代办点 incomplete: 7.5 of 10
    //  s3.2   “形成有份量、有深度、有影响的调研报告” — none: 0 of 2
    // 组织领导 3+2+5 = 10
    // 工作落实 (5+5 → 3+5 = 8) + 10 + 5 + 5 + (5+5+5 → 3.5+5+5 = 13.5) + 5 + (10+10 → 10+7.5 = 17.5) + 15 = 79
    // 宣传调研 3 + 0 = 3
    // final = 10 + 79 + 3 = 92
    const inputs = { ...perfect('county'), 's2.1.1': 3, 's2.5.1': '3.5', 's2.7.2': 7.5, 's3.2': '0' };
    const r = score(P, '甘州区', inputs);
    expect(r.problems).toEqual([]);
    expect(r.complete).toBe(true);
    expect(find(r.nodes, 's1').points).toBe(10);
    expect(find(r.nodes, 's2.1').points).toBe(8);
    expect(find(r.nodes, 's2.5').points).toBe(13.5);
    expect(find(r.nodes, 's2.7').points).toBe(17.5);
    expect(find(r.nodes, 's2').points).toBe(79);
    expect(find(r.nodes, 's3').points).toBe(3);
    expect(r.base).toBe(92);
    expect(r.final).toBe(92);
    expect(r.converted).toBeNull();
    expect(find(r.nodes, 's2.5.1').explanation.zh).toContain('评定3.5分');
    expect(find(r.nodes, 's2.7').explanation.zh).toContain('小计17.5分');
  });

  it('R1: a score above the item’s points is an input problem; 1.3 (no step in the document) is accepted', () => {
    const r = score(P, '甘州区', { ...perfect('county'), 's1.1.1': 4, 's1.1.2': 1.2 });
    expect(r.problems.map((p) => p.code)).toEqual(['input.outOfRange']);
    // “（2分）” and nothing else: 1.3 is a legitimate judgement. 3 + 2 + 5 → 3 + 1.3 + 5 in 组织领导.
    const ok = score(P, '甘州区', { ...perfect('county'), 's1.1.2': 1.3 });
    expect(ok.problems).toEqual([]);
    expect(find(ok.nodes, 's1').points).toBe(9.3);
    expect(ok.final).toBe(99.3);
  });
});

describe('zhangye-2018q2: 市直 (附件2)', () => {
  it('maximum 100 = 10 + 85 + 5; no bonus/penalty; 19 criteria of which 3 without points', () => {
    const v = variant('city');
    const max = v.sections.filter((s) => (s.role ?? 'base') === 'base').reduce((a, s) => a.plus(nodeMax(P, s)!), new Dec(0));
    expect(max.toNumber()).toBe(100);
    expect(v.sections.filter((s) => s.role === 'bonus' || s.role === 'penalty')).toEqual([]);
    // 组织领导 3; 工作落实 2 + 4 + 2 + 3 + 1 + 2 = 14; 宣传调研 2.
    const cs = criteria('city');
    expect(cs).toHaveLength(19);
    expect(cs.filter((c) => c.points === null).map((c) => c.id)).toEqual(['s2.2.2', 's2.2.3', 's2.2.4']);
    // 工作落实: 10+10 + 10 + 5+5 + 5+5+5 + 10 + 10+10 = 85 (items 2–4 have no points).
    const sum = (p: string) => cs.filter((c) => c.id.startsWith(p)).reduce((a, c) => a + (c.points ?? 0), 0);
    expect([sum('s1.'), sum('s2.'), sum('s3.')]).toEqual([10, 85, 5]);
  });

  it('items 2–4 concern only the departments they name, by tag (any unit name matches)', () => {
    const byId = new Map<string, { tags?: string[]; units?: string[] } | undefined>();
    walkVariant(variant('city'), 1, ({ node }) => byId.set(node.id, node.appliesTo));
    // “此项目只考核工商、国土、建设3个部门”
    expect(byId.get('s2.2.2')).toEqual({ tags: ['工商', '国土', '建设'] });
    // “此项目只考核发改部门”
    expect(byId.get('s2.2.3')).toEqual({ tags: ['发改'] });
    // “此项目只考核人社、民政、公安、食药、卫生计生部门”
    expect(byId.get('s2.2.4')).toEqual({ tags: ['人社', '民政', '公安', '食药', '卫生计生'] });
    // 注: the nine departments “单独制定考核分值” are not governed by this table: none is listed, the clerk names the units.
    expect(P.units!.filter((u) => u.variant === 'city')).toEqual([]);
    expect(variant('city').notes!.join('')).toContain('单独制定考核分值');
    expect(variant('city').footnotes).toEqual(['注：按照《张掖市人民政府办公室关于做好第二季度“一窗办一网办简化办马上办”改革相关工作的通知》（张政办发〔2018〕63号），工商、国土、建设、发改、人社、民政、公安、食药、卫生计生部门单独制定考核分值。']);
    // A unit named as the clerk knows it matches by its tag.
    const r = scoreCohort(P, [
      { unit: '市住建局', variant: 'city', tags: ['建设'], inputs: {} },
      { unit: '张掖市工商行政管理局', variant: 'city', tags: ['工商'], inputs: {} },
      { unit: '市财政局', variant: 'city', inputs: {} },
    ]);
    expect(r.units.map((u) => find(u.nodes, 's2.2.2').applicable)).toEqual([true, true, false]);
  });

  it('perfect inputs give 100 for a named department and for any other 市直 unit; blank is incomplete', () => {
    const units = [{ unit: '市工商局', tags: ['工商'] }, { unit: '市发改委', tags: ['发改'] }, { unit: '市卫计委', tags: ['卫生计生'] }, { unit: '市财政局', tags: [] }];
    for (const { unit: name, tags } of units) {
      const unit = { name };
      const r = scoreCohort(P, [{ unit: name, variant: 'city', tags, inputs: perfect('city') }]).units[0];
      expect(r.problems, unit.name).toEqual([]);
      expect(r.complete, unit.name).toBe(true);
      expect(r.final, unit.name).toBe(100);
      expect(find(r.nodes, 's2').raw, unit.name).toBe(85);
    }
    const blank = scoreCohort(P, [{ unit: '市工商局', variant: 'city', tags: ['工商'], inputs: {} }]).units[0];
    expect(blank.complete).toBe(false);
    expect(blank.missing).toBe(17); // 16 pointed items + item 2 (工商); items 3 and 4 do not concern 工商
    expect(score(P, { name: '市财政局', variant: 'city' }, {}).missing).toBe(16);
  });

  it('worked example: 市工商局 with three findings', () => {
    // s2.1.2 “对照市级行政许可事项目录，及时调整更新本部门、本单位相关内容” — late update: 8 of 10
    // s2.5   “开通本部门、本单位政务服务“两微一端”（微信、微博、移动客户端）” — only 微信: 6 of 10
    // s2.2.2 “工商、国土、建设部门制定“3550”改革具体方案，并组织实施” — done (是), no points in the document: 0
    // s2.2.3 (发改 only) and s2.2.4 (人社…卫生计生 only) do not concern 工商: 0, 本项不考核本单位
    // 组织领导 10; 工作落实 (10+8) + 10 + 10 + 15 + 6 + 20 = 79; 宣传调研 5
    // final = 10 + 79 + 5 = 94
    const inputs = { ...perfect('city'), 's2.1.2': 8, 's2.5': 6, 's2.2.2': '是' };
    const r = scoreCohort(P, [{ unit: '市工商局', variant: 'city', tags: ['工商'], inputs }]).units[0];
    expect(r.problems).toEqual([]);
    expect(r.complete).toBe(true);
    expect(find(r.nodes, 's2.1').points).toBe(18);
    expect(find(r.nodes, 's2.2').points).toBe(10);
    expect(find(r.nodes, 's2.5').points).toBe(6);
    expect(find(r.nodes, 's2').points).toBe(79);
    expect(r.final).toBe(94);
    const i2 = find(r.nodes, 's2.2.2');
    expect(i2.points).toBe(0);
    expect(i2.explanation.zh).toBe('是否制定“3550”改革具体方案并组织实施：是，得0分');
    const i3 = find(r.nodes, 's2.2.3');
    expect(i3.applicable).toBe(false);
    expect(i3.points).toBe(0);
    expect(i3.explanation.zh).toContain('本项不考核本单位');
  });
});
