/**
 * Issue 15: the printed 打分表 with every hand's columns (自评 and three raters: 录入, 得分, 考核得分, 分差,
 * 相差过大, 差异) still prints on A4, one page wide (the widest layout goes landscape), numbering its own pages
 * as planned, every column's header on every page. LibreOffice → PDF → text per page (pdftotext).
 * Skipped, with the reason printed, when soffice or poppler-utils are not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProgram, type AssessmentPolicy, type Program } from '../../src/engine';
import { planWorkbook, type WorkbookPlan } from '../../src/layout';
import { writeWorkbook } from '../../src/xlsx';
import { ROOT } from '../layout/helpers';
import { convert, makeProfile, sofficePath } from './soffice';

const SOFFICE = sofficePath();
const POPPLER = spawnSync('sh', ['-c', 'command -v pdftotext && command -v pdfinfo'], { encoding: 'utf8' }).status === 0;
const RUN = Boolean(SOFFICE && POPPLER);
if (!RUN) console.log('[print hands] skipped: needs soffice and pdftotext/pdfinfo — apt-get install -y --no-install-recommends libreoffice-calc-nogui poppler-utils fonts-wqy-microhei');

const flat = (s: string) => s.replace(/\s+/g, '');
const program = (name: string): Program => {
  const file = join(ROOT, 'rubrics', `${name}.yaml`);
  return loadProgram(readFileSync(file, 'utf8'), file).program!;
};

const widest: AssessmentPolicy = { self: true, raters: { count: 3, aggregate: 'trimmedMean', on: 'total', spread: 2 } };
const cases: { name: string; units: string[]; assessment: AssessmentPolicy; plan?: WorkbookPlan; pdf?: string }[] = [
  { name: 'taiqian-2018', units: ['县安监局', '城关镇'], assessment: widest },
  { name: 'taiqian-2018', units: ['城关镇'], assessment: { self: true } },
  { name: 'jiaohe-2018', units: [], assessment: widest },
];
let work = '';

describe.runIf(RUN)('the printed multi-hand 打分表 fits A4', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'dafen-print-hands-'));
    const files: string[] = [];
    for (const [i, c] of cases.entries()) {
      const p = program(c.name);
      c.plan = planWorkbook(p, c.units.length ? c.units : (p.units ?? []).slice(0, 1).map((u) => u.name), { assessment: c.assessment, date: '2019-01-15' });
      const file = join(work, `${c.name}-${i}.xlsx`);
      writeFileSync(file, await writeWorkbook(c.plan));
      files.push(file);
    }
    const pdfs = await convert(SOFFICE!, makeProfile(join(work, 'profile')), 'pdf', join(work, 'pdf'), files);
    cases.forEach((c, i) => (c.pdf = pdfs[i]));
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.each(cases.map((c, i) => [`${c.name} ${JSON.stringify(c.assessment)} #${i}`, c] as const))('%s: A4, one page wide, pages as planned, every column header on every page', (_n, c) => {
    const info = spawnSync('pdfinfo', [c.pdf!], { encoding: 'utf8' }).stdout;
    const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!;
    const [w, h] = [Number(size[1]), Number(size[2])].sort((a, b) => a - b);
    expect(Math.abs(w - 595) < 3 && Math.abs(h - 842) < 3, `A4, got ${size[1]}×${size[2]}`).toBe(true);
    const n = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    const units = c.plan!.sheets.filter((s) => s.kind === 'unit');
    // The 汇总 prints first (its own pages, checked by the default print test), then every unit sheet.
    const summaryPages = c.plan!.sheets[0].print!.pages!;
    expect(n).toBe(summaryPages + units.reduce((a, s) => a + s.print!.pages!, 0));
    let p = summaryPages;
    for (const s of units) {
      const headers = s.cells.filter((x) => x.row === 3 && x.style === 'header' && typeof x.value === 'string' && x.value).map((x) => flat(String(x.value)));
      if (c.assessment.raters) expect(headers).toEqual(expect.arrayContaining(['评委3得分', '分差', '差异（自评－考核）']));
      for (let i = 1; i <= s.print!.pages!; i++, p++) {
        const t = flat(spawnSync('pdftotext', ['-layout', '-f', String(p + 1), '-l', String(p + 1), c.pdf!, '-'], { encoding: 'utf8' }).stdout);
        expect(t, `${s.name} page ${i}`).toContain(`第${i}页，共${s.print!.pages!}页`);
        // One page wide: the last columns' headers (扣分依据/说明 at the right edge) are on every page, not on a page of their own.
        // (pdftotext interleaves the lines of narrow wrapped headers: their first two characters stay together.)
        for (const hd of headers) expect(t, `${s.name} page ${i}: ${hd}`).toContain(hd.slice(0, 2));
      }
    }
  });
});
