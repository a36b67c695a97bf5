/**
 * The Office.js adapter: every call into the Excel object model lives in this folder, in small functions
 * that take a RequestContext so tests drive them with office-addin-mock (test/excel/). It sits on the
 * engine and the layout only; the .xlsx bytes for insertWorksheetsFromBase64 come from the task pane.
 */
export * from './a1';
export * from './binding';
export { bindingFromMeta, noteAddressOf } from './fromMeta';
export { generate, findConflicts, contentGrid, styleRects, literalText, validationRule, type GenerateOptions, type GenerateResult } from './generate';
export {
  createLiveState, decideChange, handleChange, loadAllInputs, registerLive, queueReadSheet, queueWrites, asOwnWrite, cohortOf, rankInputPrefixes,
  NOTE_PREFIX, type ChangeEvent, type ChangeOutcome, type Decision, type LiveCaps, type LiveState,
} from './live';
export { recalcAll, restoreFormulas, normalizeFormula, isOverwritten, type Overwritten, type RecalcReport } from './recalc';
export { readWorkbookState, UNMATCHED_SHEET, META_ROWS, type WorkbookState } from './state';
export { sheetWrites, statusText, noteText, BAD_INPUT_FILL, STATUS_LABEL, type SheetWrites } from './writes';
export { readRemarks } from './remarks';
