/**
 * Messages about workbooks (reading a filled 打分表 back), in zh-CN and English, keyed by code —
 * the same shape as the engine's catalog (src/engine/messages.ts), kept in this layer.
 */
import { defineMessage, type MessageDef, type MessageParams, type Problem, type Severity } from '../engine';

type P = MessageParams;
type Def = MessageDef;
const m = defineMessage;

export const XLSX_MESSAGES = {
  'workbook.unreadable': m('error', (p) => `无法读取工作簿（不是有效的 .xlsx 文件）：${p.detail}`, (p) => `Cannot read the workbook (not a valid .xlsx file): ${p.detailEn ?? p.detail}`),
  'workbook.notDafen': m(
    'error',
    (p) => `此工作簿不是由打分（Dafen）生成的：找不到隐藏的元数据表“_dafen”（工作表：${p.sheets}）`,
    (p) => `This workbook was not made by Dafen: the hidden metadata sheet "_dafen" is missing (sheets: ${p.sheets})`,
  ),
  'workbook.badMeta': m('error', (p) => `元数据表“${p.sheet}”已损坏，无法识别：${p.detail}`, (p) => `The metadata sheet "${p.sheet}" is damaged: ${p.detail}`),
  'workbook.programUnknown': m(
    'error',
    (p) => `工作簿使用的评分细则“${p.id}”（${p.title}）不在评分细则目录中；请用 --rubric 指定细则文件`,
    (p) => `The workbook's rubric "${p.id}" (${p.title}) is not among the known rubrics; name the file with --rubric`,
  ),
  'workbook.versionUnknown': m(
    'error',
    (p) => `工作簿按评分细则“${p.id}”第${p.version}版生成，现有细则是第${p.known}版；请用 --rubric 指定第${p.version}版的细则文件`,
    (p) => `The workbook was made with version ${p.version} of rubric "${p.id}", but the rubric at hand is version ${p.known}; name the matching file with --rubric`,
  ),
  'workbook.embeddedRubric': m(
    'warning',
    (p) => `评分细则“${p.id}”第${p.version}版不在评分细则目录中，已使用工作簿内保存的同一版本细则`,
    (p) => `Rubric "${p.id}" version ${p.version} is not among the known rubrics; the copy saved in the workbook was used`,
  ),
  'workbook.hashDiffers': m(
    'warning',
    (p) => `评分细则“${p.id}”第${p.version}版的内容与生成工作簿时不同（版本号未变）`,
    (p) => `Rubric "${p.id}" version ${p.version} differs from the one the workbook was made with (same version number)`,
  ),
  'workbook.sheetMissing': m(
    'error',
    (p) => `找不到单位“${p.unit}”的工作表“${p.sheet}”（可能已被删除），该单位按未填处理`,
    (p) => `Sheet "${p.sheet}" of unit "${p.unit}" is missing (deleted?); the unit counts as not filled in`,
  ),
  'workbook.sheetRenamed': m('warning', (p) => `工作表“${p.sheet}”已改名为“${p.now}”，已按隐藏标记找到`, (p) => `Sheet "${p.sheet}" was renamed to "${p.now}"; found by its hidden marker`),
  'workbook.rowDeleted': m(
    'error',
    (p) => `工作表“${p.sheet}”中“${p.label}”所在的行（原在${p.cell}）已被删除，该项按未填处理`,
    (p) => `Sheet "${p.sheet}": the row of "${p.label}" (was ${p.cell}) has been deleted; it counts as not filled in`,
  ),
  'workbook.rowMoved': m(
    'warning',
    (p) => `工作表“${p.sheet}”有${p.count}处行位置变动（插入、删除或移动了行），已按隐藏标记重新定位，例如“${p.label}”从${p.from}移到${p.cell}`,
    (p) => `Sheet "${p.sheet}": ${p.count} row(s) moved (rows inserted, deleted or moved); found again by their hidden markers, e.g. "${p.label}" moved from ${p.from} to ${p.cell}`,
  ),
  'workbook.markersMissing': m(
    'warning',
    (p) => `工作表“${p.sheet}”的隐藏标记列（${p.col}列）已被清空，按生成时的位置读取`,
    (p) => `Sheet "${p.sheet}": the hidden marker column ${p.col} was cleared; cells are read where they were generated`,
  ),
  'workbook.formulaInInput': m(
    'warning',
    (p) => `${p.sheet}!${p.cell}（“${p.label}”）是录入格，却填了公式 =${p.formula}，按其结果“${p.value}”计`,
    (p) => `${p.sheet}!${p.cell} ("${p.label}") is an input cell holding the formula =${p.formula}; its result "${p.value}" is used`,
  ),
  'workbook.formulaChanged': m(
    'error',
    (p) => `${p.sheet}!${p.cell}（${p.what}）的公式被改动或覆盖：应为 =${p.expected}，实际为 ${p.actual}`,
    (p) => `${p.sheet}!${p.cell} (${p.what}): the formula was changed or overwritten; expected =${p.expected}, found ${p.actual}`,
  ),
  'workbook.valueDiffers': m(
    'warning',
    (p) => `${p.sheet}!${p.cell}（${p.what}）显示${p.actual}，重新计分为${p.expected}（文件保存前未重新计算，或公式被改动）`,
    (p) => `${p.sheet}!${p.cell} (${p.what}) shows ${p.actual} but re-scores to ${p.expected} (not recalculated before saving, or the formula was changed)`,
  ),
  // ---- issue 9: stale and foreign values ----
  'workbook.notRecalculated': m(
    'warning',
    (p) => `有${p.count}个公式格保存的是旧结果（文件保存前没有重新计算），例如 ${p.examples}；分数以重新计分为准。请在 Excel/WPS/LibreOffice 中打开、重新计算（Ctrl+Alt+F9；LibreOffice：数据→计算→无条件重新计算）后保存`,
    (p) => `${p.count} formula cell(s) hold old results (the file was saved without recalculating), e.g. ${p.examples}; the re-scored figures stand. Open it in Excel, WPS or LibreOffice, recalculate (Ctrl+Alt+F9; LibreOffice: Data → Calculate → Recalculate Hard) and save`,
  ),
  'workbook.dateInInput': m(
    'warning',
    (p) => `${p.sheet}!${p.cell}（“${p.label}”）是日期格式（${p.date}），公式把它读作数字${p.value}，按此计`,
    (p) => `${p.sheet}!${p.cell} ("${p.label}") is formatted as a date (${p.date}); formulas read it as the number ${p.value}, and so does the re-score`,
  ),
  // ---- hostile or broken files (issue 10) ----
  'workbook.otherFormat': m(
    'error',
    (p) => `这不是 .xlsx 工作簿，而是${p.format}文件（只改了扩展名）；请在 Excel 或 WPS 中打开后“另存为” .xlsx`,
    (p) => `This is not an .xlsx workbook but ${p.formatEn} under another name; open it in Excel or WPS and save it as .xlsx`,
  ),
  'workbook.damaged': m(
    'error',
    (p) => `工作簿已损坏，无法读取（${p.part}）：请用 Excel 或 WPS 打开并另存后再试。详情：${p.detail}`,
    (p) => `The workbook is damaged and cannot be read (${p.part}); open it in Excel or WPS, save it again and retry. Detail: ${p.detail}`,
  ),
  'workbook.tooLarge': m(
    'error',
    (p) => `工作簿解压后过大或文件数过多（${p.what}），不是一份打分表，未读取`,
    (p) => `The workbook unpacks too large or into too many parts (${p.what}): not a scoring workbook, not read`,
  ),
  'workbook.settingsMissing': m(
    'warning',
    (p) => `找不到“${p.sheet}”表（可能已被删除或改名），各项本表设定按评分细则原值计分`,
    (p) => `The sheet "${p.sheet}" is missing (deleted or renamed?); every 本表设定 value is scored as the rubric sets it`,
  ),
  'workbook.summaryMissing': m(
    'error',
    (p) => `找不到汇总表“${p.sheet}”（可能已被删除或改名），汇总中的总分、名次无法核对`,
    (p) => `The summary sheet "${p.sheet}" is missing (deleted or renamed?); its totals and ranks cannot be checked`,
  ),
  'workbook.columnsMoved': m(
    'warning',
    (p) => `工作表“${p.sheet}”的列有变动（插入或删除了${p.count}列），已按隐藏标记和表头重新定位`,
    (p) => `Sheet "${p.sheet}": columns were inserted or deleted (${p.count}); cells were found again by the hidden marker and the headers`,
  ),
  'workbook.entryNotRead': m(
    'error',
    (p) => `${p.sheet}!${p.cell}填写了“${p.value}”，但这一行不是打分表生成的录入行（可能是插入的行），该值不计分；请填到对应评分项的录入格`,
    (p) => `${p.sheet}!${p.cell} holds "${p.value}" in a row the sheet did not generate (an inserted row?): it is not scored; enter it in the criterion's input cell`,
  ),
  'workbook.remarkNotRead': m(
    'warning',
    (p) => `“${p.sheet}”第${p.count}行（单位“${p.unit}”，评分人“${p.label}”，评分项“${p.key}”）的扣分依据“${p.value}”未读入：${p.reason}；更新评分标准或合并时原样保留在“未匹配录入”`,
    (p) => `"${p.sheet}" row ${p.count} (unit "${p.unit}", hand "${p.label}", criterion "${p.key}"): the remark "${p.value}" was not read: ${p.reasonEn}; an update or a merge keeps it on 未匹配录入 as it is`,
  ),
  'workbook.metaUnit': m(
    'error',
    (p) => `元数据中单位“${p.unit}”（工作表“${p.sheet}”）与评分细则不符：${p.detail}`,
    (p) => `Unit "${p.unit}" (sheet "${p.sheet}") in the metadata does not fit the rubric: ${p.detail}`,
  ),
  'workbook.outputProblem': m(
    'error',
    (p) => `无法写出 ${p.file}：${p.reason}`,
    (p) => `Cannot write ${p.file}: ${p.reasonEn}`,
  ),
  'workbook.outputExists': m(
    'error',
    (p) => `${p.file} 已存在；如确要替换，请加 --force`,
    (p) => `${p.file} exists; add --force to replace it`,
  ),
  'workbook.outputHoldsEntries': m(
    'error',
    (p) => `${p.file} 是已填写${p.count}项录入的打分表，不会被替换（加 --force 也不会）；要换用新的评分细则，请用 dafen update ${p.file} --rubric <新细则> -o <新文件> 把录入带过去`,
    (p) => `${p.file} is a scoring workbook holding ${p.count} entries and will not be replaced (not even with --force); to move to a new rubric, carry the entries over with dafen update ${p.file} --rubric <new rubric> -o <new file>`,
  ),
  'workbook.useUpdate': m(
    'error',
    (p) => `工作簿按评分细则“${p.id}”第${p.version}版生成，--rubric 给出的是第${p.other}版；不同版本不能直接计分，请用 dafen update ${p.file} --rubric ${p.rubric} -o <新文件> 把录入带到新版本`,
    (p) => `The workbook was made with version ${p.version} of rubric "${p.id}" but --rubric gives version ${p.other}; carry the entries to it with dafen update ${p.file} --rubric ${p.rubric} -o <new file>`,
  ),
  'workbook.otherProgram': m(
    'error',
    (p) => `--rubric 给出的评分细则“${p.other}”不是工作簿使用的“${p.id}”（${p.title}），不能把录入带过去`,
    (p) => `--rubric gives rubric "${p.other}", not the workbook's "${p.id}" (${p.title}): entries cannot be carried to it`,
  ),
  'workbook.madeUnknown': m(
    'warning',
    (p) => `找不到生成工作簿时的评分细则“${p.id}”第${p.version}版（工作簿内也未保存）：录入只能按录入项编号转入，请核对转入结果`,
    (p) => `The rubric the workbook was made with ("${p.id}" version ${p.version}) is not at hand nor saved in the workbook: entries are carried by key only; check them`,
  ),
  'workbook.formulaTooLong': m(
    'error',
    (p) => `“${p.sheet}”!${p.cell}（${p.what}）的公式有${p.length}个字符，超过 Excel 的上限${p.max}个字符，Excel 将无法打开此工作簿；未写出文件。请把该评分项的内容拆分为几个子项`,
    (p) => `The formula at "${p.sheet}"!${p.cell} (${p.what}) is ${p.length} characters, over Excel's limit of ${p.max}: Excel would refuse the workbook, so nothing was written. Split this criterion into parts`,
  ),
  'workbook.keptAside': m(
    'warning',
    (p) => `${p.unit}的录入“${p.label}”（${p.key}）=${p.value} 未转入第${p.version}版：${p.reason}；原样保留在“未匹配录入”工作表`,
    (p) => `${p.unit}: entry "${p.key}" = ${p.value} was not carried to version ${p.version} (${p.reasonEn}); kept as it was on the 未匹配录入 sheet`,
  ),
  'workbook.inputFile': m(
    'error',
    (p) => `无法读取 ${p.file}：${p.reason}`,
    (p) => `Cannot read ${p.file}: ${p.reasonEn}`,
  ),
  'workbook.sameFile': m('error', (p) => `不会覆盖输入文件 ${p.file}；请用 -o 指定另一个文件`, (p) => `Will not write over the input file ${p.file}; give another file with -o`),
} satisfies Record<string, Def>;

export type XlsxMessageCode = keyof typeof XLSX_MESSAGES;

/** A workbook problem: the engine's Problem shape, with a workbook code and the sheet and cell where known. */
export interface WorkbookProblem extends Omit<Problem, 'code'> {
  code: XlsxMessageCode | Problem['code'];
  sheet?: string;
  cell?: string;
}

export function wbProblem(code: XlsxMessageCode, params: P, where: { sheet?: string; cell?: string } = {}, severity?: Severity): WorkbookProblem {
  const d = XLSX_MESSAGES[code];
  const path = where.sheet ? `${where.sheet}${where.cell ? `!${where.cell}` : ''}` : '';
  return { code, severity: severity ?? d.severity, path, params, message: { zh: d.zh(params), en: d.en(params) }, ...where };
}

/** One line: `县安监局!G12 error workbook.rowDeleted 中文 / English`. */
export function formatWorkbookProblem(p: WorkbookProblem, lang: 'zh' | 'en' | 'both' = 'both'): string {
  const msg = lang === 'zh' ? p.message.zh : lang === 'en' ? p.message.en : `${p.message.zh} / ${p.message.en}`;
  return `${p.path ? `${p.path} ` : ''}${p.severity === 'warning' ? 'warning ' : ''}${p.code} ${msg}`;
}

/** An engine problem about an input key, placed at its sheet and cell. */
export function atCell(p: Problem | WorkbookProblem, sheet: string, cell?: string): WorkbookProblem {
  return { ...p, sheet, ...(cell ? { cell } : {}), path: `${sheet}${cell ? `!${cell}` : ''}` };
}
