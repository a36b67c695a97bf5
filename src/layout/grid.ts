/**
 * A sheet under construction: cells by position, merges, and the row heights the wrapped text needs.
 * Shared by the unit sheets and the summary sheet.
 */
import type { CellPlan, CellStyle, Range, SheetPlan } from './plan';
import { MAX_ROW_HEIGHT, columnPixels, heightFor, wrappedLines } from './text';

export class Grid {
  readonly cells = new Map<string, CellPlan>();
  readonly merges: Range[] = [];
  /** Minimum heights per row (points). */
  readonly minHeights: number[] = [];

  constructor(readonly widths: number[], readonly styles: Record<string, CellStyle>) {}

  put(cell: CellPlan): CellPlan {
    this.cells.set(`${cell.row}:${cell.col}`, cell);
    return cell;
  }

  get(row: number, col: number): CellPlan | undefined {
    return this.cells.get(`${row}:${col}`);
  }

  /** Writes `cell` at the top-left of `r` and bordered blanks over the rest, and records the merge. */
  putMerged(r: Range, cell: Omit<CellPlan, 'row' | 'col'>): CellPlan {
    const top = this.put({ ...cell, row: r.top, col: r.left });
    for (let row = r.top; row <= r.bottom; row++) {
      for (let col = r.left; col <= r.right; col++) {
        if (row !== r.top || col !== r.left) this.put({ row, col, style: cell.style });
      }
    }
    if (r.bottom > r.top || r.right > r.left) this.merges.push(r);
    return top;
  }

  minHeight(row: number, pt: number): void {
    this.minHeights[row] = Math.max(this.minHeights[row] ?? 0, pt);
  }

  /** Row heights from the wrapped text of every cell; a merged cell's need is spread over its rows. */
  rowHeights(lastRow: number, minBody: number, firstBody: number): (number | undefined)[] {
    const h: number[] = [];
    for (let r = 1; r <= lastRow; r++) h[r] = Math.max(this.minHeights[r] ?? 0, r >= firstBody ? minBody : 0);
    const mergeAt = new Map<string, Range>(this.merges.map((m) => [`${m.top}:${m.left}`, m]));
    const needs: { r: Range; pt: number }[] = [];
    for (const c of this.cells.values()) {
      if (c.value === undefined || c.value === null || c.value === '') continue;
      const st = this.styles[c.style];
      const r = mergeAt.get(`${c.row}:${c.col}`) ?? { top: c.row, left: c.col, bottom: c.row, right: c.col };
      let px = 0;
      for (let col = r.left; col <= r.right; col++) px += columnPixels(this.widths[col - 1] ?? 10);
      const lines = st.align.wrap ? wrappedLines(String(c.value), px, st.font.size) : 1;
      needs.push({ r, pt: heightFor(lines, st.font.size) });
    }
    // Single-row needs first, then merges from the shortest span up.
    needs.sort((a, b) => a.r.bottom - a.r.top - (b.r.bottom - b.r.top));
    for (const { r, pt } of needs) {
      const rows = r.bottom - r.top + 1;
      let have = 0;
      for (let row = r.top; row <= r.bottom; row++) have += h[row];
      if (have < pt) {
        const add = (pt - have) / rows;
        for (let row = r.top; row <= r.bottom; row++) h[row] += add;
      }
    }
    return h.map((x) => (x ? Math.min(MAX_ROW_HEIGHT, Math.ceil(x * 4) / 4) : undefined));
  }

  toSheet(base: Omit<SheetPlan, 'cells' | 'merges'>): SheetPlan {
    const cells = [...this.cells.values()].sort((a, b) => a.row - b.row || a.col - b.col);
    return { ...base, cells, merges: this.merges };
  }
}
