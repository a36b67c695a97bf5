/**
 * Collecting (收集): returned pieces → one new master. Every value goes to its unit, hand and input key;
 * a value that differs from one the master already holds is a conflict, listed with both values and kept
 * as the master's (the returned file does not win unless asked, `pieceWins`); a piece filled in against
 * another version of the rubric is carried over by criterion, as 更新评分标准 carries (src/layout/carry.ts);
 * what cannot be carried is kept on 未匹配录入. A file that is not ours, not a piece, from another master,
 * a duplicate, or with an altered identity is refused with the reason. The master is never written in
 * place: the result is a new plan (the same plan path as `dafen update`).
 */
import { isDefaultHands, type Program, type Raw } from '../engine';
import {
  carryOver, embeddedProgram, planWorkbook, PlanError, unmatchedSheetPlan, unreadRemarksKept, UNMATCHED_REASONS, UNMATCHED_SHEET_NAME,
  type PlanOptions, type UnitIn, type UnmatchedInput, type UnmatchedReason, type WorkbookPlan,
} from '../layout';
import { writeWorkbook, type FilledWorkbook } from '../xlsx';
import { firstScoringHand, handName, handList, unitHands, unitRemarks, type HandId } from './hands';
import { identityProblem, masterId } from './identity';
import { openMaster, readDetail, readWorkbook, sameRubric, withMeta, type Master } from './master';
import { collectProblem, type CollectProblem } from './messages';

export interface CollectFile {
  /** The file's name as the clerk knows it (shown in every message). */
  name: string;
  bytes: Uint8Array;
}

export interface MergeOptions {
  /** A returned value replaces a differing one already in the master (default false: the master's is kept). */
  pieceWins?: boolean;
  generator?: string;
  /** The rubric, when the master carries none. */
  program?: Program;
}

/** A returned value that differs from the master's. */
export interface Conflict {
  file: string;
  unit: string;
  hand: HandId;
  /** Input key, or `<criterion id>#扣分依据` for a 扣分依据/说明. */
  key: string;
  label: string;
  master: Raw;
  piece: Raw;
  kept: 'master' | 'piece';
}

/** A value the merge puts into the master (a blank there, or a conflict the piece wins). */
export interface Write {
  unit: string;
  hand: HandId;
  /** Input key, or absent for a remark. */
  key?: string;
  /** Criterion id of a 扣分依据/说明. */
  remark?: string;
  value: Raw;
}

export interface FileReport {
  file: string;
  status: 'taken' | 'refused';
  /** Why it was refused. */
  refusal?: CollectProblem;
  hand?: HandId;
  units?: string[];
  /** Values taken into blank places of the master. */
  taken: number;
  /** Values the master already held, equal. */
  same: number;
  /** 扣分依据/说明 taken. */
  remarks: number;
  conflicts: Conflict[];
  /** Entries kept on 未匹配录入 (another version, a unit no longer in the master). */
  kept: number;
  /** Warnings: another version carried over, the reader's problems with the file. */
  warnings: CollectProblem[];
}

export interface MergeReport {
  files: FileReport[];
  taken: number;
  remarks: number;
  conflicts: Conflict[];
  refused: number;
  /** Entries kept aside on 未匹配录入 by this merge. */
  unmatched: UnmatchedInput[];
}

export interface MasterEntries {
  unit: string;
  variant: string;
  tags?: string[];
  hands: Partial<Record<HandId, Record<string, Raw>>>;
  remarks: Partial<Record<HandId, Record<string, string>>>;
}

const blank = (v: Raw): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const same = (a: Raw, b: Raw): boolean => (typeof a === 'string' && typeof b === 'string' ? a.trim() === b.trim() : a === b);
const REMARK = '#扣分依据';

/** A piece's read entries, per unit: inputs and 扣分依据/说明 (its one entry column). */
interface PieceEntry {
  unit: string;
  variant: string;
  tags?: string[];
  inputs: Record<string, Raw>;
  remarks: Record<string, string>;
}

/**
 * The pure half: the master's entries and the pieces as read → the merged entries, the values written,
 * and the report. `master.units` is not changed.
 */
export function mergeEntries(
  master: { meta: Master['meta']; program: Program; hands: HandId[]; units: readonly MasterEntries[] },
  pieces: readonly { file: string; read: FilledWorkbook }[],
  options: Pick<MergeOptions, 'pieceWins'> = {},
): { units: MasterEntries[]; writes: Write[]; report: MergeReport } {
  const { meta, program, hands } = master;
  const units = master.units.map((u) => ({ ...u, hands: Object.fromEntries(Object.entries(u.hands).map(([h, v]) => [h, { ...v }])), remarks: Object.fromEntries(Object.entries(u.remarks).map(([h, v]) => [h, { ...v }])) })) as MasterEntries[];
  const byUnit = new Map(units.map((u) => [u.unit, u]));
  const labels = new Map<string, string>();
  for (const s of meta.sheets) for (const i of s.inputs) labels.set(`${s.unit}\u0000${i.key}`, i.label);
  const id = masterId(meta);
  const seenIds = new Map<string, string>();
  const slots = new Map<string, string>();
  const writes: Write[] = [];
  const unmatched: UnmatchedInput[] = [];
  const files: FileReport[] = [];
  const all = handList(hands);

  for (const { file, read } of pieces) {
    const r: FileReport = { file, status: 'refused', taken: 0, same: 0, remarks: 0, conflicts: [], kept: 0, warnings: [] };
    files.push(r);
    const refuse = (p: CollectProblem) => void (r.refusal = p);
    const pm = read.meta;
    if (!pm) {
      refuse(collectProblem('collect.notOurs', { file, ...readDetail(read) }));
      continue;
    }
    if (!pm.piece) {
      refuse(collectProblem('collect.notPiece', { file }));
      continue;
    }
    const bad = identityProblem(pm);
    if (bad) {
      refuse(collectProblem('collect.tampered', { file, detail: bad.zh, detailEn: bad.en }));
      continue;
    }
    const piece = pm.piece;
    const hand = piece.hand as HandId;
    const hl = handName(hand);
    if (pm.program.id !== meta.program.id) {
      refuse(collectProblem('collect.otherProgram', { file, id: meta.program.id, other: pm.program.id }));
      continue;
    }
    if (piece.master !== id) {
      refuse(collectProblem('collect.otherMaster', { file, title: pm.program.title, issued: piece.issued.slice(0, 16).replace('T', ' ') }));
      continue;
    }
    if (!hands.includes(hand)) {
      refuse(collectProblem('collect.handUnknown', { file, hand: hl.zh, handEn: hl.en, hands: all.zh, handsEn: all.en }));
      continue;
    }
    const firstFile = seenIds.get(piece.id);
    if (firstFile !== undefined) {
      refuse(collectProblem('collect.duplicate', { file, first: firstFile }));
      continue;
    }
    const clash = piece.units.find((u) => slots.has(`${u}\u0000${hand}`));
    if (clash !== undefined) {
      refuse(collectProblem('collect.sameSlot', { file, first: slots.get(`${clash}\u0000${hand}`)!, unit: clash, hand: hl.zh, handEn: hl.en }));
      continue;
    }
    if (!piece.units.some((u) => byUnit.has(u))) {
      refuse(collectProblem('collect.noUnits', { file, units: piece.units.slice(0, 5).join('、') }));
      continue;
    }
    let entries: PieceEntry[] = read.units.map((u) => ({ unit: u.unit, variant: u.variant, tags: u.tags, inputs: { ...u.inputs }, remarks: { ...u.remarks } }));
    const keptHere: UnmatchedInput[] = [];
    if (pm.contentHash !== meta.contentHash) {
      const made = embeddedProgram(pm);
      if (!made) {
        refuse(collectProblem('collect.noRubric', { file, version: pm.program.version, master: meta.program.version }));
        continue;
      }
      // Another version of the rubric: carried by what each entry means, as 更新评分标准 does.
      const c = carryOver(made, program, entries.map((e) => ({ unit: e.unit, variant: e.variant, tags: e.tags, inputs: e.inputs, remarks: e.remarks })));
      entries = c.entries.map((e) => ({ unit: e.unit, variant: e.variant, tags: e.tags, inputs: e.inputs as Record<string, Raw>, remarks: e.remarks }));
      keptHere.push(...c.unmatched);
      r.warnings.push(collectProblem('collect.otherVersion', { file, version: pm.program.version, master: meta.program.version, carried: c.carried, kept: c.unmatched.length }));
    }
    // Units the master no longer has: their entries kept aside, never dropped.
    entries = entries.filter((e) => {
      if (byUnit.has(e.unit)) return true;
      for (const [key, value] of Object.entries(e.inputs)) if (!blank(value)) keptHere.push({ unit: e.unit, variant: e.variant, key, label: key, value, reason: 'unitRemoved' });
      for (const [cid, value] of Object.entries(e.remarks)) if (!blank(value)) keptHere.push({ unit: e.unit, variant: e.variant, key: `${cid}${REMARK}`, label: `${cid}：扣分依据/说明`, value, reason: 'unitRemoved' });
      r.warnings.push(collectProblem('collect.unitGone', { file, unit: e.unit }));
      return false;
    });
    for (const pr of read.problems) r.warnings.push(collectProblem('collect.readProblem', { file, detail: `${pr.path ? `${pr.path} ` : ''}${pr.message.zh}`, detailEn: `${pr.path ? `${pr.path} ` : ''}${pr.message.en}` }));
    seenIds.set(piece.id, file);
    for (const u of piece.units) slots.set(`${u}\u0000${hand}`, file);
    r.status = 'taken';
    r.hand = hand;
    r.units = [...piece.units];
    for (const k of keptHere) unmatched.push({ ...k, label: `${hl.zh}：${k.label}` });
    r.kept = keptHere.length;

    for (const e of entries) {
      const mu = byUnit.get(e.unit)!;
      const into = (mu.hands[hand] ??= {});
      const said = (mu.remarks[hand] ??= {});
      const put = (key: string, value: Raw, current: Raw, label: string, set: (v: Raw) => void, remark: boolean) => {
        if (blank(value)) return;
        if (blank(current)) {
          set(value);
          writes.push({ unit: e.unit, hand, ...(remark ? { remark: key.slice(0, -REMARK.length) } : { key }), value });
          if (remark) r.remarks++;
          else r.taken++;
        } else if (same(current, value)) r.same++;
        else {
          const kept = options.pieceWins ? 'piece' : 'master';
          r.conflicts.push({ file, unit: e.unit, hand, key, label, master: current, piece: value, kept });
          if (kept === 'piece') {
            set(value);
            writes.push({ unit: e.unit, hand, ...(remark ? { remark: key.slice(0, -REMARK.length) } : { key }), value });
          }
        }
      };
      for (const [key, value] of Object.entries(e.inputs)) {
        put(key, value, into[key], labels.get(`${e.unit}\u0000${key}`) ?? key, (v) => (into[key] = v), false);
      }
      for (const [cid, value] of Object.entries(e.remarks)) {
        put(`${cid}${REMARK}`, value, said[cid], '扣分依据/说明', (v) => (said[cid] = String(v)), true);
      }
    }
  }
  const conflicts = files.flatMap((f) => f.conflicts);
  return {
    units,
    writes,
    report: {
      files,
      taken: files.reduce((n, f) => n + f.taken, 0),
      remarks: files.reduce((n, f) => n + f.remarks, 0),
      conflicts,
      refused: files.filter((f) => f.status === 'refused').length,
      unmatched,
    },
  };
}

/** The master's entries per unit and hand, as its cells hold them. */
export function masterEntries(m: Master): MasterEntries[] {
  const byUnit = new Map(m.read.units.map((u) => [u.unit, u]));
  return m.meta.sheets.map((s) => {
    const ru = byUnit.get(s.unit);
    return { unit: s.unit, variant: s.variant, tags: s.tags, hands: ru ? unitHands(ru, m.hands) : {}, remarks: ru ? unitRemarks(ru, m.hands) : {} };
  });
}

const REASON_BY_TEXT = new Map<string, UnmatchedReason>(Object.entries(UNMATCHED_REASONS).map(([k, v]) => [v, k as UnmatchedReason]));

/** What the master's own 未匹配录入 sheet and inserted rows hold: kept as they are on the new master. */
export function masterKept(m: Master): UnmatchedInput[] {
  const out: UnmatchedInput[] = [];
  const rows = m.read.unmatched ?? [];
  const h = rows.findIndex((r) => r.includes('录入项编号'));
  if (h >= 0) {
    const col = (name: string) => rows[h].indexOf(name);
    const [cu, cv, ck, cl, cx, cr] = [col('被考核单位'), col('类别'), col('录入项编号'), col('原评分项'), col('录入值'), col('原因')];
    for (const r of rows.slice(h + 1)) {
      const value = r[cx] as Raw;
      if (!r[cu] || !r[ck] || blank(value)) continue;
      out.push({ unit: String(r[cu]), variant: String(r[cv] ?? ''), key: String(r[ck]), label: String((cl >= 0 && r[cl]) || r[ck]), value, reason: REASON_BY_TEXT.get(String(r[cr] ?? '')) ?? 'notRead' });
    }
  }
  for (const u of m.read.units) for (const x of u.stray ?? []) out.push({ unit: u.unit, variant: u.variant, key: `${u.sheet}!${x.cell}`, label: '插入行中的录入', value: x.value, reason: 'notRead' });
  // Rows of 各评分人扣分依据 that name no unit or hand of the master (the reader reported them).
  const variantOf = (unit: string) => m.meta.sheets.find((s) => s.unit === unit)?.variant;
  for (const k of unreadRemarksKept(m.read.strayRemarks ?? [], variantOf)) out.push({ ...k, label: k.label ?? k.key, reason: 'remarkAside' });
  return out;
}

/** The new master's plan: every unit with its entries per hand, the master's options, hands and identity kept. */
export function masterPlan(m: Master, units: readonly MasterEntries[], kept: readonly UnmatchedInput[], generator?: string): WorkbookPlan {
  const first = firstScoringHand(m.hands);
  const multi = !isDefaultHands(m.hands);
  const meta = m.meta;
  const unitIn: UnitIn[] = units.map((u) => ({
    name: u.unit, variant: u.variant, tags: u.tags, inputs: u.hands[first] ?? {}, remarks: u.remarks[first] ?? {}, cells: true,
    ...(multi ? { hands: u.hands, handRemarks: u.remarks } : {}),
  }));
  const options: PlanOptions = {
    date: meta.options.date, sort: meta.options.sort, rankIncomplete: meta.options.rankIncomplete, contentHash: meta.contentHash,
    generator: generator ?? meta.generator, hands: m.hands, ...(meta.assessment ? { assessment: meta.assessment } : {}),
    ...(meta.workbookId ? { workbookId: meta.workbookId } : {}),
    // The master's 本表设定 values stay as the clerk set them.
    ...(m.read.settings ? { settings: m.read.settings } : {}),
  };
  const plan = planWorkbook(m.program, unitIn, options);
  const out = withMeta(plan, sameRubric(plan.meta, meta));
  // Other hands' 扣分依据 (UnitIn.handRemarks) are on 各评分人扣分依据, which planWorkbook makes.
  if (kept.length || m.read.unmatched) out.sheets.splice(out.sheets.length - 1, 0, unmatchedSheetPlan(kept, m.program.version));
  return out;
}

export type MergeResult =
  | { plan: WorkbookPlan; bytes?: Uint8Array; writes: Write[]; report: MergeReport; problems?: undefined }
  | { plan?: undefined; bytes?: undefined; writes?: undefined; report?: undefined; problems: CollectProblem[] };

/** Reads a returned file (any bytes: a foreign file is refused by the merge with the reader's reason). */
export async function readPiece(f: CollectFile): Promise<{ file: string; read: FilledWorkbook }> {
  return { file: f.name, read: await readWorkbook(f.bytes) };
}

/** The merge without a new master: the master opened, every returned file read, the merged entries and the report. */
export type Collected = { master: Master; merged: ReturnType<typeof mergeEntries>; problems?: undefined } | { master?: undefined; merged?: undefined; problems: CollectProblem[] };

/**
 * Master + returned files → the merged entries, the values to write and the per-file report, nothing planned: 收集
 * into an open workbook writes the values into its cells and plans only the side sheets it changes (`mergedPlan`).
 */
export async function collectEntries(master: CollectFile | { name: string; read: FilledWorkbook }, pieces: readonly CollectFile[], options: MergeOptions = {}): Promise<Collected> {
  const m = await openMaster(master.name, 'read' in master ? master.read : master.bytes, options.program);
  if ('code' in m) return { problems: [m] };
  const read: { file: string; read: FilledWorkbook }[] = [];
  for (const p of pieces) read.push(await readPiece(p));
  return { master: m, merged: mergeEntries({ meta: m.meta, program: m.program, hands: m.hands, units: masterEntries(m) }, read, options) };
}

/** The new master's plan from a merge: every entry, the master's kept rows and what this merge kept aside; a PlanError as a problem. */
export function mergedPlan(c: Extract<Collected, { master: Master }>, file: string, generator?: string): WorkbookPlan | CollectProblem {
  try {
    return masterPlan(c.master, c.merged.units, [...masterKept(c.master), ...c.merged.report.unmatched], generator);
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    return collectProblem('collect.masterUnreadable', { file, detail: e.message, detailEn: e.message });
  }
}

/** Master + returned files → the new master's plan and bytes, and the per-file report. */
export async function mergeWorkbooks(master: CollectFile | { name: string; read: FilledWorkbook }, pieces: readonly CollectFile[], options: MergeOptions & { write?: boolean } = {}): Promise<MergeResult> {
  const c = await collectEntries(master, pieces, options);
  if (c.problems) return { problems: c.problems };
  const plan = mergedPlan(c, master.name, options.generator);
  if ('code' in plan) return { problems: [plan] };
  const bytes = options.write === false ? undefined : await writeWorkbook(plan);
  return { plan, bytes, writes: c.merged.writes, report: c.merged.report };
}

export { UNMATCHED_SHEET_NAME };
