// 重新计算: read every Dafen sheet's inputs and computed cells (one round trip), score the whole cohort,
// write 备注/status/highlights everywhere (one more per CHUNK_BYTES), and report computed cells whose
// formula was overwritten; restoreFormulas puts them back, never touching an input.
import type { Problem, UnitResult } from '../engine';
import { boundingRect, parseCell, rectAddress } from './a1';
import type { FormulaCell } from './binding';
import { allInputs, sheetKey } from './binding';
import { ownWriteChunker, queueReadSettings, queueReadSheet, queueWrites, remember, replaceSheet, scoreAll, storeEntries, withoutFormats, type LiveState } from './live';
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
  /** 本表设定 cells refused (with sheet and cell): those criteria were scored with the rubric's values. */
  settingProblems: Problem[];
  /** Round trips taken, and the largest request's estimated bytes of writes. */
  syncs: number;
  largestWrite: number;
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

function queueReadFormulas(context: Excel.RequestContext, key: string, sheet: string, cells: FormulaCell[]): () => Overwritten[] {
  const read = queueReadChecked(context, key, sheet, cells, []);
  return () => read() ?? [];
}

/**
 * The formulas of `cells`, compared with the layout's, in the rectangle that also holds `landmarks` (texts the
 * layout put there): when one of those texts is not where it was made, the rows moved and nothing is compared
 * (null). Constants come back from `formulas` as they are, so the texts are read in the same range.
 */
function queueReadChecked(context: Excel.RequestContext, key: string, sheet: string, cells: FormulaCell[], landmarks: readonly { address: string; text: string }[]): () => Overwritten[] | null {
  const rect = boundingRect([...cells, ...landmarks].map((c) => parseCell(c.address)).filter((c): c is NonNullable<typeof c> => c !== null));
  if (!rect) return () => [] as Overwritten[];
  const range = context.workbook.worksheets.getItem(key).getRange(rectAddress(rect));
  range.load('formulas');
  const at = (address: string) => {
    const c = parseCell(address)!;
    return range.formulas[c.row - rect.top]?.[c.col - rect.left];
  };
  return (): Overwritten[] | null =>
    landmarks.some((l) => at(l.address) !== l.text) ? null :
    // The rectangle also holds inputs and text: only the cells the layout gave a formula are compared.
    cells.flatMap((c) => {
      const actual = at(c.address);
      return isOverwritten(c.formula, actual) ? [{ sheet, id: c.id, address: c.address, expected: c.formula, actual }] : [];
    });
}

/**
 * 重新计算: one round trip reads every sheet's inputs and formulas; the writes follow in requests of at
 * most CHUNK_BYTES each (the web refuses requests over 5 MB). Everything is written (what the add-in last
 * wrote is not trusted: the pane may have been closed), and protection is never touched: the cells written
 * are unlocked in the layout.
 */
export async function recalcAll(context: Excel.RequestContext, state: LiveState): Promise<RecalcReport> {
  const b = state.binding;
  const reads = b.sheets.map((s) => ({ s, read: queueReadSheet(context, s, state.caps), formulas: queueReadFormulas(context, sheetKey(s), s.sheet, s.formulas) }));
  // Formulas are compared where the layout put them: a sheet whose rows moved is re-scored, not compared.
  const summary = b.summary && b.summary.formulas.length ? queueReadFormulas(context, sheetKey(b.summary), b.summary.sheet, b.summary.formulas) : () => [];
  const settings = queueReadSettings(context, state);
  // 本表设定's own formulas (计分采用 and its state), compared only while its rows are where they were made.
  const set = b.settings;
  const settingFormulas = set?.formulas?.length ? queueReadChecked(context, sheetKey(set), set.sheet, set.formulas, set.landmarks ?? []) : () => [];
  await context.sync(); // 1
  settings();
  const moved = new Set<string>();
  for (const { s, read } of reads) {
    storeEntries(state, s.sheet, read.entries()); // every hand's column on a multi-hand sheet
    state.formatOk.set(s.sheet, read.canFormat());
    const now = read.binding();
    if (now !== s) {
      moved.add(s.sheet);
      replaceSheet(state, now);
    }
  }
  // 本表设定's rows moved (its protection had to be lifted for that): every formula that reads it changed with
  // them, so none is compared — the whole workbook is re-scored, nothing reported or restored.
  const setOverwritten = settingFormulas();
  if (setOverwritten === null) moved.add(set!.sheet);
  const overwritten = setOverwritten === null ? [] : [...reads.filter((r) => !moved.has(r.s.sheet) && !r.s.moved).flatMap((r) => r.formulas()), ...(moved.size ? [] : summary()), ...setOverwritten];

  const res = { units: scoreAll(state) };
  state.results = new Map(res.units.map((u) => [u.unit, u]));
  const writes: SheetWrites[] = [];
  const chunker = ownWriteChunker(context, state.caps);
  for (const { s, read } of reads) {
    const r = res.units.find((u) => u.unit === s.unit);
    if (!r) continue;
    const bound = read.binding();
    const w = withoutFormats(sheetWrites(bound, r), read.canFormat());
    writes.push(w);
    await queueWrites(context, chunker, bound, w, { inputFill: b.inputFill, notes: read.notes, caps: state.caps });
  }
  await chunker.flush();
  for (const w of writes) remember(state, w, w.bad.length + w.good.length > 0);
  return { results: res.units, writes, overwritten, moved: [...moved], settingProblems: state.settingProblems, syncs: 1 + chunker.syncs, largestWrite: chunker.largest };
}

/**
 * Writes the expected formulas back into the overwritten cells (inputs are never among them). The 得分
 * cells are locked: a sheet protected without a password is unprotected around the writes and protected
 * again with the same options in the same request; a sheet the clerk protected with a password is left
 * alone and reported.
 */
export async function restoreFormulas(context: Excel.RequestContext, state: LiveState, cells: readonly Overwritten[]): Promise<{ restored: number; refused: string[] }> {
  const inputs = new Set([
    ...state.binding.sheets.flatMap((s) => allInputs(s).map((i) => `${s.sheet}!${i.address}`)),
    ...(state.binding.settings?.cells ?? []).map((c) => `${state.binding.settings!.sheet}!${c.address}`),
  ]);
  const bySheet = new Map<string, Overwritten[]>();
  for (const c of cells) {
    if (inputs.has(`${c.sheet}!${c.address}`)) continue; // never an input
    bySheet.set(c.sheet, [...(bySheet.get(c.sheet) ?? []), c]);
  }
  const keyOf = (name: string) => {
    const s = state.binding.sheets.find((x) => x.sheet === name);
    if (s) return sheetKey(s);
    if (state.binding.summary && state.binding.summary.sheet === name) return sheetKey(state.binding.summary);
    return state.binding.settings && state.binding.settings.sheet === name ? sheetKey(state.binding.settings) : name;
  };
  const prots = [...bySheet.keys()].map((name) => {
    const p = context.workbook.worksheets.getItem(keyOf(name)).protection;
    p.load('protected,options');
    return { name, p };
  });
  await context.sync();
  let restored = 0;
  const refused: string[] = [];
  for (const { name, p } of prots) {
    const ws = context.workbook.worksheets.getItem(keyOf(name));
    const options = p.protected ? { ...p.options } : null;
    const quiet = Boolean(state.caps.enableEvents);
    if (options) ws.protection.unprotect();
    if (quiet) context.runtime.enableEvents = false;
    for (const c of bySheet.get(name)!) ws.getRange(c.address).formulas = [[c.expected]];
    if (options) ws.protection.protect(options);
    if (quiet) context.runtime.enableEvents = true;
    try {
      await context.sync();
      restored += bySheet.get(name)!.length;
    } catch (error) {
      // A password the add-in does not know: nothing written on that sheet.
      refused.push(name);
      void error;
      if (quiet) {
        context.runtime.enableEvents = true;
        await context.sync().catch(() => undefined);
      }
    }
  }
  return { restored, refused };
}
