/**
 * WorkbookPlan: the 打分表 workbook as plain data — sheets, cells (value or formula with the engine's
 * cached value), styles by id, merges, row heights, column widths, validations, protection, print
 * setup and metadata. Pure: built in layout/, applied by xlsx/ (ExcelJS) or excel/ (Office.js), so
 * the CLI, the download page and the add-in produce the same sheets.
 */
import type { AssessmentPolicy, HandId } from '../engine';

/** 1-based row and column. */
export interface Range {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export type HAlign = 'left' | 'center' | 'right';
export type VAlign = 'top' | 'middle' | 'bottom';

export interface CellStyle {
  font: { name: string; size: number; bold?: boolean; color?: string };
  align: { h: HAlign; v: VAlign; wrap: boolean; indent?: number };
  /** Thin border on all four sides. */
  border: boolean;
  /** Fill colour, RRGGBB. */
  fill?: string;
  /** Number format code; absent = General. */
  numFmt?: string;
  /** false for the cells a clerk fills (all others stay locked under sheet protection). */
  locked: boolean;
}

/** A cell: text or number (`value`), or a formula with the value the engine computed (`cached`). */
export interface CellPlan {
  row: number;
  col: number;
  style: string;
  /** Literal value. Strings are always written as text, even `=…`, `+…`, `-…`, `@…`. */
  value?: string | number | null;
  /** Formula without the leading `=`, only ever printed by the engine (toFormula/condFormula). */
  formula?: string;
  /** The engine's value of the formula, so viewers that do not recalculate show the right figure. */
  cached?: number | string;
  /** Input key this cell holds (an input cell), for validation and the cell map. */
  input?: string;
  /** Computed cell id (node id, `$final`, `$veto`, summary column…). */
  computed?: string;
  /** Criterion id whose 扣分依据/说明 this cell holds: the clerk's own words, unlocked, never written by Dafen. */
  remark?: string;
}

export interface Validation {
  type: 'list' | 'decimal' | 'whole' | 'custom';
  operator?: 'between' | 'greaterThanOrEqual' | 'lessThanOrEqual';
  /** Formulas without `=`; for lists a quoted comma list such as `"是,否"`. */
  formulae: string[];
  allowBlank: true;
  promptTitle: string;
  prompt: string;
  errorTitle: string;
  error: string;
  /**
   * The input message every input of the same rule shares (no label, no points): what the sheet holds
   * instead of the input's own message when it has more validations than LibreOffice opens in time
   * (validation.ts: shareValidationPrompts).
   */
  shared?: { promptTitle: string; prompt: string };
}

export interface PrintSetup {
  paperSize: 9;
  orientation: 'portrait' | 'landscape';
  fitToWidth: 1;
  fitToHeight: 0;
  /** `A$1:I$40` form (toolchain.md: `$A1:$I40` is ignored by LibreOffice). */
  printArea: string;
  /** Rows repeated on every page, `3:3`. */
  printTitlesRow?: string;
  margins: { left: number; right: number; top: number; bottom: number; header: number; footer: number };
  horizontalCentered: boolean;
  footer?: string;
  /** Manual page breaks: a new page starts after each of these rows (layout/pages.ts). */
  rowBreaks?: number[];
  /** Page numbers start at this number on this sheet (每个单位的打分表从第 1 页起算). */
  firstPageNumber?: number;
  /** The page count the layout expects at these row heights (what the footer's 共 n 页 prints). */
  pages?: number;
}

export interface ConditionalDataBar {
  type: 'dataBar';
  ref: string;
  color: string;
}

export interface SheetPlan {
  name: string;
  kind: 'unit' | 'summary' | 'meta';
  state: 'visible' | 'hidden' | 'veryHidden';
  /** Excel width units, one per column from A; `hidden` for the marker column. */
  columns: { width: number; hidden?: boolean }[];
  /** Row heights in points, by 1-based row (index 0 unused); undefined = default. */
  rowHeights: (number | undefined)[];
  cells: CellPlan[];
  merges: Range[];
  validations: { address: string; rule: Validation }[];
  /** Sheet protection without a password: locked cells cannot be overwritten by accident. */
  protection: { selectLockedCells: true; selectUnlockedCells: true; formatColumns: boolean; formatRows: boolean; autoFilter: boolean; formatCells?: boolean } | null;
  print: PrintSetup | null;
  freeze?: { rows: number; cols: number };
  autoFilter?: string;
  conditional: ConditionalDataBar[];
  tabColor?: string;
}

/** Where every input and score of one unit sheet sits. */
export interface SheetMeta {
  /** Index in meta.sheets; also written as `sheet:<index>` in the marker column's first row. */
  index: number;
  name: string;
  unit: string;
  variant: string;
  /** The unit's tags where it has any (R21): a reader scores it with the same applicability. */
  tags?: string[];
  /** Column letter of the hidden marker column (`in:<key>` / `out:<id>` per row). */
  markerCol: string;
  inputs: { key: string; criterionId: string; address: string; label: string }[];
  /**
   * Computed cells: node ids (criteria, subtotals) and totals (`$base`, `$final`, `$veto`…); the status cells
   * `$status` (完成 / 未完成 n 项 / 有 n 处错误), `$errors` and `$missing` (the counts it shows), kind `status`.
   */
  cells: { id: string; address: string; kind: 'criterion' | 'subtotal' | 'total' | 'veto' | 'status' }[];
  /**
   * 扣分依据/说明 cells, by criterion id (`$veto` for the 一票否决 block): what the assessor wrote, read
   * back and carried like an input. Absent in workbooks made before the column existed.
   */
  remarks?: { id: string; address: string }[];
  /** Row of this unit on the summary sheet. */
  summaryRow: number;
  /**
   * A multi-hand sheet (WorkbookMeta.hands other than ['assessor']): every hand's input cells and computed
   * cells, by hand. `inputs`/`cells` above stay the first scoring hand's (assessor or rater1) and the unit's
   * own points (考核得分: the assessor's, or the raters' aggregate).
   */
  hands?: { hand: HandId; inputs: { key: string; address: string }[]; cells: { id: string; address: string }[] }[];
}

export type SummaryColumn = 'no' | 'unit' | 'variant' | 'base' | 'bonus' | 'penalty' | 'final' | 'converted' | 'rank' | 'grade' | 'veto' | 'status';

export interface WorkbookMeta {
  format: 'dafen-workbook';
  formatVersion: 1;
  program: { id: string; version: string; title: string };
  /** sha256 of the rubric's canonical JSON (layout/hash.ts). */
  contentHash: string;
  /**
   * The rubric itself, as that canonical JSON: a workbook made from a rubric file the clerk loaded can be
   * re-scored on another machine, or after the file went through WPS, without that file.
   */
  rubric?: string;
  generator: string;
  options: { date?: string; sort: SortOrder; rankIncomplete?: boolean };
  summary: {
    sheet: string;
    firstRow: number;
    lastRow: number;
    /** Column letter per summary column. */
    cols: Partial<Record<SummaryColumn, string>>;
    /** Column letter of each rank (R13) figure column, by input key. */
    rankCols: Record<string, string>;
    /** A multi-hand workbook: each hand's 总分 column and its own rank figure columns (the first scoring hand's are `rankCols`). */
    hands?: { hand: HandId; final: string; rankCols: Record<string, string> }[];
  };
  sheets: SheetMeta[];
  /** Who enters values, in column order; absent = ['assessor'] (one input column). */
  hands?: HandId[];
  /** The assessment policy the workbook was made with (self-assessment, raters), where not the default. */
  assessment?: AssessmentPolicy;
  /** A random id given to every workbook at make time, kept by update: pieces sent out name their master by it. */
  workbookId?: string;
  /**
   * The 本表设定 sheet (layout/settings.ts): where each setting's 设定值 cell is, by setting key. Absent when the
   * rubric sets nothing, and in workbooks made before the sheet existed (they score with the rubric's values).
   */
  settings?: { sheet: string; cells: { key: string; address: string; label: string }[] };
  /**
   * Set on a piece sent out by `dafen split` / 分发 (src/collect): which master it came from (its
   * workbookId), whose entries it holds, for which units, and a digest over these and the content hash,
   * which the merge checks. Absent on a master.
   */
  piece?: PieceIdentity;
}

/** A piece's identity (src/collect/identity.ts makes and checks it). */
export interface PieceIdentity {
  master: string;
  hand: HandId;
  units: string[];
  /** ISO date-time it was sent out. */
  issued: string;
  /** Random id of this piece. */
  id: string;
  /** sha256 of the canonical JSON of the fields above and the piece's content hash. */
  digest: string;
}

export type SortOrder = 'document' | 'variant' | 'name';

export interface WorkbookPlan {
  sheets: SheetPlan[];
  styles: Record<string, CellStyle>;
  definedNames: { name: string; range: string }[];
  properties: { title: string; subject: string; creator: string; keywords: string };
  meta: WorkbookMeta;
}
