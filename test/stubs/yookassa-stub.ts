import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  checkAmount,
  checkPaymentRequest,
  checkReceipt,
  checkReceiptRequest,
  checkRefundListQuery,
  checkRefundRequest,
  StubRequestError,
} from './yookassa-stub-rules.js';

/**
 * A local YooKassa API v3 speaking the documented protocol: Basic auth shopId:secretKey,
 * Idempotence-Key on every POST (same key and body → the first answer again; same key, other
 * body → 400), payments with redirect confirmation, cancel (waiting_for_capture only), refunds,
 * /v3/me, the error object {type:"error", id, code, description, parameter}. Tests can queue
 * faults (500, 429, 202 "processing", a late answer), pay or cancel a payment as the client or
 * YooKassa would, and post notifications {type:"notification", event, object}.
 */

export interface StubShop {
  shopId: string;
  secretKey: string;
  /** the shop sends 54-FZ receipts: payments and refunds without `receipt` are refused */
  fiscalization?: boolean;
  /** refunds stay `pending` until completeRefund */
  pendingRefunds?: boolean;
}

export type StubFault =
  | { kind: 'status'; status: 500 | 502 | 503 | 429 }
  /** HTTP 202 {type:"processing", retry_after}: not acted on, ask again */
  | { kind: 'processing'; retryAfterMs?: number }
  /** acts, then answers only after `delayMs` (a lost answer when the client gave up earlier) */
  | { kind: 'timeout'; delayMs: number };

export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

type Obj = Record<string, any>;
interface Answer {
  status: number;
  body: unknown;
}

const error = (status: number, code: string, description: string, parameter?: string): Answer => ({
  status,
  body: { type: 'error', id: randomUUID(), code, description, ...(parameter ? { parameter } : {}) },
});

export async function startYooKassaStub(options: { shops?: StubShop[] } = {}) {
  const shops = new Map<string, StubShop>();
  for (const shop of options.shops ?? [{ shopId: '100500', secretKey: 'test_stubSecretKey0001' }])
    shops.set(shop.shopId, shop);
  const payments = new Map<string, { shopId: string; object: Obj; receipt?: unknown }>();
  const refunds = new Map<string, { shopId: string; object: Obj; receipt?: unknown }>();
  const receipts = new Map<string, { shopId: string; object: Obj; body: Obj }>();
  const idempotency = new Map<string, { fingerprint: string; answer: Answer }>();
  const faults: { fault: StubFault; path?: string }[] = [];
  const requests: StubRequest[] = [];
  let url = '';

  const shopOf = (headers: IncomingHttpHeaders): StubShop | undefined => {
    const match = /^Basic (.+)$/.exec(headers.authorization ?? '');
    if (!match) return undefined;
    const [shopId, ...rest] = Buffer.from(match[1]!, 'base64').toString('utf8').split(':');
    const shop = shops.get(shopId ?? '');
    return shop && shop.secretKey === rest.join(':') ? shop : undefined;
  };

  const createPayment = (shop: StubShop, body: Obj): Answer => {
    checkPaymentRequest(body, shop.fiscalization === true);
    const id = randomUUID();
    const object: Obj = {
      id,
      status: 'pending',
      paid: false,
      amount: body.amount,
      description: body.description,
      recipient: { account_id: shop.shopId, gateway_id: '100700' },
      created_at: new Date().toISOString(),
      confirmation: {
        type: 'redirect',
        return_url: body.confirmation?.return_url,
        confirmation_url: `${url}/checkout/payments/v2/contract?orderId=${id}`,
      },
      test: shop.secretKey.startsWith('test_'),
      refundable: false,
      metadata: body.metadata ?? {},
      ...(body.receipt ? { receipt_registration: 'pending' } : {}),
      ...(body.capture === false ? { capture: false } : {}),
    };
    payments.set(id, { shopId: shop.shopId, object, receipt: body.receipt });
    return { status: 200, body: object };
  };

  const createRefund = (shop: StubShop, body: Obj): Answer => {
    const request = checkRefundRequest(body);
    const payment = payments.get(request.paymentId);
    if (!payment || payment.shopId !== shop.shopId)
      return error(400, 'invalid_request', 'Payment not found', 'payment_id');
    if (payment.object.status !== 'succeeded')
      return error(
        400,
        'invalid_request',
        `Payment in status ${payment.object.status} can't be refunded`,
        'payment_id',
      );
    const paid = checkAmount(payment.object.amount, 'amount').minor;
    const refunded = payment.object.refunded_amount
      ? checkAmount(payment.object.refunded_amount, 'amount', true).minor
      : 0;
    if (request.currency !== payment.object.amount.currency || request.minor > paid - refunded) {
      return error(
        400,
        'invalid_request',
        'Refund amount is more than the refundable amount of the payment',
        'amount.value',
      );
    }
    checkReceipt(request.receipt, request.minor, request.currency, shop.fiscalization === true);
    const object: Obj = {
      id: randomUUID(),
      payment_id: request.paymentId,
      status: shop.pendingRefunds ? 'pending' : 'succeeded',
      created_at: new Date().toISOString(),
      amount: body.amount,
      ...(body.description ? { description: body.description } : {}),
      ...(body.metadata ? { metadata: body.metadata } : {}),
      ...(request.receipt ? { receipt_registration: 'pending' } : {}),
    };
    refunds.set(object.id, { shopId: shop.shopId, object, receipt: request.receipt });
    const total = refunded + request.minor;
    payment.object.refunded_amount = { value: decimal(total, body.amount.value), currency: request.currency };
    return { status: 200, body: object };
  };

  /** POST /v3/receipts: a settlement receipt of a succeeded payment, never offsetting more than is left of it. */
  const createReceipt = (shop: StubShop, body: Obj): Answer => {
    const request = checkReceiptRequest(body);
    const payment = payments.get(request.paymentId);
    if (!payment || payment.shopId !== shop.shopId)
      return error(400, 'invalid_request', 'Payment not found', 'payment_id');
    if (payment.object.status !== 'succeeded')
      return error(400, 'invalid_request', `Payment in status ${payment.object.status} has no receipts`, 'payment_id');
    if (!shop.fiscalization) return error(403, 'forbidden', 'The shop does not send receipts through YooKassa');
    const paid = checkAmount(payment.object.amount, 'amount').minor;
    const refunded = payment.object.refunded_amount
      ? checkAmount(payment.object.refunded_amount, 'amount', true).minor
      : 0;
    if (request.currency !== payment.object.amount.currency || request.prepayment > paid - refunded)
      return error(
        400,
        'invalid_request',
        'The prepayment offset is more than what is left of the payment',
        'settlements',
      );
    const object: Obj = {
      id: `rt-${randomUUID()}`,
      type: request.type,
      payment_id: request.paymentId,
      status: 'pending',
      items: body.items,
      settlements: body.settlements,
      tax_system_code: body.tax_system_code,
    };
    receipts.set(object.id, { shopId: shop.shopId, object, body });
    return { status: 200, body: object };
  };

  const cancelPayment = (shop: StubShop, id: string): Answer => {
    const payment = payments.get(id);
    if (!payment || payment.shopId !== shop.shopId) return error(404, 'not_found', 'Payment not found or forbidden');
    if (payment.object.status !== 'waiting_for_capture') {
      return error(
        400,
        'invalid_request',
        `Payment in status ${payment.object.status} can't be canceled`,
        'payment_id',
      );
    }
    Object.assign(payment.object, {
      status: 'canceled',
      paid: false,
      cancellation_details: { party: 'merchant', reason: 'canceled_by_merchant' },
    });
    return { status: 200, body: payment.object };
  };

  /** Oldest first; the cursor is the id of the last refund of the page before. */
  const listRefunds = (shop: StubShop, query: URLSearchParams): Answer => {
    const q = checkRefundListQuery(query);
    const all = [...refunds.values()]
      .filter((r) => r.shopId === shop.shopId)
      .map((r) => r.object)
      .filter((r) => (!q.paymentId || r.payment_id === q.paymentId) && (!q.status || r.status === q.status));
    const start = q.cursor ? all.findIndex((r) => r.id === q.cursor) + 1 : 0;
    if (q.cursor && start === 0) return error(400, 'invalid_request', 'Invalid cursor', 'cursor');
    const items = all.slice(start, start + q.limit);
    const more = start + q.limit < all.length;
    return { status: 200, body: { type: 'list', items, ...(more ? { next_cursor: items.at(-1)!.id } : {}) } };
  };

  const route = (method: string, path: string, shop: StubShop, body: Obj, query = new URLSearchParams()): Answer => {
    if (method === 'GET' && path === '/v3/me') {
      return {
        status: 200,
        body: {
          account_id: shop.shopId,
          test: shop.secretKey.startsWith('test_'),
          fiscalization_enabled: shop.fiscalization === true,
          payment_methods: ['bank_card', 'yoo_money', 'sbp'],
          status: 'enabled',
        },
      };
    }
    if (method === 'POST' && path === '/v3/payments') return createPayment(shop, body);
    if (method === 'POST' && path === '/v3/refunds') return createRefund(shop, body);
    if (method === 'POST' && path === '/v3/receipts') return createReceipt(shop, body);
    if (method === 'GET' && path === '/v3/refunds') return listRefunds(shop, query);
    let m = /^\/v3\/payments\/([^/]+)\/cancel$/.exec(path);
    if (method === 'POST' && m) return cancelPayment(shop, decodeURIComponent(m[1]!));
    m = /^\/v3\/payments\/([^/]+)$/.exec(path);
    if (method === 'GET' && m) {
      const payment = payments.get(decodeURIComponent(m[1]!));
      return payment && payment.shopId === shop.shopId
        ? { status: 200, body: payment.object }
        : error(404, 'not_found', 'Payment not found or forbidden');
    }
    m = /^\/v3\/refunds\/([^/]+)$/.exec(path);
    if (method === 'GET' && m) {
      const refund = refunds.get(decodeURIComponent(m[1]!));
      return refund && refund.shopId === shop.shopId
        ? { status: 200, body: refund.object }
        : error(404, 'not_found', 'Refund not found or forbidden');
    }
    return error(404, 'not_found', `No such method: ${method} ${path}`);
  };

  const handle = (
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    raw: string,
    query = new URLSearchParams(),
  ): Answer => {
    const shop = shopOf(headers);
    if (!shop)
      return error(
        401,
        'invalid_credentials',
        'Login or password is incorrect. Please check it and try again',
        'Authorization',
      );
    let body: Obj = {};
    if (method === 'POST') {
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return error(400, 'invalid_request', 'Request body is not valid JSON');
      }
      const key = headers['idempotence-key'];
      if (typeof key !== 'string' || key.length === 0)
        return error(400, 'invalid_request', 'Idempotence key isn’t specified', 'Idempotence-Key');
      if (key.length > 64)
        return error(400, 'invalid_request', 'Idempotence key is longer than 64 characters', 'Idempotence-Key');
      const fingerprint = `${path}\n${JSON.stringify(body)}`;
      const seen = idempotency.get(`${shop.shopId}:${key}`);
      if (seen)
        return seen.fingerprint === fingerprint
          ? seen.answer
          : error(400, 'invalid_request', 'Idempotence key duplicated', 'Idempotence-Key');
      const answer = safely(() => route(method, path, shop, body));
      if (answer.status < 500)
        idempotency.set(`${shop.shopId}:${key}`, {
          fingerprint,
          answer: { status: answer.status, body: structuredClone(answer.body) },
        });
      return answer;
    }
    return safely(() => route(method, path, shop, body, query));
  };

  const send = (res: ServerResponse, answer: Answer, extra: Record<string, string> = {}) => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(answer.status, { 'content-type': 'application/json;charset=UTF-8', ...extra });
    res.end(JSON.stringify(answer.body));
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = new URL(req.url ?? '/', 'http://stub').pathname;
      const raw = Buffer.concat(chunks).toString('utf8');
      let parsed: unknown = raw;
      try {
        parsed = raw ? JSON.parse(raw) : undefined;
      } catch {
        /* kept as text */
      }
      requests.push({ method, path, headers: req.headers, body: parsed });
      const index = faults.findIndex((f) => !f.path || path.startsWith(f.path));
      const fault = index >= 0 ? faults.splice(index, 1)[0]!.fault : undefined;
      if (fault?.kind === 'status') {
        const code = fault.status === 429 ? 'too_many_requests' : 'internal_server_error';
        return send(
          res,
          error(fault.status, code, fault.status === 429 ? 'Too many requests' : 'Internal server error'),
          fault.status === 429 ? { 'retry-after': '0' } : {},
        );
      }
      if (fault?.kind === 'processing') {
        return send(res, {
          status: 202,
          body: {
            type: 'processing',
            id: randomUUID(),
            description: 'Request accepted',
            retry_after: fault.retryAfterMs ?? 1800,
          },
        });
      }
      const answer = handle(method, path, req.headers, raw, new URL(req.url ?? '/', 'http://stub').searchParams);
      if (fault?.kind === 'timeout') setTimeout(() => send(res, answer), fault.delayMs);
      else send(res, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const payment = (id: string) => {
    const found = payments.get(id);
    if (!found) throw new Error(`stub: no payment ${id}`);
    return found;
  };

  return {
    url,
    shops,
    payments,
    refunds,
    /** settlement receipts registered through POST /v3/receipts */
    receipts,
    requests,
    /** every request that reached the stub with this method and path, faulted ones included */
    calls: (method: string, path: string) => requests.filter((r) => r.method === method && r.path === path),
    addShop(shop: StubShop) {
      shops.set(shop.shopId, shop);
    },
    /** the next `count` API calls (to paths starting with `path`, if given) meet `fault` */
    failNext(count: number, fault: StubFault, path?: string) {
      for (let i = 0; i < count; i++) faults.push({ fault, ...(path ? { path } : {}) });
    },
    /** the client pays on YooKassa's page: succeeded (or waiting_for_capture when capture was false) */
    pay(id: string) {
      const { object } = payment(id);
      if (object.status !== 'pending') throw new Error(`stub: payment ${id} is ${object.status}`);
      const captured = object.capture !== false;
      Object.assign(object, {
        status: captured ? 'succeeded' : 'waiting_for_capture',
        paid: true,
        refundable: captured,
        ...(captured
          ? { captured_at: new Date().toISOString(), income_amount: object.amount }
          : { expires_at: new Date(Date.now() + 7 * 86_400_000).toISOString() }),
        payment_method: {
          type: 'bank_card',
          id,
          saved: false,
          card: { first6: '555555', last4: '4477', card_type: 'MasterCard' },
        },
      });
      delete object.capture;
    },
    /** YooKassa cancels the payment: a decline, or its own one-hour expiry (`expired_on_confirmation`) */
    cancel(id: string, reason = 'expired_on_confirmation', party = 'yoo_money') {
      Object.assign(payment(id).object, { status: 'canceled', paid: false, cancellation_details: { party, reason } });
    },
    /** R32: the shop refunds in YooKassa's dashboard: no metadata, no idempotence key of Visitpay's */
    refundAtDashboard(paymentId: string, minor: number): string {
      const found = payment(paymentId);
      const shop = shops.get(found.shopId)!;
      const value = decimal(minor, found.object.amount.value);
      const answer = createRefund(shop, {
        payment_id: paymentId,
        amount: { value, currency: found.object.amount.currency },
      });
      if (answer.status !== 200) throw new Error(`stub: dashboard refund refused: ${JSON.stringify(answer.body)}`);
      return (answer.body as Obj).id;
    },
    receiptOf: (id: string) => payments.get(id)?.receipt ?? refunds.get(id)?.receipt,
    completeRefund(id: string) {
      const found = refunds.get(id);
      if (!found) throw new Error(`stub: no refund ${id}`);
      found.object.status = 'succeeded';
    },
    /** YooKassa posts a notification about a payment or refund, as it stands now (or as `object` says) */
    async notify(target: string, event: string, objectId: string, object?: Obj) {
      const current = object ?? payments.get(objectId)?.object ?? refunds.get(objectId)?.object ?? { id: objectId };
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'notification', event, object: current }),
      });
      return { status: res.status, body: await res.text() };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type YooKassaStub = Awaited<ReturnType<typeof startYooKassaStub>>;

function safely(run: () => Answer): Answer {
  try {
    return run();
  } catch (e) {
    if (e instanceof StubRequestError) return error(400, 'invalid_request', e.message, e.parameter);
    throw e;
  }
}

/** minor units back to a decimal string with as many decimals as `like` has */
function decimal(minor: number, like: string): string {
  const exponent = like.includes('.') ? like.length - like.indexOf('.') - 1 : 0;
  const digits = String(minor).padStart(exponent + 1, '0');
  return exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
