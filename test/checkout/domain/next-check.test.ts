import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextCheckAt } from '../../../src/modules/checkout/reconciliation.service.js';

const MINUTE = 60_000;
const NOW = new Date('2031-03-14T09:30:00Z');
const at = (msFromNow: number) => new Date(NOW.getTime() + msFromNow);

/** An attempt asked about `checks` times, expiring `expiresIn` ms from NOW (negative: in the past). */
const attempt = fc.record({
  checks: fc.integer({ min: 0, max: 60 }),
  expiresIn: fc.integer({ min: -48 * 60 * MINUTE, max: 48 * 60 * MINUTE }),
});

describe('nextCheckAt: when the reconciliation job asks the provider again (R20)', () => {
  it('R20 while the client can still pay, the next look is within 5 minutes, however often it was asked', () => {
    expect(nextCheckAt({ checks: 0, expires_at: at(60 * MINUTE) }, NOW)).toEqual(at(MINUTE));
    expect(nextCheckAt({ checks: 2, expires_at: at(60 * MINUTE) }, NOW)).toEqual(at(4 * MINUTE));
    expect(nextCheckAt({ checks: 3, expires_at: at(60 * MINUTE) }, NOW)).toEqual(at(5 * MINUTE));
    expect(nextCheckAt({ checks: 20, expires_at: at(60 * MINUTE) }, NOW)).toEqual(at(5 * MINUTE));
  });

  it('R11 R20 the last look comes one minute after the expiry, never skipped by the back-off', () => {
    expect(nextCheckAt({ checks: 5, expires_at: at(2 * MINUTE) }, NOW)).toEqual(at(3 * MINUTE));
    expect(nextCheckAt({ checks: 5, expires_at: at(-30_000) }, NOW)).toEqual(at(30_000));
  });

  it('R20 after that last look it backs off: 1, 2, 4 … minutes, at most hourly', () => {
    const expired = at(-2 * MINUTE);
    const delays = [0, 1, 2, 3, 5, 6, 7, 30].map(
      (checks) => (nextCheckAt({ checks, expires_at: expired }, NOW).getTime() - NOW.getTime()) / MINUTE,
    );
    expect(delays).toEqual([1, 2, 4, 8, 32, 60, 60, 60]);
  });

  it('R20 the next look is always later than now and at most an hour away', () => {
    fc.assert(
      fc.property(attempt, ({ checks, expiresIn }) => {
        const next = nextCheckAt({ checks, expires_at: at(expiresIn) }, NOW).getTime();
        expect(next).toBeGreaterThan(NOW.getTime());
        expect(next - NOW.getTime()).toBeLessThanOrEqual(60 * MINUTE);
      }),
    );
  });

  it('R11 R20 before the last look is due, the next look is no later than it nor 5 minutes away', () => {
    fc.assert(
      fc.property(attempt, ({ checks, expiresIn }) => {
        const lastLook = NOW.getTime() + expiresIn + MINUTE;
        fc.pre(NOW.getTime() < lastLook);
        const next = nextCheckAt({ checks, expires_at: at(expiresIn) }, NOW).getTime();
        expect(next).toBeLessThanOrEqual(lastLook);
        expect(next - NOW.getTime()).toBeLessThanOrEqual(5 * MINUTE);
      }),
    );
  });

  it('R20 one more check never brings the next look closer', () => {
    fc.assert(
      fc.property(attempt, ({ checks, expiresIn }) => {
        const expires_at = at(expiresIn);
        expect(nextCheckAt({ checks: checks + 1, expires_at }, NOW).getTime()).toBeGreaterThanOrEqual(
          nextCheckAt({ checks, expires_at }, NOW).getTime(),
        );
      }),
    );
  });
});
