import { describe, expect, it, vi } from 'vitest';
import { ProviderUnavailableError } from '../../src/providers/port.js';
import {
  appointmentOf,
  completeSandbox,
  connectSandbox,
  copyLink,
  payableAppointment,
  pressPay,
  visitOn14March2031,
} from '../helpers/links.js';
import {
  auditOf,
  checkoutIdOf,
  deskPayment,
  insertCreatingAttempt,
  SECOND,
  sandboxCheckout,
} from '../helpers/settlement.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';

const t = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0' } });
await t.listen();

interface Paid {
  company: TestCompany;
  appointmentId: string;
  paymentId: string;
  linkId: string;
  checkoutId: string;
}

/** An appointment paid in full by link through the sandbox bank. */
async function paidByLink(
  price = 10_000,
  options: { appointmentId?: string; company?: TestCompany; linkAmount?: number } = {},
): Promise<Paid> {
  const company = options.company ?? (await t.newCompany());
  if (!options.company) await connectSandbox(company);
  const appointmentId = options.appointmentId ?? (await payableAppointment(t, company, { price })).id;
  const link = await copyLink(company, appointmentId, options.linkAmount);
  const pay = await pressPay(t, link.token);
  expect(pay.status, pay.body).toBe(303);
  await completeSandbox(t, pay.location!);
  await t.jobs.drain();
  const [payment] = await onlinePaymentsOf(appointmentId);
  expect(payment).toMatchObject({ amount: options.linkAmount ?? price });
  return { company, appointmentId, paymentId: payment!.id, linkId: link.id, checkoutId: checkoutIdOf(pay.location) };
}

const refundUrl = (p: Paid, paymentId = p.paymentId, appointmentId = p.appointmentId) =>
  `${p.company.base}/appointments/${appointmentId}/payments/${paymentId}/refunds`;

async function refund(p: Paid, body: unknown, headers: Record<string, string> = {}) {
  return p.company.owner.post(refundUrl(p), body, headers);
}

async function onlinePaymentsOf(appointmentId: string) {
  return t.db
    .selectFrom('payments')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .where('method', '=', 'online')
    .orderBy('created_at')
    .execute();
}

async function requestsOf(appointmentId: string) {
  return t.db
    .selectFrom('refund_requests')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .orderBy('created_at')
    .execute();
}

async function bankRefunds(checkoutId: string) {
  return t.db.selectFrom('sandbox_refunds').selectAll().where('checkout_id', '=', checkoutId).execute();
}

/** The appointment as the window shows it: payments with `refundable`, and the refunds list. */
async function windowOf(p: Paid) {
  const res = await p.company.owner.get(`${p.company.base}/appointments/${p.appointmentId}`);
  expect(res.status, res.text).toBe(200);
  return res.body as {
    due: number;
    paid: number;
    payments: { id: string; amount: number; refundOf: string | null; refundable: number | null; recordedBy: any }[];
    refunds: {
      id: string;
      amount: number;
      status: string;
      failure: string | null;
      origin: string;
      requestedBy: string | null;
      reason: string;
    }[];
  };
}

/** Nothing was written for a refused refund: no request, no audit entry, no money back. */
async function expectNothingWritten(p: Paid) {
  expect(await requestsOf(p.appointmentId)).toEqual([]);
  expect((await auditOf(p.company, p.appointmentId)).filter((e) => e.action.startsWith('refund.'))).toEqual([]);
  expect((await onlinePaymentsOf(p.appointmentId)).filter((x) => x.amount < 0)).toEqual([]);
}

describe('R31 staff refunds through the sandbox bank', () => {
  it('R31 a full refund: made through the provider at once, booked as the user’s negative payment, audited, shown', async () => {
    const p = await paidByLink(10_000);
    const res = await refund(p, { amount: 10_000, reason: '  client moved away  ' });
    expect(res.status, res.text).toBe(201);
    expect(res.body.refund).toMatchObject({
      paymentId: p.paymentId,
      amount: 10_000,
      reason: 'client moved away',
      status: 'succeeded',
      failure: null,
      origin: 'staff',
      requestedBy: 'Test Owner',
    });

    expect(await bankRefunds(p.checkoutId)).toHaveLength(1);
    expect((await sandboxCheckout(t, p.checkoutId)).refunded).toBe(10_000);
    const booked = (await onlinePaymentsOf(p.appointmentId)).find((x) => x.amount < 0);
    expect(booked).toMatchObject({
      amount: -10_000,
      refund_of: p.paymentId,
      actor_type: 'user',
      actor_id: p.company.ownerId,
      provider: 'sandbox',
    });
    const view = await windowOf(p);
    expect(view).toMatchObject({ paid: 0, due: 10_000 });
    expect(view.payments.find((x) => x.id === p.paymentId)?.refundable).toBe(0);
    expect(view.payments.find((x) => x.amount < 0)).toMatchObject({ refundable: null, recordedBy: { type: 'user' } });
    expect(view.refunds).toEqual([
      expect.objectContaining({
        id: res.body.refund.id,
        origin: 'staff',
        requestedBy: 'Test Owner',
        status: 'succeeded',
      }),
    ]);

    const audit = await auditOf(p.company, p.appointmentId);
    expect(audit.find((e) => e.action === 'refund.requested')).toMatchObject({
      actor: { type: 'user', id: p.company.ownerId },
      entityId: res.body.refund.id,
      details: { amount: 10_000, paymentId: p.paymentId, reason: 'client moved away', refundableAfter: 0 },
    });
    expect(audit.find((e) => e.action === 'refund.succeeded')).toMatchObject({
      actor: { type: 'user', id: p.company.ownerId },
      amountBefore: 0,
      amountAfter: 10_000,
    });
  });

  it('R31 partial refunds: each never more than what is left, the payment’s refundable shrinking with them', async () => {
    const p = await paidByLink(10_000);
    expect((await windowOf(p)).payments[0]!.refundable).toBe(10_000);
    const first = await refund(p, { amount: 3_000, reason: 'one service not done' });
    expect(first.status, first.text).toBe(201);
    expect((await windowOf(p)).payments.find((x) => x.id === p.paymentId)?.refundable).toBe(7_000);

    const beyond = await refund(p, { amount: 7_001, reason: 'too much' });
    expect(beyond.status, beyond.text).toBe(422);
    expect(beyond.body.error).toMatchObject({
      code: 'amount_exceeds_refundable',
      field: 'amount',
      amount: 7_001,
      refundable: 7_000,
    });

    const rest = await refund(p, { amount: 7_000, reason: 'the rest' });
    expect(rest.status, rest.text).toBe(201);
    const nothingLeft = await refund(p, { amount: 1, reason: 'once more' });
    expect(nothingLeft.status).toBe(422);
    expect(nothingLeft.body.error).toMatchObject({ code: 'amount_exceeds_refundable', refundable: 0 });

    expect((await bankRefunds(p.checkoutId)).map((r) => r.amount).sort((a, b) => a - b)).toEqual([3_000, 7_000]);
    expect((await requestsOf(p.appointmentId)).map((r) => [r.amount, r.status])).toEqual([
      [3_000, 'succeeded'],
      [7_000, 'succeeded'],
    ]);
    expect(await appointmentOf(p.company, p.appointmentId)).toMatchObject({ paid: 0, due: 10_000 });
  });

  it('R31 two refunds racing, each for more than half: one wins, nothing is over-refunded', async () => {
    const p = await paidByLink(10_000);
    const answers = await Promise.all([
      refund(p, { amount: 6_000, reason: 'first desk' }),
      refund(p, { amount: 6_000, reason: 'second desk' }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 422]);
    expect(answers.find((a) => a.status === 422)!.body.error).toMatchObject({
      code: 'amount_exceeds_refundable',
      refundable: 4_000,
    });
    expect(await requestsOf(p.appointmentId)).toHaveLength(1);
    expect((await bankRefunds(p.checkoutId)).map((r) => r.amount)).toEqual([6_000]);
    expect((await onlinePaymentsOf(p.appointmentId)).map((x) => x.amount).sort((a, b) => a - b)).toEqual([
      -6_000, 10_000,
    ]);
  });

  it('R31 a refund whose provider call times out is pending, then made once when asked again with the same key', async () => {
    const p = await paidByLink(10_000);
    // The bank makes the refund, but its answer never reaches Visitpay.
    const sandbox = t.services.sandbox;
    const original = sandbox.refund.bind(sandbox);
    const lost = vi.spyOn(sandbox, 'refund').mockImplementationOnce(async (input) => {
      await original(input);
      throw new ProviderUnavailableError('no answer within 10000 ms');
    });
    const res = await refund(p, { amount: 4_000, reason: 'price corrected' }, { 'idempotency-key': 'desk-7-retry' });
    expect(res.status, res.text).toBe(201);
    expect(lost).toHaveBeenCalledTimes(1);
    lost.mockRestore();
    expect(res.body.refund).toMatchObject({ status: 'requested', failure: 'no answer within 10000 ms' });
    expect((await windowOf(p)).refunds[0]).toMatchObject({ status: 'requested' });
    expect(await bankRefunds(p.checkoutId)).toHaveLength(1);

    // The job asks again later with the same idempotency key (the request id): the bank answers the same refund.
    t.clock.advance(60 * SECOND);
    await t.jobs.drain();
    const refunds = await bankRefunds(p.checkoutId);
    expect(refunds.map((r) => [r.amount, r.idempotency_key])).toEqual([[4_000, res.body.refund.id]]);
    // The desk retries its request with the same Idempotency-Key: the same refund, now made, nothing new.
    const again = await refund(p, { amount: 4_000, reason: 'price corrected' }, { 'idempotency-key': 'desk-7-retry' });
    expect(again.status, again.text).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.refund).toMatchObject({ id: res.body.refund.id, status: 'succeeded', failure: null });
    expect(await bankRefunds(p.checkoutId)).toHaveLength(1);
    expect((await onlinePaymentsOf(p.appointmentId)).filter((x) => x.amount < 0).map((x) => x.amount)).toEqual([
      -4_000,
    ]);
  });

  it('R31 Idempotency-Key: a replay answers the same refund, the key with another body is refused', async () => {
    const p = await paidByLink(10_000);
    const headers = { 'idempotency-key': 'refund-abc' };
    const first = await refund(p, { amount: 2_000, reason: 'late start' }, headers);
    expect(first.status, first.text).toBe(201);
    const replay = await refund(p, { amount: 2_000, reason: 'late start' }, headers);
    expect(replay.status, replay.text).toBe(200);
    expect(replay.body.refund.id).toBe(first.body.refund.id);

    const reused = await refund(p, { amount: 3_000, reason: 'late start' }, headers);
    expect(reused.status, reused.text).toBe(409);
    expect(reused.body.error).toMatchObject({ code: 'idempotency_key_reused', refundId: first.body.refund.id });
    // The same key on another appointment of the company is the same key.
    const other = await paidByLink(5_000, { company: p.company });
    const elsewhere = await refund(other, { amount: 2_000, reason: 'late start' }, headers);
    expect(elsewhere.status, elsewhere.text).toBe(409);
    expect(elsewhere.body.error.code).toBe('idempotency_key_reused');

    expect(await requestsOf(p.appointmentId)).toHaveLength(1);
    expect(await requestsOf(other.appointmentId)).toEqual([]);
    expect(await bankRefunds(p.checkoutId)).toHaveLength(1);
  });

  it('R31 refused on a desk payment (void it instead) and on a refund, nothing written', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const cash = await deskPayment(company, appt.id, 4_000);
    expect(cash.status, cash.text).toBe(201);
    const desk: Paid = { company, appointmentId: appt.id, paymentId: cash.body.id, linkId: '', checkoutId: '' };
    const res = await refund(desk, { amount: 1_000, reason: 'change of mind' });
    expect(res.status, res.text).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'desk_payment_not_refundable' });
    expect(res.body.error.message).toContain('void');
    expect((await windowOf(desk)).payments[0]!.refundable).toBeNull();
    await expectNothingWritten(desk);

    const p = await paidByLink(10_000);
    expect((await refund(p, { amount: 1_000, reason: 'partly' })).status).toBe(201);
    const booked = (await onlinePaymentsOf(p.appointmentId)).find((x) => x.amount < 0)!;
    const ofRefund = await p.company.owner.post(refundUrl(p, booked.id), { amount: 500, reason: 'again' });
    expect(ofRefund.status, ofRefund.text).toBe(422);
    expect(ofRefund.body.error.code).toBe('payment_not_refundable');
    expect(await requestsOf(p.appointmentId)).toHaveLength(1);
  });

  it('R31 refused while a checkout of the appointment is open, nothing written', async () => {
    // 4 000 of 10 000 paid by link; the client is now paying the rest
    const p = await paidByLink(10_000, { linkAmount: 4_000 });
    await insertCreatingAttempt(t, p.linkId);
    const res = await refund(p, { amount: 1_000, reason: 'while paying' });
    expect(res.status, res.text).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'attempt_open' });
    await expectNothingWritten(p);
  });

  it('R31 refused when the provider that took the payment is not connected any more, nothing written', async () => {
    const p = await paidByLink(10_000);
    // the company has since moved to another provider
    await t.db
      .updateTable('cashless_settings')
      .set({ provider: 'yookassa' })
      .where('company_id', '=', p.company.id)
      .execute();
    const res = await refund(p, { amount: 1_000, reason: 'after the switch' });
    expect(res.status, res.text).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'provider_not_connected', provider: 'sandbox' });
    await expectNothingWritten(p);
  });

  it('R31 403 without payments.refund (staff role); administrators may', async () => {
    const p = await paidByLink(10_000);
    const staff = await t.newUser(p.company.id, 'staff');
    const res = await staff.api.post(refundUrl(p), { amount: 1_000, reason: 'not allowed' });
    expect(res.status, res.text).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden', right: 'payments.refund' });
    await expectNothingWritten(p);

    const admin = await t.newUser(p.company.id, 'administrator');
    const ok = await admin.api.post(refundUrl(p), { amount: 1_000, reason: 'allowed' });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.refund.requestedBy).toBe('Test administrator');
  });

  it('R31 S-rules: another company’s payment is not found, nor a payment of another appointment', async () => {
    const p = await paidByLink(10_000);
    const other = await t.newCompany();
    const appt = await payableAppointment(t, other, { price: 10_000 });
    // through the other company's own path, naming this company's payment
    const foreignPayment = await other.owner.post(
      `${other.base}/appointments/${appt.id}/payments/${p.paymentId}/refunds`,
      { amount: 1_000, reason: 'not mine' },
    );
    expect(foreignPayment.status, foreignPayment.text).toBe(404);
    const foreignAppointment = await other.owner.post(
      `${other.base}/appointments/${p.appointmentId}/payments/${p.paymentId}/refunds`,
      { amount: 1_000, reason: 'not mine' },
    );
    expect(foreignAppointment.status, foreignAppointment.text).toBe(404);
    // and through this company's path, which the other owner is no member of
    expect((await other.owner.post(refundUrl(p), { amount: 1_000, reason: 'not mine' })).status).toBe(404);

    const sibling = await payableAppointment(t, p.company, { price: 5_000 });
    const wrongAppointment = await refund({ ...p, appointmentId: sibling.id }, { amount: 1_000, reason: 'mixed up' });
    expect(wrongAppointment.status, wrongAppointment.text).toBe(404);
    expect(wrongAppointment.body.error).toMatchObject({ code: 'not_found', field: 'paymentId' });
    await expectNothingWritten(p);
  });

  it('R31 bad input is refused naming the field, nothing written', async () => {
    const p = await paidByLink(10_000);
    for (const body of [
      { amount: 0, reason: 'zero' },
      { amount: 10.5, reason: 'fraction' },
      { amount: 1_000, reason: '   ' },
      { amount: 1_000, reason: 'x'.repeat(501) },
      { amount: 1_000 },
    ]) {
      const res = await refund(p, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    await expectNothingWritten(p);
  });

  it('R31 R19 the refund is in the transactions report under the appointment’s date, taken by the user', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const appointmentId = await visitOn14March2031(t, company, {
      price: 8_000,
      client: { name: 'Olga', email: null, phone: null },
    });
    const p = await paidByLink(8_000, { company, appointmentId });
    const res = await refund(p, { amount: 2_500, reason: 'discount' });
    expect(res.status, res.text).toBe(201);

    const report = await company.owner.get(`${company.base}/reports/transactions?from=2031-03-14&to=2031-03-14`);
    expect(report.status, report.text).toBe(200);
    expect(report.body.totals).toMatchObject({ amount: 5_500, count: 2 });
    const line = report.body.items.find((i: any) => i.amount < 0);
    expect(line).toMatchObject({
      amount: -2_500,
      refundOf: p.paymentId,
      takenBy: { type: 'user', id: company.ownerId, name: 'Test Owner' },
    });
  });
});
