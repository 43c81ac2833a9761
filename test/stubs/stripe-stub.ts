import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createRefund,
  createSession,
  currentSession,
  expandSession,
  expireSession,
  list,
  listRefunds,
  newAccount,
  paySession,
  retrieveRefund,
  settleAsync,
  settleRefund,
  type Json,
  type StubAccount,
} from './stripe-stub-bank.js';
import { StubError } from './stripe-stub-checkout.js';
import { decodeForm, flatForm, type FormObject } from './stripe-stub-form.js';

/**
 * A local server speaking Stripe's documented API, enough for Visitpay's adapter: Bearer auth,
 * form-encoded bodies in bracket notation, Stripe's error shape, idempotency keys (same key and
 * body → the saved answer, another body → idempotency_error), Checkout Sessions, expire, refunds,
 * balance. It can pay sessions and send correctly signed webhooks, and be told to fail.
 */

export interface StubRequest {
  method: string;
  path: string;
  query: FormObject;
  headers: IncomingHttpHeaders;
  raw: string;
  /** the body's fields exactly as sent, e.g. `line_items[0][price_data][currency]` */
  form: Record<string, string>;
  params: FormObject;
  status?: number;
}

export type Fault = { status: 500 | 502 | 503 } | { status: 429; retryAfterSeconds?: number } | 'timeout';

interface PlannedFault {
  left: number;
  fault: Fault;
  method?: string;
  path?: RegExp;
}

/** Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>. */
export function stripeSignature(payload: string, secret: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

const ERROR_500 = { type: 'api_error', message: 'An unknown error occurred' };
const ERROR_429 = {
  type: 'invalid_request_error',
  code: 'rate_limit',
  message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
};

export async function startStripeStub(options: { now?: () => Date } = {}) {
  const now = () => Math.floor((options.now ?? (() => new Date()))().getTime() / 1000);
  const accounts = new Map<string, StubAccount>();
  const idempotency = new Map<string, { method: string; path: string; raw: string; status: number; body: Json }>();
  const faults: PlannedFault[] = [];
  const requests: StubRequest[] = [];
  const held = new Set<ServerResponse>();
  let baseUrl = '';

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'request-id': `req_${randomBytes(8).toString('hex')}`,
      'stripe-version': '2026-10-28.endive',
      ...headers,
    });
    res.end(JSON.stringify(body));
  };

  function authenticate(headers: IncomingHttpHeaders): StubAccount {
    const header = headers.authorization ?? '';
    const bearer = /^Bearer (.+)$/.exec(header)?.[1];
    const basic = /^Basic (.+)$/.exec(header)?.[1];
    const key = bearer ?? (basic ? Buffer.from(basic, 'base64').toString('utf8').split(':')[0] : undefined);
    if (!key)
      throw new StubError(401, {
        type: 'invalid_request_error',
        message:
          'You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth.',
      });
    const account = accounts.get(key);
    if (!account)
      throw new StubError(401, {
        type: 'invalid_request_error',
        message: `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(8)}${key.slice(-4)}`,
      });
    return account;
  }

  function route(account: StubAccount, request: StubRequest): Json {
    const { method, path, params, query } = request;
    if (path.startsWith('/v1/checkout/') && account.checkoutDenied) {
      throw new StubError(403, {
        type: 'invalid_request_error',
        message: `The provided key '${account.secretKey.slice(0, 8)}***' does not have the required permissions for this endpoint on account '${account.id}'. Having the 'rak_checkout_session_read' permission would allow this request to continue.`,
      });
    }
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/v1/balance') {
      return {
        object: 'balance',
        available: [{ amount: 0, currency: 'eur', source_types: { card: 0 } }],
        livemode: false,
        pending: [{ amount: 0, currency: 'eur', source_types: { card: 0 } }],
      };
    }
    if (method === 'GET' && path === '/v1/checkout/sessions') {
      const sessions = [...account.sessions.keys()].reverse().map((id) => currentSession(account, id, now()));
      return list(sessions, '/v1/checkout/sessions', Math.min(Number(query.limit ?? 10), 100));
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') return createSession(account, params, now(), baseUrl);
    if (method === 'GET' && (m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path))) {
      return expandSession(account, currentSession(account, m[1]!, now()), query.expand);
    }
    if (method === 'POST' && (m = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path)))
      return expireSession(account, m[1]!, now());
    if (method === 'POST' && path === '/v1/refunds') return createRefund(account, params, now());
    if (method === 'GET' && path === '/v1/refunds') return listRefunds(account, query);
    if (method === 'GET' && (m = /^\/v1\/refunds\/([^/]+)$/.exec(path))) return retrieveRefund(account, m[1]!);
    throw new StubError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    });
  }

  function handle(req: IncomingMessage, res: ServerResponse, raw: string) {
    const url = new URL(req.url ?? '/', 'http://stub');
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname.startsWith('/c/pay/')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Stripe Checkout (stub)</title><h1>Pay</h1>');
      return;
    }
    const request: StubRequest = {
      method,
      path: url.pathname,
      query: decodeForm(url.search.slice(1)),
      headers: req.headers,
      raw,
      form: flatForm(raw),
      params: decodeForm(raw),
    };
    requests.push(request);
    const planned = faults.find(
      (f) => f.left > 0 && (!f.method || f.method === method) && (!f.path || f.path.test(url.pathname)),
    );
    if (planned) {
      planned.left -= 1;
      if (planned.fault === 'timeout') {
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      request.status = planned.fault.status;
      if (planned.fault.status === 429) {
        const retry = planned.fault.retryAfterSeconds;
        send(res, 429, { error: ERROR_429 }, retry === undefined ? {} : { 'retry-after': String(retry) });
      } else send(res, planned.fault.status, { error: ERROR_500 });
      return;
    }
    try {
      const account = authenticate(req.headers);
      const key = req.headers['idempotency-key'];
      const scoped = typeof key === 'string' && method === 'POST' ? `${account.id} ${key}` : undefined;
      const saved = scoped ? idempotency.get(scoped) : undefined;
      if (saved) {
        if (saved.method !== method || saved.path !== url.pathname || saved.raw !== raw) {
          throw new StubError(400, {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          });
        }
        request.status = saved.status;
        return send(res, saved.status, saved.body, { 'idempotent-replayed': 'true', 'idempotency-key': String(key) });
      }
      const body = structuredClone(route(account, request));
      request.status = 200;
      if (scoped) idempotency.set(scoped, { method, path: url.pathname, raw, status: 200, body });
      send(res, 200, body, scoped ? { 'idempotency-key': String(key) } : {});
    } catch (error) {
      if (!(error instanceof StubError)) throw error;
      request.status = error.status;
      send(res, error.status, { error: error.body });
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        send(res, 500, { error: { ...ERROR_500, message: `stub failure: ${(error as Error).message}` } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const accountOfSession = (sessionId: string) => {
    for (const account of accounts.values()) if (account.sessions.has(sessionId)) return account;
    throw new Error(`no account has checkout session ${sessionId}`);
  };

  const stub = {
    url: baseUrl,
    requests,
    /** A Stripe account with its keys; its webhook endpoint may be set now or later. */
    newAccount(options: { restricted?: boolean; checkoutDenied?: boolean; webhookUrl?: string } = {}): StubAccount {
      const account = newAccount(options);
      if (options.webhookUrl) account.webhookUrl = options.webhookUrl;
      accounts.set(account.secretKey, account);
      return account;
    },
    /** The next `count` matching requests fail with `fault` before Stripe does anything. */
    failNext(count: number, fault: Fault, match: { method?: string; path?: RegExp } = {}) {
      faults.push({ left: count, fault, ...match });
    },
    clearFaults() {
      faults.length = 0;
    },
    requestsTo(method: string, path: RegExp) {
      return requests.filter((r) => r.method === method && path.test(r.path));
    },
    session(id: string) {
      return currentSession(accountOfSession(id), id, now());
    },
    intent(id: string) {
      for (const account of accounts.values()) if (account.intents.has(id)) return account.intents.get(id)!;
      throw new Error(`no payment intent ${id}`);
    },
    refunds(account: StubAccount) {
      return [...account.refunds.values()];
    },
    /** The webhook body, signed with the endpoint secret (or another) at a time of choice. */
    signed(event: Json, options: { secret: string; timestamp?: number }) {
      const payload = JSON.stringify(event, null, 2);
      return { payload, signature: stripeSignature(payload, options.secret, options.timestamp ?? now()) };
    },
    /** POSTs the event to the account's webhook endpoint as Stripe does. */
    async deliver(account: StubAccount, event: Json) {
      if (!account.webhookUrl) throw new Error(`account ${account.id} has no webhook endpoint`);
      const { payload, signature } = stub.signed(event, { secret: account.webhookSecret });
      const res = await fetch(account.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': signature,
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        },
        body: payload,
      });
      return { status: res.status, body: await res.text() };
    },
    /** The client pays the session at the hosted page; the completed event is delivered unless told not to. */
    async pay(sessionId: string, options: { async?: boolean; deliver?: boolean } = {}) {
      const account = accountOfSession(sessionId);
      const event = paySession(account, sessionId, now(), options.async ?? false);
      const delivery =
        options.deliver === false || !account.webhookUrl ? undefined : await stub.deliver(account, event);
      return { event, delivery };
    },
    async settleAsync(sessionId: string, outcome: 'succeeded' | 'failed', options: { deliver?: boolean } = {}) {
      const account = accountOfSession(sessionId);
      const event = settleAsync(account, sessionId, now(), outcome);
      const delivery =
        options.deliver === false || !account.webhookUrl ? undefined : await stub.deliver(account, event);
      return { event, delivery };
    },
    /** R32: a refund made in the Stripe Dashboard (no metadata of Visitpay's); answers it with the events it made. */
    refundAtDashboard(account: StubAccount, intentId: string, amount: number) {
      const before = account.events.length;
      const refund = createRefund(account, { payment_intent: intentId, amount: String(amount) }, now());
      return { refund, events: account.events.slice(before) };
    },
    settleRefund(account: StubAccount, refundId: string, outcome: 'succeeded' | 'failed') {
      return settleRefund(account, refundId, now(), outcome);
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return stub;
}

export type StripeStub = Awaited<ReturnType<typeof startStripeStub>>;
