import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { copyLink, onlinePayments, payableAppointment, pressPay } from '../helpers/links.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import { startStripeStub } from '../stubs/stripe-stub.js';
import { startYooKassaStub, type StubShop } from '../stubs/yookassa-stub.js';

const clock = new ManualClock(new Date());
const stripe = await startStripeStub({ now: () => clock.now() });
const SHOP: StubShop = { shopId: '100500', secretKey: 'test_stubSecretKey0001' };
const FISCAL: StubShop = { shopId: '200600', secretKey: 'live_fiscalShopKey0002', fiscalization: true };
const SLOW: StubShop = { shopId: '300700', secretKey: 'test_slowRefunds0003', pendingRefunds: true };
const yookassa = await startYooKassaStub({ shops: [SHOP, FISCAL, SLOW] });
const t = await createTestApp({
  clock,
  env: { VISITPAY_STRIPE_API_URL: stripe.url, VISITPAY_YOOKASSA_API_URL: yookassa.url },
});
const origin = await t.listen();
afterAll(async () => {
  await stripe.close();
  await yookassa.close();
});

async function refund(company: TestCompany, appointmentId: string, paymentId: string, amount: number, reason: string) {
  return company.owner.post(`${company.base}/appointments/${appointmentId}/payments/${paymentId}/refunds`, {
    amount,
    reason,
  });
}

async function windowOf(company: TestCompany, appointmentId: string) {
  const res = await company.owner.get(`${company.base}/appointments/${appointmentId}`);
  expect(res.status, res.text).toBe(200);
  return res.body as {
    paid: number;
    due: number;
    payments: { id: string; amount: number; refundable: number | null }[];
    refunds: { id: string; status: string; failure: string | null; origin: string; amount: number }[];
  };
}

async function paymentOf(appointmentId: string) {
  const [payment] = await onlinePayments(t, appointmentId);
  return payment!;
}

/** Stripe connected, an appointment paid in full at Stripe's hosted page. */
async function paidAtStripe(price: number) {
  const company = await t.newCompany();
  const account = stripe.newAccount({ webhookUrl: `${origin}/webhooks/stripe/${company.id}` });
  const connected = await company.owner.post(`${company.base}/settings/cashless/connect`, {
    provider: 'stripe',
    credentials: {
      secretKey: account.secretKey,
      webhookSecret: account.webhookSecret,
      publishableKey: account.publishableKey,
    },
  });
  expect(connected.status, connected.text).toBe(200);
  expect((await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true })).status).toBe(200);
  const appt = await payableAppointment(t, company, { price });
  const pay = await pressPay(t, (await copyLink(company, appt.id)).token);
  expect(pay.status, pay.body).toBe(303);
  const { delivery } = await stripe.pay(pay.location!.split('/').pop()!);
  expect(delivery?.status).toBe(200);
  await t.jobs.drain();
  const payment = await paymentOf(appt.id);
  expect(payment.amount).toBe(price);
  return { company, account, appointmentId: appt.id, payment };
}

/** YooKassa connected (with the online cash register for a fiscal shop), an appointment paid in full there. */
async function paidAtYooKassa(shop: StubShop, price: number) {
  const company = await t.newCompany({ country: 'RU', currency: 'RUB', timezone: 'Europe/Moscow' });
  const connected = await company.owner.post(`${company.base}/settings/cashless/connect`, {
    provider: 'yookassa',
    credentials: { shopId: shop.shopId, secretKey: shop.secretKey },
  });
  expect(connected.status, connected.text).toBe(200);
  const settings = await company.owner.put(`${company.base}/settings/cashless`, {
    payByLinkEnabled: true,
    ...(shop.fiscalization ? { fiscalization: { enabled: true } } : {}),
  });
  expect(settings.status, settings.text).toBe(200);
  const appt = await payableAppointment(t, company, { price, taxSystem: 'osn' });
  const pay = await pressPay(t, (await copyLink(company, appt.id)).token);
  expect(pay.status, pay.body).toBe(303);
  const yooPaymentId = new URL(pay.location!).searchParams.get('orderId')!;
  yookassa.pay(yooPaymentId);
  const notified = await yookassa.notify(
    `${origin}/webhooks/yookassa/${company.id}`,
    'payment.succeeded',
    yooPaymentId,
  );
  expect(notified.status, notified.body).toBe(200);
  const payment = await paymentOf(appt.id);
  expect(payment.amount).toBe(price);
  return { company, appointmentId: appt.id, payment, yooPaymentId };
}

const yooRefundCalls = (requestId: string) =>
  yookassa.calls('POST', '/v3/refunds').filter((r) => r.headers['idempotence-key'] === requestId);
const minor = (value: string) => Number(value.replace('.', ''));

describe('R31 staff refunds through Stripe', () => {
  it('R31 a full refund of a Stripe payment: one refund of its PaymentIntent, keyed by the request', async () => {
    const { company, account, appointmentId, payment } = await paidAtStripe(10_000);
    const res = await refund(company, appointmentId, payment.id, 10_000, 'cancelled by the salon');
    expect(res.status, res.text).toBe(201);
    expect(res.body.refund).toMatchObject({ status: 'succeeded', origin: 'staff', amount: 10_000 });

    const refunds = stripe.refunds(account);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amount: 10_000, payment_intent: payment.provider_payment_id });
    expect(stripe.requestsTo('POST', /^\/v1\/refunds$/).at(-1)!.headers['idempotency-key']).toBe(res.body.refund.id);
    const booked = (await onlinePayments(t, appointmentId)).find((p) => p.amount < 0);
    expect(booked).toMatchObject({ amount: -10_000, provider: 'stripe', provider_refund_id: refunds[0]!.id });
    expect(await windowOf(company, appointmentId)).toMatchObject({ paid: 0, due: 10_000 });
  });

  it('R31 a partial refund Stripe leaves pending is pending until Stripe confirms it', async () => {
    const { company, account, appointmentId, payment } = await paidAtStripe(10_000);
    account.refundStatus = 'pending';
    const res = await refund(company, appointmentId, payment.id, 3_000, 'one service not done');
    expect(res.status, res.text).toBe(201);
    expect(res.body.refund).toMatchObject({ status: 'requested', failure: null });
    const pending = await windowOf(company, appointmentId);
    expect(pending.payments.find((p) => p.id === payment.id)?.refundable).toBe(7_000);
    expect(pending).toMatchObject({ paid: 10_000, refunds: [{ status: 'requested', amount: 3_000 }] });

    const [made] = stripe.refunds(account);
    const event = stripe.settleRefund(account, made!.id, 'succeeded');
    expect((await stripe.deliver(account, event)).status).toBe(200);
    await t.jobs.drain();
    const done = await windowOf(company, appointmentId);
    expect(done).toMatchObject({ paid: 7_000, due: 3_000, refunds: [{ status: 'succeeded' }] });
    expect(stripe.refunds(account)).toHaveLength(1);
  });

  it('R31 Stripe refusing the refund marks it failed with Stripe’s reason, shown in the window; nothing booked', async () => {
    const { company, account, appointmentId, payment } = await paidAtStripe(10_000);
    // Someone refunded most of it in Stripe's dashboard: Stripe has less left than Visitpay knows of.
    const dashboard = await fetch(`${stripe.url}/v1/refunds`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${account.secretKey}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ payment_intent: payment.provider_payment_id!, amount: '8000' }).toString(),
    });
    expect(dashboard.status).toBe(200);

    const res = await refund(company, appointmentId, payment.id, 5_000, 'goodwill');
    expect(res.status, res.text).toBe(201);
    expect(res.body.refund.status).toBe('failed');
    expect(res.body.refund.failure).toContain('greater than unrefunded amount');
    const view = await windowOf(company, appointmentId);
    expect(view.refunds).toEqual([expect.objectContaining({ id: res.body.refund.id, status: 'failed' })]);
    expect(view.refunds[0]!.failure).toContain('Stripe refused');
    // a failed refund holds nothing: the payment is refundable in full again as far as Visitpay knows
    expect(view.payments.find((p) => p.id === payment.id)?.refundable).toBe(10_000);
    expect((await onlinePayments(t, appointmentId)).filter((p) => p.amount < 0)).toEqual([]);
  });
});

describe('R31 staff refunds through YooKassa', () => {
  it('R31 a fiscal shop: a partial refund, then the rest, each with its share of the payment’s receipt', async () => {
    const { company, appointmentId, payment, yooPaymentId } = await paidAtYooKassa(FISCAL, 250_000);
    const part = await refund(company, appointmentId, payment.id, 100_000, 'shorter session');
    expect(part.status, part.text).toBe(201);
    expect(part.body.refund.status).toBe('succeeded');
    const [call] = yooRefundCalls(part.body.refund.id);
    expect(call!.body).toMatchObject({ payment_id: yooPaymentId, amount: { value: '1000.00', currency: 'RUB' } });
    const receipt = call!.body.receipt as {
      customer: unknown;
      items: { amount: { value: string }; quantity: number }[];
    };
    expect(receipt.customer).toEqual({ email: 'anna@example.test' });
    expect(receipt.items.reduce((s, i) => s + minor(i.amount.value) * Number(i.quantity), 0)).toBe(100_000);

    const rest = await refund(company, appointmentId, payment.id, 150_000, 'session cancelled');
    expect(rest.status, rest.text).toBe(201);
    expect(rest.body.refund.status).toBe('succeeded');
    expect(yookassa.payments.get(yooPaymentId)!.object.refunded_amount).toEqual({ value: '2500.00', currency: 'RUB' });
    expect((await onlinePayments(t, appointmentId)).map((p) => p.amount).sort((a, b) => a - b)).toEqual([
      -150_000, -100_000, 250_000,
    ]);
    expect((await windowOf(company, appointmentId)).payments.find((p) => p.id === payment.id)?.refundable).toBe(0);
  });

  it('R31 a full refund YooKassa leaves pending is pending until its notification says succeeded', async () => {
    const { company, appointmentId, payment } = await paidAtYooKassa(SLOW, 50_000);
    const res = await refund(company, appointmentId, payment.id, 50_000, 'double booking');
    expect(res.status, res.text).toBe(201);
    expect(res.body.refund.status).toBe('requested');
    const request = await t.db
      .selectFrom('refund_requests')
      .selectAll()
      .where('id', '=', res.body.refund.id)
      .executeTakeFirstOrThrow();
    expect(request.provider_refund_id).toBeTruthy();

    yookassa.completeRefund(request.provider_refund_id!);
    const notified = await yookassa.notify(
      `${origin}/webhooks/yookassa/${company.id}`,
      'refund.succeeded',
      request.provider_refund_id!,
    );
    expect(notified.status, notified.body).toBe(200);
    await t.jobs.drain();
    expect(await windowOf(company, appointmentId)).toMatchObject({
      paid: 0,
      due: 50_000,
      refunds: [{ status: 'succeeded', origin: 'staff' }],
    });
    expect(yooRefundCalls(res.body.refund.id)).toHaveLength(1);
  });

  it('R31 YooKassa refusing the refund marks it failed with YooKassa’s reason, shown in the window', async () => {
    const { company, appointmentId, payment, yooPaymentId } = await paidAtYooKassa(SHOP, 30_000);
    // refunded in full in YooKassa's own dashboard first
    const dashboard = await fetch(`${yookassa.url}/v3/refunds`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${SHOP.shopId}:${SHOP.secretKey}`).toString('base64')}`,
        'content-type': 'application/json',
        'idempotence-key': `dashboard-${yooPaymentId}`,
      },
      body: JSON.stringify({ payment_id: yooPaymentId, amount: { value: '300.00', currency: 'RUB' } }),
    });
    expect(dashboard.status).toBe(200);

    const res = await refund(company, appointmentId, payment.id, 10_000, 'goodwill');
    expect(res.status, res.text).toBe(201);
    expect(res.body.refund).toMatchObject({ status: 'failed' });
    const view = await windowOf(company, appointmentId);
    expect(view.refunds[0]).toMatchObject({ id: res.body.refund.id, status: 'failed' });
    expect(view.refunds[0]!.failure).toContain('more than the refundable amount');
    expect((await onlinePayments(t, appointmentId)).filter((p) => p.amount < 0)).toEqual([]);
  });
});
