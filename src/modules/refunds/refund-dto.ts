import { z } from 'zod';
import { formatMoney } from '../../shared/money.js';
import type { RefundViewRow } from './refunds.repository.js';

export const REFUND_STATUSES = ['requested', 'succeeded', 'failed'] as const;
export const REFUND_ORIGINS = ['overpayment', 'staff', 'provider'] as const;

/**
 * A refund Visitpay owes or made, so staff see why money went back: an overpayment (R18), one
 * asked by staff (R31) or one made at the provider (R32). `requested` is pending until the
 * provider confirms; `failure` says why it failed (or why the last try did not get through).
 */
export const refundDto = z.object({
  id: z.string(),
  paymentId: z.string(),
  amount: z.number().int(),
  amountFormatted: z.string(),
  reason: z.string(),
  status: z.enum(REFUND_STATUSES),
  failure: z.string().nullable(),
  createdAt: z.string(),
  origin: z.enum(REFUND_ORIGINS),
  /** the display name of the user who asked for it (staff refunds), else null */
  requestedBy: z.string().nullable(),
});
export type RefundDto = z.infer<typeof refundDto>;

export function toRefundDto(r: RefundViewRow, currency: string): RefundDto {
  return {
    id: r.id,
    paymentId: r.payment_id,
    amount: r.amount,
    amountFormatted: formatMoney(r.amount, currency),
    reason: r.reason,
    status: r.status as RefundDto['status'],
    failure: r.failure,
    createdAt: r.created_at.toISOString(),
    origin: r.origin,
    requestedBy: r.requested_by ?? null,
  };
}
