/**
 * The 评分细则 sheet as a file, for WPS/LibreOffice users: `dafen import doc.docx -o 细则.xlsx` writes it
 * (计分方式 a list validation of the registry's names, the rubric kept in a hidden sheet), a clerk edits it
 * (here with ExcelJS, and re-saved by LibreOffice Calc where installed), `dafen validate` and `dafen make`
 * read it back, problems named by cell.
 */
import { existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { KIND_CHOICES, readSheetWorkbook } from '../../src/import';
import { run, scratchDir } from '../cli/run';
import { convert, makeProfile, sofficePath } from '../e2e/soffice';
import { docxFrom } from './ooxml-fixtures';
import { PASTED } from './sheet-grid';

const dir = scratchDir('dafen-sheet-');
const SOFFICE = sofficePath();
if (!SOFFICE) console.warn('[评分细则 sheet LibreOffice test] skipped: soffice not found');

async function sheetFile(name: string): Promise<string> {
  const docx = join(dir, `${name}.docx`);
  writeFileSync(docx, await docxFrom([{ before: ['2024年度便民服务考核细则'], rows: PASTED, mergeCols: [0] }], ['注：满分100分折合10分。']));
  const xlsx = join(dir, `${name}-细则.xlsx`);
  const r = await run('import', docx, '-o', xlsx);
  expect(r.code).toBe(0);
  expect(r.out).toContain(`已写入评分细则表 ${xlsx}（6 条评分标准）`);
  return xlsx;
}

/** A clerk's edit: cells of the 评分细则 sheet by row id and header. */
async function edit(file: string, out: string, changes: { id: string; header: string; value: string | number }[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet('评分细则')!;
  const head = (ws.getRow(1).values as unknown[]).map(String);
  for (const c of changes) {
    let row = 0;
    ws.eachRow((r, n) => {
      if (String(r.getCell(head.indexOf('编号')).value) === c.id) row = n;
    });
    ws.getRow(row).getCell(head.indexOf(c.header)).value = c.value;
  }
  await wb.xlsx.writeFile(out);
}

describe('评分细则 workbook (dafen import -o 细则.xlsx)', () => {
  it('holds the sheet with a 计分方式 dropdown of the registry\'s names and the rubric in a hidden sheet', async () => {
    const xlsx = await sheetFile('plain');
    const zip = await JSZip.loadAsync(readFileSync(xlsx));
    const wb = await zip.file('xl/workbook.xml')!.async('string');
    expect(wb).toContain('<sheet name="评分细则" sheetId="1" r:id="rId1"/>');
    expect(wb).toContain('<sheet name="_dafen_细则" sheetId="2" state="hidden" r:id="rId2"/>');
    const ws = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    expect(ws).toContain(`sqref="F2:F1001"><formula1>&quot;${KIND_CHOICES.join(',')}&quot;</formula1>`);
    const back = await readSheetWorkbook(new Uint8Array(readFileSync(xlsx)));
    expect(back && 'result' in back && back.result.rows.map((r) => r.kind).filter(Boolean)).toEqual(['分档', '倒扣分', '倒扣分', '倒扣分', '累加', '累加']);
    const v = await run('validate', xlsx);
    expect(v.code).toBe(0);
    expect(v.out).toContain('1 个文件，0 个错误，0 个警告');
  });

  it('an edited 计分方式 and 参数 change the rule; make builds the 打分表 from the sheet', async () => {
    const xlsx = await sheetFile('edited');
    const out = join(dir, 'edited-2.xlsx');
    await edit(xlsx, out, [
      { id: 's1.2', header: '参数', value: '90%以上20分；60%以上10分' },
      { id: 's2.1', header: '计分方式', value: '直接打分' },
      { id: 's2.2', header: '分值', value: 50 },
    ]);
    const j = await run('import', out, '--json');
    expect(j.code).toBe(0);
    const rubric = JSON.parse(j.out);
    const [s1, s2] = rubric.variants[0].sections;
    expect(s1.children[1].rule).toMatchObject({ kind: 'tiers', tiers: [{ min: 0.6, points: 10 }, { min: 0.9, points: 20 }] });
    expect(s2.children[0].rule).toEqual({ kind: 'direct', min: 0 });
    const made = join(dir, 'edited-打分表.xlsx');
    const m = await run('make', out, '--unit', '某单位', '-o', made);
    expect(m.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(made);
    expect(wb.worksheets.map((w) => w.name)).toContain('某单位');
  });

  it('bad edits: validate names the cell, with the messages of the import layer', async () => {
    const xlsx = await sheetFile('bad');
    const out = join(dir, 'bad-2.xlsx');
    await edit(xlsx, out, [
      { id: 's2.2', header: '计分方式', value: '打分' },
      { id: 's2.1', header: '参数', value: '看情况定' },
    ]);
    const v = await run('validate', out);
    expect(v.code).toBe(1);
    expect(v.err).toContain(`${out} 评分细则!F7 sheet.unknownKind s2.2：未知的计分方式“打分”，可选：直接打分、是否、选项、倒扣分、累加、按比例、分档、排名、取最高 / s2.2: unknown rule kind "打分"`);
    expect(v.err).toContain(`${out} 评分细则!G6 sheet.unreadableParams s2.1：参数“看情况定”无法识别`);
    const m = await run('make', out, '--unit', '某单位', '-o', join(dir, 'never.xlsx'));
    expect(m.code).toBe(1);
    expect(m.err).toContain('sheet.unknownKind');
  });

  it('bad files give the import\'s messages and write no 评分细则 workbook', async () => {
    const empty = join(dir, 'empty.docx');
    writeFileSync(empty, '');
    const noTable = join(dir, 'no-table.docx');
    writeFileSync(noTable, await docxFrom([], ['2024年度考核办法', '一、考核内容：略。']));
    const noHeader = join(dir, 'no-header.txt');
    writeFileSync(noHeader, '\t甲\n\t乙\n\n\t丙\n\t丁\n');
    const big = join(dir, 'big.docx');
    writeFileSync(big, '');
    truncateSync(big, 20 * 1024 * 1024);
    const cases: [string, string][] = [
      [empty, 'import.empty 文件是空的，没有可导入的内容 / The file is empty: nothing to import'],
      [noTable, 'import.noTable 文件中没有表格（no-table.docx）：请确认评分细则是以表格形式排版的'],
      [noHeader, 'import.noHeader 找不到表头'],
      [big, 'import.tooLarge 文件太大（20.0 MB），评分细则一般不超过 10.0 MB；请只导出评分细则表格'],
    ];
    for (const [file, message] of cases) {
      const out = join(dir, 'never-细则.xlsx');
      const r = await run('import', file, '-o', out);
      expect(r.code, file).toBe(1);
      expect(r.err, file).toContain(message);
      expect(existsSync(out), file).toBe(false);
    }
  });

  it('a 评分细则 workbook without its header or its kept rubric says so', async () => {
    const xlsx = await sheetFile('broken');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    wb.getWorksheet('评分细则')!.spliceRows(1, 1);
    const headless = join(dir, 'headless.xlsx');
    await wb.xlsx.writeFile(headless);
    const v = await run('validate', headless);
    expect(v.code).toBe(1);
    expect(v.err).toContain('sheet.noHeader 找不到“评分细则”表的表头（编号、计分方式、参数…） / The 评分细则 sheet has no header row');
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.readFile(xlsx);
    wb2.getWorksheet('_dafen_细则')!.getCell('A1').value = '';
    const baseless = join(dir, 'baseless.xlsx');
    await wb2.xlsx.writeFile(baseless);
    const m = await run('make', baseless, '--unit', '某单位', '-o', join(dir, 'never2.xlsx'));
    expect(m.code).toBe(1);
    expect(m.err).toContain('sheet.noBase 工作簿中没有导入时保存的评分细则（隐藏表“_dafen_细则”）：请重新导入');
  });

  it.skipIf(!SOFFICE)('reads the same after LibreOffice Calc saved it (its own XML, the validation kept)', async () => {
    const xlsx = await sheetFile('lo');
    const edited = join(dir, 'lo-edited.xlsx');
    await edit(xlsx, edited, [{ id: 's1.2', header: '参数', value: '90%以上20分；60%以上10分' }]);
    const outDir = join(dir, 'lo-out');
    mkdirSync(outDir, { recursive: true });
    const [saved] = await convert(SOFFICE!, makeProfile(join(dir, 'profile')), 'xlsx', outDir, [edited]);
    const a = await readSheetWorkbook(new Uint8Array(readFileSync(edited)));
    const b = await readSheetWorkbook(new Uint8Array(readFileSync(saved)));
    expect(b && 'result' in b).toBe(true);
    if (!a || !b || !('result' in a) || !('result' in b)) return;
    expect(b.result.rubric).toEqual(a.result.rubric);
    const ws = await (await JSZip.loadAsync(readFileSync(saved))).file('xl/worksheets/sheet1.xml')!.async('string');
    expect(ws).toMatch(/<dataValidation [^>]*type="list"/);
  }, 200_000);
});
