/**
 * A table as the importer sees it: rows of cell texts, where a cell covered by a merged area is ''
 * (the text of the area sits in its top-left cell). Pasted Word/WPS tables in Excel, .docx tables
 * (gridSpan / vMerge) and .xlsx sheets (merged ranges) all come down to this shape, as do the plain
 * text extractions in which merged cells show up as blank or repeated lines.
 */
export interface Grid {
  rows: string[][];
  /** Where each row came from (1-based line in a text file, row number in a sheet), for messages. */
  lineOf?: number[];
  /** Text just before this table (its title, 附件N, 考核单位：…), as a .docx or a sheet holds it. */
  around?: string[];
  /** Rows that span the whole table (a section title such as 一、…（45分）). */
  banner?: boolean[];
  /** The worksheet's name, where the grid is an .xlsx sheet. */
  sheet?: string;
}

/** A rectangle of merged cells, 0-based and inclusive. */
export interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** Blank out every cell a merge covers except its top-left one (which keeps the text). */
export function applyMerges(rows: string[][], merges: readonly Merge[]): string[][] {
  const out = rows.map((r) => [...r]);
  for (const m of merges) {
    for (let r = m.top; r <= m.bottom; r++) {
      for (let c = m.left; c <= m.right; c++) {
        if (r === m.top && c === m.left) continue;
        if (out[r] && c < out[r].length) out[r][c] = '';
      }
    }
  }
  return out;
}
