// The LibreOffice suites' comparison of a recalculated figure with the engine's: a number (an empty cell reads
// as 0, which ExcelJS drops as null), equal within a relative 1e-9, counted so a test can assert how many it checked.
import { expect } from 'vitest';

export const TOL = 1e-9;

export function engineCheck(): { close(actual: unknown, expected: number, what: string): void; readonly checked: number } {
  let checked = 0;
  return {
    close(actual, expected, what) {
      const a = actual === null || actual === undefined ? 0 : actual;
      expect(typeof a, what).toBe('number');
      expect(Math.abs((a as number) - expected), `${what}: LibreOffice ${String(actual)} vs engine ${expected}`).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(expected)));
      checked++;
    },
    get checked() {
      return checked;
    },
  };
}
