// manifest.xml: validates offline against Microsoft's XSD (xmllint, as `npm run validate` does) and
// carries what issue 5 asks: zh-CN default with en-US overrides, the ExcelApi floor, a Home-tab button,
// HTTPS only, one origin, icons that exist.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXCEL_API_FLOOR } from '../src/taskpane/shell';

const root = resolve(__dirname, '..');
const manifestPath = join(root, 'manifest.xml');
const schemaDir = resolve(root, '..', 'shared', 'schemas', 'office-addin-manifest');
const hasXmllint = spawnSync('xmllint', ['--version']).error === undefined;
const hasSchemas = existsSync(join(schemaDir, 'OfficeAppManifestV1_1.xsd'));
const skipReason = !hasXmllint
  ? 'xmllint not installed (apt-get install -y libxml2-utils)'
  : !hasSchemas
    ? `schemas missing at ${schemaDir}`
    : '';

/** Evaluates an XPath 1.0 expression on manifest.xml with xmllint (namespace-agnostic via local-name()). */
function xpath(expr: string, file = manifestPath): string {
  const r = spawnSync('xmllint', ['--xpath', expr, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`xmllint --xpath ${expr}: ${r.stderr}`);
  return r.stdout.trim();
}
const el = (name: string) => `*[local-name()='${name}']`;

const runValidate = (file: string) =>
  spawnSync(process.execPath, [join(root, 'scripts', 'validate-manifest.js'), file], { encoding: 'utf8' });

const d = skipReason ? describe.skip : describe;

d(skipReason ? `manifest.xml (skipped: ${skipReason})` : 'manifest.xml', () => {
  it('validates against OfficeAppManifestV1_1.xsd (npm run validate)', () => {
    const r = runValidate(manifestPath);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('fails validation when the manifest is broken', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dafen-manifest-'));
    const broken = join(dir, 'manifest.xml');
    // Permissions is required by the schema.
    writeFileSync(broken, readFileSync(manifestPath, 'utf8').replace(/<Permissions>[^<]*<\/Permissions>/, ''));
    const r = runValidate(broken);
    expect(r.status).toBe(1);
  });

  it('is an Excel task pane add-in with zh-CN as default locale', () => {
    expect(xpath(`string(/${el('OfficeApp')}/@*[local-name()='type'])`)).toBe('TaskPaneApp');
    expect(xpath(`string(//${el('DefaultLocale')})`)).toBe('zh-CN');
    expect(xpath(`string(/${el('OfficeApp')}/${el('Hosts')}/${el('Host')}/@Name)`)).toBe('Workbook');
  });

  it('has en-US overrides for DisplayName and Description', () => {
    for (const name of ['DisplayName', 'Description']) {
      expect(xpath(`string(/${el('OfficeApp')}/${el(name)}/@DefaultValue)`)).toMatch(/[\u4e00-\u9fff]/);
      const en = xpath(`string(/${el('OfficeApp')}/${el(name)}/${el('Override')}[@Locale='en-US']/@Value)`);
      expect(en, name).not.toBe('');
    }
  });

  it('has an en-US override for every ribbon string', () => {
    const strings = Number(xpath(`count(//${el('Resources')}//${el('String')})`));
    const overridden = Number(xpath(`count(//${el('Resources')}//${el('String')}[${el('Override')}[@Locale='en-US' and @Value!='']])`));
    expect(strings).toBeGreaterThan(0);
    expect(overridden).toBe(strings);
  });

  it('requires exactly ExcelApi 1.7 (the runtime floor in shell.ts)', () => {
    expect(xpath(`count(//${el('Requirements')}//${el('Set')})`)).toBe('1');
    expect(xpath(`string(//${el('Requirements')}//${el('Set')}/@Name)`)).toBe('ExcelApi');
    expect(xpath(`string(//${el('Requirements')}//${el('Set')}/@MinVersion)`)).toBe(EXCEL_API_FLOOR);
  });

  it('puts a button that opens the task pane on the Home tab', () => {
    const button = `//${el('OfficeTab')}[@id='TabHome']//${el('Control')}[@*[local-name()='type']='Button']`;
    expect(Number(xpath(`count(${button})`))).toBe(1);
    expect(xpath(`string(${button}/${el('Action')}/@*[local-name()='type'])`)).toBe('ShowTaskpane');
    const resid = xpath(`string(${button}/${el('Action')}/${el('SourceLocation')}/@resid)`);
    expect(xpath(`string(//${el('Url')}[@id='${resid}']/@DefaultValue)`)).toBe('https://localhost:3000/taskpane.html');
    expect(xpath(`string(//${el('SourceLocation')}[@DefaultValue]/@DefaultValue)`)).toBe('https://localhost:3000/taskpane.html');
  });

  it('defines every resid it references', () => {
    const text = readFileSync(manifestPath, 'utf8');
    const refs = new Set([...text.matchAll(/resid="([^"]+)"/g)].map((m) => m[1]));
    const ids = new Set([...text.matchAll(/<bt:(?:Image|Url|String) id="([^"]+)"/g)].map((m) => m[1]));
    expect([...refs].filter((r) => !ids.has(r))).toEqual([]);
  });

  it('uses only https URLs, all on the one dev origin, and the icons exist', () => {
    const text = readFileSync(manifestPath, 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    const attrs = [...text.matchAll(/([\w:]+)="([^"]*)"/g)].filter(([, name]) => !name.startsWith('xmlns'));
    const texts = [...text.matchAll(/>\s*([a-z][\w+.-]*:\/\/[^<\s]*)\s*</gi)].map((m) => m[1]);
    const urls = [...attrs.map(([, , v]) => v), ...texts].filter((v) => /^[a-z][\w+.-]*:\/\//i.test(v));
    expect(urls.length).toBeGreaterThan(5);
    for (const url of urls) {
      expect(url, url).toMatch(/^https:\/\//);
      expect(new URL(url).origin, url).toBe('https://localhost:3000');
    }
    // No extra domains: the pane never navigates elsewhere.
    expect(xpath(`count(//${el('AppDomain')})`)).toBe('0');
    for (const url of urls.filter((u) => u.endsWith('.png'))) {
      const file = join(root, new URL(url).pathname);
      expect(existsSync(file), file).toBe(true);
    }
  });
});
