/**
 * A cohort's 打分表 as a HyperFormula workbook, for the differential test and the bench: per unit a
 * sheet `U<j>` with the inputs in column A, every computed cell's printed formula in column B and each
 * input's state cell (inputs.ts: stateFormula) in column C, with the status counts in D1 (errors) and D2 (blank); a
 * `cohort` sheet holds, per rank criterion, every cohort member's figure (what the rank ranges read).
 */
import { HyperFormula } from 'hyperformula';
import { cohortFlagsOf, cohortPendingConds, compileSheet, condFormula, naKeysOf, stateFormula, toFormula, type Expr, type Cond, type Program, type SheetModel, type Variant } from '../../src/engine';
import { cohortMember } from '../../src/layout/summary';
import { SETTINGS_NAME, planSettings, settingRef } from '../../src/layout/settings';

/**
 * What one input cell holds: a number, a text (written as text, never parsed as typing), a logical, a
 * formula (`{ formula: '1/0' }`), or nothing.
 */
export interface CellEntry {
  cell: string | number | boolean | { formula: string } | null;
}

/** The content HyperFormula is given for a cell: text is forced to stay text with a leading apostrophe. */
export function hfContent(cell: CellEntry['cell'] | undefined): string | number | boolean | null {
  if (cell === undefined || cell === null) return null;
  if (typeof cell === 'string') return `'${cell}`;
  if (typeof cell === 'object') return `=${cell.formula}`;
  return cell;
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
  /** The 本表设定 sheet (layout/settings.ts, its own formulas), when the program sets anything; cells by setting key. */
  settings?: { sheetId: number; valueAt: Map<string, { row: number; col: number }>; usedAt: Map<string, { row: number; col: number }> };
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
  const data: Record<string, (string | number | boolean | null)[][]> = {};
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
      state: (k: string) => { const r = inRow.get(k); if (!r) throw new Error(`no input ${k}`); return `C${r}`; },
      setting: (k: string) => settingRef(program, k),
    };
    const rows: (string | number | null)[][] = Array.from({ length: Math.max(specs.length, ids.length, 2) }, () => [null, null, null, null]);
    const naKeys = naKeysOf(sheet.nodes.values());
    const flags = cohortFlagsOf(sheet.nodes.values());
    specs.forEach((spec, i) => {
      const f = `=${stateFormula(spec, env, naKeys.get(spec.key), flags.get(spec.key))}`;
      formulas.push(f);
      rows[i][2] = f;
    });
    const range = `$C$1:$C$${Math.max(1, specs.length)}`;
    rows[0][3] = `=COUNTIF(${range},2)`;
    rows[1][3] = `=${[`COUNTIF(${range},1)`, ...cohortPendingConds(sheet).map((c) => `IF(${condFormula(c, env)},1,0)`)].join('+')}`;
    ids.forEach((id, i) => {
      const f = `=${toFormula(sheet.cells.get(id)!, env)}`;
      formulas.push(f);
      rows[i][1] = f;
    });
    data[`U${j}`] = rows;
    return { name: units[j].name, sheet, inRow, cellRow };
  });
  const height = Math.max(1, sheets.length, ...[...rankCols.values()].map((c) => c.members.length));
  data.cohort = Array.from({ length: height }, () => Array.from({ length: Math.max(1, rankCols.size + cohortIds.length) }, () => null as string | number | boolean | null));
  // As the 汇总's figure columns: only an accepted number takes a place (summary.ts).
  for (const [key, c] of rankCols) {
    c.members.forEach((j, i) => {
      const r = meta[j].inRow.get(key)!;
      data.cohort[i][c.col] = `=IF(U${j}!C${r}=2,"",IF(ISNUMBER(U${j}!A${r}),U${j}!A${r},""))`;
    });
  }
  meta.forEach((mm, j) => {
    const env = {
      cell: (k: string) => { const r = mm.inRow.get(k); if (!r) throw new Error(`no input ${k}`); return `U${j}!A${r}`; },
      ref: (id: string) => `U${j}!B${mm.cellRow.get(id)}`,
      rankRange: () => { throw new Error('no rank in a cohort column'); },
      state: (k: string) => { const r = mm.inRow.get(k); if (!r) throw new Error(`no input ${k}`); return `U${j}!C${r}`; },
    };
    for (const id of cohortIds) {
      const m = mm.sheet.nodes.get(id);
      const cell = m ? cohortMember(m, env, () => undefined) : null;
      if (cell) { data.cohort[j][cohortCol.get(id)!] = `=${cell.formula}`; formulas.push(`=${cell.formula}`); }
    }
  });
  // 本表设定 as the workbook has it: the layout's own cells, formulas included.
  const set = planSettings(program);
  const valueAt = new Map<string, { row: number; col: number }>();
  const usedAt = new Map<string, { row: number; col: number }>();
  if (set) {
    const h = Math.max(...set.plan.cells.map((c) => c.row));
    const w = Math.max(...set.plan.cells.map((c) => c.col));
    const grid = Array.from({ length: h }, () => Array.from({ length: w }, () => null as string | number | boolean | null));
    for (const c of set.plan.cells) {
      grid[c.row - 1][c.col - 1] = c.formula !== undefined ? `=${c.formula}` : typeof c.value === 'string' ? `'${c.value}` : (c.value ?? null);
      if (c.formula !== undefined) formulas.push(`=${c.formula}`);
      if (c.input) valueAt.set(c.input, { row: c.row - 1, col: c.col - 1 });
      if (c.computed?.startsWith('setting:')) usedAt.set(c.computed.slice('setting:'.length), { row: c.row - 1, col: c.col - 1 });
    }
    data[SETTINGS_NAME] = grid;
  }
  const hf = HyperFormula.buildFromSheets(data, { licenseKey: 'gpl-v3' });
  return {
    ...(set ? { settings: { sheetId: hf.getSheetId(SETTINGS_NAME)!, valueAt, usedAt } } : {}),
    hf, formulas, rankCols, cohortId: hf.getSheetId('cohort')!,
    units: meta.map((m, j) => ({ ...m, sheetId: hf.getSheetId(`U${j}`)! })),
  };
}

/** Writes one cohort's entries into the workbook (the cohort sheet's rank figures follow by formula). */
export function fill(L: Layout, cohort: Map<string, CellEntry>[]): void {
  L.hf.batch(() => {
    L.units.forEach((u, j) => {
      for (const [key, row] of u.inRow) L.hf.setCellContents({ sheet: u.sheetId, col: 0, row: row - 1 }, [[hfContent(cohort[j].get(key)?.cell)]]);
    });
  });
}


/** Writes one unit's entries (one range write) and its rank figures: the bench's per-unit edit. */
export function fillUnit(L: Layout, j: number, entries: Map<string, CellEntry>): void {
  const u = L.units[j];
  // The input column in one call (rows 1…n hold the inputs in order).
  const column: (string | number | boolean | null)[][] = [];
  for (const [key, row] of u.inRow) column[row - 1] = [hfContent(entries.get(key)?.cell)];
  L.hf.batch(() => {
    L.hf.setCellContents({ sheet: u.sheetId, col: 0, row: 0 }, column);
  });
}

/** As fillUnit, but one setCellContents per input cell (inside one batch). */
export function fillUnitCells(L: Layout, j: number, entries: Map<string, CellEntry>): void {
  const u = L.units[j];
  L.hf.batch(() => {
    for (const [key, row] of u.inRow) L.hf.setCellContents({ sheet: u.sheetId, col: 0, row: row - 1 }, [[hfContent(entries.get(key)?.cell)]]);
  });
}

/** Reads every computed cell of one unit. */
export function readUnit(L: Layout, j: number): unknown[] {
  const u = L.units[j];
  return [...u.cellRow.values()].map((row) => L.hf.getCellValue({ sheet: u.sheetId, col: 1, row: row - 1 }));
}
