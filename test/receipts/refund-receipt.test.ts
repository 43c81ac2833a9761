import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refundReceipt } from '../../src/modules/receipts/domain/refund-receipt.js';
import type { Receipt } from '../../src/providers/port.js';

type Item = Receipt['items'][number];

const line = (over: Partial<Item> = {}): Item => ({
  description: 'Haircut',
  quantity: 1,
  amount: 150_000,
  vat: 'none',
  paymentSubject: 'service',
  paymentMode: 'full_prepayment',
  ...over,
});

const receipt = (items: Item[]): Receipt => ({
  customer: { email: 'anna@example.test' },
  taxSystem: 'usn_income',
  items,
});

const itemArb: fc.Arbitrary<Item> = fc.record({
  description: fc.constantFrom('Haircut', 'Colouring', 'Shampoo', 'Gift card'),
  quantity: fc.integer({ min: 1, max: 5 }),
  amount: fc.integer({ min: 1, max: 5_000_000 }),
  vat: fc.constantFrom('none', 'vat0', 'vat22', 'vat22_122'),
  paymentSubject: fc.constantFrom('service' as const, 'commodity' as const, 'payment' as const),
  paymentMode: fc.constantFrom(
    'full_prepayment' as const,
    'partial_prepayment' as const,
    'full_payment' as const,
    'partial_payment' as const,
  ),
});

/** a paid receipt and a refund of between 1 minor unit and all of it */
const caseArb = fc.array(itemArb, { minLength: 1, maxLength: 8 }).chain((items) => {
  const paid = items.reduce((s, i) => s + i.amount, 0);
  return fc.record({ original: fc.constant(receipt(items)), amount: fc.integer({ min: 1, max: paid }) });
});

const sumOf = (r: Receipt) => r.items.reduce((s, i) => s + i.amount, 0);

describe('R24 R25 refund receipt', () => {
  it('R25 item amounts sum exactly to the refund amount, each positive and at most its original line', () => {
    fc.assert(
      fc.property(caseArb, ({ original, amount }) => {
        const refund = refundReceipt(original, amount);
        expect(sumOf(refund)).toBe(amount);
        // lines keep their order; each refunded line is one of the original's, scaled down
        let from = 0;
        for (const item of refund.items) {
          const index = original.items.findIndex(
            (o, i) =>
              i >= from &&
              o.description === item.description &&
              o.vat === item.vat &&
              o.quantity === item.quantity &&
              o.paymentMode === item.paymentMode &&
              o.paymentSubject === item.paymentSubject &&
              item.amount <= o.amount,
          );
          expect(index).toBeGreaterThanOrEqual(0);
          from = index + 1;
          expect(Number.isSafeInteger(item.amount) && item.amount > 0).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('R25 is deterministic, keeps the customer and taxation system, and refunds the whole receipt as it was', () => {
    fc.assert(
      fc.property(caseArb, ({ original, amount }) => {
        const once = refundReceipt(original, amount);
        expect(refundReceipt(structuredClone(original), amount)).toEqual(once);
        expect(once.customer).toEqual(original.customer);
        expect(once.taxSystem).toBe(original.taxSystem);
        expect(refundReceipt(original, sumOf(original))).toEqual(original);
      }),
      { numRuns: 300 },
    );
  });

  it('R25 scales by largest remainder and leaves off lines that get nothing', () => {
    const original = receipt([
      line({ description: 'Colouring', amount: 400_000 }),
      line({ description: 'Shampoo', quantity: 3, amount: 300_000, paymentSubject: 'commodity' }),
      line({ description: 'Card', amount: 1 }),
    ]);
    // 100 000 of 700 001: 57 142.77…, 42 857.08…, 0.14… → the largest remainder takes the last unit
    const refund = refundReceipt(original, 100_000);
    expect(refund.items.map((i) => [i.description, i.quantity, i.amount])).toEqual([
      ['Colouring', 1, 57_143],
      ['Shampoo', 3, 42_857],
    ]);
    expect(refundReceipt(original, 1).items.map((i) => [i.description, i.amount])).toEqual([['Colouring', 1]]);
  });

  it('R18 refuses a refund of nothing or of more than the receipt paid', () => {
    const original = receipt([line()]);
    expect(() => refundReceipt(original, 0)).toThrow(RangeError);
    expect(() => refundReceipt(original, 150_001)).toThrow(RangeError);
    expect(() => refundReceipt(original, 1.5)).toThrow(RangeError);
  });
});
