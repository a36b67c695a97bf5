/**
 * 扣分依据/说明 of hands whose remarks the 打分表 has no column for (a multi-hand sheet shows the first
 * scoring hand's): kept on a plain visible sheet 各评分人扣分依据, written by the merge and read back by
 * it, so a rater's or a unit's own words returned in a piece are never dropped.
 */
import type { CellPlan, SheetPlan } from '../layout';
import { handName, isHandId, type HandId } from './hands';

export const HAND_REMARKS_SHEET = '各评分人扣分依据';
const HEADERS = ['被考核单位', '填写人', '评分项编号', '扣分依据/说明', '填写人编号'];

export interface HandRemark {
  unit: string;
  hand: HandId;
  id: string;
  text: string;
}

export function handRemarksSheet(rows: readonly HandRemark[]): SheetPlan {
  const cells: CellPlan[] = [
    { row: 1, col: 1, style: 'title', value: '各评分人的扣分依据/说明（打分表上只列第一位评分人的，其余在此）' },
    ...HEADERS.map((h, i) => ({ row: 2, col: i + 1, style: 'header', value: h })),
  ];
  rows.forEach((r, i) => {
    [r.unit, handName(r.hand).zh, r.id, r.text, r.hand].forEach((v, j) => cells.push({ row: i + 3, col: j + 1, style: 'text', value: v }));
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

/** The sheet's rows read back (1-based rows and columns as plainSheet gives them). */
export function readHandRemarks(rows: readonly (readonly string[] | undefined)[]): HandRemark[] {
  const out: HandRemark[] = [];
  for (const r of rows.slice(3)) {
    if (!r) continue;
    const [unit, , id, text, hand] = [r[1], r[2], r[3], r[4], r[5]];
    if (unit && id && text && text.trim() && isHandId(hand)) out.push({ unit, hand, id, text });
  }
  return out;
}
