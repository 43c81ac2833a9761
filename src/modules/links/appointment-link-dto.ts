import { z } from 'zod';
import { refundDto, type RefundDto } from '../refunds/refund-dto.js';
import { linkDto, type LinkDto } from './link-dto.js';

/** What the appointment window adds about pay-by-link: the link with its attempts, and refunds. */
export const appointmentLinkView = z.object({
  /** the active (else the newest) link; null without one or without the cashless_payment right */
  paymentLink: linkDto.nullable(),
  refunds: z.array(refundDto),
});
export type AppointmentLinkView = { paymentLink: LinkDto | null; refunds: RefundDto[] };
