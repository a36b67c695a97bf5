// A1 addresses, as Office.js reports them ("'县安监局'!B7:C9", "Sheet1!A1"): parsing, intersection and
// building. Plain functions, no Office objects, so the change handler can decide cheaply (without a
// round trip) whether an edit touched an input cell.

export interface Cell {
  row: number; // 0-based
  col: number; // 0-based
}

export interface Rect {
  top: number;
  left: number;
  bottom: number; // inclusive
  right: number; // inclusive
}

export function colName(col: number): string {
  let s = '';
  let n = col + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function colIndex(name: string): number {
  let n = 0;
  for (const ch of name.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function cellAddress(row: number, col: number): string {
  return `${colName(col)}${row + 1}`;
}

export function rectAddress(r: Rect): string {
  const a = cellAddress(r.top, r.left);
  return r.top === r.bottom && r.left === r.right ? a : `${a}:${cellAddress(r.bottom, r.right)}`;
}

/** Splits "'My sheet'!A1:B2" into the sheet name (quotes undone) and the local part. */
export function splitSheet(address: string): { sheet: string | null; local: string } {
  const i = address.lastIndexOf('!');
  if (i < 0) return { sheet: null, local: address };
  let sheet = address.slice(0, i);
  if (sheet.startsWith("'") && sheet.endsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
  return { sheet, local: address.slice(i + 1) };
}

const CELL_RE = /^\$?([A-Za-z]{1,3})\$?(\d+)$/;
const COL_RE = /^\$?([A-Za-z]{1,3})$/;
const ROW_RE = /^\$?(\d+)$/;
const MAX_ROW = 1048575;
const MAX_COL = 16383;

/** Parses "B7", "B7:C9", "B:B", "7:7" (no sheet part) into a rectangle; null when it is not one. */
export function parseRect(local: string): Rect | null {
  const [a, b = a] = local.split(':');
  const ca = CELL_RE.exec(a);
  const cb = CELL_RE.exec(b);
  if (ca && cb) {
    const r1 = Number(ca[2]) - 1;
    const r2 = Number(cb[2]) - 1;
    const c1 = colIndex(ca[1]);
    const c2 = colIndex(cb[1]);
    return { top: Math.min(r1, r2), bottom: Math.max(r1, r2), left: Math.min(c1, c2), right: Math.max(c1, c2) };
  }
  const xa = COL_RE.exec(a);
  const xb = COL_RE.exec(b);
  if (xa && xb) {
    const c1 = colIndex(xa[1]);
    const c2 = colIndex(xb[1]);
    return { top: 0, bottom: MAX_ROW, left: Math.min(c1, c2), right: Math.max(c1, c2) };
  }
  const ya = ROW_RE.exec(a);
  const yb = ROW_RE.exec(b);
  if (ya && yb) {
    const r1 = Number(ya[1]) - 1;
    const r2 = Number(yb[1]) - 1;
    return { top: Math.min(r1, r2), bottom: Math.max(r1, r2), left: 0, right: MAX_COL };
  }
  return null;
}

/** Parses a possibly multi-area address ("A1:B2, D4") into rectangles, ignoring the sheet part. */
export function parseAreas(address: string): Rect[] {
  return address
    .split(/\s*,\s*/)
    .map((part) => parseRect(splitSheet(part).local))
    .filter((r): r is Rect => r !== null);
}

export function contains(r: Rect, row: number, col: number): boolean {
  return row >= r.top && row <= r.bottom && col >= r.left && col <= r.right;
}

export function parseCell(local: string): Cell | null {
  const r = parseRect(splitSheet(local).local);
  return r && r.top === r.bottom && r.left === r.right ? { row: r.top, col: r.left } : null;
}

/** The smallest rectangle holding every cell. */
export function boundingRect(cells: readonly Cell[]): Rect | null {
  if (cells.length === 0) return null;
  let top = Infinity;
  let left = Infinity;
  let bottom = -Infinity;
  let right = -Infinity;
  for (const c of cells) {
    top = Math.min(top, c.row);
    left = Math.min(left, c.col);
    bottom = Math.max(bottom, c.row);
    right = Math.max(right, c.col);
  }
  return { top, left, bottom, right };
}

/** Quotes a sheet name for a formula or an address when it needs it. */
export function quoteSheet(name: string): string {
  return /^[A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff.]*$/u.test(name) && !/^[A-Za-z]{1,3}\d+$/.test(name)
    ? name
    : `'${name.replace(/'/g, "''")}'`;
}
