import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { copyLink, onlinePayments, payableAppointment, pressPay } from '../helpers/links.js';
import { expectBookedAtProvider, expectInboxSettled, refundBooksOf } from '../helpers/provider-refunds.js';
import { MINUTE } from '../helpers/settlement.js';
import { createTestApp } from '../helpers/test-app.js';
import type { StubAccount } from '../stubs/stripe-stub-bank.js';
import { startStripeStub } from '../stubs/stripe-stub.js';

/**
 * R32 with Stripe: a refund Visitpay asked for is left pending at Stripe for more than a day; Stripe
 * forgets the idempotency key and the refund job's next ask creates a second refund with the same
 * metadata (our request id). Both refunds gave money back, so both are booked.
 */

const clock = new ManualClock(new Date());
const stub = await startStripeStub({ now: () => clock.now() });
const t = await createTestApp({ clock, env: { VISITPAY_STRIPE_API_URL: stub.url } });
const origin = await t.listen();
afterAll(() => stub.close());

/** A company with Stripe whose client paid 100.00 at Stripe. */
async function paidAtStripe() {
  const company = await t.newCompany();
  const account = stub.newAccount({ webhookUrl: `${origin}/webhooks/stripe/${company.id}` });
  const connected = await company.owner.post(`${company.base}/settings/cashless/connect`, {
    provider: 'stripe',
    credentials: { secretKey: account.secretKey, webhookSecret: account.webhookSecret },
  });
  expect(connected.status, connected.text).toBe(200);
  expect((await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true })).status).toBe(200);
  const appt = await payableAppointment(t, company, { price: 10_000 });
  const pay = await pressPay(t, (await copyLink(company, appt.id)).token);
  expect(pay.status, pay.body).toBe(303);
  const { delivery } = await stub.pay(pay.location!.split('/').pop()!);
  expect(delivery?.status).toBe(200);
  await t.jobs.drain();
  const [payment] = await onlinePayments(t, appt.id);
  expect(payment!.amount).toBe(10_000);
  return { company, account, appointmentId: appt.id, payment: payment! };
}

/** A refund created at Stripe through its API, as the refund job's call creates it (metadata included). */
async function createAtStripe(account: StubAccount, params: Record<string, string>) {
  const res = await fetch(`${stub.url}/v1/refunds`, {
    method: 'POST',
    headers: { authorization: `Bearer ${account.secretKey}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string; amount: number };
}

describe('R32 a second refund carrying our request id', () => {
  it('R32 a second Stripe refund carrying our request id (its key forgotten by Stripe) is booked once as made at the provider; ours once with its own id', async () => {
    const { company, account, appointmentId, payment } = await paidAtStripe();
    account.refundStatus = 'pending';
    const asked = await company.owner.post(
      `${company.base}/appointments/${appointmentId}/payments/${payment.id}/refunds`,
      { amount: 3_000, reason: 'one service not done' },
    );
    expect(asked.status, asked.text).toBe(201);
    expect(asked.body.refund).toMatchObject({ status: 'requested' });
    const requestId = asked.body.refund.id as string;
    const [first] = stub.refunds(account);
    const ours = (await refundBooksOf(t, appointmentId)).requests.find((r) => r.id === requestId)!;
    expect(ours.provider_refund_id).toBe(first!.id);

    // Stripe created the same refund again: same metadata, same amount, a new refund id
    const sent = stub.requestsTo('POST', /^\/v1\/refunds$/).at(-1)!;
    const second = await createAtStripe(account, sent.form);
    expect(second.id).not.toBe(first!.id);
    expect(stub.refunds(account).find((r) => r.id === second.id)!.metadata).toMatchObject({
      refundRequestId: requestId,
    });

    // the second settles first and is reported (twice); then the first
    const secondDone = stub.settleRefund(account, second.id, 'succeeded');
    for (const event of [secondDone, secondDone]) expect((await stub.deliver(account, event)).status).toBe(200);
    await t.jobs.drain();
    const firstDone = stub.settleRefund(account, first!.id, 'succeeded');
    expect((await stub.deliver(account, firstDone)).status).toBe(200);
    await t.jobs.drain();
    // and the reconciliation read finds nothing new
    clock.advance(11 * MINUTE);
    await t.jobs.drain();

    const books = await expectBookedAtProvider(t, company, appointmentId, [{ refundId: second.id, amount: 3_000 }]);
    expect(books.requests.find((r) => r.id === requestId)).toMatchObject({
      status: 'succeeded',
      provider_refund_id: first!.id,
    });
    expect(books.payments.map((p) => [p.provider_refund_id, p.amount]).sort()).toEqual(
      [
        [first!.id, -3_000],
        [second.id, -3_000],
      ].sort(),
    );
    await expectInboxSettled(t, company.id);
    // Σ online payments = captured − refunded at Stripe
    const charge = account.charges.get(account.intents.get(payment.provider_payment_id!)!.latest_charge)!;
    expect(charge.amount_refunded).toBe(6_000);
    const online = await onlinePayments(t, appointmentId);
    expect(online.reduce((s, p) => s + p.amount, 0)).toBe(charge.amount - charge.amount_refunded);
  });

  it('R32 a refund carrying the id of our request already booked with another refund, for another amount, is booked as made at the provider (Stripe stub)', async () => {
    const { company, account, appointmentId, payment } = await paidAtStripe();
    const asked = await company.owner.post(
      `${company.base}/appointments/${appointmentId}/payments/${payment.id}/refunds`,
      { amount: 3_000, reason: 'one service not done' },
    );
    expect(asked.status, asked.text).toBe(201);
    expect(asked.body.refund).toMatchObject({ status: 'succeeded' });
    const [first] = stub.refunds(account);
    const sent = stub.requestsTo('POST', /^\/v1\/refunds$/).at(-1)!;
    const before = account.events.length;
    const other = await createAtStripe(account, { ...sent.form, amount: '2000' });
    // refund.created and charge.refunded
    for (const event of account.events.slice(before)) expect((await stub.deliver(account, event)).status).toBe(200);
    await t.jobs.drain();

    const books = await expectBookedAtProvider(t, company, appointmentId, [{ refundId: other.id, amount: 2_000 }]);
    expect(books.requests.find((r) => r.id === asked.body.refund.id)).toMatchObject({
      status: 'succeeded',
      provider_refund_id: first!.id,
      amount: 3_000,
    });
    await expectInboxSettled(t, company.id);
    const charge = account.charges.get(account.intents.get(payment.provider_payment_id!)!.latest_charge)!;
    const online = await onlinePayments(t, appointmentId);
    expect(online.reduce((s, p) => s + p.amount, 0)).toBe(charge.amount - charge.amount_refunded);
    expect(charge.amount_refunded).toBe(5_000);
  });

  it('R32 a refund of ours left pending at Stripe is read, never created again, and booked once when Stripe says it succeeded', async () => {
    const { company, account, appointmentId, payment } = await paidAtStripe();
    account.refundStatus = 'pending';
    const asked = await company.owner.post(
      `${company.base}/appointments/${appointmentId}/payments/${payment.id}/refunds`,
      { amount: 3_000, reason: 'one service not done' },
    );
    expect(asked.status, asked.text).toBe(201);
    expect(asked.body.refund).toMatchObject({ status: 'requested' });
    const posts = () =>
      stub.requestsTo('POST', /^\/v1\/refunds$/).filter((r) => r.headers['idempotency-key'] === asked.body.refund.id);
    expect(posts()).toHaveLength(1);
    const [made] = stub.refunds(account);

    // the refund job's tries over two days: still pending at Stripe
    for (let i = 0; i < 48; i++) {
      clock.advance(60 * MINUTE);
      await t.jobs.drain();
    }
    expect(posts()).toHaveLength(1);
    expect(stub.refunds(account)).toHaveLength(1);
    expect((await refundBooksOf(t, appointmentId)).requests).toMatchObject([{ status: 'requested' }]);

    // it succeeds; its notification is lost; the refund job's next read learns it
    stub.settleRefund(account, made!.id, 'succeeded');
    clock.advance(60 * MINUTE);
    await t.jobs.drain();
    const books = await refundBooksOf(t, appointmentId);
    expect(books.requests).toMatchObject([
      { id: asked.body.refund.id, status: 'succeeded', provider_refund_id: made!.id },
    ]);
    expect(books.payments.map((p) => [p.provider_refund_id, p.amount])).toEqual([[made!.id, -3_000]]);
    expect(posts()).toHaveLength(1);
    const charge = account.charges.get(account.intents.get(payment.provider_payment_id!)!.latest_charge)!;
    const online = await onlinePayments(t, appointmentId);
    expect(online.reduce((s, p) => s + p.amount, 0)).toBe(charge.amount - charge.amount_refunded);
  });
});
