/**
 * Generates the hostile-input corpus in test/fixtures/attacks/ (issue 10): malformed rubrics and tampered
 * or foreign workbooks, each with what `dafen validate` / `dafen score` must answer (the exit codes allowed
 * and a problem code that must be listed). Run `npx tsx test/cli/attacks-generate.ts` to write the corpus
 * again (cases.json lists every file with its expectation and the finding it comes from).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { loadProgram } from '../../src/engine';
import { planWorkbook } from '../../src/layout';
import { writeWorkbook } from '../../src/xlsx';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ATTACKS = join(ROOT, 'test/fixtures/attacks');
const MINI = readFileSync(join(ROOT, 'test/fixtures/mini.yaml'), 'utf8');

export interface Case {
  /** File name under rubrics/ or workbooks/. */
  file: string;
  /** Exit codes allowed. */
  rc: number[];
  /** A problem code that must be printed; null: none required (the case is about staying bounded). */
  code: string | null;
  why: string;
}

const HEAD = 'id: x\nversion: 1.0.0\ntitle: t\nissuer: i\nyear: 2020\nsource: s\n';
const VARIANT = (sections: string) =>
  `${HEAD}variants:\n  - id: a\n    name: n\n    title: t\n    columns: [{ header: 项目, source: level1 }, { header: 分值, source: points }]\n    sections: ${sections}\n`;
const crit = (id: string, pts = 1) => `{ id: ${id}, title: t${id}, points: ${pts}, rule: { kind: yesno, question: q } }`;

function rubricCases(): { file: string; bytes: Uint8Array | string; rc: number[]; code: string; why: string }[] {
  const n = 3000;
  const sub = (a: string, b: string) => {
    if (!MINI.includes(a)) throw new Error(`fixture lacks ${a}`);
    return MINI.replace(a, b);
  };
  return [
    { file: 'deep-flow.yaml', bytes: `a: ${'['.repeat(n)}${']'.repeat(n)}`, rc: [1], code: 'rubric.tooDeep', why: 'RangeError in the YAML parser' },
    { file: 'deep-block.yaml', bytes: `a:\n${Array.from({ length: 1500 }, (_, i) => `${' '.repeat(i + 1)}- `).join('\n')}1\n`, rc: [1], code: 'rubric.tooDeep', why: 'deep block sequence' },
    { file: 'deep-sections.yaml', bytes: VARIANT(`${'[{ id: s, title: t, children: '.repeat(1500)}[]${'}]'.repeat(1500)}`), rc: [1], code: 'rubric.tooDeep', why: 'rubric nodes nested 1,500 deep' },
    { file: 'deep-moderate.yaml', bytes: VARIANT(`${'[{ id: s, title: t, children: '.repeat(40)}[]${'}]'.repeat(40)}`), rc: [1], code: 'rubric.tooDeep', why: '40 levels: below the parser limit, above ours' },
    { file: 'deep.json', bytes: `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`, rc: [1], code: 'rubric.tooDeep', why: 'deep JSON rubric' },
    { file: 'alias-bomb.yaml', bytes: `${HEAD}a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`, rc: [1], code: 'rubric.yaml', why: 'billion laughs' },
    { file: 'alias-unresolved.yaml', bytes: `${HEAD}title: *nowhere\n`, rc: [1], code: 'rubric.yaml', why: 'alias without anchor' },
    { file: 'empty.yaml', bytes: '', rc: [1], code: 'rubric.empty', why: 'empty file' },
    { file: 'comments-only.yaml', bytes: '# 只有注释\n# comments only\n', rc: [1], code: 'rubric.empty', why: 'comment-only file' },
    { file: 'gbk.yaml', bytes: new Uint8Array(iconv.encode(MINI, 'gbk')), rc: [0], code: 'rubric.encoding', why: 'saved as GBK ("ANSI")' },
    { file: 'utf16le-bom.yaml', bytes: new Uint8Array([0xff, 0xfe, ...iconv.encode(MINI, 'utf16le')]), rc: [0], code: 'rubric.encoding', why: 'saved as UTF-16 (Notepad "Unicode")' },
    { file: 'utf16be-nobom.yaml', bytes: new Uint8Array(iconv.encode(MINI, 'utf16be')), rc: [0], code: 'rubric.encoding', why: 'UTF-16BE without a BOM' },
    { file: 'binary.yaml', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x80, 0xff, 0x00, 0x01]), rc: [1], code: 'rubric.badEncoding', why: 'a PNG named .yaml' },
    { file: 'invalid-utf8.yaml', bytes: new Uint8Array([...Buffer.from(MINI.slice(0, 200)), 0xff, 0xff, 0x80, ...Buffer.from(MINI.slice(200))]), rc: [1], code: 'rubric.badEncoding', why: 'bytes valid in no encoding' },
    { file: 'schema-and-meaning.yaml', bytes: sub('year: 2018', 'year: "2024"').replace('id: s1.2,', 'id: s1.1,').replace('kind: yesno', 'kind: bogus').replace('tiers: [{ min: 0.7, points: 1 }, { min: 0.9, points: 4 }]', 'tiers: [{ min: 0.9, points: 4 }, { min: 0.7, points: 1 }]'), rc: [1], code: 'rubric.duplicateId', why: 'a schema error used to hide the rest' },
    { file: 'grades-unsorted.yaml', bytes: sub('grades: [{ min: 90, label: 优秀 }, { min: 60, label: 合格 }, { min: 0, label: 不合格 }]', 'grades: [{ min: 60, label: 及格 }, { min: 90, label: 优秀 }, { min: 0, label: 不合格 }]'), rc: [1], code: 'rubric.gradesOrder', why: '93 graded 及格' },
    { file: 'points-1e308.yaml', bytes: sub('points: 3,', 'points: 1e308,'), rc: [1], code: 'rubric.numberTooLarge', why: 'Infinity in the sheet' },
    { file: 'conversion-1e308.yaml', bytes: sub('conversion: { from: 100, to: 2 }', 'conversion: { from: 100, to: 1e308 }'), rc: [1], code: 'rubric.numberTooLarge', why: 'conversion clamped silently' },
    { file: 'conversion-tiny.yaml', bytes: sub('conversion: { from: 100, to: 2 }', 'conversion: { from: 1e-300, to: 2 }'), rc: [1], code: 'rubric.schema', why: 'a tiny divisor overflows' },
    { file: 'rate-1e300.yaml', bytes: sub('rate: 0.5 }', 'rate: 1e300 }'), rc: [1], code: 'rubric.numberTooLarge', why: 'rule parameter overflow' },
    { file: 'children-300.yaml', bytes: VARIANT(`[{ id: s, title: t, children: [${Array.from({ length: 300 }, (_, i) => crit(`c${i}`)).join(', ')}] }]`), rc: [1], code: 'rubric.tooMany', why: 'SUM takes 255 arguments' },
    { file: 'sections-300.yaml', bytes: VARIANT(`[${Array.from({ length: 300 }, (_, i) => crit(`c${i}`)).join(', ')}]`), rc: [1], code: 'rubric.tooMany', why: 'an 11,653-character total formula' },
    { file: 'nonchar-ffff.yaml', bytes: sub('甲局', '甲\uFFFF局'), rc: [1], code: 'rubric.nonCharacter', why: 'LibreOffice cannot open the xlsx' },
    { file: 'nonchar-fffe.yaml', bytes: sub('title: 测试考核', 'title: 测试\uFFFE考核'), rc: [1], code: 'rubric.nonCharacter', why: 'U+FFFE in text' },
    { file: 'unit-space-twice.yaml', bytes: sub('  - { name: 乙局, variant: a }', '  - { name: "甲局 ", variant: a }'), rc: [1], code: 'rubric.duplicateUnit', why: '"甲局 " and "甲局" print alike' },
    { file: 'not-a-mapping.yaml', bytes: '- 1\n- 2\n', rc: [1], code: 'rubric.schema', why: 'a list, not a rubric' },
    { file: 'duplicate-key.yaml', bytes: `${HEAD}id: y\n`, rc: [1], code: 'rubric.yaml', why: 'a key twice' },
  ];
}

type Meta = Record<string, unknown> & { sheets: Record<string, unknown>[]; layouts: Record<string, unknown>[]; summary: Record<string, unknown> };

/** Reads the stored metadata of a workbook, lets `edit` change it, writes it back as the chunks would be. */
function editMeta(wb: ExcelJS.Workbook, edit: (m: Meta) => unknown): void {
  const ws = wb.getWorksheet('_dafen')!;
  const head = JSON.parse(String(ws.getCell(1, 1).value)) as { chunks: number };
  let json = '';
  for (let r = 2; r < 2 + head.chunks; r++) json += String(ws.getCell(r, 1).value);
  const m = JSON.parse(json) as Meta;
  const out = edit(m);
  const text = JSON.stringify(out === undefined ? m : out);
  for (let r = 2; r < 2 + head.chunks; r++) ws.getCell(r, 1).value = null;
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += 30000) chunks.push(text.slice(i, i + 30000));
  ws.getCell(1, 1).value = JSON.stringify({ ...head, chunks: chunks.length });
  chunks.forEach((c, i) => (ws.getCell(i + 2, 1).value = c));
}

const REF = /(?<![A-Za-z0-9_.\u00C0-\uFFFF])((?:'(?:[^']|'')+'|[A-Za-z0-9_.\u00C0-\uFFFF]+)!)?(\$?)([A-Z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_(.])/g;

/** What Excel and LibreOffice do to every formula when rows are inserted in `sheet` at `at`: references at or below move down. */
export function shiftFormulas(wb: ExcelJS.Workbook, sheet: string, at: number, by: number, axis: 'row' | 'col'): void {
  const colNum = (s: string) => [...s].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  const colLet = (n: number) => {
    let s = '';
    for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    return s;
  };
  for (const ws of wb.worksheets) {
    ws.eachRow((row) => row.eachCell((c) => {
      // A merged cell other than the top-left reads and writes the top-left's value: shift that once.
      if (c.isMerged && c.master !== c) return;
      const v = c.value as { formula?: string; result?: unknown } | null;
      if (!v || typeof v !== 'object' || typeof v.formula !== 'string') return;
      const f = v.formula.split(/("(?:[^"]|"")*")/).map((part, i) => (i % 2 ? part : (() => {
        let last = ws.name;
        return part.replace(REF, (m, pre: string | undefined, d1: string, col: string, d2: string, r: string, offset: number) => {
        // The end of a range (`'汇总'!L4:L6`) is on the sheet of its start.
        const target = pre ? pre.slice(0, -1).replace(/^'|'$/g, '').replace(/''/g, "'") : part[offset - 1] === ':' ? last : ws.name;
        last = target;
        if (target !== sheet) return m;
        if (axis === 'row') return Number(r) >= at ? `${pre ?? ''}${d1}${col}${d2}${Number(r) + by}` : m;
        return colNum(col) >= at ? `${pre ?? ''}${d1}${colLet(colNum(col) + by)}${d2}${r}` : m;
        });
      })())).join('');
      c.value = { formula: f, result: v.result } as ExcelJS.CellFormulaValue;
    }));
  }
}

async function workbookCases(): Promise<{ file: string; bytes: Uint8Array; rc: number[]; code: string | null; why: string }[]> {
  const program = loadProgram(MINI).program!;
  const plan = planWorkbook(program, (program.units ?? []).map((u) => ({ name: u.name, variant: u.variant })), { date: '2019-01-15', sort: 'document', generator: 'dafen attacks' });
  const base = await writeWorkbook(plan);
  const load = async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(base as unknown as ArrayBuffer);
    return wb;
  };
  const save = async (wb: ExcelJS.Workbook) => new Uint8Array(await wb.xlsx.writeBuffer() as ArrayBuffer);
  const first = plan.meta.sheets[0];
  const firstInput = first.inputs[0];
  const out: Awaited<ReturnType<typeof workbookCases>> = [];
  const meta = async (file: string, why: string, edit: (m: Meta) => unknown, code = 'workbook.badMeta') => {
    const wb = await load();
    editMeta(wb, edit);
    out.push({ file, bytes: await save(wb), rc: [1], code, why });
  };
  const layoutInput = (m: Meta) => ((m.layouts[0] as { inputs: Record<string, unknown>[] }).inputs[0]);
  await meta('meta-address-notacell.xlsx', 'address NOTACELL', (m) => void (layoutInput(m).address = 'NOTACELL'));
  await meta('meta-address-5.xlsx', 'address 5', (m) => void (layoutInput(m).address = 5));
  await meta('meta-address-bang.xlsx', 'address !!', (m) => void (layoutInput(m).address = '!!'));
  await meta('meta-address-xfd99999999.xlsx', 'an input at XFD99999999 was ignored', (m) => void (layoutInput(m).address = 'XFD99999999'));
  await meta('meta-input-null.xlsx', 'an input entry null', (m) => void ((m.layouts[0] as { inputs: unknown[] }).inputs[0] = null));
  for (const [name, v] of [['empty', ''], ['digit', '1'], ['zzzzzz', 'ZZZZZZ']] as const) {
    await meta(`meta-markercol-${name}.xlsx`, `markerCol ${JSON.stringify(v)}`, (m) => void (m.layouts[0].markerCol = v));
  }
  await meta('meta-summary-cols-garbage.xlsx', 'garbage summary.cols', (m) => void (m.summary.cols = { unit: [1, 2], final: { x: 1 } }));
  await meta('meta-options-null.xlsx', 'options: null', (m) => void (m.options = null));
  await meta('meta-duplicate-unit.xlsx', 'a duplicate unit (PlanError)', (m) => void (m.sheets[1].unit = m.sheets[0].unit));
  await meta('meta-unknown-variant.xlsx', 'an unknown variant (PlanError)', (m) => void (m.sheets[0].variant = 'zz'));
  await meta('meta-rubric-5.xlsx', 'embedded rubric: 5', (m) => void (m.rubric = 5));
  await meta('meta-lastrow-5e7.xlsx', 'summary.lastRow = 5e7 (107 s, 4.4 GB)', (m) => void (m.summary.lastRow = 5e7));
  await meta('meta-sheets-empty.xlsx', 'sheets: [] gave "✓ 一致"', (m) => void (m.sheets = []));
  await meta('meta-duplicate-index.xlsx', 'a duplicated sheet index scored 乙局 with 甲局\'s inputs', (m) => void (m.sheets[1].index = 0));
  await meta('meta-not-object.xlsx', 'metadata is a number', () => 42);
  await meta('meta-layout-missing.xlsx', 'a sheet names a layout that is not there', (m) => void (m.sheets[0].layout = 99));
  {
    const wb = await load();
    wb.getWorksheet('_dafen')!.getCell(1, 1).value = JSON.stringify({ format: 'dafen-workbook', formatVersion: 1, chunks: 1e9 });
    out.push({ file: 'meta-chunks-1e9.xlsx', bytes: await save(wb), rc: [1], code: 'workbook.badMeta', why: 'a header claiming 1e9 chunks' });
  }
  {
    const wb = await load();
    wb.removeWorksheet(wb.getWorksheet(plan.meta.summary.sheet)!.id);
    out.push({ file: 'summary-deleted.xlsx', bytes: await save(wb), rc: [1], code: 'workbook.summaryMissing', why: 'a deleted 汇总 was not mentioned' });
  }
  {
    // A row inserted below the first input, with a value typed into its input column; references shifted as Excel does.
    const wb = await load();
    const ws = wb.getWorksheet(first.name)!;
    const r = Number(/\d+/.exec(firstInput.address)![0]) + 1;
    shiftFormulas(wb, first.name, r, 1, 'row');
    ws.spliceRows(r, 0, []);
    ws.getCell(`${/[A-Z]+/.exec(firstInput.address)![0]}${r}`).value = 7;
    out.push({ file: 'inserted-row-with-value.xlsx', bytes: await save(wb), rc: [1], code: 'workbook.entryNotRead', why: 'a value typed into an inserted row was never mentioned' });
  }
  {
    const wb = await load();
    wb.getWorksheet(first.name)!.getCell('XFD1048576').value = 'x';
    out.push({ file: 'cell-at-last-row.xlsx', bytes: await save(wb), rc: [0], code: null, why: 'a cell typed at XFD1048576: loops bounded by the real rows' });
  }
  // Foreign and broken packages.
  out.push({ file: 'text.xlsx', bytes: new TextEncoder().encode('单位,得分\n甲局,90\n'), rc: [1], code: 'workbook.otherFormat', why: 'a CSV named .xlsx' });
  out.push({ file: 'empty.xlsx', bytes: new Uint8Array(), rc: [1], code: 'workbook.unreadable', why: 'zero bytes' });
  out.push({ file: 'ole2.xlsx', bytes: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Uint8Array(504)]), rc: [1], code: 'workbook.otherFormat', why: 'an .xls saved under .xlsx' });
  const zipOf = async (files: Record<string, string | Uint8Array>, opts: JSZip.JSZipGeneratorOptions<'uint8array'> = {}) => {
    const z = new JSZip();
    for (const [k, v] of Object.entries(files)) z.file(k, v);
    return z.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 9 }, ...opts });
  };
  out.push({ file: 'ods.xlsx', bytes: await zipOf({ mimetype: 'application/vnd.oasis.opendocument.spreadsheet', 'content.xml': '<x/>' }, { compression: 'STORE' }), rc: [1], code: 'workbook.otherFormat', why: 'an .ods saved under .xlsx' });
  out.push({ file: 'docx.xlsx', bytes: await zipOf({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' }), rc: [1], code: 'workbook.otherFormat', why: 'a .docx renamed' });
  out.push({ file: 'truncated.xlsx', bytes: base.slice(0, Math.floor(base.length / 2)), rc: [1], code: 'workbook.damaged', why: 'a download cut in half' });
  {
    const z = await JSZip.loadAsync(base);
    const sheet = Object.keys(z.files).find((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f))!;
    z.file(sheet, '<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c>');
    out.push({ file: 'damaged-sheet-xml.xlsx', bytes: await z.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }), rc: [1], code: 'workbook.damaged', why: 'damaged sheet XML' });
  }
  {
    const z = await JSZip.loadAsync(base);
    z.remove('xl/workbook.xml');
    z.file('xl/workbook.xml', '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="x" sheetId="1" r:id="rId999" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></sheets></workbook>');
    out.push({ file: 'workbook-rels-broken.xlsx', bytes: await z.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }), rc: [1], code: 'workbook.', why: '"Cannot set properties of undefined (setting \'sheetNo\')"' });
  }
  const zeros = new Uint8Array(200 * 1024 * 1024);
  out.push({ file: 'zip-bomb.xlsx', bytes: await zipOf({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>', 'xl/worksheets/sheet1.xml': zeros }), rc: [1], code: 'workbook.tooLarge', why: '24 s and 3.3 GB before an opaque message' });
  {
    // The same bomb with its size fields lying (1 KB): caught while counting the inflated bytes.
    const b = await zipOf({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>', 'xl/worksheets/sheet1.xml': zeros });
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i + 4 <= b.length; i++) {
      const sig = v.getUint32(i, true);
      if (sig === 0x04034b50 && v.getUint32(i + 22, true) === zeros.length) v.setUint32(i + 22, 1024, true);
      if (sig === 0x02014b50 && v.getUint32(i + 24, true) === zeros.length) v.setUint32(i + 24, 1024, true);
    }
    out.push({ file: 'zip-bomb-lying.xlsx', bytes: b, rc: [1], code: 'workbook.tooLarge', why: '"Bug : uncompressed data size mismatch"' });
  }
  const many: Record<string, string> = { 'xl/workbook.xml': '<workbook/>' };
  for (let i = 0; i < 6000; i++) many[`xl/x/${i}.xml`] = '';
  out.push({ file: 'zip-many-entries.xlsx', bytes: await zipOf(many, { compression: 'STORE' }), rc: [1], code: 'workbook.tooLarge', why: 'entry count' });
  return out;
}

export async function generate(): Promise<Case[]> {
  rmSync(ATTACKS, { recursive: true, force: true });
  mkdirSync(join(ATTACKS, 'rubrics'), { recursive: true });
  mkdirSync(join(ATTACKS, 'workbooks'), { recursive: true });
  const cases: Case[] = [];
  for (const c of rubricCases()) {
    writeFileSync(join(ATTACKS, 'rubrics', c.file), c.bytes);
    cases.push({ file: `rubrics/${c.file}`, rc: c.rc, code: c.code, why: c.why });
  }
  for (const c of await workbookCases()) {
    writeFileSync(join(ATTACKS, 'workbooks', c.file), c.bytes);
    cases.push({ file: `workbooks/${c.file}`, rc: c.rc, code: c.code, why: c.why });
  }
  writeFileSync(join(ATTACKS, 'cases.json'), JSON.stringify(cases, null, 2) + '\n');
  return cases;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const cases = await generate();
  process.stdout.write(`${cases.length} cases in ${ATTACKS}\n`);
}
