/**
 * The .xlsx outlet's facade: plan → bytes (ExcelJS), and a filled workbook → inputs, computed cells
 * and problems. Browser-safe (no Node APIs): the CLI, the download page and the add-in share it.
 */
export { writeWorkbook, buildWorkbook, type WriteOptions } from './write';
export { readFilledWorkbook, withHandRemarks, type FilledWorkbook, type ReadUnit, type ReadCell, type ReadSummaryRow } from './read';
export { verifyWorkbook, workbookFindings, normalizeFormula, sameValue, type VerifyOptions } from './verify';
export { XLSX_MESSAGES, wbProblem, atCell, formatWorkbookProblem, type WorkbookProblem, type XlsxMessageCode } from './messages';
