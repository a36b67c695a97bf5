/**
 * The layout's facade: program + units (+ inputs) → WorkbookPlan, plain data that xlsx/ (ExcelJS) and
 * excel/ (Office.js) apply. Pure TypeScript: no ExcelJS, no Node APIs — the task pane runs it in the browser.
 */
export { planWorkbook, cellInputs, handsOf, PlanError, newWorkbookId, type PlanOptions, type UnitIn } from './workbook';
export { checkPlan, functionNesting, longFormulas, MAX_FORMULA_CHARS, MAX_FUNCTION_NESTING, type LongFormula } from './check';
export { contentHash, canonicalJson, sha256, sha256Text } from './hash';
export { decodeMeta, embeddedProgram, metaSheet, META_SHEET, META_FORMAT, type MetaDecode } from './meta';
export { colLetter, colNumber, addr, absAddr, parseAddr, sheetName, sheetRef, isValidSheetName, SHEET_NAME_MAX } from './names';
export { wrappedLines, textHalfEms, heightFor, columnPixels } from './text';
export { formatDate, HEADER_ROWS, SIGNATURE_LINES, VETO_TEXT } from './unit-sheet';
export { REASON_HEADER } from './columns';
export { paginate, pageHeightPt, splitMerges, type Pagination } from './pages';
export { balancedTitle, pageFooter } from './print';
export { SUMMARY_NAME, SUMMARY_FIRST_ROW, FINAL_PLACES, summaryColumns } from './summary';
export { inputLabel, OWN_MESSAGE_ENTRIES, ruleKey, shareValidationPrompts, validationEntries, validationFor } from './validation';
export { SETTINGS_NAME, SETTINGS_FIRST_ROW, SETTINGS_COLS, applySettings, carrySettings, planSettings, settingsChanged, settingRef, settingsWhere } from './settings';
export { cellValues } from './values';
export type {
  WorkbookPlan, SheetPlan, CellPlan, CellStyle, Range, Validation, PrintSetup, WorkbookMeta, SheetMeta, SortOrder, SummaryColumn, PieceIdentity,
  ConditionalDataBar,
} from './plan';
export {
  HAND_REMARKS_SHEET, UNREAD_WHY, handRemarkRows, handRemarksSheetPlan, keepingHandRemarksSheet, matchHandRemarks, parseHandRemarkRows,
  type HandRemark, type HandRemarks, type ReadHandRemark, type UnreadHandRemark, type UnreadWhy,
} from './hand-remarks';
export {
  carryOver, countEntries, entriesHeld, readKeptRows, readUnmatchedRows, unmatchedSheetPlan, unreadRemarksKept, withUnmatched,
  UNMATCHED_SHEET_NAME, UNMATCHED_REASONS, UNMATCHED_REASONS_EN,
  type CarryOver, type KeptRow, type OldEntry, type UnmatchedInput, type UnmatchedReason,
} from './carry';
