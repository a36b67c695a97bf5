/**
 * The printed form's small rules: the page footer of each sheet, and titles that wrap evenly.
 *
 * The footer prints the sheet's own page count as a figure (`第 &P 页，共 3 页`): `&N` counts the pages
 * of the whole print job (LibreOffice counts the whole document even for one sheet, Excel the whole
 * workbook when it is printed at once), while the layout knows each sheet's pages because it places
 * every page break itself (pages.ts). Page numbers restart at 1 on every sheet (firstPageNumber).
 */
import { PAGE_PX } from './columns';
import { paginate, type Pagination } from './pages';
import type { Range } from './plan';
import { lineCapacity, textHalfEms } from './text';

export const pageFooter = (pages: number): string => `&C第 &P 页，共 ${pages} 页`;

/** Characters that do not start a line (避头) and that do not end one (避尾). */
const NO_START = /[，。、；：！？）」』”’》〕】%]/u;
const NO_END = /[（「『“‘《〔【]/u;

/**
 * A title that wraps in a cell `px` pixels wide at `pt` points, with its lines of even length: a line
 * break where the wrap would leave a short last line (`…汇总` / `表`). Unchanged when it fits one line.
 */
export function balancedTitle(text: string, px: number, pt: number): string {
  if (text.includes('\n')) return text;
  const cap = lineCapacity(px, pt);
  const total = textHalfEms(text);
  if (total <= cap) return text;
  const lines = Math.ceil(total / cap);
  const chars = [...text];
  const out: string[] = [];
  let line = '';
  let width = 0;
  let target = total / lines;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const w = textHalfEms(ch);
    const next = chars[i + 1];
    line += ch;
    width += w;
    // Break once the line reaches its share, where the break is allowed by the punctuation rules.
    if (out.length < lines - 1 && width >= target - 0.5 && next !== undefined && !NO_START.test(next) && !NO_END.test(ch) && width <= cap) {
      out.push(line);
      line = '';
      width = 0;
      target = (total - textHalfEms(out.join(''))) / (lines - out.length);
    }
  }
  out.push(line);
  return out.join('\n');
}

/** The 汇总's pages: one row per unit, header row 3 repeated; orientation as the summary chooses it. */
export function summaryPages(heights: readonly (number | undefined)[], lastRow: number, merges: readonly Range[], totalPx: number): Pagination {
  const orientation = totalPx <= PAGE_PX.portrait * 1.12 ? 'portrait' : 'landscape';
  return paginate({
    heights, lastRow, firstBody: 4, repeatRows: [3], merges, hardFromCol: 1, keep: [], orientation,
    scale: Math.min(1, PAGE_PX[orientation] / totalPx),
  });
}
