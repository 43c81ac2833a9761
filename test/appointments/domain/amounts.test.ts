import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountsFromTotals, computeAmounts, itemTotal } from '../../../src/modules/appointments/domain/amounts.js';

const item = fc.record({
  unitPrice: fc.integer({ min: 0, max: 1_000_000 }),
  quantity: fc.integer({ min: 1, max: 50 }),
});
const payment = fc.record({ amount: fc.integer({ min: -100_000, max: 1_000_000 }), voided: fc.boolean() });

describe("an appointment's money, derived from its items and payments", () => {
  it('R15 the client owes the total less every payment that is not voided', () => {
    const amounts = computeAmounts(
      [
        { unitPrice: 4_000, quantity: 1 },
        { unitPrice: 1_500, quantity: 2 },
      ],
      [
        { amount: 2_000, voided: false },
        { amount: 5_000, voided: true },
      ],
    );
    expect(amounts).toEqual({ total: 7_000, paid: 2_000, due: 5_000, paymentStatus: 'partially_paid' });
  });

  it('R18 a refund (a negative payment) counts against what was paid; a lowered price leaves due negative', () => {
    expect(amountsFromTotals(10_000, 12_000)).toEqual({
      total: 10_000,
      paid: 12_000,
      due: -2_000,
      paymentStatus: 'paid',
    });
    expect(
      computeAmounts(
        [{ unitPrice: 10_000, quantity: 1 }],
        [
          { amount: 12_000, voided: false },
          { amount: -2_000, voided: false },
        ],
      ),
    ).toEqual({ total: 10_000, paid: 10_000, due: 0, paymentStatus: 'paid' });
  });

  it('nothing paid is unpaid, even when the total is 0; something paid and nothing due is paid', () => {
    expect(amountsFromTotals(0, 0).paymentStatus).toBe('unpaid');
    expect(amountsFromTotals(5_000, 0).paymentStatus).toBe('unpaid');
    expect(amountsFromTotals(5_000, 4_999).paymentStatus).toBe('partially_paid');
    expect(amountsFromTotals(5_000, 5_000).paymentStatus).toBe('paid');
  });

  it('an item line is its unit price times its quantity, and one past the safe integers is refused', () => {
    expect(itemTotal({ unitPrice: 1_250, quantity: 3 })).toBe(3_750);
    expect(() => itemTotal({ unitPrice: Number.MAX_SAFE_INTEGER, quantity: 2 })).toThrow();
  });

  it('R15 total = paid + due, whatever the items and payments, with voided payments left out', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), fc.array(payment, { maxLength: 8 }), (items, payments) => {
        const a = computeAmounts(items, payments);
        expect(a.total).toBe(items.reduce((s, i) => s + i.unitPrice * i.quantity, 0));
        expect(a.paid).toBe(payments.filter((p) => !p.voided).reduce((s, p) => s + p.amount, 0));
        expect(a.paid + a.due).toBe(a.total);
        expect(
          computeAmounts(
            items,
            payments.filter((p) => !p.voided),
          ),
        ).toEqual(a);
      }),
    );
  });

  it('the payment status follows from paid and due alone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: -1_000_000, max: 10_000_000 }),
        (total, paid) => {
          const { due, paymentStatus } = amountsFromTotals(total, paid);
          const expected = paid <= 0 ? 'unpaid' : due <= 0 ? 'paid' : 'partially_paid';
          expect(paymentStatus).toBe(expected);
        },
      ),
    );
  });
});
