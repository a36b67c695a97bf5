/**
 * 扣分依据/说明 of the hands whose remarks the 打分表 has no column for (a multi-hand sheet shows the first
 * scoring hand's): kept on a plain visible sheet 各评分人扣分依据, planned here from `UnitIn.handRemarks`
 * (src/layout/workbook.ts) and read back by every reader (src/xlsx, the fast reader in src/collect, the
 * add-in's state read in src/excel) through the one pure parser below, so that a rater's or a unit's own
 * words are never dropped by a merge, an update or 生成打分表. A row naming no unit or hand of the workbook
 * is not read into a unit: it is returned as `unread` and kept aside (未匹配录入) by an update.
 */
import { firstScoringHand, handLabel, isDefaultHands, isHandId, type HandId } from '../engine';
import type { CellPlan, SheetPlan, WorkbookPlan } from './plan';

export const HAND_REMARKS_SHEET = '各评分人扣分依据';
/** The sheet's columns (as made since issue 15: workbooks made earlier read back). */
const HEADERS = ['被考核单位', '填写人', '评分项编号', '扣分依据/说明', '填写人编号'] as const;

export interface HandRemark {
  unit: string;
  hand: HandId;
  /** Criterion id (`$veto` for the 一票否决 block). */
  id: string;
  text: string;
}

/** Every hand's remarks by hand, then criterion id. */
export type HandRemarks = Partial<Record<HandId, Record<string, string>>>;

const blank = (t: unknown): boolean => t === undefined || t === null || String(t).trim() === '';

/** The sheet's rows: every hand's non-blank remarks except the first scoring hand's (the 扣分依据 column holds those). */
export function handRemarkRows(units: readonly { name: string; handRemarks?: HandRemarks }[], first: HandId): HandRemark[] {
  const out: HandRemark[] = [];
  for (const u of units) {
    for (const [hand, said] of Object.entries(u.handRemarks ?? {}) as [HandId, Record<string, string> | undefined][]) {
      if (hand === first) continue;
      for (const [id, text] of Object.entries(said ?? {})) if (!blank(text)) out.push({ unit: u.name, hand, id, text });
    }
  }
  return out;
}

export function handRemarksSheetPlan(rows: readonly HandRemark[]): SheetPlan {
  const cells: CellPlan[] = [
    { row: 1, col: 1, style: 'title', value: '各评分人的扣分依据/说明（打分表上只列第一位评分人的，其余在此）' },
    ...HEADERS.map((h, i) => ({ row: 2, col: i + 1, style: 'header', value: h })),
  ];
  rows.forEach((r, i) => {
    [r.unit, handLabel(r.hand), r.id, r.text, r.hand].forEach((v, j) => cells.push({ row: i + 3, col: j + 1, style: 'text', value: v }));
  });
  return {
    name: HAND_REMARKS_SHEET,
    kind: 'summary',
    state: 'visible',
    columns: [{ width: 16 }, { width: 8 }, { width: 12 }, { width: 60 }, { width: 10 }],
    rowHeights: [undefined, 28],
    cells,
    merges: [{ top: 1, left: 1, bottom: 1, right: 5 }],
    validations: [],
    protection: null,
    print: null,
    conditional: [],
  };
}

/**
 * The plan with a 各评分人扣分依据 sheet even when no remark is left (an empty one before the metadata), so that
 * the sheet of the open workbook is replaced rather than left stale (the add-in writes into the open workbook).
 */
export function keepingHandRemarksSheet(plan: WorkbookPlan): WorkbookPlan {
  if (!plan.sheets.some((x) => x.name === HAND_REMARKS_SHEET)) plan.sheets.splice(plan.sheets.length - 1, 0, handRemarksSheetPlan([]));
  return plan;
}

/** A row of the sheet as read, before it is matched to the workbook's units and hands. */
export interface ReadHandRemark {
  /** 1-based row of the sheet when the rows given start at row 1 (the readers give them so). */
  row: number;
  unit: string;
  /** 填写人编号 (`rater2`), or the 填写人 text when the code cell is blank. */
  hand: string;
  id: string;
  text: string;
}

/** Why a row was not read into a unit. */
export type UnreadWhy = 'unit' | 'hand' | 'first' | 'id' | 'twice';
export type UnreadHandRemark = ReadHandRemark & { why: UnreadWhy };

const str = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? '是' : '否') : String(v));

/**
 * The sheet's rows (cell values, 0-based columns; index i is row i + 1; holes or undefined for empty rows) →
 * every row holding a non-blank 扣分依据/说明. The header row is found by its texts (columns may have moved);
 * without one, the columns are the made ones.
 */
export function parseHandRemarkRows(rows: readonly (readonly unknown[] | undefined)[]): ReadHandRemark[] {
  let h = -1;
  for (let i = 0; i < Math.min(rows.length, 20) && h < 0; i++) if (rows[i]?.some((v) => str(v).trim() === '评分项编号')) h = i;
  const at = (name: string, i: number) => {
    const c = h >= 0 ? rows[h]!.findIndex((v) => str(v).trim() === name) : -1;
    return c >= 0 ? c : i;
  };
  const [cu, cl, ci, ct, ch] = HEADERS.map((name, i) => at(name, i));
  const out: ReadHandRemark[] = [];
  for (let i = h >= 0 ? h + 1 : 0; i < rows.length; i++) {
    const r = rows[i];
    if (!r) continue;
    const text = str(r[ct]);
    if (blank(text) || (h < 0 && text.trim() === HEADERS[3])) continue;
    const code = str(r[ch]).trim();
    out.push({ row: i + 1, unit: str(r[cu]).trim(), hand: code || str(r[cl]).trim(), id: str(r[ci]).trim(), text });
  }
  return out;
}

/** A hand named by its code or its column header (评委2, 自评), among the workbook's hands. */
function handOf(name: string, hands: readonly HandId[]): HandId | undefined {
  if (isHandId(name)) return name;
  return hands.find((x) => handLabel(x) === name);
}

/**
 * Rows read → each unit's remarks by hand (units and hands of the workbook only; the first scoring hand's are
 * on its sheet), and the rows that fit none, with why (kept aside by the caller, never dropped).
 */
export function matchHandRemarks(rows: readonly ReadHandRemark[], units: readonly string[], hands: readonly HandId[]): { byUnit: Map<string, HandRemarks>; unread: UnreadHandRemark[] } {
  const first = firstScoringHand(hands);
  const known = new Set(units);
  const byUnit = new Map<string, HandRemarks>();
  const unread: UnreadHandRemark[] = [];
  for (const r of rows) {
    const hand = handOf(r.hand, hands);
    const why: UnreadWhy | null = !known.has(r.unit) ? 'unit'
      : !hand || isDefaultHands(hands) || !hands.includes(hand) ? 'hand'
        : hand === first ? 'first'
          : !r.id ? 'id' : null;
    if (why) {
      unread.push({ ...r, why });
      continue;
    }
    let u = byUnit.get(r.unit);
    if (!u) byUnit.set(r.unit, (u = {}));
    const said = (u[hand!] ??= {});
    if (r.id in said) unread.push({ ...r, why: 'twice' });
    else said[r.id] = r.text;
  }
  return { byUnit, unread };
}

export const UNREAD_WHY: Record<UnreadWhy, { zh: string; en: string }> = {
  unit: { zh: '本工作簿没有此单位', en: 'the workbook has no such unit' },
  hand: { zh: '本工作簿没有此评分人', en: 'the workbook has no such hand' },
  first: { zh: '此评分人的扣分依据在单位表的扣分依据列', en: "this hand's remarks are in the unit sheet's 扣分依据 column" },
  id: { zh: '缺评分项编号', en: 'no criterion id' },
  twice: { zh: '同一单位、评分人、评分项重复出现', en: 'the same unit, hand and criterion appear twice' },
};
