import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { NOTIFICATION_BODY_LIMIT } from '../../src/modules/webhooks/webhooks.routes.js';
import { ManualClock } from '../../src/shared/clock.js';
import { connectSandbox } from '../helpers/links.js';
import { postSandboxWebhook, sandboxEventBody } from '../helpers/settlement.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import { startStripeStub } from '../stubs/stripe-stub.js';
import { startYooKassaStub, type StubShop } from '../stubs/yookassa-stub.js';

/**
 * S5: a notification that cannot be verified, is not the provider's shape, is too large or is of
 * an event type Visitpay does not process is refused 400 and writes nothing; the route is rate
 * limited per company.
 */

const SHOP: StubShop = { shopId: '100500', secretKey: 'test_stubSecretKey0001' };
const clock = new ManualClock(new Date());
const yookassa = await startYooKassaStub({ shops: [SHOP] });
const stripe = await startStripeStub({ now: () => clock.now() });
const t = await createTestApp({
  clock,
  env: { VISITPAY_YOOKASSA_API_URL: yookassa.url, VISITPAY_STRIPE_API_URL: stripe.url },
});
afterAll(async () => {
  await yookassa.close();
  await stripe.close();
});

/** Every row a notification could leave behind, counted over the whole database. */
async function rowsWritten() {
  const count = async (table: 'webhook_inbox' | 'audit_log' | 'payments' | 'refund_requests') =>
    Number((await t.db.selectFrom(table).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  return {
    inbox: await count('webhook_inbox'),
    audit: await count('audit_log'),
    payments: await count('payments'),
    refunds: await count('refund_requests'),
  };
}

/** Runs `send` and expects it refused 400 with `code`, with not one row written anywhere. */
async function expectRefused(send: () => Promise<{ status: number; body: any }>, code: string) {
  const before = await rowsWritten();
  const answer = await send();
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(answer.body.error.code).toBe(code);
  expect(await rowsWritten()).toEqual(before);
  return answer.body.error as { code: string; message: string; field?: string; eventType?: string };
}

async function post(path: string, payload: string, headers: Record<string, string> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/json', ...headers },
    payload,
  });
  return { status: res.statusCode, body: res.json() as any };
}

async function connect(company: TestCompany, provider: string, credentials: object) {
  const res = await company.owner.post(`${company.base}/settings/cashless/connect`, { provider, credentials });
  expect(res.status, res.text).toBe(200);
}

/** A body larger than any notification: a real event type padded past the limit. */
const oversized = (event: object) => JSON.stringify({ ...event, padding: 'x'.repeat(NOTIFICATION_BODY_LIMIT) });

describe('S5 YooKassa notifications Visitpay does not process', () => {
  it('S5 an unsigned deal.closed, a payout and other unknown events are refused 400 before any call to YooKassa, with no inbox or audit row', async () => {
    const company = await t.newCompany({ country: 'RU', currency: 'RUB', timezone: 'Europe/Moscow' });
    await connect(company, 'yookassa', SHOP);
    const hook = `/webhooks/yookassa/${company.id}`;
    const calls = yookassa.requests.length;
    for (const event of [
      'deal.closed',
      'payout.succeeded',
      'payment_method.active',
      'refund.canceled',
      'payment.anything',
    ]) {
      const error = await expectRefused(
        () =>
          post(
            hook,
            JSON.stringify({ type: 'notification', event, object: { id: randomUUID(), status: 'succeeded' } }),
          ),
        'unsupported_event',
      );
      expect(error.eventType).toBe(event);
      expect(error.message).toContain('payment.succeeded, payment.canceled');
    }
    expect(yookassa.requests.length).toBe(calls);
  });

  it('S5 a YooKassa body that is not JSON, not a notification, or oversized is refused 400 with nothing written', async () => {
    const company = await t.newCompany({ country: 'RU', currency: 'RUB', timezone: 'Europe/Moscow' });
    await connect(company, 'yookassa', SHOP);
    const hook = `/webhooks/yookassa/${company.id}`;
    expect((await expectRefused(() => post(hook, 'event=payment.succeeded'), 'validation_failed')).field).toBe('body');
    await expectRefused(() => post(hook, JSON.stringify({ event: 'payment.succeeded' })), 'validation_failed');
    const big = await expectRefused(
      () => post(hook, oversized({ type: 'notification', event: 'payment.succeeded', object: { id: randomUUID() } })),
      'validation_failed',
    );
    expect(big.message).toContain('64 KB');
  });

  it('S5 a YooKassa payment.succeeded naming a payment the shop does not know cannot be verified: 400, nothing written', async () => {
    const company = await t.newCompany({ country: 'RU', currency: 'RUB', timezone: 'Europe/Moscow' });
    await connect(company, 'yookassa', SHOP);
    await expectRefused(
      () =>
        post(
          `/webhooks/yookassa/${company.id}`,
          JSON.stringify({
            type: 'notification',
            event: 'payment.succeeded',
            object: { id: randomUUID(), status: 'succeeded' },
          }),
        ),
      'invalid_signature',
    );
  });
});

describe('S5 Stripe notifications Visitpay does not process', () => {
  async function stripeCompany() {
    const company = await t.newCompany();
    const account = stripe.newAccount();
    await connect(company, 'stripe', { secretKey: account.secretKey, webhookSecret: account.webhookSecret });
    return { company, account, hook: `/webhooks/stripe/${company.id}` };
  }
  const event = (type: string, object: object) => ({
    id: `evt_${randomUUID().replace(/-/g, '')}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: Math.floor(clock.now().getTime() / 1000),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });

  it('S5 a signed event of a type Visitpay does not process is refused 400 unsupported_event with nothing written', async () => {
    const { account, hook } = await stripeCompany();
    for (const type of ['payment_intent.created', 'customer.created', 'charge.succeeded']) {
      const { payload, signature } = stripe.signed(event(type, { id: 'pi_123', object: 'payment_intent' }), {
        secret: account.webhookSecret,
      });
      expect(
        (await expectRefused(() => post(hook, payload, { 'stripe-signature': signature }), 'unsupported_event'))
          .eventType,
      ).toBe(type);
    }
  });

  it('S5 an unsigned, wrongly signed or oversized Stripe event is refused 400 with nothing written', async () => {
    const { account, hook } = await stripeCompany();
    const completed = event('checkout.session.completed', {
      id: 'cs_test_x',
      object: 'checkout.session',
      mode: 'payment',
      status: 'complete',
      payment_status: 'paid',
      amount_total: 100,
      currency: 'eur',
      metadata: {},
    });
    const { payload } = stripe.signed(completed, { secret: account.webhookSecret });
    await expectRefused(() => post(hook, payload), 'invalid_signature');
    const forged = stripe.signed(completed, { secret: 'whsec_someoneelsesecret0000' });
    await expectRefused(
      () => post(hook, forged.payload, { 'stripe-signature': forged.signature }),
      'invalid_signature',
    );
    const big = stripe.signed(
      { ...completed, padding: 'x'.repeat(NOTIFICATION_BODY_LIMIT) },
      { secret: account.webhookSecret },
    );
    await expectRefused(() => post(hook, big.payload, { 'stripe-signature': big.signature }), 'validation_failed');
  });
});

describe('S5 sandbox notifications Visitpay does not process', () => {
  it('S5 unsigned, of an unknown type, not JSON or oversized: refused 400 with nothing written', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const body = (type: string) =>
      sandboxEventBody({
        type,
        checkoutId: 'sbx_nothing',
        status: 'paid',
        amount: 100,
        currency: 'EUR',
        metadata: {},
        at: clock.now(),
      });
    await expectRefused(() => post(`/webhooks/sandbox/${company.id}`, body('checkout.succeeded')), 'invalid_signature');
    expect(
      (await expectRefused(() => postSandboxWebhook(t, company.id, body('checkout.refunded')), 'unsupported_event'))
        .eventType,
    ).toBe('checkout.refunded');
    await expectRefused(() => postSandboxWebhook(t, company.id, 'not json'), 'validation_failed');
    await expectRefused(
      () => postSandboxWebhook(t, company.id, oversized(JSON.parse(body('checkout.succeeded')))),
      'validation_failed',
    );
  });
});

describe('S5 notifications for a company without that provider', () => {
  it('S5 cannot be verified: refused 400 with nothing written, whether the company exists or not', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const body = JSON.stringify({ type: 'notification', event: 'payment.succeeded', object: { id: randomUUID() } });
    await expectRefused(() => post(`/webhooks/yookassa/${company.id}`, body), 'invalid_signature');
    await expectRefused(() => post('/webhooks/yookassa/co_nosuchcompany0000000000', body), 'invalid_signature');
    expect((await post(`/webhooks/paypal/${company.id}`, body)).status).toBe(404);
  });
});

describe('S5 notification routes are rate limited per company', () => {
  it('S5 the company over its limit gets 429 from any address; another company is not affected', async () => {
    const limited = await createTestApp({ env: { VISITPAY_WEBHOOK_RATE_LIMIT: '3' } });
    const send = (companyId: string, address: string) =>
      limited.app.inject({
        method: 'POST',
        url: `/webhooks/sandbox/${companyId}`,
        remoteAddress: address,
        headers: { 'content-type': 'application/json' },
        payload: '{}',
      });
    const busy = (await limited.newCompany()).id;
    const quiet = (await limited.newCompany()).id;
    // three notifications (refused or not, they count) from three addresses, then the fourth is one too many
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3'])
      expect((await send(busy, address)).statusCode).not.toBe(429);
    const over = await send(busy, '203.0.113.4');
    expect(over.statusCode, over.body).toBe(429);
    expect(over.json().error.code).toBe('rate_limited');
    expect((await send(quiet, '203.0.113.4')).statusCode).not.toBe(429);
    expect((await send(busy, '203.0.113.5')).statusCode).toBe(429);
  });

  it('S5 the default limit lets a busy salon through (600 a minute); 0 switches it off', () => {
    expect(t.config.VISITPAY_WEBHOOK_RATE_LIMIT).toBe(600);
    expect(loadConfig({ VISITPAY_WEBHOOK_RATE_LIMIT: '0' }).VISITPAY_WEBHOOK_RATE_LIMIT).toBe(0);
    expect(() => loadConfig({ VISITPAY_WEBHOOK_RATE_LIMIT: '-1' })).toThrow(/VISITPAY_WEBHOOK_RATE_LIMIT/);
  });
});

describe('S5 notification routes are also limited per address', () => {
  it('S5 one address trying company after company is stopped at 100 times the per-company limit', async () => {
    const limited = await createTestApp({ env: { VISITPAY_WEBHOOK_RATE_LIMIT: '1' } });
    const statuses: number[] = [];
    for (let i = 0; i < 101; i++) {
      const res = await limited.app.inject({
        method: 'POST',
        url: `/webhooks/sandbox/co_madeup${i}`,
        remoteAddress: '198.51.100.7',
        headers: { 'content-type': 'application/json' },
        payload: '{}',
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 100).every((s) => s !== 429)).toBe(true);
    expect(statuses[100]).toBe(429);
    const other = await limited.app.inject({
      method: 'POST',
      url: '/webhooks/sandbox/co_madeup0x',
      remoteAddress: '198.51.100.8',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(other.statusCode).not.toBe(429);
  });
});
