import { z } from 'zod';
import { linkDto, type LinkDto } from './link-dto.js';

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
