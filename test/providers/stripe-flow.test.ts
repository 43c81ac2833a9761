import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { appointmentOf, copyLink, onlinePayments, payableAppointment, pressPay } from '../helpers/links.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import { startStripeStub } from '../stubs/stripe-stub.js';

const MINUTE = 60_000;
const clock = new ManualClock(new Date());
const stub = await startStripeStub({ now: () => clock.now() });
const t = await createTestApp({ clock, env: { VISITPAY_STRIPE_API_URL: stub.url } });
const origin = await t.listen();
afterAll(() => stub.close());

/** Finance → Cashless payment → Stripe → Connect, with keys of a Stripe account whose webhook endpoint is this Visitpay. */
async function connectStripe(company: TestCompany) {
  const account = stub.newAccount({ webhookUrl: `${origin}/webhooks/stripe/${company.id}` });
  const connected = await company.owner.post(`${company.base}/settings/cashless/connect`, {
    provider: 'stripe',
    credentials: {
      secretKey: account.secretKey,
      webhookSecret: account.webhookSecret,
      publishableKey: account.publishableKey,
    },
  });
  expect(connected.status, connected.text).toBe(200);
  expect(connected.body).toMatchObject({
    provider: 'stripe',
    connected: true,
    credentialsHint: { mode: 'test', secretKey: `…${account.secretKey.slice(-4)}` },
    webhookUrl: `http://visitpay.test/webhooks/stripe/${company.id}`,
  });
  expect(connected.text).not.toContain(account.secretKey);
  expect(connected.text).not.toContain(account.webhookSecret);
  const enabled = await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true });
  expect(enabled.status, enabled.text).toBe(200);
  return account;
}

/** The client presses Pay and lands on Stripe's hosted page; answers the session id. */
async function payAtStripe(token: string) {
  const pay = await pressPay(t, token);
  expect(pay.status, pay.body).toBe(303);
  expect(pay.location).toMatch(new RegExp(`^${stub.url}/c/pay/cs_test_`));
  return pay.location!.split('/').pop()!;
}

describe('pay by link end to end (Stripe)', () => {
  it('R1 R10 R17 connect Stripe, copy, Pay, paid at Stripe: one online payment, link paid', async () => {
    const company = await t.newCompany();
    const account = await connectStripe(company);
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const link = await copyLink(company, appt.id);

    const sessionId = await payAtStripe(link.token);
    const session = stub.session(sessionId);
    const attemptId = session.client_reference_id as string;
    expect(session).toMatchObject({
      amount_total: 10_000,
      currency: 'eur',
      status: 'open',
      metadata: { companyId: company.id, appointmentId: appt.id, linkId: link.id, attemptId },
    });
    expect(stub.requestsTo('POST', /^\/v1\/checkout\/sessions$/).at(-1)!.headers['idempotency-key']).toBe(attemptId);

    const { event, delivery } = await stub.pay(sessionId);
    expect(delivery).toEqual({ status: 200, body: JSON.stringify({ received: true, result: 'applied' }) });
    await t.jobs.drain();

    const payments = await onlinePayments(t, appt.id);
    expect(payments.map((p) => [p.amount, p.provider, p.provider_payment_id, p.attempt_id])).toEqual([
      [10_000, 'stripe', event.data.object.payment_intent, attemptId],
    ]);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 0, paymentStatus: 'paid', lockedUntil: null });
    const linkAfter = await company.owner.get(`${company.base}/appointments/${appt.id}/payment-link`);
    expect(linkAfter.body).toMatchObject({ status: 'paid', attempts: [{ status: 'succeeded' }] });

    // Stripe delivers at least once: the same event again changes nothing.
    expect(await stub.deliver(account, event)).toEqual({
      status: 200,
      body: JSON.stringify({ received: true, result: 'duplicate' }),
    });
    expect(await onlinePayments(t, appt.id)).toHaveLength(1);
  });

  it('R18 two sessions of one link both paid: the second payment is refunded through Stripe', async () => {
    const company = await t.newCompany();
    const account = await connectStripe(company);
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const link = await copyLink(company, appt.id);
    const first = await payAtStripe(link.token);

    // The first tab stays open; half a minute before its end a second Pay makes a new session, and Stripe
    // cannot be reached to expire the first one.
    clock.advance(59 * MINUTE + 30_000);
    stub.failNext(10, { status: 503 }, { path: /\/expire$/ });
    const second = await payAtStripe(link.token);
    stub.clearFaults();
    const expireCalls = stub.requestsTo('POST', new RegExp(`${first}/expire$`));
    expect(expireCalls.length).toBeGreaterThan(0);
    expect(expireCalls.every((r) => r.status === 503)).toBe(true);
    expect(second).not.toBe(first);
    expect(stub.session(first).status).toBe('open');

    expect((await stub.pay(second)).delivery?.status).toBe(200);
    const { event: late, delivery } = await stub.pay(first);
    expect(delivery?.status).toBe(200);
    await t.jobs.drain();

    const payments = await onlinePayments(t, appt.id);
    expect(payments.map((p) => p.amount).sort((a, b) => a - b)).toEqual([-10_000, 10_000, 10_000]);
    const requests = await t.db
      .selectFrom('refund_requests')
      .selectAll()
      .where('appointment_id', '=', appt.id)
      .execute();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ amount: 10_000, reason: 'overpayment', status: 'succeeded' });

    const refunds = stub.refunds(account);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      id: requests[0]!.provider_refund_id,
      amount: 10_000,
      payment_intent: late.data.object.payment_intent,
      status: 'succeeded',
    });
    expect(stub.requestsTo('POST', /^\/v1\/refunds$/).at(-1)!.headers['idempotency-key']).toBe(requests[0]!.id);
    const refundPayment = payments.find((p) => p.amount < 0)!;
    expect(refundPayment).toMatchObject({
      provider: 'stripe',
      provider_refund_id: refunds[0]!.id,
      provider_payment_id: late.data.object.payment_intent,
    });
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 0, paymentStatus: 'paid' });
  });
});
