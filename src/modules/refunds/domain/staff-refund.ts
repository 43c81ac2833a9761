import type { ErrorCode } from '../../../shared/errors.js';

/** The payment a staff refund is asked of, as far as the rules need it. */
export interface RefundedPayment {
  method: string;
  amount: number;
  refund_of: string | null;
  voided_at: Date | null;
}

export interface StaffRefundRefusal {
  code: Extract<
    ErrorCode,
    'desk_payment_not_refundable' | 'payment_not_refundable' | 'attempt_open' | 'amount_exceeds_refundable'
  >;
  message: string;
  details: Record<string, unknown>;
}

/** R31: what is still refundable of an online payment: its amount less refunds on their way or made. */
export function refundableOf(payment: RefundedPayment, held: number): number | null {
  if (payment.method !== 'online' || payment.amount <= 0 || payment.refund_of !== null || payment.voided_at !== null)
    return null;
  return Math.max(0, payment.amount - held);
}

/**
 * R31: why a staff refund of `amount` cannot be made, or undefined. Desk money is voided, not
 * refunded; a refund is not refunded again; while a checkout of the appointment is open its money
 * is not settled yet; and never more than what is left of the payment.
 */
export function staffRefundRefusal(input: {
  payment: RefundedPayment;
  held: number;
  openAttempts: number;
  amount: number;
}): StaffRefundRefusal | undefined {
  const { payment, amount } = input;
  if (payment.method !== 'online')
    return {
      code: 'desk_payment_not_refundable',
      message: 'a desk payment is not refunded through a provider: void it instead',
      details: { method: payment.method },
    };
  const refundable = refundableOf(payment, input.held);
  if (refundable === null)
    return { code: 'payment_not_refundable', message: 'a refund cannot be refunded', details: {} };
  if (input.openAttempts > 0)
    return {
      code: 'attempt_open',
      message: 'the client is paying this appointment by link; refund once that payment has ended',
      details: { openAttempts: input.openAttempts },
    };
  if (amount > refundable)
    return {
      code: 'amount_exceeds_refundable',
      message:
        refundable === 0
          ? 'nothing is left to refund of this payment'
          : `amount ${amount} is more than the ${refundable} left to refund of this payment`,
      details: { field: 'amount', amount, refundable },
    };
  return undefined;
}
