import { z } from 'zod';
import { companyOf } from '../../http/authenticate.js';
import { companyParams, entityParams, text } from '../../http/schemas.js';
import type { App } from '../../http/types.js';
import { OUTGOING_EVENT_TYPES, type WebhookEndpointsService } from './webhook-endpoints.service.js';

const BASE = '/api/v1/companies/:companyId/webhook-endpoints';

const createBody = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .describe(
      'where the events are POSTed: an https:// URL of a public address (http:// and private addresses only when VISITPAY_ALLOW_PRIVATE_WEBHOOKS=true)',
    ),
  events: z
    .array(z.enum(OUTGOING_EVENT_TYPES))
    .min(1)
    .max(OUTGOING_EVENT_TYPES.length)
    .optional()
    .describe('default: all of them'),
  description: text(200).optional(),
});

const endpointDto = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string().nullable(),
  createdAt: z.string(),
});

const deliveryDto = z.object({
  eventId: z.string(),
  type: z.string(),
  createdAt: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  tries: z.number(),
  nextTryAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
});

/** Signed webhooks for integrators (SPEC §9): where a company's events go, and what became of them. */
export function registerWebhookEndpointRoutes(app: App, endpoints: WebhookEndpointsService): void {
  const tags = ['webhooks for integrators'];
  const access = 'finance.settings' as const;

  app.get(
    BASE,
    {
      config: { access },
      schema: { tags, params: companyParams, response: { 200: z.object({ items: z.array(endpointDto) }) } },
    },
    async (req) => ({
      items: await endpoints.list(companyOf(req)),
    }),
  );

  app.post(
    BASE,
    {
      config: { access },
      schema: {
        tags,
        description:
          'Adds an endpoint. The answer holds its signing secret, shown this once: each event is POSTed as JSON ' +
          '({id, type, created, data}) with `Visitpay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` ' +
          'and `Visitpay-Event-Id`; any 2xx answer acknowledges it, anything else is retried with back-off for about three days. ' +
          'The URL must be https:// (events carry amounts and ids) and its host must resolve, now and at every send, to public ' +
          'addresses only: localhost, private, link-local, CGNAT, benchmarking, multicast and reserved ones are refused in every ' +
          'spelling (400, field `url`). Redirects are not followed, and only the status of an answer is recorded, never its body. ' +
          'A server started with VISITPAY_ALLOW_PRIVATE_WEBHOOKS=true (local development) lifts these address rules.',
        params: companyParams,
        body: createBody,
        response: { 201: endpointDto.extend({ secret: z.string() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await endpoints.create(companyOf(req), req.body)),
  );

  app.delete(
    `${BASE}/:id`,
    {
      config: { access },
      schema: {
        tags,
        description: 'Disables the endpoint: nothing more is sent to it.',
        params: entityParams,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await endpoints.disable(companyOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${BASE}/:id/ping`,
    {
      config: { access },
      schema: {
        tags,
        description:
          'Queues a signed `ping` event ({id, type: "ping", created, data: {companyId, endpointId}}) to check the endpoint; it appears among the deliveries.',
        params: entityParams,
        response: { 202: z.object({ eventId: z.string() }) },
      },
    },
    async (req, reply) => reply.code(202).send(await endpoints.ping(companyOf(req), req.params.id)),
  );

  app.post(
    `${BASE}/:id/deliveries/:eventId/redeliver`,
    {
      config: { access },
      schema: {
        tags,
        description:
          'Sends the event to the endpoint again, with the same id and body (a receiver that dropped repeats by id ignores it).',
        params: entityParams.extend({ eventId: z.string().min(1).max(60) }),
        response: { 202: z.object({ status: z.literal('pending') }) },
      },
    },
    async (req, reply) => {
      await endpoints.redeliver(companyOf(req), req.params.id, req.params.eventId);
      return reply.code(202).send({ status: 'pending' as const });
    },
  );

  app.get(
    `${BASE}/:id/deliveries`,
    {
      config: { access },
      schema: {
        tags,
        description: 'The latest 100 deliveries to the endpoint, newest first.',
        params: entityParams,
        response: { 200: z.object({ items: z.array(deliveryDto) }) },
      },
    },
    async (req) => ({ items: await endpoints.deliveries(companyOf(req), req.params.id) }),
  );
}
