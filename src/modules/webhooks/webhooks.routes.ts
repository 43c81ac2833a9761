import type { FastifyError, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../http/types.js';
import { DomainError } from '../../shared/errors.js';
import type { WebhooksService } from './webhooks.service.js';

const params = z.strictObject({ provider: z.string().max(20), companyId: z.string().max(40) });

/**
 * A provider notification is a few kilobytes (a Stripe event with its object, a YooKassa payment);
 * anything much larger is not one, and is refused without being read further (S5).
 */
export const NOTIFICATION_BODY_LIMIT = 64 * 1024;

/**
 * `POST /webhooks/{provider}/{companyId}`. Signatures are computed over the exact bytes the
 * provider sent, so this scope keeps every body as the raw string instead of parsed JSON.
 * S5: whatever cannot be verified, is not the provider's shape, is too large or is of an event
 * type Visitpay does not process is refused 400 before anything is written; the route is rate
 * limited per company (`perMinute` per company per minute, 0 = off), so that a flood aimed at
 * one salon does not cost the others, however many addresses it comes from.
 */
export function registerWebhookRoutes(app: App, webhooks: WebhooksService, options: { perMinute: number }): void {
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: NOTIFICATION_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    // What this handler throws goes on to the application's one error mapper (as an Error: a
    // thrown plain object, such as the rate limiter's answer, would be sent as a reply body).
    scope.setErrorHandler((error: FastifyError) => {
      // too large for a notification: the S5 refusal (400), like any other body that is not one
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
        throw new DomainError(
          'validation_failed',
          `a notification body is at most ${NOTIFICATION_BODY_LIMIT / 1024} KB`,
          { field: 'body' },
        );
      if (error instanceof Error) throw error;
      throw Object.assign(new Error(String((error as { message?: unknown }).message ?? 'request refused')), {
        statusCode: (error as { statusCode?: unknown }).statusCode,
      });
    });
    const rateLimit =
      options.perMinute > 0 ? { max: options.perMinute, timeWindow: '1 minute', keyGenerator: companyKey } : false;
    // Beside it, one address may not try company after company (made-up ids cost a look-up each). A
    // provider sends every company's notifications from the same few addresses, hence the wide margin.
    // (createRateLimit, not rateLimit: the plugin runs one of its own hooks per request, so a second one would be skipped)
    const perAddress =
      options.perMinute > 0
        ? scope.createRateLimit({ max: options.perMinute * PER_ADDRESS_FACTOR, timeWindow: '1 minute' })
        : undefined;
    scope.post('/webhooks/:provider/:companyId', {
      ...(perAddress
        ? {
            onRequest: async (req: FastifyRequest) => {
              const limit = await perAddress(req);
              if (!limit.isAllowed && limit.isExceeded)
                throw new DomainError('rate_limited', 'Too many notifications from this address, try again later', {
                  retryAfter: limit.ttlInSeconds,
                });
            },
          }
        : {}),
      config: { access: 'public', rateLimit },
      schema: {
        tags: ['webhooks'],
        params,
        response: {
          200: z.object({ received: z.literal(true), result: z.enum(['applied', 'duplicate', 'stored', 'ignored']) }),
        },
      },
      handler: async (req) => {
        const raw = typeof req.body === 'string' ? req.body : '';
        const result = await webhooks.receive(req.params.provider, req.params.companyId, raw, req.headers);
        return { received: true as const, result };
      },
    });
  });
}

const PER_ADDRESS_FACTOR = 100;

/** The rate limit's key: the company the notification is for, whichever provider and address send it. */
function companyKey(req: { params: unknown }): string {
  const companyId = (req.params as { companyId?: unknown }).companyId;
  return `webhooks:${typeof companyId === 'string' ? companyId.slice(0, 40) : ''}`;
}
