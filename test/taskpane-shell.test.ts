// Pure parts of the task pane shell (no DOM needed): mode decision, Office.onReady, capability probing.
import { describe, expect, it } from 'vitest';
import { decideMode, detectCapabilities, waitForOffice, type OfficeLike } from '../src/taskpane/shell';

const office = (host: string | null, maxMinor = 0): OfficeLike => ({
  HostType: { Excel: 'Excel' },
  onReady: () => Promise.resolve({ host, platform: host ? 'OfficeOnline' : null }),
  context: {
    displayLanguage: 'zh-CN',
    requirements: {
      isSetSupported: (name, v) => name === 'ExcelApi' && Number((v ?? '1.1').split('.')[1]) <= maxMinor,
    },
  },
});

describe('decideMode', () => {
  it('is "excel" in Excel, "browser" with no host, "other-host" elsewhere', () => {
    expect(decideMode({ host: 'Excel' }, office('Excel'))).toBe('excel');
    expect(decideMode({ host: 'Excel' })).toBe('excel');
    expect(decideMode({ host: null })).toBe('browser');
    expect(decideMode(undefined)).toBe('browser');
    expect(decideMode({ host: 'Word' })).toBe('other-host');
  });
});

describe('waitForOffice', () => {
  it('passes Office.onReady through', async () => {
    await expect(waitForOffice(office('Excel'))).resolves.toEqual({ host: 'Excel', platform: 'OfficeOnline' });
    await expect(waitForOffice(office(null))).resolves.toEqual({ host: null, platform: null });
  });
  it('treats a missing office.js as outside Excel', async () => {
    await expect(waitForOffice(null)).resolves.toEqual({ host: null, platform: null });
  });
});

describe('detectCapabilities', () => {
  it('finds the highest ExcelApi set and the features it brings', () => {
    const isSet = (max: number) => (office('Excel', max).context!.requirements!.isSetSupported);
    expect(detectCapabilities(isSet(7))).toMatchObject({
      excelApi: '1.7',
      dataValidation: false,
      insertWorksheetsFromBase64: false,
      triggerSource: false,
    });
    expect(detectCapabilities(isSet(13))).toMatchObject({
      excelApi: '1.13',
      changeDetails: true,
      customProperties: true,
      insertWorksheetsFromBase64: true,
      triggerSource: false,
    });
    expect(detectCapabilities(isSet(17)).triggerSource).toBe(true);
    expect(detectCapabilities(() => false).excelApi).toBeNull();
    expect(
      detectCapabilities(() => {
        throw new Error('no requirements API');
      }).excelApi,
    ).toBeNull();
  });
});
