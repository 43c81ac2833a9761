import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { appointmentOf, copyLink, onlinePayments, payableAppointment, pressPay } from '../helpers/links.js';
import { expectBookedAtProvider, expectInboxSettled, refundBooksOf } from '../helpers/provider-refunds.js';
import { MINUTE } from '../helpers/settlement.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import { startYooKassaStub, type StubShop } from '../stubs/yookassa-stub.js';

/** R32 with YooKassa: refunds made in the merchant's dashboard, notified (refund.succeeded) or read (GET /v3/refunds). */

const SHOP: StubShop = { shopId: '100500', secretKey: 'test_stubSecretKey0001' };
const clock = new ManualClock(new Date());
const stub = await startYooKassaStub({ shops: [SHOP] });
const t = await createTestApp({ clock, env: { VISITPAY_YOOKASSA_API_URL: stub.url } });
const origin = await t.listen();
afterAll(() => stub.close());

async function connectYooKassa() {
  const company = await t.newCompany({ country: 'RU', currency: 'RUB', timezone: 'Europe/Moscow' });
  const connected = await company.owner.post(`${company.base}/settings/cashless/connect`, {
    provider: 'yookassa',
    credentials: { shopId: SHOP.shopId, secretKey: SHOP.secretKey },
  });
  expect(connected.status, connected.text).toBe(200);
  expect((await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true })).status).toBe(200);
  return company;
}

const notify = (company: TestCompany, event: string, id: string) =>
  stub.notify(`${origin}/webhooks/yookassa/${company.id}`, event, id);

/** A company whose client paid 100.00 at YooKassa; answers the YooKassa payment id. */
async function paidAtYooKassa() {
  const company = await connectYooKassa();
  const appt = await payableAppointment(t, company, { price: 10_000 });
  const link = await copyLink(company, appt.id);
  const pay = await pressPay(t, link.token);
  expect(pay.status, pay.body).toBe(303);
  const paymentId = new URL(pay.location!).searchParams.get('orderId')!;
  stub.pay(paymentId);
  expect((await notify(company, 'payment.succeeded', paymentId)).status).toBe(200);
  expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([10_000]);
  return { company, appt, paymentId };
}

/** Captured minus refunded at YooKassa against Visitpay's online money. */
async function expectLedger(paymentId: string, appointmentId: string) {
  const minor = (value: string) => Number(value.replace('.', ''));
  const payment = stub.payments.get(paymentId)!.object;
  const refunded = [...stub.refunds.values()]
    .filter((r) => r.object.payment_id === paymentId && r.object.status === 'succeeded')
    .reduce((s, r) => s + minor(r.object.amount.value), 0);
  const online = await onlinePayments(t, appointmentId);
  expect(online.reduce((s, p) => s + p.amount, 0)).toBe(minor(payment.amount.value) - refunded);
}

describe('R32 refunds made in the YooKassa dashboard', () => {
  it('R32 a dashboard refund reported twice and late (YooKassa stub): refund.succeeded, again, after a later refund: each booked once', async () => {
    const { company, appt, paymentId } = await paidAtYooKassa();
    const first = stub.refundAtDashboard(paymentId, 3_000);
    clock.advance(30 * MINUTE);
    const second = stub.refundAtDashboard(paymentId, 2_000);
    for (const id of [second, second, first, first]) {
      const answer = await notify(company, 'refund.succeeded', id);
      expect(answer.status, answer.body).toBe(200);
    }
    await t.jobs.drain();
    await expectBookedAtProvider(t, company, appt.id, [
      { refundId: first, amount: 3_000 },
      { refundId: second, amount: 2_000 },
    ]);
    await expectInboxSettled(t, company.id);
    await expectLedger(paymentId, appt.id);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ paid: 5_000, due: 5_000 });

    // the reconciliation read reports both once more: known, and the read goes well (the next is hours away, not a retry)
    clock.advance(61 * MINUTE);
    await t.jobs.drain();
    expect((await refundBooksOf(t, appt.id)).payments).toHaveLength(2);
    const [paid] = await t.db
      .selectFrom('payments')
      .select(['refunds_check_at', 'refunds_checks'])
      .where('appointment_id', '=', appt.id)
      .where('amount', '>', 0)
      .execute();
    expect(paid!.refunds_checks).toBe(2);
    expect(paid!.refunds_check_at!.getTime()).toBeGreaterThan(clock.now().getTime() + 60 * MINUTE);
  });

  it('R32 a dashboard refund whose notification was lost is found by the reconciliation read only (YooKassa stub)', async () => {
    const { company, appt, paymentId } = await paidAtYooKassa();
    const made = stub.refundAtDashboard(paymentId, 4_000);
    await t.jobs.drain();
    expect((await refundBooksOf(t, appt.id)).payments).toEqual([]);
    clock.advance(11 * MINUTE);
    await t.jobs.drain();
    const reads = stub.calls('GET', '/v3/refunds');
    expect(reads.length).toBeGreaterThan(0);
    await expectBookedAtProvider(t, company, appt.id, [{ refundId: made, amount: 4_000 }]);
    await expectLedger(paymentId, appt.id);
    expect((await notify(company, 'refund.succeeded', made)).status).toBe(200);
    await t.jobs.drain();
    expect((await refundBooksOf(t, appt.id)).payments).toHaveLength(1);
  });
});
