import { z } from 'zod';
import { refundDto, type RefundDto } from '../refunds/refund-dto.js';
import { linkDto, type LinkDto } from './link-dto.js';

/**
 * R33: the 54-FZ settlement receipt of an online prepayment: pending until the provider accepts
 * it (sent) or refuses it (failed, with the reason); not_needed when it was refunded first, the
 * visit did not happen, or the provider keeps no receipts (`failure` says which). `failure` on a
 * pending one is why the last try did not go through; `amount` is what it offsets, once known.
 */
export const settlementReceiptDto = z.object({
  id: z.string(),
  paymentId: z.string(),
  status: z.enum(['pending', 'sent', 'failed', 'not_needed']),
  amount: z.number().int().nullable(),
  amountFormatted: z.string().nullable(),
  failure: z.string().nullable(),
  dueAt: z.string(),
  updatedAt: z.string(),
});

/** R35: the link's automatic reminders: the next one planned (when, by which channel) and how many went out. */
export const linkRemindersDto = z.object({
  nextAt: z.string().nullable(),
  nextChannel: z.string().nullable(),
  sent: z.number().int(),
});

/** What the appointment window adds about pay-by-link: the link with its attempts, and refunds. */
export const appointmentLinkView = z.object({
  /** the active (else the newest) link; null without one or without the cashless_payment right */
  paymentLink: linkDto.nullable(),
  refunds: z.array(refundDto),
  settlementReceipts: z.array(settlementReceiptDto),
  /** null without a link or without the cashless_payment right */
  linkReminders: linkRemindersDto.nullable(),
});
export type AppointmentLinkView = {
  paymentLink: LinkDto | null;
  refunds: RefundDto[];
  settlementReceipts: z.infer<typeof settlementReceiptDto>[];
  linkReminders: z.infer<typeof linkRemindersDto> | null;
};
