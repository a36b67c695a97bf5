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
