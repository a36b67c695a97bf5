/**
 * Every message the engine can produce, keyed by code, in zh-CN and English. One place to find and
 * translate them; test/engine-messages.test.ts checks both languages exist and render every param.
 */
/** A message's parameters, and a message: its severity and its text in both languages. Every layer's catalog (xlsx, import) uses these. */
export type MessageParams = Record<string, string | number>;
type P = MessageParams;
export interface MessageDef {
  severity: 'error' | 'warning';
  zh: (p: P) => string;
  en: (p: P) => string;
}

/** Where 不涉及 is allowed, what else the clerk may type for it (marks.ts naHint). */
const naZh = (p: P): string => (p.naMarks ? `；本项不涉及的可填“不涉及”（或${p.naMarks}）` : '');
const naEn = (p: P): string => (p.naMarks ? `; if it does not apply, type 不涉及 (or ${String(p.naMarks).replace(/、/g, ', ')})` : '');
export const defineMessage = (severity: 'error' | 'warning', zh: (p: P) => string, en: (p: P) => string): MessageDef => ({ severity, zh, en });
const m = defineMessage;

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
  // ---- rubric file: what authors commonly get wrong (issue 13) ----
  'rubric.fullWidthColon': m(
    'error',
    (p) => `第${p.line}行“${p.field}”后用了全角冒号“：”，应为半角“:”（后面再空一格），否则这一项读不出来`,
    (p) => `Line ${p.line}: "${p.field}" is followed by a full-width colon "："; use the ASCII colon ":" (and a space), or the field is not read`,
  ),
  'rubric.numberWithFen': m(
    'error',
    (p) => `这里应为数字，实际为“${p.value}”：请只写数字${p.number}，不要带“分”`,
    (p) => `A number is expected here, got "${p.value}": write just ${p.number}, without 分`,
  ),
  'rubric.percentTierWhole': m(
    'error',
    (p) => `“${p.label}”是百分比，档次下限${p.min}超过100%：百分比档次应写成小数，如 90% 写 0.9（此处应为${p.fraction}）`,
    (p) => `"${p.label}" is a percentage and the tier bound ${p.min} is above 100%: write percent tiers as fractions, 90% as 0.9 (here ${p.fraction})`,
  ),
  'rubric.badKind': m('error', (p) => `评分规则“${p.kind}”参数有误：${p.detail}`, (p) => `Rule "${p.kind}" has bad parameters: ${p.detail}`),
  // ---- rubric file: meaning ----
  'rubric.duplicateId': m('error', (p) => `编号“${p.id}”重复（首次出现于 ${p.first}）`, (p) => `Duplicate id "${p.id}" (first at ${p.first})`),
  'rubric.duplicateVariant': m('error', (p) => `类别编号“${p.id}”重复`, (p) => `Duplicate variant id "${p.id}"`),
  'rubric.duplicateUnit': m('error', (p) => `被考核单位“${p.unit}”重复`, (p) => `Duplicate unit "${p.unit}"`),
  'rubric.unknownVariant': m(
    'error',
    (p) => `单位“${p.unit}”的类别“${p.variant}”不存在；现有类别：${p.known}（填编号 id）`,
    (p) => `Unit "${p.unit}" names unknown variant "${p.variant}"; the variants are: ${p.known} (give the id)`,
  ),
  'rubric.unknownUnit': m('warning', (p) => `适用范围中的单位“${p.unit}”不在单位名单中`, (p) => `Applicability names unit "${p.unit}", which is not in the unit list`),
  'rubric.unknownVoid': m('error', (p) => `“${p.title}”的不得分条款指向不存在的项目“${p.id}”（须为同一类别中的上级或同级项目）`, (p) => `The zero-out of "${p.title}" voids "${p.id}", which is not a node of this variant (a parent or sibling)`),
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
  // ---- rubric file: hostile or broken files (issue 10) ----
  'rubric.file': m('error', (p) => `无法读取评分细则文件：${p.detail}`, (p) => `Cannot read the rubric file: ${p.detail}`),
  'rubric.empty': m('error', () => '评分细则文件是空的（或只有注释）', () => 'The rubric file is empty (or holds only comments)'),
  'rubric.encoding': m(
    'warning',
    (p) => `文件编码为${p.encoding}，不是 UTF-8；已按${p.encoding}读取，请核对文字后另存为 UTF-8`,
    (p) => `The file is encoded as ${p.encoding}, not UTF-8; it was read as ${p.encoding}: check the text and save it as UTF-8`,
  ),
  'rubric.badEncoding': m(
    'error',
    () => '文件不是 UTF-8 文本，也不是 GB18030/GBK 或 UTF-16 文本，无法读取；请另存为 UTF-8',
    () => 'The file is not UTF-8 text, nor GB18030/GBK or UTF-16: cannot read it; save it as UTF-8',
  ),
  'rubric.tooDeep': m(
    'error',
    (p) => `嵌套层级过深（超过${p.max}层），不是一份评分细则`,
    (p) => `Nested too deeply (more than ${p.max} levels): this is not a rubric`,
  ),
  'rubric.nonCharacter': m(
    'error',
    (p) => `第${p.line}行含有非字符 ${p.char}（表格软件无法打开含此字符的文件），请删除`,
    (p) => `Line ${p.line} holds the noncharacter ${p.char} (spreadsheet applications cannot open a file holding it): remove it`,
  ),
  'rubric.numberTooLarge': m(
    'error',
    (p) => `数值${p.value}超出允许范围（绝对值不超过${p.max}）`,
    (p) => `The number ${p.value} is out of bounds (at most ${p.max} in absolute value)`,
  ),
  'rubric.tooMany': m(
    'error',
    (p) => `${p.what}有${p.count}项，超过上限${p.max}项（表格公式的参数个数有限）`,
    (p) => `${p.what} has ${p.count} entries, above the limit of ${p.max} (spreadsheet formulas take a limited number of arguments)`,
  ),
  'rubric.gradesOrder': m(
    'error',
    (p) => `等次须按下限从高到低排列：第${p.index}个等次“${p.label}”（${p.min}）有误`,
    (p) => `Grades must descend by their minimum: grade ${p.index} "${p.label}" (${p.min}) is out of order`,
  ),
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
  // ---- 本表设定: values the rubric sets and the clerk may change in the workbook ----
  'setting.blank': m(
    'error',
    (p) => `${p.sheet}!${p.cell}（${p.criterion}：${p.label}）未填写，本项设定均按本表原值计（${p.rubric}）`,
    (p) => `${p.sheet}!${p.cell} (${p.criterion}: ${p.label}) is blank; this criterion's settings keep the rubric's values (${p.rubric})`,
  ),
  'setting.notNumber': m(
    'error',
    (p) => `${p.sheet}!${p.cell}（${p.criterion}：${p.label}）应填数字，实际为“${p.value}”，本项设定均按本表原值计（${p.rubric}）`,
    (p) => `${p.sheet}!${p.cell} (${p.criterion}: ${p.label}) needs a number, got "${p.value}"; this criterion's settings keep the rubric's values (${p.rubric})`,
  ),
  'setting.range': m(
    'error',
    (p) => `${p.sheet}!${p.cell}（${p.criterion}：${p.label}）应在${p.min}～${p.max}之间，实际为${p.value}，本项设定均按本表原值计（${p.rubric}）`,
    (p) => `${p.sheet}!${p.cell} (${p.criterion}: ${p.label}) must be within ${p.min}–${p.max}, got ${p.value}; this criterion's settings keep the rubric's values (${p.rubric})`,
  ),
  'setting.orderRank': m(
    'error',
    (p) => `${p.sheet}!${p.cell}（${p.criterion}：${p.label}）为${p.value}，名次靠后的得分将高于靠前的，本项设定均按本表原值计`,
    (p) => `${p.sheet}!${p.cell} (${p.criterion}: ${p.label}) is ${p.value}: a lower place would earn more than a higher one; this criterion's settings keep the rubric's values`,
  ),
  'setting.orderTier': m(
    'error',
    (p) => `${p.sheet}!${p.cell}（${p.criterion}：${p.label}）为${p.value}，较高档次的得分将低于较低档次，本项设定均按本表原值计`,
    (p) => `${p.sheet}!${p.cell} (${p.criterion}: ${p.label}) is ${p.value}: a higher tier would earn less than a lower one; this criterion's settings keep the rubric's values`,
  ),
  'input.tooLarge': m('error', (p) => `“${p.label}”数值过大（${p.value}），请核对`, (p) => `"${p.label}" is implausibly large (${p.value}); please check`),
  'input.zeroRequired': m('error', (p) => `“${p.label}”应完成数不能为0`, (p) => `"${p.label}": the required number cannot be 0`),
  'input.exclusiveLines': m(
    'warning',
    (p) => `“${p.labels}”只能有一项成立（互相排斥），只按扣（加）分最多的一项计，请核对`,
    (p) => `Only one of "${p.labels}" can apply (mutually exclusive); only the largest is counted — please check`,
  ),
  'input.unknownKey': m('warning', (p) => `录入项“${p.key}”在评分细则中不存在，已忽略`, (p) => `Input "${p.key}" matches no criterion and was ignored`),
  'input.unknownVariant': m(
    'error',
    (p) => `单位“${p.unit}”的类别“${p.variant}”不存在；现有类别：${p.known}（填编号 id）`,
    (p) => `Unit "${p.unit}" names unknown variant "${p.variant}"; the variants are: ${p.known} (give the id)`,
  ),
  'input.unknownUnit': m('error', (p) => `单位“${p.unit}”不在名单中，且未指明类别（variant）`, (p) => `Unit "${p.unit}" is not listed and names no variant`),
  'input.notApplicableRefused': m(
    'error',
    (p) => `“${p.label}”不能填“${p.value}”：评分细则未规定本项可以不涉及（未设“不涉及”），请按实际情况填写`,
    (p) => `"${p.label}" cannot be "${p.value}": the rubric does not allow 不涉及 (not applicable) for this item; enter the actual figure`,
  ),
  // ---- inputs: one reading of every cell (issue 9/10) — a rejected value counts 0 in the engine and the sheet ----
  'input.textNumber': m(
    'error',
    (p) => `“${p.label}”应填数字，单元格里的“${p.value}”是文本（公式按0计）；请删除后重新输入数字，或把单元格格式改为“常规”`,
    (p) => `"${p.label}" needs a number; the cell holds the text "${p.value}" (formulas read it as 0): retype it as a number, or set the cell format to General`,
  ),
  'input.percentAbove1': m(
    'error',
    (p) => `“${p.label}”是百分比（0～100%），${p.value}即${p.pct}，超过100%；85%请填“85%”或0.85`,
    (p) => `"${p.label}" is a percentage (0–100%); ${p.value} is ${p.pct}, above 100%: for 85% enter "85%" or 0.85`,
  ),
  'input.percentSign': m('error', (p) => `“${p.label}”不是百分比，不能带%（${p.value}）`, (p) => `"${p.label}" is not a percentage; "${p.value}" has a % sign`),
  'input.ambiguousNumber': m(
    'error',
    (p) => `“${p.label}”的“${p.value}”不是明确的数字（逗号只能用作千位分隔，数字中间不能有空格）`,
    (p) => `"${p.label}": "${p.value}" is not an unambiguous number (commas only as thousands separators, no spaces inside a number)`,
  ),
  'input.unitMismatch': m('error', (p) => `“${p.label}”的单位是“${p.unit}”，填的“${p.value}”单位是“${p.got}”`, (p) => `"${p.label}" is counted in ${p.unit}; "${p.value}" is in ${p.got}`),
  'input.notScalar': m('error', (p) => `“${p.label}”应为单个值，实际为“${p.value}”`, (p) => `"${p.label}" needs a single value, got "${p.value}"`),
} satisfies Record<string, MessageDef>;

export type MessageCode = keyof typeof MESSAGES;
