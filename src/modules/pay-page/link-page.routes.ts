import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../http/types.js';
import { DomainError } from '../../shared/errors.js';
import type { Origins } from '../../shared/origins.js';
import { toPageView, type LinkPageService, type LinkState } from './link-page.service.js';
import { isWellFormedToken } from '../links/domain/link-token.js';
import {
  renderLinkPage,
  renderNotFoundPage,
  renderRequestErrorPage,
  renderReturnPage,
  type ReturnOutcome,
} from './link-page-html.js';
import { pickLocale } from './link-page-i18n.js';
import { tipChoiceOf } from './link-page-tips.js';
import type { TipRefusal } from '../tips/index.js';
import type { Locale } from './link-page-view.js';
import type { PayService, ReconciliationService } from '../checkout/index.js';

// A token of the wrong shape answers exactly as an unknown one, on these routes and on `/pay/*` (R6).
const tokenParams = z.strictObject({ token: z.string() });
const payForm = z.object({
  contact: z.string().max(254).optional(),
  email: z.string().max(254).optional(),
  // R40: a preset (a percentage) and the client's own amount
  tip: z.string().max(8).optional(),
  tipCustom: z.string().max(40).optional(),
});

/** How long the return page waits for the provider's answer before it says "being processed". */
const RETURN_LOOK_MS = 2_500;
/** How many times the return page refreshes itself while the outcome is unknown; then the client checks again by hand. */
const RETURN_AUTO_LOOKS = 20;
/** How many times the return page has refreshed itself while the outcome was unknown; anything odd counts as 0. */
const returnQuery = z.object({ look: z.coerce.number().int().min(0).max(RETURN_AUTO_LOOKS).catch(0).optional() });

/** Messenger and search crawlers that fetch links to draw a preview; their visits are not "opened". */
const PREVIEW_BOTS =
  /bot|crawler|spider|preview|facebookexternalhit|slack|telegram|whatsapp|discord|skype|viber|vkshare|linkedin|embedly|quora|pinterest/i;

// Rendered once per language: the page is the same for every unknown link.
const NOT_FOUND: Record<Locale, string> = { en: renderNotFoundPage('en'), ru: renderNotFoundPage('ru') };
/** The not-found page in the language the browser asks for. */
const notFoundFor = (req: FastifyRequest): string => NOT_FOUND[pickLocale(req.headers['accept-language'])];

function pageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', 'no-store')
    .header('x-robots-tag', 'noindex, nofollow')
    .header('referrer-policy', 'no-referrer')
    .header('vary', 'Accept-Language')
    .type('text/html; charset=utf-8');
}

/**
 * What the client's browser gets when a request fails before or outside the handler — a form
 * that is not the page's (another content type, an oversized field), the rate limit, a fault —
 * is a page in the client's language with the way back, not the API's JSON envelope.
 */
function pageErrorHandler(error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = (error as FastifyError).statusCode;
  const locale = pickLocale(req.headers['accept-language']);
  const token = (req.params as { token?: unknown } | undefined)?.token;
  const back = typeof token === 'string' && isWellFormedToken(token) ? `/pay/${token}` : undefined;
  if (status !== undefined && status >= 400 && status < 500) {
    return pageHeaders(reply)
      .code(status)
      .send(renderRequestErrorPage(locale, 'badRequest', back));
  }
  req.log.error({ err: error }, 'link page failed');
  return pageHeaders(reply)
    .code(500)
    .send(renderRequestErrorPage(locale, 'serverError', back));
}

/**
 * Every page of a link takes the same steps: the link's state (an unknown token gets the not-found
 * page), the client's language, the page drawn from both and sent uncached.
 */
async function sendPage(
  page: LinkPageService,
  req: FastifyRequest,
  reply: FastifyReply,
  token: string,
  draw: (state: LinkState, locale: Locale) => string | Promise<string>,
  status = 200,
): Promise<FastifyReply> {
  const state = await page.state(token);
  if (!state) return pageHeaders(reply).code(404).send(notFoundFor(req));
  const locale = pickLocale(req.headers['accept-language']);
  const html = await draw(state, locale);
  return pageHeaders(reply).code(status).send(html);
}

/**
 * The Pay form posts from our own page. A cross-site POST (a hostile page submitting the form in
 * the client's browser) is refused by the browser's own Fetch Metadata, else by its Origin.
 *
 * O6: over plain HTTP (a phone on the salon's Wi-Fi) browsers send no Fetch Metadata, and the
 * page's `Referrer-Policy: no-referrer` makes even our own form's POST say `Origin: null`; there
 * the null Origin is let through. Nothing is lost by it: the link token in the path is what
 * authorizes Pay (no cookie is involved), so a page able to submit this form could press Pay
 * itself. Over HTTPS (as the security headers decide it) a null Origin stays refused.
 */
function isSameOrigin(req: FastifyRequest, origins: Origins): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none';
  const origin = req.headers.origin;
  if (origin === 'null') return !req.viaHttps;
  if (typeof origin !== 'string') return origin === undefined;
  return origin === origins.public || origin === `${req.protocol}://${req.host}`;
}

/** The client's pages: `/pay/{token}` (R7, R8, R30), Pay (R9–R13, R26), the return page and the JSON state. */
export function registerLinkPageRoutes(
  app: App,
  deps: {
    page: LinkPageService;
    pay: PayService;
    reconciliation: Pick<ReconciliationService, 'lookOnReturn'>;
    origins: Origins;
    perMinute: number;
  },
): void {
  const limits = deps.perMinute > 0 ? { max: deps.perMinute, timeWindow: '1 minute' } : false;

  app.get('/pay/:token', {
    config: { access: 'public', rateLimit: limits },
    errorHandler: pageErrorHandler,
    schema: { hide: true, params: tokenParams },
    handler: async (req, reply) => {
      const token = req.params.token;
      return sendPage(deps.page, req, reply, token, async (state, locale) => {
        const ua = req.headers['user-agent'] ?? '';
        // a HEAD (answered by this route too) or a preview bot's fetch is no opening by the client
        if (!state.openedAt && req.method === 'GET' && ua && !PREVIEW_BOTS.test(ua))
          await deps.page.markOpened(state.linkId);
        return renderLinkPage(toPageView(state, token, locale), locale);
      });
    },
  });

  app.post('/pay/:token', {
    config: { access: 'public', rateLimit: limits },
    errorHandler: pageErrorHandler,
    schema: { hide: true, params: tokenParams, body: payForm.optional() },
    handler: async (req, reply) => {
      const token = req.params.token;
      if (!isSameOrigin(req, deps.origins)) {
        return pageHeaders(reply).code(403).send(notFoundFor(req));
      }
      const contact = req.body?.contact;
      const tip = tipChoiceOf(req.body ?? {});
      try {
        const result = await deps.pay.pay(token, { contact, tip, email: req.body?.email });
        if (result.kind === 'redirect') return reply.header('cache-control', 'no-store').redirect(result.url, 303);
        return reply.header('cache-control', 'no-store').redirect(`/pay/${token}`, 303);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'not_found')
          return pageHeaders(reply).code(404).send(notFoundFor(req));
        if (!(error instanceof DomainError)) throw error;
        const refusal = error;
        return sendPage(
          deps.page,
          req,
          reply,
          token,
          (state, locale) => {
            // R40: a refused tip is said at the tip field, with what the client typed kept
            const tipRefusal = refusal.details.field === 'tip' && state.tipPresets ? tipRefusalOf(refusal) : undefined;
            const message = tipRefusal ? undefined : clientMessage(refusal, locale);
            const view = toPageView(state, token, locale, {
              ...(message ? { error: message } : {}),
              ...(contact ? { contact } : {}),
              ...(req.body?.email ? { email: req.body.email } : {}),
              ...(tipRefusal
                ? { tip: { choice: req.body?.tip, custom: req.body?.tipCustom, refusal: tipRefusal } }
                : {}),
            });
            const needsContact = view.needsContact || refusal.details.field === 'contact';
            return renderLinkPage({ ...view, needsContact }, locale);
          },
          refusal.status,
        );
      }
    },
  });

  app.get('/pay/:token/return', {
    config: { access: 'public', rateLimit: limits },
    errorHandler: pageErrorHandler,
    schema: { hide: true, params: tokenParams, querystring: returnQuery },
    handler: async (req, reply) => {
      const token = req.params.token;
      return sendPage(deps.page, req, reply, token, async (state, locale) => {
        let now = state;
        // An attempt still open here: the provider is asked once (bounded) rather than the client told to wait.
        if (state.state === 'paying') {
          await deps.reconciliation.lookOnReturn(state.linkId, RETURN_LOOK_MS);
          now = (await deps.page.state(token)) ?? state;
        }
        const look = req.query.look ?? 0;
        const outcome = returnOutcome(now);
        // R41: a success says what was paid and for which visit
        const paidNow = outcome === 'succeeded' ? await deps.page.paidThroughLink(now.linkId) : undefined;
        const view = toPageView(now, token, locale, paidNow === undefined ? {} : { paidNow });
        return renderReturnPage(view, locale, outcome, {
          nextLook: look < RETURN_AUTO_LOOKS ? look + 1 : undefined,
        });
      });
    },
  });

  // R6: an over-long or oddly shaped token answers exactly as an unknown one does.
  app.route({
    method: ['GET', 'POST'],
    url: '/pay/*',
    config: { access: 'public', rateLimit: limits },
    schema: { hide: true },
    handler: async (req, reply) => pageHeaders(reply).code(404).send(notFoundFor(req)),
  });
  app.get(
    '/api/v1/pay/*',
    { config: { access: 'public', rateLimit: limits }, schema: { hide: true } },
    async (_req, reply) => {
      reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
      throw new DomainError('not_found', 'link not found');
    },
  );

  app.get('/api/v1/pay/:token', {
    config: { access: 'public', rateLimit: limits },
    schema: { tags: ['public'], summary: 'The state of a payment link, for polling', params: tokenParams },
    handler: async (req, reply) => {
      const state = await deps.page.state(req.params.token);
      reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
      if (!state) throw new DomainError('not_found', 'link not found');
      return publicState(state);
    },
  });
}

function returnOutcome(state: LinkState): ReturnOutcome {
  if (state.state === 'paid') return 'succeeded';
  if (state.state === 'paying') return 'processing';
  return 'failed';
}

/** A domain refusal in the client's words; staff-facing details stay out of the page. */
function clientMessage(error: DomainError, locale: Locale): string {
  const ru = locale === 'ru';
  switch (error.code) {
    case 'contact_required':
      return ru ? 'Укажите email или телефон для чека.' : 'Please enter an email or phone number for your receipt.';
    case 'validation_failed':
      if (error.details.field === 'email')
        return ru ? 'Проверьте email, например name@example.com.' : 'Check the email address, e.g. name@example.com.';
      return error.details.field === 'contact'
        ? ru
          ? 'Введите email или телефон в международном формате, например +7…'
          : 'Enter an email address or a phone number with its country code, e.g. +49…'
        : ru
          ? 'Проверьте введённые данные.'
          : 'Please check what you entered.';
    case 'provider_error':
      return ru
        ? 'Платёжная система не отвечает. Попробуйте ещё раз через минуту.'
        : 'The payment system is not answering. Please try again in a minute.';
    case 'mixed_tax_systems':
      return ru
        ? 'Этот визит нельзя оплатить по ссылке. Пожалуйста, свяжитесь с салоном.'
        : 'This visit cannot be paid by link. Please contact the salon.';
    default:
      return ru ? 'Оплата сейчас недоступна.' : 'Payment is not available right now.';
  }
}

const TIP_REFUSALS: readonly TipRefusal[] = ['format', 'negative', 'above_cap', 'unknown_preset'];
function tipRefusalOf(error: DomainError): TipRefusal {
  const reason = error.details.reason;
  return TIP_REFUSALS.find((r) => r === reason) ?? 'format';
}

function publicState(state: LinkState) {
  return {
    state: state.state,
    unavailableReason: state.unavailableReason ?? null,
    companyName: state.companyName,
    currency: state.currency,
    appointmentStartsAt: state.appointmentStartsAt.toISOString(),
    staffName: state.staffName,
    clientFirstName: state.clientFirstName,
    items: state.items,
    total: state.total,
    paid: state.paid,
    amountNow: state.amountNow,
    attempt: state.attempt ? { status: state.attempt.status, expiresAt: state.attempt.expiresAt.toISOString() } : null,
    needsContact: state.needsContact,
  };
}
