/**
 * The layout's own page breaks (layout/pages.ts), on every bundled rubric: no page is taller than the
 * printable height, no criterion (得分 / 备注 / 扣分依据 merged over its rows) is split, an indicator cut
 * by a break repeats its text below it, the signature block never starts a page, and titles wrap evenly.
 */
import { describe, expect, it } from 'vitest';
import { SIGNATURE_LINES, addr, balancedTitle, columnPixels, pageHeightPt, planWorkbook, wrappedLines } from '../../src/layout';
import { rubricCases, unitsFor } from './helpers';

describe.each(rubricCases().map((c) => [c.name, c.program] as const))('%s', (_name, program) => {
  const plan = planWorkbook(program, unitsFor(program).slice(0, 6), { date: '2019-01-15' });

  it('breaks pages where they fit, never inside a criterion, and repeats a split indicator’s text', () => {
    for (const s of plan.sheets.filter((x) => x.print)) {
      const p = s.print!;
      const breaks = p.rowBreaks ?? [];
      expect(p.pages).toBe(breaks.length + 1);
      expect(p.footer).toBe(`&C第 &P 页，共 ${p.pages} 页`);
      expect(p.firstPageNumber).toBe(1);
      const last = Number(/\$(\d+)$/.exec(p.printArea)![1]);
      const px = s.columns.filter((c) => !c.hidden).reduce((a, c) => a + columnPixels(c.width), 0);
      const pageTall = pageHeightPt(p.orientation, Math.min(1, ({ portrait: 718, landscape: 1045 })[p.orientation] / px));
      const h = (r: number) => s.rowHeights[r] ?? 15;
      const starts = [1, ...breaks.map((b) => b + 1)];
      starts.forEach((top, i) => {
        const bottom = i + 1 < starts.length ? starts[i + 1] - 1 : last;
        let tall = i > 0 ? h(3) : 0;
        for (let r = top; r <= bottom; r++) tall += h(r);
        expect(tall, `${s.name} page ${i + 1}`).toBeLessThanOrEqual(pageTall + 0.01);
      });
      const meta = plan.meta.sheets.find((m) => m.name === s.name);
      if (!meta) continue;
      const scoreCol = Number(meta.cells[0].address.replace(/\d+$/, '').charCodeAt(0) - 64);
      for (const b of breaks) {
        for (const m of s.merges) if (m.right >= scoreCol - 2) expect(m.top <= b && b < m.bottom, `${s.name}: break after ${b} splits ${addr(m.top, m.left)}`).toBe(false);
        // Every merge crossing the break was cut, and no part below a break is left blank under a titled part.
        for (const m of s.merges) expect(m.top <= b && b < m.bottom, `${s.name}: merge ${addr(m.top, m.left)} spans break ${b}`).toBe(false);
        const v = (r: number, c: number) => s.cells.find((x) => x.row === r && x.col === c)?.value ?? null;
        for (const m of s.merges.filter((x) => x.top === b + 1 && x.bottom > x.top)) {
          const above = s.merges.find((x) => x.left === m.left && x.right === m.right && x.bottom === b && x.bottom > x.top);
          if (above && v(above.top, above.left) !== null) expect(v(m.top, m.left), `${s.name}!${addr(m.top, m.left)}`).not.toBeNull();
        }
      }
      // The signature block: last rows of the print area, on the table's last page, never alone.
      const sig = s.cells.filter((c) => c.style === 'signature' && c.value);
      expect(sig.map((c) => c.value)).toEqual(SIGNATURE_LINES);
      const tableEnd = sig[0].row - 2;
      expect(breaks.every((b) => b < tableEnd)).toBe(true);
    }
  });
});

describe('titles wrap evenly', () => {
  it('never leaves one character alone on the last line', () => {
    const title = '2018年度“一网通办”前提下“最多跑一次”改革工作考核实施方案汇总表';
    for (const px of [500, 560, 640, 700, 800, 900]) {
      const t = balancedTitle(title, px, 16);
      expect(t.replace(/\n/g, '')).toBe(title);
      const lines = t.split('\n');
      expect(lines.length).toBe(wrappedLines(title, px, 16));
      for (const l of lines) expect([...l].length, `${px}px: ${JSON.stringify(lines)}`).toBeGreaterThan(3);
      for (const l of lines) expect(wrappedLines(l, px, 16), `${px}px "${l}" fits its line`).toBe(1);
    }
    expect(balancedTitle('短标题', 500, 16)).toBe('短标题');
  });
});
