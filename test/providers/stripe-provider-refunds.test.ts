import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { appointmentOf, copyLink, onlinePayments, payableAppointment, pressPay } from '../helpers/links.js';
import { expectBookedAtProvider, expectInboxSettled, refundBooksOf } from '../helpers/provider-refunds.js';
import { MINUTE } from '../helpers/settlement.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import type { StubAccount } from '../stubs/stripe-stub-bank.js';
import { startStripeStub } from '../stubs/stripe-stub.js';

/** R32 with Stripe: refunds made in the Stripe Dashboard, reported by refund.* and charge.refunded, or read. */

const clock = new ManualClock(new Date());
const stub = await startStripeStub({ now: () => clock.now() });
const t = await createTestApp({ clock, env: { VISITPAY_STRIPE_API_URL: stub.url } });
const origin = await t.listen();
afterAll(() => stub.close());

async function connectStripe(company: TestCompany) {
  const account = stub.newAccount({ webhookUrl: `${origin}/webhooks/stripe/${company.id}` });
  const connected = await company.owner.post(`${company.base}/settings/cashless/connect`, {
    provider: 'stripe',
    credentials: { secretKey: account.secretKey, webhookSecret: account.webhookSecret },
  });
  expect(connected.status, connected.text).toBe(200);
  expect((await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true })).status).toBe(200);
  return account;
}

/** A company with Stripe whose client paid 100.00 at Stripe; answers the PaymentIntent. */
async function paidAtStripe() {
  const company = await t.newCompany();
  const account = await connectStripe(company);
  const appt = await payableAppointment(t, company, { price: 10_000 });
  const link = await copyLink(company, appt.id);
  const pay = await pressPay(t, link.token);
  expect(pay.status, pay.body).toBe(303);
  const { event, delivery } = await stub.pay(pay.location!.split('/').pop()!);
  expect(delivery?.status).toBe(200);
  await t.jobs.drain();
  expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([10_000]);
  return { company, account, appt, intent: event.data.object.payment_intent as string };
}

/** What Stripe captured minus what it refunded on the PaymentIntent, against Visitpay's online money. */
async function expectLedger(account: StubAccount, intent: string, appointmentId: string) {
  const charge = account.charges.get(account.intents.get(intent)!.latest_charge)!;
  const online = await onlinePayments(t, appointmentId);
  expect(online.reduce((s, p) => s + p.amount, 0)).toBe(charge.amount - charge.amount_refunded);
}

describe('R32 refunds made in the Stripe Dashboard', () => {
  it('R32 a dashboard refund reported twice and late (Stripe stub): refund.created and charge.refunded, again, after a later refund: each booked once', async () => {
    const { company, account, appt, intent } = await paidAtStripe();
    const first = stub.refundAtDashboard(account, intent, 3_000);
    clock.advance(30 * MINUTE);
    const second = stub.refundAtDashboard(account, intent, 2_000);
    // the second refund's events arrive first, each twice; the first's arrive last
    for (const event of [...second.events, ...second.events, ...first.events, ...first.events]) {
      const answer = await stub.deliver(account, event);
      expect(answer.status, answer.body).toBe(200);
    }
    await t.jobs.drain();
    await expectBookedAtProvider(t, company, appt.id, [
      { refundId: first.refund.id, amount: 3_000 },
      { refundId: second.refund.id, amount: 2_000 },
    ]);
    await expectInboxSettled(t, company.id);
    await expectLedger(account, intent, appt.id);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ paid: 5_000, due: 5_000 });

    // the reconciliation read later finds nothing new
    clock.advance(2 * 60 * MINUTE);
    await t.jobs.drain();
    expect((await refundBooksOf(t, appt.id)).payments).toHaveLength(2);
    expect(stub.requestsTo('GET', /^\/v1\/refunds$/).length).toBeGreaterThan(0);
  });

  it('R32 a dashboard refund whose notifications were lost is found by the reconciliation read only (Stripe stub)', async () => {
    const { company, account, appt, intent } = await paidAtStripe();
    const made = stub.refundAtDashboard(account, intent, 10_000);
    await t.jobs.drain();
    expect((await refundBooksOf(t, appt.id)).payments).toEqual([]);
    clock.advance(11 * MINUTE);
    await t.jobs.drain();
    await expectBookedAtProvider(t, company, appt.id, [{ refundId: made.refund.id, amount: 10_000 }]);
    await expectLedger(account, intent, appt.id);
    // its events arriving after all change nothing
    for (const event of made.events) expect((await stub.deliver(account, event)).status).toBe(200);
    await t.jobs.drain();
    expect((await refundBooksOf(t, appt.id)).payments).toHaveLength(1);
  });

  it("R32 a refund of another company's payment on a shared Stripe account is not booked", async () => {
    const { account, intent } = await paidAtStripe();
    const other = await t.newCompany();
    const otherAccount = await connectStripe(other);
    const made = stub.refundAtDashboard(account, intent, 1_000);
    // the event, as if the other company's endpoint on the same account received it
    const signed = stub.signed(made.events[0]!, { secret: otherAccount.webhookSecret });
    const res = await t.app.inject({
      method: 'POST',
      url: `/webhooks/stripe/${other.id}`,
      headers: { 'content-type': 'application/json', 'stripe-signature': signed.signature },
      payload: signed.payload,
    });
    expect(res.statusCode, res.body).toBe(200);
    await t.jobs.drain();
    const booked = await t.db.selectFrom('refund_requests').select('id').where('company_id', '=', other.id).execute();
    expect(booked).toEqual([]);
  });
});
