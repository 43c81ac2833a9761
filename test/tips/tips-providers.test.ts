import { afterAll, describe, expect, it } from 'vitest';
import { appointmentOf, copyLink, onlinePayments, payableAppointment, pressPay } from '../helpers/links.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import { startStripeStub } from '../stubs/stripe-stub.js';
import { startYooKassaStub, type StubShop } from '../stubs/yookassa-stub.js';

/**
 * R40 against the local stub servers speaking Stripe's and YooKassa's protocols: the amount the
 * provider is asked to charge includes the tip (Stripe: the Checkout Session's amount_total and a
 * line of its own; YooKassa: the payment's amount.value), and the success books the amount due as
 * the payment and the tip beside it.
 * Stripe: https://docs.stripe.com/api/checkout/sessions/object (amount_total = Σ line_items);
 * YooKassa: https://yookassa.ru/developers/api#create_payment (amount.value, the whole charge).
 */
const SHOP: StubShop = { shopId: '300700', secretKey: 'test_tipsShopKey0003' };
const stripe = await startStripeStub();
const yookassa = await startYooKassaStub({ shops: [SHOP] });
const t = await createTestApp({
  env: { VISITPAY_STRIPE_API_URL: stripe.url, VISITPAY_YOOKASSA_API_URL: yookassa.url },
});
const origin = await t.listen();
afterAll(async () => {
  await stripe.close();
  await yookassa.close();
});

/** Connects the provider (stub account or shop), turns on pay-by-link and tips; a payable visit and its link. */
async function tippedVisit(company: TestCompany, provider: 'stripe' | 'yookassa', price: number) {
  let credentials: Record<string, string> = { shopId: SHOP.shopId, secretKey: SHOP.secretKey };
  if (provider === 'stripe') {
    const account = stripe.newAccount({ webhookUrl: `${origin}/webhooks/stripe/${company.id}` });
    credentials = { secretKey: account.secretKey, webhookSecret: account.webhookSecret };
  }
  const connected = await company.owner.post(`${company.base}/settings/cashless/connect`, { provider, credentials });
  expect(connected.status, connected.text).toBe(200);
  await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true });
  const tips = await company.owner.put(`${company.base}/settings/tips`, { enabled: true });
  expect(tips.status, tips.text).toBe(200);
  const appt = await payableAppointment(t, company, { price });
  const link = await copyLink(company, appt.id);
  return { appt, link };
}

async function tipsOf(appointmentId: string) {
  return t.db.selectFrom('tips').select(['amount', 'staff_id']).where('appointment_id', '=', appointmentId).execute();
}

async function noRefunds(appointmentId: string) {
  const rows = await t.db
    .selectFrom('refund_requests')
    .select('id')
    .where('appointment_id', '=', appointmentId)
    .execute();
  expect(rows).toEqual([]);
}

describe('R40 the tip reaches the provider', () => {
  it('R40 Stripe: the Checkout Session charges the due and the tip, the tip its own line; the payment is the due', async () => {
    const company = await t.newCompany();
    const { appt, link } = await tippedVisit(company, 'stripe', 10_000);

    const pay = await pressPay(t, link.token, { tip: '10' });
    expect(pay.status, pay.body).toBe(303);
    const sessionId = pay.location!.split('/').pop()!;
    const session = stripe.session(sessionId);
    expect(session).toMatchObject({ amount_total: 11_000, currency: 'eur' });
    const sent = stripe.requestsTo('POST', /^\/v1\/checkout\/sessions$/).at(-1)!;
    expect(JSON.stringify(sent)).toContain('Tip');

    await stripe.pay(sessionId);
    await t.jobs.drain();
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([10_000]);
    expect(await tipsOf(appt.id)).toEqual([{ amount: 1_000, staff_id: appt.staff.id }]);
    await noRefunds(appt.id);
  });

  it('R40 R34 Stripe in KWD (3 decimals, charged in tens of fils): a custom tip of 1.234 is lowered to 1.230, the visit is paid in full', async () => {
    const company = await t.newCompany({ currency: 'KWD' });
    const { appt, link } = await tippedVisit(company, 'stripe', 10_000);

    const pay = await pressPay(t, link.token, { tipCustom: '1.234' });
    expect(pay.status, pay.body).toBe(303);
    const sessionId = pay.location!.split('/').pop()!;
    await stripe.pay(sessionId);
    await t.jobs.drain();
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([10_000]);
    expect(await tipsOf(appt.id)).toEqual([{ amount: 1_230, staff_id: appt.staff.id }]);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ paid: 10_000, due: 0 });
    await noRefunds(appt.id);
  });

  it('R40 YooKassa: the payment asks for the due and the tip in amount.value; the payment is the due', async () => {
    const company = await t.newCompany({ country: 'RU', currency: 'RUB', timezone: 'Europe/Moscow' });
    const { appt, link } = await tippedVisit(company, 'yookassa', 100_000);

    const pay = await pressPay(t, link.token, { tipCustom: '150' });
    expect(pay.status, pay.body).toBe(303);
    const id = new URL(pay.location!).searchParams.get('orderId')!;
    expect(yookassa.payments.get(id)?.object.amount).toEqual({ value: '1150.00', currency: 'RUB' });

    yookassa.pay(id);
    const answer = await yookassa.notify(`${origin}/webhooks/yookassa/${company.id}`, 'payment.succeeded', id);
    expect(answer.status, answer.body).toBe(200);
    await t.jobs.drain();
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([100_000]);
    expect(await tipsOf(appt.id)).toEqual([{ amount: 15_000, staff_id: appt.staff.id }]);
    await noRefunds(appt.id);
  });
});
