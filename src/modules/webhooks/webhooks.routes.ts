import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../http/types.js';
import type { WebhooksService } from './webhooks.service.js';

const params = z.strictObject({ provider: z.string().max(20), companyId: z.string().max(40) });

/**
 * `POST /webhooks/{provider}/{companyId}`. Signatures are computed over the exact bytes the
 * provider sent, so this scope keeps every body as the raw string instead of parsed JSON.
 */
export function registerWebhookRoutes(app: App, webhooks: WebhooksService): void {
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => done(null, body));
    scope.post('/webhooks/:provider/:companyId', {
      // verified by signature before anything is written; the limit only stops a flood from one address
      config: { access: 'public', rateLimit: { max: 60_000, timeWindow: '1 minute' } },
      schema: { tags: ['webhooks'], params, response: { 200: z.object({ received: z.literal(true), result: z.enum(['applied', 'duplicate', 'stored']) }) } },
      handler: async (req) => {
        const raw = typeof req.body === 'string' ? req.body : '';
        const result = await webhooks.receive(req.params.provider, req.params.companyId, raw, req.headers);
        return { received: true as const, result };
      },
    });
  });
}
