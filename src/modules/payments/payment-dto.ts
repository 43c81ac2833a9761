import { z } from 'zod';
import { formatMoney } from '../../shared/money.js';
import { PAYMENT_METHODS, type PaymentMethod } from './domain/methods.js';
import type { PaymentViewRow } from './payments.repository.js';

/** A payment as the API shows it. `amount` is in minor units; refunds are negative and name `refundOf`. */
export const paymentDto = z.object({
  id: z.string(),
  appointmentId: z.string(),
  method: z.enum(PAYMENT_METHODS),
  amount: z.number().int(),
  amountFormatted: z.string(),
  currency: z.string(),
  paidAt: z.string(),
  voided: z.boolean(),
  voidedAt: z.string().nullable(),
  refundOf: z.string().nullable(),
  recordedBy: z.object({ type: z.string(), id: z.string().nullable(), name: z.string().nullable() }),
  /** R31: minor units still refundable of an online payment (less refunds requested or made); null for any other */
  refundable: z.number().int().nullable(),
  /** R40: the tip added to this online payment (minor units), for the staff member; absent without one */
  tip: z.number().int().optional(),
  tipFormatted: z.string().optional(),
});
export type PaymentDto = z.infer<typeof paymentDto>;

export function toPaymentDto(p: PaymentViewRow): PaymentDto {
  return {
    id: p.id,
    appointmentId: p.appointment_id,
    method: p.method as PaymentMethod,
    amount: p.amount,
    amountFormatted: formatMoney(p.amount, p.currency),
    currency: p.currency,
    paidAt: p.paid_at.toISOString(),
    voided: p.voided_at !== null,
    voidedAt: p.voided_at?.toISOString() ?? null,
    refundOf: p.refund_of,
    recordedBy: { type: p.actor_type, id: p.actor_id, name: p.actor_name ?? null },
    refundable: p.refunds_held === null ? null : Math.max(0, p.amount - p.refunds_held),
    ...(p.tip ? { tip: Number(p.tip), tipFormatted: formatMoney(Number(p.tip), p.currency) } : {}),
  };
}
