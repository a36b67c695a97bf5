/**
 * A cohort's 打分表 as a HyperFormula workbook, for the differential test and the bench: per unit a
 * sheet `U<j>` with the inputs in column A and every computed cell's printed formula in column B; a
 * `cohort` sheet holds, per rank criterion, every cohort member's figure (what the rank ranges read).
 */
import { HyperFormula } from 'hyperformula';
import { compileSheet, toFormula, type Expr, type Cond, type Program, type SheetModel, type Variant } from '../../src/engine';
import { cohortMember } from '../../src/layout/summary';

/** What one input cell holds: a number, a word, or nothing. */
export interface CellEntry {
  cell: string | number | null;
}

export function rankKeys(e: Expr | Cond, out = new Set<string>()): Set<string> {
  const walk = (x: Expr | Cond): void => {
    switch (x.op) {
      case 'rank': out.add(x.key); return;
      case '+': case '-': case '*': case '/': walk(x.a); walk(x.b); return;
      case 'sum': case 'min': case 'max': x.xs.forEach(walk); return;
      case 'if': walk(x.c); walk(x.t); walk(x.f); return;
      case 'round': walk(x.x); return;
      case 'cmp': walk(x.a); walk(x.b); return;
      case 'and': case 'or': x.cs.forEach(walk); return;
      case 'not': walk(x.c); return;
      default:
    }
  };
  walk(e);
  return out;
}

export interface Layout {
  hf: HyperFormula;
  units: { name: string; sheet: SheetModel; sheetId: number; inRow: Map<string, number>; cellRow: Map<string, number> }[];
  cohortId: number;
  rankCols: Map<string, { col: number; members: number[] }>;
  formulas: string[];
}

export const colName = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : colName(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)));

/** Builds the workbook once for a cohort of units of one variant. */
export function buildLayout(program: Program, variant: Variant, units: { name: string; tags: string[] }[]): Layout {
  return buildCohortLayout(program, units.map((unit) => ({ variant, unit })));
}

/** Builds the workbook once for a cohort whose units may belong to different variants. */
export function buildCohortLayout(program: Program, members: { variant: Variant; unit: { name: string; tags: string[] } }[]): Layout {
  const units = members.map((m) => m.unit);
  const sheets = members.map((m) => compileSheet(program, m.variant, m.unit));
  const keys = new Set<string>();
  for (const s of sheets) for (const e of s.cells.values()) rankKeys(e, keys);
  const rankCols = new Map<string, { col: number; members: number[] }>();
  [...keys].forEach((k, i) => rankCols.set(k, { col: i, members: sheets.flatMap((s, j) => (s.inputs.some((x) => x.key === k) ? [j] : [])) }));
  // Cohort clauses: one column per criterion id after the rank columns, one row per unit (the 汇总 column).
  const cohortIds = [...new Set(sheets.flatMap((s) => [...s.nodes.values()].filter((m) => m.cohort).map((m) => m.id)))];
  const cohortCol = new Map(cohortIds.map((id, i) => [id, rankCols.size + i]));
  const formulas: string[] = [];
  const data: Record<string, (string | number | null)[][]> = {};
  const meta = sheets.map((sheet, j) => {
    const specs = [...sheet.inputs, ...sheet.vetoInputs];
    const inRow = new Map(specs.map((s, i) => [s.key, i + 1]));
    const ids = [...sheet.cells.keys()];
    const cellRow = new Map(ids.map((id, i) => [id, i + 1]));
    const env = {
      cell: (k: string) => { const r = inRow.get(k); if (!r) throw new Error(`no input ${k}`); return `A${r}`; },
      ref: (id: string) => { const r = cellRow.get(id); if (!r) throw new Error(`no cell ${id}`); return `B${r}`; },
      rankRange: (k: string) => { const c = rankCols.get(k)!; const L = colName(c.col); return `cohort!$${L}$1:$${L}$${c.members.length}`; },
      cohortRange: (id: string) => { const L = colName(cohortCol.get(id)!); return `cohort!$${L}$1:$${L}$${sheets.length}`; },
    };
    const rows: (string | number | null)[][] = Array.from({ length: Math.max(specs.length, ids.length) }, () => [null, null]);
    ids.forEach((id, i) => {
      const f = `=${toFormula(sheet.cells.get(id)!, env)}`;
      formulas.push(f);
      rows[i][1] = f;
    });
    data[`U${j}`] = rows;
    return { name: units[j].name, sheet, inRow, cellRow };
  });
  const height = Math.max(1, sheets.length, ...[...rankCols.values()].map((c) => c.members.length));
  data.cohort = Array.from({ length: height }, () => Array.from({ length: Math.max(1, rankCols.size + cohortIds.length) }, () => null as string | number | null));
  meta.forEach((mm, j) => {
    const env = {
      cell: (k: string) => { const r = mm.inRow.get(k); if (!r) throw new Error(`no input ${k}`); return `U${j}!A${r}`; },
      ref: (id: string) => `U${j}!B${mm.cellRow.get(id)}`,
      rankRange: () => { throw new Error('no rank in a cohort column'); },
    };
    for (const id of cohortIds) {
      const m = mm.sheet.nodes.get(id);
      const cell = m ? cohortMember(m, env, () => undefined) : null;
      if (cell) { data.cohort[j][cohortCol.get(id)!] = `=${cell.formula}`; formulas.push(`=${cell.formula}`); }
    }
  });
  const hf = HyperFormula.buildFromSheets(data, { licenseKey: 'gpl-v3' });
  return {
    hf, formulas, rankCols, cohortId: hf.getSheetId('cohort')!,
    units: meta.map((m, j) => ({ ...m, sheetId: hf.getSheetId(`U${j}`)! })),
  };
}

/** What the 汇总 rank column holds for a cell (summary.ts figureFormula): a number, a percentage as a fraction. */
function figure(sheet: SheetModel, key: string, cell: unknown): number | null {
  if (typeof cell !== 'number') return null;
  const pct = sheet.inputs.find((s) => s.key === key)?.type === 'percent';
  return pct && cell > 1 ? cell / 100 : cell;
}

/** Writes one cohort's entries (and the cohort's rank figures) into the workbook. */
export function fill(L: Layout, cohort: Map<string, CellEntry>[]): void {
  L.hf.batch(() => {
    L.units.forEach((u, j) => {
      for (const [key, row] of u.inRow) L.hf.setCellContents({ sheet: u.sheetId, col: 0, row: row - 1 }, [[cohort[j].get(key)?.cell ?? null]]);
    });
    for (const [key, c] of L.rankCols) {
      c.members.forEach((j, i) => {
        const cell = cohort[j].get(key)?.cell;
        L.hf.setCellContents({ sheet: L.cohortId, col: c.col, row: i }, [[figure(L.units[j].sheet, key, cell)]]);
      });
    }
  });
}


/** Writes one unit's entries (one range write) and its rank figures: the bench's per-unit edit. */
export function fillUnit(L: Layout, j: number, entries: Map<string, CellEntry>): void {
  const u = L.units[j];
  // The input column in one call (rows 1…n hold the inputs in order).
  const column: (string | number | null)[][] = [];
  for (const [key, row] of u.inRow) column[row - 1] = [entries.get(key)?.cell ?? null];
  L.hf.batch(() => {
    L.hf.setCellContents({ sheet: u.sheetId, col: 0, row: 0 }, column);
    for (const [key, c] of L.rankCols) {
      const i = c.members.indexOf(j);
      if (i < 0) continue;
      const cell = entries.get(key)?.cell;
      L.hf.setCellContents({ sheet: L.cohortId, col: c.col, row: i }, [[figure(u.sheet, key, cell)]]);
    }
  });
}

/** As fillUnit, but one setCellContents per input cell (inside one batch). */
export function fillUnitCells(L: Layout, j: number, entries: Map<string, CellEntry>): void {
  const u = L.units[j];
  L.hf.batch(() => {
    for (const [key, row] of u.inRow) L.hf.setCellContents({ sheet: u.sheetId, col: 0, row: row - 1 }, [[entries.get(key)?.cell ?? null]]);
    for (const [key, c] of L.rankCols) {
      const i = c.members.indexOf(j);
      if (i < 0) continue;
      const cell = entries.get(key)?.cell;
      L.hf.setCellContents({ sheet: L.cohortId, col: c.col, row: i }, [[figure(u.sheet, key, cell)]]);
    }
  });
}

/** Reads every computed cell of one unit. */
export function readUnit(L: Layout, j: number): unknown[] {
  const u = L.units[j];
  return [...u.cellRow.values()].map((row) => L.hf.getCellValue({ sheet: u.sheetId, col: 1, row: row - 1 }));
}
