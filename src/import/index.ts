/**
 * The import layer's facade (评分细则导入): a 评分细则 table → a rubric in the existing format, every
 * rule read from its own words with its span and confidence, the uncertain ones flagged 需确认.
 * Pure TypeScript on the engine only: no Office, no DOM, no Node. File bytes are read by the readers
 * (readers/docx.ts, readers/xlsx.ts: JSZip + fast-xml-parser) into the same Grid shape.
 */
import type { Grid } from './grid';
import { importProblem, type ImportProblem } from './messages';
import { buildProgram, type ImportResult } from './program';
import { readTextTables } from './readers/text';

export { applyMerges, type Grid, type Merge } from './grid';
export { readRule, trailingPoints, type Reading, type RuleReading, type Confidence } from './grammar';
export { IMPORT_MESSAGES, importProblem, type ImportProblem, type ImportCode } from './messages';
export { describeRule, type CriterionReport, type ImportResult } from './program';
export { readTextTables } from './readers/text';
export { compareRubrics, type Comparison, type CriterionDiff } from './compare';

/** Largest input accepted (a rubric table is a few hundred KB at most). */
export const MAX_BYTES = 10 * 1024 * 1024;

const fail = (p: ImportProblem): ImportResult => ({ rubric: null, yaml: '', program: null, criteria: [], problems: [p] });

/** Import a plain-text extraction (one cell per line, or `|` rows). */
export function importText(text: string, source = 'imported.txt'): ImportResult {
  if (text.length > MAX_BYTES) return fail(importProblem('import.tooLarge', '', { size: mb(text.length), max: mb(MAX_BYTES) }));
  if (!text.trim()) return fail(importProblem('import.empty', ''));
  const { grids, around } = readTextTables(text);
  if (!grids.length) return fail(importProblem(/\t|\|/.test(text) ? 'import.noHeader' : 'import.noTable', ''));
  return buildProgram(grids, around, source);
}

/** Import grids (a pasted range, a .docx's or .xlsx's tables) with the text around them. */
export function importGrids(grids: Grid[], source = 'imported', around: string[] = []): ImportResult {
  const nonEmpty = grids.filter((g) => g.rows.some((r) => r.some((c) => c.trim())));
  if (!nonEmpty.length) return fail(importProblem(around.some((t) => t.trim()) ? 'import.noTable' : 'import.empty', ''));
  const withHeader = nonEmpty.map((g) => trimToHeader(g)).filter((g): g is { grid: Grid; before: string[] } => g !== null);
  if (!withHeader.length) return fail(importProblem('import.noHeader', ''));
  // Number lines so each grid's title (text before it) is found: text first, then the grid's rows.
  const lines: { line: number; text: string }[] = [];
  let n = 0;
  const out: Grid[] = [];
  around.forEach((t) => lines.push({ line: ++n, text: t }));
  for (const { grid, before } of withHeader) {
    before.forEach((t) => lines.push({ line: ++n, text: t }));
    const lineOf = grid.rows.map(() => ++n);
    out.push({ ...grid, lineOf: grid.lineOf ?? lineOf });
  }
  return buildProgram(out, lines, source);
}

import { isHeaderRow } from './headers';

/** Drop the rows above the header (a title row inside the table); they become text before it. */
function trimToHeader(g: Grid): { grid: Grid; before: string[] } | null {
  const h = g.rows.findIndex((r) => isHeaderRow(r));
  if (h < 0) return null;
  const before = g.rows.slice(0, h).map((r) => r.filter((c) => c.trim()).join(' ')).filter(Boolean);
  return {
    grid: { rows: g.rows.slice(h), ...(g.banner ? { banner: g.banner.slice(h) } : {}), ...(g.lineOf ? { lineOf: g.lineOf.slice(h) } : {}) },
    before,
  };
}

function mb(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
