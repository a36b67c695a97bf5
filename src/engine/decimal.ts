/**
 * Exact decimal arithmetic for every score. Clerks' figures are short decimals (0.5, 0.1, 85%),
 * so a base-10 decimal with 40 significant digits keeps 0.1 + 0.2 === 0.3 and makes divisions
 * (按比例记分) exact to far beyond any displayed precision. Rounding happens only where a rubric
 * says so, or when a figure is displayed (ROUND_HALF_UP, the rule clerks and Excel's ROUND use).
 */
import DecimalBase from 'decimal.js';

export const Dec = DecimalBase.clone({ precision: 40, rounding: DecimalBase.ROUND_HALF_UP });
export type Dec = InstanceType<typeof Dec>;

export const ZERO = new Dec(0);
export const ONE = new Dec(1);

export function dec(v: number | string | Dec): Dec {
  return v instanceof Dec ? v : new Dec(v);
}

/** Displays a figure the way a clerk writes it: at most `places` decimals, no trailing zeros. */
export function fmt(v: Dec | number, places = 2): string {
  const d = dec(v).toDecimalPlaces(places, Dec.ROUND_HALF_UP);
  return d.isZero() ? '0' : d.toFixed();
}

export function decMin(...xs: Dec[]): Dec {
  return xs.reduce((a, b) => (b.lt(a) ? b : a));
}

export function decMax(...xs: Dec[]): Dec {
  return xs.reduce((a, b) => (b.gt(a) ? b : a));
}

/** Clamps to [lo, hi] and reports which bound applied. */
export function clamp(v: Dec, lo: Dec | null, hi: Dec | null): { value: Dec; applied: 'floor' | 'cap' | null } {
  if (hi !== null && v.gt(hi)) return { value: hi, applied: 'cap' };
  if (lo !== null && v.lt(lo)) return { value: lo, applied: 'floor' };
  return { value: v, applied: null };
}

/**
 * x.cmp(y) without the copy of y that decimal.js makes on every comparison: compares sign, exponent
 * and the stored base-1e7 words directly (finite figures; NaN and infinities go through x.cmp(y)).
 * test/engine/decimal-fast.test.ts checks it against decimal.js on thousands of pairs.
 */
export function cmp(x: Dec, y: Dec): number {
  const a = x.d, b = y.d;
  if (!a || !b) return x.cmp(y); // NaN or ±Infinity: let decimal.js decide
  const aZero = a[0] === 0, bZero = b[0] === 0;
  if (aZero || bZero) return aZero && bZero ? 0 : aZero ? -y.s : x.s;
  if (x.s !== y.s) return x.s; // opposite signs: the positive one is larger
  // Same sign: compare magnitudes (exponent, then base-1e7 words), and flip the answer for negatives.
  let m = 0;
  if (x.e !== y.e) m = x.e > y.e ? 1 : -1;
  else {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n && m === 0; i++) if (a[i] !== b[i]) m = a[i] > b[i] ? 1 : -1;
    // Trailing zero words are never stored, so with an equal prefix the longer one is larger.
    if (m === 0 && a.length !== b.length) m = a.length > b.length ? 1 : -1;
  }
  return x.s < 0 ? -m : m;
}

/**
 * Dec → number, exactly as toNumber(): a figure of at most 14 digits whose scale is within 10^±22 is
 * an integer N times or divided by an exact power of ten, one correctly rounded operation — the same
 * double the decimal string parses to. Anything else goes through toNumber().
 */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
export function toNum(d: Dec): number {
  const w = d.d;
  if (w && w.length <= 2) {
    const w0 = w[0];
    if (w0 === 0) return d.s < 0 ? -0 : 0;
    let len0 = 1;
    while (len0 < 7 && w0 >= POW10[len0]) len0++;
    let N = w0, digits = len0;
    if (w.length === 2) { N = w0 * 1e7 + w[1]; digits += 7; }
    const p = d.e - digits + 1;
    let v: number;
    if (p >= 0) {
      if (p > 22) return d.toNumber();
      v = N * POW10[p];
      if (v > 9007199254740991) return d.toNumber();
    } else {
      if (p < -22) return d.toNumber();
      v = N / POW10[-p];
    }
    return d.s < 0 ? -v : v;
  }
  return d.toNumber();
}
