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
