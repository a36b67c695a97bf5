/**
 * Rules from their own words: a pattern grammar (not a model) for the phrasings of the rule catalog
 * (../shared/design/rule-catalog.md). Each pattern that matches is a reading with the span of text it
 * came from; the readings of one criterion decide its kind. Text with scoring words no pattern
 * explains, and every reading that needed a choice the text does not make, lowers the confidence
 * and flags the criterion 需确认 — the rule is never a guess presented as certain.
 */
import type { Rule } from '../engine';
import { fold, NUM, toNumber } from './numbers';

export type Confidence = 'high' | 'medium' | 'low';

export interface Reading {
  /** The phrase family that matched (golden tests are per family). */
  family: string;
  /** [start, end) in the criterion's text, and the text itself (verbatim). */
  span: [number, number];
  quote: string;
  confidence: Confidence;
  /** Why it is not certain (zh), when it is not. */
  why?: string;
}

export interface RuleReading {
  rule: Rule;
  readings: Reading[];
  confidence: Confidence;
  /** zh-CN reasons the clerk must confirm the rule (empty when confidence is high). */
  confirm: string[];
  /**
   * Criteria of their own inside this text (排名前三位,依次加…): the words, verbatim, and their reading.
   * A zero line of this text that says 此项不得分 voids them (`voids: ['#split1']`, resolved to ids by program.ts).
   */
  split?: { text: string; reading: RuleReading }[];
  /** 按…最低得分计分 / 在平均分基础上下浮: the criterion's cohort clause. */
  cohort?: CohortReading;
}

/** A cohort clause as the rubric format writes it (src/engine/schema.ts Cohort); `for` by a per-unit flag. */
export interface CohortReading {
  stat: 'min' | 'mean';
  for: { flag: string };
  offset?: number;
  reduce?: { label: string; max?: number };
  quote: string;
}

/** Placeholder in `voids` for the k-th split criterion (1-based) of the same text. */
export const SPLIT_REF = '#split';

export interface RuleContext {
  /** The criterion's points, when known. */
  points?: number;
  /** The section's role. */
  role: 'base' | 'bonus' | 'penalty';
  /** The table's deduction column says 倒扣分/扣完为止 (every criterion starts full). */
  deductive?: boolean;
  /** The 分值 cell says 扣分项: the criterion takes points off its section. */
  subtract?: boolean;
  /** The criterion's title and 考核内容 (a target such as 不少于4次 may stand there). */
  context?: string;
}

type Line = Record<string, unknown> & { type: string };

interface Atom {
  family: string;
  start: number;
  end: number;
  verb?: 'add' | 'deduct';
  line?: Line;
  tier?: { min: number; points: number; pct: boolean; above?: boolean; to?: number };
  cap?: number;
  lineCap?: number;
  yes?: number;
  option?: { label: string; points: number };
  options?: { label: string; points: number }[];
  /** A range taken per case (每发现一起扣1-3分): the unit of a case. */
  perCase?: string;
  cohort?: CohortReading;
  /** 排名前三位,依次加…: a rank bonus read as its own criterion. */
  rankBonus?: { figure: string; points: number[] };
  confidence: Confidence;
  why?: string;
}

const N = NUM;
const num = (s: string): number => toNumber(s) ?? NaN;
const UNIT = '(?:件次|个百分点|个月|次|项|件|起|例|条|人|处|个|天|篇|家|名|位|户|份|批|张)';

/** Every match of `re` (global) in `t`, as [match, index]. */
function all(re: RegExp, t: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    out.push(m);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/** Where the clause holding position i starts (after the last ，；。 before it). */
function clauseStart(t: string, i: number): number {
  let s = i;
  while (s > 0 && !/[，,；;。:：\n]/.test(t[s - 1])) s--;
  return s;
}

function overlaps(a: Atom, s: number, e: number): boolean {
  return a.start < e && s < a.end;
}

/** Read the atoms of a criterion's text, left to right, longest pattern first. */
function atoms(text: string): Atom[] {
  const t = fold(text);
  const out: Atom[] = [];
  const take = (a: Atom): void => {
    if (out.some((b) => overlaps(b, a.start, a.end))) return;
    out.push(a);
  };
  // 窗口工作人员中出现…的，每有一人扣1分: the clause before 每 says what is counted
  const countStart = (i: number): number => {
    const s = clauseStart(t, i);
    if (/^\s*(每|此项|该项|本项)/.test(t.slice(s, i + 2)) && s > 0 && /[，,:：]/.test(t[s - 1])) {
      const p = clauseStart(t, s - 1);
      if (!/[扣加记得]\s*\d/.test(t.slice(p, s - 1)) && !out.some((b) => overlaps(b, p, s))) return p;
    }
    return s;
  };
  // R26 a range the assessor decides within: 视情扣0.5-3分, 每发现一起扣1-3分, 扣2-5分
  for (const m of all(new RegExp(`(视情|酌情)?(扣|加)\\s*(${N})\\s*-\\s*(${N})\\s*分`, 'g'), t)) {
    const s0 = clauseStart(t, m.index);
    // no step: the document states none, so any amount in the range is the assessor's (1.3 too)
    const each = /每\s*(?:发现|出现|有)?\s*(?:一|1)\s*(起|次|例|件|条|处)/.exec(t.slice(s0, m.index))?.[1];
    // …被媒体曝光的,每发现一起扣1-3分: the clause before 每 says what a case is
    const s = each ? countStart(m.index) : s0;
    let g = s;
    while (g > 0 && !/[；;。\n]/.test(t[g - 1])) g--;
    // 被各自媒体等曝光…扣2-5分: an event that may recur, without 每起
    const event = !each && /^被/.test(t.slice(g, m.index).replace(/^[\d.、\s]+/, ''));
    take({ family: 'range', start: s, end: m.index + m[0].length, verb: m[2] === '扣' ? 'deduct' : 'add', line: { type: 'amount', min: num(m[3]), max: num(m[4]) }, ...(each ? { perCase: each } : {}), confidence: event ? 'medium' : 'high', ...(event ? { why: '原文未写“每起”：按一次扣分读，若每次发生分别扣分，须按起数加行' } : {}) });
  }
  // Cohort clauses: 没有进驻大厅的部门按进驻单位最低得分计分; 与样本框无关联的部门在平均分基础上下浮1分 / 适当下浮
  for (const m of all(new RegExp(`按\\s*([^，,；;。]{1,12}?)最低得分(?:计分|记分|赋分)|在平均分(?:的)?基础上\\s*(?:(?:下浮|扣减|减)\\s*(${N})\\s*分|(适当|酌情)下浮)`, 'g'), t)) {
    const s = clauseStart(t, m.index);
    const subject = t.slice(s, m.index).replace(/的$/, '').trim();
    const stat: 'min' | 'mean' = m[0].startsWith('按') ? 'min' : 'mean';
    const quote = text.slice(s, m.index + m[0].length);
    if (!subject) {
      take({ family: 'cohort', start: s, end: m.index + m[0].length, confidence: 'low', why: `按其他单位的${stat === 'min' ? '最低' : '平均'}得分计分，但原文未写明是哪些单位` });
      continue;
    }
    const cohort: CohortReading = { stat, for: { flag: subject.slice(0, 40) }, ...(m[2] !== undefined ? { offset: num(m[2]) } : {}), ...(m[3] ? { reduce: { label: `${m[3]}下浮分值` } } : {}), quote };
    take({ family: 'cohort', start: s, end: m.index + m[0].length, cohort, confidence: 'medium', why: `群体计分：答“是”的单位（${subject}）得其他单位本项得分的${stat === 'min' ? '最低分' : '平均分'}${m[2] !== undefined ? `减${m[2]}分` : m[3] ? '减录入的下浮分值' : ''}；${stat === 'min' && m[1] ? `取最低分的范围（${m[1].trim()}）须按单位标签确认` : '参与计算的单位须确认'}` });
  }
  // R10/R11 shortfall against a target: 少于12条的，每少一条扣1分; 不足90%的，每低1个百分点扣0.1分; 不少于4次…每缺一次扣0.5分
  let pctTarget: number | undefined;
  for (const m of all(new RegExp(`(少于|不少于|不足|低于|达到|实现[^，；。]{0,8}?)\\s*(${N})\\s*(%|${UNIT})?`, 'g'), t)) {
    if (m[3] === '%') pctTarget = num(m[2]) / 100;
  }
  for (const m of all(new RegExp(`(?:(少于|不少于|不足|低于)\\s*(${N})\\s*(%|${UNIT})?[^；;。]{0,40}?)?每(?:少|缺|低|下降)\\s*(${N})?\\s*(个百分点|%|${UNIT})?[^，,；;。]{0,6}?扣\\s*(${N})\\s*分`, 'g'), t)) {
    const pct = m[3] === '%' || m[5] === '个百分点' || m[5] === '%';
    const target = m[2] !== undefined ? num(m[2]) / (pct ? 100 : 1) : pct ? pctTarget : undefined;
    const per = m[4] !== undefined ? num(m[4]) / (pct ? 100 : 1) : pct ? 0.01 : 1;
    const s = clauseStart(t, m.index);
    if (target === undefined) {
      // 每少一项制度扣1分 with no target: a count of what is missing
      take({ family: 'count', start: countStart(m.index), end: m.index + m[0].length, verb: 'deduct', line: { type: 'count', rate: num(m[6]) }, confidence: 'high' });
    } else {
      take({ family: 'shortfall', start: s, end: m.index + m[0].length, verb: 'deduct', line: pct ? { type: 'shortfall', target, rate: num(m[6]), per, input: 'percent' } : { type: 'shortfall', target, rate: num(m[6]), per }, confidence: m[2] !== undefined ? 'high' : 'medium', why: m[2] === undefined ? '目标值取自本条前文' : undefined });
    }
  }
  // 分别加2分、1分、1.5分 / 分别得分3分、2分、1分: one amount per named level
  for (const m of all(new RegExp(`分别(加|得|记|扣)(?:分)?\\s*(${N})\\s*分((?:\\s*[、,，]\\s*${N}\\s*分)+)`, 'g'), t)) {
    const amounts = [num(m[2]), ...[...m[3].matchAll(new RegExp(N, 'g'))].map((x) => num(x[0]))];
    const s0 = clauseStart(t, m.index);
    const head = t.slice(s0, m.index).replace(/的$/, '');
    const names = head.split(/[、]/).map((x) => x.trim());
    const labels = amounts.map((_, k) => (names.length === amounts.length ? names[k] : `第${k + 1}档`));
    take({ family: 'each', start: s0, end: m.index + m[0].length, verb: m[1] === '扣' ? 'deduct' : 'add', options: amounts.map((a, k) => ({ label: labels[k] || `第${k + 1}档`, points: a })), confidence: names.length === amounts.length ? 'high' : 'medium', why: names.length === amounts.length ? undefined : '各档名称未能与分值一一对应' });
  }
  // R4/R12 per occurrence: 每次扣0.5分, 每件次扣2分, 每有一人扣1分, 缺一项扣1分, 1项有误扣0.5分, 一次扣1分, 扣0.5分/项
  const per = `(?:每[^；;。扣加记得]{0,24}?|(?:缺|少|有)?\\s*(?:1|一)\\s*${UNIT}[^，,；;。扣加记得]{0,12}?|一次)`;
  for (const m of all(new RegExp(`(${per})(扣|加|记|得)\\s*(${N})\\s*分(?:\\s*/\\s*${UNIT})?`, 'g'), t)) {
    const s = countStart(m.index);
    const verb = m[2] === '扣' ? 'deduct' : 'add';
    const unit = new RegExp(`每\\s*(?:有|出现|发现|缺|少)?\\s*(?:一|1)?\\s*(${UNIT})`).exec(m[1])?.[1];
    take({ family: 'count', start: s, end: m.index + m[0].length, verb, line: { type: 'count', rate: num(m[3]), ...(unit ? { unit } : {}) }, confidence: 'high' });
  }
  for (const m of all(new RegExp(`扣\\s*(${N})\\s*分\\s*/\\s*${UNIT}`, 'g'), t)) {
    take({ family: 'count', start: clauseStart(t, m.index), end: m.index + m[0].length, verb: 'deduct', line: { type: 'count', rate: num(m[1]) }, confidence: 'high' });
  }
  // R9 tiers: 70%以上记1分; 达90%以上的记4分; 50—100平方米的记5分; 200平方米以上记15分; 低于60%不记分
  for (const m of all(new RegExp(`(${N})\\s*-\\s*(${N})\\s*(平方米|㎡|%|${UNIT})?[^，,；;。\\d]{0,4}?(?:记|计|得)\\s*(${N})\\s*分`, 'g'), t)) {
    const pct = m[3] === '%';
    take({ family: 'tier', start: clauseStart(t, m.index), end: m.index + m[0].length, tier: { min: num(m[1]) / (pct ? 100 : 1), to: num(m[2]) / (pct ? 100 : 1), points: num(m[4]), pct }, confidence: 'high' });
  }
  for (const m of all(new RegExp(`(${N})\\s*(%|平方米|㎡|${UNIT})?\\s*(以上|及以上|\\(含\\)以上|以上\\(含\\)|超过)[^，,；;。]{0,4}?(?:的)?\\s*(?:记|计|得|加)?\\s*(${N})\\s*分`, 'g'), t)) {
    const pct = m[2] === '%';
    take({ family: 'tier', start: clauseStart(t, m.index), end: m.index + m[0].length, tier: { min: num(m[1]) / (pct ? 100 : 1), points: num(m[4]), pct, above: m[3] === '超过' }, confidence: 'high' });
  }
  for (const m of all(new RegExp(`(低于|不足|少于)\\s*(${N})\\s*(%|平方米|${UNIT})?(?:的)?\\s*(不记分|不得分|记0分|得0分)`, 'g'), t)) {
    const pct = m[3] === '%';
    take({ family: 'tierFloor', start: clauseStart(t, m.index), end: m.index + m[0].length, tier: { min: num(m[2]) / (pct ? 100 : 1), points: 0, pct }, confidence: 'high' });
  }
  // R6/R12 caps: 最高扣5分 (a line's cap); 5分封顶, 累计不超过1分, 最高不超过5分, 满分1.2分 (the criterion's)
  for (const m of all(new RegExp(`(?:最高|最多)扣\\s*(${N})\\s*分`, 'g'), t)) {
    take({ family: 'lineCap', start: m.index, end: m.index + m[0].length, lineCap: num(m[1]), confidence: 'high' });
  }
  for (const m of all(new RegExp(`(?:(${N})\\s*分封顶|(?:累计|最高|最多)(?:不超过|不得超过|加)?\\s*(${N})\\s*分|满分\\s*(${N})\\s*分)`, 'g'), t)) {
    take({ family: 'cap', start: m.index, end: m.index + m[0].length, cap: num(m[1] ?? m[2] ?? m[3]), confidence: 'high' });
  }
  // the review table's “不封顶” (no cap) says nothing to score
  for (const m of all(/不封顶/g, t)) take({ family: 'noCap', start: m.index, end: m.index + m[0].length, confidence: 'high' });
  // R8 proportional: 按照进驻比例记分; 按比例扣分; 根据实际进度记分; R24 折算
  for (const m of all(new RegExp(`(按照?[^，,；;。]{0,8}?比例(?:记|计|扣|得)分(?:[，,]\\s*100%时扣\\s*(${N})\\s*分)?|根据实际进度(?:记|计)分|按[^，,；;。]{0,12}?折算|折算(?:成绩|后)[^，,；;。]{0,12})`, 'g'), t)) {
    const isRatioDeduct = /扣分/.test(m[0]);
    take({ family: isRatioDeduct ? 'ratioLine' : 'proportional', start: clauseStart(t, m.index), end: m.index + m[0].length, verb: isRatioDeduct ? 'deduct' : undefined, line: isRatioDeduct ? { type: 'ratio', rate: m[2] !== undefined ? num(m[2]) : NaN } : undefined, confidence: /进度|折算/.test(m[0]) ? 'medium' : 'high', why: /进度/.test(m[0]) ? '按实际进度（百分比）记分' : /折算/.test(m[0]) ? '折算的基数原文未写明' : undefined });
  }
  // 排名前三位,依次加0.5分、1分、1.5分: a rank bonus the text does not fit into the criterion's points
  // (事项收件率)排名前三位,依次加0.5分、1分、1.5分: a rank bonus, read as a criterion of its own (readRule's split)
  for (const m of all(new RegExp(`排名前\\s*(${N})\\s*(?:位|名)[^；;。]{0,4}?依次(?:加|得|记)\\s*(${N})\\s*分((?:\\s*[、,，]\\s*${N}\\s*分)*)[。；;]?`, 'g'), t)) {
    const s = clauseStart(t, m.index);
    const amounts = [num(m[2]), ...[...m[3].matchAll(new RegExp(N, 'g'))].map((x) => num(x[0]))];
    const places = num(m[1]);
    const figure = t.slice(s, m.index).replace(/^(各|其|按)/, '').trim();
    if (places !== amounts.length || !figure) {
      take({ family: 'rankBonus', start: s, end: m.index + m[0].length, confidence: 'low', why: '排名加分：名次数与分值个数不一致或未写排名依据，未计入' });
      continue;
    }
    take({ family: 'rankBonus', start: s, end: m.index + m[0].length, rankBonus: { figure, points: amounts }, confidence: 'high' });
  }
  // R13 rank
  for (const m of all(/排名[^，,；;。]{0,12}|名次/g, t)) {
    take({ family: 'rank', start: clauseStart(t, m.index), end: m.index + m[0].length, confidence: 'low', why: '按排名记分：名次与分值的对应原文未列明，需确认' });
  }
  // R7 zero-out: 此项不记分, 该项不得分
  for (const m of all(/(此项|该项|本项)?(?:不记分|不得分|不计分|记0分|得0分)/g, t)) {
    if (!m[1] && !/查证属实|的/.test(t.slice(clauseStart(t, m.index), m.index))) continue;
    take({ family: 'zero', start: countStart(m.index), end: m.index + m[0].length, line: { type: 'zero' }, verb: 'deduct', confidence: m[1] ? 'high' : 'medium', why: m[1] ? undefined : '“不记分”按本项不得分读' });
  }
  // A flag whose amount lacks 分 at a clause end: 未专题研究的扣1未列入分工的扣1…
  for (const m of all(new RegExp(`(未|没有|无)[^，,；;。扣]{1,30}?的?扣\\s*(\\d+(?:\\.\\d+)?)(?!\\s*[分\\d.-])`, 'g'), t)) {
    take({ family: 'flag', start: m.index, end: m.index + m[0].length, verb: 'deduct', line: { type: 'flag', amount: num(m[2]) }, confidence: 'medium', why: '扣分数后缺“分”字' });
  }
  // R2 yes/no wording: 成立…记2分，未成立扣2分; 有得N分，无扣M分; …的记N分; 记N分
  for (const m of all(new RegExp(`(?:^|[，,；;。:：\\s]|(?<=\\d))((?:[^，,；;。:：扣加记得]|[记得](?!\\s*\\d))*?)(?:的)?\\s*(记|计|得|加|扣)\\s*(${N})\\s*分`, 'g'), t)) {
    const start = m.index + (m[0].length - m[0].replace(/^[，,；;。:：\s]/, '').length);
    const end = m.index + m[0].length;
    if (out.some((b) => overlaps(b, start, end))) continue;
    const head = m[1];
    const pts = num(m[3]);
    if (m[2] === '扣') {
      // 未…的扣N分 / 没有…扣N分 / …的扣N分 (no 每: once)
      take({ family: 'flag', start, end, verb: 'deduct', line: { type: 'flag', amount: pts }, confidence: 'high' });
    } else if (m[2] === '加') {
      take({ family: 'flagAdd', start, end, verb: 'add', line: { type: 'flag', amount: pts }, confidence: 'medium', why: '加分无“每次”：按一次性加分读' });
    } else {
      take({ family: 'yes', start, end, yes: pts, option: { label: head.replace(/^\d+[.、]/, '').trim() || '是', points: pts }, confidence: 'high' });
    }
  }
  // Discretion without a range: 酌情给分, 视情扣分
  for (const m of all(/(酌情|视情)[^，,；;。]{0,8}/g, t)) {
    take({ family: 'discretion', start: m.index, end: m.index + m[0].length, confidence: 'high' });
  }
  return out.sort((a, b) => a.start - b.start);
}

function sentenceStart(t: string, i: number): number {
  let s = i;
  while (s > 0 && !/[。\n]/.test(t[s - 1])) s--;
  return s;
}

/**
 * The review table's own wording of the kinds the free grammar leaves open (describeRule writes it, a
 * clerk may type it): 是4分，否0分 / 第1名20分，每低一名减1分，最低0分 / 每项取最高：A3分、B2分；累计不超过5分.
 */
function readWords(text: string, ctx: RuleContext): RuleReading | undefined {
  const t = fold(text).trim();
  const whole = (rule: Rule, family: string): RuleReading => ({ rule, readings: [{ family, span: [0, text.length], quote: text, confidence: 'high' }], confidence: 'high', confirm: [] });
  let m = new RegExp(`^是\\s*(${N})\\s*分\\s*[，,；;]\\s*否\\s*(${N})\\s*分[。]?$`).exec(t);
  if (m) return whole({ kind: 'yesno', question: '是否做到', ...(ctx.points === undefined || num(m[1]) !== ctx.points ? { yes: num(m[1]) } : {}), no: num(m[2]) } as unknown as Rule, 'words');
  m = new RegExp(`^第\\s*1\\s*名\\s*(${N})\\s*分\\s*[，,]\\s*每低一名减\\s*(${N})\\s*分(?:\\s*[，,]\\s*最低\\s*(${N})\\s*分)?[。]?$`).exec(t);
  if (m) return whole({ kind: 'rank', input: { label: '排名依据数值' }, order: 'desc', step: { first: num(m[1]), per: num(m[2]), min: m[3] ? num(m[3]) : 0 }, else: 0 } as unknown as Rule, 'words');
  // 前1名5分；前3名3分；前6名1分 (a rank table, as describeRule writes it)
  const rankParts = t.replace(/[。]$/, '').split(/[；;]/).map((x) => x.trim()).filter(Boolean);
  if (rankParts.length && rankParts.every((x) => new RegExp(`^前\\s*\\d+\\s*名\\s*${N}\\s*分$`).test(x))) {
    const table = rankParts.map((x) => new RegExp(`^前\\s*(\\d+)\\s*名\\s*(${N})\\s*分$`).exec(x)!).map((x) => ({ upTo: Number(x[1]), points: num(x[2]) }));
    return whole({ kind: 'rank', input: { label: '排名依据数值' }, order: 'desc', table } as unknown as Rule, 'words');
  }
  m = /^每项取最高[：:]\s*(.+?)(?:[；;]\s*累计不超过\s*([\d.]+)\s*分)?[。]?$/.exec(t);
  if (m) {
    const options = m[1].split('、').map((x) => /^(.*?)\s*([\d.]+)\s*分$/.exec(x.trim())).filter((x): x is RegExpExecArray => !!x).map((x) => ({ label: x[1] || '一档', points: Number(x[2]) }));
    if (options.length) return whole({ kind: 'best', label: '项目', slots: 5, options, ...(m[2] ? { cap: Number(m[2]) } : {}) } as unknown as Rule, 'words');
  }
  m = /^按比例记分[：:]\s*满分\s*[×x*]\s*([^÷/]+?)(?:\s*[÷/]\s*(.+?))?[。]?$/.exec(t);
  if (m) {
    if (!m[2]) return whole({ kind: 'proportional', input: 'ratio', done: { label: m[1].trim() } } as unknown as Rule, 'words');
    const of = /^\d+(\.\d+)?$/.test(m[2].trim()) ? Number(m[2]) : { label: m[2].trim() };
    return whole({ kind: 'proportional', input: 'pair', done: { label: m[1].trim() }, of } as unknown as Rule, 'words');
  }
  const parts = t.replace(/[。]$/, '').split(/[；;]/).map((x) => x.trim()).filter(Boolean);
  if (parts.length >= 2 && parts.every((x) => /^[^扣加每记计得，,：:]{1,30}?\d+(\.\d+)?\s*分$/.test(x) && !/以上|以下|低于|不足|-/.test(x))) {
    const options = parts.map((x) => /^(.+?)\s*(\d+(?:\.\d+)?)\s*分$/.exec(x)!).map((x) => ({ label: x[1], points: Number(x[2]) }));
    if (new Set(options.map((o) => o.points)).size >= 2) return whole({ kind: 'choice', options, else: 0 } as unknown as Rule, 'words');
  }
  m = new RegExp(`^直接打分\\s*0\\s*-\\s*(${N})\\s*分(?:\\s*[，,]\\s*步长\\s*(${N}))?[。]?$`).exec(t);
  if (m) return whole({ kind: 'direct', min: 0, ...(ctx.points === undefined || num(m[1]) !== ctx.points ? { max: num(m[1]) } : {}), ...(m[2] ? { step: num(m[2]) } : {}) } as Rule, 'words');
  return undefined;
}

/** Words that mean a scoring rule: left over outside every reading, they need confirming. */
const SCORING = /(扣|加|记|计|得)\s*\d+(\.\d+)?\s*分|每[^，；。]{0,10}(扣|加)|按[^，；。]{0,6}(比例|排名)|取最高|分别(加|得|记)|一票否决|封顶/;

/** The trailing （N分） of a text, and where it starts. */
export function trailingPoints(text: string): { points: number; start: number } | undefined {
  const t = fold(text);
  const m = /\(\s*[^()]*?(\d+(?:\.\d+)?)\s*分\s*\)\s*[。；;，,.]?\s*$/.exec(t);
  if (!m) return undefined;
  return { points: Number(m[1]), start: m.index };
}

const lowest = (cs: Confidence[]): Confidence => (cs.includes('low') ? 'low' : cs.includes('medium') ? 'medium' : 'high');

/** Read a criterion's rule from its text. Always returns a rule; uncertain readings are flagged. */
export function readRule(text: string, ctx: RuleContext): RuleReading {
  const words = readWords(text, ctx);
  if (words) return words;
  const found = atoms(text);
  const readings: Reading[] = found.map((a) => ({ family: a.family, span: [a.start, a.end], quote: text.slice(a.start, a.end), confidence: a.confidence, ...(a.why ? { why: a.why } : {}) }));
  const confirm: string[] = [];
  const conf: Confidence[] = found.map((a) => a.confidence);
  for (const a of found) if (a.why) confirm.push(`${a.why}：“${text.slice(a.start, a.end)}”`);
  // Scoring words outside every reading (and outside the trailing （N分）).
  const tp = trailingPoints(text);
  let rest = '';
  for (let i = 0; i < text.length; i++) if (!found.some((a) => i >= a.start && i < a.end) && !(tp && i >= tp.start)) rest += text[i];
  else rest += '，';
  const left = SCORING.exec(fold(rest));
  if (left) {
    conf.push('low');
    confirm.push(`未能识别的计分文字：“${left[0]}”`);
  }
  const fam = (f: string): Atom[] => found.filter((a) => a.family === f);
  const points = ctx.points;
  const caps = fam('cap');
  const cap = caps.length ? caps[caps.length - 1].cap : undefined;
  const lineCaps = fam('lineCap');
  const lineAtoms = found.filter((a) => a.line);
  const split: { text: string; reading: RuleReading }[] = [];
  const result = (rule: Rule, extra: Confidence[] = [], why: string[] = []): RuleReading => {
    const c = lowest([...conf, ...extra]);
    const reasons = [...confirm, ...why];
    const co = fam('cohort').find((a) => a.cohort)?.cohort;
    const cohort = co?.reduce && points !== undefined ? { ...co, reduce: { ...co.reduce, max: points } } : co;
    return { rule, readings, confidence: c, confirm: c === 'high' ? [] : reasons.length ? reasons : ['计分办法按近似读法识别'], ...(split.length ? { split } : {}), ...(cohort ? { cohort } : {}) };
  };
  const direct = (why: string[] = [], c: Confidence = 'low'): RuleReading => result({ kind: 'direct', min: 0 } as Rule, [c], why);

  // Rank (R13): the text gives no table; a rank rule is offered with a step the clerk confirms.
  if (fam('rank').length && points) {
    return result({ kind: 'rank', input: { label: '排名依据数值' }, order: 'desc', step: { first: points, per: 1, min: 0 }, else: 0 } as unknown as Rule, ['low'], ['名次分值按“第1名满分、每低一名减1分”暂定']);
  }
  // Tiers (R9)
  const tierAtoms = [...fam('tier'), ...fam('tierFloor')];
  if (fam('tier').length && !lineAtoms.some((a) => a.verb === 'deduct' && a.family !== 'zero')) {
    const pct = tierAtoms.some((a) => a.tier!.pct);
    const tiers = fam('tier').map((a) => ({ min: a.tier!.min, points: a.tier!.points, ...(a.tier!.above ? { above: true } : {}) })).sort((x, y) => x.min - y.min);
    const extra: Confidence[] = [];
    const why: string[] = [];
    // a gap between a range's upper bound and the next tier, or a floor below the lowest tier with nothing between
    const ranges = fam('tier').filter((a) => a.tier!.to !== undefined).sort((x, y) => x.tier!.min - y.tier!.min);
    for (let i = 0; i < ranges.length; i++) {
      const next = tiers.find((x) => x.min > ranges[i].tier!.min);
      if (next && ranges[i].tier!.to! < next.min) {
        extra.push('low');
        why.push(`分档有空档：${ranges[i].tier!.to}～${next.min}之间原文未列`);
      }
    }
    for (const f of fam('tierFloor')) {
      const lowestTier = tiers[0];
      if (lowestTier && f.tier!.min < lowestTier.min) {
        tiers.unshift({ min: f.tier!.min, points: 0 });
        extra.push('low');
        why.push(`分档有空档：${f.tier!.min}～${lowestTier.min}之间原文未列，按不记分`);
      }
    }
    return result({ kind: 'tiers', input: { label: '数值', type: pct ? 'percent' : 'number' }, tiers, else: 0 } as unknown as Rule, extra, why);
  }
  // Proportional (R8/R24)
  const prop = fam('proportional');
  if (prop.length && !lineAtoms.some((a) => a.family !== 'ratioLine' && a.verb === 'deduct')) {
    const progress = prop.some((a) => /进度/.test(text.slice(a.start, a.end)));
    if (progress) return result({ kind: 'proportional', input: 'ratio', done: { label: '完成进度' } } as unknown as Rule);
    if (prop.some((a) => /折算/.test(fold(text).slice(a.start, a.end)))) return result({ kind: 'proportional', input: 'pair', done: { label: '考核成绩' }, of: { label: '该考核满分' } } as unknown as Rule, ['low'], ['按另一项考核的成绩折算：成绩和满分由考核人员录入']);
    return result({ kind: 'proportional', input: 'pair', done: { label: '已完成数' }, of: { label: '应完成数' } } as unknown as Rule);
  }
  // Lines: deductions and increments
  const lines = lineAtoms.filter((a) => a.family !== 'yes').map((a) => {
    // “未成立领导小组：扣2分” (the review table's own wording): the words before the colon name the line
    const seg = text.slice(0, a.start).split(/[；;。\n]/).pop() ?? '';
    const named = /^\s*([^：:]{1,40}?)\s*[：:]\s*$/.exec(seg)?.[1];
    const l: Line = { ...a.line!, label: named ?? labelOf(text.slice(a.start, a.end)), text: (named ? seg.trim() : '') + text.slice(a.start, a.end).replace(/^[，,；;。\s]+/, '') };
    const capAfter = lineCaps.find((c) => c.start >= a.end && c.start - a.end <= 2);
    if (capAfter) l.cap = capAfter.lineCap;
    return { atom: a, line: l };
  });
  const yes = fam('yes');
  // 受到省、地级表扬推介的每次加2分，市级加1分: a bare level clause after a count reads as 每次 too.
  lines.forEach((x, k) => {
    const prev = lines[k - 1];
    const clause = x.line.text as string;
    if (prev && x.line.type === 'flag' && prev.line.type === 'count' && prev.atom.verb === x.atom.verb && /^[^，,；;。]{1,4}级(加|扣|记)\s*[\d.]+\s*分。?$/.test(clause)) {
      x.line = { ...x.line, type: 'count', rate: x.line.amount };
      delete x.line.amount;
      conf.push('medium');
      confirm.push(`“${clause}”未写“每次”，按前一句的“每次”读`);
    }
  });
  // 每缺一次扣0.5分 under a title that sets the target (每年专题研究…不少于4次)
  const target = ctx.context ? new RegExp(`(?:不少于|至少)\\s*(${N})\\s*(${UNIT})`).exec(fold(ctx.context)) : null;
  for (const x of lines) {
    if (target && x.line.type === 'count' && /每(缺|少)/.test(x.line.text as string)) {
      x.line = { ...x.line, type: 'shortfall', target: num(target[1]), per: 1 };
      conf.push('medium');
      confirm.push(`目标值“${target[0]}”取自考核内容`);
    }
  }
  // 每发现一起扣1-3分: one row per case, as many as the criterion's points take at the least (rows after the first optional)
  for (let k = lines.length - 1; k >= 0; k--) {
    const x = lines[k];
    const unit = x.atom.perCase;
    if (!unit || x.line.type !== 'amount') continue;
    const bound = (x.line.cap as number | undefined) ?? cap ?? points;
    const min = x.line.min as number;
    if (bound === undefined || !(min > 0)) {
      conf.push('medium');
      confirm.push(`“${x.line.text}”每${unit}分别扣分，本条未写分值上限：只列一行，须按${unit}数加行`);
      continue;
    }
    const n = Math.ceil(bound / min - 1e-9);
    if (n > 10) {
      conf.push('medium');
      confirm.push(`“${x.line.text}”每${unit}分别扣分：列10行，更多须加行`);
    }
    const rows = Array.from({ length: Math.min(n, 10) }, (_, j) => ({ atom: x.atom, line: { ...x.line, label: `第${j + 1}${unit}${x.line.label}`.slice(0, 40), ...(j > 0 ? { optional: true } : {}) } as Line }));
    lines.splice(k, 1, ...rows);
  }
  // 被区级组织抽查到接通率不足90%的,每低1个百分点扣0.1分: a level that did not spot-check is left blank (nothing to deduct)
  for (const x of lines) {
    if (x.line.type === 'shortfall' && /^被[^，,；;。]{0,8}(区|县|市|省|国家|部)级[^，,；;。]{0,8}抽查/.test(String(x.line.text))) x.line = { ...x.line, label: `${x.line.label}（未抽查的留空）`.slice(0, 48), optional: true };
  }
  // 未公开指南的扣1分，公开部门不全面的扣1分: “不全面/不及时” presupposes the thing done — the pair is exclusive
  let groups = 0;
  for (let k = 1; k < lines.length; k++) {
    const a = lines[k - 1];
    const b = lines[k];
    if (a.line.type !== 'flag' || b.line.type !== 'flag' || a.atom.verb !== 'deduct' || b.atom.verb !== 'deduct' || a.line.oneOf !== undefined) continue;
    if (/[；;。]/.test(fold(text).slice(a.atom.end, b.atom.start))) continue;
    const first = String(a.line.text);
    const second = String(b.line.text);
    if (!/^(未|没有|无)/.test(first) || /^(未|没有|无)(?!及时)/.test(second) || !/(不及时|未及时|不全面|不完整|不规范|不准确)/.test(second)) continue;
    // where the first takes the whole points, the floor at 0 bounds the pair already: no group needed
    if ((b.line.amount as number) > (a.line.amount as number) || (points !== undefined && (a.line.amount as number) >= points)) continue;
    const g = `g${++groups}`;
    a.line = { ...a.line, oneOf: g };
    b.line = { ...b.line, oneOf: g };
  }
  // 排名前三位,依次加0.5分、1分、1.5分: a criterion of its own; 此项不得分 in the same text voids it
  for (const a of fam('rankBonus')) {
    if (!a.rankBonus) continue;
    const words = text.slice(a.start, a.end);
    const pts = a.rankBonus.points;
    const desc = [...pts].sort((x, y) => y - x);
    const rising = pts.length > 1 && pts.every((p, i) => i === 0 || p >= pts[i - 1]) && pts[0] !== pts[pts.length - 1];
    const figure = a.rankBonus.figure;
    const rule = { kind: 'rank', input: { label: figure, ...(/率$/.test(figure) ? { type: 'percent' } : {}) }, order: 'desc', table: desc.map((p, i) => ({ upTo: i + 1, points: p })) } as unknown as Rule;
    const why = [
      ...(rising ? [`“${words}”依次列出的分值由低到高：按名次越前加分越多读（第1名${desc[0]}分）`] : []),
      '排名加分没有分值：计入上级小计，不超过其分值',
    ];
    split.push({ text: words, reading: { rule, readings: [{ family: 'rankBonus', span: [0, words.length], quote: words, confidence: 'medium' }], confidence: 'medium', confirm: why } });
  }
  if (split.length) {
    for (const x of lines) if (x.line.type === 'zero' && /此项|该项|本项/.test(String(x.line.text))) x.line = { ...x.line, voids: split.map((_, i) => `${SPLIT_REF}${i + 1}`) };
  }
  const deducts = lines.filter((x) => x.atom.verb === 'deduct');
  const adds = lines.filter((x) => x.atom.verb === 'add');
  for (const x of lines) {
    if (x.line.type === 'ratio' && Number.isNaN(x.line.rate)) {
      x.line.rate = x.line.cap ?? points ?? NaN;
      if (Number.isNaN(x.line.rate)) x.line.rate = 1;
    }
  }
  if (ctx.role === 'penalty' || ctx.subtract) {
    if (!lines.length) return direct(['扣分项未写明扣分办法']);
    const tl = lines.map((x) => (x.line.type === 'zero' ? { ...x.line, type: 'flag', amount: points ?? 1 } : x.line));
    return result({ kind: 'tally', verb: 'deduct', ...(cap !== undefined ? { cap } : {}), lines: tl } as unknown as Rule);
  }
  // R16 同一…取最高分: each item counts once at its best level
  if (/取最高分?/.test(text) && (ctx.role === 'bonus' || fam('each').length)) {
    const opts: { label: string; points: number }[] = [];
    for (const a of found) {
      if (a.family === 'each') opts.push(...a.options!);
      else if (a.verb === 'add' && a.line?.type === 'flag') opts.push({ label: labelOf(text.slice(a.start, a.end)), points: a.line.amount as number });
      else if (a.family === 'yes') opts.push(a.option!);
    }
    if (opts.length) return result({ kind: 'best', label: '项目', slots: 5, options: opts, ...(cap !== undefined ? { cap } : {}) } as unknown as Rule, ['medium'], ['每项取最高分：各档名称取自原文，需确认']);
  }
  if (ctx.role === 'bonus' && lines.length === 1 && lines[0].line.type === 'flag' && !yes.length) {
    return result({ kind: 'yesno', question: questionOf(text), ...(points === undefined ? { yes: lines[0].line.amount } : {}) } as unknown as Rule);
  }
  if (ctx.role === 'bonus' || (adds.length && !deducts.length)) {
    if (!adds.length) return direct(['加分项未写明加分办法']);
    const extra: Confidence[] = [];
    const why: string[] = [];
    if (yes.length) {
      extra.push('low');
      why.push('加分条款中有未写“每次”的记分');
    }
    if (ctx.role === 'base' && cap !== undefined && points !== undefined && cap < points) {
      extra.push('low');
      why.push(`封顶${cap}分小于本条分值${points}分：其余分值的计分办法原文未写明`);
    }
    const capV = cap ?? (ctx.role === 'base' ? points : undefined);
    // 获县级以上相关工作简报刊登的，记1分: once, a yes/no line beside the counts
    const all = [...adds.map((x) => ({ start: x.atom.start, line: x.line })), ...yes.map((a) => ({ start: a.start, line: { type: 'flag', amount: a.yes, label: labelOf(text.slice(a.start, a.end)), text: text.slice(a.start, a.end) } as Line }))].sort((a, b) => a.start - b.start);
    return result({ kind: 'tally', verb: 'add', ...(capV !== undefined ? { cap: capV } : {}), lines: all.map((x) => x.line) } as unknown as Rule, extra, why);
  }
  if (deducts.length && yes.length === 1 && points !== undefined && yes[0].yes === points) {
    const y = yes[0];
    // 能够在线申报的记5分，不能申报的不记分 / 成立有领导小组记2分，未成立扣 2分: done or not
    const only = deducts.every((x) => (x.line.type === 'zero' && !/此项|该项|本项/.test(x.line.text as string)) || (x.line.type === 'flag' && x.line.amount === points));
    if (only && deducts.length === 1) {
      // “不能申报的不记分” is the 否 of this yes/no: its own doubt (是否本项不得分) is settled here
      if (deducts[0].line.type === 'zero') {
        const k = found.indexOf(deducts[0].atom);
        conf[k] = 'high';
        const i = confirm.findIndex((x) => x.includes(text.slice(deducts[0].atom.start, deducts[0].atom.end)));
        if (i >= 0) confirm.splice(i, 1);
      }
      const c: Confidence = deducts[0].line.type === 'zero' ? 'high' : 'medium';
      return result({ kind: 'yesno', question: questionOf(text) } as unknown as Rule, [c], c === 'high' ? [] : [`“${deducts[0].line.text}”按“否”得0分读（不倒扣）`]);
    }
    // 准确无误，记2分，1项有误扣0.5分，扣完为止: the deductions measure the requirement itself, from its points
    const ft = fold(text);
    if (/扣完为止/.test(ft) && deducts.every((x) => x.atom.start > y.end && !/[。\n]/.test(ft.slice(y.end, x.atom.start)))) {
      return result({ kind: 'deduct', lines: deducts.map((x) => x.line) } as unknown as Rule);
    }
    // 每窗口派驻两名工作人员；记2分。随意调整…每出现一次扣1分: the requirement unmet loses it all
    const req = text.slice(clauseStart(fold(text), y.start) === y.start ? Math.max(0, sentenceStart(text, y.start)) : y.start, y.end).replace(/^[\d.、\s]+/, '');
    const zero: Line = { type: 'zero', label: `未做到：${labelOf(req)}`.slice(0, 40), text: req };
    return result({ kind: 'deduct', lines: [zero, ...deducts.map((x) => x.line)] } as unknown as Rule, ['medium'], [`“${req}”读作“未做到则本项不得分”，其后按扣分条款扣分`]);
  }
  if (deducts.length) {
    const extra: Confidence[] = [];
    const why: string[] = [];
    if (yes.length) {
      extra.push('low');
      why.push(`“${text.slice(yes[0].start, yes[0].end)}”与扣分条款并存：按从满分扣分读`);
    }
    if (!points) {
      extra.push('low');
      why.push('本条没有分值');
    }
    return result({ kind: 'deduct', lines: deducts.map((x) => x.line) } as unknown as Rule, extra, why);
  }
  // Choice (R3): several “…的记N分” with different points
  const distinct = [...new Set(yes.map((a) => a.yes))];
  if (yes.length >= 2 && distinct.length >= 2) {
    // 已整体接入…或所有业务科室均已接入的记10分: 或 names two options of the same points
    const options = yes.flatMap((a) => a.option!.label.split(/或(?=[^或]{2,})/).map((l) => ({ label: l.replace(/^(单位|已)+/, '').replace(/的$/, '').trim() || a.option!.label, points: a.option!.points })));
    return result({ kind: 'choice', options: [...options, { label: '以上均未做到', points: 0 }], else: 0 } as unknown as Rule, ['medium'], ['选项名称取自原文，“以上均未做到”记0分，需确认是否完整']);
  }
  if (fam('discretion').length) return result({ kind: 'direct', min: 0 } as Rule);
  if (yes.length) {
    const y = yes[0].yes!;
    const extra: Confidence[] = [];
    const why: string[] = [];
    if (points !== undefined && y !== points) {
      extra.push('low');
      why.push(`记${y}分与本条分值${points}分不一致`);
    }
    return result({ kind: 'yesno', question: questionOf(text), ...(points === undefined || y !== points ? { yes: y } : {}), no: 0 } as unknown as Rule, extra, why);
  }
  if (points === undefined) {
    return result({ kind: 'yesno', question: questionOf(text), yes: 0, no: 0 } as unknown as Rule, ['low'], ['本条没有分值：按0分的“是/否”记录']);
  }
  // 成立…领导小组（5分）, 指定专人负责（5分）: a single act is done or not.
  const bare = text.replace(/^\s*(\d+[.、．]|（\d+）|[①-⑩])\s*/, '').replace(/[（(][^（）()]*分[）)]\s*[。；;]?$/, '').trim();
  if (/^(成立|指定|设立|建立|明确)/.test(bare) && bare.length <= 16 && !/情况$/.test(bare)) {
    return result({ kind: 'yesno', question: `是否${bare}` } as unknown as Rule, ['medium'], [`“${bare}”是一项要么做到、要么没做到的要求：按“是/否”记分`]);
  }
  // 1.综合审批股按要求进驻服务大厅。(5分 in the 分值 column): one requirement in one clause, no partial rule
  // and no word of degree (按时, 及时, 全面… can be met in part: those stay a direct score)
  const one = bare.replace(/[。；;]$/, '');
  if (one.length <= 24 && !/[，,；;。：:、]/.test(one) && !/(情况|工作|落实|完成)$/.test(one) && !/[\d分]|按时|及时|全面|规范|准确|完善|有效/.test(one)) {
    return result({ kind: 'yesno', question: `是否${one}` } as unknown as Rule, ['medium'], [`“${one}”只写了一项要求和分值、没有部分得分的办法：按做到得满分、未做到0分读（若可部分得分，改为直接打分）`]);
  }
  // Only a requirement and its points: a direct score, certain when no scoring words are left over.
  return result({ kind: 'direct', min: 0 } as Rule);
}

/** A short label for a line: its clause without the amount (未开展业务培训的扣1分 → 未开展业务培训). */
export function labelOf(clause: string): string {
  let s = clause.replace(/^[，,；;。\s\d.、]+/, '').replace(/^[①-⑩]\s*/, '');
  const per = /[，,:：]\s*每/.exec(s);
  if (per && per.index > 1) s = s.slice(0, per.index);
  s = s.replace(/[，,]?\s*(视情|酌情|直接)?(扣|加|记|得|计)\s*[\d.一二两三四五六七八九十半-]+\s*(分.*)?$/, '');
  s = s.replace(/[，,]?\s*(的)?(此项|该项|本项)?(不记分|不得分|不计分)$/, '');
  s = s.replace(/^每\s*(?:(?:发现|有|出现|缺|少)\s*(?:一|1)?\s*(?:个|项|件次|件|起|例|条|人|处|次|天)?|(?:一|1)\s*(?:个|项|件次|件|起|例|条|人|处|次|天))/, '');
  s = s.replace(/[，,]?\s*(按照?[^，,；;。]{0,8}?比例(记|计|扣|得)分)$/, '');
  s = s.replace(/的$/, '').replace(/[，,：:]$/, '').trim();
  return s.slice(0, 40) || '该项情况';
}

/** A yes/no question from a criterion text: its first clause, prefixed 是否. */
export function questionOf(text: string): string {
  const first = text.replace(/^\s*(\d+[.、．]|（\d+）|[①-⑩])\s*/, '').split(/[，,；;。:：]/)[0].replace(/(的)?(记|计|得)\s*\d+(\.\d+)?\s*分.*$/, '').trim();
  return `是否${first || '做到'}`.slice(0, 60);
}
