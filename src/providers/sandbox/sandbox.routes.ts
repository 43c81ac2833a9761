import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App } from '../../http/types.js';
import { notFound } from '../../shared/errors.js';
import { currencyExponent, fromDecimalString } from '../../shared/money.js';
import { ProviderRejectedError } from '../port.js';
import { renderSandboxCheckoutPage, renderSandboxNotFoundPage } from './sandbox-checkout-page.js';
import { renderMerchantPage, type MerchantPageView } from './sandbox-merchant-page.js';
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
export function registerSandboxRoutes(
  app: App,
  sandbox: SandboxProvider,
  /** why this installation does not offer the sandbox (R1), if it does not: then its merchant page does not exist */
  refusal?: string,
): void {
  registerMerchantRoutes(app, sandbox, refusal);
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

const merchantPath = (companyId: string) => `/sandbox/merchant/companies/${encodeURIComponent(companyId)}`;

/**
 * R32: the bank's merchant page, where a refund is made at the bank without Visitpay's refund
 * request (as in a provider's dashboard). Only members of the company holding finance.settings
 * see or use it (the route's access: another company's id answers 404); its form carries the
 * session's CSRF token and cross-site posts are refused (config `csrf: 'form'`).
 */
function registerMerchantRoutes(app: App, sandbox: SandboxProvider, refusal: string | undefined): void {
  const page = async (
    companyId: string,
    csrf: string | undefined,
    message?: MerchantPageView['message'],
  ): Promise<string> => {
    const { companyName, checkouts } = await sandbox.bank.merchantPage(companyId);
    return renderMerchantPage({
      companyName,
      checkouts,
      csrf,
      message,
      refundPath: (checkoutId) => `${merchantPath(companyId)}/checkouts/${encodeURIComponent(checkoutId)}/refunds`,
    });
  };

  app.get(
    '/sandbox/merchant/companies/:companyId',
    {
      config: { access: 'finance.settings' },
      schema: {
        hide: true,
        params: z.strictObject({ companyId: z.string().max(64) }),
        querystring: z.strictObject({ refunded: z.string().max(64).optional() }),
      },
    },
    async (req, reply) => {
      if (refusal) throw notFound('sandbox merchant page');
      const done = req.query.refunded
        ? { kind: 'done' as const, text: `Refund ${req.query.refunded} made; the bank notifies Visitpay.` }
        : undefined;
      return htmlPage(reply, 200, await page(req.params.companyId, req.auth?.csrfToken, done));
    },
  );

  app.post(
    '/sandbox/merchant/companies/:companyId/checkouts/:checkoutId/refunds',
    {
      // the refund lands in the ledger (R32): it needs the right to refund, not only to see the page
      config: { access: 'payments.refund', csrf: 'form', rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        hide: true,
        params: z.strictObject({ companyId: z.string().max(64), checkoutId: z.string().max(64) }),
        body: z.strictObject({ amount: z.string().min(1).max(32), csrf: z.string().max(200).optional() }),
      },
    },
    async (req, reply) => {
      if (refusal) throw notFound('sandbox merchant page');
      const { companyId, checkoutId } = req.params;
      const refuse = async (text: string) =>
        htmlPage(reply, 422, await page(companyId, req.auth?.csrfToken, { kind: 'error', text }));
      let checkout: Awaited<ReturnType<typeof sandbox.bank.get>>;
      try {
        checkout = await sandbox.bank.get(companyId, checkoutId);
      } catch {
        throw notFound('sandbox checkout', checkoutId);
      }
      let amount: number;
      try {
        amount = fromDecimalString(req.body.amount, currencyExponent(checkout.currency));
      } catch {
        return refuse(`${req.body.amount} is not an amount of ${checkout.currency}`);
      }
      try {
        const { refundId } = await sandbox.bank.refundAtMerchantPage(companyId, checkoutId, amount);
        return reply.redirect(`${merchantPath(companyId)}?refunded=${encodeURIComponent(refundId)}`, 303);
      } catch (error) {
        if (error instanceof ProviderRejectedError) return refuse(`The bank refused the refund: ${error.message}`);
        throw error;
      }
    },
  );
}
