/**
 * Measuring wrapped Chinese text, because no spreadsheet autofits merged wrapped cells (toolchain.md):
 * row heights are computed here from the text, the column widths and the font size.
 *
 * Units: an Excel column width w (in widths of '0' of the default Calibri 11) is 7w + 5 pixels at
 * 96 dpi. A CJK glyph is 1 em wide; Latin letters and digits about half an em (SimSun: exactly).
 */

const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u3000-\u303F\u2018-\u201D\u2026\u2014\u00B7\u25CB\u25CF\u221A\u00D7]/u;

/** Width of one character in half-ems. Narrow glyphs get a little more than 1 to stay on the safe side. */
export function charHalfEms(ch: string): number {
  if (WIDE.test(ch)) return 2;
  if (/[A-Z%@MWmw]/.test(ch)) return 1.3;
  return 1.1;
}

export function textHalfEms(s: string): number {
  let w = 0;
  for (const ch of s) w += charHalfEms(ch);
  return w;
}

/** Pixels of a column of `width` Excel units. */
export const columnPixels = (width: number): number => Math.floor(width * 7 + 5);

/** How many half-ems of a `fontPt` font fit on one line of a cell `px` pixels wide (padding removed). */
export function lineCapacity(px: number, fontPt: number): number {
  const halfEmPx = (fontPt * 96) / 72 / 2;
  // 3 px padding each side; 3% for glyph metrics differing from the ideal em grid.
  return Math.max(1, ((px - 6) / halfEmPx) * 0.97);
}

/** Lines a text takes when wrapped in a cell of `px` pixels. Latin words are kept whole where they fit. */
export function wrappedLines(text: string, px: number, fontPt: number): number {
  const cap = lineCapacity(px, fontPt);
  let lines = 0;
  for (const para of String(text).split(/\r?\n/)) {
    let line = 0;
    let n = 1;
    // Tokens: a run of Latin letters/digits (kept together), or a single other character.
    for (const tok of para.match(/[A-Za-z0-9.,%+\-/]+|[\s\S]/gu) ?? []) {
      const w = textHalfEms(tok);
      if (line + w <= cap) {
        line += w;
        continue;
      }
      if (w > cap) {
        // A token longer than a line breaks anywhere.
        const total = line + w;
        n += Math.floor(total / cap);
        line = total % cap;
        continue;
      }
      // CJK closing punctuation does not start a line (避头): it squeezes onto the current one.
      if (/^[，。、；：！？）」』”’》]$/u.test(tok) && line + w <= cap + 2) {
        line += w;
        continue;
      }
      n++;
      line = tok === ' ' ? 0 : w;
    }
    lines += n;
  }
  return Math.max(1, lines);
}

/** Row height in points for `lines` lines of a `fontPt` font, with the cell's top and bottom padding. */
export function heightFor(lines: number, fontPt: number): number {
  return Math.ceil((lines * fontPt * 1.32 + 5) * 4) / 4;
}

/** Excel's largest row height. */
export const MAX_ROW_HEIGHT = 409;
