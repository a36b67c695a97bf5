/**
 * Every message the engine can produce, keyed by code, in zh-CN and English. One place to find and
 * translate them; test/engine-messages.test.ts checks both languages exist and render every param.
 */
type P = Record<string, string | number>;
interface MessageDef {
  severity: 'error' | 'warning';
  zh: (p: P) => string;
  en: (p: P) => string;
}

/** Where 不涉及 is allowed, what else the clerk may type for it (marks.ts naHint). */
const naZh = (p: P): string => (p.naMarks ? `；本项不涉及的可填“不涉及”（或${p.naMarks}）` : '');
const naEn = (p: P): string => (p.naMarks ? `; if it does not apply, type 不涉及 (or ${String(p.naMarks).replace(/、/g, ', ')})` : '');
const m = (severity: 'error' | 'warning', zh: (p: P) => string, en: (p: P) => string): MessageDef => ({ severity, zh, en });

export const MESSAGES = {
  // ---- rubric file: syntax and shape ----
  'rubric.yaml': m('error', (p) => `YAML 语法错误：${p.detail}`, (p) => `YAML syntax error: ${p.detail}`),
  'rubric.schema': m('error', (p) => `格式不符：${p.detail}`, (p) => `Invalid rubric: ${p.detail}`),
  'rubric.missing': m('error', (p) => `缺少必填项“${p.field}”`, (p) => `Missing required field "${p.field}"`),
  'rubric.unknownField': m('error', (p) => `未知字段“${p.field}”`, (p) => `Unknown field "${p.field}"`),
  'rubric.unknownKind': m(
    'error',
    (p) => `未知的评分规则类型“${p.kind}”（可用：${p.known}）`,
    (p) => `Unknown rule kind "${p.kind}" (known: ${p.known})`,
  ),
  'rubric.badKind': m('error', (p) => `评分规则“${p.kind}”参数有误：${p.detail}`, (p) => `Rule "${p.kind}" has bad parameters: ${p.detail}`),
  // ---- rubric file: meaning ----
  'rubric.duplicateId': m('error', (p) => `编号“${p.id}”重复（首次出现于 ${p.first}）`, (p) => `Duplicate id "${p.id}" (first at ${p.first})`),
  'rubric.duplicateVariant': m('error', (p) => `类别编号“${p.id}”重复`, (p) => `Duplicate variant id "${p.id}"`),
  'rubric.duplicateUnit': m('error', (p) => `被考核单位“${p.unit}”重复`, (p) => `Duplicate unit "${p.unit}"`),
  'rubric.unknownVariant': m('error', (p) => `单位“${p.unit}”的类别“${p.variant}”不存在`, (p) => `Unit "${p.unit}" names unknown variant "${p.variant}"`),
  'rubric.unknownUnit': m('warning', (p) => `适用范围中的单位“${p.unit}”不在单位名单中`, (p) => `Applicability names unit "${p.unit}", which is not in the unit list`),
  'rubric.pointsMissing': m('error', (p) => `“${p.title}”缺少分值`, (p) => `"${p.title}" has no points`),
  'rubric.noChildren': m('error', (p) => `“${p.title}”既无评分规则也无下级指标`, (p) => `"${p.title}" has neither a rule nor children`),
  'rubric.ruleAndChildren': m('error', (p) => `“${p.title}”不能同时有评分规则和下级指标`, (p) => `"${p.title}" cannot have both a rule and children`),
  'rubric.pointsMismatch': m(
    'warning',
    (p) => `“${p.title}”标明${p.declared}分，但下级分值合计${p.sum}分；小计按${p.declared}分封顶`,
    (p) => `"${p.title}" declares ${p.declared} points but its parts add up to ${p.sum}; the subtotal is capped at ${p.declared}`,
  ),
  'rubric.totalMismatch': m(
    'warning',
    (p) => `类别“${p.variant}”满分${p.fullMark}分，但各部分分值合计${p.sum}分`,
    (p) => `Variant "${p.variant}" has a full mark of ${p.fullMark} but its sections add up to ${p.sum}`,
  ),
  'rubric.tiersOrder': m(
    'error',
    (p) => `分档须按下限从低到高排列且分值递增：第${p.index}档（${p.min}）有误`,
    (p) => `Tiers must ascend in bound and points: tier ${p.index} (${p.min}) is out of order`,
  ),
  'rubric.tierAboveMax': m('error', (p) => `分档分值${p.points}超过本项分值${p.max}`, (p) => `Tier points ${p.points} exceed the criterion's ${p.max}`),
  'rubric.capUnreachable': m(
    'warning',
    (p) => `上限${p.cap}分永远达不到（最多只能${p.reach}分）`,
    (p) => `The cap of ${p.cap} can never be reached (at most ${p.reach})`,
  ),
  'rubric.capAboveMax': m('warning', (p) => `扣分上限${p.cap}分超过本项分值${p.max}分，按本项分值封底`, (p) => `A cap of ${p.cap} exceeds the criterion's ${p.max}; the floor of 0 applies first`),
  'rubric.optionAboveMax': m('error', (p) => `选项“${p.label}”的${p.points}分超过本项分值${p.max}分`, (p) => `Option "${p.label}" gives ${p.points}, above the criterion's ${p.max}`),
  'rubric.rangeOrder': m('error', (p) => `范围下限${p.min}大于上限${p.max}`, (p) => `Range minimum ${p.min} is above maximum ${p.max}`),
  'rubric.badRank': m('error', (p) => `排名记分表有误：${p.detail}`, (p) => `Rank table is wrong: ${p.detail}`),
  'rubric.emptyVariant': m('error', (p) => `类别“${p.variant}”没有任何考核项目`, (p) => `Variant "${p.variant}" has no sections`),
  'rubric.noPointsCriterion': m(
    'warning',
    (p) => `“${p.title}”原文未标分值，按0分处理：${p.note}`,
    (p) => `"${p.title}" has no points in the document and counts 0: ${p.note}`,
  ),
  'rubric.vetoDuplicate': m('error', (p) => `否决项编号“${p.id}”重复`, (p) => `Duplicate veto id "${p.id}"`),
  // ---- inputs: what a clerk typed ----
  'input.notNumber': m('error', (p) => `“${p.label}”应填数字，实际为“${p.value}”${naZh(p)}`, (p) => `"${p.label}" needs a number, got "${p.value}"${naEn(p)}`),
  'input.negative': m('error', (p) => `“${p.label}”不能为负数（${p.value}）`, (p) => `"${p.label}" cannot be negative (${p.value})`),
  'input.notInteger': m('error', (p) => `“${p.label}”应为整数次数（${p.value}）`, (p) => `"${p.label}" must be a whole count (${p.value})`),
  'input.outOfRange': m(
    'error',
    (p) => `“${p.label}”应在${p.min}～${p.max}之间，实际为${p.value}`,
    (p) => `"${p.label}" must be between ${p.min} and ${p.max}, got ${p.value}`,
  ),
  'input.step': m('error', (p) => `“${p.label}”须按${p.step}分的步长给分（${p.value}）`, (p) => `"${p.label}" must be in steps of ${p.step} (${p.value})`),
  'input.notYesNo': m(
    'error',
    (p) => `“${p.label}”应填“是”或“否”（也可填√/×、有/无、Y/N），实际为“${p.value}”${naZh(p)}`,
    (p) => `"${p.label}" needs 是 or 否 (also accepted: yes/no, Y/N, √/×, 有/无), got "${p.value}"${naEn(p)}`,
  ),
  'input.unknownChoice': m(
    'error',
    (p) => `“${p.label}”应从以下选项中选择：${p.options}；实际为“${p.value}”${naZh(p)}`,
    (p) => `"${p.label}" must be one of: ${p.options}; got "${p.value}"${naEn(p)}`,
  ),
  'input.ratioAbove1': m('error', (p) => `“${p.label}”比例不能超过100%（${p.value}）`, (p) => `"${p.label}" cannot exceed 100% (${p.value})`),
  'input.doneExceedsRequired': m(
    'error',
    (p) => `“${p.label}”完成数${p.done}大于应完成数${p.required}`,
    (p) => `"${p.label}": done (${p.done}) exceeds required (${p.required})`,
  ),
  'input.tooLarge': m('error', (p) => `“${p.label}”数值过大（${p.value}），请核对`, (p) => `"${p.label}" is implausibly large (${p.value}); please check`),
  'input.zeroRequired': m('error', (p) => `“${p.label}”应完成数不能为0`, (p) => `"${p.label}": the required number cannot be 0`),
  'input.unknownKey': m('warning', (p) => `录入项“${p.key}”在评分细则中不存在，已忽略`, (p) => `Input "${p.key}" matches no criterion and was ignored`),
  'input.unknownUnit': m('error', (p) => `单位“${p.unit}”不在名单中，且未指明类别（variant）`, (p) => `Unit "${p.unit}" is not listed and names no variant`),
  'input.notApplicableRefused': m(
    'error',
    (p) => `“${p.label}”不能填“${p.value}”：评分细则未规定本项可以不涉及（未设“不涉及”），请按实际情况填写`,
    (p) => `"${p.label}" cannot be "${p.value}": the rubric does not allow 不涉及 (not applicable) for this item; enter the actual figure`,
  ),
} satisfies Record<string, MessageDef>;

export type MessageCode = keyof typeof MESSAGES;
