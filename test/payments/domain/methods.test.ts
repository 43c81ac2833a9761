import { describe, expect, it } from 'vitest';
import { DESK_PAYMENT_METHODS, PAYMENT_METHODS, voidRefusal } from '../../../src/modules/payments/domain/methods.js';

const desk = { method: 'cash', amount: 2_000, refund_of: null, voided_at: null };

describe('payment methods and voiding (R15)', () => {
  it('R15 every desk method is a payment method; online is taken only through a link', () => {
    expect(PAYMENT_METHODS).toEqual([...DESK_PAYMENT_METHODS, 'online']);
    expect(DESK_PAYMENT_METHODS).not.toContain('online');
  });

  it('R15 a desk payment is corrected by voiding it', () => {
    for (const method of DESK_PAYMENT_METHODS) expect(voidRefusal({ ...desk, method }), method).toBeUndefined();
  });

  it('R15 a payment voided already is refused as payment_already_voided', () => {
    expect(voidRefusal({ ...desk, voided_at: new Date('2031-03-14T10:00:00Z') })?.code).toBe('payment_already_voided');
  });

  it('R15 online money and refunds are not voided: online goes back by a refund, and a refund is itself a correction', () => {
    expect(voidRefusal({ ...desk, method: 'online' })?.code).toBe('payment_not_voidable');
    expect(voidRefusal({ ...desk, amount: -2_000 })?.code).toBe('payment_not_voidable');
    expect(voidRefusal({ ...desk, amount: 0, refund_of: 'pay_1' })?.code).toBe('payment_not_voidable');
  });
});
