/**
 * The printout is the official form. Two bundled programs are made into workbooks, printed to PDF by
 * LibreOffice, and read back page by page (pdftotext): every sheet numbers its own pages
 * (第 i 页，共 n 页 of that sheet, n = the pages the layout planned), every page after a sheet's first
 * repeats the header row, an indicator split by a page break repeats its text on the next page, the
 * signature block ends every unit's last page, and the 汇总 title never leaves a character alone on a
 * line. PNGs of the pages stay in test-artifacts/print/ for a look.
 * Skipped, with the reason printed, when soffice (LibreOffice) or poppler-utils are not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProgram, type Program } from '../../src/engine';
import { SIGNATURE_LINES, SUMMARY_NAME, addr, planWorkbook, type SheetPlan, type WorkbookPlan } from '../../src/layout';
import { writeWorkbook } from '../../src/xlsx';
import { ROOT } from '../layout/helpers';
import { convert, makeProfile, sofficePath } from './soffice';

const SOFFICE = sofficePath();
const POPPLER = spawnSync('sh', ['-c', 'command -v pdftotext && command -v pdftoppm'], { encoding: 'utf8' }).status === 0;
const RUN = Boolean(SOFFICE && POPPLER);
if (!RUN) console.log('[print] skipped: needs soffice and pdftotext/pdftoppm — apt-get install -y --no-install-recommends libreoffice-calc-nogui poppler-utils fonts-wqy-microhei');

const ARTIFACTS = join(ROOT, 'test-artifacts', 'print');
const flat = (s: string) => s.replace(/\s+/g, '');

interface Case {
  name: string;
  units: string[];
  plan?: WorkbookPlan;
  pages: string[];
}

const cases: Case[] = [
  // 县直 and 乡镇: two variants, sections longer than a page.
  { name: 'taiqian-2018', units: ['县安监局', '城关镇'], pages: [] },
  // Long indicators with many criteria (a 14-page sheet).
  { name: 'gongshu-2021', units: [], pages: [] },
];

let work = '';

function program(name: string): Program {
  const file = join(ROOT, 'rubrics', `${name}.yaml`);
  return loadProgram(readFileSync(file, 'utf8'), file).program!;
}

/** Text per page, in print order. */
function pageTexts(pdf: string): string[] {
  const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout;
  const n = Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
  return Array.from({ length: n }, (_, i) => spawnSync('pdftotext', ['-layout', '-f', String(i + 1), '-l', String(i + 1), pdf, '-'], { encoding: 'utf8' }).stdout);
}

/** Cells whose text a page break repeated: the top of a merge right under a break, equal to the part above. */
function repeatedAt(s: SheetPlan): { page: number; text: string }[] {
  const out: { page: number; text: string }[] = [];
  const breaks = s.print?.rowBreaks ?? [];
  const at = new Map(s.cells.map((c) => [addr(c.row, c.col), c]));
  breaks.forEach((b, i) => {
    for (const m of s.merges) {
      if (m.top !== b + 1) continue;
      const above = s.merges.find((x) => x.left === m.left && x.right === m.right && x.bottom === b);
      const v = at.get(addr(m.top, m.left))?.value;
      if (above && typeof v === 'string' && v && at.get(addr(above.top, above.left))?.value === v) out.push({ page: i + 1, text: v });
    }
  });
  return out;
}

describe.runIf(RUN)('the printed 打分表 (LibreOffice → PDF → text per page)', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'dafen-print-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    const files: string[] = [];
    for (const c of cases) {
      const p = program(c.name);
      const units = c.units.length ? c.units : (p.units ?? []).map((u) => u.name);
      c.plan = planWorkbook(p, units, { date: '2019-01-15' });
      const file = join(work, `${c.name}.xlsx`);
      writeFileSync(file, await writeWorkbook(c.plan));
      files.push(file);
    }
    const pdfs = await convert(SOFFICE!, makeProfile(join(work, 'profile')), 'pdf', join(work, 'pdf'), files);
    cases.forEach((c, i) => {
      c.pages = pageTexts(pdfs[i]);
      const stem = join(ARTIFACTS, c.name);
      rmSync(`${stem}-1.png`, { force: true });
      expect(spawnSync('pdftoppm', ['-png', '-r', '60', pdfs[i], stem]).status, 'pdftoppm').toBe(0);
    });
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: every sheet numbers its own pages, as many as the layout planned', (_n, c) => {
    const sheets = c.plan!.sheets.filter((s) => s.print);
    const planned = sheets.map((s) => s.print!.pages!);
    expect(c.pages.length).toBe(planned.reduce((a, b) => a + b, 0));
    let p = 0;
    for (const [si, s] of sheets.entries()) {
      for (let i = 1; i <= planned[si]; i++, p++) {
        expect(flat(c.pages[p]), `${s.name} page ${i}`).toContain(`第${i}页，共${planned[si]}页`);
      }
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: a unit starts on its own page with its title and unit line, repeats the header on every page, and ends with the signature block', (_n, c) => {
    const sheets = c.plan!.sheets.filter((s) => s.print);
    let p = 0;
    for (const s of sheets) {
      const pages = c.pages.slice(p, p + s.print!.pages!).map(flat);
      p += s.print!.pages!;
      if (s.name === SUMMARY_NAME) continue;
      // 本表设定 (the values the document does not state) prints as the table's annex, with its explanations.
      if (s.name === '本表设定') { expect(pages[0]).toContain(flat('本表设定（评分细则未规定')); continue; }
      const m = c.plan!.meta.sheets.find((x) => x.name === s.name)!;
      expect(pages[0]).toContain(flat(`：${m.unit}`));
      const header = flat(String(s.cells.find((x) => x.row === 3 && x.col === 1)?.value));
      for (const [i, t] of pages.entries()) expect(t, `${s.name} page ${i + 1} header`).toContain(header);
      for (const line of SIGNATURE_LINES) for (const label of line.split(/\u3000+/).filter((x) => x.endsWith('：'))) {
        expect(pages.at(-1), `${s.name}: ${label}`).toContain(label);
        for (const t of pages.slice(0, -1)) expect(t).not.toContain('被考核单位负责人：');
      }
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: an indicator split by a page break repeats its text at the top of the next page', (_n, c) => {
    const sheets = c.plan!.sheets.filter((s) => s.print);
    let p = 0;
    let seen = 0;
    for (const s of sheets) {
      for (const r of repeatedAt(s)) {
        seen++;
        expect(flat(c.pages[p + r.page]), `${s.name} page ${r.page + 1}`).toContain(flat(r.text).slice(0, 3)); // pdftotext interleaves wrapped cells line by line
      }
      p += s.print!.pages!;
    }
    if (c.name === 'taiqian-2018') expect(seen).toBeGreaterThan(0);
  });

  it('the 汇总 title never leaves one character alone on a line', () => {
    for (const c of cases) {
      const title = String(c.plan!.sheets[0].cells.find((x) => x.row === 1 && x.col === 1)?.value);
      const lines = c.pages[0].split('\n').map((l) => l.trim()).filter(Boolean);
      const printed = lines.slice(0, title.split('\n').length + 1);
      const titleLines = printed.filter((l) => flat(title).includes(flat(l)));
      expect(titleLines.join(''), c.name).toBe(flat(title));
      for (const l of titleLines) expect([...l].length, `${c.name}: "${l}"`).toBeGreaterThan(3);
    }
  });
});
