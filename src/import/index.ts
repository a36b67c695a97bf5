/**
 * The import layer's facade (评分细则导入): a 评分细则 table → a rubric in the existing format, every
 * rule read from its own words with its span and confidence, the uncertain ones flagged 需确认.
 * Pure TypeScript on the engine only: no Office, no DOM, no Node. File bytes are read by the readers
 * (readers/docx.ts, readers/xlsx.ts: JSZip + fast-xml-parser) into the same Grid shape.
 */
import type { Grid } from './grid';
import { isHeaderRow } from './headers';
import { importProblem, type ImportProblem } from './messages';
import { buildProgram, type ImportResult } from './program';
import { readTextTables } from './readers/text';
import { readDocx, readXlsx, type OoxmlTables } from './readers/ooxml';

export { applyMerges, type Grid, type Merge } from './grid';
export { readRule, trailingPoints, type Reading, type RuleReading, type Confidence } from './grammar';
export { IMPORT_MESSAGES, importProblem, type ImportProblem, type ImportCode } from './messages';
export { describeRule, reviseCriterion, type CriterionReport, type ImportResult } from './program';
export { readTextTables } from './readers/text';
export { readDocx, readXlsx, type OoxmlTables } from './readers/ooxml';
export {
  SHEET_NAME, BASE_SHEET, SHEET_COLUMNS, SHEET_HEADERS, EDITABLE, KIND_CHOICES,
  rowsFromRubric, rowsFromImport, rowsFromGrid, sheetGrid, rubricFromRows, baseCells, baseFromCells,
  type SheetRow, type SheetColumn, type SheetProblem, type SheetResult,
} from './sheet';
export { sheetWorkbook, readSheetWorkbook, cellOf, colName, KIND_LIST_FORMULA, SHEET_WIDTHS, VALIDATION_ROWS, type SheetFile } from './sheet-xlsx';
export { compareRubrics, type Comparison, type CriterionDiff } from './compare';

/** Largest input accepted (a rubric table is a few hundred KB at most). */
export const MAX_BYTES = 10 * 1024 * 1024;

const fail = (p: ImportProblem): ImportResult => ({ rubric: null, yaml: '', program: null, criteria: [], problems: [p] });

/** Import a plain-text extraction (one cell per line, or `|` rows). */
export function importText(text: string, source = 'imported.txt'): ImportResult {
  if (text.length > MAX_BYTES) return fail(importProblem('import.tooLarge', '', { size: mb(text.length), max: mb(MAX_BYTES) }));
  if (!text.trim()) return fail(importProblem('import.empty', ''));
  const { grids, around, duplicates } = readTextTables(text);
  if (!grids.length) return fail(importProblem(/\t|\|/.test(text) ? 'import.noHeader' : 'import.noTable', ''));
  const r = buildProgram(grids, around, source);
  if (duplicates) r.problems.unshift(importProblem('import.duplicateTable', ''));
  return r;
}

/**
 * Import grids (a pasted range, a .docx's or .xlsx's tables). Each grid's `around` is the text just
 * before it (its title, 附件N, 考核单位：…); `after` is the text after the last table (注/说明…).
 */
export function importGrids(grids: Grid[], source = 'imported', after: string[] = []): ImportResult {
  const nonEmpty = grids.filter((g) => g.rows.some((r) => r.some((c) => c.trim())));
  if (!nonEmpty.length) {
    const anyText = after.some((t) => t.trim()) || grids.some((g) => g.around?.some((t) => t.trim()));
    return fail(importProblem(anyText ? 'import.noTable' : 'import.empty', ''));
  }
  // A table without a header row (an annex listing the assessed units…) is text before the next table.
  const withHeader: { grid: Grid; before: string[] }[] = [];
  let pending: string[] = [];
  for (const g of nonEmpty) {
    const t = trimToHeader(g);
    if (t) {
      withHeader.push({ grid: t.grid, before: [...pending, ...t.before] });
      pending = [];
    } else pending.push(...(g.around ?? []), ...g.rows.flat());
  }
  if (!withHeader.length) return fail(importProblem('import.noHeader', ''));
  after = [...pending, ...after];
  // Number the lines so each grid's title (the text before it) is found in order.
  const lines: { line: number; text: string }[] = [];
  let n = 0;
  const out: Grid[] = [];
  const tail: string[] = [];
  for (const { grid, before } of withHeader) {
    before.forEach((t) => lines.push({ line: ++n, text: t }));
    // 注：… / 说明：… written in the first cell of rows under the table are text, not rows
    let end = grid.rows.findIndex((r, i) => i > 0 && isNoteRow(r));
    if (end < 0) end = grid.rows.length;
    const rows = grid.rows.slice(0, end);
    tail.push(...grid.rows.slice(end).map((r) => r.filter((c) => c.trim()).join(' ')));
    const lineOf = rows.map(() => ++n);
    out.push({ ...grid, rows, lineOf, ...(grid.banner ? { banner: grid.banner.slice(0, end) } : {}) });
  }
  [...tail, ...after].forEach((t) => lines.push({ line: ++n, text: t }));
  return buildProgram(out, lines, source);
}

/** Import a file by its name's extension: .txt (UTF-8 or GB18030), .docx, .xlsx. Never throws. */
export async function importFile(name: string, bytes: Uint8Array): Promise<ImportResult> {
  if (bytes.length > MAX_BYTES) return fail(importProblem('import.tooLarge', '', { size: mb(bytes.length), max: mb(MAX_BYTES) }));
  if (bytes.length === 0) return fail(importProblem('import.empty', ''));
  const ext = (/\.([A-Za-z0-9]+)$/.exec(name)?.[1] ?? '').toLowerCase();
  if (ext === 'txt' || ext === 'text' || ext === 'tsv' || ext === 'md') return importText(decodeText(bytes), name);
  if (ext !== 'docx' && ext !== 'xlsx') return fail(importProblem('import.unknownFormat', '', { name }));
  let tables: OoxmlTables;
  try {
    tables = ext === 'docx' ? await readDocx(bytes) : await readXlsx(bytes);
  } catch (e) {
    return fail(importProblem('import.unreadable', '', { format: `.${ext}`, detail: String((e as Error).message ?? e).split('\n')[0] }));
  }
  if (!tables.grids.length) return fail(importProblem(tables.after.some((t) => t.trim()) ? 'import.noTable' : 'import.empty', '', { where: name }));
  return importGrids(tables.grids, name, tables.after);
}

/** UTF-8 (with or without BOM), else GB18030 (what Chinese Windows saves as “ANSI”). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function isNoteRow(r: readonly string[]): boolean {
  const filled = r.filter((c) => c.trim());
  return filled.length === 1 && /^\s*(注|说明|备注|附件|附表)\s*[：:、]/.test(filled[0]);
}

/** Drop the rows above the header (a title row inside the table); they become text before it. */
function trimToHeader(g: Grid): { grid: Grid; before: string[] } | null {
  const h = g.rows.findIndex((r) => isHeaderRow(r));
  if (h < 0) return null;
  const before = [...(g.around ?? []), ...g.rows.slice(0, h).map((r) => r.filter((c) => c.trim()).join(' ')).filter(Boolean)];
  return {
    grid: { rows: g.rows.slice(h), ...(g.banner ? { banner: g.banner.slice(h) } : {}), ...(g.lineOf ? { lineOf: g.lineOf.slice(h) } : {}) },
    before,
  };
}

function mb(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
