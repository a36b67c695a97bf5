/**
 * Plain text → grids. Two shapes of extraction are read:
 *  - one cell per line, a cell's first line starting with a tab, rows separated by blank lines, merged
 *    cells showing as empty (tab-only) cells or repeated lines (the seeds 000–003);
 *  - one row per line with cells separated by `|`, merged cells left out (seed 004).
 * Table regions start at a header row (see headers.ts); text between and after tables is kept as
 * `around` lines so program-level clauses (注/说明, 满分100分折合2分…) can be read from it.
 */
import type { Grid } from '../grid';
import { isHeaderRow } from '../headers';

export interface TextTables {
  grids: Grid[];
  /** Tables printed twice (a web page and its attached copy), imported once. */
  duplicates?: number;
  /** Lines outside every table, in order, with their 1-based line numbers. */
  around: { line: number; text: string }[];
}

const isBlank = (s: string): boolean => /^[\s\u3000]*$/.test(s);

interface Cell {
  lines: string[];
  line: number;
}

/** Join a cell's lines: drop blank lines, collapse a line repeated by the extraction (merged cells). */
export function cellText(lines: readonly string[]): string {
  const kept: string[] = [];
  for (const raw of lines) {
    const l = raw.replace(/\[bookmark: [^\]]*\]/g, '').replace(/\s+$/, '').replace(/^[ \t]+/, '');
    if (isBlank(l)) continue;
    // a merged cell repeated on every row it covers (points are kept: “2分 2分” may be two criteria's)
    if (kept.includes(l) && !/^\d+(\.\d+)?\s*分?$/.test(l)) continue;
    kept.push(l);
  }
  return kept.join('\n');
}

function readTabs(lines: string[], around: TextTables['around']): Grid[] {
  // Tokenise: cells (a tab line and the untabbed lines after it) and free lines, with blank runs between.
  type Tok = AnyTok;
  const toks: Tok[] = [];
  let blank = true;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (isBlank(l) && !l.startsWith('\t')) {
      blank = true;
      continue;
    }
    if (/^ ?\t/.test(l)) {
      toks.push({ t: 'cell', cell: { lines: [l.replace(/^ ?\t/, '')], line: i + 1 }, blankBefore: blank });
    } else {
      // An untabbed line right after a cell (no blank line) continues it; after a blank line it may
      // still continue a cell: decided below, once the row width is known.
      toks.push({ t: 'free', line: i + 1, text: l, blankBefore: blank });
    }
    blank = false;
  }
  const grids: Grid[] = [];
  let i = 0;
  const freeOut = (tk: Tok): void => {
    if (tk.t === 'free') around.push({ line: tk.line, text: tk.text.trim() });
    else around.push({ line: tk.cell.line, text: cellText(tk.cell.lines) });
  };
  while (i < toks.length) {
    // Find the next header group: consecutive cells (no free line) whose texts form a header row.
    const tk = toks[i];
    if (tk.t !== 'cell') {
      freeOut(tk);
      i++;
      continue;
    }
    let j = i;
    const hdr: Cell[] = [];
    while (j < toks.length && toks[j].t === 'cell' && (j === i || !toks[j].blankBefore)) {
      hdr.push((toks[j] as { cell: Cell }).cell);
      j++;
    }
    const headerTexts = hdr.map((c) => cellText(c.lines));
    if (!isHeaderRow(headerTexts)) {
      for (let k = i; k < j; k++) freeOut(toks[k]);
      i = j;
      continue;
    }
    // Collect the table's groups until a free line after a complete row, or a different header.
    const groups: { cells: Cell[]; header: boolean }[] = [];
    let k = j;
    let cur: Cell[] | null = null;
    const flush = (): void => {
      if (cur && cur.length) groups.push({ cells: cur, header: isHeaderRow(cur.map((c) => cellText(c.lines))) });
      cur = null;
    };
    const W0 = hdr.length;
    for (; k < toks.length; k++) {
      const t = toks[k];
      if (t.t === 'cell') {
        if (t.blankBefore && startsNextTable(toks, k)) break;
        if (t.blankBefore || !cur) {
          flush();
          cur = [];
        }
        cur!.push(t.cell);
        continue;
      }
      // A free line: continuation of the current cell unless a blank line separates it and the
      // groups so far are row-complete (then the table has ended).
      if (!t.blankBefore && cur && cur.length) {
        cur[cur.length - 1].lines.push(t.text);
        continue;
      }
      const pending = cur ? (cur as Cell[]).length : 0;
      const width = Math.max(W0, modeWidth(groups.filter((g) => !g.header).map((g) => g.cells.length)));
      if (cur && pending > 0 && pending < width && !/^[\s\u3000]*(注|说明|备注|附件|附表)/.test(t.text) && !isLabelText(t.text)) {
        cur[cur.length - 1].lines.push('', t.text);
        continue;
      }
      break;
    }
    flush();
    i = k;
    const width = Math.max(W0, modeWidth(groups.filter((g) => !g.header).map((g) => g.cells.length)));
    const rows: string[][] = [headerTexts];
    const lineOf: number[] = [hdr[0].line];
    let acc: Cell[] = [];
    const emit = (cells: Cell[]): void => {
      const texts = cells.map((c) => cellText(c.lines));
      while (texts.length < width) texts.push('');
      rows.push(texts.slice(0, width));
      lineOf.push(cells[0]?.line ?? 0);
    };
    for (const g of groups) {
      if (g.header) {
        if (acc.length) emit(acc);
        acc = [];
        rows.push(g.cells.map((c) => cellText(c.lines)));
        lineOf.push(g.cells[0].line);
        continue;
      }
      if (acc.length && acc.length + g.cells.length > width) {
        emit(acc);
        acc = [];
      }
      acc.push(...g.cells);
      while (acc.length >= width) {
        emit(acc.slice(0, width));
        acc = acc.slice(width);
      }
    }
    if (acc.length) emit(acc);
    // Rows before the header that only carry a title line (附件2：, the table's title, 被考核单位：…)
    // were already sent to `around`; drop trailing rows of the same kind (they belong to the next table).
    while (rows.length > 1 && isLabelRow(rows[rows.length - 1])) {
      const r = rows.pop()!;
      const ln = lineOf.pop()!;
      const t = r.filter((x) => x).join(' ');
      if (t) around.push({ line: ln, text: t });
    }
    grids.push({ rows, lineOf });
  }
  // A header directly after the end of a table whose trailing rows were titles: those titles came
  // out after the table's own lines; keep `around` in line order.
  around.sort((a, b) => a.line - b.line);
  return grids;
}

function modeWidth(sizes: number[]): number {
  const count = new Map<number, number>();
  for (const s of sizes) if (s >= 2) count.set(s, (count.get(s) ?? 0) + 1);
  let best = 0;
  let n = 0;
  for (const [s, c] of count) if (c > n || (c === n && s > best)) [best, n] = [s, c];
  return best;
}

/** A title or a label line around a table: 附件2：, …打分表（市直）, 被考核单位：…日期：. */
export function isLabelText(t: string): boolean {
  const s = t.trim();
  return /^(附件|附表)\s*\d*\s*[：:]?$/.test(s) || /(考核单位|考核乡镇|被考核单位|考核时间|日期)\s*[：:]/.test(s) || /(细则|打分表|评分表|一览表|分值构成)(（[^）]*）)?$/.test(s);
}

/** A row that is a label or a title, not table content: every cell with text reads so. */
export function isLabelRow(r: readonly string[]): boolean {
  const filled = r.filter((x) => x.trim());
  return filled.length > 0 && filled.length <= 2 && filled.every(isLabelText);
}

type AnyTok = { t: 'cell'; cell: Cell; blankBefore: boolean } | { t: 'free'; line: number; text: string; blankBefore: boolean };

/** The group of cells starting at k (up to the next blank line or free line) and where it ends. */
function groupAt(toks: readonly AnyTok[], k: number): { texts: string[]; end: number } {
  const texts: string[] = [];
  let e = k;
  while (e < toks.length) {
    const t = toks[e];
    if (t.t !== 'cell' || (e > k && t.blankBefore)) break;
    texts.push(cellText(t.cell.lines));
    e++;
  }
  return { texts, end: e };
}

/** Labels (附件2：, a title, 被考核单位：) followed by a header row: a new table starts at k. */
function startsNextTable(toks: readonly AnyTok[], k: number): boolean {
  let g = groupAt(toks, k);
  if (!isLabelRow(g.texts)) return false;
  for (let n = 0; n < 4; n++) {
    let e = g.end;
    while (e < toks.length && toks[e].t === 'free') {
      if (!isLabelText((toks[e] as { text: string }).text) && !isBlank((toks[e] as { text: string }).text)) return false;
      e++;
    }
    if (e >= toks.length) return false;
    g = groupAt(toks, e);
    if (isHeaderRow(g.texts)) return true;
    if (!isLabelRow(g.texts)) return false;
  }
  return false;
}

// ------------------------------------------------------------------ `|` tables

function readPipes(lines: string[], around: TextTables['around'], dup: { n: number }): Grid[] {
  const grids: Grid[] = [];
  const seen = new Set<string>();
  let i = 0;
  while (i < lines.length) {
    const l = lines[i];
    const cells = splitPipe(l);
    if (!cells || !isHeaderRow(cells)) {
      if (!isBlank(l) && !/^[-|\s]+$/.test(l)) around.push({ line: i + 1, text: l.trim() });
      i++;
      continue;
    }
    const header = cells;
    const raw: { cells: string[]; line: number }[] = [];
    let k = i + 1;
    for (; k < lines.length; k++) {
      const c = splitPipe(lines[k]);
      if (!c) break;
      if (/^[-|\s]+$/.test(lines[k])) continue;
      raw.push({ cells: c, line: k + 1 });
    }
    const key = [header.join('|'), ...raw.map((r) => r.cells.join('|'))].join('\n');
    i = k;
    if (seen.has(key)) {
      dup.n++; // the same table printed twice (web page and its attached copy)
      continue;
    }
    seen.add(key);
    grids.push(alignPipeRows(header, raw));
  }
  return grids;
}

function splitPipe(l: string): string[] | null {
  if (!l.includes('|')) return null;
  const parts = l.split('|').map((s) => s.trim());
  while (parts.length && !parts[parts.length - 1]) parts.pop();
  return parts.length ? parts : null;
}

/**
 * Rows of a `|` table leave merged cells out: a row may lack its leading cells (merged with the rows
 * above) and its trailing ones. The scoring text is the anchor: it is the row's longest cell; cells
 * before it are the columns just left of the text column, cells after it the columns to its right.
 * A bare number in front is the 序号 column. A row with one cell starting 一、二、… spans the table.
 */
function alignPipeRows(header: string[], raw: { cells: string[]; line: number }[]): Grid {
  const width = Math.max(header.length, ...raw.map((r) => r.cells.length));
  const textCol = width - (header.length - headerTextIndex(header));
  const rows: string[][] = [header];
  const lineOf: number[] = [raw.length ? raw[0].line - 1 : 0];
  const banner: boolean[] = [false];
  for (const r of raw) {
    const c = r.cells;
    const out = new Array<string>(width).fill('');
    if (c.length === 1 && /^[一二三四五六七八九十]+[、.．]/.test(c[0])) {
      out[0] = c[0];
      rows.push(out);
      banner.push(true);
      lineOf.push(r.line);
      continue;
    }
    let t = 0;
    for (let x = 1; x < c.length; x++) if (c[x].length > c[t].length) t = x;
    out[textCol] = c[t];
    let before = c.slice(0, t);
    if (before.length && /^\d+$/.test(before[0])) {
      out[0] = before[0];
      before = before.slice(1);
    }
    before.forEach((v, x) => (out[textCol - before.length + x] = v));
    c.slice(t + 1).forEach((v, x) => {
      if (textCol + 1 + x < width) out[textCol + 1 + x] = v;
    });
    rows.push(out);
    banner.push(false);
    lineOf.push(r.line);
  }
  return { rows, lineOf, banner };
}

function headerTextIndex(header: string[]): number {
  const i = header.findIndex((h) => /评分|标准|扣分办法|细则|指标量化/.test(h) && !/^序号$/.test(h));
  return i >= 0 ? i : header.length - 1;
}

/** Read every table in a plain-text extraction. */
export function readTextTables(text: string): TextTables {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const around: TextTables['around'] = [];
  const tabLines = lines.filter((l) => /^ ?\t/.test(l)).length;
  const pipeLines = lines.filter((l) => l.includes(' | ') || /\|\s*$/.test(l)).length;
  const dup = { n: 0 };
  const grids = tabLines >= pipeLines ? readTabs(lines, around) : readPipes(lines, around, dup);
  return { grids, around, ...(dup.n ? { duplicates: dup.n } : {}) };
}
