/** The allocation-free helpers in decimal.ts agree with decimal.js exactly. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dec, cmp, toNum } from '../../src/engine/decimal';

const decText = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: -5, max: 25 }))
  .map(([neg, digits, places, shift]) => {
    const d = new Dec(`${neg ? '-' : ''}${digits}e-${places}`);
    return shift >= 0 ? d.times(new Dec(10).pow(shift)) : d.div(new Dec(10).pow(-shift));
  });
const anyDec = fc.oneof(decText, fc.constantFrom(new Dec(0), new Dec('-0'), new Dec(1), new Dec('0.1'), new Dec('1e12'), new Dec('-1e-30'), new Dec(2).div(3)));

describe('fast decimal helpers', () => {
  it('toNum equals toNumber', () => {
    fc.assert(fc.property(anyDec, (d) => Object.is(toNum(d), d.toNumber())), { numRuns: 5000 });
  });
  it('cmp equals Decimal.cmp', () => {
    fc.assert(fc.property(anyDec, anyDec, (a, b) => cmp(a, b) === a.cmp(b) && cmp(a, a) === 0), { numRuns: 5000 });
  });
  it('examples', () => {
    expect(toNum(new Dec('0.1'))).toBe(0.1);
    expect(Object.is(toNum(new Dec('-0')), -0)).toBe(true);
    expect(toNum(new Dec('123456789.123456'))).toBe(123456789.123456);
  });
});
