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
