/**
 * Validations at scale (issue 14): past OWN_MESSAGE_ENTRIES a workbook's inputs share their rule's
 * input message, so each sheet holds one <dataValidation> per rule with a multi-range sqref
 * (ECMA-376 Part 1 §18.3.1.32, sqref: a space-separated list of references) instead of one per
 * input (a custom rule that refers to its own cell only: one per column, relative to its first cell).
 * What a cell accepts and refuses, and the error it shows, must not change: every input cell is read
 * back — from the file written, and from LibreOffice opening it and saving it again — and compared
 * with the rule it had before the merge.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { OWN_MESSAGE_ENTRIES, planWorkbook, shareValidationPrompts, validationEntries, type Validation, type WorkbookPlan } from '../../src/layout';
import { writeWorkbook } from '../../src/xlsx';
import { convert, makeProfile, sofficePath } from '../e2e/soffice';
import { rubricCases, unitsFor } from '../layout/helpers';
import { cellValidations, type CellValidation } from './dv-xml';

const SOFFICE = sofficePath();
if (!SOFFICE) console.log('[validations] LibreOffice part skipped: soffice not found');

/** What decides whether a cell refuses an entry, and what it says when it does. */
const refusing = (r: Validation) => ({ type: r.type, operator: r.operator ?? 'between', formulae: r.formulae, allowBlank: true, showErrorMessage: true, errorTitle: r.errorTitle, error: r.error });

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
    it(`${c.name}: every input cell refuses what it refused before (read back${SOFFICE ? ', and through LibreOffice' : ''})`, async () => {
      const before: WorkbookPlan = planWorkbook(c.program, unitsFor(c.program), { date: '2019-01-15' });
      const after: WorkbookPlan = { ...before, sheets: shareValidationPrompts(before.sheets, 0) };
      const [ownBytes, sharedBytes] = [await writeWorkbook(before), await writeWorkbook(after)];
      // Fewer entries: at most one per rule and sheet (custom rules on their own cell: one per column).
      const perRule = after.sheets.reduce((a, s) => a + validationEntries(s.validations), 0);
      const written = await entriesIn(sharedBytes);
      expect(written).toBeLessThanOrEqual(perRule);
      expect(written).toBeLessThanOrEqual(await entriesIn(ownBytes));
      expect(written).toBeGreaterThanOrEqual(after.sheets.filter((s) => s.validations.length).length);

      const check = (read: Map<string, Map<string, CellValidation>>, normalise: (f: string) => string, withMessages: boolean) => {
        let cells = 0;
        after.sheets.forEach((s, i) => {
          const got = read.get(s.name)!;
          s.validations.forEach((v, k) => {
            const r = got.get(v.address);
            expect(r, `${s.name}!${v.address}`).toBeDefined();
            const was = before.sheets[i].validations[k];
            expect(was.address).toBe(v.address);
            // A rule of one formula: LibreOffice writes an unused formula2 too.
            expect({ ...refusing(was.rule), ...r, formulae: r!.formulae.slice(0, was.rule.formulae.length).map(normalise) }, `${s.name}!${v.address}`)
              .toEqual({ ...r, ...refusing(was.rule), formulae: was.rule.formulae.map(normalise) });
            // A rule with no shared message (the 本表设定 sheet's few cells) keeps its own.
            if (withMessages) expect({ promptTitle: r!.promptTitle, prompt: r!.prompt }).toEqual(was.rule.shared ?? { promptTitle: was.rule.promptTitle, prompt: was.rule.prompt });
            cells++;
          });
          // No cell that had no validation gained one.
          expect(got.size, s.name).toBe(s.validations.length);
        });
        expect(cells).toBe(before.sheets.reduce((a, s) => a + s.validations.length, 0));
      };
      check(await cellValidations(sharedBytes), (f) => f, true);

      if (!SOFFICE) return;
      // LibreOffice opens the merged file and writes it again: each cell still carries its own rule.
      const src = join(dir, `${c.name}-shared.xlsx`);
      writeFileSync(src, sharedBytes);
      const [out] = await convert(SOFFICE, makeProfile(join(dir, `profile-${c.name}`)), 'xlsx', join(dir, `out-${c.name}`), [src]);
      // LibreOffice writes formulas back in its own spelling (spaces, case); compare that loosely.
      const loose = (f: string): string => f.replace(/^=/, '').replace(/\s+/g, '').toUpperCase();
      check(await cellValidations(new Uint8Array(readFileSync(out))), loose, false);
    });
  }
});
