import { describe, expect, it, vi } from 'vitest';
import { ProviderUnavailableError } from '../../src/providers/port.js';
import {
  appointmentOf,
  completeSandbox,
  connectSandbox,
  copyLink,
  payableAppointment,
  pressPay,
} from '../helpers/links.js';
import {
  attemptsOf,
  auditOf,
  checkoutIdOf,
  deskPayment,
  expectBalancedLedger,
  SECOND,
  sandboxCheckout,
  sandboxCheckoutsOf,
  setNotifications,
} from '../helpers/settlement.js';
import { createTestApp } from '../helpers/test-app.js';

const t = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0' } });
await t.listen();

async function paying(price = 10_000) {
  const company = await t.newCompany();
  await connectSandbox(company);
  const appt = await payableAppointment(t, company, { price });
  const link = await copyLink(company, appt.id);
  return { company, appt, link };
}

/** Past the R13 lock (15 minutes by default) but well inside the attempt's TTL. */
const lapseLock = () => t.clock.advance(t.config.PAYLINK_LOCK_SECONDS * 1000 + SECOND);

/**
 * A visit of 10 000: the client presses Pay, the lock lapses while they are still on the bank's page,
 * and staff take `desk` at the desk. Answers the visit and the client's Pay.
 */
async function payThenDesk(desk: number) {
  const visit = await paying(10_000);
  const pay = await pressPay(t, visit.link.token);
  lapseLock();
  expect((await deskPayment(visit.company, visit.appt.id, desk)).status).toBe(201);
  return { ...visit, pay };
}

/** The bank cannot be reached to expire a checkout, once: it stays payable at the provider. */
const failNextExpiry = () =>
  vi.spyOn(t.services.sandbox, 'expireCheckout').mockRejectedValueOnce(new ProviderUnavailableError('timeout'));

/** The ledger balances and its online payments (refunds negative) are `amounts`, smallest first. */
async function expectOnlineAmounts(appointmentId: string, amounts: number[]) {
  const ledger = await expectBalancedLedger(t, appointmentId);
  expect(ledger.online.map((p) => p.amount).sort((a, b) => a - b)).toEqual(amounts);
}

async function refundsOf(appointmentId: string) {
  return t.db
    .selectFrom('refund_requests')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .orderBy('created_at')
    .execute();
}

describe('R18 money beyond the amount due goes back automatically', () => {
  it('R18 two attempts both paid: one amount kept, the excess refunded through the provider, the ledger balanced', async () => {
    const { company, appt, link, pay: first } = await payThenDesk(3_000);
    // The bank cannot be reached to expire the first checkout, so it stays payable in the client's other tab.
    const expire = failNextExpiry();
    const second = await pressPay(t, link.token);
    expect(expire).toHaveBeenCalledTimes(1);
    expire.mockRestore();
    expect(second.location).not.toBe(first.location);

    await completeSandbox(t, first.location!);
    await completeSandbox(t, second.location!);
    await t.jobs.drain();

    const ledger = await expectBalancedLedger(t, appt.id);
    expect(ledger.captured).toBe(17_000);
    expect(ledger.refunded).toBe(10_000);
    expect(ledger.allSum).toBe(10_000);
    const positive = ledger.online.filter((p) => p.amount > 0);
    const refunds = ledger.online.filter((p) => p.amount < 0);
    expect(positive.map((p) => p.amount).sort()).toEqual([10_000, 7_000].sort());
    // every refund is a negative online payment naming the payment it returns, and its provider refund
    for (const refund of refunds) {
      const original = positive.find((p) => p.id === refund.refund_of);
      expect(original).toBeDefined();
      expect(refund).toMatchObject({ provider: 'sandbox', attempt_id: original!.attempt_id, link_id: link.id });
      expect(refund.provider_refund_id).toMatch(/^sbr_/);
    }
    expect((await refundsOf(appt.id)).every((r) => r.status === 'succeeded' && r.reason === 'overpayment')).toBe(true);
    expect(await appointmentOf(company, appt.id)).toMatchObject({
      total: 10_000,
      paid: 10_000,
      due: 0,
      paymentStatus: 'paid',
      lockedUntil: null,
    });
    const shown = (await company.owner.get(`${company.base}/appointments/${appt.id}`)).body.payments as {
      method: string;
      amount: number;
      refundOf: string | null;
    }[];
    expect(shown.filter((p) => p.refundOf !== null).reduce((s, p) => s + p.amount, 0)).toBe(-10_000);
  });

  it('R18 a late success that leaves nothing due ends the other open checkout at the provider', async () => {
    const { company, appt, link, pay: first } = await payThenDesk(3_000);
    const expire = failNextExpiry();
    const second = await pressPay(t, link.token);
    expire.mockRestore();

    // The client pays the first checkout, still open at the bank: nothing is due any more, so the second must go.
    await completeSandbox(t, first.location!);
    await t.jobs.drain();
    const [, fresh] = await attemptsOf(t, appt.id);
    expect(fresh).toMatchObject({ amount: 7_000, status: 'canceled', failure: 'nothing is left to pay' });
    expect((await sandboxCheckout(t, checkoutIdOf(second.location))).status).toBe('expired');
    expect((await appointmentOf(company, appt.id)).lockedUntil).toBeNull();
    await expectOnlineAmounts(appt.id, [-3_000, 10_000]);
  });

  it('R18 a desk payment taken after the lock lapsed while the client was still paying: the online money is refunded', async () => {
    const { company, appt, pay } = await payThenDesk(10_000);
    await completeSandbox(t, pay.location!);
    await t.jobs.drain();

    await expectOnlineAmounts(appt.id, [-10_000, 10_000]);
    expect((await sandboxCheckout(t, checkoutIdOf(pay.location))).refunded).toBe(10_000);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ paid: 10_000, due: 0 });
  });

  it('R18 Pay finds that the checkout it supersedes was paid: it credits it, creates no new checkout and refunds the excess', async () => {
    const { company, appt, link } = await paying(10_000);
    await setNotifications(t, company.id, { mode: 'delay', delaySeconds: 3_600 });
    const first = await pressPay(t, link.token);
    await completeSandbox(t, first.location!);
    lapseLock();
    expect((await deskPayment(company, appt.id, 3_000)).status).toBe(201);

    const again = await pressPay(t, link.token);
    expect(again).toMatchObject({ status: 303, location: `/pay/${link.token}` });
    expect(await sandboxCheckoutsOf(t, company.id)).toHaveLength(1);
    expect((await attemptsOf(t, appt.id)).map((a) => a.status).sort()).toEqual(['canceled', 'succeeded']);
    expect((await company.owner.get(`${company.base}/appointments/${appt.id}/payment-link`)).body.status).toBe('paid');

    await t.jobs.drain();
    await expectOnlineAmounts(appt.id, [-3_000, 10_000]);
  });

  it('R18 a refund whose provider answer was lost is asked again with the same key and made once', async () => {
    const { company, appt, pay } = await payThenDesk(4_000);
    await setNotifications(t, company.id, { mode: 'drop' });
    await completeSandbox(t, pay.location!);
    // Book the success without running the refund job.
    await t.services.reconciliation.reconcile((await attemptsOf(t, appt.id))[0]!);
    const [request] = await refundsOf(appt.id);
    expect(request).toMatchObject({ status: 'requested', amount: 4_000 });

    // The bank made the refund, but its answer never reached Visitpay.
    const payment = await t.db
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', request!.payment_id)
      .executeTakeFirstOrThrow();
    const { credentials } = (await t.services.cashless.connected(company.id))!;
    const checkoutId = checkoutIdOf(pay.location);
    await t.services.sandbox.refund({
      companyId: company.id,
      credentials,
      checkoutId,
      providerPaymentId: payment.provider_payment_id!,
      amount: 4_000,
      currency: 'EUR',
      idempotencyKey: request!.id,
    });

    await t.jobs.drain();
    expect(
      await t.db.selectFrom('sandbox_refunds').selectAll().where('checkout_id', '=', checkoutId).execute(),
    ).toHaveLength(1);
    await expectOnlineAmounts(appt.id, [-4_000, 10_000]);
  });

  it('R18 the refund is shown to staff in the audit log: requested by the system, done by the provider', async () => {
    const { company, appt, pay } = await payThenDesk(2_500);
    await completeSandbox(t, pay.location!);
    await t.jobs.drain();

    const audit = await auditOf(company, appt.id);
    const requested = audit.find((e) => e.action === 'refund.requested');
    const done = audit.find((e) => e.action === 'refund.succeeded');
    expect(requested).toMatchObject({
      actor: { type: 'system' },
      entityType: 'refund',
      details: { amount: 2_500, reason: 'overpayment' },
    });
    expect(done).toMatchObject({
      actor: { type: 'provider', id: 'sandbox' },
      entityId: requested!.entityId,
      amountBefore: -2_500,
      amountAfter: 0,
    });
  });
});

describe('money paid after we ended the attempt (R17, R18, R20)', () => {
  it('R17 R20 a checkout cancelled by staff but paid at the provider anyway, its notification lost, is found by one last look and credited once', async () => {
    const { company, appt, link } = await paying(9_000);
    await setNotifications(t, company.id, { mode: 'drop' });
    const pay = await pressPay(t, link.token);
    expect(pay.status).toBe(303);

    // Staff cancel; the provider cannot be told (timeout), so its page stays payable.
    const expire = failNextExpiry();
    const cancel = await company.owner.post(`${company.base}/appointments/${appt.id}/payment-link/cancel-attempt`, {});
    expect(cancel.status, cancel.text).toBe(200);
    expect(expire).toHaveBeenCalledTimes(1);
    expire.mockRestore();
    await completeSandbox(t, pay.location!);
    await t.jobs.drain();
    expect((await appointmentOf(company, appt.id)).paid).toBe(0);

    // After the provider's own window, the last look finds the money: credited once, the ledger balanced.
    t.clock.advance(80 * 60 * SECOND);
    await t.jobs.drain();
    const after = await appointmentOf(company, appt.id);
    expect(after).toMatchObject({ paid: 9_000, due: 0 });
    t.clock.advance(3 * 60 * 60 * SECOND);
    await t.jobs.drain();
    expect((await appointmentOf(company, appt.id)).paid).toBe(9_000);
    await expectBalancedLedger(t, appt.id);
    const [attempt] = await attemptsOf(t, appt.id);
    expect(attempt).toMatchObject({ status: 'succeeded', final_check_at: null });
  });
});
