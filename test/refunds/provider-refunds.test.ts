import { describe, expect, it, vi } from 'vitest';
import type { RefundInput } from '../../src/providers/port.js';
import { deliverDueSandboxNotifications } from '../../src/providers/sandbox/sandbox-notifier.js';
import {
  appointmentOf,
  completeSandbox,
  connectSandbox,
  copyLink,
  payableAppointment,
  pressPay,
} from '../helpers/links.js';
import { expectBookedAtProvider, expectInboxSettled, refundBooksOf } from '../helpers/provider-refunds.js';
import {
  checkoutIdOf,
  deskPayment,
  expectBalancedLedger,
  ledgerOf,
  MINUTE,
  postSandboxWebhook,
  SECOND,
  sandboxNotificationsOf,
  setNotifications,
} from '../helpers/settlement.js';
import { createTestApp } from '../helpers/test-app.js';

const t = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0' } });
await t.listen();
const bank = t.services.sandbox.bank;

/** A company with the sandbox whose client paid 100.00; answers the checkout id. */
async function paidAtSandbox(price = 10_000) {
  const company = await t.newCompany();
  await connectSandbox(company);
  const appt = await payableAppointment(t, company, { price });
  const link = await copyLink(company, appt.id);
  const pay = await pressPay(t, link.token);
  await completeSandbox(t, pay.location!);
  await t.jobs.drain();
  const checkoutId = checkoutIdOf(pay.location);
  return { company, appt, link, checkoutId };
}

const deliverSandbox = () =>
  deliverDueSandboxNotifications({
    db: t.db,
    clock: t.clock,
    origins: t.services.origins,
    secrets: t.services.secrets,
  });

/** Visitpay's own books against the bank's, for one appointment (R32: Σ online = captured − refunded). */
async function expectLedger(appointmentId: string) {
  const ledger = await ledgerOf(t, appointmentId);
  expect(ledger.onlineSum).toBe(ledger.captured - ledger.refunded);
  return ledger;
}

describe('R32 refunds made on the sandbox bank’s merchant page', () => {
  it('R32 a dashboard refund reported twice and late (sandbox): delayed, duplicated and delivered again, each booked once', async () => {
    const { company, appt, checkoutId } = await paidAtSandbox();
    await setNotifications(t, company.id, { mode: 'delay', delaySeconds: 3_600 });
    const late = await bank.refundAtMerchantPage(company.id, checkoutId, 3_000);
    await setNotifications(t, company.id, { mode: 'duplicate' });
    const twice = await bank.refundAtMerchantPage(company.id, checkoutId, 2_000);
    await t.jobs.drain();
    await expectBookedAtProvider(t, company, appt.id, [{ refundId: twice.refundId, amount: 2_000 }]);

    t.clock.advance(3_600 * SECOND);
    await t.jobs.drain();
    // and the bank sends the late one once more
    const sent = (await sandboxNotificationsOf(t, company.id)).filter((n) => n.event.type === 'refund.succeeded');
    for (const n of sent) expect((await postSandboxWebhook(t, company.id, n.body)).status).toBe(200);
    await t.jobs.drain();
    await expectBookedAtProvider(t, company, appt.id, [
      { refundId: late.refundId, amount: 3_000 },
      { refundId: twice.refundId, amount: 2_000 },
    ]);
    await expectInboxSettled(t, company.id);
    const ledger = await expectLedger(appt.id);
    expect(ledger.refunded).toBe(5_000);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ paid: 5_000, due: 5_000 });
    // the appointment window lists them among its refunds
    const window = await company.owner.get(`${company.base}/appointments/${appt.id}`);
    expect(window.status).toBe(200);
    expect(
      (window.body.refunds as { reason: string; amount: number; status: string }[]).map((r) => [
        r.reason,
        r.amount,
        r.status,
      ]),
    ).toEqual(
      [
        ['Refunded at the provider', 3_000, 'succeeded'],
        ['Refunded at the provider', 2_000, 'succeeded'],
      ].sort((a, b) => (a[1]! as number) - (b[1]! as number)),
    );
  });

  it('R32 a refund whose notification was lost is found by the reconciliation read only (sandbox)', async () => {
    const { company, appt, checkoutId } = await paidAtSandbox();
    await setNotifications(t, company.id, { mode: 'drop' });
    const made = await bank.refundAtMerchantPage(company.id, checkoutId, 10_000);
    await t.jobs.drain();
    expect((await refundBooksOf(t, appt.id)).payments).toEqual([]);
    t.clock.advance(11 * MINUTE);
    await t.jobs.drain();
    await expectBookedAtProvider(t, company, appt.id, [{ refundId: made.refundId, amount: 10_000 }]);
    await expectLedger(appt.id);
  });
});

describe('R32 a refund Visitpay asked for is never booked twice', () => {
  /**
   * R18: a desk payment taken after the lock lapsed, then the client's online payment: the online
   * money is owed back, and the refund job asks the bank. `meanwhile` runs after the bank made the
   * refund (and wrote its notification) and before the job records the refund id.
   */
  async function overpaidRefund(meanwhile: (input: RefundInput, refundId: string) => Promise<void>) {
    const company = await t.newCompany();
    await connectSandbox(company);
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const link = await copyLink(company, appt.id);
    const pay = await pressPay(t, link.token);
    t.clock.advance(t.config.PAYLINK_LOCK_SECONDS * SECOND + SECOND);
    expect((await deskPayment(company, appt.id, 10_000)).status).toBe(201);
    const sandbox = t.services.sandbox;
    const original = sandbox.refund.bind(sandbox);
    let failure: unknown;
    const spy = vi.spyOn(sandbox, 'refund').mockImplementationOnce(async (input) => {
      const result = await original(input);
      await meanwhile(input, result.refundId).catch((error: unknown) => {
        failure = error;
      });
      return result;
    });
    await completeSandbox(t, pay.location!);
    await t.jobs.drain();
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    if (failure) throw failure;
    return { company, appt };
  }

  const statusOf = async (requestId: string) =>
    (await t.db.selectFrom('refund_requests').select('status').where('id', '=', requestId).executeTakeFirstOrThrow())
      .status;

  it('R32 its notification, carrying our request id, arrives before our call recorded the refund id: it is booked as ours, at once', async () => {
    let seen: string | undefined;
    const { appt } = await overpaidRefund(async (input) => {
      expect((await deliverSandbox()).failed).toBe(0);
      seen = await statusOf(input.idempotencyKey);
    });
    expect(seen).toBe('succeeded');
    const books = await refundBooksOf(t, appt.id);
    expect(books.requests.map((r) => [r.origin, r.status])).toEqual([['overpayment', 'succeeded']]);
    expect(books.payments.map((p) => [p.amount, p.provider_refund_id])).toEqual([
      [-10_000, books.requests[0]!.provider_refund_id],
    ]);
    await expectBalancedLedger(t, appt.id);
  });

  it('R32 its notification without our request id arrives before our call recorded the refund id: deferred, then known, booked once', async () => {
    let answer: unknown;
    let seen: string | undefined;
    const { company, appt } = await overpaidRefund(async (input, refundId) => {
      // a provider that does not give our id back: the bank's event without its refund key
      const [notification] = (await sandboxNotificationsOf(t, input.companyId)).filter(
        (n) => n.event.type === 'refund.succeeded',
      );
      const event = JSON.parse(notification!.body);
      expect(event.data).toMatchObject({ refundId, refundKey: input.idempotencyKey });
      delete event.data.refundKey;
      answer = (await postSandboxWebhook(t, input.companyId, JSON.stringify(event))).body;
      seen = await statusOf(input.idempotencyKey);
    });
    expect(answer).toEqual({ received: true, result: 'stored' });
    expect(seen).toBe('requested');
    t.clock.advance(MINUTE);
    await t.jobs.drain();
    const books = await refundBooksOf(t, appt.id);
    expect(books.requests.map((r) => [r.origin, r.status])).toEqual([['overpayment', 'succeeded']]);
    expect(books.payments).toHaveLength(1);
    const inbox = await t.db
      .selectFrom('webhook_inbox')
      .select(['processed_at', 'last_error', 'tries'])
      .where('company_id', '=', company.id)
      .where('event_type', '=', 'refund.succeeded')
      .execute();
    // applied once the refund job had recorded the refund id: then it was known
    expect(inbox.map((row) => [row.processed_at !== null, row.last_error, row.tries])).toEqual([
      [true, 'refund known', 1],
    ]);
    await expectBalancedLedger(t, appt.id);
  });
});
