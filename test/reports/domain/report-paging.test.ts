import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysIn, MAX_REPORT_DAYS } from '../../../src/modules/reports/domain/report-range.js';
import { decodeLineCursor, encodeLineCursor } from '../../../src/modules/reports/domain/transaction-line.js';

const day = fc
  .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) })
  .map((ms) => new Date(ms).toISOString().slice(0, 10));

describe('the transactions report range and cursor (R28)', () => {
  it('R28 a range counts both its ends; a leap year is the longest one report covers', () => {
    expect(daysIn({ from: '2026-01-01', to: '2026-01-01' })).toBe(1);
    expect(daysIn({ from: '2026-02-27', to: '2026-03-01' })).toBe(3);
    expect(daysIn({ from: '2028-01-01', to: '2028-12-31' })).toBe(MAX_REPORT_DAYS);
    expect(daysIn({ from: '2026-01-02', to: '2026-01-01' })).toBe(0);
  });

  it('R28 a cursor given out is read back exactly, paidAt to the microsecond', () => {
    fc.assert(
      fc.property(
        day,
        fc.bigInt({ min: -(10n ** 16n), max: 10n ** 17n - 1n }),
        fc.stringMatching(/^[A-Za-z0-9_]{1,60}$/),
        (date, micros, id) => {
          const cursor = { date, paidAtMicros: micros.toString(), id };
          expect(decodeLineCursor(encodeLineCursor(cursor))).toEqual(cursor);
        },
      ),
    );
  });

  it('R28 no cursor is the first page; a cursor this API did not give out is refused on the cursor field', () => {
    expect(decodeLineCursor(undefined)).toBeUndefined();
    expect(decodeLineCursor('')).toBeUndefined();
    const forged = (text: string) => Buffer.from(text).toString('base64url');
    for (const bad of [
      'not a cursor',
      forged('2026-02-30|1|pay_1'),
      forged('2026-01-01|1.5|pay_1'),
      forged('2026-01-01|1|pay-1'),
      forged('2026-01-01|1'),
    ])
      expect(() => decodeLineCursor(bad), bad).toThrow(
        expect.objectContaining({ code: 'validation_failed', details: expect.objectContaining({ field: 'cursor' }) }),
      );
  });
});
