// Task pane strings: zh-CN first (the clerks' language), English second, keyed by id.
// Pure module (no DOM globals at import time) so tests and the CLI-side tooling can load it.
// Messages may hold {name} placeholders, filled by t(id, lang, { name: value }).

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'zh-CN';
/** localStorage key remembering the clerk's explicit choice from the language toggle. */
export const LANG_STORAGE_KEY = 'dafen.lang';

const zhCN = {
  'app.title': '打分',
  'app.subtitle': '考核评分细则 → 打分表',
  'lang.toggle': 'English',
  'lang.toggle.title': '切换到英文界面',
  'boot.loading': '正在加载…',
  'boot.failed': '加载失败：{message}',
  'mode.excel.title': 'Excel 中的打分',
  'mode.excel.intro': '在当前工作簿中生成打分表，录入时自动计分并写入备注与状态。',
  'mode.excel.placeholder': '生成打分表、重新计算、更新评分标准等功能即将在此处提供。',
  'mode.excel.api': 'Excel 接口版本：{version}',
  'mode.excel.oldApi': '此 Excel 版本较旧（ExcelApi 低于 {version}），部分功能将改用较慢的方式。',
  'mode.browser.title': '浏览器中的打分',
  'mode.browser.intro': '未在 Excel 中打开：可在此选择考核方案和单位并下载打分表，或上传已填写的打分表查看汇总与问题。',
  'mode.browser.placeholder': '下载与上传功能即将在此处提供。WPS 用户和旧版 Excel 用户请使用此页面。',
  'mode.browser.sideload': '如需在 Excel 网页版中使用：插入 ▸ 加载项 ▸ 上传我的加载项，选择 manifest.xml。',
  'mode.otherHost.title': '不支持的应用',
  'mode.otherHost.intro': '打分 加载项只能在 Excel 中运行（当前：{host}）。',
  'pick.program': '考核方案',
  'pick.programFile': '或从文件加载评分细则（.yaml）',
  'pick.programProblems': '评分细则检查：{errors} 个错误，{warnings} 个警告',
  'pick.programOk': '评分细则检查通过：{title}（版本 {version}）',
  'pick.programLoading': '正在加载内置考核方案…',
  'pick.variant': '类别',
  'pick.units': '被考核单位',
  'pick.unitsAll': '全选',
  'pick.unitsPaste': '其他单位（每行一个，可从表格中粘贴；不在名单中的单位可写“名称：标签、标签”）',
  'pick.unitsCount': '已选 {count} 个单位',
  'pick.date': '日期',
  'pick.noUnits': '请至少选择或填写一个单位',
  'pick.noProgram': '请先选择一个没有错误的考核方案',
  'excel.generate': '生成打分表',
  'excel.generating': '正在生成打分表…',
  'excel.generated': '已生成 {count} 张工作表（{path}）',
  'excel.path.base64': '一次插入',
  'excel.path.ranges': '逐区域写入',
  'excel.conflict': '以下工作表已存在：{names}。是否替换？（替换后原表内容将被删除）',
  'excel.replace': '替换',
  'excel.cancel': '取消',
  'excel.cancelled': '已取消，未修改工作簿',
  'excel.live.on': '实时计分已开启：{title}（版本 {version}），{count} 张打分表',
  'excel.live.none': '当前工作簿中没有打分表：请先生成打分表',
  'excel.live.unknownProgram': '工作簿由考核方案 {id}（版本 {version}）生成，但找不到该方案：请从文件加载同一版本的评分细则',
  'excel.live.last': '{unit}：{status}（总分 {final}）',
  'excel.actions': '打分表维护',
  'excel.recalc': '重新计算',
  'excel.recalcDone': '已重新计算 {count} 张打分表',
  'excel.overwritten': '发现 {count} 个计算单元格的公式被改写：{cells}',
  'excel.restore': '恢复公式',
  'excel.restored': '已恢复 {count} 个公式（录入内容未改动）',
  'excel.update': '更新评分标准',
  'excel.updatePick': '新版本评分细则',
  'excel.updatePreview': '预览变化',
  'excel.updateApply': '应用新版本',
  'excel.updateSame': '新旧版本的评分标准相同，无需更新',
  'excel.updated': '已按版本 {version} 重新生成，{carried} 项录入已带入，{unmatched} 项放入“未匹配录入”',
  'diff.title': '版本 {from} → {to} 的变化',
  'diff.added': '新增：{items}',
  'diff.removed': '删除：{items}',
  'diff.points': '分值变化：{items}',
  'diff.rule': '计分方法变化：{items}',
  'diff.text': '文字或位置调整：{items}',
  'diff.none': '评分标准无变化',
  'diff.moved': '总分将变化的单位：{items}',
  'diff.unmoved': '各单位总分不变',
  'diff.unmatched': '{count} 项录入找不到对应的评分项，将保留在“未匹配录入”表中',
  'browser.download': '下载打分表（.xlsx）',
  'browser.downloading': '正在生成文件…',
  'browser.downloaded': '已生成 {file}',
  'browser.upload': '上传已填写的打分表（.xlsx）',
  'browser.reading': '正在读取…',
  'browser.summary': '汇总（{title}，版本 {version}）',
  'browser.problems': '问题（{count}）',
  'browser.noProblems': '没有发现问题',
  'browser.notDafen': '这不是打分生成的工作簿（缺少元数据），无法计分',
  'sum.rank': '名次',
  'sum.unit': '单位',
  'sum.variant': '类别',
  'sum.base': '基础分',
  'sum.bonus': '加分',
  'sum.penalty': '扣分',
  'sum.final': '总分',
  'sum.converted': '折合分',
  'sum.grade': '等次',
  'sum.veto': '否决',
  'sum.status': '状态',
  'sum.vetoed': '取消评优资格',
  // --- issue 8 (add-in in real Excel) ---
  'excel8.genFailed': '生成失败（{code}）：{message}。{restored}',
  'excel8.genRestored': '原有工作表已恢复原样。',
  'excel8.genNotRestored': '未能完全恢复原有工作表，请检查名为“~dafen-old-…”的工作表。',
  'excel8.fallback': '（一次插入不可用：{code}，已改为逐区域写入）',
  'excel8.formulasFixed': '，{count} 个公式在插入后被改动，已恢复',
  'excel8.writeFailed': '无法写入工作表“{sheet}”（{code}）：该表可能被另行加密保护。计分结果未写入，录入内容未改动。',
  'excel8.settingsBad': '本表设定有误，已按评分细则原值计分：{detail}',
  'excel8.settingsApplied': '已按“本表设定”重新计分（{count} 张打分表）',
  'excel8.restoreRefused': '工作表 {sheets} 设有密码保护，未恢复其公式',
  'excel8.renamed': '已找到改名后的打分表：{names}',
  'excel8.missing': '找不到以下打分表（可能已被删除）：{names}',
  'excel8.live.off': '实时计分未开启：打开“打分”任务窗格后才会自动计分；窗格关闭期间的录入请点“重新计算”。',
  // --- end issue 8 ---
  // ── 导入评分细则 (src/taskpane/import-view.ts, issue 12) ──
  'import.title': '导入评分细则',
  'import.intro': '上传今年的考核细则（.docx、.xlsx 或 .txt），打分会逐条识别计分办法；标“需确认”的条目请核对原文。',
  'import.file': '选择评分细则文件',
  'import.reading': '正在识别评分细则…',
  'import.done': '已识别 {count} 条评分标准，其中 {flagged} 条需确认',
  'import.failed': '无法导入：{message}',
  'import.col.id': '编号',
  'import.col.item': '考核项目/内容',
  'import.col.points': '分值',
  'import.col.text': '评分标准',
  'import.col.kind': '计分方式',
  'import.col.params': '参数',
  'import.col.basis': '识别依据',
  'import.col.confirm': '需确认',
  'import.col.check': '检查结果',
  'import.downloadSheet': '下载评分细则表（.xlsx）',
  'import.hasErrors': '评分细则表有 {errors} 处错误：改正后才能生成打分表',
  'importx.intro': '把考核细则的表格粘贴到工作表中并选中它，点“从选中的表格导入”：打分会写出“评分细则”表，每条一行；在“计分方式”“参数”列中核对、修改，改动立即检查。',
  'importx.read': '从选中的表格导入',
  'importx.generate': '按评分细则表生成打分表',
  'importx.save': '保存评分细则（.yaml）',
  'importx.written': '已写入“{sheet}”表：{count} 条评分标准，其中 {flagged} 条需确认；请核对计分方式和参数',
  'importx.checked': '“{sheet}”表已检查，没有错误（{warnings} 处提醒）',
  'importx.refused': '请只选中一块连续的表格区域（当前选中了多块）',
  'importx.noSheet': '工作簿中没有“评分细则”表：请先选中粘贴的表格，点“从选中的表格导入”',
  'importx.noBase': '工作簿中没有导入时保存的评分细则（隐藏表“_dafen_细则”）：请重新导入',
  'importx.noHeader': '“{sheet}”表找不到表头（编号、计分方式、参数…）',
  'import.generate': '生成打分表',
  'import.generated': '已将“{title}”加入考核方案，并生成打分表',
  'import.save': '保存评分细则（.yaml）',
  // ── end of 导入评分细则 ──
  'error.generic': '出错了：{message}',
  // ---- issue 13: statuses, file and date controls, the narrow summary, downloads after an upload ----
  'status.done': '完成',
  'status.missing': '未完成 {count} 项',
  'status.errors': '有 {count} 处错误',
  'file.choose': '选择文件…',
  'file.none': '未选择文件',
  'pick.datePlaceholder': '年-月-日，如 2019-01-15',
  'pick.badDate': '日期应为“年-月-日”格式的有效日期，如 2019-01-15（实际为“{value}”）',
  'sum.open': '点击单位查看全部得分和各项备注',
  'detail.back': '‹ 返回汇总',
  'detail.criterion': '评分项',
  'detail.points': '得分',
  'detail.note': '备注',
  'detail.reason': '扣分依据/说明',
  'browser.downloadFixed': '下载修正后的工作簿（.xlsx）',
  'browser.downloadSummary': '下载汇总表（.csv）',
  'browser.fixedNote': '修正后的工作簿：录入内容与扣分依据原样保留，公式和得分按评分细则重写（与 dafen score -o 相同）。',
  ...collectStrings().zh,
} as const;

export type MessageId = keyof typeof zhCN;

const en: Record<MessageId, string> = {
  'app.title': 'Dafen',
  'app.subtitle': 'Assessment rubric → scoring sheets',
  'lang.toggle': '中文',
  'lang.toggle.title': 'Switch to the Chinese interface',
  'boot.loading': 'Loading…',
  'boot.failed': 'Could not load: {message}',
  'mode.excel.title': 'Scoring in Excel',
  'mode.excel.intro': 'Create scoring sheets in this workbook; entries are scored as you type, with notes and a status.',
  'mode.excel.placeholder': 'Create sheets, recalculate and update the rubric will appear here.',
  'mode.excel.api': 'Excel API version: {version}',
  'mode.excel.oldApi': 'This Excel is older (ExcelApi below {version}); some features use a slower path.',
  'mode.browser.title': 'Scoring in the browser',
  'mode.browser.intro': 'Not opened in Excel: pick a program and units here to download the scoring workbook, or upload a filled one to see the summary and problems.',
  'mode.browser.placeholder': 'Download and upload will appear here. This is the page for WPS users and older Excel versions.',
  'mode.browser.sideload': 'To use it in Excel on the web: Insert ▸ Add-ins ▸ Upload My Add-in, then choose manifest.xml.',
  'mode.otherHost.title': 'Unsupported application',
  'mode.otherHost.intro': 'The Dafen add-in runs only in Excel (this is: {host}).',
  'pick.program': 'Assessment program',
  'pick.programFile': 'or load a rubric file (.yaml)',
  'pick.programProblems': 'Rubric check: {errors} error(s), {warnings} warning(s)',
  'pick.programOk': 'Rubric checked: {title} (version {version})',
  'pick.programLoading': 'Loading the bundled programs…',
  'pick.variant': 'Variant',
  'pick.units': 'Assessed units',
  'pick.unitsAll': 'Select all',
  'pick.unitsPaste': 'Other units (one per line; paste from a table; for an unlisted unit write "name: tag, tag")',
  'pick.unitsCount': '{count} unit(s) selected',
  'pick.date': 'Date',
  'pick.noUnits': 'Select or type at least one unit',
  'pick.noProgram': 'Pick a program without errors first',
  'excel.generate': 'Create scoring sheets',
  'excel.generating': 'Creating the scoring sheets…',
  'excel.generated': 'Created {count} sheet(s) ({path})',
  'excel.path.base64': 'inserted at once',
  'excel.path.ranges': 'written range by range',
  'excel.conflict': 'These sheets exist already: {names}. Replace them? (their content will be deleted)',
  'excel.replace': 'Replace',
  'excel.cancel': 'Cancel',
  'excel.cancelled': 'Cancelled; the workbook is unchanged',
  'excel.live.on': 'Live scoring on: {title} (version {version}), {count} scoring sheet(s)',
  'excel.live.none': 'No scoring sheets in this workbook yet: create them first',
  'excel.live.unknownProgram': 'This workbook was made with program {id} (version {version}), which is not available: load that version\'s rubric file',
  'excel.live.last': '{unit}: {status} (total {final})',
  'excel.actions': 'Maintain the sheets',
  'excel.recalc': 'Recalculate',
  'excel.recalcDone': 'Recalculated {count} scoring sheet(s)',
  'excel.overwritten': '{count} computed cell(s) lost their formula: {cells}',
  'excel.restore': 'Restore formulas',
  'excel.restored': 'Restored {count} formula(s); inputs untouched',
  'excel.update': 'Update the rubric',
  'excel.updatePick': 'Newer rubric version',
  'excel.updatePreview': 'Preview changes',
  'excel.updateApply': 'Apply the new version',
  'excel.updateSame': 'Both versions score alike; nothing to update',
  'excel.updated': 'Re-created with version {version}: {carried} input(s) carried over, {unmatched} kept under 未匹配录入 (unmatched inputs)',
  'diff.title': 'Changes from version {from} to {to}',
  'diff.added': 'Added: {items}',
  'diff.removed': 'Removed: {items}',
  'diff.points': 'Points changed: {items}',
  'diff.rule': 'Scoring method changed: {items}',
  'diff.text': 'Wording or place changed: {items}',
  'diff.none': 'No change to the rubric',
  'diff.moved': 'Units whose total changes: {items}',
  'diff.unmoved': 'No unit total changes',
  'diff.unmatched': '{count} input(s) match no criterion and will be kept on the 未匹配录入 sheet',
  'browser.download': 'Download the scoring workbook (.xlsx)',
  'browser.downloading': 'Creating the file…',
  'browser.downloaded': 'Created {file}',
  'browser.upload': 'Upload a filled scoring workbook (.xlsx)',
  'browser.reading': 'Reading…',
  'browser.summary': 'Summary ({title}, version {version})',
  'browser.problems': 'Problems ({count})',
  'browser.noProblems': 'No problems found',
  'browser.notDafen': 'This workbook was not made by Dafen (no metadata); it cannot be scored',
  'sum.rank': 'Rank',
  'sum.unit': 'Unit',
  'sum.variant': 'Variant',
  'sum.base': 'Base',
  'sum.bonus': 'Bonus',
  'sum.penalty': 'Penalty',
  'sum.final': 'Total',
  'sum.converted': 'Converted',
  'sum.grade': 'Grade',
  'sum.veto': 'Veto',
  'sum.status': 'Status',
  'sum.vetoed': 'No awards (veto)',
  // --- issue 8 (add-in in real Excel) ---
  'excel8.genFailed': 'Creating failed ({code}): {message}. {restored}',
  'excel8.genRestored': 'The existing sheets were put back as they were.',
  'excel8.genNotRestored': 'The existing sheets could not all be put back: look for sheets named "~dafen-old-…".',
  'excel8.fallback': ' (inserting at once was unavailable: {code}; written range by range instead)',
  'excel8.formulasFixed': ', {count} formula(s) changed on insert were restored',
  'excel8.writeFailed': 'Could not write to sheet "{sheet}" ({code}): it may carry its own password protection. Scores were not written; inputs are untouched.',
  'excel8.settingsBad': '本表设定 refused, scored with the rubric\'s values: {detail}',
  'excel8.settingsApplied': 'Re-scored with the 本表设定 values ({count} scoring sheets)',
  'excel8.restoreRefused': 'Sheets {sheets} are password-protected: their formulas were not restored',
  'excel8.renamed': 'Found renamed scoring sheets: {names}',
  'excel8.missing': 'These scoring sheets were not found (deleted?): {names}',
  'excel8.live.off': 'Live scoring is off: scores update only while the Dafen pane is open; after typing with the pane closed, press 重新计算 (Recalculate).',
  // --- end issue 8 ---
  // ── import a rubric table (src/taskpane/import-view.ts, issue 12) ──
  'import.title': 'Import a rubric table',
  'import.intro': 'Upload this year\'s rubric (.docx, .xlsx or .txt): each scoring rule is read from its words; check the items marked “To confirm” against the text.',
  'import.file': 'Choose the rubric file',
  'import.reading': 'Reading the rubric…',
  'import.done': '{count} criteria read, {flagged} to confirm',
  'import.failed': 'Cannot import: {message}',
  'import.col.id': 'Id',
  'import.col.item': 'Item',
  'import.col.points': 'Points',
  'import.col.text': 'Scoring text',
  'import.col.kind': 'Rule',
  'import.col.params': 'Parameters',
  'import.col.basis': 'Read from',
  'import.col.confirm': 'To confirm',
  'import.col.check': 'Check',
  'import.downloadSheet': 'Download the 评分细则 sheet (.xlsx)',
  'import.hasErrors': 'The 评分细则 sheet has {errors} error(s): correct them to make the scoring workbook',
  'importx.intro': 'Paste the document\'s table into a sheet, select it and click “Import the selected table”: Dafen writes the 评分细则 sheet, one row per criterion; check and edit 计分方式 and 参数 there, every edit is checked at once.',
  'importx.read': 'Import the selected table',
  'importx.generate': 'Make the scoring workbook from the 评分细则 sheet',
  'importx.save': 'Save the rubric (.yaml)',
  'importx.written': 'Wrote the sheet “{sheet}”: {count} criteria, {flagged} to confirm; check the rule kinds and parameters',
  'importx.checked': 'The sheet “{sheet}” is checked: no errors ({warnings} warning(s))',
  'importx.refused': 'Select one block of cells (several areas are selected)',
  'importx.noSheet': 'The workbook has no 评分细则 sheet: select the pasted table and click “Import the selected table”',
  'importx.noBase': 'The workbook holds no imported rubric (hidden sheet _dafen_细则): import again',
  'importx.noHeader': 'The sheet “{sheet}” has no header row (编号, 计分方式, 参数…)',
  'import.generate': 'Make the scoring workbook',
  'import.generated': 'Added “{title}” to the programs and made the scoring workbook',
  'import.save': 'Save the rubric (.yaml)',
  // ── end of import ──
  'error.generic': 'Something went wrong: {message}',
  'status.done': 'Complete',
  'status.missing': '{count} item(s) not entered',
  'status.errors': '{count} error(s)',
  'file.choose': 'Choose a file…',
  'file.none': 'No file chosen',
  'pick.datePlaceholder': 'YYYY-MM-DD, e.g. 2019-01-15',
  'pick.badDate': 'The date must be a real date written YYYY-MM-DD, e.g. 2019-01-15 (got "{value}")',
  'sum.open': 'Tap a unit to see all its scores and the note on each criterion',
  'detail.back': '‹ Back to the summary',
  'detail.criterion': 'Criterion',
  'detail.points': 'Points',
  'detail.note': 'Note',
  'detail.reason': 'Reason (扣分依据)',
  'browser.downloadFixed': 'Download the corrected workbook (.xlsx)',
  'browser.downloadSummary': 'Download the summary (.csv)',
  'browser.fixedNote': 'Corrected workbook: inputs and reasons kept as entered, formulas and scores rewritten from the rubric (as dafen score -o does).',
  ...collectStrings().en,
};

export const MESSAGES: Readonly<Record<Lang, Readonly<Record<MessageId, string>>>> = {
  'zh-CN': zhCN,
  en,
};

export function isMessageId(id: string): id is MessageId {
  return Object.prototype.hasOwnProperty.call(zhCN, id);
}

/** Maps a BCP 47 tag to a supported language: zh* → zh-CN, en* → en, anything else → undefined. */
export function normalizeLang(tag: string | null | undefined): Lang | undefined {
  if (!tag) return undefined;
  const t = tag.trim().toLowerCase();
  if (t === 'zh' || t.startsWith('zh-') || t.startsWith('zh_')) return 'zh-CN';
  if (t === 'en' || t.startsWith('en-') || t.startsWith('en_')) return 'en';
  return undefined;
}

export interface LangSources {
  /** The clerk's explicit choice (language toggle), if any. */
  stored?: string | null;
  /** Office.context.displayLanguage inside Office (e.g. "en-US"). */
  officeDisplayLanguage?: string | null;
  /** navigator.languages (or [navigator.language]) outside Office. */
  navigatorLanguages?: readonly string[] | null;
}

/**
 * Picks the UI language: an explicit stored choice wins, then Office's display language, then the
 * browser's languages; the first of these that is Chinese or English decides. Default zh-CN.
 */
export function detectLang(sources: LangSources = {}): Lang {
  const candidates = [sources.stored, sources.officeDisplayLanguage, ...(sources.navigatorLanguages ?? [])];
  for (const c of candidates) {
    const lang = normalizeLang(c);
    if (lang) return lang;
  }
  return DEFAULT_LANG;
}

export function otherLang(lang: Lang): Lang {
  return lang === 'zh-CN' ? 'en' : 'zh-CN';
}

/** Translates a message id, filling {name} placeholders; unknown placeholders are left visible. */
export function t(id: MessageId, lang: Lang = DEFAULT_LANG, params: Record<string, string | number> = {}): string {
  const template = MESSAGES[lang][id] ?? MESSAGES[DEFAULT_LANG][id] ?? id;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** Placeholder names used by a message, for consistency checks. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

/** Storage as far as the language choice needs it (window.localStorage fits; tests pass a Map-like stub). */
export interface LangStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function loadStoredLang(storage: LangStorage | null | undefined): Lang | undefined {
  try {
    return normalizeLang(storage?.getItem(LANG_STORAGE_KEY));
  } catch {
    return undefined; // storage can throw in locked-down webviews
  }
}

export function storeLang(storage: LangStorage | null | undefined, lang: Lang): void {
  try {
    storage?.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // Not persisted; the choice still applies to this session.
  }
}

// ---- 分发 / 收集 (issue 15, src/taskpane/collect-view.ts): zh-CN, then English. A function declaration, so the
// tables above can spread it before this point of the module.
function collectStrings() {
  const zh = {
    'collect.title': '分发与收集',
    'collect.intro': '把打分表分发给各单位自评或各位评委打分，再把交回的文件合并成一份新的打分表；每个文件取了什么、哪里有冲突、哪些文件被拒收，逐一列出。',
    'collect.splitTitle': '分发',
    'collect.splitMaster': '选择打分表（.xlsx）',
    'collect.by': '分发方式',
    'collect.byUnit': '按单位：每个单位一份自评表',
    'collect.byRater': '按评委：每位评委一份（含全部单位）',
    'collect.split': '分发（下载 zip）',
    'collect.splitting': '正在生成分发文件…',
    'collect.splitDone': '已生成 {count} 份分发文件，打包为 {file}；解压后逐份发出。',
    'collect.mergeTitle': '收集',
    'collect.mergeMaster': '选择原打分表（.xlsx）',
    'collect.mergePieces': '选择交回的文件（可多选）',
    'collect.merge': '收集（下载合并后的打分表）',
    'collect.merging': '正在合并…',
    'collect.needMaster': '请先选择打分表',
    'collect.needPieces': '请选择交回的文件',
    'collect.mergeDone': '已下载 {file}：收回 {taken} 份，拒收 {refused} 份，取 {values} 项录入，冲突 {conflicts} 项（保留打分表中的值）。',
    'collect.fileTaken': '✓ {file}：{hand}，{units} 个单位，取 {taken} 项，相同 {same} 项，冲突 {conflicts} 项，未匹配 {kept} 项',
    'collect.conflict': '! 冲突：{unit} {hand} “{label}” 打分表中为 {master}，交回 {piece}；保留打分表中的值',
    // Inside Excel: the open workbook is the one sent out and collected into.
    'collectx.intro': '把本工作簿分发给各单位自评或各位评委打分（下载 zip，逐份发出）；交回的文件直接收进本工作簿：只填入空白的录入格，已有的录入一律不改，冲突逐项列出。',
    'collectx.split': '分发本工作簿（下载 zip）',
    'collectx.pieces': '选择交回的文件（可多选）',
    'collectx.merge': '收进本工作簿',
    'collectx.noWorkbook': '本工作簿还没有打分表：请先生成打分表',
    'collectx.reading': '正在读取本工作簿…',
    'collectx.writing': '正在填入 {count} 项…',
    'collectx.mergeDone': '已收进本工作簿：收回 {taken} 份，拒收 {refused} 份，填入 {values} 项录入和 {remarks} 条扣分依据，冲突 {conflicts} 项（保留本工作簿中的值）；已重新计算。',
    'collectx.changed': '! {sheet}!{cell}：读取后又填入了 {now}，交回的 {piece} 未填入（保留现有的值）',
    'collectx.unplaced': '! {unit} {hand}：本工作簿中找不到 “{label}” 的录入格，{piece} 未填入（工作表被删除或行列被改动）',
    'collectx.aside': '另有 {count} 项放在“{sheet}”工作表中',
    'collectx.open': '打开',
    'collectx.openEach': '已生成 {count} 份分发文件。Mac 版 Excel 不能从窗格下载文件：请逐份点“打开”，在新打开的工作簿中“另存为”后发出。',
    'collectx.noOutlet': '已生成 {count} 份分发文件，但此版本的 Excel 既不能从窗格下载文件，也不能打开新工作簿（需要 ExcelApi 1.8）；请在电脑浏览器中打开 Dafen 网页分发，或用 dafen split。',
  } as const;
  const en: Record<keyof typeof zh, string> = {
    'collect.title': 'Send out and collect',
    'collect.intro': 'Send the workbook to each unit for its self-assessment or to each rater, then merge the returned files into a new workbook; what each file gave, every conflict and every refused file are listed.',
    'collect.splitTitle': 'Send out',
    'collect.splitMaster': 'Choose the workbook (.xlsx)',
    'collect.by': 'Send out',
    'collect.byUnit': 'By unit: one self-assessment file per unit',
    'collect.byRater': 'By rater: one file per rater (every unit)',
    'collect.split': 'Send out (download a zip)',
    'collect.splitting': 'Making the files…',
    'collect.splitDone': '{count} files made, packed as {file}; unpack it and send each one.',
    'collect.mergeTitle': 'Collect',
    'collect.mergeMaster': 'Choose the original workbook (.xlsx)',
    'collect.mergePieces': 'Choose the returned files (several at once)',
    'collect.merge': 'Collect (download the merged workbook)',
    'collect.merging': 'Merging…',
    'collect.needMaster': 'Choose the workbook first',
    'collect.needPieces': 'Choose the returned files',
    'collect.mergeDone': 'Downloaded {file}: {taken} files taken, {refused} refused, {values} entries taken, {conflicts} conflicts (the workbook’s values kept).',
    'collect.fileTaken': '✓ {file}: {hand}, {units} unit(s), {taken} taken, {same} same, {conflicts} conflicts, {kept} kept aside',
    'collect.conflict': '! Conflict: {unit} {hand} "{label}" holds {master} in the workbook, {piece} returned; the workbook’s kept',
    'collectx.intro': 'Send this workbook to each unit for its self-assessment or to each rater (download a zip, send each file); returned files are collected into this workbook: only blank entry cells are filled, no entry already there is changed, and every conflict is listed.',
    'collectx.split': 'Send out this workbook (download a zip)',
    'collectx.pieces': 'Choose the returned files (several at once)',
    'collectx.merge': 'Collect into this workbook',
    'collectx.noWorkbook': 'This workbook has no scoring sheets yet: generate them first',
    'collectx.reading': 'Reading this workbook…',
    'collectx.writing': 'Filling in {count} entries…',
    'collectx.mergeDone': 'Collected into this workbook: {taken} files taken, {refused} refused, {values} entries and {remarks} reasons filled in, {conflicts} conflicts (this workbook’s values kept); recalculated.',
    'collectx.changed': '! {sheet}!{cell}: {now} was entered after the workbook was read; the returned {piece} was not filled in (the value there kept)',
    'collectx.unplaced': '! {unit} {hand}: this workbook has no entry cell for "{label}"; {piece} was not filled in (a sheet deleted, or its rows or columns changed)',
    'collectx.aside': '{count} more kept on the “{sheet}” sheet',
    'collectx.open': 'Open',
    'collectx.openEach': '{count} files made. Excel for Mac cannot download from the pane: click “Open” for each, then “Save As” the new workbook and send it.',
    'collectx.noOutlet': '{count} files made, but this Excel can neither download from the pane nor open a new workbook (ExcelApi 1.8 needed); use the Dafen web page in a browser, or dafen split.',
  };
  return { zh, en };
}
