// Live scoring: on a change in a Dafen sheet, read that sheet's inputs (one round trip), score with the
// engine, and write back what changed — 备注, the status, the input highlights (a second). The clerk's
// typed value is never written back.
//  - Sheets are found by id (a renamed tab keeps its id), never by name.
//  - The decision is taken when the event arrives (decideChange, no Office call): our own writes carry
//    triggerSource ThisLocalAddin on ExcelApi 1.14; elsewhere the add-in turns events off around its own
//    writes (runtime.enableEvents, 1.8) and, in any case, an event whose re-read inputs equal the cached
//    ones writes nothing. A co-author's (Remote) change refreshes the cache without writing.
//  - Protection is never touched: the layout leaves the cells the add-in writes (备注, status) unlocked
//    and allows formatting cells (the input highlights).
//  - Writes are diffed against what the add-in knows is in the sheet and split into requests of at most
//    CHUNK_BYTES (the web refuses requests over 5 MB).
import { CohortCache, firstScoringHand, rescoreCohort, scoreHands, type CohortEntry, type HandId, type HandsEntry, type HandsUnitResult, type Problem, type Program, type Raw, type UnitResult } from '../engine';
import { applySettings } from '../layout/settings';
import { boundingRect, parseAreas, parseCell, rectAddress } from './a1';
import { allInputs, inputReadRect, inputRect, inputsFromGrid, markerRange, relocate, sheetKey, type SheetBinding, type WorkbookBinding } from './binding';
import { CHUNK_BYTES } from './caps';
import { Chunker, estimateBytes } from './chunk';
import { BAD_INPUT_FILL, BAD_INPUT_FONT, sheetWrites, type SheetWrites } from './writes';

/** Marks the notes the add-in writes, so it never removes or overwrites a note a clerk wrote. */
export const NOTE_PREFIX = '打分：';

export interface LiveCaps {
  /** ExcelApi 1.14: WorksheetChangedEventArgs.triggerSource. */
  triggerSource: boolean;
  /** ExcelApi 1.18 and the API present in the loaded office.js: cell notes. Else the message stays in 备注 and the highlight. */
  notes: boolean;
  /** ExcelApi 1.9: workbook-level WorksheetCollection.onChanged (one handler); below it one per sheet. */
  collectionEvents: boolean;
  /** ExcelApi 1.8: context.runtime.enableEvents around the add-in's own writes. */
  enableEvents?: boolean;
  /** ExcelApi 1.9: Worksheet.getRanges (one format call for many cells). */
  rangeAreas?: boolean;
  /** The web: values picked from a dropdown fire no onChanged; the last selected input is re-checked. */
  dropdownFallback?: boolean;
  /** Bytes of writes per request. */
  chunkBytes?: number;
}

export interface LiveState {
  /** The rubric the workbook was made with, as written. */
  program: Program;
  /** The same with the workbook's 本表设定 values in force (layout/settings.ts): what every score uses. */
  scoring: Program;
  /** The 本表设定 cells as last read (by setting key); null before the first read or without the sheet. */
  settings: Record<string, Raw> | null;
  /** 本表设定 cells refused (text, blank, out of range, out of order), with sheet and cell: the rubric's value is used. */
  settingProblems: Problem[];
  /** What rescoreCohort keeps between edits (for `scoring`): an edit re-evaluates only what it can change. */
  cache: CohortCache;
  /** The last result of every unit (by unit name): other sheets are written only where theirs changed. */
  results: Map<string, UnitResult>;
  binding: WorkbookBinding;
  caps: LiveCaps;
  /** The inputs of every sheet (by sheet name), last read: rank criteria see the whole cohort. The first scoring hand's on a multi-hand sheet. */
  inputs: Map<string, Record<string, Raw>>;
  /** A multi-hand workbook: every hand's entries of every sheet (by sheet name), last read; each hand is its own cohort. */
  handInputs: Map<string, Partial<Record<HandId, Record<string, Raw>>>>;
  /** A multi-hand workbook: one CohortCache per hand (for `scoring`), as `cache` for one hand. */
  handCaches: Map<HandId, CohortCache>;
  /** A multi-hand workbook: the last HandsUnitResult of every unit (an unchanged unit keeps its result object). */
  handResults: Map<string, HandsUnitResult>;
  /** worksheetId → sheet name (events carry the id). */
  sheetIds: Map<string, string>;
  /** Per sheet name: the text the add-in knows each 备注/status cell holds. Absent: unknown, write everything. */
  written: Map<string, Map<string, string>>;
  /** Per sheet name: the inputs the add-in highlighted (address → message). Absent: unknown. */
  flagged: Map<string, Map<string, string>>;
  /** Per sheet name, as last read: whether its protection allows formatting cells (the highlights). */
  formatOk: Map<string, boolean>;
  /** The last selected cell (the dropdown fallback re-checks it when the selection moves on). */
  lastSelected?: { worksheetId: string; address: string };
}

export function createLiveState(program: Program, binding: WorkbookBinding, caps: LiveCaps): LiveState {
  const sheetIds = new Map<string, string>();
  for (const s of binding.sheets) if (s.id) sheetIds.set(s.id, s.sheet);
  if (binding.settings?.id) sheetIds.set(binding.settings.id, binding.settings.sheet);
  return {
    program, scoring: program, settings: null, settingProblems: [], cache: new CohortCache(program), results: new Map(),
    binding, caps, inputs: new Map(), handInputs: new Map(), handCaches: new Map(), handResults: new Map(), sheetIds, written: new Map(), flagged: new Map(), formatOk: new Map(),
  };
}

/** Puts the 本表设定 cells just read into the state: the program in force, the refused cells, a fresh cache when it changed. */
export function applySettingCells(state: LiveState, cells: Record<string, Raw> | null): boolean {
  state.settings = cells;
  const r = applySettings(state.program, cells ?? undefined);
  state.settingProblems = r.problems;
  if (r.program === state.scoring) return false;
  state.scoring = r.program;
  state.cache = new CohortCache(r.program);
  state.handCaches = new Map();
  state.results = new Map();
  return true;
}

/** Queues the read of the 本表设定 cells (none without the sheet); after the sync, `apply()` puts them into the state. */
export function queueReadSettings(context: Excel.RequestContext, state: LiveState): () => boolean {
  const b = state.binding.settings;
  if (!b || !b.cells.length) return () => false;
  const rect = boundingRect(b.cells.map((c) => parseCell(c.address)).filter((c): c is NonNullable<typeof c> => c !== null));
  if (!rect) return () => false;
  const range = context.workbook.worksheets.getItem(sheetKey(b)).getRange(rectAddress(rect));
  range.load('values');
  return () => {
    const out: Record<string, Raw> = {};
    for (const c of b.cells) {
      const at = parseCell(c.address)!;
      const v = range.values[at.row - rect.top]?.[at.col - rect.left];
      out[c.key] = v === '' || v === undefined ? null : (v as Raw);
    }
    return applySettingCells(state, out);
  };
}

/**
 * Every unit scored with the 本表设定 values in force, through the cache: results equal scoreCohort's. A multi-hand
 * workbook is scored as `dafen score` scores it (engine scoreHands: each hand its own cohort, the unit's points the
 * assessor's or the raters' aggregate, every hand's problems at its own path), each hand through its own cache.
 */
export function scoreAll(state: LiveState): UnitResult[] {
  const hands = state.binding.hands;
  if (!hands) return rescoreCohort(state.cache, cohortOf(state)).units;
  for (const h of hands) if (state.handCaches.get(h)?.program !== state.scoring) state.handCaches.set(h, new CohortCache(state.scoring));
  const res = scoreHands(state.scoring, hands, state.binding.assessment, handsCohortOf(state), state.handCaches);
  // A unit every hand's cache reused keeps its combined result object (the raters' aggregate is built anew on each
  // call): queueOthers then leaves its sheet alone, as for one hand.
  const units = res.units.map((u) => {
    const was = state.handResults.get(u.unit);
    const same = was && was.result.rank === u.result.rank && hands.every((h) => was.hands[h]?.nodes === u.hands[h]?.nodes && was.hands[h]?.rank === u.hands[h]?.rank);
    return same ? was : u;
  });
  state.handResults = new Map(units.map((u) => [u.unit, u]));
  return units.map((u) => u.result);
}

/** One sheet's entries as read: the first scoring hand's (`inputs`), and on a multi-hand sheet every hand's. */
export interface SheetEntries {
  inputs: Record<string, Raw>;
  hands?: Partial<Record<HandId, Record<string, Raw>>>;
}

/** Puts one sheet's entries just read into the state. */
export function storeEntries(state: LiveState, sheet: string, e: SheetEntries): void {
  state.inputs.set(sheet, e.inputs);
  if (e.hands) state.handInputs.set(sheet, e.hands);
}

/** Whether a sheet's entries are known (every hand's on a multi-hand sheet). */
function entriesKnown(state: LiveState, s: SheetBinding): boolean {
  return state.inputs.has(s.sheet) && (!s.hands || state.handInputs.has(s.sheet));
}

/** The part of WorksheetChangedEventArgs the handler reads. */
export interface ChangeEvent {
  address: string;
  worksheetId: string;
  source?: string; // "Local" | "Remote"
  triggerSource?: string; // "ThisLocalAddin" | "Unknown" (ExcelApi 1.14)
  changeType?: string;
  /** ExcelApi 1.9, a single cell changed: the value before and after. */
  details?: { valueBefore?: unknown; valueAfter?: unknown };
}

/**
 * The sheet's entries after a single-cell edit (in any hand's column), from the event's details and the cache —
 * no read needed — when the cache is complete and nothing else must be read (cell notes, moved rows). Null otherwise.
 */
export function inputsFromDetails(event: ChangeEvent, state: LiveState, sheet: SheetBinding): SheetEntries | null {
  const d = event.details;
  // Not on the web: a dropdown pick there changes a cell without any event, so the cache is not trusted.
  if (!d || !Object.prototype.hasOwnProperty.call(d, 'valueAfter') || state.caps.notes || state.caps.dropdownFallback) return null;
  if (event.changeType && event.changeType !== 'RangeEdited') return null;
  const cached = state.inputs.get(sheet.sheet);
  if (!cached || !state.formatOk.has(sheet.sheet) || !entriesKnown(state, sheet)) return null;
  const areas = parseAreas(event.address);
  if (areas.length !== 1 || areas[0].top !== areas[0].bottom || areas[0].left !== areas[0].right) return null;
  const at = (i: { address: string }) => {
    const c = parseAreas(i.address)[0];
    return c !== undefined && c.top === areas[0].top && c.left === areas[0].left;
  };
  const v = d.valueAfter;
  const value = v === '' || v === undefined || v === null ? null : (v as Raw);
  if (!sheet.hands) {
    const input = sheet.inputs.find(at);
    return input ? { inputs: { ...cached, [input.key]: value } } : null;
  }
  const hand = sheet.hands.find((h) => h.inputs.some(at));
  const input = hand?.inputs.find(at);
  if (!hand || !input) return null;
  const known = state.handInputs.get(sheet.sheet)!;
  const hands: Partial<Record<HandId, Record<string, Raw>>> = { ...known, [hand.hand]: { ...(known[hand.hand] ?? {}), [input.key]: value } };
  const first = firstScoringHand(sheet.hands.map((h) => h.hand));
  return { inputs: hands[first] ?? cached, hands };
}

export type Decision =
  | { act: 'score'; sheet: SheetBinding }
  /** A 本表设定 cell changed: every sheet may score differently. */
  | { act: 'settings'; remote: boolean }
  | { act: 'refresh'; sheet: SheetBinding }
  | { act: 'ignore'; reason: 'remote' | 'own' | 'not-dafen' | 'no-input' };

/** The bound sheet an event's worksheetId points to. */
export function sheetOfId(state: LiveState, worksheetId: string): SheetBinding | undefined {
  return state.binding.sheets.find((s) => s.id === worksheetId) ?? state.binding.sheets.find((s) => !s.id && s.sheet === state.sheetIds.get(worksheetId));
}

function touchesInput(sheet: SheetBinding, address: string): boolean {
  const areas = parseAreas(address);
  const rect = inputRect(sheet);
  if (!rect || areas.length === 0) return false;
  if (!areas.some((a) => a.top <= rect.bottom && a.bottom >= rect.top && a.left <= rect.right && a.right >= rect.left)) return false;
  return allInputs(sheet).some((i) => {
    const c = parseAreas(i.address)[0];
    return c !== undefined && areas.some((a) => c.top >= a.top && c.top <= a.bottom && c.left >= a.left && c.left <= a.right);
  });
}

/** Decides, without any Office call, at the moment the event arrives, what it needs. */
export function decideChange(event: ChangeEvent, state: LiveState): Decision {
  if (event.triggerSource === 'ThisLocalAddin') return { act: 'ignore', reason: 'own' };
  const set = state.binding.settings;
  if (set && (set.id ? set.id === event.worksheetId : state.sheetIds.get(event.worksheetId) === set.sheet)) {
    const areas = parseAreas(event.address);
    const hit = set.cells.some((c) => {
      const at = parseCell(c.address);
      return at !== null && areas.some((a) => at.row >= a.top && at.row <= a.bottom && at.col >= a.left && at.col <= a.right);
    });
    return hit ? { act: 'settings', remote: event.source === 'Remote' } : { act: 'ignore', reason: 'no-input' };
  }
  const sheet = sheetOfId(state, event.worksheetId);
  if (!sheet) return { act: 'ignore', reason: event.source === 'Remote' ? 'remote' : 'not-dafen' };
  const structural = Boolean(event.changeType && event.changeType !== 'RangeEdited' && event.changeType !== 'Unknown');
  // A co-author's edit: their Excel scores it and writes; here only the cache is brought up to date.
  if (event.source === 'Remote') return structural || touchesInput(sheet, event.address) ? { act: 'refresh', sheet } : { act: 'ignore', reason: 'remote' };
  // Inserted/deleted rows or columns shift every address: rescore the sheet to be safe.
  if (structural) return { act: 'score', sheet };
  return touchesInput(sheet, event.address) ? { act: 'score', sheet } : { act: 'ignore', reason: 'no-input' };
}

export function cohortOf(state: LiveState): CohortEntry[] {
  // Cell contents (range.values): read exactly as the sheet's formulas read them (inputs.ts: readCell).
  return state.binding.sheets.map((s) => ({ unit: s.unit, variant: s.variant, tags: s.tags, inputs: state.inputs.get(s.sheet) ?? {}, cells: true }));
}

/** A multi-hand workbook's cohort: every hand's entries of every sheet (the first scoring hand's where no other is known). */
export function handsCohortOf(state: LiveState): HandsEntry[] {
  const first = firstScoringHand(state.binding.hands ?? []);
  return state.binding.sheets.map((s) => ({ unit: s.unit, variant: s.variant, tags: s.tags, hands: state.handInputs.get(s.sheet) ?? { [first]: state.inputs.get(s.sheet) ?? {} }, cells: true }));
}

type NoteProxy = { address: string; note: Excel.Note };

/**
 * Queues the load of one sheet's input cells (every hand's column on a multi-hand sheet, one range), its marker
 * column (rows the clerk inserted or deleted are followed) and, with notes, the notes on the inputs. No sync:
 * everything comes back in one round trip.
 */
export function queueReadSheet(context: Excel.RequestContext, sheet: SheetBinding, caps: LiveCaps) {
  const rect = inputReadRect(sheet);
  const ws = context.workbook.worksheets.getItem(sheetKey(sheet));
  const range = rect ? ws.getRange(rectAddress(rect)) : null;
  range?.load('values');
  const markerAt = markerRange(sheet);
  const markers = markerAt ? ws.getRange(markerAt) : null;
  markers?.load('values');
  // Read, never changed: a sheet the clerk protected without "format cells" gets no highlights.
  ws.protection.load('protected,options');
  const notes: NoteProxy[] = [];
  if (caps.notes) {
    for (const i of allInputs(sheet)) {
      const note = ws.notes.getItemOrNullObject(i.address);
      note.load('content');
      notes.push({ address: i.address, note });
    }
  }
  return {
    /** Notes on the input cells, or undefined where the host or the library has none. */
    notes: caps.notes ? notes : undefined,
    /** After the sync: whether the input highlights may be written (formatting allowed). */
    canFormat: (): boolean => !ws.protection.protected || Boolean(ws.protection.options?.allowFormatCells),
    /** After the sync: the sheet's binding, moved to where the markers are now. */
    binding: (): SheetBinding => (markers ? relocate(sheet, markers.values) : sheet),
    /** After the sync: the inputs by key (read where the markers put them), and on a multi-hand sheet every hand's (each on its `in:<key>` marker's row). */
    entries: (): SheetEntries => {
      const b = markers ? relocate(sheet, markers.values) : sheet;
      if (!rect || !range) return { inputs: {}, ...(b.hands ? { hands: {} } : {}) };
      const inputs = inputsFromGrid(b, rect, range.values);
      if (!b.hands) return { inputs };
      return { inputs, hands: Object.fromEntries(b.hands.map((h) => [h.hand, inputsFromGrid(b, rect, range.values, h.inputs)])) };
    },
  };
}

/** What to do with the cell note on a bad input: the add-in's own notes only; a clerk's note is never touched. */
export function noteAction(existing: string | null, text: string | null): 'add' | 'set' | 'delete' | 'keep' {
  const ours = existing !== null && existing.startsWith(NOTE_PREFIX);
  if (text === null) return ours ? 'delete' : 'keep';
  const want = NOTE_PREFIX + text;
  if (existing === null) return 'add';
  if (!ours) return 'keep'; // the clerk's own note: the message stays in 备注 and the highlight
  return existing === want ? 'keep' : 'set';
}

/** The writes of one sheet minus what the add-in knows is there already. */
export function diffWrites(state: LiveState, w: SheetWrites, formats = true): SheetWrites {
  const known = state.written.get(w.sheet);
  const flagged = state.flagged.get(w.sheet);
  const notes = known ? w.notes.filter((n) => known.get(n.address) !== n.text) : w.notes;
  const status = w.status && known && known.get(w.status.address) === w.status.text ? null : w.status;
  if (!formats) return { ...w, notes, status, bad: [], good: [] };
  const bad = flagged ? w.bad.filter((b) => flagged.get(b.address) !== b.text) : w.bad;
  const good = flagged ? w.good.filter((a) => flagged.has(a)) : w.good;
  return { ...w, notes, status, bad, good };
}

/** Records what a write put into the sheet. */
export function remember(state: LiveState, full: SheetWrites, formats = true): void {
  const known = state.written.get(full.sheet) ?? new Map<string, string>();
  for (const n of full.notes) known.set(n.address, n.text);
  if (full.status) known.set(full.status.address, full.status.text);
  state.written.set(full.sheet, known);
  if (formats) state.flagged.set(full.sheet, new Map(full.bad.map((b) => [b.address, b.text])));
}

/** Splits addresses into comma lists short enough for one getRanges call. */
function areaLists(addresses: readonly string[], max = 1500): string[] {
  const out: string[] = [];
  let cur = '';
  for (const a of addresses) {
    if (cur && cur.length + a.length + 1 > max) {
      out.push(cur);
      cur = '';
    }
    cur = cur ? `${cur},${a}` : a;
  }
  if (cur) out.push(cur);
  return out;
}

export interface WriteOptions {
  inputFill?: string | null;
  notes?: NoteProxy[];
  caps: LiveCaps;
}

/**
 * Queues the writes of one sheet (through the chunker, which syncs when a request is full): 备注 and
 * status values, highlight formats (one multi-area range per colour where the host has getRanges), notes.
 */
export async function queueWrites(context: Excel.RequestContext, chunker: Chunker, sheet: SheetBinding, w: SheetWrites, opts: WriteOptions): Promise<void> {
  const key = sheetKey(sheet);
  const ws = () => context.workbook.worksheets.getItem(key);
  for (const n of w.notes) await chunker.add(estimateBytes(n.text, 3), () => { ws().getRange(n.address).values = [[n.text]]; });
  if (w.status) {
    const st = w.status;
    await chunker.add(estimateBytes(st.text, 3), () => { ws().getRange(st.address).values = [[st.text]]; });
  }
  const paint = async (addresses: string[], fill: string | null | undefined, font: string) => {
    if (addresses.length === 0) return;
    if (opts.caps.rangeAreas) {
      for (const list of areaLists(addresses)) {
        await chunker.add(estimateBytes(list, 5), () => {
          const r = ws().getRanges(list);
          if (fill) r.format.fill.color = fill;
          else r.format.fill.clear();
          r.format.font.color = font;
        });
      }
    } else {
      for (const a of addresses) {
        await chunker.add(estimateBytes(a, 5), () => {
          const r = ws().getRange(a);
          if (fill) r.format.fill.color = fill;
          else r.format.fill.clear();
          r.format.font.color = font;
        });
      }
    }
  };
  await paint(w.bad.map((b) => b.address), BAD_INPUT_FILL, BAD_INPUT_FONT);
  await paint(w.good, opts.inputFill, '#000000');
  if (opts.notes) {
    const existing = new Map(opts.notes.map((p) => [p.address, p.note]));
    const contentOf = (a: string): string | null => {
      const n = existing.get(a);
      return n && !n.isNullObject && typeof n.content === 'string' ? n.content : null;
    };
    for (const b of w.bad) {
      const act = noteAction(contentOf(b.address), b.text);
      const text = NOTE_PREFIX + b.text;
      if (act === 'add') await chunker.add(estimateBytes(text, 2), () => { ws().notes.add(b.address, text); });
      else if (act === 'set') await chunker.add(estimateBytes(text, 2), () => { existing.get(b.address)!.content = text; });
    }
    for (const a of w.good) {
      if (noteAction(contentOf(a), null) === 'delete') await chunker.add(estimateBytes(a, 2), () => existing.get(a)!.delete());
    }
  }
}

/** A chunker whose every request turns the add-in's events off while it writes (ExcelApi 1.8). */
export function ownWriteChunker(context: Excel.RequestContext, caps: LiveCaps): Chunker {
  const quiet = Boolean(caps.enableEvents);
  let off = false;
  const chunker = new Chunker(
    context,
    caps.chunkBytes ?? CHUNK_BYTES,
    () => {
      if (quiet && off) context.runtime.enableEvents = true;
      off = false;
    },
    () => {
      // Excel keeps what ran before a failing action: events may still be off.
      if (quiet) context.runtime.enableEvents = true;
    },
  );
  const add = chunker.add.bind(chunker);
  chunker.add = async (bytes, queue) => {
    await add(bytes, () => {
      if (quiet && !off) {
        context.runtime.enableEvents = false;
        off = true;
      }
      queue();
    });
  };
  return chunker;
}

export interface ChangeOutcome {
  decision: Decision;
  result?: UnitResult;
  writes?: SheetWrites[];
  /** Round trips this change took. */
  syncs?: number;
}

/**
 * Handles one change event: one round trip to read (none when the event's details carry the single typed
 * value and the cache is complete), one to write (more only when a rank move rewrites more than
 * CHUNK_BYTES on other sheets). Nothing is written when the inputs equal the cache.
 * `decision` is the one taken when the event arrived (decideChange); it is taken now when absent.
 */
export async function handleChange(context: Excel.RequestContext, event: ChangeEvent, state: LiveState, decided?: Decision): Promise<ChangeOutcome> {
  const decision = decided ?? decideChange(event, state);
  if (decision.act === 'ignore') return { decision };
  if (decision.act === 'settings') return settingsChanged(context, state, decision);
  // The binding may have moved since the event arrived (rows followed): use the current one.
  const sheet = state.binding.sheets.find((s) => s.unit === decision.sheet.unit) ?? decision.sheet;
  const before: SheetEntries | undefined = state.inputs.has(sheet.sheet) ? { inputs: state.inputs.get(sheet.sheet)!, hands: state.handInputs.get(sheet.sheet) } : undefined;
  // One cell typed (ExcelApi 1.9 details) on a sheet whose inputs are cached: no read round trip.
  const quick = inputsFromDetails(event, state, sheet);
  const read = quick ? null : queueReadSheet(context, sheet, state.caps);
  // Several hands: another sheet whose hands' entries are not known yet (seeded from the plan after generating:
  // the first hand's only) is read in the same round trip, so that each hand's cohort is complete.
  const unknown = read && state.binding.hands ? state.binding.sheets.filter((s) => s.unit !== sheet.unit && !entriesKnown(state, s)).map((s) => ({ s, r: queueReadSheet(context, s, { ...state.caps, notes: false }) })) : [];
  let syncs = 0;
  if (read) {
    await context.sync();
    syncs = 1;
    state.formatOk.set(sheet.sheet, read.canFormat());
    for (const { s, r } of unknown) {
      storeEntries(state, s.sheet, r.entries());
      state.formatOk.set(s.sheet, r.canFormat());
      const now = r.binding();
      if (now !== s) replaceSheet(state, now);
    }
  }
  const entries = quick ?? read!.entries();
  // The first edit after opening: score the cohort as it stood before it, so that only the sheets whose result
  // this edit changes are rewritten (not every other sheet's 备注: 300 units, 1.9 MB and one more round trip).
  if (state.results.size === 0 && state.binding.sheets.every((s) => entriesKnown(state, s))) {
    state.results = new Map(scoreAll(state).map((u) => [u.unit, u]));
  }
  storeEntries(state, sheet.sheet, entries);
  const now = read ? read.binding() : sheet;
  const moved = now !== sheet;
  if (moved) {
    replaceSheet(state, now);
    state.written.delete(now.sheet);
    state.flagged.delete(now.sheet);
  }
  if (decision.act === 'refresh') return { decision, syncs };
  const same = before !== undefined && sameEntries(before, entries);
  if (same && !moved && state.written.has(sheet.sheet) && state.flagged.has(sheet.sheet)) return { decision, syncs, writes: [] };

  // The whole cohort through the cache (rescoreCohort): the edited unit is evaluated again, and every unit its
  // edit can move — a rank figure (R13), or a cohort clause's minimum or mean (按进驻单位最低得分计分).
  const prev = state.results;
  const units = scoreAll(state);
  const result = units.find((u) => u.unit === sheet.unit);
  if (!result) return { decision, syncs };
  const chunker = ownWriteChunker(context, state.caps);
  const canFormat = state.formatOk.get(now.sheet) ?? true;
  const full = withoutFormats(sheetWrites(now, result), canFormat);
  const writes: SheetWrites[] = [diffWrites(state, full)];
  await queueWrites(context, chunker, now, writes[0], { inputFill: state.binding.inputFill, notes: read?.notes, caps: state.caps });
  const done: [SheetWrites, boolean][] = [[full, canFormat]];
  await queueOthers(context, chunker, state, units, prev, now.sheet, writes, done);
  await chunker.flush();
  syncs += chunker.syncs;
  for (const [w, formats] of done) remember(state, w, formats);
  return { decision, result, writes, syncs };
}

/**
 * The other sheets' 备注 and status, where their unit's result changed (a unit whose result the cache reused
 * keeps the same node objects: nothing to write). Their inputs did not change: no highlights.
 */
async function queueOthers(
  context: Excel.RequestContext, chunker: Chunker, state: LiveState, units: UnitResult[], prev: ReadonlyMap<string, UnitResult>,
  except: string | null, writes: SheetWrites[], done: [SheetWrites, boolean][],
): Promise<void> {
  const byUnit = new Map(units.map((u) => [u.unit, u]));
  state.results = byUnit;
  for (const other of state.binding.sheets) {
    if (other.sheet === except) continue;
    const r = byUnit.get(other.unit);
    if (!r) continue;
    const was = prev.get(other.unit);
    // Unchanged by this edit (the cache reused its result): its 备注 and status are not this edit's to rewrite.
    if (was && was.nodes === r.nodes && was.rank === r.rank) continue;
    const w = sheetWrites(other, r);
    const lean = diffWrites(state, w, false);
    if (lean.notes.length === 0 && !lean.status) continue;
    writes.push(lean);
    await queueWrites(context, chunker, other, lean, { caps: state.caps });
    done.push([w, false]);
  }
}

/** A 本表设定 cell changed: read the cells (one round trip), and where the values in force changed, write every sheet's 备注 and status. */
async function settingsChanged(context: Excel.RequestContext, state: LiveState, decision: Decision): Promise<ChangeOutcome> {
  const apply = queueReadSettings(context, state);
  await context.sync();
  const changed = apply();
  if (!changed || (decision.act === 'settings' && decision.remote)) return { decision, syncs: 1, writes: [] };
  const units = scoreAll(state);
  const chunker = ownWriteChunker(context, state.caps);
  const writes: SheetWrites[] = [];
  const done: [SheetWrites, boolean][] = [];
  await queueOthers(context, chunker, state, units, new Map(), null, writes, done);
  await chunker.flush();
  for (const [w, formats] of done) remember(state, w, formats);
  return { decision, writes, syncs: 1 + chunker.syncs };
}

/** Drops the highlight writes where the sheet's protection does not allow formatting cells. */
export function withoutFormats(w: SheetWrites, canFormat: boolean): SheetWrites {
  return canFormat ? w : { ...w, bad: [], good: [] };
}

function sameInputs(a: Record<string, Raw>, b: Record<string, Raw>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if ((a[k] ?? null) !== (b[k] ?? null)) return false;
  return true;
}

/** Same entries in every hand's column. */
function sameEntries(a: SheetEntries, b: SheetEntries): boolean {
  if (!sameInputs(a.inputs, b.inputs)) return false;
  if (!a.hands && !b.hands) return true;
  const hands = new Set([...Object.keys(a.hands ?? {}), ...Object.keys(b.hands ?? {})]) as Set<HandId>;
  for (const h of hands) if (!sameInputs(a.hands?.[h] ?? {}, b.hands?.[h] ?? {})) return false;
  return true;
}

/** Puts a relocated sheet binding in place of the old one. */
export function replaceSheet(state: LiveState, s: SheetBinding): void {
  state.binding = { ...state.binding, sheets: state.binding.sheets.map((x) => (x.unit === s.unit ? s : x)) };
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

/** Queues the read of every bound sheet's inputs (or those of `sheets`) and 本表设定; after the sync, `apply()` puts them into the state. */
export function queueReadAll(context: Excel.RequestContext, state: LiveState, sheets: readonly SheetBinding[] = state.binding.sheets) {
  const reads = sheets.map((s) => ({ s, r: queueReadSheet(context, s, { ...state.caps, notes: false }) }));
  const settings = queueReadSettings(context, state);
  return () => {
    settings();
    for (const { s, r } of reads) {
      storeEntries(state, s.sheet, r.entries());
      state.formatOk.set(s.sheet, r.canFormat());
      const now = r.binding();
      if (now !== s) replaceSheet(state, now);
    }
  };
}

/** Reads every bound sheet's inputs in one round trip (更新评分标准's preview). */
export async function loadAllInputs(context: Excel.RequestContext, state: LiveState): Promise<void> {
  const apply = queueReadAll(context, state);
  await context.sync();
  apply();
}

export type Handler = (event: ChangeEvent) => unknown;

/**
 * Queues the change handler(s): one on the worksheet collection (ExcelApi 1.9), else one per Dafen sheet
 * (found by id; its id is loaded in the same request, which the library needs to route the event); on the
 * web also a selection handler (dropdown fallback). Handlers die with the pane, so this runs on every pane
 * load; `registered` keeps a second call in the same pane from adding duplicates. No sync.
 */
export function queueRegister(context: Excel.RequestContext, state: LiveState, onChanged: Handler, onSelection: Handler | null, registered: Set<string>): number {
  const sheets = context.workbook.worksheets;
  let n = 0;
  if (state.caps.collectionEvents) {
    if (!registered.has('*')) {
      sheets.onChanged.add(onChanged as never);
      registered.add('*');
      n++;
    }
    if (onSelection && state.caps.dropdownFallback && !registered.has('*sel')) {
      sheets.onSelectionChanged.add(onSelection as never);
      registered.add('*sel');
      n++;
    }
    return n;
  }
  // The 本表设定 sheet too: a changed setting re-scores every sheet.
  const settings = state.binding.settings ? [{ sheet: state.binding.settings.sheet, id: state.binding.settings.id }] : [];
  for (const s of [...state.binding.sheets, ...settings]) {
    const key = sheetKey(s);
    if (registered.has(key)) continue;
    const ws = sheets.getItem(key);
    ws.load('id');
    ws.onChanged.add(onChanged as never);
    if (onSelection && state.caps.dropdownFallback) ws.onSelectionChanged.add(onSelection as never);
    registered.add(key);
    n++;
  }
  return n;
}

/** Registers the handlers and reads every sheet's inputs: one round trip (the pane opening, after generating). */
export async function attachLive(context: Excel.RequestContext, state: LiveState, onChanged: Handler, onSelection: Handler | null, registered: Set<string> = new Set()): Promise<number> {
  const n = queueRegister(context, state, onChanged, onSelection, registered);
  const apply = queueReadAll(context, state);
  await context.sync();
  apply();
  return n;
}

/**
 * The dropdown fallback (the web does not fire onChanged for a value picked from a data-validation list,
 * office-js #3888, #4066): when the selection leaves an input cell, that cell is checked as if it had
 * changed. Returns the event to handle, or null (no Office call).
 */
export function selectionFallback(state: LiveState, event: { address: string; worksheetId: string }): ChangeEvent | null {
  const prev = state.lastSelected;
  state.lastSelected = { worksheetId: event.worksheetId, address: event.address };
  if (!prev || (prev.worksheetId === event.worksheetId && prev.address === event.address)) return null;
  const sheet = sheetOfId(state, prev.worksheetId);
  if (!sheet || !touchesInput(sheet, prev.address)) return null;
  return { address: prev.address, worksheetId: prev.worksheetId, source: 'Local', changeType: 'RangeEdited' };
}
