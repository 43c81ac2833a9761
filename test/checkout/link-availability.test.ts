import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountToCharge } from '../../src/modules/checkout/domain/charge.js';
import { linkAvailability, type LinkFacts } from '../../src/modules/checkout/domain/link-availability.js';

/** An active link without a fixed amount, 100.00 due, nothing collected, pay-by-link on. */
function facts(change: { link?: Partial<LinkFacts['link']>; appointment?: Partial<LinkFacts['appointment']> } = {}) {
  return (payByLink = true): LinkFacts => ({
    link: { status: 'active', amount: null, collected: 0, ...change.link },
    appointment: { cancelled: false, deleted: false, due: 10_000, ...change.appointment },
    payByLink,
  });
}

describe('linkAvailability: each answer', () => {
  it('R9 an active link of an appointment with money due is payable for the amount due', () => {
    expect(linkAvailability(facts()())).toEqual({ kind: 'payable', amount: 10_000 });
  });

  it('R9 a desk payment lowers the amount; a fixed amount caps it, less what the link collected', () => {
    expect(linkAvailability(facts({ appointment: { due: 7_000 } })())).toEqual({ kind: 'payable', amount: 7_000 });
    expect(linkAvailability(facts({ link: { amount: 6_000 } })())).toEqual({ kind: 'payable', amount: 6_000 });
    expect(linkAvailability(facts({ link: { amount: 8_000, collected: 6_000 } })())).toEqual({
      kind: 'payable',
      amount: 2_000,
    });
  });

  it('R12 a link marked paid is paid, whatever else holds', () => {
    const paid = facts({ link: { status: 'paid' }, appointment: { cancelled: true, due: 5_000 } });
    expect(linkAvailability(paid(false))).toEqual({ kind: 'paid' });
  });

  it('R12 an active link that collected its fixed amount, or all that was due, is paid', () => {
    expect(
      linkAvailability(facts({ link: { amount: 6_000, collected: 6_000 }, appointment: { due: 4_000 } })()),
    ).toEqual({ kind: 'paid' });
    expect(linkAvailability(facts({ link: { collected: 3_000 }, appointment: { due: 0 } })())).toEqual({
      kind: 'paid',
    });
  });

  it('R2 a link staff disabled cannot be paid', () => {
    expect(linkAvailability(facts({ link: { status: 'disabled' } })())).toEqual({
      kind: 'unavailable',
      reason: 'disabled',
    });
  });

  it('R1 without a usable provider or with pay-by-link off the link cannot be paid', () => {
    expect(linkAvailability(facts()(false))).toEqual({ kind: 'unavailable', reason: 'switched_off' });
  });

  it('R3 a cancelled or deleted appointment cannot be paid', () => {
    for (const appointment of [{ cancelled: true }, { deleted: true }])
      expect(linkAvailability(facts({ appointment })())).toEqual({ kind: 'unavailable', reason: 'cancelled' });
  });

  it('R3 nothing due (paid at the desk, or overpaid) and nothing collected by the link: nothing to pay', () => {
    for (const due of [0, -500])
      expect(linkAvailability(facts({ appointment: { due } })())).toEqual({
        kind: 'unavailable',
        reason: 'nothing_due',
      });
  });
});

describe('linkAvailability: one fixed order', () => {
  it('R12 paid comes first: before a disabled switch, a switched-off company and a cancelled appointment', () => {
    const settled = facts({ link: { amount: 5_000, collected: 5_000 }, appointment: { cancelled: true } });
    expect(linkAvailability(settled(false))).toEqual({ kind: 'paid' });
  });

  it('R1 R2 a disabled link says so even when pay-by-link is off', () => {
    expect(linkAvailability(facts({ link: { status: 'disabled' } })(false))).toMatchObject({ reason: 'disabled' });
  });

  it('R1 R3 a switched-off company says so before a cancelled appointment with nothing due', () => {
    const cancelled = facts({ appointment: { cancelled: true, due: 0 } });
    expect(linkAvailability(cancelled(false))).toMatchObject({ reason: 'switched_off' });
    expect(linkAvailability(cancelled(true))).toMatchObject({ reason: 'cancelled' });
  });

  it('R9 R12 on any ledger: payable exactly when something is left to charge, for that amount, never more than is due', () => {
    const ledger = fc.record({
      status: fc.constantFrom('active', 'paid', 'disabled'),
      amount: fc.option(fc.integer({ min: 1, max: 50_000 }), { nil: null }),
      collected: fc.integer({ min: 0, max: 50_000 }),
      due: fc.integer({ min: -20_000, max: 50_000 }),
      cancelled: fc.boolean(),
      deleted: fc.boolean(),
      payByLink: fc.boolean(),
    });
    fc.assert(
      fc.property(ledger, (l) => {
        const answer = linkAvailability({
          link: { status: l.status, amount: l.amount, collected: l.collected },
          appointment: { cancelled: l.cancelled, deleted: l.deleted, due: l.due },
          payByLink: l.payByLink,
        });
        const charge = amountToCharge({ due: l.due, linkAmount: l.amount, collected: l.collected });
        const open = l.status === 'active' && l.payByLink && !l.cancelled && !l.deleted;
        expect(answer.kind === 'payable').toBe(open && charge > 0);
        if (answer.kind === 'payable') {
          expect(answer.amount).toBe(charge);
          expect(answer.amount).toBeLessThanOrEqual(l.due);
        }
        if (answer.kind === 'paid') expect(l.status === 'paid' || l.collected > 0).toBe(true);
      }),
    );
  });
});
