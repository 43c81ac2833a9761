import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';
import { ProviderRejectedError, type CreateCheckoutInput, type Credentials } from '../../src/providers/port.js';
import {
  deliverDueSandboxNotifications,
  MAX_DELIVERY_TRIES,
  retryDelayMs,
  setSandboxNotificationMode,
} from '../../src/providers/sandbox/sandbox-notifier.js';
import { signatureHeader } from '../../src/shared/webhook-signature.js';
import { SandboxProvider } from '../../src/providers/sandbox/sandbox.provider.js';
import type { Db } from '../../src/db/database.js';
import { DomainError } from '../../src/shared/errors.js';
import { newId } from '../../src/shared/ids.js';
import { formatMoney } from '../../src/shared/money.js';
import { Origins } from '../../src/shared/origins.js';
import { createTestApp } from '../helpers/test-app.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

const t = await createTestApp();
const receiver = await startWebhookReceiver();
const origins = new Origins('https://pay.example.test');
origins.listening(receiver.port);
const sandbox = new SandboxProvider({ db: t.db, clock: t.clock, origins, secrets: t.services.secrets });
const app = await buildApp({ config: t.config, db: t.db, services: { ...t.services, sandbox }, logger: false });
await app.ready();
afterAll(async () => {
  await app.close();
  await receiver.close();
});

const RETURN_URL = 'https://pay.example.test/pay/tok123/return';

async function merchant(name = 'Sandbox Salon') {
  const company = await t.newCompany({ name });
  const credentials = await sandbox.validateCredentials(company.id, {});
  return { companyId: company.id, credentials, hook: `/webhooks/sandbox/${company.id}` };
}
type Merchant = Awaited<ReturnType<typeof merchant>>;

function checkoutInput(m: Merchant, overrides: Partial<CreateCheckoutInput> = {}): CreateCheckoutInput {
  const attemptId = overrides.attemptId ?? newId('attempt');
  return {
    companyId: m.companyId,
    credentials: m.credentials,
    attemptId,
    amount: 4_500,
    currency: 'EUR',
    description: 'Haircut with Maria',
    lineItems: [
      { title: 'Haircut', quantity: 1, amount: 3_000 },
      { title: 'Shampoo <b>', quantity: 2, amount: 1_500 },
    ],
    expiresAt: new Date(t.clock.now().getTime() + 3_600_000),
    returnUrl: RETURN_URL,
    metadata: { companyId: m.companyId, appointmentId: newId('appointment'), linkId: newId('link'), attemptId },
    ...overrides,
  };
}

const complete = (checkoutId: string, outcome: string, as: 'form' | 'json' = 'form') =>
  app.inject({
    method: 'POST',
    url: `/sandbox/checkout/${checkoutId}/complete`,
    ...(as === 'form'
      ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `outcome=${outcome}` }
      : { payload: { outcome } }),
  });

const notifications = (companyId: string) =>
  t.db
    .selectFrom('sandbox_notifications')
    .selectAll()
    .where('company_id', '=', companyId)
    .orderBy('created_at')
    .execute();
const typesOf = async (companyId: string) =>
  (await notifications(companyId)).map((n) => JSON.parse(n.body).type as string);

/** Runs the delivery job until nothing due is left. */
async function deliverAll(db: Db = t.db, batchSize?: number) {
  let delivered = 0;
  for (;;) {
    const report = await deliverDueSandboxNotifications({
      db,
      clock: t.clock,
      origins,
      secrets: t.services.secrets,
      timeoutMs: 2_000,
      ...(batchSize ? { batchSize } : {}),
    });
    delivered += report.delivered;
    if (report.delivered + report.failed === 0) return delivered;
  }
}

async function paidCheckout(m: Merchant) {
  const state = await sandbox.createCheckout(checkoutInput(m));
  expect((await complete(state.checkoutId, 'succeeded')).statusCode).toBe(303);
  return sandbox.getCheckout({ companyId: m.companyId, credentials: m.credentials, checkoutId: state.checkoutId });
}

describe('sandbox provider: credentials and checkouts', () => {
  it('generates a webhook secret when connected with {}, keeps a given one, and hints only its last 4 characters', async () => {
    const m = await merchant();
    expect(m.credentials.webhookSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const given = 'my-own-sandbox-secret-1234';
    expect(await sandbox.validateCredentials(m.companyId, { webhookSecret: given })).toEqual({ webhookSecret: given });
    expect(sandbox.credentialsHint({ webhookSecret: given })).toEqual({ webhookSecret: '…1234' });
    await expect(sandbox.validateCredentials(m.companyId, { apiKey: 'x' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(sandbox.validateCredentials(m.companyId, { webhookSecret: 'short' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('creates a checkout once per attempt id: the same key answers the same checkout', async () => {
    const m = await merchant();
    const input = checkoutInput(m);
    const first = await sandbox.createCheckout(input);
    const again = await sandbox.createCheckout(input);
    const [racedA, racedB] = await Promise.all([
      sandbox.createCheckout(checkoutInput(m, { attemptId: 'att_race' })),
      sandbox.createCheckout(checkoutInput(m, { attemptId: 'att_race' })),
    ]);
    expect(first).toMatchObject({
      status: 'pending',
      rawStatus: 'open',
      redirectUrl: `https://pay.example.test/sandbox/checkout/${first.checkoutId}`,
    });
    expect(first.checkoutId).toMatch(/^sbx_/);
    expect(again).toEqual(first);
    expect(racedA.checkoutId).toBe(racedB.checkoutId);
    expect((await sandbox.createCheckout(checkoutInput(m))).checkoutId).not.toBe(first.checkoutId);
    await expect(sandbox.createCheckout({ ...input, amount: 100 })).rejects.toBeInstanceOf(ProviderRejectedError);
  });

  it('answers expired once the clock passes expiresAt, and expireCheckout ends an open checkout but not a paid one', async () => {
    const m = await merchant();
    const ask = (checkoutId: string) => ({ companyId: m.companyId, credentials: m.credentials, checkoutId });
    const short = await sandbox.createCheckout(
      checkoutInput(m, { expiresAt: new Date(t.clock.now().getTime() + 60_000) }),
    );
    t.clock.advance(60_000);
    expect(await sandbox.getCheckout(ask(short.checkoutId))).toMatchObject({ status: 'expired', rawStatus: 'expired' });
    expect((await sandbox.getCheckout(ask(short.checkoutId))).redirectUrl).toBeUndefined();

    const open = await sandbox.createCheckout(checkoutInput(m));
    expect(await sandbox.expireCheckout(ask(open.checkoutId))).toMatchObject({
      status: 'expired',
      rawStatus: 'expired',
    });
    expect(await typesOf(m.companyId)).toEqual(['checkout.expired']);

    const paid = await paidCheckout(m);
    expect(await sandbox.expireCheckout(ask(paid.checkoutId))).toMatchObject({
      status: 'succeeded',
      amountPaid: 4_500,
    });
    const other = await merchant();
    await expect(sandbox.getCheckout({ ...ask(paid.checkoutId), companyId: other.companyId })).rejects.toBeInstanceOf(
      ProviderRejectedError,
    );
  });
});

describe('sandbox hosted page', () => {
  it('renders a bank page without JavaScript: merchant, Intl amount, items, a POST form with Pay and Decline', async () => {
    const m = await merchant('Salon Élégance');
    const state = await sandbox.createCheckout(checkoutInput(m));
    const res = await app.inject({ method: 'GET', url: `/sandbox/checkout/${state.checkoutId}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-store');
    const html = res.body;
    expect(html).toContain('Salon Élégance');
    expect(html).toContain(formatMoney(4_500, 'EUR'));
    expect(html).toContain('Haircut');
    expect(html).toContain('Shampoo &lt;b&gt; × 2');
    expect(html).toContain(`<form method="post" action="/sandbox/checkout/${state.checkoutId}/complete">`);
    expect(html).toMatch(/<button[^>]*name="outcome" value="succeeded">Pay/);
    expect(html).toMatch(/<button[^>]*name="outcome" value="failed">Decline/);
    expect(html).not.toContain('<script');
  });

  it('shows "already paid" after payment, "expired" after expiry, and 404 for an unknown checkout', async () => {
    const m = await merchant();
    const paid = await paidCheckout(m);
    const page = await app.inject({ method: 'GET', url: `/sandbox/checkout/${paid.checkoutId}` });
    expect(page.body).toContain('already been paid');
    expect(page.body).not.toContain('<form');
    const late = await sandbox.createCheckout(
      checkoutInput(m, { expiresAt: new Date(t.clock.now().getTime() + 1_000) }),
    );
    t.clock.advance(1_000);
    expect((await app.inject({ method: 'GET', url: `/sandbox/checkout/${late.checkoutId}` })).body).toContain(
      'expired',
    );
    expect((await app.inject({ method: 'GET', url: '/sandbox/checkout/sbx_nope' })).statusCode).toBe(404);
  });

  it('Pay (form post) marks it paid, enqueues checkout.succeeded and answers 303 to the return URL', async () => {
    const m = await merchant();
    const state = await sandbox.createCheckout(checkoutInput(m));
    const res = await complete(state.checkoutId, 'succeeded');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(RETURN_URL);
    const after = await sandbox.getCheckout({
      companyId: m.companyId,
      credentials: m.credentials,
      checkoutId: state.checkoutId,
    });
    expect(after).toMatchObject({
      status: 'succeeded',
      rawStatus: 'paid',
      amountPaid: 4_500,
      providerPaymentId: state.checkoutId.replace('sbx_', 'sbp_'),
    });
    expect(await typesOf(m.companyId)).toEqual(['checkout.succeeded']);
  });

  it('Decline (JSON post) marks it declined; a second completion is a no-op', async () => {
    const m = await merchant();
    const state = await sandbox.createCheckout(checkoutInput(m));
    expect((await complete(state.checkoutId, 'failed', 'json')).statusCode).toBe(303);
    const again = await complete(state.checkoutId, 'succeeded');
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(RETURN_URL);
    const after = await sandbox.getCheckout({
      companyId: m.companyId,
      credentials: m.credentials,
      checkoutId: state.checkoutId,
    });
    expect(after).toMatchObject({ status: 'failed', rawStatus: 'declined' });
    expect(await typesOf(m.companyId)).toEqual(['checkout.failed']);
  });

  it('R11 an expired checkout cannot be paid: completing it records nothing but the expiry', async () => {
    const m = await merchant();
    const state = await sandbox.createCheckout(
      checkoutInput(m, { expiresAt: new Date(t.clock.now().getTime() + 5_000) }),
    );
    t.clock.advance(5_000);
    expect((await complete(state.checkoutId, 'succeeded')).statusCode).toBe(303);
    const after = await sandbox.getCheckout({
      companyId: m.companyId,
      credentials: m.credentials,
      checkoutId: state.checkoutId,
    });
    expect(after.status).toBe('expired');
    expect(await typesOf(m.companyId)).toEqual(['checkout.expired']);
  });

  it('refuses a bad outcome with 400 and an unknown checkout with 404', async () => {
    expect((await complete('sbx_unknown', 'succeeded')).statusCode).toBe(404);
    const m = await merchant();
    const state = await sandbox.createCheckout(checkoutInput(m));
    const bad = await complete(state.checkoutId, 'maybe');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
  });
});

describe('sandbox refunds', () => {
  it('refunds partly then fully, idempotent by key, never more than paid minus refunded', async () => {
    const m = await merchant();
    const paid = await paidCheckout(m);
    const refund = (amount: number, key = newId('request')) =>
      sandbox.refund({
        companyId: m.companyId,
        credentials: m.credentials,
        checkoutId: paid.checkoutId,
        providerPaymentId: paid.providerPaymentId!,
        amount,
        currency: 'EUR',
        idempotencyKey: key,
      });
    const first = await refund(1_000, 'rr_1');
    expect(first).toMatchObject({ status: 'succeeded', rawStatus: 'succeeded' });
    expect(first.refundId).toMatch(/^sbr_/);
    expect(await refund(1_000, 'rr_1')).toEqual(first);
    await expect(refund(2_000, 'rr_1')).rejects.toBeInstanceOf(ProviderRejectedError);
    await expect(refund(3_501)).rejects.toMatchObject({ providerCode: 'amount_exceeds_refundable' });
    expect((await refund(3_500)).status).toBe('succeeded');
    await expect(refund(1)).rejects.toMatchObject({ providerCode: 'amount_exceeds_refundable' });
    const row = await t.db
      .selectFrom('sandbox_checkouts')
      .select('refunded')
      .where('id', '=', paid.checkoutId)
      .executeTakeFirstOrThrow();
    expect(row.refunded).toBe(4_500);
    expect(await typesOf(m.companyId)).toEqual(['checkout.succeeded', 'refund.succeeded', 'refund.succeeded']);
  });

  it('refuses to refund a checkout that was not paid', async () => {
    const m = await merchant();
    const open = await sandbox.createCheckout(checkoutInput(m));
    await expect(
      sandbox.refund({
        companyId: m.companyId,
        credentials: m.credentials,
        checkoutId: open.checkoutId,
        providerPaymentId: 'sbp_x',
        amount: 100,
        currency: 'EUR',
        idempotencyKey: 'k',
      }),
    ).rejects.toMatchObject({ providerCode: 'not_paid' });
  });
});

describe('sandbox notification signatures', () => {
  const body = (m: Merchant) =>
    JSON.stringify({
      id: 'evt_test',
      type: 'checkout.succeeded',
      created: 1,
      data: {
        checkoutId: 'sbx_abc',
        status: 'paid',
        amount: 4_500,
        currency: 'EUR',
        metadata: { attemptId: 'att_1', companyId: m.companyId },
        paymentId: 'sbp_abc',
      },
    });
  const parse = (m: Merchant, rawBody: string, header?: string, credentials: Credentials = m.credentials) =>
    sandbox.parseNotification({
      companyId: m.companyId,
      credentials,
      rawBody,
      headers: header ? { 'visitpay-signature': header } : {},
    });

  it('accepts a good signature and normalizes the event', async () => {
    const m = await merchant();
    const raw = body(m);
    const event = await parse(m, raw, signatureHeader(m.credentials.webhookSecret!, t.clock.now(), raw));
    expect(event).toEqual({
      kind: 'checkout',
      eventId: 'evt_test',
      eventType: 'checkout.succeeded',
      attemptId: 'att_1',
      state: {
        checkoutId: 'sbx_abc',
        status: 'succeeded',
        rawStatus: 'paid',
        providerPaymentId: 'sbp_abc',
        amountPaid: 4_500,
        currencyPaid: 'EUR',
      },
    });
  });

  it('rejects forged, tampered, stale and missing signatures with invalid_signature', async () => {
    const m = await merchant();
    const raw = body(m);
    const now = t.clock.now();
    const invalid = { code: 'invalid_signature' };
    await expect(parse(m, raw, signatureHeader('somebody-elses-secret-000', now, raw))).rejects.toMatchObject(invalid);
    await expect(
      parse(m, raw.replace('4500', '9999'), signatureHeader(m.credentials.webhookSecret!, now, raw)),
    ).rejects.toMatchObject(invalid);
    await expect(
      parse(m, raw, signatureHeader(m.credentials.webhookSecret!, new Date(now.getTime() - 301_000), raw)),
    ).rejects.toMatchObject(invalid);
    await expect(
      parse(m, raw, signatureHeader(m.credentials.webhookSecret!, new Date(now.getTime() - 299_000), raw)),
    ).resolves.toMatchObject({ kind: 'checkout' });
    await expect(parse(m, raw)).rejects.toBeInstanceOf(DomainError);
    await expect(parse(m, raw, 't=abc,v1=')).rejects.toMatchObject(invalid);
    await expect(parse(m, raw, signatureHeader(m.credentials.webhookSecret!, now, raw), {})).rejects.toMatchObject(
      invalid,
    );
  });
});

describe('sandbox notification delivery', () => {
  it('POSTs a signed notification to the internal webhook URL and marks it delivered', async () => {
    const m = await merchant();
    const paid = await paidCheckout(m);
    await deliverAll();
    const [request] = receiver.to(m.hook);
    expect(receiver.to(m.hook)).toHaveLength(1);
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/json');
    const event = await sandbox.parseNotification({
      companyId: m.companyId,
      credentials: m.credentials,
      rawBody: request!.body,
      headers: request!.headers,
    });
    expect(event).toMatchObject({
      kind: 'checkout',
      eventType: 'checkout.succeeded',
      state: { checkoutId: paid.checkoutId, status: 'succeeded', amountPaid: 4_500 },
    });
    const [row] = await notifications(m.companyId);
    expect(row!.delivered_at).not.toBeNull();
    expect(row!.tries).toBe(1);
  });

  it('retries after a 500 with exponential back-off (1 s, 2 s …), signing each try afresh', async () => {
    expect([1, 2, 3, 4, 10, 11, 15].map(retryDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 512_000, 600_000, 600_000]);
    const m = await merchant();
    receiver.respond(m.hook, [500, 500]);
    await paidCheckout(m);
    await deliverAll();
    expect(receiver.to(m.hook)).toHaveLength(1);
    let [row] = await notifications(m.companyId);
    expect(row).toMatchObject({ tries: 1, delivered_at: null, last_error: expect.stringContaining('HTTP 500') });
    expect(row!.deliver_at.getTime()).toBe(t.clock.now().getTime() + 1_000);
    t.clock.advance(999);
    await deliverAll();
    expect(receiver.to(m.hook)).toHaveLength(1);
    t.clock.advance(1);
    await deliverAll();
    expect(receiver.to(m.hook)).toHaveLength(2);
    [row] = await notifications(m.companyId);
    expect(row!.deliver_at.getTime()).toBe(t.clock.now().getTime() + 2_000);
    t.clock.advance(2_000);
    await deliverAll();
    const tries = receiver.to(m.hook);
    expect(tries).toHaveLength(3);
    expect(new Set(tries.map((r) => r.headers['visitpay-signature'])).size).toBe(3);
    [row] = await notifications(m.companyId);
    expect(row).toMatchObject({ tries: 3, last_error: null });
    expect(row!.delivered_at).not.toBeNull();
  });

  it(`gives up after ${MAX_DELIVERY_TRIES} failed tries`, async () => {
    const m = await merchant();
    receiver.respond(m.hook, [503]);
    await paidCheckout(m);
    await t.db
      .updateTable('sandbox_notifications')
      .set({ tries: MAX_DELIVERY_TRIES - 1 })
      .where('company_id', '=', m.companyId)
      .execute();
    await deliverAll();
    const [row] = await notifications(m.companyId);
    expect(row).toMatchObject({ dropped: true, delivered_at: null, last_error: expect.stringContaining('gave up') });
  });

  it('duplicate mode sends the same notification twice', async () => {
    const m = await merchant();
    await setSandboxNotificationMode(t, m.companyId, { mode: 'duplicate' });
    await paidCheckout(m);
    await deliverAll();
    const ids = receiver.to(m.hook).map((r) => JSON.parse(r.body).id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('delay mode holds the notification for delaySeconds', async () => {
    const m = await merchant();
    await setSandboxNotificationMode(t, m.companyId, { mode: 'delay', delaySeconds: 30 });
    await paidCheckout(m);
    await deliverAll();
    expect(receiver.to(m.hook)).toHaveLength(0);
    t.clock.advance(30_000);
    await deliverAll();
    expect(receiver.to(m.hook)).toHaveLength(1);
  });

  it('drop mode never sends the notification', async () => {
    const m = await merchant();
    await setSandboxNotificationMode(t, m.companyId, { mode: 'drop' });
    await paidCheckout(m);
    await deliverAll();
    t.clock.advance(3_600_000);
    await deliverAll();
    expect(receiver.to(m.hook)).toHaveLength(0);
    expect(await notifications(m.companyId)).toMatchObject([{ dropped: true, delivered_at: null }]);
  });

  it('expires overdue open checkouts and notifies checkout.expired', async () => {
    const m = await merchant();
    const state = await sandbox.createCheckout(
      checkoutInput(m, { expiresAt: new Date(t.clock.now().getTime() + 10_000) }),
    );
    t.clock.advance(10_000);
    await deliverAll();
    const sent = receiver.to(m.hook).map((r) => JSON.parse(r.body));
    expect(sent).toMatchObject([
      { type: 'checkout.expired', data: { checkoutId: state.checkoutId, status: 'expired' } },
    ]);
  });

  it('two concurrent deliverers on separate connection pools never send one notification twice', async () => {
    const m = await merchant();
    for (let i = 0; i < 30; i++) {
      const state = await sandbox.createCheckout(checkoutInput(m));
      await sandbox.bank.complete(state.checkoutId, i % 2 === 0 ? 'succeeded' : 'failed');
    }
    const second = connectDatabase(t.database.url, 5);
    receiver.slowDown(15);
    try {
      const [a, b] = await Promise.all([deliverAll(t.db, 4), deliverAll(second.db, 4)]);
      expect(a + b).toBe(30);
    } finally {
      receiver.slowDown(0);
      await second.close();
    }
    const ids = receiver.to(m.hook).map((r) => JSON.parse(r.body).id as string);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
  });
});
