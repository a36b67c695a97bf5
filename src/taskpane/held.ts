// What an open Dafen workbook holds, read through src/excel: the state (metadata, 未匹配录入, 各评分人扣分依据),
// every sheet's inputs, 扣分依据 and, on a multi-hand workbook, every hand's column — what 更新评分标准 and
// 生成打分表 carry (excel-mode.ts readOldEntries) and what 分发/收集 take as the master. Also the same as a read
// .xlsx (FilledWorkbook, filledOf), so that the collect layer takes the open workbook exactly as it takes a file.
import type { HandId, Raw } from '../engine';
import { readEntries, readWorkbookState, type LiveState, type WorkbookState } from '../excel';
import { matchHandRemarks, parseHandRemarkRows, type HandRemarks, type UnreadHandRemark, type WorkbookMeta } from '../layout';
import type { FilledWorkbook, ReadUnit } from '../xlsx';

type Runner = <T>(fn: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

export interface Held {
  state: WorkbookState;
  /** The metadata as read now (renamed tabs followed), else the session's. */
  meta: WorkbookMeta;
  /** Per bound sheet name: 扣分依据/说明 by criterion id. */
  remarks: Map<string, Record<string, string>>;
  /** Per bound sheet name: every hand's entries (multi-hand workbooks only). */
  hands: Map<string, Partial<Record<HandId, Record<string, Raw>>>> | null;
  /** Other hands' 扣分依据 from 各评分人扣分依据, by unit (parsed as the xlsx reader parses them), and the rows naming no unit or hand. */
  handRemarks: { byUnit: Map<string, HandRemarks>; unread: UnreadHandRemark[] };
}

/** Two round trips: the state, then every hand's entries (into `live.inputs` / `live.handInputs`) with the 扣分依据. */
export async function readHeld(run: Runner, live: LiveState, meta: WorkbookMeta): Promise<Held> {
  const state = await run(readWorkbookState);
  const { remarks, hands } = await run((ctx) => readEntries(ctx, live, meta));
  const handRemarks = matchHandRemarks(state.handRemarks ? parseHandRemarkRows(state.handRemarks) : [], live.binding.sheets.map((x) => x.unit), meta.hands ?? ['assessor']);
  return { state, meta: state.meta ?? meta, remarks, hands, handRemarks };
}

/** The open workbook as a read file: what src/collect's split and merge take as their master. */
export function filledOf(held: Held, live: LiveState): FilledWorkbook {
  const units: ReadUnit[] = live.binding.sheets.map((b) => ({
    sheet: b.sheet,
    unit: b.unit,
    variant: b.variant,
    ...(b.tags ? { tags: b.tags } : {}),
    inputs: live.inputs.get(b.sheet) ?? {},
    inputCells: {},
    ...(held.hands ? { hands: held.hands.get(b.sheet) ?? {} } : {}),
    computed: {},
    remarks: held.remarks.get(b.sheet) ?? {},
    ...(held.handRemarks.byUnit.has(b.unit) ? { handRemarks: held.handRemarks.byUnit.get(b.unit) } : {}),
    moved: Boolean(b.moved),
    rowMarkers: {},
  }));
  return {
    meta: held.meta,
    units,
    summary: {},
    problems: [],
    ...(live.settings ? { settings: live.settings } : {}),
    ...(held.state.unmatched ? { unmatched: held.state.unmatched } : {}),
    ...(held.handRemarks.unread.length ? { strayRemarks: held.handRemarks.unread } : {}),
  };
}
