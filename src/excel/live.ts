// Live scoring: on a change in a Dafen sheet, read that sheet's inputs (one round trip), score with the
// engine, and write back 备注, the status and the input highlights/notes (a second round trip). The
// clerk's typed value is never written back. The add-in's own writes and co-authors' (remote) changes
// are ignored: ExcelApi 1.14 tells them apart with `triggerSource`; elsewhere a flag raised around our
// own batches does, and in any case an event that touches no input cell is dropped before any call.
import { scoreCohort, type CohortEntry, type Program, type Raw, type UnitResult } from '../engine';
import { parseAreas, rectAddress } from './a1';
import { inputReadRect, inputRect, inputsFromGrid, markerRange, relocate, type SheetBinding, type WorkbookBinding } from './binding';
import { BAD_INPUT_FILL, BAD_INPUT_FONT, sheetWrites, type SheetWrites } from './writes';

/** Marks the notes the add-in writes, so it never removes a note a clerk wrote. */
export const NOTE_PREFIX = '打分：';

export interface LiveCaps {
  /** ExcelApi 1.14: WorksheetChangedEventArgs.triggerSource. */
  triggerSource: boolean;
  /** ExcelApi 1.18: cell notes (worksheet.notes). Below it the message stays in 备注 and the highlight. */
  notes: boolean;
  /** ExcelApi 1.9: workbook-level WorksheetCollection.onChanged (one handler); below it one per sheet. */
  collectionEvents: boolean;
}

export interface LiveState {
  program: Program;
  binding: WorkbookBinding;
  caps: LiveCaps;
  /** The inputs of every sheet, last read: rank criteria see the whole cohort. */
  inputs: Map<string, Record<string, Raw>>;
  /** worksheetId → sheet name (events carry the id). */
  sheetIds: Map<string, string>;
  /** Fallback for hosts without triggerSource: > 0 while the add-in's own batch is in flight. */
  ownWrites: number;
  /** How long after our own sync events are still attributed to it (fallback only). */
  graceMs: number;
}

export function createLiveState(program: Program, binding: WorkbookBinding, caps: LiveCaps): LiveState {
  return { program, binding, caps, inputs: new Map(), sheetIds: new Map(), ownWrites: 0, graceMs: 400 };
}

/** The part of WorksheetChangedEventArgs the handler reads. */
export interface ChangeEvent {
  address: string;
  worksheetId: string;
  source?: string; // "Local" | "Remote"
  triggerSource?: string; // "ThisLocalAddin" | "Unknown" (ExcelApi 1.14)
  changeType?: string;
}

export type Decision = { act: 'score'; sheet: SheetBinding } | { act: 'ignore'; reason: 'remote' | 'own' | 'not-dafen' | 'no-input' };

/** Decides, without any Office call, whether an event needs scoring. */
export function decideChange(event: ChangeEvent, state: LiveState): Decision {
  if (event.source === 'Remote') return { act: 'ignore', reason: 'remote' };
  if (event.triggerSource === 'ThisLocalAddin') return { act: 'ignore', reason: 'own' };
  if (!state.caps.triggerSource && state.ownWrites > 0) return { act: 'ignore', reason: 'own' };
  const name = state.sheetIds.get(event.worksheetId);
  const sheet = state.binding.sheets.find((s) => s.sheet === name);
  if (!sheet) return { act: 'ignore', reason: 'not-dafen' };
  // Inserted/deleted rows or columns shift every address: rescore the sheet to be safe.
  if (event.changeType && event.changeType !== 'RangeEdited' && event.changeType !== 'Unknown') return { act: 'score', sheet };
  const areas = parseAreas(event.address);
  const rect = inputRect(sheet);
  if (!rect || areas.length === 0) return { act: 'ignore', reason: 'no-input' };
  const touches = areas.some((a) => a.top <= rect.bottom && a.bottom >= rect.top && a.left <= rect.right && a.right >= rect.left);
  if (!touches) return { act: 'ignore', reason: 'no-input' };
  const hit = sheet.inputs.some((i) => areas.some((a) => {
    const m = /^([A-Z]+)(\d+)$/.exec(i.address);
    if (!m) return false;
    const row = Number(m[2]) - 1;
    let col = 0;
    for (const ch of m[1]) col = col * 26 + ch.charCodeAt(0) - 64;
    col -= 1;
    return row >= a.top && row <= a.bottom && col >= a.left && col <= a.right;
  }));
  return hit ? { act: 'score', sheet } : { act: 'ignore', reason: 'no-input' };
}

export function cohortOf(state: LiveState): CohortEntry[] {
  // Cell contents (range.values): read exactly as the sheet's formulas read them (inputs.ts: readCell).
  return state.binding.sheets.map((s) => ({ unit: s.unit, variant: s.variant, tags: s.tags, inputs: state.inputs.get(s.sheet) ?? {}, cells: true }));
}

type NoteProxy = { address: string; note: Excel.Note };

/**
 * Queues the load of one sheet's input cells, its marker column (rows the clerk inserted or deleted are
 * followed) and, on 1.18, the notes on the inputs. No sync: everything comes back in one round trip.
 */
export function queueReadSheet(context: Excel.RequestContext, sheet: SheetBinding, caps: LiveCaps) {
  const rect = inputReadRect(sheet);
  const ws = context.workbook.worksheets.getItem(sheet.sheet);
  const range = rect ? ws.getRange(rectAddress(rect)) : null;
  range?.load('values');
  const markerAt = markerRange(sheet);
  const markers = markerAt ? ws.getRange(markerAt) : null;
  markers?.load('values');
  // The layout protects its sheets (locked formulas); 备注 cells are locked too, so writes must lift it.
  ws.protection.load('protected,options');
  const notes: NoteProxy[] = [];
  if (caps.notes) {
    for (const i of sheet.inputs) {
      const note = ws.notes.getItemOrNullObject(i.address);
      note.load('content');
      notes.push({ address: i.address, note });
    }
  }
  return {
    /** Notes on the input cells (ExcelApi 1.18), or undefined where the host has none. */
    notes: caps.notes ? notes : undefined,
    /** After the sync: the protection to lift and put back around the writes, if any. */
    protection: (): Excel.WorksheetProtectionOptions | null => (ws.protection.protected ? { ...ws.protection.options } : null),
    /** After the sync: the sheet's binding, moved to where the markers are now. */
    binding: (): SheetBinding => (markers ? relocate(sheet, markers.values) : sheet),
    /** After the sync: the inputs by key (read where the markers put them). */
    inputs: (): Record<string, Raw> => {
      const b = markers ? relocate(sheet, markers.values) : sheet;
      return rect && range ? inputsFromGrid(b, rect, range.values) : {};
    },
  };
}

/** Queues the writes of one sheet (no sync): 备注, status, highlights, notes. */
export function queueWrites(
  context: Excel.RequestContext,
  w: SheetWrites,
  opts: { inputFill?: string | null; notes?: NoteProxy[]; protection?: Excel.WorksheetProtectionOptions | null } = {},
): void {
  const ws = context.workbook.worksheets.getItem(w.sheet);
  if (opts.protection) ws.protection.unprotect();
  for (const n of w.notes) ws.getRange(n.address).values = [[n.text]];
  if (w.status) ws.getRange(w.status.address).values = [[w.status.text]];
  const existing = new Map((opts.notes ?? []).map((p) => [p.address, p.note]));
  for (const b of w.bad) {
    const r = ws.getRange(b.address);
    r.format.fill.color = BAD_INPUT_FILL;
    r.format.font.color = BAD_INPUT_FONT;
    if (opts.notes) {
      const note = existing.get(b.address);
      const text = NOTE_PREFIX + b.text;
      if (note && !note.isNullObject) {
        if (note.content !== text) note.content = text;
      } else {
        ws.notes.add(b.address, text);
      }
    }
  }
  for (const address of w.good) {
    const r = ws.getRange(address);
    if (opts.inputFill) r.format.fill.color = opts.inputFill;
    else r.format.fill.clear();
    r.format.font.color = '#000000';
    const note = existing.get(address);
    if (note && !note.isNullObject && typeof note.content === 'string' && note.content.startsWith(NOTE_PREFIX)) note.delete();
  }
  if (opts.protection) ws.protection.protect(opts.protection);
}

/** Runs `fn` (which syncs) with the fallback own-write flag raised, lowered a grace period later. */
export async function asOwnWrite<T>(state: LiveState, fn: () => Promise<T>): Promise<T> {
  state.ownWrites++;
  try {
    return await fn();
  } finally {
    if (state.caps.triggerSource || state.graceMs <= 0) state.ownWrites--;
    else setTimeout(() => state.ownWrites--, state.graceMs);
  }
}

export interface ChangeOutcome {
  decision: Decision;
  result?: UnitResult;
  writes?: SheetWrites[];
}

/**
 * Handles one change event: at most two context.sync calls (read, write). Other sheets are rewritten
 * only when the change moves a rank criterion (their ranks depend on this unit's figure).
 */
export async function handleChange(context: Excel.RequestContext, event: ChangeEvent, state: LiveState): Promise<ChangeOutcome> {
  const decision = decideChange(event, state);
  if (decision.act !== 'score') return { decision };
  const sheet = decision.sheet;
  const read = queueReadSheet(context, sheet, state.caps);
  await context.sync();
  const before = state.inputs.get(sheet.sheet) ?? {};
  const inputs = read.inputs();
  state.inputs.set(sheet.sheet, inputs);
  const now = read.binding();
  if (now !== sheet) replaceSheet(state, now);

  // Ranks (R13 criteria, the summary) compare a unit with its variant's units only, unless the program
  // ranks across variants: then the whole cohort is scored.
  const scope = state.program.policies.rankScope === 'program' ? null : sheet.variant;
  const res = scoreCohort(state.program, cohortOf(state).filter((e) => scope === null || e.variant === scope));
  const result = res.units.find((u) => u.unit === sheet.unit);
  if (!result) return { decision };
  const writes: SheetWrites[] = [sheetWrites(now, result)];
  queueWrites(context, writes[0], { inputFill: state.binding.inputFill, notes: read.notes, protection: read.protection() });

  const prefixes = rankInputPrefixes(state.program, sheet.variant);
  const rankMoved = prefixes.length > 0 && Object.keys({ ...before, ...inputs })
    .some((k) => prefixes.some((p) => k.startsWith(p)) && (before[k] ?? null) !== (inputs[k] ?? null));
  if (rankMoved) {
    for (const other of state.binding.sheets) {
      if (other.sheet === sheet.sheet) continue;
      const r = res.units.find((u) => u.unit === other.unit);
      if (!r) continue;
      const w = sheetWrites(other, r);
      // Only the 备注 and status: the other sheets' inputs did not change.
      const lean: SheetWrites = { ...w, bad: [], good: [] };
      writes.push(lean);
      // Other sheets' protection was not read: the layout protects every unit sheet alike.
      queueWrites(context, lean, { protection: read.protection() });
    }
  }
  await asOwnWrite(state, () => context.sync());
  return { decision, result, writes };
}

/** Puts a relocated sheet binding in place of the old one. */
export function replaceSheet(state: LiveState, s: SheetBinding): void {
  state.binding = { ...state.binding, sheets: state.binding.sheets.map((x) => (x.sheet === s.sheet ? s : x)) };
}

/** Prefixes (`<criterion id>#`) of the input keys of rank criteria in a variant: their figures are compared across units. */
export function rankInputPrefixes(program: Program, variantId: string): string[] {
  const out: string[] = [];
  const v = program.variants.find((x) => x.id === variantId);
  const walk = (nodes: NonNullable<typeof v>['sections']) => {
    for (const n of nodes) {
      if (n.rule?.kind === 'rank') out.push(`${n.id}#`);
      if (n.children) walk(n.children);
    }
  };
  if (v) walk(v.sections);
  return out;
}

/** Reads every bound sheet's inputs in one round trip (pane load, 重新计算). */
export async function loadAllInputs(context: Excel.RequestContext, state: LiveState): Promise<void> {
  const reads = state.binding.sheets.map((s) => ({ s, r: queueReadSheet(context, s, { ...state.caps, notes: false }) }));
  await context.sync();
  for (const { s, r } of reads) {
    state.inputs.set(s.sheet, r.inputs());
    const now = r.binding();
    if (now !== s) replaceSheet(state, now);
  }
}

/**
 * Registers the change handler(s): one on the worksheet collection (ExcelApi 1.9), else one per Dafen
 * sheet (1.7). Handlers die with the pane, so this runs on every pane load; `registered` (sheet ids, or
 * "*" for the collection) keeps a second call in the same pane from adding duplicates. Also maps sheet
 * ids to names. One round trip, plus one when handlers are added.
 */
export async function registerLive(
  context: Excel.RequestContext,
  state: LiveState,
  handler: (event: ChangeEvent) => Promise<unknown>,
  registered: Set<string> = new Set(),
): Promise<number> {
  const sheets = context.workbook.worksheets;
  sheets.load('items/id,items/name');
  await context.sync();
  state.sheetIds.clear();
  const bound = new Set(state.binding.sheets.map((s) => s.sheet));
  let n = 0;
  const h = (e: ChangeEvent) => handler(e);
  for (const ws of sheets.items) state.sheetIds.set(ws.id, ws.name);
  if (state.caps.collectionEvents) {
    if (!registered.has('*')) {
      sheets.onChanged.add(h as never);
      registered.add('*');
      n = 1;
    }
  } else {
    for (const ws of sheets.items) {
      if (!bound.has(ws.name) || registered.has(ws.id)) continue;
      ws.onChanged.add(h as never);
      registered.add(ws.id);
      n++;
    }
  }
  if (n > 0) await context.sync();
  return n;
}
