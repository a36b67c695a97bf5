/**
 * Differential test of 本表设定 (issue 11): the clerk changes the values the rubric sets on its own (台前 s2.3.3's
 * rank step, the 190—200㎡ and 60%—80% tiers, 拱墅's 收件率 rank table) in the workbook's 本表设定 cells — to valid
 * values, out of range, negative, text, blank, TRUE, an error value, or out of order. The sheet's own formulas
 * (計分采用, evaluated by HyperFormula) and the unit sheets' formulas must equal what the engine computes after
 * reading the same cells (layout applySettings → engine readSettings/withSettings), for random entries as well.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scoreCohort, settingsOf, type Program, type ProgramSetting, type Raw } from '../../src/engine';
import { applySettings } from '../../src/layout/settings';
import { allNodes, loadedRubrics, rawsOf, unitsOf, validInputs, type Entry } from './helpers';
import { buildLayout, fill, type Layout } from './hf-layout';

const SEED = Number(process.env.FC_SEED ?? 20181);
const RUNS = Math.max(8, Math.round(Number(process.env.FC_RUNS ?? 1) * 25));
const RUBRICS = loadedRubrics().filter((r) => settingsOf(r.program).length > 0);

/** What a 设定值 cell holds: for HyperFormula, and as the reader gives it to the engine. */
type SettingCell = { hf: string | number | boolean | null; raw: Raw };
const text = (s: string): SettingCell => ({ hf: `'${s}`, raw: s });

function settingCell(s: ProgramSetting): fc.Arbitrary<SettingCell> {
  const max = s.max ?? 100;
  const num = (n: number): SettingCell => ({ hf: n, raw: n });
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(num(s.value)) },
    { weight: 4, arbitrary: fc.integer({ min: 0, max: Math.round(max * 4) }).map((n) => num(n / 4)) },
    {
      weight: 2,
      arbitrary: fc.constantFrom<SettingCell>(
        num(-1), num(max + 1), num(0), text('二十'), text('5'), text('  '), { hf: true, raw: true }, { hf: null, raw: null },
        { hf: '=1/0', raw: '#DIV/0!' },
      ),
    },
  );
}

function compare(program: Program, L: Layout, cohort: Map<string, Entry>[], cells: Map<string, SettingCell>): void {
  fill(L, cohort);
  const S = L.settings!;
  // Every cell written: those not given hold the rubric's value, as a workbook fresh from 生成打分表.
  for (const s of settingsOf(program)) if (!cells.has(s.key)) cells.set(s.key, { hf: s.value, raw: s.value });
  L.hf.batch(() => {
    for (const [key, c] of cells) L.hf.setCellContents({ sheet: S.sheetId, ...S.valueAt.get(key)! }, [[c.hf]]);
  });
  const { program: scoring } = applySettings(program, Object.fromEntries([...cells].map(([k, c]) => [k, c.raw])));
  // The value in force of every setting: 计分采用 on the sheet = the engine's program.
  for (const s of settingsOf(scoring)) {
    const got = L.hf.getCellValue({ sheet: S.sheetId, ...S.usedAt.get(s.key)! });
    if (got !== s.value) throw new Error(`${s.key}: 计分采用 ${JSON.stringify(got)} ≠ engine ${s.value}; cells ${JSON.stringify([...cells].map(([k, c]) => [k, c.raw]))}`);
  }
  const r = scoreCohort(scoring, L.units.map((u, j) => ({ unit: u.name, variant: u.sheet.variant.id, inputs: rawsOf(cohort[j]) })));
  r.units.forEach((res, j) => {
    const u = L.units[j];
    for (const n of allNodes(res.nodes)) {
      const row = u.cellRow.get(n.id);
      if (!row) continue;
      const got = L.hf.getCellValue({ sheet: u.sheetId, col: 1, row: row - 1 });
      if (typeof got !== 'number' || Math.abs(got - n.points) > 1e-9) {
        throw new Error(`${u.name} ${n.id}: HyperFormula ${JSON.stringify(got)} ≠ engine ${n.points}\n  ${L.hf.getCellFormula({ sheet: u.sheetId, col: 1, row: row - 1 })}`);
      }
    }
    const fin = L.hf.getCellValue({ sheet: u.sheetId, col: 1, row: u.cellRow.get('$final')! - 1 });
    expect(Math.abs((fin as number) - res.final)).toBeLessThan(1e-9);
  });
}

describe('the rubrics mark their own settings', () => {
  it('台前 and 拱墅 have them (the rank table and tier gaps the documents do not state)', () => {
    expect(RUBRICS.map((r) => r.name).sort()).toEqual(['gongshu-2021.yaml', 'taiqian-2018.yaml']);
  });
});

describe('台前 县直 s2.3.3 by hand: 办件量 300, 200, 100 → places 1, 2, 3', () => {
  const { program } = RUBRICS.find((r) => r.name === 'taiqian-2018.yaml')!;
  const county = program.variants.find((v) => v.id === 'county')!;
  const units = unitsOf(program, county, 3);
  const L = buildLayout(program, county, units);
  const cohort = [300, 200, 100].map((n) => new Map<string, Entry>([['s2.3.3#figure', { raw: n, cell: n }]]));
  const s233 = () => L.units.map((u) => L.hf.getCellValue({ sheet: u.sheetId, col: 1, row: u.cellRow.get('s2.3.3')! - 1 }));

  it('scores 20, 19, 18 as the rubric sets it, 20, 15, 10 after 每后1名减 is set to 5, and 20, 19, 18 again when 第1名得分 is text', () => {
    compare(program, L, cohort, new Map());
    expect(s233()).toEqual([20, 19, 18]);
    compare(program, L, cohort, new Map([['county/s2.3.3@step.per', { hf: 5, raw: 5 }]]));
    expect(s233()).toEqual([20, 15, 10]);
    compare(program, L, cohort, new Map<string, SettingCell>([['county/s2.3.3@step.first', text('二十')], ['county/s2.3.3@step.per', { hf: 5, raw: 5 }]]));
    expect(s233()).toEqual([20, 19, 18]);
  });
});

describe.each(RUBRICS.map((r) => [r.name, r] as const))('%s', (_n, { program }) => {
  const variants = program.variants.filter((v) => settingsOf(program).some((s) => s.variant === v.id));
  describe.each(variants.map((v) => [v.id, v] as const))('variant %s', (_v, variant) => {
    const units = unitsOf(program, variant, 4);
    const L = buildLayout(program, variant, units);
    const mine = settingsOf(program);

    it('each setting raised by 0.5 (within its bounds): 计分采用 and every node equal the engine', () => {
      for (const s of mine) {
        const changed = new Map([[s.key, { hf: s.max !== null ? Math.min(s.max, s.value + 0.5) : s.value + 0.5, raw: s.max !== null ? Math.min(s.max, s.value + 0.5) : s.value + 0.5 }]]);
        compare(program, L, units.map(() => new Map()), changed);
      }
    });

    it('random settings (valid, bad, out of order) and random entries: the sheet and the engine agree', () => {
      const arb = fc.tuple(fc.tuple(...units.map((u) => validInputs(program, variant, u))), fc.tuple(...mine.map(settingCell)));
      fc.assert(fc.property(arb, ([cohort, cells]) => compare(program, L, cohort, new Map(mine.map((s, i) => [s.key, cells[i]])))), { numRuns: RUNS, seed: SEED });
    });
  });
});
