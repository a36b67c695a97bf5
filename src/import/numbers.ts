/**
 * Numbers as documents write them: ASCII and full-width digits, Chinese numerals (两名, 一次, 十二条),
 * fractions (三分之一, 1/2) and percentages. `fold` maps full-width characters to ASCII one for one, so
 * positions found in the folded text are positions in the original (spans stay verbatim).
 */
const FULL_DIGITS = '０１２３４５６７８９';

/** Same length as the input: full-width digits, ％, ．, －, （）, ：, ～ become their ASCII forms. */
export function fold(s: string): string {
  let out = '';
  for (const ch of s) {
    const d = FULL_DIGITS.indexOf(ch);
    if (d >= 0) out += String(d);
    else if (ch === '％') out += '%';
    else if (ch === '．') out += '.';
    else if (ch === '－' || ch === '—' || ch === '–' || ch === '～' || ch === '~') out += '-';
    else if (ch === '（') out += '(';
    else if (ch === '）') out += ')';
    else if (ch === '\u3000') out += ' ';
    else out += ch;
  }
  return out;
}

const CN: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** A number written in Chinese numerals up to 九十九 (一, 两, 十二, 二十五), or undefined. */
export function cnNumber(s: string): number | undefined {
  if (!s) return undefined;
  if (s === '半') return 0.5;
  if (/^[零〇一二两三四五六七八九]$/.test(s)) return CN[s];
  const m = /^([一二两三四五六七八九])?十([一二三四五六七八九])?$/.exec(s);
  if (m) return (m[1] ? CN[m[1]] : 1) * 10 + (m[2] ? CN[m[2]] : 0);
  return undefined;
}

/** The pattern of one number in folded text: 0.5, 12, 两, 十二, 三分之一, 1/2. */
export const NUM = '(?:\\d+(?:\\.\\d+)?(?:/\\d+)?|[零〇一二两三四五六七八九十半]{1,3}分之[一二三四五六七八九十]|[零〇一二两三四五六七八九十半]{1,3})';

/** Value of a number matched by NUM. */
export function toNumber(s: string): number | undefined {
  const t = s.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const frac = /^(\d+)\/(\d+)$/.exec(t);
  if (frac) return Number(frac[1]) / Number(frac[2]);
  const cf = /^(.+)分之(.+)$/.exec(t);
  if (cf) {
    const d = cnNumber(cf[1]);
    const n = cnNumber(cf[2]);
    return d && n !== undefined ? n / d : undefined;
  }
  return cnNumber(t);
}
