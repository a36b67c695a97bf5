/** Cell addresses and sheet names, as Excel, WPS and LibreOffice all accept them. */

export function colLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function colNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export const addr = (row: number, col: number): string => `${colLetter(col)}${row}`;
export const absAddr = (row: number, col: number): string => `$${colLetter(col)}$${row}`;

/** `G12` → { row: 12, col: 7 }. */
export function parseAddr(a: string): { row: number; col: number } {
  const m = /^\$?([A-Za-z]+)\$?(\d+)$/.exec(a);
  if (!m) throw new Error(`not a cell address: ${a}`);
  return { row: Number(m[2]), col: colNumber(m[1]) };
}

/** A sheet name inside a formula: always quoted, quotes doubled (`'县=局'!A1`). */
export const sheetRef = (name: string): string => `'${name.replace(/'/g, "''")}'`;

/** Characters Excel forbids in sheet names, replaced by their full-width look-alikes. */
const FORBIDDEN: Record<string, string> = { '[': '［', ']': '］', ':': '：', '*': '＊', '?': '？', '/': '／', '\\': '＼' };
export const SHEET_NAME_MAX = 31;
/** Names Excel refuses or reserves. */
const RESERVED = new Set(['history']);

/**
 * A valid, unique sheet name for `wanted`: forbidden characters replaced, apostrophes (which break
 * defined names at the edges) made typographic, at most 31 characters, and a ` (2)` style suffix
 * when the name is taken (compared case-insensitively, as Excel does).
 */
export function sheetName(wanted: string, taken: Set<string>): string {
  let base = wanted.replace(/[[\]:*?/\\]/g, (c) => FORBIDDEN[c]).replace(/'/g, '’').replace(/\p{Cc}/gu, ' ').trim();
  if (!base) base = 'Sheet';
  if (RESERVED.has(base.toLowerCase())) base = `${base}_`;
  const cut = (s: string, n: number): string => {
    // Do not split a surrogate pair.
    let out = '';
    for (const ch of s) {
      if (out.length + ch.length > n) break;
      out += ch;
    }
    return out;
  };
  let name = cut(base, SHEET_NAME_MAX);
  for (let i = 2; taken.has(name.toLowerCase()); i++) {
    const suffix = `(${i})`;
    name = cut(base, SHEET_NAME_MAX - suffix.length) + suffix;
  }
  taken.add(name.toLowerCase());
  return name;
}

export function isValidSheetName(name: string): boolean {
  return name.length > 0 && name.length <= SHEET_NAME_MAX && !/[[\]:*?/\\]/.test(name) && !name.startsWith("'") && !name.endsWith("'");
}
