/**
 * The workbook plan for every bundled rubric and the fixture: its invariants hold, its layout is the
 * document's table, and — evaluated by HyperFormula in-process — every formula computes the value the
 * engine cached next to it, blank and filled at random.
 */
import { describe, expect, it } from 'vitest';
import { compileSheet, findVariant, scoreCohort, type Program } from '../../src/engine';
import {
  HEADER_ROWS, SUMMARY_NAME, META_SHEET, addr, checkPlan, columnPixels, decodeMeta, heightFor, planWorkbook, wrappedLines,
  type SheetPlan, type WorkbookPlan,
} from '../../src/layout';
import { PAGE_PX } from '../../src/layout/columns';
import { ADDIN_WRITTEN } from '../../src/layout/styles';
import { hfMismatches, randomInputs, rubricCases, unitsFor } from './helpers';

const cases = rubricCases();

const unitSheets = (p: WorkbookPlan): SheetPlan[] => p.sheets.filter((s) => s.kind === 'unit');
const cellAt = (s: SheetPlan, row: number, col: number) => s.cells.find((c) => c.row === row && c.col === col);

describe.each(cases.map((c) => [c.name, c.program] as const))('%s', (_name, program: Program) => {
  const units = unitsFor(program);
  const blank = planWorkbook(program, units.map((u) => ({ name: u.name, variant: u.variant })), { date: '2019-01-15' });

  it('keeps every plan invariant', () => {
    expect(checkPlan(blank)).toEqual([]);
  });

  it('has the 汇总 sheet first, one sheet per unit, and the very hidden metadata last', () => {
    expect(blank.sheets[0].name).toBe(SUMMARY_NAME);
    expect(blank.sheets.at(-1)!.name).toBe(META_SHEET);
    expect(blank.sheets.at(-1)!.state).toBe('veryHidden');
    expect(unitSheets(blank).map((s) => blank.meta.sheets.find((m) => m.name === s.name)!.unit).sort()).toEqual(units.map((u) => u.name).sort());
  });

  it('lays each sheet out like the document: title, unit line, the document’s columns then 录入 | 得分 | 备注', () => {
    for (const s of unitSheets(blank)) {
      const m = blank.meta.sheets.find((x) => x.name === s.name)!;
      const v = findVariant(program, m.variant)!;
      expect(cellAt(s, 1, 1)?.value).toBe(v.title);
      expect(String(cellAt(s, 2, 1)?.value)).toContain(`${v.unitLabel}：${m.unit}`);
      expect(String(cellAt(s, 2, 1)?.value)).toContain('2019年1月15日');
      // The hidden marker and state columns (right of 扣分依据/说明) are left out.
      const headers = s.cells.filter((c) => c.row === HEADER_ROWS && c.value && c.col <= v.columns.length + 5).map((c) => c.value);
      expect(headers).toEqual([...v.columns.map((c) => c.header), '录入', '得分', '备注', '扣分依据/说明']);
      expect(s.merges).toContainEqual({ top: 1, left: 1, bottom: 1, right: v.columns.length + 5 });
    }
  });

  it('maps every input and every computed cell, and the map decodes from the hidden sheet', () => {
    const decoded = decodeMeta(blank.sheets.at(-1)!.cells.map((c) => String(c.value)));
    expect(decoded.meta).toEqual(blank.meta);
    for (const m of blank.meta.sheets) {
      const sheet = compileSheet(program, findVariant(program, m.variant)!, units.find((u) => u.name === m.unit)!);
      expect(m.inputs.map((i) => i.key)).toEqual([...sheet.inputs, ...sheet.vetoInputs].map((i) => i.key));
      const placed = new Set(m.cells.map((c) => c.id));
      for (const id of sheet.nodes.keys()) expect(placed.has(id), `${m.unit} ${id}`).toBe(true);
      expect(placed.has('$final')).toBe(true);
      if (program.policies.conversion) expect(placed.has('$converted')).toBe(true);
      if (program.vetoes?.length) expect(placed.has('$veto')).toBe(true);
    }
  });

  it('gives a criterion with several lines one input row per line, its score merged over them', () => {
    for (const m of blank.meta.sheets) {
      const s = blank.sheets.find((x) => x.name === m.name)!;
      const sheet = compileSheet(program, findVariant(program, m.variant)!, units.find((u) => u.name === m.unit)!);
      for (const node of sheet.nodes.values()) {
        if (!node.isCriterion || node.inputs.length < 2) continue;
        const rows = node.inputs.map((i) => Number(m.inputs.find((x) => x.key === i.key)!.address.replace(/^[A-Z]+/, '')));
        expect(rows).toEqual(rows.map((_, i) => rows[0] + i));
        const at = m.cells.find((c) => c.id === node.id)!.address;
        const col = at.replace(/\d+$/, '');
        expect(s.merges.some((g) => addr(g.top, g.left) === at && g.bottom === rows.at(-1)), `${node.id} score merged (${col})`).toBe(true);
      }
    }
  });

  it('locks everything but the inputs, protects each sheet, validates each input and prints on A4', () => {
    for (const s of unitSheets(blank)) {
      expect(s.protection).not.toBeNull();
      const inputs = s.cells.filter((c) => c.input);
      expect(inputs.every((c) => !blank.styles[c.style].locked)).toBe(true);
      // Locked but the inputs, 扣分依据/说明 and the cells the add-in writes under protection (备注: ADDIN_WRITTEN).
      expect(s.cells.filter((c) => !c.input && !c.remark && !ADDIN_WRITTEN.has(c.style)).every((c) => blank.styles[c.style].locked)).toBe(true);
      expect(s.cells.filter((c) => ADDIN_WRITTEN.has(c.style)).every((c) => !c.formula && !blank.styles[c.style].locked)).toBe(true);
      // 扣分依据/说明: one unlocked cell (merged over its rows) per criterion with inputs, mapped by criterion id.
      const m = blank.meta.sheets.find((x) => x.name === s.name)!;
      expect(m.remarks!.length).toBe(m.cells.filter((c) => c.kind === 'criterion' && m.inputs.some((i) => i.criterionId === c.id)).length + (m.cells.some((c) => c.id === '$veto') ? 1 : 0));
      for (const r of m.remarks!) expect(blank.styles[s.cells.find((c) => addr(c.row, c.col) === r.address)!.style].locked).toBe(false);
      expect(s.validations.length).toBe(inputs.length);
      expect(s.print).toMatchObject({ paperSize: 9, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3' });
      expect(s.print!.printArea).toMatch(/^A\$1:[A-Z]+\$\d+$/);
      const printed = s.columns.filter((c) => !c.hidden).reduce((a, c) => a + columnPixels(c.width), 0);
      expect(printed).toBeLessThanOrEqual(PAGE_PX[s.print!.orientation] * 1.15);
    }
  });

  it('makes rows tall enough for their wrapped text, merged cells included', () => {
    for (const s of [...unitSheets(blank).slice(0, 3), blank.sheets[0]]) {
      const merges = new Map(s.merges.map((m) => [addr(m.top, m.left), m]));
      for (const c of s.cells) {
        if (typeof c.value !== 'string' || !c.value) continue;
        const st = blank.styles[c.style];
        const m = merges.get(addr(c.row, c.col)) ?? { top: c.row, left: c.col, bottom: c.row, right: c.col };
        let px = 0;
        for (let col = m.left; col <= m.right; col++) px += columnPixels(s.columns[col - 1].width);
        let h = 0;
        for (let r = m.top; r <= m.bottom; r++) h += s.rowHeights[r] ?? 15;
        const need = Math.min(409, heightFor(st.align.wrap ? wrappedLines(c.value, px, st.font.size) : 1, st.font.size));
        expect(h + 0.01, `${s.name}!${addr(c.row, c.col)}`).toBeGreaterThanOrEqual(need);
      }
    }
  });

  it('points rank formulas at the 汇总 column of every unit’s figure, and ranks the summary with COUNTIF', () => {
    const sum = blank.sheets[0];
    const first = blank.meta.summary.firstRow;
    const last = blank.meta.summary.lastRow;
    expect(last - first + 1).toBe(units.length);
    for (const [, col] of Object.entries(blank.meta.summary.rankCols)) {
      const range = `'${SUMMARY_NAME}'!$${col}$${first}:$${col}$${last}`;
      expect(unitSheets(blank).some((s) => s.cells.some((c) => c.formula?.includes(range)))).toBe(true);
    }
    const rank = sum.cells.find((c) => c.computed === 'summary.rank')!;
    // Only complete units are ranked (issue 13): IF(状态="完成",COUNTIFS(…)+1,"").
    expect(rank.formula).toMatch(/^IF\([A-Z]+\d+="完成",COUNTIFS\(/);
  });

  it('computes, cell for cell, what the engine caches — blank (HyperFormula)', () => {
    expect(hfMismatches(blank)).toEqual([]);
  });

  it('computes, cell for cell, what the engine caches — filled at random (HyperFormula)', () => {
    for (const seed of [1, 2]) {
      const filled = randomInputs(program, units, seed);
      const plan = planWorkbook(program, filled, { date: '2019-01-15' });
      expect(checkPlan(plan)).toEqual([]);
      expect(hfMismatches(plan)).toEqual([]);
      // The cached totals are the engine's.
      const res = scoreCohort(program, filled.map((u) => ({ unit: u.name, variant: u.variant, inputs: u.inputs })));
      const finals = plan.sheets[0].cells.filter((c) => c.computed === 'summary.final').map((c) => c.cached);
      expect(finals).toEqual(plan.meta.sheets.map((m) => res.units.find((u) => u.unit === m.unit)!.final));
    }
  });
});
