/**
 * The direct SpreadsheetML writer (src/xlsx/ooxml.ts + zip.ts) against the ExcelJS builder it
 * replaced (buildWorkbook, kept as the reference): for every bundled rubric and the fixture, blank
 * and filled, both files are read back through ExcelJS and through src/xlsx/read.ts and must say the
 * same — every cell's value, formula, cached result and style, merges, row heights, column widths,
 * validations, data bars, protection, frozen panes, auto-filter, print setup (with page breaks and
 * first page numbers) and defined names. A
 * feature added to one writer and not the other fails here. Also: the archive is a valid ZIP that
 * JSZip reads, and the CRC arithmetic the writer relies on.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { planWorkbook, type WorkbookPlan } from '../../src/layout';
import { buildWorkbook, readFilledWorkbook, writeWorkbook } from '../../src/xlsx';
import { crc32, crc32Combine, deflateSegment, zipParts } from '../../src/xlsx/zip';
import { escAttr, escText, workbookParts } from '../../src/xlsx/ooxml';
import { loadFixture, randomInputs, rubricCases, unitsFor } from '../layout/helpers';
import { cellValidations } from './dv-xml';
import { inflateRawSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function load(bytes: Uint8Array | ArrayBuffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as ArrayBuffer);
  return wb;
}

async function viaExcelJS(plan: WorkbookPlan): Promise<Uint8Array> {
  return new Uint8Array(await (await buildWorkbook(plan)).xlsx.writeBuffer());
}

/** What a reader sees of one cell. */
function cellView(c: ExcelJS.Cell): unknown {
  const s = c.style ?? {};
  const f = s.font ?? {};
  const a = s.alignment ?? {};
  const b = s.border ?? {};
  const fill = s.fill as ExcelJS.FillPattern | undefined;
  return {
    value: c.value ?? null,
    numFmt: s.numFmt ?? 'General',
    font: { name: f.name, size: f.size, bold: !!f.bold, color: f.color?.argb ?? null, charset: f.charset ?? null },
    align: { h: a.horizontal ?? null, v: a.vertical ?? null, wrap: !!a.wrapText, indent: a.indent ?? 0 },
    border: ['top', 'left', 'bottom', 'right'].map((k) => (b as Record<string, { style?: string } | undefined>)[k]?.style ?? null),
    fill: fill?.pattern === 'solid' ? (fill.fgColor as { argb?: string } | undefined)?.argb ?? null : null,
    locked: s.protection?.locked ?? true,
  };
}

/** Everything compared for one sheet. */
function sheetView(ws: ExcelJS.Worksheet): Record<string, unknown> {
  const cells: Record<string, unknown> = {};
  ws.eachRow({ includeEmpty: false }, (row) => row.eachCell({ includeEmpty: true }, (c) => { cells[c.address] = cellView(c); }));
  const heights: Record<number, number | undefined> = {};
  for (let r = 1; r <= ws.rowCount; r++) heights[r] = ws.getRow(r).height;
  // ExcelJS leaves out a column whose width is its default (9): read that back as 9.
  const cols = (ws.columns ?? []).map((c) => ({ width: c.width ?? 9, hidden: !!c.hidden }));
  const ps = ws.pageSetup;
  const m = ws.model as unknown as { merges: string[]; sheetProtection?: unknown; conditionalFormattings?: { ref: string; rules: { type: string; color?: { argb?: string } }[] }[] };
  return {
    name: ws.name,
    state: ws.state,
    tabColor: (ws.properties.tabColor as { argb?: string } | undefined)?.argb ?? null,
    cells,
    heights,
    cols,
    merges: [...m.merges].sort(),
    bars: (m.conditionalFormattings ?? []).map((cf) => ({ ref: cf.ref, rules: cf.rules.map((r) => ({ type: r.type, color: r.color?.argb })) })),
    protection: (ws as unknown as { sheetProtection?: unknown }).sheetProtection ?? null,
    autoFilter: ws.autoFilter ?? null,
    views: (ws.views ?? []).map((v) => ({ state: v.state, xSplit: (v as { xSplit?: number }).xSplit ?? 0, ySplit: (v as { ySplit?: number }).ySplit ?? 0, topLeftCell: (v as { topLeftCell?: string }).topLeftCell ?? null })),
    print: ps.printArea ? {
      paperSize: ps.paperSize, orientation: ps.orientation, fitToPage: ps.fitToPage, fitToWidth: ps.fitToWidth, fitToHeight: ps.fitToHeight,
      printArea: ps.printArea, printTitlesRow: ps.printTitlesRow ?? null, margins: ps.margins, horizontalCentered: !!ps.horizontalCentered,
      footer: ws.headerFooter?.oddFooter ?? null,
      firstPageNumber: (ps as { useFirstPageNumber?: boolean }).useFirstPageNumber ? ps.firstPageNumber : null,
    } : null,
  };
}

function bookView(wb: ExcelJS.Workbook): unknown {
  return {
    props: { creator: wb.creator, title: wb.title, subject: wb.subject, keywords: wb.keywords },
    names: (wb.definedNames as unknown as { model: unknown[] }).model,
    sheets: wb.worksheets.map((w) => w.name),
  };
}

/** The manual page breaks of each sheet (ExcelJS does not read <rowBreaks> back): rows, in sheet order. */
async function rowBreaks(bytes: Uint8Array, sheets: number): Promise<number[][]> {
  const zip = await JSZip.loadAsync(bytes);
  const out: number[][] = [];
  for (let i = 1; i <= sheets; i++) {
    const xml = await zip.file(`xl/worksheets/sheet${i}.xml`)!.async('string');
    const list = /<rowBreaks\b[^>]*>(.*?)<\/rowBreaks>/.exec(xml)?.[1] ?? '';
    out.push([...list.matchAll(/<brk\b[^>]*\bid="(\d+)"[^>]*\bman="1"/g)].map((m) => Number(m[1])));
  }
  return out;
}

async function expectSame(plan: WorkbookPlan): Promise<void> {
  const direct = await writeWorkbook(plan);
  const reference = await viaExcelJS(plan);
  const [a, b] = await Promise.all([load(direct), load(reference)]);
  expect(bookView(a)).toEqual(bookView(b));
  for (const ws of b.worksheets) expect(sheetView(a.getWorksheet(ws.name)!), ws.name).toEqual(sheetView(ws));
  // Validations per cell as a spreadsheet applies them (a shared custom rule's formula moved to each
  // cell: ExcelJS would hand every cell the formula of the entry's first).
  const [va, vb] = await Promise.all([cellValidations(direct), cellValidations(reference)]);
  for (const s of plan.sheets) expect(Object.fromEntries([...va.get(s.name)!].sort()), s.name).toEqual(Object.fromEntries([...vb.get(s.name)!].sort()));
  const breaks = await rowBreaks(direct, plan.sheets.length);
  expect(breaks).toEqual(await rowBreaks(reference, plan.sheets.length));
  expect(breaks).toEqual(plan.sheets.map((s) => s.print?.rowBreaks ?? []));
  const [ra, rb] = await Promise.all([readFilledWorkbook(direct), readFilledWorkbook(reference)]);
  expect(ra).toEqual(rb);
  expect(ra.problems).toEqual([]);
}

describe('direct writer ≡ ExcelJS builder', () => {
  for (const c of rubricCases()) {
    it(`${c.name}: blank, every unit`, async () => {
      await expectSame(planWorkbook(c.program, unitsFor(c.program), { date: '2019-01-15' }));
    });
    it(`${c.name}: filled at random, with explanations`, async () => {
      const units = randomInputs(c.program, unitsFor(c.program), 17).map((u) => ({ name: u.name, variant: u.variant, inputs: u.inputs }));
      await expectSame(planWorkbook(c.program, units, { date: '2019-01-15', sort: 'name' }));
    });
  }

  it('text a clerk could type survives: markup, quotes, line breaks, leading spaces, control characters, "=…"', async () => {
    const program = loadFixture();
    const units = unitsFor(program, 2).slice(0, 2);
    const plan = planWorkbook(program, units, { date: '2019-01-15' });
    const sheet = plan.sheets[1];
    const texts = ['<b>&amp;"x"</b>', '  两个空格开头', '换行\n第二行\t制表', '=SUM(A1)', 'bell\u0007 gone', '_x0041_'];
    const cells = sheet.cells.map((c) => (c.style === 'note' && texts.length ? { ...c, value: texts.shift()! } : c));
    await expectSame({ ...plan, sheets: plan.sheets.map((s) => (s === sheet ? { ...s, cells } : s)) });
  });
});

describe('the archive', () => {
  it('is a ZIP that JSZip reads, with the same parts ExcelJS needs', async () => {
    const program = loadFixture();
    const plan = planWorkbook(program, unitsFor(program, 4), { date: '2019-01-15' });
    const zip = await JSZip.loadAsync(await writeWorkbook(plan));
    const names = Object.keys(zip.files);
    expect(names).toContain('[Content_Types].xml');
    expect(names).toContain('xl/workbook.xml');
    expect(names.filter((n) => n.startsWith('xl/worksheets/')).length).toBe(plan.sheets.length);
    // JSZip checks each part's CRC-32 when asked to.
    for (const n of names) await zip.file(n)!.async('uint8array').then(() => undefined);
    const z2 = await JSZip.loadAsync(await writeWorkbook(plan), { checkCRC32: true });
    expect(Object.keys(z2.files).length).toBe(names.length);
  });

  // Info-ZIP's unzip, a reader that shares no code with the writer: `unzip -t` inflates every part
  // and checks its CRC-32 and sizes against the central directory.
  it('unzip -t finds no error in a workbook of repeated sheets, and each part inflates to its XML', async () => {
    const unzip = spawnSync('sh', ['-c', 'command -v unzip'], { encoding: 'utf8' }).stdout.trim();
    if (!unzip) {
      console.log('[direct] unzip -t skipped: unzip not found (apt-get install unzip)');
      return;
    }
    const program = loadFixture();
    const plan = planWorkbook(program, unitsFor(program, 12), { date: '2019-01-15' });
    const parts = workbookParts(plan, new Date(2019, 0, 15));
    const { bytes, stats } = zipParts(parts, { level: 1, repeatedLevel: 9 });
    expect(stats.distinct).toBeLessThan(stats.segments);
    const dir = mkdtempSync(join(tmpdir(), 'dafen-zip-'));
    try {
      const file = join(dir, 'book.xlsx');
      writeFileSync(file, bytes);
      const r = spawnSync(unzip, ['-t', file], { encoding: 'utf8' });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('No errors detected');
      for (const p of parts) {
        const x = spawnSync(unzip, ['-p', file, p.path.replace(/\[/g, '\\[').replace(/\]/g, '\\]')], { encoding: 'utf8', maxBuffer: 1 << 28 });
        expect(x.stdout, p.path).toBe(p.segments.join(''));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('repeated segments are deflated once and inflate to the same text', () => {
    const seg = '<row r="1"><c r="A1"><v>1</v></c></row>'.repeat(50);
    const { bytes, stats } = zipParts([{ path: 'a.xml', segments: ['head', seg, 'tail'] }, { path: 'b.xml', segments: ['other head', seg, 'tail'] }], { level: 1, repeatedLevel: 9 });
    expect(stats.segments).toBe(6);
    expect(stats.distinct).toBe(4);
    expect(bytes.length).toBeGreaterThan(0);
    const one = deflateSegment(seg, 6);
    expect(inflateRawSync(Buffer.concat([one.data, Buffer.from([3, 0])])).toString('utf8')).toBe(seg);
  });

  it('CRC-32: the check value, and combining equals computing over the whole', () => {
    const enc = new TextEncoder();
    expect(crc32(enc.encode('123456789'))).toBe(0xcbf43926);
    const a = enc.encode('汇总表 head ');
    const b = enc.encode('x'.repeat(100_003));
    const ab = new Uint8Array(a.length + b.length);
    ab.set(a);
    ab.set(b, a.length);
    expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(crc32(ab));
    expect(crc32Combine(crc32(a), crc32(new Uint8Array(0)), 0)).toBe(crc32(a));
  });

  it('escapes text and attributes', () => {
    expect(escText('a<b & "c"')).toBe('a&lt;b &amp; "c"');
    expect(escAttr('a<b & "c"\n')).toBe('a&lt;b &amp; &quot;c&quot;&#10;');
    expect(escText('x\u0001y')).toBe('xy');
  });
});
