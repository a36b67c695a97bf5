/**
 * Messages of the import layer (评分细则导入), zh-CN and English, keyed by code — the same shape as the
 * engine's catalog (src/engine/messages.ts), kept in this layer.
 */
import { defineMessage, type MessageDef, type MessageParams, type Severity } from '../engine';

type P = MessageParams;
type Def = MessageDef;
const m = defineMessage;

export const IMPORT_MESSAGES = {
  'import.empty': m('error', () => '文件是空的，没有可导入的内容', () => 'The file is empty: nothing to import'),
  'import.tooLarge': m('error', (p) => `文件太大（${p.size}），评分细则一般不超过 ${p.max}；请只导出评分细则表格`, (p) => `The file is too large (${p.size}); a rubric table is rarely over ${p.max}: export the table alone`),
  'import.unknownFormat': m('error', (p) => `无法识别的文件类型“${p.name}”：请使用 .docx、.xlsx 或 .txt 文件`, (p) => `Unknown file type "${p.name}": use a .docx, .xlsx or .txt file`),
  'import.unreadable': m('error', (p) => `无法读取文件（${p.format}）：${p.detail}`, (p) => `Cannot read the file (${p.format}): ${p.detail}`),
  'import.noTable': m('error', (p) => `文件中没有表格${p.where ? `（${p.where}）` : ''}：请确认评分细则是以表格形式排版的`, (p) => `The file holds no table${p.where ? ` (${p.where})` : ''}: is the rubric laid out as a table?`),
  'import.noHeader': m(
    'error',
    () => '找不到表头：表格中没有“考核项目”“考核内容”“评分标准”“分值”等列名，无法判断各列的含义',
    () => 'No header row: the table has none of the column names 考核项目, 考核内容, 评分标准, 分值…, so the columns cannot be told apart',
  ),
  'import.noCriteria': m('error', () => '表格中没有找到任何评分条目', () => 'The table holds no scoring items'),
  'import.headerSpan': m('warning', (p) => `表头“${p.header}”跨${p.n}列：按${p.n}级名称列读取`, (p) => `The header "${p.header}" spans ${p.n} columns: read as ${p.n} levels of names`),
  'import.pointsCount': m('warning', (p) => `第${p.line}行：分值栏有${p.n}个分值，评分标准有${p.m}条，按一条读取`, (p) => `Line ${p.line}: ${p.n} points for ${p.m} clauses; read as one criterion`),
  'import.needsConfirm': m('warning', (p) => `${p.id}：${p.reason}（需确认）`, (p) => `${p.id}: the rule needs confirming — ${p.reason}`),
  'import.duplicateTable': m('warning', () => '同一表格出现两次，只导入一次', () => 'The same table appears twice; imported once'),
  // the 评分细则 sheet (sheet.ts): a row a clerk edited
  'sheet.unknownKind': m('error', (p) => `${p.id}：未知的计分方式“${p.kind}”，可选：${p.kinds}`, (p) => `${p.id}: unknown rule kind "${p.kind}"; choose one of ${p.kinds}`),
  'sheet.unreadableParams': m('error', (p) => `${p.id}：参数“${p.params}”无法识别（${p.why}）；请按“每次扣0.5分；扣完为止”“90%以上4分；70%以上1分”这样的写法填写`, (p) => `${p.id}: the parameters "${p.params}" cannot be read (${p.why}); write them like 每次扣0.5分；扣完为止 or 90%以上4分；70%以上1分`),
  'sheet.kindMismatch': m('error', (p) => `${p.id}：计分方式选的是“${p.kind}”，参数读出来是“${p.read}”：请改计分方式或参数，使两者一致`, (p) => `${p.id}: the rule kind says ${p.kind} but the parameters read as ${p.read}: make them agree`),
  'sheet.paramsForKind': m('error', (p) => `${p.id}：计分方式改为“${p.kind}”，请在参数中写明${p.kind}的参数`, (p) => `${p.id}: the rule kind is now ${p.kind}: write its parameters`),
  'sheet.badPoints': m('error', (p) => `${p.id}：分值“${p.value}”不是数字`, (p) => `${p.id}: the points "${p.value}" are not a number`),
  'sheet.unknownId': m('error', (p) => `编号“${p.id}”（类别${p.variant}）不在导入的评分细则中：新增条目请在原文表格中加上后重新导入`, (p) => `No. "${p.id}" (variant ${p.variant}) is not in the imported rubric: add new items to the table and import again`),
  'sheet.duplicateId': m('error', (p) => `编号“${p.id}”重复（第${p.row}行已有）`, (p) => `No. "${p.id}" appears twice (already in row ${p.row})`),
  'sheet.rowMissing': m('warning', (p) => `编号“${p.id}”的行已删除：该条目按导入时保留`, (p) => `The row of "${p.id}" was deleted: the item is kept as imported`),
  'sheet.groupRule': m('error', (p) => `${p.id}是含下级指标的分组行，不能有计分方式或参数`, (p) => `${p.id} is a group of items: it takes no rule kind or parameters`),
  'sheet.noHeader': m('error', () => '找不到“评分细则”表的表头（编号、计分方式、参数…）', () => 'The 评分细则 sheet has no header row (编号, 计分方式, 参数…)'),
  'sheet.noBase': m('error', () => '工作簿中没有导入时保存的评分细则（隐藏表“_dafen_细则”）：请重新导入', () => 'The workbook holds no imported rubric (hidden sheet _dafen_细则): import again'),
} satisfies Record<string, Def>;

export type ImportCode = keyof typeof IMPORT_MESSAGES;

export interface ImportProblem {
  code: ImportCode | string;
  severity: Severity;
  path: string;
  line?: number;
  params: P;
  message: { zh: string; en: string };
}

export function importProblem(code: ImportCode, path: string, params: P = {}, severity?: Severity): ImportProblem {
  const def = IMPORT_MESSAGES[code];
  const line = typeof params.line === 'number' ? params.line : undefined;
  return { code, severity: severity ?? def.severity, path, ...(line !== undefined ? { line } : {}), params, message: { zh: def.zh(params), en: def.en(params) } };
}
