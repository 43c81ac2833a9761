import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { formatMoney } from '../../shared/money.js';
import { refundRequestsOfAppointment } from '../refunds/refunds.repository.js';
import { linkDto, type LinkDto } from './link-dto.js';
import type { PaymentLinksService } from './payment-links.service.js';

/** A refund Visitpay owes or made (R18), so staff see why money went back. */
export const refundDto = z.object({
  id: z.string(),
  paymentId: z.string(),
  amount: z.number().int(),
  amountFormatted: z.string(),
  reason: z.string(),
  status: z.enum(['requested', 'succeeded', 'failed']),
  failure: z.string().nullable(),
  createdAt: z.string(),
});

/** What the appointment window adds about pay-by-link: the link with its attempts, and refunds. */
export const appointmentLinkView = z.object({
  /** the active (else the newest) link; null without one or without the cashless_payment right */
  paymentLink: linkDto.nullable(),
  refunds: z.array(refundDto),
});
export type AppointmentLinkView = { paymentLink: LinkDto | null; refunds: z.infer<typeof refundDto>[] };

export async function appointmentLinkViewOf(
  deps: { db: Db; links: PaymentLinksService },
  companyId: string,
  appointmentId: string,
  canSeeLinks: boolean,
): Promise<AppointmentLinkView> {
  const currency = (await deps.db.selectFrom('companies').select('currency').where('id', '=', companyId).executeTakeFirstOrThrow()).currency;
  const refunds = await refundRequestsOfAppointment(deps.db, appointmentId);
  return {
    paymentLink: canSeeLinks ? await deps.links.current(companyId, appointmentId) : null,
    refunds: refunds.map((r) => ({
      id: r.id,
      paymentId: r.payment_id,
      amount: r.amount,
      amountFormatted: formatMoney(r.amount, currency),
      reason: r.reason,
      status: r.status as 'requested' | 'succeeded' | 'failed',
      failure: r.failure,
      createdAt: r.created_at.toISOString(),
    })),
  };
}
