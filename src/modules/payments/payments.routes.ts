import { z } from 'zod';
import { companyOf, userId } from '../../http/authenticate.js';
import { entityParams, idempotencyHeaders, positiveMinorUnits } from '../../http/schemas.js';
import type { App } from '../../http/types.js';
import type { DeskPaymentsService } from './desk-payments.service.js';
import { DESK_PAYMENT_METHODS } from './domain/methods.js';
import { paymentDto } from './payment-dto.js';

const paymentBody = z.strictObject({
  method: z.enum(DESK_PAYMENT_METHODS).describe("any method but 'online', which only a payment link takes"),
  amount: positiveMinorUnits.describe('minor units, at most the amount due'),
});

const BASE = '/api/v1/companies/:companyId/appointments/:id/payments';

export function registerPaymentRoutes(app: App, payments: DeskPaymentsService): void {
  const tags = ['payments'];

  app.post(
    BASE,
    {
      config: { access: 'payments.record' },
      schema: {
        tags,
        description:
          'Records a desk payment (R15). 422 nothing_due / amount_exceeds_due; 409 appointment_locked while a client pays by link; ' +
          '409 idempotency_key_reused when a key comes back with a different body.',
        params: entityParams,
        headers: idempotencyHeaders,
        body: paymentBody,
        response: { 201: paymentDto },
      },
    },
    async (req, reply) => {
      const result = await payments.record(
        companyOf(req),
        userId(req),
        req.params.id,
        req.body,
        req.headers['idempotency-key'],
      );
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(result.payment);
    },
  );

  app.delete(
    `${BASE}/:paymentId`,
    {
      config: { access: 'payments.record' },
      schema: {
        tags,
        description:
          'Voids a desk payment: it stays in the ledger and stops counting. Online payments and refunds cannot be voided.',
        params: entityParams.extend({ paymentId: z.string().min(1).max(40) }),
        response: { 200: paymentDto },
      },
    },
    async (req) => payments.void(companyOf(req), userId(req), req.params.id, req.params.paymentId),
  );
}
