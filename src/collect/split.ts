/**
 * Sending out (分发): a master → pieces. By unit: one small workbook per unit holding only that unit, for
 * its self-assessment (hand 'self'). By rater: one workbook per rater holding every unit (hand 'raterN').
 * Each piece is an ordinary Dafen workbook (one entry column, the default layout) carrying the rubric,
 * whatever the master already holds for that hand, a 分发说明 sheet saying what it is, and its identity
 * (WorkbookMeta.piece) for the merge to check.
 */
import type { Program } from '../engine';
import { planWorkbook, PlanError, type CellPlan, type PlanOptions, type SheetPlan, type UnitIn, type WorkbookPlan } from '../layout';
import { writeWorkbook, type FilledWorkbook } from '../xlsx';
import { handName, handList, unitHands, unitRemarks, type HandId } from './hands';
import { makeIdentity, masterId } from './identity';
import { openMaster, sameRubric, withMeta, type Master } from './master';
import { collectProblem, type CollectProblem } from './messages';

export type SplitBy = 'unit' | 'rater';

export interface SplitOptions {
  by: SplitBy;
  /** The hand the pieces are for (default: 'self' by unit, every rater by rater). */
  hand?: HandId;
  /** The master's file name, for the pieces' names and messages. */
  file?: string;
  /** ISO date-time written as `issued` (default: now). */
  issued?: string;
  generator?: string;
  /** The rubric, when the master carries none. */
  program?: Program;
}

export interface Piece {
  /** File name to save it under (`打分表-自评-县残联.xlsx`). */
  name: string;
  hand: HandId;
  units: string[];
  plan: WorkbookPlan;
}

export type SplitResult = { pieces: Piece[]; master: Master; problems?: undefined } | { pieces?: undefined; problems: CollectProblem[] };

/** Characters no file system takes in a name, and control characters: replaced by `_`. */
export const safeFileName = (s: string): string =>
  // eslint-disable-next-line no-control-regex
  s.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_').replace(/^\.+/, '_').slice(0, 120);

const stemOf = (file: string): string => (file.split(/[\\/]/).pop() ?? file).replace(/\.xlsx$/i, '') || '打分表';

/** The pieces as plans (pure once the master is read); `splitWorkbook` writes their bytes. */
export function planPieces(master: Master, options: SplitOptions): Piece[] | CollectProblem[] {
  const { meta, hands, program } = master;
  const file = options.file ?? master.file;
  let wanted: HandId[];
  if (options.hand) {
    if (!hands.includes(options.hand)) {
      const l = handName(options.hand);
      const all = handList(hands);
      return [collectProblem('collect.handNotInMaster', { file, hand: l.zh, handEn: l.en, hands: all.zh, handsEn: all.en })];
    }
    wanted = [options.hand];
  } else if (options.by === 'unit') {
    if (!hands.includes('self')) return [collectProblem('collect.noSelfHand', { file })];
    wanted = ['self'];
  } else {
    wanted = hands.filter((h) => h.startsWith('rater'));
    if (!wanted.length) {
      const all = handList(hands);
      return [collectProblem('collect.noRaters', { file, hands: all.zh, handsEn: all.en })];
    }
  }
  const issued = options.issued ?? new Date().toISOString();
  const id = masterId(meta);
  const byUnit = new Map(master.read.units.map((u) => [u.unit, u]));
  const unitIn = (unit: string, hand: HandId): UnitIn => {
    const s = meta.sheets.find((x) => x.unit === unit)!;
    const ru = byUnit.get(unit);
    return {
      name: s.unit, variant: s.variant, tags: s.tags,
      inputs: ru ? unitHands(ru, hands)[hand] ?? {} : {},
      remarks: ru ? unitRemarks(ru, hands)[hand] ?? {} : {},
      cells: true,
    };
  };
  // One entry column whatever the program's policy asks of a master (the piece is one hand's sheet).
  const planOptions: PlanOptions = {
    date: meta.options.date, sort: meta.options.sort, rankIncomplete: meta.options.rankIncomplete, contentHash: meta.contentHash,
    generator: options.generator ?? meta.generator, hands: ['assessor'],
    // A piece scores with the master's 本表设定 values.
    ...(master.read.settings ? { settings: master.read.settings } : {}),
  };
  const stem = stemOf(file);
  const groups: { hand: HandId; units: string[] }[] = options.by === 'unit'
    ? wanted.flatMap((hand) => meta.sheets.map((s) => ({ hand, units: [s.unit] })))
    : wanted.map((hand) => ({ hand, units: meta.sheets.map((s) => s.unit) }));
  const pieces: Piece[] = [];
  const names = new Set<string>();
  for (const g of groups) {
    let plan: WorkbookPlan;
    try {
      plan = planWorkbook(program, g.units.map((u) => unitIn(u, g.hand)), planOptions);
    } catch (e) {
      if (!(e instanceof PlanError)) throw e;
      return [collectProblem('collect.masterUnreadable', { file, detail: e.message, detailEn: e.message })];
    }
    const identity = makeIdentity(id, g.hand, g.units, meta.contentHash, issued);
    const label = handName(g.hand);
    plan = withMeta(plan, { ...sameRubric(plan.meta, meta), piece: identity });
    const note = noteSheet(meta.program.title, label, g.units, issued, stem);
    // A unit of that name already has the tab: the note takes another.
    if (plan.sheets.some((s) => s.name.toLowerCase() === note.name.toLowerCase())) note.name = '分发说明（打分）';
    plan.sheets.splice(plan.sheets.length - 1, 0, note);
    plan.properties = { ...plan.properties, title: `${plan.properties.title}（${label.zh}）`, subject: `分发件 / piece: ${label.zh}` };
    let name = safeFileName(options.by === 'unit' ? `${stem}-${label.zh}-${g.units[0]}.xlsx` : `${stem}-${label.zh}.xlsx`);
    for (let n = 2; names.has(name.toLowerCase()); n++) name = name.replace(/(-\d+)?\.xlsx$/, `-${n}.xlsx`);
    names.add(name.toLowerCase());
    pieces.push({ name, hand: g.hand, units: g.units, plan });
  }
  return pieces;
}

/** Splits a master (its bytes, or a workbook already read) into pieces, each with its .xlsx bytes. */
export async function splitWorkbook(
  master: Uint8Array | FilledWorkbook,
  options: SplitOptions,
): Promise<{ pieces: (Piece & { bytes: Uint8Array })[]; problems?: undefined } | { pieces?: undefined; problems: CollectProblem[] }> {
  const m = await openMaster(options.file ?? '打分表.xlsx', master, options.program);
  if ('code' in m) return { problems: [m] };
  const planned = planPieces(m, options);
  if (planned.length && 'code' in planned[0]) return { problems: planned as CollectProblem[] };
  const out: (Piece & { bytes: Uint8Array })[] = [];
  for (const p of planned as Piece[]) out.push({ ...p, bytes: await writeWorkbook(p.plan) });
  return { pieces: out };
}

/** 分发说明: what this file is and what to do with it, on a visible sheet next to the 打分表. */
function noteSheet(title: string, hand: { zh: string; en: string }, units: string[], issued: string, stem: string): SheetPlan {
  const lines: [string, string][] = [
    ['考核方案', title],
    ['填写人', hand.zh],
    ['单位', units.length === 1 ? units[0] : `全部 ${units.length} 个单位`],
    ['分发自', `${stem}.xlsx`],
    ['分发时间', issued.slice(0, 16).replace('T', ' ')],
    ['说明', '请在各单位打分表的录入列中填写，保存后原样交回。不要改动隐藏的 _dafen 表，不要把几份文件合并成一份；收回时按此文件的分发标识核对。'],
    ['Note', `Fill in the entry column of each unit sheet as ${hand.en}, save and return this file as it is. Do not edit the hidden _dafen sheet or combine files: the merge checks this file's identity.`],
  ];
  const cells: CellPlan[] = [{ row: 1, col: 1, style: 'title', value: `分发件：${hand.zh}` }];
  lines.forEach(([k, v], i) => {
    cells.push({ row: i + 2, col: 1, style: 'header', value: k });
    cells.push({ row: i + 2, col: 2, style: 'text', value: v });
  });
  return {
    name: '分发说明',
    kind: 'summary',
    state: 'visible',
    columns: [{ width: 12 }, { width: 80 }],
    rowHeights: [undefined, 28, undefined, undefined, undefined, undefined, undefined, 48, 48],
    cells,
    merges: [{ top: 1, left: 1, bottom: 1, right: 2 }],
    validations: [],
    protection: null,
    print: null,
    conditional: [],
  };
}
