/** Column widths that fit A4, and the orientation that fits the rubric's columns best. */
import type { Variant } from '../engine';
import { columnPixels } from './text';

/** Preferred widths (Excel units) per column source; `flex` columns absorb what is left of the page. */
const PREFERRED: Record<string, { width: number; flex: boolean }> = {
  level1: { width: 12, flex: true },
  level2: { width: 14, flex: true },
  level3: { width: 14, flex: true },
  level4: { width: 14, flex: true },
  points1: { width: 6, flex: false },
  points2: { width: 6, flex: false },
  points3: { width: 6, flex: false },
  points: { width: 6, flex: false },
  method: { width: 8, flex: false },
  content: { width: 18, flex: true },
  text: { width: 36, flex: true },
  target: { width: 11, flex: true },
  index: { width: 5, flex: false },
  inLabel: { width: 13, flex: true },
  inValue: { width: 9, flex: false },
  score: { width: 8, flex: false },
  /** A hand's entry and its 得分 on a multi-hand sheet (自评, 考核, 评委n), and the 分差 flag. */
  handValue: { width: 7, flex: false },
  handScore: { width: 7, flex: false },
  flag: { width: 7, flex: false },
  note: { width: 16, flex: true },
  /** 扣分依据/说明: the assessor's own words (an input, beside 备注). */
  reason: { width: 12, flex: true },
};

/** Printable width in pixels of an A4 page with 0.4" side margins. */
export const PAGE_PX = { portrait: Math.floor(((210 - 2 * 10.16) / 25.4) * 96), landscape: Math.floor(((297 - 2 * 10.16) / 25.4) * 96) };

export interface Fitted {
  widths: number[];
  orientation: 'portrait' | 'landscape';
}

/** `slots` are column sources (plus inLabel/inValue/score/note); `hints` are the rubric's width hints. */
export function fitColumns(slots: string[], hints: (number | undefined)[], orientation?: 'portrait' | 'landscape'): Fitted {
  const pref = slots.map((s, i) => ({ width: hints[i] ?? PREFERRED[s]?.width ?? 10, flex: PREFERRED[s]?.flex ?? true }));
  const px = (ws: number[]) => ws.reduce((a, w) => a + columnPixels(w), 0);
  const wanted = px(pref.map((p) => p.width));
  const o = orientation ?? (wanted <= PAGE_PX.portrait * 1.12 ? 'portrait' : 'landscape');
  const target = PAGE_PX[o];
  const fixedPx = px(pref.filter((p) => !p.flex).map((p) => p.width));
  const flex = pref.filter((p) => p.flex);
  const flexWanted = flex.reduce((a, p) => a + p.width, 0);
  // Flexible columns share what the fixed ones leave, in proportion to their preferred widths.
  const room = (target - fixedPx - flex.length * 5) / 7;
  const scale = flexWanted > 0 ? Math.max(0.45, room / flexWanted) : 1;
  const widths = pref.map((p) => Math.round((p.flex ? Math.max(4, p.width * scale) : p.width) * 4) / 4);
  return { widths, orientation: o };
}

export const slotsOf = (variant: Variant): string[] => [...variant.columns.map((c) => c.source), 'inLabel', 'inValue', 'score', 'note', 'reason'];

/** The header of the assessor's reason column (扣分依据/说明), right of 备注. */
export const REASON_HEADER = '扣分依据/说明';
