import { z } from 'zod';
import { companyOf, userId } from '../../http/authenticate.js';
import { entityParams } from '../../http/schemas.js';
import type { App } from '../../http/types.js';
import type { LinkSender } from './link-sender.service.js';

const sendBody = z.strictObject({
  channel: z.enum(['email', 'sms', 'whatsapp']),
  /** the recipient: an email address, or a phone number for SMS and WhatsApp; the client's when left out */
  to: z.string().trim().min(1).max(254).optional(),
  /** true: answer the message without sending it */
  preview: z.boolean().optional(),
});

/** The message as it was (or would be) sent. */
const sentLinkDto = z.object({
  sent: z.boolean(),
  channel: z.enum(['email', 'sms', 'whatsapp']),
  to: z.string(),
  subject: z.string().nullable().describe('email only'),
  text: z.string(),
  html: z.string().nullable().describe('email only'),
  sentAt: z.string().nullable(),
});

/** "Send payment link" from the appointment window (R2: needs `cashless_payment`). */
export function registerLinkSendRoutes(app: App, sender: LinkSender): void {
  app.post('/api/v1/companies/:companyId/appointments/:id/payment-link/send', {
    config: { access: 'cashless_payment' },
    schema: {
      tags: ['payment links'],
      summary:
        "Send the payment link by email, SMS or WhatsApp (R36: the approved template message; to the client's address or phone unless `to` is given); `preview` answers the message without sending, also where the channel is not set up on this server (staff copy the text); sending then answers 422 `email_unavailable` / `channel_unavailable` / `whatsapp_unavailable`, and a sender that refuses 502 `email_send_failed` / `sms_send_failed` / `whatsapp_send_failed` with its `gatewayCode`. Past a sending quota (R38: per company, channel and day; per recipient and hour) it answers 429 `send_quota_exceeded` with `quota`, `retryAfter` and `resetsAt`, and sends nothing",
      params: entityParams,
      body: sendBody,
      response: { 200: sentLinkDto },
    },
    handler: async (req) => {
      const result = await sender.send(companyOf(req), { type: 'user', id: userId(req) }, req.params.id, {
        channel: req.body.channel,
        to: req.body.to,
        preview: req.body.preview,
      });
      return { ...result, sentAt: result.sentAt?.toISOString() ?? null };
    },
  });
}
