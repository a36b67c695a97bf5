/**
 * The Office.js adapter: every call into the Excel object model lives in this folder, in small functions
 * that take a RequestContext, so tests drive them through the real office.js against a simulated host
 * (test/excel/excel-host.ts). It sits on the engine and the layout only; the .xlsx bytes for
 * insertWorksheetsFromBase64 come from the task pane.
 */
export * from './a1';
export * from './binding';
export { hostCaps, libraryHas, CHUNK_BYTES, WEB_REQUEST_LIMIT, type HostCaps, type HostPlatform } from './caps';
export { Chunker, estimateBytes } from './chunk';
export { BatchQueue } from './queue';
export { bindingFromMeta, followRenames, noteAddressOf, planInputs } from './fromMeta';
export { generate, findConflicts, contentGrid, styleRects, literalText, validationRule, protectionOptions, type GenerateOptions, type GenerateResult } from './generate';
export {
  createLiveState, decideChange, handleChange, loadAllInputs, attachLive, queueRegister, queueReadAll, queueReadSheet, queueWrites, cohortOf, rankInputPrefixes,
  selectionFallback, noteAction, diffWrites, sheetOfId,
  NOTE_PREFIX, type ChangeEvent, type ChangeOutcome, type Decision, type Handler, type LiveCaps, type LiveState,
} from './live';
export { recalcAll, restoreFormulas, normalizeFormula, isOverwritten, type Overwritten, type RecalcReport } from './recalc';
export { readWorkbookState, UNMATCHED_SHEET, META_ROWS, type WorkbookState } from './state';
export { sheetWrites, statusText, noteText, BAD_INPUT_FILL, STATUS_LABEL, LIVE_HINT, type SheetWrites } from './writes';
export { queueReadRemarks } from './remarks';
export { readEntries } from './hands';
export { writeCollected, openCopy, cellValue, type CollectedValue, type CollectedCell, type CollectWriteReport } from './collected';
