import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountToCharge, linkIsSettled } from '../../../src/modules/checkout/domain/charge.js';

/** What the appointment and the link stand at when Pay is pressed; due may be negative (overpaid). */
const state = fc.record({
  due: fc.integer({ min: -1_000_000, max: 10_000_000 }),
  linkAmount: fc.option(fc.integer({ min: 1, max: 10_000_000 }), { nil: null }),
  collected: fc.integer({ min: 0, max: 10_000_000 }),
});

describe('amountToCharge (R9)', () => {
  it('R9 without a fixed amount the client pays what is due now', () => {
    expect(amountToCharge({ due: 12_345, linkAmount: null, collected: 0 })).toBe(12_345);
    // a desk payment taken after the link was sent lowers it
    expect(amountToCharge({ due: 2_345, linkAmount: null, collected: 0 })).toBe(2_345);
  });

  it('R9 a fixed amount caps the charge, less what the link already collected', () => {
    expect(amountToCharge({ due: 10_000, linkAmount: 4_000, collected: 0 })).toBe(4_000);
    expect(amountToCharge({ due: 10_000, linkAmount: 4_000, collected: 1_500 })).toBe(2_500);
    // the amount due is lower than what is left of the link's amount
    expect(amountToCharge({ due: 1_000, linkAmount: 4_000, collected: 1_500 })).toBe(1_000);
  });

  it('R9 nothing is charged when nothing is due, the link collected its amount, or the appointment is overpaid', () => {
    expect(amountToCharge({ due: 0, linkAmount: null, collected: 0 })).toBe(0);
    expect(amountToCharge({ due: 5_000, linkAmount: 4_000, collected: 4_000 })).toBe(0);
    expect(amountToCharge({ due: 5_000, linkAmount: 4_000, collected: 6_000 })).toBe(0);
    expect(amountToCharge({ due: -700, linkAmount: null, collected: 0 })).toBe(0);
  });

  it('R9 a charge is a whole number of minor units, never negative, never above what is due nor the cap left', () => {
    fc.assert(
      fc.property(state, (s) => {
        const charge = amountToCharge(s);
        expect(Number.isSafeInteger(charge)).toBe(true);
        expect(charge).toBeGreaterThanOrEqual(0);
        expect(charge).toBeLessThanOrEqual(Math.max(0, s.due));
        if (s.linkAmount !== null) expect(charge).toBeLessThanOrEqual(Math.max(0, s.linkAmount - s.collected));
      }),
    );
  });

  it('R9 the charge is the largest amount within both limits: what is due, and what is left of the link', () => {
    fc.assert(
      fc.property(state, (s) => {
        const left = s.linkAmount === null ? Number.POSITIVE_INFINITY : s.linkAmount - s.collected;
        expect(amountToCharge(s)).toBe(Math.max(0, Math.min(s.due, left)));
      }),
    );
  });

  it('R9 R12 a link that can still charge something is not settled, and a settled link charges nothing', () => {
    fc.assert(
      fc.property(state, (s) => {
        if (linkIsSettled(s)) expect(amountToCharge(s)).toBe(0);
        else expect(amountToCharge(s)).toBeGreaterThan(0);
      }),
    );
  });

  it('R9 paying the charge in full settles the link', () => {
    fc.assert(
      fc.property(state, (s) => {
        const charge = amountToCharge(s);
        fc.pre(charge > 0);
        expect(linkIsSettled({ ...s, due: s.due - charge, collected: s.collected + charge })).toBe(true);
      }),
    );
  });
});

describe('linkIsSettled (R12)', () => {
  it('R12 a link without a fixed amount is settled exactly when nothing is due', () => {
    expect(linkIsSettled({ due: 1, linkAmount: null, collected: 99_999 })).toBe(false);
    expect(linkIsSettled({ due: 0, linkAmount: null, collected: 0 })).toBe(true);
    expect(linkIsSettled({ due: -500, linkAmount: null, collected: 0 })).toBe(true);
  });

  it('R12 a link with a fixed amount is settled once it collected that amount, even with money still due', () => {
    expect(linkIsSettled({ due: 6_000, linkAmount: 4_000, collected: 3_999 })).toBe(false);
    expect(linkIsSettled({ due: 6_000, linkAmount: 4_000, collected: 4_000 })).toBe(true);
    expect(linkIsSettled({ due: 6_000, linkAmount: 4_000, collected: 4_500 })).toBe(true);
  });

  it('R12 a link with a fixed amount is settled too when the appointment has nothing due (paid at the desk)', () => {
    expect(linkIsSettled({ due: 0, linkAmount: 4_000, collected: 0 })).toBe(true);
  });

  it('R12 more collected never unsettles a link, and less due never does', () => {
    fc.assert(
      fc.property(state, fc.nat(1_000_000), fc.nat(1_000_000), (s, more, less) => {
        fc.pre(linkIsSettled(s));
        expect(linkIsSettled({ ...s, collected: s.collected + more })).toBe(true);
        expect(linkIsSettled({ ...s, due: s.due - less })).toBe(true);
      }),
    );
  });
});
