/** Payment methods of the glossary. `online` is taken only through a payment link, never at the desk. */
export const DESK_PAYMENT_METHODS = [
  'cash',
  'card',
  'bank_transfer',
  'loyalty_points',
  'cashback',
  'gift_card',
  'membership',
  'deposit',
] as const;
export type DeskPaymentMethod = (typeof DESK_PAYMENT_METHODS)[number];

export const PAYMENT_METHODS = [...DESK_PAYMENT_METHODS, 'online'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * Only a desk payment taken by hand can be voided: online money came through a provider and is
 * given back by a refund, and a refund is itself the correction of a payment.
 */
export function voidRefusal(p: {
  method: string;
  amount: number;
  refund_of: string | null;
  voided_at: Date | null;
}): { code: 'payment_already_voided' | 'payment_not_voidable'; reason: string } | undefined {
  if (p.voided_at) return { code: 'payment_already_voided', reason: 'the payment is already voided' };
  if (p.method === 'online')
    return { code: 'payment_not_voidable', reason: 'an online payment is given back by a refund, not voided' };
  if (p.amount < 0 || p.refund_of) return { code: 'payment_not_voidable', reason: 'a refund cannot be voided' };
  return undefined;
}
