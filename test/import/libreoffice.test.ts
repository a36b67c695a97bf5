/**
 * The .xlsx reader against the real thing: workbooks generated from the tables, then opened and saved
 * again by LibreOffice Calc (its own sheet XML: shared strings, merged ranges, styles as it writes them),
 * read the same as the text. Skips without soffice. (Only Calc is installed here — libreoffice-calc-nogui —
 * so .docx files cannot be re-saved by LibreOffice Writer in this test.)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RubricNode } from '../../src/engine';
import { importFile, importText, readTextTables, type ImportResult } from '../../src/import';
import { ruleSignature } from '../../src/import/compare';
import { headerRole } from '../../src/import/headers';
import { makeProfile, sofficePath } from '../e2e/soffice';
import { xlsxFrom } from './ooxml-fixtures';

const SOFFICE = sofficePath();
if (!SOFFICE) console.warn('[import LibreOffice test] skipped: soffice not found');
const dir = mkdtempSync(join(tmpdir(), 'dafen-import-lo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function resave(files: string[], filter: string, outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const profile = makeProfile(join(dir, 'profile'));
  const args = [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--nolockcheck', '--convert-to', filter, '--outdir', outDir, ...files];
  return new Promise((resolve, reject) => {
    const p = spawn(SOFFICE!, args, { stdio: 'ignore' });
    const timer = setTimeout(() => p.kill('SIGKILL'), 170_000);
    p.on('error', reject);
    p.on('close', () => {
      clearTimeout(timer);
      const outs = files.map((f) => join(outDir, basename(f)));
      const missing = outs.filter((o) => !existsSync(o));
      if (missing.length) reject(new Error(`soffice did not write ${missing.join(', ')}`));
      else resolve(outs);
    });
  });
}

const leaves = (nodes: RubricNode[]): RubricNode[] => nodes.flatMap((n) => (n.children?.length ? leaves(n.children) : [n]));
const shape = (r: ImportResult) => r.program!.variants.map((v) => [v.title, v.sections.map((s) => [s.title, s.points, s.role, leaves(s.children ?? []).map((c) => [c.title, c.text, c.points, ruleSignature(c.rule!, c.points)])])]);

const FILES = ['circled-self-score.txt', 'tiers-bonus-penalty.txt', 'numbered-target.txt'];

describe.skipIf(!SOFFICE)('.xlsx saved by LibreOffice Calc', () => {
  it('read the same as the text they were made from', async () => {
    const made: string[] = [];
    const texts = new Map<string, string>();
    for (const f of FILES) {
      const text = readFileSync(new URL(`../fixtures/import/${f}`, import.meta.url), 'utf8');
      const { grids, around } = readTextTables(text);
      const g = grids[0];
      const before = around.filter((a) => a.line < g.lineOf![0]).map((a) => a.text).filter(Boolean);
      const after = around.filter((a) => a.line > g.lineOf![g.lineOf!.length - 1]).map((a) => a.text).filter(Boolean);
      const mergeCols = g.rows[0].map((h, i) => (headerRole(h) === 'level' ? i : -1)).filter((i) => i >= 0);
      const stem = f.replace(/\.txt$/, '');
      writeFileSync(join(dir, `${stem}.xlsx`), await xlsxFrom([{ before, rows: g.rows, mergeCols }], after));
      made.push(stem);
      texts.set(stem, text);
    }
    const xlsx = await resave(made.map((s) => join(dir, `${s}.xlsx`)), 'xlsx:Calc MS Excel 2007 XML', join(dir, 'lo-xlsx'));
    for (const [i, stem] of made.entries()) {
      const want = shape(importText(texts.get(stem)!, `${stem}.txt`));
      for (const file of [xlsx[i]]) {
        const r = await importFile(basename(file), new Uint8Array(readFileSync(file)));
        expect(r.problems.filter((p) => p.severity === 'error'), file).toEqual([]);
        expect(shape(r), file).toEqual(want);
      }
    }
  });
});
