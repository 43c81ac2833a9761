import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  currencyExponent,
  formatMoney,
  fromDecimalString,
  isCurrency,
  multiply,
  sum,
  toDecimalString,
} from '../../src/shared/money.js';

describe('money', () => {
  it('takes each currency exponent from Intl', () => {
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('RUB')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
  });

  it('knows ISO 4217 codes and refuses others', () => {
    expect(isCurrency('RUB')).toBe(true);
    expect(isCurrency('XXQ')).toBe(false);
    expect(isCurrency('rub')).toBe(false);
  });

  it('formats minor units exactly for people', () => {
    expect(formatMoney(150_000, 'USD', 'en')).toBe('$1,500.00');
    expect(formatMoney(1_500, 'JPY', 'en')).toBe('¥1,500');
    expect(formatMoney(1_234, 'KWD', 'en').replace(/\s/g, ' ')).toBe('KWD 1.234');
    expect(formatMoney(150_000, 'RUB', 'ru').replace(/\s/g, ' ')).toBe('1 500,00 ₽');
    // 2^53 - 1 cents survive formatting without a float rounding them
    expect(formatMoney(9_007_199_254_740_991, 'USD', 'en')).toBe('$90,071,992,547,409.91');
  });

  it('refuses fractions and unsafe integers', () => {
    expect(() => sum([1.5])).toThrow(RangeError);
    expect(() => multiply(2 ** 53, 2)).toThrow(RangeError);
    expect(() => formatMoney(0.1, 'EUR')).toThrow(RangeError);
  });

  it('round-trips decimal strings for provider APIs', () => {
    expect(toDecimalString(150_000, 2)).toBe('1500.00');
    expect(toDecimalString(-5, 2)).toBe('-0.05');
    expect(toDecimalString(7, 0)).toBe('7');
    expect(toDecimalString(1, 3)).toBe('0.001');
    expect(fromDecimalString('1500.5', 2)).toBe(150_050);
    expect(fromDecimalString('10.00', 0)).toBe(10);
    expect(() => fromDecimalString('1.005', 2)).toThrow(RangeError);
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 3 }), (amount, exp) => {
        expect(fromDecimalString(toDecimalString(amount, exp), exp)).toBe(amount);
      }),
    );
  });

  describe('allocate (largest remainder)', () => {
    const weights = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 20 });
    const total = fc.integer({ min: -10_000_000, max: 10_000_000 });

    it('always sums exactly to the total', () => {
      fc.assert(
        fc.property(total, weights, (t, w) => {
          expect(allocate(t, w).reduce((a, b) => a + b, 0)).toBe(t);
        }),
      );
    });

    it('gives every part within one minor unit of its exact share, and only integers', () => {
      fc.assert(
        fc.property(
          fc.nat(10_000_000),
          weights.filter((w) => w.some((x) => x > 0)),
          (t, w) => {
            const parts = allocate(t, w);
            const weightSum = w.reduce((a, b) => a + b, 0);
            parts.forEach((part, i) => {
              expect(Number.isInteger(part)).toBe(true);
              const exact = (t * (w[i] ?? 0)) / weightSum;
              expect(Math.abs(part - exact)).toBeLessThan(1);
            });
          },
        ),
      );
    });

    it('is deterministic: ties go to the earlier weight', () => {
      expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
      expect(allocate(5, [0, 0])).toEqual([3, 2]);
      expect(allocate(10_000, [3_000, 7_000])).toEqual([3_000, 7_000]);
      fc.assert(
        fc.property(total, weights, (t, w) => {
          expect(allocate(t, w)).toEqual(allocate(t, w));
        }),
      );
    });

    it('gives nothing to a zero weight when others are positive', () => {
      expect(allocate(999, [0, 1, 2])).toEqual([0, 333, 666]);
    });
  });
});
