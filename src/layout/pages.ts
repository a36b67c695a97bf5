/**
 * Where the printed 打分表 breaks into pages. The layout knows every row's height, so it places the
 * page breaks itself (manual row breaks) instead of leaving them to Excel, WPS or LibreOffice:
 * - a criterion's rows (得分, 备注 and 扣分依据 merged over them) are never split;
 * - among the breaks that fit, the one that splits the fewest merged document cells wins (a section
 *   boundary splits none, an indicator boundary only the section's title), the fuller page on a tie;
 * - a merged document cell that must be split anyway (a section longer than a page) is cut in two and
 *   its text repeated at the top of the next page, as a typist would;
 * - the signature block stays with the end of the table, a heading with the row under it.
 * Pure: heights in points, pages of the printable height; the same figures the row heights came from.
 */
import type { Range } from './plan';

/** A4 in points, and the page margins the unit sheets use (0.5" top and bottom). */
const A4_PT = { long: (297 / 25.4) * 72, short: (210 / 25.4) * 72 };
const MARGIN_PT = 0.5 * 72;
/** Safety for rounding in the applications (twips, pixel-snapped row heights). */
const SAFETY = 0.96;
/** A page is at least this full before a cleaner break further up is preferred to a fuller one. */
const MIN_FILL = 0.6;
const HARD = 1000;
/** Row heights the applications use when a row has none (Excel's default 15 pt). */
const DEFAULT_ROW_PT = 15;

export interface PageArgs {
  heights: readonly (number | undefined)[];
  lastRow: number;
  /** First row that may start a page after the first (the rows above belong to page 1). */
  firstBody: number;
  /** Rows repeated at the top of every page after the first (print titles). */
  repeatRows: readonly number[];
  merges: readonly Range[];
  /** Merges reaching this column or beyond are never split (得分, 备注, 扣分依据 of a criterion). */
  hardFromCol: number;
  /** Row spans [top, bottom] kept on one page (signature with the table's end, heading with its row). */
  keep: readonly [number, number][];
  orientation: 'portrait' | 'landscape';
  /** Fit-to-width scale (≤ 1): a wider table prints smaller, so more rows fit. */
  scale: number;
}

export interface Pagination {
  /** A new page starts after each of these rows. */
  breaks: number[];
  pages: number;
  /** Merged document cells cut at a break: the part below `at` repeats the text. */
  splits: { merge: Range; at: number }[];
}

/** Printable height in points of one page at the sheet's scale. */
export function pageHeightPt(orientation: 'portrait' | 'landscape', scale: number): number {
  const h = orientation === 'portrait' ? A4_PT.long : A4_PT.short;
  return ((h - 2 * MARGIN_PT) * SAFETY) / Math.min(1, Math.max(0.1, scale));
}

export function paginate(a: PageArgs): Pagination {
  const h = (r: number) => a.heights[r] ?? DEFAULT_ROW_PT;
  const page = pageHeightPt(a.orientation, a.scale);
  const repeat = a.repeatRows.reduce((s, r) => s + h(r), 0);
  // Cost of a break after row b: merges it would cut (hard ones forbid it), plus keep-together spans.
  const cost = (b: number): number => {
    let c = 0;
    for (const m of a.merges) {
      if (m.top <= b && b < m.bottom) c += m.right >= a.hardFromCol ? HARD : 1;
    }
    for (const [t, bo] of a.keep) if (t <= b && b < bo) c += HARD;
    return c;
  };
  const breaks: number[] = [];
  let start = 1;
  for (;;) {
    const avail = page - (breaks.length ? repeat : 0);
    let used = 0;
    let end = start - 1;
    while (end < a.lastRow && used + h(end + 1) <= avail) used += h(++end);
    if (end >= a.lastRow) break;
    if (end < start) end = start; // a row taller than a page gets a page of its own
    const lo = Math.max(start, a.firstBody - 1 + (breaks.length ? 0 : 1));
    let best = -1;
    let bestCost = Infinity;
    const pick = (minFill: number) => {
      let fill = 0;
      for (let r = start; r < lo; r++) fill += h(r);
      for (let b = lo; b <= end; b++) {
        fill += h(b);
        if (fill < minFill * avail) continue;
        const c = cost(b);
        if (c < bestCost || (c === bestCost && b > best)) {
          best = b;
          bestCost = c;
        }
      }
    };
    pick(MIN_FILL);
    if (bestCost >= HARD) pick(0);
    if (best < start) best = end;
    breaks.push(best);
    start = best + 1;
  }
  const splits: Pagination['splits'] = [];
  for (const m of a.merges) {
    if (m.right >= a.hardFromCol) continue;
    for (const b of breaks) if (m.top <= b && b < m.bottom) splits.push({ merge: m, at: b });
  }
  return { breaks, pages: breaks.length + 1, splits };
}

/**
 * Cuts merges at page breaks: every part of a split merge is its own merge, and the parts after the
 * first get `value(merge)` in their top-left cell. Returns the new merge list and the cells to repeat.
 */
export function splitMerges(merges: readonly Range[], splits: Pagination['splits']): { merges: Range[]; repeats: { row: number; col: number; from: Range }[] } {
  const cuts = new Map<Range, number[]>();
  for (const s of splits) cuts.set(s.merge, [...(cuts.get(s.merge) ?? []), s.at]);
  const out: Range[] = [];
  const repeats: { row: number; col: number; from: Range }[] = [];
  for (const m of merges) {
    const at = cuts.get(m);
    if (!at) {
      out.push(m);
      continue;
    }
    let top = m.top;
    for (const b of [...at].sort((x, y) => x - y)) {
      out.push({ ...m, top, bottom: b });
      top = b + 1;
      repeats.push({ row: top, col: m.left, from: m });
    }
    out.push({ ...m, top, bottom: m.bottom });
  }
  // A one-cell "merge" is no merge.
  return { merges: out.filter((r) => r.bottom > r.top || r.right > r.left), repeats };
}
