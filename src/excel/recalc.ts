// 重新计算: read every Dafen sheet's inputs and computed cells (one round trip), score the whole cohort,
// write 备注/status/highlights everywhere (a second), and report computed cells whose formula was
// overwritten; restoreFormulas puts them back (one more), never touching an input.
import { scoreCohort, type UnitResult } from '../engine';
import { boundingRect, parseCell, rectAddress } from './a1';
import type { FormulaCell } from './binding';
import { asOwnWrite, cohortOf, queueReadSheet, queueWrites, replaceSheet, type LiveState } from './live';
import { sheetWrites, type SheetWrites } from './writes';

export interface Overwritten {
  sheet: string;
  id: string;
  address: string;
  expected: string;
  actual: unknown;
}

export interface RecalcReport {
  results: UnitResult[];
  writes: SheetWrites[];
  overwritten: Overwritten[];
  /** Sheets whose rows the clerk moved: re-scored, formulas not compared. */
  moved: string[];
  /** Protection per sheet as read (to lift around a restore). */
  protection: Map<string, Excel.WorksheetProtectionOptions | null>;
}

/**
 * Formula text as compared: whitespace and `_xlfn.` prefixes dropped, sheet-name quotes removed
 * (Excel drops quotes it does not need), upper case outside string literals.
 */
export function normalizeFormula(f: string): string {
  let out = '';
  let inStr = false;
  for (let i = 0; i < f.length; i++) {
    const ch = f[i];
    if (ch === '"') inStr = !inStr;
    if (inStr || ch === '"') out += ch;
    else if (!/\s/.test(ch)) out += ch.toUpperCase();
  }
  return out.replace(/_XLFN\.|_XLWS\./g, '').replace(/'([^'!]+)'!/g, '$1!');
}

export function isOverwritten(expected: string, actual: unknown): boolean {
  if (typeof actual !== 'string' || !actual.startsWith('=')) return true;
  return normalizeFormula(actual) !== normalizeFormula(expected);
}

function queueReadFormulas(context: Excel.RequestContext, sheet: string, cells: FormulaCell[]) {
  const rect = boundingRect(cells.map((c) => parseCell(c.address)).filter((c): c is NonNullable<typeof c> => c !== null));
  if (!rect) return () => [] as Overwritten[];
  const range = context.workbook.worksheets.getItem(sheet).getRange(rectAddress(rect));
  range.load('formulas');
  return (): Overwritten[] =>
    // The rectangle also holds inputs and text: only the cells the layout gave a formula are compared.
    cells.flatMap((c) => {
      const at = parseCell(c.address)!;
      const actual = range.formulas[at.row - rect.top]?.[at.col - rect.left];
      return isOverwritten(c.formula, actual) ? [{ sheet, id: c.id, address: c.address, expected: c.formula, actual }] : [];
    });
}

export async function recalcAll(context: Excel.RequestContext, state: LiveState): Promise<RecalcReport> {
  const b = state.binding;
  const reads = b.sheets.map((s) => ({ s, read: queueReadSheet(context, s, state.caps), formulas: queueReadFormulas(context, s.sheet, s.formulas) }));
  // Formulas are compared where the layout put them: a sheet whose rows moved is re-scored, not compared.
  const summary = b.summary && b.summary.formulas.length ? queueReadFormulas(context, b.summary.sheet, b.summary.formulas) : () => [];
  const summaryWs = b.summary ? context.workbook.worksheets.getItem(b.summary.sheet) : null;
  summaryWs?.protection.load('protected,options');
  await context.sync(); // 1
  const moved = new Set<string>();
  for (const { s, read } of reads) {
    state.inputs.set(s.sheet, read.inputs());
    const now = read.binding();
    if (now !== s) {
      moved.add(s.sheet);
      replaceSheet(state, now);
    }
  }
  const overwritten = [...reads.filter((r) => !moved.has(r.s.sheet) && !r.s.moved).flatMap((r) => r.formulas()), ...(moved.size ? [] : summary())];
  const protection = new Map(reads.map(({ s, read }) => [s.sheet, read.protection()]));
  if (b.summary && summaryWs) protection.set(b.summary.sheet, summaryWs.protection.protected ? { ...summaryWs.protection.options } : null);

  const res = scoreCohort(state.program, cohortOf(state));
  const writes: SheetWrites[] = [];
  for (const { s, read } of reads) {
    const r = res.units.find((u) => u.unit === s.unit);
    if (!r) continue;
    const w = sheetWrites(read.binding(), r);
    writes.push(w);
    queueWrites(context, w, { inputFill: b.inputFill, notes: read.notes, protection: read.protection() });
  }
  await asOwnWrite(state, () => context.sync()); // 2
  return { results: res.units, writes, overwritten, moved: [...moved], protection };
}

/** Writes the expected formulas back into the overwritten cells (inputs are never among them). */
export async function restoreFormulas(
  context: Excel.RequestContext,
  state: LiveState,
  cells: readonly Overwritten[],
  protection: ReadonlyMap<string, Excel.WorksheetProtectionOptions | null> = new Map(),
): Promise<number> {
  const inputs = new Set(state.binding.sheets.flatMap((s) => s.inputs.map((i) => `${s.sheet}!${i.address}`)));
  const bySheet = new Map<string, Overwritten[]>();
  for (const c of cells) {
    if (inputs.has(`${c.sheet}!${c.address}`)) continue; // never an input
    bySheet.set(c.sheet, [...(bySheet.get(c.sheet) ?? []), c]);
  }
  let n = 0;
  for (const [sheet, list] of bySheet) {
    const ws = context.workbook.worksheets.getItem(sheet);
    const prot = protection.get(sheet);
    if (prot) ws.protection.unprotect();
    for (const c of list) {
      ws.getRange(c.address).formulas = [[c.expected]];
      n++;
    }
    if (prot) ws.protection.protect(prot);
  }
  await asOwnWrite(state, () => context.sync());
  return n;
}
