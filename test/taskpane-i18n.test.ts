import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LANG,
  LANGS,
  LANG_STORAGE_KEY,
  MESSAGES,
  detectLang,
  isMessageId,
  loadStoredLang,
  normalizeLang,
  otherLang,
  placeholders,
  storeLang,
  t,
} from '../src/taskpane/i18n';

const zhKeys = Object.keys(MESSAGES['zh-CN']).sort();

describe('task pane string tables', () => {
  it('has zh-CN as the default and exactly the languages zh-CN and en', () => {
    expect(DEFAULT_LANG).toBe('zh-CN');
    expect([...LANGS].sort()).toEqual(['en', 'zh-CN']);
    expect(Object.keys(MESSAGES).sort()).toEqual(['en', 'zh-CN']);
  });

  it.each(LANGS)('%s has every key and no empty value', (lang) => {
    const table = MESSAGES[lang];
    expect(Object.keys(table).sort()).toEqual(zhKeys);
    for (const key of zhKeys) {
      const value = (table as Record<string, string>)[key];
      expect(typeof value, `${lang} ${key}`).toBe('string');
      expect(value.trim(), `${lang} ${key} is empty`).not.toBe('');
    }
  });

  it('uses the same {placeholders} in both languages', () => {
    for (const key of zhKeys) {
      const zh = (MESSAGES['zh-CN'] as Record<string, string>)[key];
      const en = (MESSAGES.en as Record<string, string>)[key];
      expect(placeholders(en), key).toEqual(placeholders(zh));
    }
  });

  it('writes the Chinese table in Chinese', () => {
    // Every zh-CN message except pure names/labels should contain at least one CJK character.
    const latinOnly = zhKeys.filter((k) => !/[\u4e00-\u9fff]/.test((MESSAGES['zh-CN'] as Record<string, string>)[k]));
    expect(latinOnly).toEqual(['lang.toggle']); // the toggle shows the *other* language's name
  });
});

describe('t()', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('mode.excel.api', 'zh-CN', { version: '1.14' })).toBe('Excel 接口版本：1.14');
    expect(t('mode.excel.api', 'en', { version: '1.14' })).toBe('Excel API version: 1.14');
    expect(t('mode.excel.api', 'en')).toBe('Excel API version: {version}');
  });
  it('defaults to zh-CN', () => {
    expect(t('app.title')).toBe('打分');
  });
  it('knows its ids', () => {
    expect(isMessageId('app.title')).toBe(true);
    expect(isMessageId('nope')).toBe(false);
    expect(isMessageId('toString')).toBe(false);
  });
});

describe('language detection', () => {
  it('normalizes tags', () => {
    expect(normalizeLang('zh-CN')).toBe('zh-CN');
    expect(normalizeLang('zh-Hans-CN')).toBe('zh-CN');
    expect(normalizeLang('zh-TW')).toBe('zh-CN');
    expect(normalizeLang('en-US')).toBe('en');
    expect(normalizeLang('EN')).toBe('en');
    expect(normalizeLang('fr-FR')).toBeUndefined();
    expect(normalizeLang('')).toBeUndefined();
    expect(normalizeLang(null)).toBeUndefined();
  });
  it('prefers the stored choice, then Office, then the browser, else zh-CN', () => {
    expect(detectLang()).toBe('zh-CN');
    expect(detectLang({ navigatorLanguages: ['en-US', 'zh-CN'] })).toBe('en');
    expect(detectLang({ navigatorLanguages: ['fr-FR', 'de'] })).toBe('zh-CN');
    expect(detectLang({ navigatorLanguages: ['fr-FR', 'en-GB'] })).toBe('en');
    expect(detectLang({ officeDisplayLanguage: 'zh-CN', navigatorLanguages: ['en-US'] })).toBe('zh-CN');
    expect(detectLang({ officeDisplayLanguage: 'en-US', navigatorLanguages: ['zh-CN'] })).toBe('en');
    expect(detectLang({ stored: 'zh-CN', officeDisplayLanguage: 'en-US' })).toBe('zh-CN');
  });
  it('toggles between the two languages', () => {
    expect(otherLang('zh-CN')).toBe('en');
    expect(otherLang('en')).toBe('zh-CN');
  });
  it('stores the choice and survives a throwing storage', () => {
    const map = new Map<string, string>();
    const storage = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
    expect(loadStoredLang(storage)).toBeUndefined();
    storeLang(storage, 'en');
    expect(map.get(LANG_STORAGE_KEY)).toBe('en');
    expect(loadStoredLang(storage)).toBe('en');
    const broken = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(loadStoredLang(broken)).toBeUndefined();
    expect(() => storeLang(broken, 'en')).not.toThrow();
    expect(loadStoredLang(null)).toBeUndefined();
  });
});
