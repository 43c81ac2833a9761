import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildReceipt,
  receiptLines,
  type BuildReceiptInput,
  type ReceiptItemInput,
} from '../../src/modules/receipts/domain/receipt-builder.js';
import { DomainError } from '../../src/shared/errors.js';

const VISIT = new Date('2026-03-10T12:00:00Z');
const BEFORE = new Date('2026-03-09T18:00:00Z');
const AFTER = new Date('2026-03-10T13:30:00Z');

const item = (over: Partial<ReceiptItemInput> = {}): ReceiptItemInput => ({
  title: 'Haircut',
  quantity: 1,
  unitPrice: 150_000,
  kind: 'service',
  vat: 'none',
  taxSystem: 'usn_income',
  ...over,
});

const input = (over: Partial<BuildReceiptInput> = {}): BuildReceiptInput => ({
  items: [item()],
  amount: 150_000,
  alreadyPaid: 0,
  visitStartsAt: VISIT,
  now: BEFORE,
  customer: { email: 'anna@example.test' },
  ...over,
});

const itemArb = fc.record({
  title: fc.constantFrom('Haircut', 'Colouring', 'Shampoo', 'Gift card', 'Membership'),
  quantity: fc.integer({ min: 1, max: 5 }),
  unitPrice: fc.integer({ min: 0, max: 2_000_000 }),
  kind: fc.constantFrom('service' as const, 'goods' as const, 'membership' as const, 'gift_card' as const),
  vat: fc.constantFrom('none', 'vat0', 'vat10', 'vat20', 'vat22', 'vat22_122'),
  taxSystem: fc.constant('usn_income'),
});

/** items, what was paid before, and an amount between 1 and what is left */
const caseArb = fc
  .array(itemArb, { minLength: 1, maxLength: 8 })
  .chain((items) => {
    const total = items.reduce((s, i) => s + i.unitPrice * i.quantity, 0);
    return fc.integer({ min: 0, max: Math.max(0, total - 1) }).chain((alreadyPaid) =>
      fc.record({
        items: fc.constant(items),
        alreadyPaid: fc.constant(alreadyPaid),
        amount: fc.integer({ min: 1, max: Math.max(1, total - alreadyPaid) }),
        now: fc.constantFrom(BEFORE, AFTER, VISIT),
      }),
    );
  })
  .filter(({ items }) => items.some((i) => i.unitPrice > 0));

const fullInput = (c: { items: ReceiptItemInput[]; alreadyPaid: number; amount: number; now: Date }) => input({ ...c });

describe('R25 receipt builder', () => {
  it('R25 item amounts always sum exactly to the attempt amount, none negative or empty', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const receipt = buildReceipt(fullInput(c));
        expect(receipt.items.reduce((s, i) => s + i.amount, 0)).toBe(c.amount);
        for (const line of receipt.items) {
          expect(Number.isSafeInteger(line.amount)).toBe(true);
          expect(line.amount).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('R25 no line gets more than its unpaid part, and earlier payments cover the lines in order', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const lines = receiptLines(fullInput(c));
        let paidLeft = c.alreadyPaid;
        for (const line of lines) {
          const covered = Math.min(line.total, paidLeft);
          paidLeft -= covered;
          expect(line.unpaid).toBe(line.total - covered);
          expect(line.amount).toBeGreaterThanOrEqual(0);
          expect(line.amount).toBeLessThanOrEqual(line.unpaid);
        }
      }),
    );
  });

  it('R25 the split is deterministic: the same input gives the same receipt', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(buildReceipt(fullInput(c))).toEqual(buildReceipt(fullInput(structuredClone(c))));
      }),
    );
  });

  it('R25 modes follow the visit time: prepayment before it, payment from its start; partial when the line is not paid in full, credit_payment when the rest of a part-paid line is paid after the visit started', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const before = c.now.getTime() < VISIT.getTime();
        for (const line of receiptLines(fullInput(c)).filter((l) => l.amount > 0)) {
          const full = line.amount === line.total;
          const earlier = line.unpaid < line.total;
          const expected = before
            ? full
              ? 'full_prepayment'
              : 'partial_prepayment'
            : full
              ? 'full_payment'
              : earlier
                ? 'credit_payment'
                : 'partial_payment';
          expect(line.paymentMode).toBe(expected);
        }
      }),
    );
  });

  it('R25 paying everything that is due gives every line its whole unpaid part', () => {
    fc.assert(
      fc.property(
        fc.array(itemArb, { minLength: 1, maxLength: 6 }).filter((items) => items.some((i) => i.unitPrice > 0)),
        (items) => {
          const total = items.reduce((s, i) => s + i.unitPrice * i.quantity, 0);
          const lines = receiptLines(input({ items, amount: total }));
          for (const line of lines) expect(line.amount).toBe(line.total);
        },
      ),
    );
  });

  it('R25 subjects: service for services, commodity for goods, payment for memberships and gift cards', () => {
    const receipt = buildReceipt(
      input({
        items: [
          item(),
          item({ title: 'Shampoo', kind: 'goods', unitPrice: 50_000, quantity: 2 }),
          item({ title: 'Gift card', kind: 'gift_card', unitPrice: 300_000 }),
          item({ title: 'Membership', kind: 'membership', unitPrice: 100_000 }),
        ],
        amount: 650_000,
      }),
    );
    expect(receipt.items.map((i) => [i.description, i.paymentSubject, i.paymentMode, i.amount, i.quantity])).toEqual([
      ['Haircut', 'service', 'full_prepayment', 150_000, 1],
      ['Shampoo', 'commodity', 'full_prepayment', 100_000, 2],
      ['Gift card', 'payment', 'full_prepayment', 300_000, 1],
      ['Membership', 'payment', 'full_prepayment', 100_000, 1],
    ]);
    expect(receipt.taxSystem).toBe('usn_income');
    expect(receipt.customer).toEqual({ email: 'anna@example.test' });
  });

  it('R25 a desk payment pays the first line first; the link pays the rest after the visit: credit_payment for the part-paid line (54-FZ: paying off what was left on credit, not partial_payment)', () => {
    const receipt = buildReceipt(
      input({
        items: [
          item({ unitPrice: 100_000 }),
          item({ title: 'Shampoo', kind: 'goods', unitPrice: 20_000, quantity: 2 }),
        ],
        alreadyPaid: 60_000,
        amount: 80_000,
        now: AFTER,
      }),
    );
    expect(receipt.items).toEqual([
      {
        description: 'Haircut',
        quantity: 1,
        amount: 40_000,
        vat: 'none',
        paymentSubject: 'service',
        paymentMode: 'credit_payment',
      },
      {
        description: 'Shampoo',
        quantity: 2,
        amount: 40_000,
        vat: 'none',
        paymentSubject: 'commodity',
        paymentMode: 'full_payment',
      },
    ]);
  });

  it('R25 a fixed partial amount is spread by largest remainder, ties to the earlier line', () => {
    const lines = receiptLines(
      input({ items: [item({ unitPrice: 100 }), item({ unitPrice: 100 }), item({ unitPrice: 100 })], amount: 100 }),
    );
    expect(lines.map((l) => l.amount)).toEqual([34, 33, 33]);
    expect(lines.every((l) => l.paymentMode === 'partial_prepayment')).toBe(true);
  });

  it('R23 refuses items of different taxation systems on one receipt', () => {
    const error = catchError(() =>
      buildReceipt(input({ items: [item(), item({ title: 'Cream', taxSystem: 'osn' })], amount: 300_000 })),
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('mixed_tax_systems');
  });

  it('R26 needs an email or a phone of the customer', () => {
    const error = catchError(() => buildReceipt(input({ customer: { email: '  ' } })));
    expect((error as DomainError).code).toBe('contact_required');
    expect(buildReceipt(input({ customer: { phone: '+79001234567' } })).customer).toEqual({ phone: '+79001234567' });
  });

  it('R25 refuses an amount above what is left to pay', () => {
    const error = catchError(() => buildReceipt(input({ alreadyPaid: 100_000, amount: 60_000 })));
    expect((error as DomainError).code).toBe('amount_exceeds_due');
    expect(() => buildReceipt(input({ amount: 0 }))).toThrow(RangeError);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
