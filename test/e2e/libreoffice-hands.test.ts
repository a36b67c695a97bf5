/**
 * Issue 15 end to end: workbooks with a 自评 column and with several raters, filled hand by hand the way
 * the clerks would (every hand's own column), recalculated by LibreOffice headless, read back. Every formula
 * cell — each hand's 得分, the raters' aggregate (mean, 去掉一个最高分和一个最低分; per criterion or on the
 * totals), 分差, 相差过大, 差异, 汇总's totals of each hand, ranks and statuses — must equal what the engine
 * caches for the same entries; the reader returns every hand's entries; `dafen score`'s check finds nothing.
 * Skipped, with the reason printed, when soffice is not installed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessmentProblem, scoreHands, type AssessmentPolicy, type HandId, type Program } from '../../src/engine';
import { addr, handsOf, planWorkbook, type UnitIn, type WorkbookPlan } from '../../src/layout';
import { readFilledWorkbook, verifyWorkbook, writeWorkbook } from '../../src/xlsx';
import { randomInputs, rubricCases, unitsFor } from '../layout/helpers';
import { convert, makeProfile, sofficePath } from './soffice';
import { TOL } from './against-engine';

const SOFFICE = sofficePath();
if (!SOFFICE) console.log('[e2e hands] skipped: soffice not found — apt-get install -y --no-install-recommends libreoffice-calc-nogui');

interface Case {
  name: string;
  program: Program;
  assessment: AssessmentPolicy;
  hands: HandId[];
  units: UnitIn[];
  blank?: WorkbookPlan;
  filled?: string;
  recalculated?: string;
}

const wanted = ['mini', 'exclusive', 'gongshu-2021', 'taiqian-2018'];
const policies: AssessmentPolicy[] = [
  { self: true },
  { raters: { count: 3, aggregate: 'trimmedMean', on: 'criterion', spread: 1 } },
  { self: true, raters: { count: 3, aggregate: 'mean', on: 'total', spread: 2 } },
];
const cases: Case[] = SOFFICE
  ? rubricCases().filter((r) => wanted.includes(r.name)).flatMap((r) => policies.map((p, pi) => {
    // Per-criterion averaging is refused where subtotals read entries directly: average the totals there.
    const assessment = assessmentProblem(r.program, p) ? { ...p, raters: { ...p.raters!, on: 'total' as const } } : p;
    const { hands } = handsOf(r.program, { assessment });
    const base = unitsFor(r.program);
    const fills = hands.map((h, hi) => randomInputs(r.program, base, 900 + pi * 37 + hi));
    const units = base.map((u, ui) => ({ name: u.name, variant: u.variant, tags: u.tags, hands: Object.fromEntries(hands.map((h, hi) => [h, fills[hi][ui].inputs])) }));
    return { name: `${r.name}-${pi}`, program: r.program, assessment, hands, units };
  }))
  : [];
let work = '';

describe.runIf(SOFFICE)('LibreOffice recalculates multi-hand workbooks to the engine’s figures', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'dafen-hands-'));
    mkdirSync(join(work, 'filled'), { recursive: true });
    for (const c of cases) {
      // A blank workbook, filled cell by cell in each hand's column: every formula must be recomputed.
      c.blank = planWorkbook(c.program, c.units.map((u) => (typeof u === 'string' ? u : { name: u.name, variant: u.variant, tags: u.tags })), { assessment: c.assessment, date: '2019-01-15' });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await writeWorkbook(c.blank)) as unknown as ArrayBuffer);
      for (const sm of c.blank.meta.sheets) {
        const ws = wb.getWorksheet(sm.name)!;
        const u = c.units.find((x) => typeof x !== 'string' && x.name === sm.unit) as Exclude<UnitIn, string>;
        for (const h of sm.hands!) {
          for (const i of h.inputs) {
            const v = u.hands![h.hand]![i.key];
            ws.getCell(i.address).value = v === undefined || v === null ? null : (v as string | number);
          }
        }
      }
      c.filled = join(work, 'filled', `${c.name}.xlsx`);
      writeFileSync(c.filled, new Uint8Array(await wb.xlsx.writeBuffer()));
    }
    const out = await convert(SOFFICE!, makeProfile(join(work, 'profile')), 'xlsx', join(work, 'recalc'), cases.map((c) => c.filled!), 400_000);
    cases.forEach((c, i) => (c.recalculated = out[i]));
  }, 420_000);

  afterAll(() => {
    if (work && !process.env.KEEP) rmSync(work, { recursive: true, force: true });
  });

  it('covers self-assessment and raters on rubrics with ranks, cohort clauses and 不涉及 rescaling', () => {
    expect(cases.map((c) => c.name)).toEqual(expect.arrayContaining(['taiqian-2018-0', 'taiqian-2018-1', 'gongshu-2021-2']));
  });

  for (const c of cases) {
    it(`${c.name} (${c.hands.join(', ')}): every formula cell of every hand equals the engine`, async () => {
      const bytes = new Uint8Array(readFileSync(c.recalculated!));
      const read = await readFilledWorkbook(bytes);
      expect(read.problems.filter((p) => p.severity === 'error'), 'reading problems').toEqual([]);
      expect(read.meta!.hands).toEqual(c.hands);
      // Every hand's entries come back, from its own column.
      for (const u of c.units) {
        if (typeof u === 'string') continue;
        const ru = read.units.find((x) => x.unit === u.name)!;
        for (const h of c.hands) expect(ru.hands![h], `${u.name} ${h}`).toEqual(u.hands![h]);
      }
      // The engine over what was read, and the plan it would write: LibreOffice must compute every cached value.
      const expected = planWorkbook(c.program, read.units.map((ru) => ({ name: ru.unit, variant: ru.variant, tags: ru.tags, hands: ru.hands, cells: true })), {
        hands: c.hands, assessment: c.assessment, date: '2019-01-15',
      });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      let checked = 0;
      const bad: string[] = [];
      for (const s of expected.sheets) {
        if (s.kind === 'meta') continue;
        const ws = wb.getWorksheet(s.name)!;
        for (const cell of s.cells) {
          if (cell.formula === undefined) continue;
          const v = ws.getCell(addr(cell.row, cell.col)).value as ExcelJS.CellFormulaValue | number | string | null;
          // ExcelJS leaves `result` out where LibreOffice wrote <v>0</v> or an empty string: read as blank, as read.ts does.
          const got = v !== null && typeof v === 'object' && 'formula' in v ? (v.result ?? null) : v;
          const ok = typeof cell.cached === 'number'
            ? typeof got === 'number' ? Math.abs(got - cell.cached) <= TOL * Math.max(1, Math.abs(cell.cached)) : cell.cached === 0 && got === null
            : (got ?? '') === cell.cached;
          if (!ok) bad.push(`${s.name}!${addr(cell.row, cell.col)} ${cell.computed ?? ''}: LibreOffice ${JSON.stringify(got)} ≠ engine ${JSON.stringify(cell.cached)} — =${cell.formula}`);
          checked++;
        }
      }
      expect(bad.slice(0, 20)).toEqual([]);
      // The unit's own points on the sheet and on 汇总 are scoreHands' result.
      const hr = scoreHands(c.program, c.hands, c.assessment, read.units.map((ru) => ({ unit: ru.unit, variant: ru.variant, tags: ru.tags, hands: ru.hands!, cells: true })));
      for (const u of hr.units) {
        const ru = read.units.find((x) => x.unit === u.unit)!;
        expect(Math.abs(Number(ru.computed.$final.value ?? 0) - u.result.final)).toBeLessThanOrEqual(TOL * Math.max(1, u.result.final));
        expect(read.summary[u.unit].cells.status?.value).toBe(u.result.status.zh);
      }
      expect(verifyWorkbook(read, expected).map((p) => p.message.en)).toEqual([]);
      console.log(`[e2e hands] ${c.name}: ${checked} formula cells — LibreOffice = engine`);
    });
  }
});
