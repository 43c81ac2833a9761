import { z } from 'zod';
import { companyOf, userId } from '../../http/authenticate.js';
import { entityId, entityParams, idempotencyHeaders, positiveMinorUnits, text } from '../../http/schemas.js';
import type { App } from '../../http/types.js';
import { refundDto } from './refund-dto.js';
import type { StaffRefundsService } from './staff-refunds.service.js';

const refundBody = z.strictObject({
  amount: positiveMinorUnits.describe('minor units, at most what is left to refund of the payment (its `refundable`)'),
  reason: text(500).describe(
    'why the money goes back; shown to staff, in the audit log and the refund.created webhook',
  ),
});

const refundAnswer = z.object({ refund: refundDto });

export function registerRefundRoutes(app: App, refunds: StaffRefundsService): void {
  app.post(
    '/api/v1/companies/:companyId/appointments/:id/payments/:paymentId/refunds',
    {
      config: { access: 'payments.refund' },
      schema: {
        tags: ['payments'],
        description:
          'R31: refunds an online payment in full or in part through the provider that took it, with its share of ' +
          'the fiscal receipt. 201 with the refund: `requested` while the provider has not confirmed it (the refund ' +
          'job keeps asking with the same idempotency key), `succeeded`, or `failed` with the provider’s reason. ' +
          '404 not_found (payment of another appointment or company); 422 desk_payment_not_refundable (void it ' +
          'instead) / payment_not_refundable (a refund) / amount_exceeds_refundable (details.refundable says what is ' +
          'left) / provider_not_connected (the provider that took it is not connected now); 409 attempt_open while ' +
          'the client is paying the appointment by link; 409 idempotency_key_reused when a key comes back with a ' +
          'different body. Nothing is written when refused.',
        params: entityParams.extend({ paymentId: entityId }),
        headers: idempotencyHeaders,
        body: refundBody,
        response: { 200: refundAnswer, 201: refundAnswer },
      },
    },
    async (req, reply) => {
      const result = await refunds.request(
        companyOf(req),
        userId(req),
        req.params.id,
        req.params.paymentId,
        req.body,
        req.headers['idempotency-key'],
      );
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(result.replayed ? 200 : 201).send({ refund: result.refund });
    },
  );
}
