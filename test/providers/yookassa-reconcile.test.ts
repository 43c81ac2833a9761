import { afterAll, describe, expect, it } from 'vitest';
import { appointmentOf, copyLink, onlinePayments, payableAppointment, pressPay } from '../helpers/links.js';
import { attemptsOf, MINUTE, SECOND } from '../helpers/settlement.js';
import { createTestApp } from '../helpers/test-app.js';
import { startYooKassaStub, type StubShop } from '../stubs/yookassa-stub.js';

/** R11 and R20 through Visitpay with the YooKassa adapter, as the sandbox tests prove them for the built-in bank. */

const SHOP: StubShop = { shopId: '100500', secretKey: 'test_stubSecretKey0001' };
/** The adapter gives up on a call after 10 s; an answer later than that is lost. */
const LATER_THAN_THE_CLIENT_WAITS_MS = 10_500;
const stub = await startYooKassaStub({ shops: [SHOP] });
const t = await createTestApp({ env: { VISITPAY_YOOKASSA_API_URL: stub.url } });
const origin = await t.listen();
afterAll(() => stub.close());

/** A company with YooKassa connected, an appointment of 1000.00 and its link. */
async function paying() {
  const company = await t.newCompany({ country: 'RU', currency: 'RUB', timezone: 'Europe/Moscow' });
  const connected = await company.owner.post(`${company.base}/settings/cashless/connect`, {
    provider: 'yookassa',
    credentials: { shopId: SHOP.shopId, secretKey: SHOP.secretKey },
  });
  expect(connected.status, connected.text).toBe(200);
  const enabled = await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true });
  expect(enabled.status, enabled.text).toBe(200);
  const appt = await payableAppointment(t, company, { price: 100_000 });
  const link = await copyLink(company, appt.id);
  return { company, appt, link };
}

/** The client presses Pay and lands on YooKassa's page; answers the YooKassa payment id. */
async function payAtYooKassa(token: string) {
  const pay = await pressPay(t, token);
  expect(pay.status, pay.body).toBe(303);
  const id = new URL(pay.location!).searchParams.get('orderId')!;
  expect(stub.payments.get(id)?.object.status).toBe('pending');
  return id;
}

const paymentsOf = (attemptId: string) =>
  [...stub.payments.values()].filter((p) => p.object.metadata.attemptId === attemptId).map((p) => p.object);
const createCalls = (attemptId: string) =>
  stub.calls('POST', '/v3/payments').filter((r) => r.headers['idempotence-key'] === attemptId);

describe('R20 reconciliation with YooKassa', () => {
  it('R20 paid at YooKassa, the notification never sent: the job finds it after check_at, once', async () => {
    const { company, appt, link } = await paying();
    const paymentId = await payAtYooKassa(link.token);
    const [attempt] = await attemptsOf(t, appt.id);
    expect(attempt!.check_at.getTime() - attempt!.updated_at.getTime()).toBe(
      t.config.PAYLINK_RECONCILE_AFTER_SECONDS * SECOND,
    );

    stub.pay(paymentId);
    await t.jobs.drain();
    expect(await onlinePayments(t, appt.id)).toEqual([]);

    t.clock.set(new Date(attempt!.check_at.getTime() + SECOND));
    await t.jobs.drain();
    const payments = await onlinePayments(t, appt.id);
    expect(payments.map((p) => [p.amount, p.provider, p.provider_payment_id, p.attempt_id])).toEqual([
      [100_000, 'yookassa', paymentId, attempt!.id],
    ]);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 0, paymentStatus: 'paid', lockedUntil: null });
    const linkAfter = await company.owner.get(`${company.base}/appointments/${appt.id}/payment-link`);
    expect(linkAfter.body).toMatchObject({ status: 'paid', attempts: [{ status: 'succeeded' }] });

    const reads = stub.calls('GET', `/v3/payments/${paymentId}`).length;
    t.clock.advance(2 * 60 * MINUTE);
    await t.jobs.drain();
    expect(await onlinePayments(t, appt.id)).toEqual(payments);
    expect((await attemptsOf(t, appt.id)).map((a) => a.status)).toEqual(['succeeded']);
    expect(stub.calls('GET', `/v3/payments/${paymentId}`)).toHaveLength(reads);
  });

  it('R20 YooKassa made the payment but its answer was lost (a timeout, then 500s): the job asks again with the same key and adopts that one payment', async () => {
    const { company, appt, link } = await paying();
    stub.failNext(1, { kind: 'timeout', delayMs: LATER_THAN_THE_CLIENT_WAITS_MS }, '/v3/payments');
    stub.failNext(2, { kind: 'status', status: 500 }, '/v3/payments');
    const pay = await pressPay(t, link.token);
    expect(pay.status).toBe(502);
    const [attempt] = await attemptsOf(t, appt.id);
    expect(attempt).toMatchObject({ status: 'creating', provider_checkout_id: null, redirect_url: null });
    const made = paymentsOf(attempt!.id);
    expect(made.map((p) => p.status)).toEqual(['pending']);
    const tries = createCalls(attempt!.id);
    expect(tries).toHaveLength(3);
    expect(new Set(tries.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect((await appointmentOf(company, appt.id)).lockedUntil).not.toBeNull();

    t.clock.advance(t.config.PAYLINK_RECONCILE_AFTER_SECONDS * SECOND);
    await t.jobs.drain();
    const [created] = await attemptsOf(t, appt.id);
    expect(created).toMatchObject({
      status: 'pending',
      provider_checkout_id: made[0]!.id,
      redirect_url: made[0]!.confirmation.confirmation_url,
    });
    expect(paymentsOf(attempt!.id)).toHaveLength(1);
    const all = createCalls(attempt!.id);
    expect(all).toHaveLength(4);
    expect(all[3]!.body).toEqual(tries[0]!.body);

    // The client presses Pay again and is sent to that very payment, and pays it.
    const again = await pressPay(t, link.token);
    expect(again.status).toBe(303);
    expect(again.location).toBe(made[0]!.confirmation.confirmation_url);
    stub.pay(made[0]!.id);
    const told = await stub.notify(`${origin}/webhooks/yookassa/${company.id}`, 'payment.succeeded', made[0]!.id);
    expect(JSON.parse(told.body)).toEqual({ received: true, result: 'applied' });
    await t.jobs.drain();
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([100_000]);
    expect(paymentsOf(attempt!.id)).toHaveLength(1);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 0, lockedUntil: null });
  });
});

describe('R11 expiry with YooKassa', () => {
  it('R11 nobody pays: after our expiry the pending payment reads as expired, the attempt is expired, and Pay makes a new payment', async () => {
    const { company, appt, link } = await paying();
    const paymentId = await payAtYooKassa(link.token);
    const [attempt] = await attemptsOf(t, appt.id);
    expect(stub.payments.get(paymentId)!.object.metadata.expiresAt).toBe(attempt!.expires_at.toISOString());

    t.clock.advance(30 * MINUTE);
    await t.jobs.drain();
    expect((await attemptsOf(t, appt.id))[0]!.status).toBe('pending');

    t.clock.set(new Date(attempt!.expires_at.getTime() + MINUTE + SECOND));
    await t.jobs.drain();
    expect((await attemptsOf(t, appt.id))[0]).toMatchObject({ status: 'expired', provider_status: 'pending' });
    // A pending YooKassa payment can't be canceled through the API: it ends on our side, YooKassa cancels it later.
    expect(stub.payments.get(paymentId)!.object.status).toBe('pending');
    expect(stub.calls('POST', `/v3/payments/${paymentId}/cancel`)).toEqual([]);
    // R14: nothing else changes.
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 100_000, lockedUntil: null });
    expect(await onlinePayments(t, appt.id)).toEqual([]);

    const next = await payAtYooKassa(link.token);
    expect(next).not.toBe(paymentId);
    expect((await attemptsOf(t, appt.id)).map((a) => a.status)).toEqual(['expired', 'pending']);
  });

  it('R17 R20 paid at YooKassa after our expiry but before YooKassa cancels it, the notification lost: the last look credits it once', async () => {
    const { company, appt, link } = await paying();
    const paymentId = await payAtYooKassa(link.token);
    const [attempt] = await attemptsOf(t, appt.id);
    t.clock.set(new Date(attempt!.expires_at.getTime() + MINUTE + SECOND));
    await t.jobs.drain();
    expect((await attemptsOf(t, appt.id))[0]).toMatchObject({ status: 'expired' });

    // The client pays in the gap; YooKassa's notification never arrives.
    stub.pay(paymentId);
    t.clock.advance(90 * MINUTE);
    await t.jobs.drain();
    expect((await onlinePayments(t, appt.id)).map((p) => [p.amount, p.provider_payment_id])).toEqual([
      [100_000, paymentId],
    ]);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 0 });
    t.clock.advance(5 * 60 * MINUTE);
    await t.jobs.drain();
    expect(await onlinePayments(t, appt.id)).toHaveLength(1);
  });
});
