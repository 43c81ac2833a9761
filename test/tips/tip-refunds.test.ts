import { describe, expect, it, vi } from 'vitest';
import { ProviderUnavailableError } from '../../src/providers/port.js';
import { deliverDueSandboxNotifications } from '../../src/providers/sandbox/sandbox-notifier.js';
import {
  appointmentOf,
  completeSandbox,
  connectSandbox,
  copyLink,
  onlinePayments,
  payableAppointment,
  pressPay,
} from '../helpers/links.js';
import { expectBookedAtProvider, refundBooksOf } from '../helpers/provider-refunds.js';
import { checkoutIdOf, deskPayment, expectBalancedLedger, ledgerOf, SECOND } from '../helpers/settlement.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';

const t = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0' } });
await t.listen();
const bank = t.services.sandbox.bank;

async function tipsOn(company: TestCompany) {
  const res = await company.owner.put(`${company.base}/settings/tips`, { enabled: true });
  expect(res.status, res.text).toBe(200);
}

/** 100.00 paid on the sandbox with a 15 % tip (115.00 charged). */
async function tippedPayment() {
  const company = await t.newCompany();
  await connectSandbox(company);
  await tipsOn(company);
  const appt = await payableAppointment(t, company, { price: 10_000 });
  const link = await copyLink(company, appt.id);
  const pay = await pressPay(t, link.token, { tip: '15' });
  await completeSandbox(t, pay.location!);
  await t.jobs.drain();
  const [payment] = await onlinePayments(t, appt.id);
  return { company, appt, link, checkoutId: checkoutIdOf(pay.location), paymentId: payment!.id };
}

/** R32 with R40: Σ online payments + Σ tips net of their refunds = captured − refunded at the bank. */
async function expectLedger(appointmentId: string) {
  const ledger = await ledgerOf(t, appointmentId);
  expect(ledger.onlineSum + ledger.tipsNet).toBe(ledger.captured - ledger.refunded);
  return ledger;
}

async function reportOf(company: TestCompany, appointmentId: string) {
  const window = await company.owner.get(`${company.base}/appointments/${appointmentId}`);
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(
    new Date(window.body.startsAt as string),
  );
  const report = await company.owner.get(`${company.base}/reports/transactions?from=${date}&to=${date}`);
  expect(report.status, report.text).toBe(200);
  return report.body as {
    items: { amount: number; tip: number; staffName: string }[];
    tips: { amount: number; byStaff: { staffId: string; staffName: string; amount: number; count: number }[] };
  };
}

describe('R32 R40 a refund made at the provider of a tipped payment', () => {
  it('R32 R40 the whole 115.00 refunded at the bank: the visit is refunded (paid 0, due 100.00) and the tip given back, nothing negative', async () => {
    const { company, appt, checkoutId } = await tippedPayment();
    const made = await bank.refundAtMerchantPage(company.id, checkoutId, 11_500);
    await t.jobs.drain();
    const books = await expectBookedAtProvider(t, company, appt.id, [{ refundId: made.refundId, amount: 11_500 }]);
    expect(books.requests[0]).toMatchObject({ tip: 1_500 });
    expect(books.payments.map((p) => p.amount)).toEqual([-10_000]);
    expect(books.tipRefunds).toEqual([
      expect.objectContaining({ amount: 1_500, staff_id: appt.staff.id, refund_request_id: books.requests[0]!.id }),
    ]);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ paid: 0, due: 10_000 });
    const ledger = await expectLedger(appt.id);
    expect(ledger).toMatchObject({ captured: 11_500, refunded: 11_500, tipsNet: 0 });
    // the report nets the tip given back
    const report = await reportOf(company, appt.id);
    expect(report.tips.amount).toBe(0);
    expect(report.tips.byStaff).toEqual([expect.objectContaining({ staffId: appt.staff.id, amount: 0, count: 1 })]);
  });

  it('R32 R40 a refund comes off the visit first: 15.00 is the visit’s (due 15.00, tip kept); 105.00 then 10.00 take the last 5.00 of the visit, then the tip', async () => {
    const small = await tippedPayment();
    await bank.refundAtMerchantPage(small.company.id, small.checkoutId, 1_500);
    await t.jobs.drain();
    expect(await appointmentOf(small.company, small.appt.id)).toMatchObject({ paid: 8_500, due: 1_500 });
    expect((await refundBooksOf(t, small.appt.id)).tipRefunds).toEqual([]);
    expect((await expectLedger(small.appt.id)).tipsNet).toBe(1_500);

    const { company, appt, checkoutId } = await tippedPayment();
    const first = await bank.refundAtMerchantPage(company.id, checkoutId, 10_500);
    await t.jobs.drain();
    const second = await bank.refundAtMerchantPage(company.id, checkoutId, 1_000);
    await t.jobs.drain();
    const books = await expectBookedAtProvider(t, company, appt.id, [
      { refundId: first.refundId, amount: 10_500 },
      { refundId: second.refundId, amount: 1_000 },
    ]);
    expect(books.requests.map((r) => [r.amount, r.tip]).sort((a, b) => b[0]! - a[0]!)).toEqual([
      [10_500, 500],
      [1_000, 1_000],
    ]);
    // the second is the tip's only: no payment of 0 is booked
    expect(books.payments.map((p) => p.amount)).toEqual([-10_000]);
    expect(books.tipRefunds.map((r) => r.amount).sort((a, b) => a - b)).toEqual([500, 1_000]);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ paid: 0, due: 10_000 });
    expect((await expectLedger(appt.id)).tipsNet).toBe(0);
  });

  it('R31 R32 R40 a staff refund never takes the tip (refundable 100.00); the tip refunded at the bank afterwards is the tip’s', async () => {
    const { company, appt, checkoutId, paymentId } = await tippedPayment();
    const window = await company.owner.get(`${company.base}/appointments/${appt.id}`);
    expect(window.body.payments).toEqual([expect.objectContaining({ amount: 10_000, tip: 1_500, refundable: 10_000 })]);
    const url = `${company.base}/appointments/${appt.id}/payments/${paymentId}/refunds`;
    const over = await company.owner.post(url, { amount: 10_001, reason: 'goodwill' });
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe('amount_exceeds_refundable');
    const staff = await company.owner.post(url, { amount: 10_000, reason: 'goodwill' });
    expect(staff.status, staff.text).toBe(201);
    await t.jobs.drain();
    expect((await refundBooksOf(t, appt.id)).tipRefunds).toEqual([]);
    expect((await expectLedger(appt.id)).tipsNet).toBe(1_500);

    const made = await bank.refundAtMerchantPage(company.id, checkoutId, 1_500);
    await t.jobs.drain();
    const books = await refundBooksOf(t, appt.id);
    const atBank = books.requests.find((r) => r.provider_refund_id === made.refundId);
    expect(atBank).toMatchObject({ amount: 1_500, tip: 1_500, origin: 'provider' });
    expect(books.payments.map((p) => p.amount)).toEqual([-10_000]);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ paid: 0, due: 10_000 });
    expect((await expectLedger(appt.id)).tipsNet).toBe(0);
  });
});

describe('R18 R40 overpayment with a tip', () => {
  it('R18 R40 a tipped payment refunded whole as overpayment gives its tip back with it; one refunded in part keeps its tip', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    await tipsOn(company);
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const link = await copyLink(company, appt.id);
    const first = await pressPay(t, link.token, { tip: '10' });
    t.clock.advance(t.config.PAYLINK_LOCK_SECONDS * 1000 + SECOND);
    expect((await deskPayment(company, appt.id, 3_000)).status).toBe(201);
    const expire = vi
      .spyOn(t.services.sandbox, 'expireCheckout')
      .mockRejectedValueOnce(new ProviderUnavailableError('timeout'));
    const second = await pressPay(t, link.token, { tip: '10' });
    expire.mockRestore();
    expect(second.location).not.toBe(first.location);

    await completeSandbox(t, first.location!); // 100.00 + 10.00 tip: 30.00 too much
    t.clock.advance(SECOND);
    await completeSandbox(t, second.location!); // 70.00 + 7.00 tip: all of it too much
    // the bank's notifications one at a time, in the order paid: delivered together, either could be applied first
    for (let n = 0; n < 2; n++) {
      const sent = await deliverDueSandboxNotifications({
        db: t.db,
        clock: t.clock,
        origins: t.services.origins,
        secrets: t.services.secrets,
        batchSize: 1,
      });
      expect(sent.delivered).toBe(1);
    }
    await t.jobs.drain();

    const ledger = await expectBalancedLedger(t, appt.id);
    expect(ledger).toMatchObject({ captured: 18_700, refunded: 10_700, tips: 1_700, tipRefunds: 700, tipsNet: 1_000 });
    const books = await refundBooksOf(t, appt.id);
    expect(books.requests.map((r) => [r.reason, r.amount, r.tip, r.status]).sort()).toEqual(
      [
        ['overpayment', 3_000, 0, 'succeeded'],
        ['overpayment', 7_700, 700, 'succeeded'],
      ].sort(),
    );
    expect(books.payments.map((p) => p.amount).sort((a, b) => a - b)).toEqual([-7_000, -3_000]);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ paid: 10_000, due: 0 });
  });
});

describe('R40 report: a tip is its staff member’s at payment time', () => {
  it('R40 after the appointment moves to another staff member, the tipped line and the tips per staff both name who did the work when paid', async () => {
    const { company, appt } = await tippedPayment();
    const other = await company.owner.post(`${company.base}/staff`, { name: 'Olga' });
    expect(other.status, other.text).toBe(201);
    const moved = await company.owner.patch(`${company.base}/appointments/${appt.id}`, { staffId: other.body.id });
    expect(moved.status, moved.text).toBe(200);
    const report = await reportOf(company, appt.id);
    expect(report.items).toEqual([expect.objectContaining({ amount: 10_000, tip: 1_500, staffName: 'Maria' })]);
    expect(report.tips.byStaff).toEqual([expect.objectContaining({ staffId: appt.staff.id, staffName: 'Maria' })]);
  });
});
