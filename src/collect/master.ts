/**
 * Reading the master (the whole 打分表 the pieces are split from and merged back into), and the few plan
 * helpers split and merge share: the rubric it carries, its hands, and putting new metadata into a plan.
 */
import { isDefaultHands, type Program } from '../engine';
import { embeddedProgram, metaSheet, META_SHEET, type WorkbookMeta, type WorkbookPlan } from '../layout';
import { readFilledWorkbook, type FilledWorkbook } from '../xlsx';
import { quickRead } from './quick-read';
import { handName, handsOf, type HandId } from './hands';
import { collectProblem, type CollectProblem } from './messages';

export interface Master {
  file: string;
  read: FilledWorkbook;
  meta: WorkbookMeta;
  program: Program;
  hands: HandId[];
}

/** The reader's first error, as detail for a refusal (both languages). */
export function readDetail(read: FilledWorkbook): { detail: string; detailEn: string } {
  const p = read.problems.find((x) => x.severity === 'error') ?? read.problems[0];
  return p ? { detail: p.message.zh, detailEn: p.message.en } : { detail: '无法读取', detailEn: 'unreadable' };
}

/** A workbook read: the fast read when its structure is as made, else the full reader (which explains every difference). */
export async function readWorkbook(bytes: Uint8Array): Promise<FilledWorkbook> {
  return (await quickRead(bytes)) ?? (await readFilledWorkbook(bytes));
}

/** A master from its bytes (or an already read workbook), or the problem that stops split and merge. */
export async function openMaster(file: string, bytes: Uint8Array | FilledWorkbook, program?: Program): Promise<Master | CollectProblem> {
  const read = bytes instanceof Uint8Array ? await readWorkbook(bytes) : bytes;
  if (!read.meta) return collectProblem('collect.masterUnreadable', { file, ...readDetail(read) });
  const meta = read.meta;
  if (meta.piece) {
    const h = handName(meta.piece.hand as HandId);
    return collectProblem('collect.masterIsPiece', { file, hand: h.zh, handEn: h.en });
  }
  // A multi-hand workbook read without each hand's entries would lose them on the new master: stop instead.
  const hands = handsOf(meta);
  if (!isDefaultHands(hands) && read.units.some((u) => !u.hands)) {
    return collectProblem('collect.masterUnreadable', { file, detail: '无法读出各评分人的录入（工作表的行或列已变动）；请先用 dafen score 检查', detailEn: "each hand's entries cannot be read (rows or columns of a sheet were changed); check it with dafen score first" });
  }
  const p = program ?? embeddedProgram(meta);
  if (!p) return collectProblem('collect.masterNoRubric', { file });
  // Other hands' 扣分依据 (各评分人扣分依据) come with the read units (ReadUnit.handRemarks).
  return { file, read, meta, program: p, hands };
}

/** The plan with `meta` as its metadata (the `_dafen` sheet rewritten). */
export function withMeta(plan: WorkbookPlan, meta: WorkbookMeta): WorkbookPlan {
  const i = plan.sheets.findIndex((s) => s.name === META_SHEET);
  const sheets = [...plan.sheets];
  if (i >= 0) sheets[i] = metaSheet(meta);
  else sheets.push(metaSheet(meta));
  return { ...plan, sheets, meta };
}

/** The rubric text and hash exactly as the master records them (a later loader may add defaults that change a recomputed hash). */
export function sameRubric(meta: WorkbookMeta, from: WorkbookMeta): WorkbookMeta {
  return { ...meta, contentHash: from.contentHash, ...(from.rubric ? { rubric: from.rubric } : {}) };
}
