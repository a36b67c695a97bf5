/**
 * Validations at scale (issue 14): past OWN_MESSAGE_ENTRIES a workbook's inputs share their rule's
 * input message, so each sheet holds one <dataValidation> per rule with a multi-range sqref
 * (ECMA-376 Part 1 §18.3.1.32, sqref: a space-separated list of references) instead of one per
 * input. What a cell accepts and refuses, and the error it shows, must not change: every input cell
 * is read back — through ExcelJS, and through LibreOffice opening the file and saving it again — and
 * compared with the rule it had before the merge.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { OWN_MESSAGE_ENTRIES, planWorkbook, shareValidationPrompts, validationEntries, type Validation, type WorkbookPlan } from '../../src/layout';
import { writeWorkbook } from '../../src/xlsx';
import { convert, makeProfile, sofficePath } from '../e2e/soffice';
import { rubricCases, unitsFor } from '../layout/helpers';

const SOFFICE = sofficePath();
if (!SOFFICE) console.log('[validations] LibreOffice part skipped: soffice not found');

type Read = Record<string, { type?: string; operator?: string; formulae?: unknown[]; allowBlank?: boolean; showErrorMessage?: boolean; errorTitle?: string; error?: string; promptTitle?: string; prompt?: string }>;

async function readValidations(bytes: Uint8Array): Promise<Map<string, Read>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return new Map(wb.worksheets.map((ws) => [ws.name, (ws as unknown as { dataValidations: { model: Read } }).dataValidations.model]));
}

/** What decides whether a cell refuses an entry, and what it says when it does. */
const refusing = (r: Validation) => ({ type: r.type, operator: r.operator ?? 'between', formulae: r.formulae, allowBlank: true, showErrorMessage: true, errorTitle: r.errorTitle, error: r.error });
const formula = (f: unknown): string => String(f).replace(/^=/, '');

const entriesIn = async (bytes: Uint8Array): Promise<number> => {
  const zip = await JSZip.loadAsync(bytes);
  let n = 0;
  for (const f of Object.keys(zip.files).filter((p) => /^xl\/worksheets\/sheet\d+\.xml$/.test(p))) n += ((await zip.file(f)!.async('string')).match(/<dataValidation /g) ?? []).length;
  return n;
};

const dir = mkdtempSync(join(tmpdir(), 'dafen-dv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('validations merged into one entry per rule', () => {
  const cases = rubricCases();

  it('a cohort past the budget gets shared messages; a small one keeps each input its own', () => {
    const c = cases.find((x) => x.name.startsWith('miluo')) ?? cases[0];
    const few = unitsFor(c.program).slice(0, 3);
    const small = planWorkbook(c.program, few, { date: '2019-01-15' });
    const own = small.sheets.flatMap((s) => s.validations);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((v) => v.rule.prompt !== v.rule.shared?.prompt)).toBe(true);
    const perSheet = Math.max(...small.sheets.map((s) => validationEntries(s.validations)));
    const n = Math.ceil((OWN_MESSAGE_ENTRIES + 1) / perSheet) + 1;
    const units = Array.from({ length: n }, (_, i) => ({ ...few[i % few.length], name: `${few[i % few.length].name}${i}` }));
    const big = planWorkbook(c.program, units, { date: '2019-01-15' });
    const all = big.sheets.flatMap((s) => s.validations);
    expect(all.every((v) => v.rule.shared && v.rule.prompt === v.rule.shared.prompt && v.rule.promptTitle === v.rule.shared.promptTitle)).toBe(true);
    expect(big.sheets.reduce((a, s) => a + validationEntries(s.validations), 0)).toBeLessThan(small.sheets.reduce((a, s) => a + validationEntries(s.validations), 0) * n / small.sheets.length);
  });

  for (const c of cases) {
    it(`${c.name}: every input cell refuses what it refused before (ExcelJS${SOFFICE ? ' and LibreOffice' : ''} read back)`, async () => {
      const before: WorkbookPlan = planWorkbook(c.program, unitsFor(c.program), { date: '2019-01-15' });
      const after: WorkbookPlan = { ...before, sheets: shareValidationPrompts(before.sheets, 0) };
      const [ownBytes, sharedBytes] = [await writeWorkbook(before), await writeWorkbook(after)];
      // Fewer entries: one per rule and sheet.
      const expected = after.sheets.reduce((a, s) => a + validationEntries(s.validations), 0);
      expect(await entriesIn(sharedBytes)).toBe(expected);
      expect(expected).toBeLessThanOrEqual(await entriesIn(ownBytes));

      const check = (read: Map<string, Read>, normalise: (f: unknown) => string, withMessages: boolean) => {
        let cells = 0;
        after.sheets.forEach((s, i) => {
          const got = read.get(s.name)!;
          s.validations.forEach((v, k) => {
            const r = got[v.address];
            expect(r, `${s.name}!${v.address}`).toBeDefined();
            const was = before.sheets[i].validations[k];
            expect(was.address).toBe(v.address);
            expect({ ...r, formulae: (r.formulae ?? []).slice(0, was.rule.formulae.length).map(normalise), operator: r.operator ?? 'between', allowBlank: !!r.allowBlank, showErrorMessage: !!r.showErrorMessage },
              `${s.name}!${v.address}`).toMatchObject({ ...refusing(was.rule), formulae: was.rule.formulae.map(normalise) });
            if (withMessages) expect({ promptTitle: r.promptTitle, prompt: r.prompt }).toEqual(was.rule.shared);
            cells++;
          });
        });
        expect(cells).toBe(before.sheets.reduce((a, s) => a + s.validations.length, 0));
      };
      check(await readValidations(sharedBytes), formula, true);

      if (!SOFFICE) return;
      // LibreOffice opens the merged file and writes it again: each cell still carries its own rule.
      const src = join(dir, `${c.name}-shared.xlsx`);
      writeFileSync(src, sharedBytes);
      const [out] = await convert(SOFFICE, makeProfile(join(dir, `profile-${c.name}`)), 'xlsx', join(dir, `out-${c.name}`), [src]);
      // LibreOffice writes formulas back in its own spelling (spaces, upper case, list quoting); compare that loosely.
      const loose = (f: unknown): string => formula(f).replace(/\s+/g, '').toUpperCase();
      check(await readValidations(new Uint8Array(readFileSync(out))), loose, false);
    });
  }
});
