/**
 * Golden readings, one or more per phrase family of the rule catalog, each with the seed quote it
 * came from (../shared/seeds/<file>: the quote is copied here so the test runs without the seeds).
 * A rule is compared by its numeric content (kind, rates, targets, tiers, caps); every line's text
 * must be a verbatim piece of the quote, and every reading carries its span.
 */
import { describe, expect, it } from 'vitest';
import { readRule, type RuleContext } from '../../src/import/grammar';
import { ruleSignature } from '../../src/import/compare';
import { toNumber } from '../../src/import/numbers';

const base = (points?: number): RuleContext => ({ points, role: 'base' });
const sig = (o: object): string => ruleSignature(o as never, undefined);

interface Golden {
  family: string;
  seed: string;
  quote: string;
  ctx: RuleContext;
  rule: object;
  confidence: 'high' | 'medium' | 'low';
}

const GOLDENS: Golden[] = [
  { family: '每次…扣N分 (R4)', seed: '001', quote: '2、台面、柜内物品摆放整齐，柜台内外办公区域环境卫生保持整洁，日常巡查违反此规定，每次扣0.5分。', ctx: base(2), rule: { kind: 'deduct', start: 2, lines: [{ type: 'count', rate: 0.5 }] }, confidence: 'high' },
  { family: '每件次扣N分 (R4)', seed: '003', quote: '未及时回应的，每件次扣2分。', ctx: base(3), rule: { kind: 'deduct', start: 3, lines: [{ type: 'count', rate: 2 }] }, confidence: 'high' },
  { family: '每有一人/每次 … 扣完为止 (R4/R5)', seed: '001', quote: '2.窗口工作人员中出现全年考勤次数低于总数1/2的，每有一人扣1分；窗口工作人员违反中心制度或工作纪律被发现的，每次扣1分，扣完为止。', ctx: base(3), rule: { kind: 'deduct', start: 3, lines: [{ type: 'count', rate: 1 }, { type: 'count', rate: 1 }] }, confidence: 'high' },
  { family: '缺1项扣N分，扣完为止 (R4)', seed: '001', quote: '1.所有审批服务事项已纳入网上审批系统，缺1项扣0.5分，扣完为止', ctx: base(5), rule: { kind: 'deduct', start: 5, lines: [{ type: 'count', rate: 0.5 }] }, confidence: 'high' },
  { family: '扣N分/项 (R4)', seed: '004', quote: '目录事项有未及时接入全市“一窗受理”平台实现网上联办的扣0.5分/项', ctx: base(3), rule: { kind: 'deduct', start: 3, lines: [{ type: 'count', rate: 0.5 }] }, confidence: 'high' },
  { family: '每延迟一天扣N分 (R4)', seed: '004', quote: '按省市要求按时完成规范中介事项清单目录工作,未按时完成的,每延迟一天扣0.1分;对存在超出目录范围的中介服务事项,每发现一起扣0.2分,扣完为止。(1分)', ctx: base(1), rule: { kind: 'deduct', start: 1, lines: [{ type: 'count', rate: 0.1 }, { type: 'count', rate: 0.2 }] }, confidence: 'high' },
  { family: '未…的扣N分, several clauses (R5)', seed: '003', quote: '未制定方案的扣0.5分，未明确领导机构的扣0.5分，其他保障措施不到位的，每缺一项扣0.5分。', ctx: base(2), rule: { kind: 'deduct', start: 2, lines: [{ type: 'flag', amount: 0.5 }, { type: 'flag', amount: 0.5 }, { type: 'count', rate: 0.5 }] }, confidence: 'high' },
  { family: '扣N without 分 (R5)', seed: '003', quote: '未专题研究的扣1未列入分工的扣1分工未在政府网站公开的扣1', ctx: base(3), rule: { kind: 'deduct', start: 3, lines: [{ type: 'flag', amount: 1 }, { type: 'flag', amount: 1 }, { type: 'flag', amount: 1 }] }, confidence: 'medium' },
  { family: '最高扣N分, 按比例扣分 (R6)', seed: '001', quote: '1、实现自建系统数据全部上行至网上政务服务平台，不扣分，未实现数据上行，未互通事项按比例扣分，最高扣5分。', ctx: { role: 'penalty' }, rule: { kind: 'tally', verb: 'deduct', lines: [{ type: 'ratio', rate: 5, cap: 5 }] }, confidence: 'high' },
  { family: '此项不记分 (R7)', seed: '001', quote: '4、受到群众投诉的每次扣1分，因未提供文明耐心服务、主观原因导致办件延期等现象引起服务对象投诉并查证属实的，此项不记分。', ctx: base(4), rule: { kind: 'deduct', start: 4, lines: [{ type: 'count', rate: 1 }, { type: 'zero' }] }, confidence: 'high' },
  { family: '此项不得分 (R7)', seed: '004', quote: '通过预约、轮休等办法,为群众和企业办事提供错时、延时服务受理、办理通道。未提供错时或延时服务的此项不得分。(2分)', ctx: base(2), rule: { kind: 'deduct', start: 2, lines: [{ type: 'zero' }] }, confidence: 'high' },
  { family: '按进驻比例记分 (R8)', seed: '001', quote: '县直部门审批服务事项全部进驻记3分，进驻不完全的按照进驻比例记分。', ctx: base(3), rule: { kind: 'proportional', input: 'pair', done: 'field', of: 'field' }, confidence: 'high' },
  { family: '根据实际进度记分 (R8)', seed: '001', quote: '2、根据台帐任务分解，完成记5分，未完成不记分，部分完成根据实际进度记分。', ctx: base(5), rule: { kind: 'proportional', input: 'ratio', done: 'field' }, confidence: 'medium' },
  { family: 'N%以上记M分, 以上 includes (R9)', seed: '001', quote: '2.单位河南政务服务网成绩单网上可办率70%以上记1分，90%以上记4分。', ctx: base(4), rule: { kind: 'tiers', input: { type: 'percent' }, tiers: [{ min: 0.7, points: 1 }, { min: 0.9, points: 4 }], else: 0 }, confidence: 'high' },
  { family: '低于N%不记分, a gap is flagged (R9)', seed: '001', quote: '3.随机走访群众，群众满意度达90%以上的记4分，80%以上的记2分，低于60%不记分。', ctx: base(4), rule: { kind: 'tiers', input: { type: 'percent' }, tiers: [{ min: 0.6, points: 0 }, { min: 0.8, points: 2 }, { min: 0.9, points: 4 }], else: 0 }, confidence: 'low' },
  { family: '50—100平方米5分 ranges (R9)', seed: '001', quote: '1.实体政务大厅所面积能够满足服务需求，50—100平方米的记5分，100—150平方米的记8分，150—190平方米的计10分；200平方米以上记15分', ctx: base(15), rule: { kind: 'tiers', input: { type: 'number' }, tiers: [{ min: 50, points: 5 }, { min: 100, points: 8 }, { min: 150, points: 10 }, { min: 200, points: 15 }], else: 0 }, confidence: 'low' },
  { family: '少于N条的每少一条扣M分 (R10)', seed: '003', quote: '信息报送少于12条的，每少一条扣1分；其他相关情况报送不及时的，每次扣1分。', ctx: base(5), rule: { kind: 'deduct', start: 5, lines: [{ type: 'shortfall', target: 12, rate: 1, per: 1 }, { type: 'count', rate: 1 }] }, confidence: 'high' },
  { family: '每低1个百分点扣N分 by level (R10/R11)', seed: '004', quote: '咨询电话接通率。各部门严格落实咨询电话接听AB岗,实现接通率90%以上。被区级组织抽查到接通率不足90%的,每低1个百分点扣 0.1 分,被市级抽查到每低1个百分点扣 0.2 分。被省级抽查到每低1个百分点扣 0.3 分。(4分)', ctx: base(4), rule: { kind: 'deduct', start: 4, lines: [0.1, 0.2, 0.3].map((rate) => ({ type: 'shortfall', target: 0.9, rate, per: 0.01, input: 'percent' })) }, confidence: 'medium' },
  { family: '每承担1项记1分，5分封顶 (R12)', seed: '001', quote: '1、根据台帐任务分工，单位每承担1项改革任务记1分，5分封顶', ctx: base(5), rule: { kind: 'tally', verb: 'add', cap: 5, lines: [{ type: 'count', rate: 1 }] }, confidence: 'high' },
  { family: '累计不超过N分 (R12)', seed: '004', quote: '每代办案例被区级(含)以上媒体录用且告知区审管办的加0.2分,累计不超过1分。', ctx: base(1), rule: { kind: 'tally', verb: 'add', cap: 1, lines: [{ type: 'count', rate: 0.2 }] }, confidence: 'high' },
  { family: '有得N分，无扣M分 (R2)', seed: '001', quote: '成立有领导小组记2分，未成立扣 2分', ctx: base(2), rule: { kind: 'yesno', yes: 2, no: 0 }, confidence: 'medium' },
  { family: '的记N分，…不记分 (R2)', seed: '001', quote: '2.网上办事大厅建设情况：网上办事大厅能够在线申报的记5分，不能申报的不记分。', ctx: base(5), rule: { kind: 'yesno', yes: 5, no: 0 }, confidence: 'high' },
  { family: '记N分 (R2)', seed: '001', quote: '4.为办事群众提供寄递服务，记4分。', ctx: base(4), rule: { kind: 'yesno', yes: 4, no: 0 }, confidence: 'high' },
  { family: '的记10分，…的记5分 (R3)', seed: '001', quote: '1.单位已整体接入电子政务外网或所有业务科室均已接入的记10分，单机接入的记5分。', ctx: base(10), rule: { kind: 'choice', options: [{ points: 10 }, { points: 10 }, { points: 5 }, { points: 0 }], else: 0 }, confidence: 'medium' },
  { family: '酌情给分 (R1)', seed: '001', quote: '进驻大厅审批服务事项已开展“一窗受理”的记2分，一窗受理不完全的，酌情给分，未开展不记分。', ctx: base(2), rule: { kind: 'direct', min: 0, max: 2 }, confidence: 'high' },
  { family: '每发现一起扣1-3分 (R26)', seed: '004', quote: '因落实不到位发生投诉或被媒体曝光的,每发现一起扣1-3分。(3分)', ctx: base(3), rule: { kind: 'deduct', start: 3, lines: [1, 2, 3].map(() => ({ type: 'amount', min: 1, max: 3 })) }, confidence: 'high' },
  { family: '视情扣0.5-3分 (R26)', seed: '004', quote: '5.未按区审管办的工作要求落实的,视情扣0.5-3分。', ctx: { role: 'penalty' }, rule: { kind: 'tally', verb: 'deduct', lines: [{ type: 'amount', min: 0.5, max: 3 }] }, confidence: 'high' },
  { family: '被…曝光…扣2-5分 without 每起 (R26)', seed: '004', quote: '4.被国务院大督查和省市改革督察发现问题的,直接扣5分,区级督查发现问题的扣2分;被各新闻媒体曝光批评的,直接扣3分;被各自媒体等曝光,情况属实,根据造成的不良影响扣2-5分。每出现1例被省、市通报批评的案例或事件扣2分。', ctx: { role: 'penalty' }, rule: { kind: 'tally', verb: 'deduct', lines: [{ type: 'flag', amount: 5 }, { type: 'flag', amount: 2 }, { type: 'flag', amount: 3 }, { type: 'amount', min: 2, max: 5 }, { type: 'count', rate: 2 }] }, confidence: 'medium' },
  { family: '未…的扣X分，…不及时的扣Y分: exclusive pairs (R5)', seed: '003', quote: '未公开指南的扣1.5分，更新不及时的扣1　分；未公开年报的扣1.5分，公开不及时的扣1分。', ctx: base(3), rule: { kind: 'deduct', start: 3, lines: [{ type: 'flag', amount: 1.5, oneOf: 'a' }, { type: 'flag', amount: 1, oneOf: 'a' }, { type: 'flag', amount: 1.5, oneOf: 'b' }, { type: 'flag', amount: 1, oneOf: 'b' }] }, confidence: 'high' },
  { family: '未成立…扣2分，未及时调整…扣1分: exclusive, the third independent (R5)', seed: '003', quote: '未成立政务公开政务服务领导小组的扣2分，未及时调整政务公开领导机构的扣1分，无管理机构的扣1分，。', ctx: base(4), rule: { kind: 'deduct', start: 4, lines: [{ type: 'flag', amount: 2, oneOf: 'x' }, { type: 'flag', amount: 1, oneOf: 'x' }, { type: 'flag', amount: 1 }] }, confidence: 'high' },
  { family: '未…扣N分(the whole points)，…不全面的扣M分: no group needed (R5)', seed: '003', quote: '未实施数据对接的扣2分，对接不全面的扣1分。', ctx: base(2), rule: { kind: 'deduct', start: 2, lines: [{ type: 'flag', amount: 2 }, { type: 'flag', amount: 1 }] }, confidence: 'high' },
  { family: '记N分，1项有误扣M分，扣完为止: deducted from N (R4)', seed: '001', quote: '3、事项要素（所需材料、时限、流程、电话、地址等）准确无误，记2分，1项有误扣0.5分，扣完为止。随机抽取两个事项。', ctx: base(2), rule: { kind: 'deduct', start: 2, lines: [{ type: 'count', rate: 0.5 }] }, confidence: 'high' },
  { family: 'one requirement, no rule → 是/否, 需确认 (R2)', seed: '001', quote: '1.综合审批股按要求进驻服务大厅。', ctx: base(5), rule: { kind: 'yesno', yes: 5, no: 0 }, confidence: 'medium' },
  { family: '按排名记分 (R13)', seed: '001', quote: '3.政务服务网上审批办理情况，根据各单位年度累计办件量排名，按排名记分。', ctx: base(20), rule: { kind: 'rank', input: {}, order: 'desc', step: { first: 20, per: 1, min: 0 }, else: 0 }, confidence: 'low' },
  { family: '每次加N分 in a bonus section (R14/R18)', seed: '003', quote: '受到省、地级表扬推介的每次加2分，市级加1分。', ctx: { role: 'bonus' }, rule: { kind: 'tally', verb: 'add', lines: [{ type: 'count', rate: 2 }, { type: 'count', rate: 1 }] }, confidence: 'medium' },
  { family: '分别得分3分、2分、1分 … 取最高分 (R16)', seed: '004', quote: '2.领导批示表彰加分。省部级、市级、区级主要领导批示表彰分别得分3分、2分、1分,最高不超过5分(同一事项批示取最高分)。', ctx: { points: 5, role: 'bonus' }, rule: { kind: 'best', cap: 5, options: [{ points: 3 }, { points: 2 }, { points: 1 }] }, confidence: 'low' },
  { family: '折算 (R24)', seed: '004', quote: '强化政务服务数字化改革,加强窗口规范化管理。进驻行政服务中心的窗口单位按年度考核成绩相应折算后按一定比例计分,没有进驻大厅的部门按进驻单位最低得分计分,街道服务中心的政务服务工作按相应比例折算。(3分)', ctx: base(3), rule: { kind: 'proportional', input: 'pair', done: 'field', of: 'field' }, confidence: 'low' },
  { family: 'full-width digits', seed: '(own)', quote: '查会议记录，每缺一次扣０．５分，扣完为止', ctx: base(2), rule: { kind: 'deduct', start: 2, lines: [{ type: 'count', rate: 0.5 }] }, confidence: 'high' },
  { family: 'Chinese numerals', seed: '(own)', quote: '每发现一起扣两分，扣完为止', ctx: base(4), rule: { kind: 'deduct', start: 4, lines: [{ type: 'count', rate: 2 }] }, confidence: 'high' },
  { family: 'only the requirement and （N分） (R1)', seed: '000', quote: '1.梳理完成“网上办理”事项清单，通过一定形式向社会公布，提供相关文件资料，查看梳理文件和向社会公开情况（5分）。', ctx: base(5), rule: { kind: 'direct', min: 0, max: 5 }, confidence: 'high' },
  { family: 'not understood → direct, 需确认', seed: '(own)', quote: '未完成的每项扣分，扣完为止（3分）', ctx: base(3), rule: { kind: 'direct', min: 0, max: 3 }, confidence: 'low' },
];

describe('rule grammar goldens', () => {
  for (const g of GOLDENS) {
    it(`${g.family} — ${g.seed}: ${g.quote.slice(0, 30)}…`, () => {
      const r = readRule(g.quote, g.ctx);
      const expected = { ...g.rule } as Record<string, unknown>;
      expect(ruleSignature(r.rule, g.ctx.points)).toBe(ruleSignature(expected as never, g.ctx.points));
      expect(r.confidence).toBe(g.confidence);
      if (g.confidence !== 'high') expect(r.confirm.length).toBeGreaterThan(0);
      else expect(r.confirm).toEqual([]);
      for (const l of ((r.rule as { lines?: { text?: string }[] }).lines ?? [])) if (l.text) expect(g.quote).toContain(l.text);
      for (const x of r.readings) expect(g.quote.slice(x.span[0], x.span[1])).toBe(x.quote);
    });
  }

  it('reads numbers as documents write them', () => {
    expect([toNumber('两'), toNumber('十二'), toNumber('三分之一'), toNumber('1/2'), toNumber('0.5'), toNumber('半')]).toEqual([2, 12, 1 / 3, 0.5, 0.5, 0.5]);
  });

  it('keeps the verbatim words of each clause as its line text', () => {
    const r = readRule('未开展业务培训的扣1分，未按要求选派人员跟班学习的扣1分。', base(2));
    expect((r.rule as { lines: { text: string; label: string }[] }).lines.map((l) => [l.text, l.label])).toEqual([
      ['未开展业务培训的扣1分', '未开展业务培训'],
      ['未按要求选派人员跟班学习的扣1分', '未按要求选派人员跟班学习'],
    ]);
  });
  it('numbers the rows of 每发现一起扣1-3分 by case, those after the first optional (blank: no case)', () => {
    const r = readRule('因落实不到位发生投诉或被媒体曝光的,每发现一起扣1-3分。(3分)', base(3));
    const lines = (r.rule as { lines: { label: string; optional?: boolean; step?: number }[] }).lines;
    expect(lines.map((l) => [l.label.slice(0, 3), !!l.optional, l.step])).toEqual([['第1起', false, undefined], ['第2起', true, undefined], ['第3起', true, undefined]]);
  });

  it('leaves a level that did not spot-check blank (被区级/市级/省级抽查到…: optional shortfall lines)', () => {
    const r = readRule('被区级组织抽查到接通率不足90%的,每低1个百分点扣 0.1 分,被市级抽查到每低1个百分点扣 0.2 分。(4分)', base(4));
    expect((r.rule as { lines: { optional?: boolean; label: string }[] }).lines.map((l) => [!!l.optional, l.label.endsWith('（未抽查的留空）')])).toEqual([[true, true], [true, true]]);
    expect((readRule('信息报送少于12条的，每少一条扣1分。', base(5)).rule as { lines: { optional?: boolean }[] }).lines[0].optional).toBeUndefined();
  });

  it('reads 排名前三位,依次加… as a criterion of its own, voided by the text\'s 此项不得分', () => {
    const quote = '积极引导群众、企业通过 2.0 办事,提高收件率。10月底前,实现85%以上依申请政务服务事项“一网通办”,事项收件率排名前三位,依次加0.5分、1分、1.5分。政务服务2.0收件率低于85%的此项不得分。(5分)';
    const r = readRule(quote, base(5));
    expect(ruleSignature(r.rule, 5)).toBe(ruleSignature({ kind: 'deduct', lines: [{ type: 'zero', voids: ['#split1'] }] } as never, 5));
    expect(r.split?.map((s) => s.text)).toEqual(['事项收件率排名前三位,依次加0.5分、1分、1.5分。']);
    const bonus = r.split![0].reading;
    // rising amounts are read so that a better place never earns less — a choice, so 需确认
    expect(bonus.rule).toEqual({ kind: 'rank', input: { label: '事项收件率', type: 'percent' }, order: 'desc', table: [{ upTo: 1, points: 1.5 }, { upTo: 2, points: 1 }, { upTo: 3, points: 0.5 }] });
    expect(bonus.confidence).toBe('medium');
    expect(bonus.confirm.join()).toContain('第1名1.5分');
    expect(r.confidence).toBe('high');
  });

  it('reads cohort clauses (按…最低得分计分, 在平均分基础上下浮1分 / 适当下浮), always 需确认', () => {
    const min = readRule('进驻行政服务中心的窗口单位按年度考核成绩相应折算后按一定比例计分,没有进驻大厅的部门按进驻单位最低得分计分。(3分)', base(3));
    expect(min.cohort).toEqual({ stat: 'min', for: { flag: '没有进驻大厅的部门' }, quote: '没有进驻大厅的部门按进驻单位最低得分计分' });
    expect(min.confirm.join()).toContain('最低分');
    const mean = readRule('样本中反馈不满意或有问题的,每条扣0.5分。与样本框无关联的部门在平均分基础上下浮1分。(5分)', base(5));
    expect(mean.cohort).toEqual({ stat: 'mean', for: { flag: '与样本框无关联的部门' }, offset: 1, quote: '与样本框无关联的部门在平均分基础上下浮1分' });
    expect(mean.confidence).toBe('medium');
    expect(ruleSignature(mean.rule, 5)).toBe(ruleSignature({ kind: 'deduct', lines: [{ type: 'count', rate: 0.5 }] } as never, 5));
    const reduce = readRule('明确有不满意的,一条扣0.5分。最后折算为平均得分,无需提供样本框的部门在平均分基础上适当下浮。(5分)', base(5));
    expect(reduce.cohort).toEqual({ stat: 'mean', for: { flag: '无需提供样本框的部门' }, reduce: { label: '适当下浮分值', max: 5 }, quote: '无需提供样本框的部门在平均分基础上适当下浮' });
  });
  void sig;
});
