import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App } from '../../http/types.js';
import { notFound } from '../../shared/errors.js';
import { renderSandboxCheckoutPage, renderSandboxNotFoundPage } from './sandbox-checkout-page.js';
import type { SandboxProvider } from './sandbox.provider.js';

const params = z.strictObject({ id: z.string().max(64) });

function htmlPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-robots-tag', 'noindex')
    .send(html);
}

/**
 * The sandbox bank's hosted page. Anyone holding the checkout URL may open and complete it,
 * as with a real provider's page; the id is random and unguessable.
 */
export function registerSandboxRoutes(app: App, sandbox: SandboxProvider): void {
  app.get(
    '/sandbox/checkout/:id',
    {
      config: { access: 'public', rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: { hide: true, params },
    },
    async (req, reply) => {
      const view = await sandbox.checkoutPage(req.params.id);
      return view
        ? htmlPage(reply, 200, renderSandboxCheckoutPage(view))
        : htmlPage(reply, 404, renderSandboxNotFoundPage());
    },
  );

  app.post(
    '/sandbox/checkout/:id/complete',
    {
      config: { access: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        hide: true,
        params,
        // a plain HTML form posts application/x-www-form-urlencoded; scripts and tests may post JSON
        body: z.strictObject({ outcome: z.enum(['succeeded', 'failed']) }),
      },
    },
    async (req, reply) => {
      const row = await sandbox.bank.complete(req.params.id, req.body.outcome);
      if (!row) throw notFound('sandbox checkout', req.params.id);
      // Whatever happened (paid now, already finished, expired), the client goes back to the merchant.
      return reply.redirect(sandbox.bank.returnUrlOf(row), 303);
    },
  );
}
