import { afterAll, describe, expect, it } from 'vitest';
import { expectedCapture } from '../../src/providers/captured-amount.js';
import { figuresDisagree } from '../../src/modules/checkout/domain/provider-figures.js';
import { ManualClock } from '../../src/shared/clock.js';
import {
  appointmentOf,
  connectSandbox,
  copyLink,
  onlinePayments,
  payableAppointment,
  pressPay,
} from '../helpers/links.js';
import {
  attemptsOf,
  auditOf,
  checkoutIdOf,
  postSandboxWebhook,
  sandboxCheckout,
  sandboxEventBody,
} from '../helpers/settlement.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import { startStripeStub } from '../stubs/stripe-stub.js';
import { startYooKassaStub, type StubShop } from '../stubs/yookassa-stub.js';

/**
 * R34: a success whose currency or amount disagrees with its attempt is not booked: the attempt
 * turns needs_review, staff see both figures, and it is audited.
 */

const SHOP: StubShop = { shopId: '100500', secretKey: 'test_stubSecretKey0001' };
const clock = new ManualClock(new Date());
const yookassa = await startYooKassaStub({ shops: [SHOP] });
const stripe = await startStripeStub({ now: () => clock.now() });
const t = await createTestApp({
  clock,
  env: {
    VISITPAY_YOOKASSA_API_URL: yookassa.url,
    VISITPAY_STRIPE_API_URL: stripe.url,
    VISITPAY_PUBLIC_RATE_LIMIT: '0',
  },
});
const origin = await t.listen();
afterAll(async () => {
  await yookassa.close();
  await stripe.close();
});

async function refundRequestsOf(appointmentId: string) {
  return t.db.selectFrom('refund_requests').selectAll().where('appointment_id', '=', appointmentId).execute();
}

/** Everything R34 asks of an attempt whose success disagreed: not booked, no refund, unlocked, shown and audited with both figures. */
async function expectNeedsReview(
  company: TestCompany,
  appointmentId: string,
  ours: { amount: number; currency: string },
  theirs: { amount: number; currency: string },
) {
  const [attempt] = await attemptsOf(t, appointmentId);
  expect(attempt).toMatchObject({
    status: 'needs_review',
    provider_amount: theirs.amount,
    provider_currency: theirs.currency,
    amount: ours.amount,
    currency: ours.currency,
  });
  expect(attempt!.ended_at).not.toBeNull();
  expect(await onlinePayments(t, appointmentId)).toEqual([]);
  expect(await refundRequestsOf(appointmentId)).toEqual([]);
  // it ends the lock like a final state: the money is at the provider for staff to sort out
  expect(await appointmentOf(company, appointmentId)).toMatchObject({ due: ours.amount, paid: 0, lockedUntil: null });
  const link = await company.owner.get(`${company.base}/appointments/${appointmentId}/payment-link`);
  expect(link.body).toMatchObject({ status: 'active', collected: 0 });
  expect(link.body.attempts[0]).toMatchObject({
    status: 'needs_review',
    amount: ours.amount,
    providerAmount: theirs.amount,
    providerCurrency: theirs.currency,
  });
  expect(link.body.attempts[0].providerAmountFormatted).toContain(
    theirs.currency === 'EUR' ? '€' : theirs.currency === 'USD' ? '$' : theirs.currency,
  );
  const appointment = await company.owner.get(`${company.base}/appointments/${appointmentId}`);
  expect(appointment.body.paymentLink.attempts[0]).toMatchObject({
    status: 'needs_review',
    providerAmount: theirs.amount,
    providerCurrency: theirs.currency,
  });
  const audit = (await auditOf(company, appointmentId)).filter((e) => e.action === 'attempt.needs_review');
  expect(audit).toHaveLength(1);
  expect(audit[0]).toMatchObject({
    entityId: attempt!.id,
    details: {
      amount: ours.amount,
      currency: ours.currency,
      providerAmount: theirs.amount,
      providerCurrency: theirs.currency,
    },
  });
  expect((await auditOf(company, appointmentId)).map((e) => e.action)).not.toContain('payment.recorded');
  return attempt!;
}

/** Resolves once the appointment's live event stream (R29) tells staff `reason`; the stream is open when this returns. */
async function watchFor(
  company: TestCompany,
  appointmentId: string,
  reason: string,
): Promise<{ heard: Promise<void> }> {
  const controller = new AbortController();
  const res = await fetch(`${origin}${company.base}/appointments/${appointmentId}/events`, {
    headers: { authorization: `Bearer ${await t.login(company.ownerEmail)}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const heard = (async () => {
    let text = '';
    const deadline = setTimeout(() => controller.abort(), 5_000);
    try {
      while (!text.includes(`"reason":"${reason}"`)) {
        const { value, done } = await reader.read().catch(() => {
          throw new Error(`no ${reason} within 5 s; the stream said: ${text}`);
        });
        if (done) throw new Error(`the stream ended without ${reason}: ${text}`);
        text += decoder.decode(value, { stream: true });
      }
    } finally {
      clearTimeout(deadline);
      controller.abort();
    }
  })();
  return { heard };
}

describe('R34 YooKassa answers other figures than the attempt asked for', () => {
  async function yookassaCompany() {
    const company = await t.newCompany({ currency: 'EUR' });
    expect(
      (
        await company.owner.post(`${company.base}/settings/cashless/connect`, {
          provider: 'yookassa',
          credentials: SHOP,
        })
      ).status,
    ).toBe(200);
    expect((await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true })).status).toBe(200);
    return company;
  }
  async function paidAtYooKassa(company: TestCompany, price: number) {
    const appt = await payableAppointment(t, company, { price });
    const link = await copyLink(company, appt.id);
    const pay = await pressPay(t, link.token);
    expect(pay.status, pay.body).toBe(303);
    const paymentId = new URL(pay.location!).searchParams.get('orderId')!;
    yookassa.pay(paymentId);
    return { appt, paymentId };
  }
  const notify = async (company: TestCompany, paymentId: string) => {
    const answer = await yookassa.notify(`${origin}/webhooks/yookassa/${company.id}`, 'payment.succeeded', paymentId);
    expect(answer.status, answer.body).toBe(200);
    return JSON.parse(answer.body).result as string;
  };

  it('R34 5000.00 RUB for an attempt of 50.00 EUR is not booked and no refund is queued: the attempt needs review', async () => {
    const company = await yookassaCompany();
    const { appt, paymentId } = await paidAtYooKassa(company, 5_000);
    expect(yookassa.payments.get(paymentId)!.object.amount).toEqual({ value: '50.00', currency: 'EUR' });
    // the payment YooKassa answers when Visitpay reads it back says another currency and amount
    yookassa.payments.get(paymentId)!.object.amount = { value: '5000.00', currency: 'RUB' };
    expect(await notify(company, paymentId)).toBe('applied');
    const attempt = await expectNeedsReview(
      company,
      appt.id,
      { amount: 5_000, currency: 'EUR' },
      { amount: 500_000, currency: 'RUB' },
    );
    expect(attempt.provider_payment_id).toBe(paymentId);

    // the same notification again, the jobs, and a later look at the provider book nothing either
    expect(await notify(company, paymentId)).toBe('duplicate');
    await t.jobs.drain();
    yookassa.payments.get(paymentId)!.object.amount = { value: '50.00', currency: 'EUR' };
    await t.services.gateway.refresh(attempt);
    await expectNeedsReview(company, appt.id, { amount: 5_000, currency: 'EUR' }, { amount: 500_000, currency: 'RUB' });
  });

  it('R34 the right currency with another amount needs review too (no overpayment refund of money we never asked for)', async () => {
    const company = await yookassaCompany();
    const { appt, paymentId } = await paidAtYooKassa(company, 5_000);
    yookassa.payments.get(paymentId)!.object.amount = { value: '500.00', currency: 'EUR' };
    expect(await notify(company, paymentId)).toBe('applied');
    await expectNeedsReview(company, appt.id, { amount: 5_000, currency: 'EUR' }, { amount: 50_000, currency: 'EUR' });
  });

  it('R34 figures that agree are booked as before', async () => {
    const company = await yookassaCompany();
    const { appt, paymentId } = await paidAtYooKassa(company, 5_000);
    expect(await notify(company, paymentId)).toBe('applied');
    expect((await onlinePayments(t, appt.id)).map((p) => [p.amount, p.currency])).toEqual([[5_000, 'EUR']]);
    expect((await attemptsOf(t, appt.id))[0]).toMatchObject({
      status: 'succeeded',
      provider_amount: null,
      provider_currency: null,
    });
  });
});

describe('R34 sandbox and Stripe notifications with other figures', () => {
  async function sandboxAttempt() {
    const company = await t.newCompany({ currency: 'EUR' });
    await connectSandbox(company);
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const link = await copyLink(company, appt.id);
    const pay = await pressPay(t, link.token);
    expect(pay.status, pay.body).toBe(303);
    const checkout = await sandboxCheckout(t, checkoutIdOf(pay.location));
    const succeeded = (figures: { amount: number; currency: string }) =>
      sandboxEventBody({
        type: 'checkout.succeeded',
        checkoutId: checkout.id,
        status: 'paid',
        ...figures,
        metadata: checkout.metadata,
        at: clock.now(),
      });
    return { company, appt, succeeded };
  }

  it('R34 a signed sandbox success in USD for an EUR attempt needs review, live; a later one with our figures does not book it', async () => {
    const { company, appt, succeeded } = await sandboxAttempt();
    const watching = await watchFor(company, appt.id, 'attempt.needs_review');
    const answer = await postSandboxWebhook(t, company.id, succeeded({ amount: 10_000, currency: 'USD' }));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    await watching.heard;
    await expectNeedsReview(company, appt.id, { amount: 10_000, currency: 'EUR' }, { amount: 10_000, currency: 'USD' });

    const late = await postSandboxWebhook(t, company.id, succeeded({ amount: 10_000, currency: 'EUR' }));
    expect(late.status, JSON.stringify(late.body)).toBe(200);
    await t.jobs.drain();
    await expectNeedsReview(company, appt.id, { amount: 10_000, currency: 'EUR' }, { amount: 10_000, currency: 'USD' });
  });

  it('R34 a signed sandbox success for ten times the amount needs review and queues no refund', async () => {
    const { company, appt, succeeded } = await sandboxAttempt();
    expect((await postSandboxWebhook(t, company.id, succeeded({ amount: 100_000, currency: 'EUR' }))).status).toBe(200);
    await expectNeedsReview(
      company,
      appt.id,
      { amount: 10_000, currency: 'EUR' },
      { amount: 100_000, currency: 'EUR' },
    );
  });

  it("R34 a Stripe checkout.session.completed whose amount_total and currency are not the attempt's needs review", async () => {
    const company = await t.newCompany({ currency: 'EUR' });
    const account = stripe.newAccount({ webhookUrl: `${origin}/webhooks/stripe/${company.id}` });
    expect(
      (
        await company.owner.post(`${company.base}/settings/cashless/connect`, {
          provider: 'stripe',
          credentials: { secretKey: account.secretKey, webhookSecret: account.webhookSecret },
        })
      ).status,
    ).toBe(200);
    expect((await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true })).status).toBe(200);
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const pay = await pressPay(t, (await copyLink(company, appt.id)).token);
    expect(pay.status, pay.body).toBe(303);
    const { event } = await stripe.pay(pay.location!.split('/').pop()!, { deliver: false });
    Object.assign(event.data.object, { amount_total: 1_000_000, currency: 'usd' });
    expect(await stripe.deliver(account, event)).toMatchObject({ status: 200 });
    await expectNeedsReview(
      company,
      appt.id,
      { amount: 10_000, currency: 'EUR' },
      { amount: 1_000_000, currency: 'USD' },
    );
  });
});

describe('R34 which figures agree', () => {
  it('R34 compares with what the provider can capture: Stripe rounds three-decimal currencies down to a ten', () => {
    expect(expectedCapture('stripe', 5_123, 'KWD')).toBe(5_120);
    expect(expectedCapture('yookassa', 5_123, 'KWD')).toBe(5_123);
    expect(figuresDisagree({ amount: 5_120, currency: 'KWD' }, { amount: 5_120, currency: 'kwd' })).toBe(false);
    expect(figuresDisagree({ amount: 5_000, currency: 'EUR' }, { amount: 500_000, currency: 'RUB' })).toBe(true);
    expect(figuresDisagree({ amount: 5_000, currency: 'EUR' }, { amount: 5_001, currency: 'EUR' })).toBe(true);
    expect(figuresDisagree({ amount: 5_000, currency: 'EUR' }, { amount: 5_000 })).toBe(true);
  });
});
