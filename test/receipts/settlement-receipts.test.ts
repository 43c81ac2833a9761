import { afterAll, describe, expect, it, vi } from 'vitest';
import { SettlementReceiptsService } from '../../src/modules/receipts/index.js';
import { toSettlementReceiptBody } from '../../src/providers/yookassa/yookassa-mapping.js';
import { ProviderUnavailableError } from '../../src/providers/port.js';
import { newId } from '../../src/shared/ids.js';
import { completeSandbox, connectSandbox, copyLink, payableAppointment, pressPay } from '../helpers/links.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import { startYooKassaStub, type StubShop } from '../stubs/yookassa-stub.js';

/**
 * R33: the 54-FZ settlement receipt of an online prepayment, end to end against the YooKassa stub
 * (which refuses what the real POST /v3/receipts refuses) and the sandbox bank.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const FISCAL: StubShop = { shopId: '300700', secretKey: 'live_settlementShopKey03', fiscalization: true };
const stub = await startYooKassaStub({ shops: [FISCAL] });
const t = await createTestApp({ env: { VISITPAY_YOOKASSA_API_URL: stub.url } });
const origin = await t.listen();
afterAll(() => stub.close());

const auth = `Basic ${Buffer.from(`${FISCAL.shopId}:${FISCAL.secretKey}`).toString('base64')}`;

async function fiscalCompany() {
  const company = await t.newCompany({ country: 'RU', currency: 'RUB', timezone: 'Europe/Moscow' });
  const connected = await company.owner.post(`${company.base}/settings/cashless/connect`, {
    provider: 'yookassa',
    credentials: { shopId: FISCAL.shopId, secretKey: FISCAL.secretKey },
  });
  expect(connected.status, connected.text).toBe(200);
  const settings = await company.owner.put(`${company.base}/settings/cashless`, {
    payByLinkEnabled: true,
    fiscalization: { enabled: true },
  });
  expect(settings.status, settings.text).toBe(200);
  return company;
}

/** A visit tomorrow, paid in full by link today: a prepayment receipt, then the settlement receipt row. */
async function prepaidVisit(company?: TestCompany, price = 100_000) {
  const c = company ?? (await fiscalCompany());
  const appt = await payableAppointment(t, c, {
    price,
    taxSystem: 'osn',
    client: { email: 'anna@example.test', phone: null },
  });
  const link = await copyLink(c, appt.id);
  const pay = await pressPay(t, link.token);
  expect(pay.status, pay.body).toBe(303);
  const ykPaymentId = new URL(pay.location!).searchParams.get('orderId')!;
  stub.pay(ykPaymentId);
  const answer = await stub.notify(`${origin}/webhooks/yookassa/${c.id}`, 'payment.succeeded', ykPaymentId);
  expect(answer.status, answer.body).toBe(200);
  const payment = await t.db
    .selectFrom('payments')
    .selectAll()
    .where('appointment_id', '=', appt.id)
    .where('amount', '>', 0)
    .executeTakeFirstOrThrow();
  const row = await settlementOf(payment.id);
  expect(row).toMatchObject({ status: 'pending', tries: 0, amount: null });
  const startsAt = (
    await t.db.selectFrom('appointments').select('starts_at').where('id', '=', appt.id).executeTakeFirstOrThrow()
  ).starts_at;
  return { company: c, appointmentId: appt.id, ykPaymentId, payment, startsAt };
}

const settlementOf = (paymentId: string) =>
  t.db.selectFrom('settlement_receipts').selectAll().where('payment_id', '=', paymentId).executeTakeFirstOrThrow();

/** Midnight after `at` in Moscow (UTC+3 all year). */
function endOfMoscowDay(at: Date): Date {
  const local = new Date(at.getTime() + 3 * HOUR);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1) - 3 * HOUR);
}

const receiptCalls = (ykPaymentId: string) =>
  stub.calls('POST', '/v3/receipts').filter((r) => r.body?.payment_id === ykPaymentId);

async function windowOf(company: TestCompany, appointmentId: string) {
  const res = await company.owner.get(`${company.base}/appointments/${appointmentId}`);
  expect(res.status, res.text).toBe(200);
  return res.body.settlementReceipts as {
    id: string;
    paymentId: string;
    status: string;
    amount: number | null;
    amountFormatted: string | null;
    failure: string | null;
    dueAt: string;
    updatedAt: string;
  }[];
}

const auditOf = (entityId: string) =>
  t.db.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId).orderBy('id').execute();

async function patchAppointment(company: TestCompany, id: string, body: Record<string, unknown>) {
  const res = await company.owner.patch(`${company.base}/appointments/${id}`, body);
  expect(res.status, res.text).toBe(200);
}

/** A refund of (part of) the payment, asked for and carried out through the provider. */
async function refund(v: Awaited<ReturnType<typeof prepaidVisit>>, amount: number) {
  const now = t.clock.now();
  await t.db
    .insertInto('refund_requests')
    .values({
      id: newId('refund'),
      company_id: v.company.id,
      appointment_id: v.appointmentId,
      payment_id: v.payment.id,
      amount,
      reason: 'client asked',
      status: 'requested',
      provider_refund_id: null,
      failure: null,
      created_at: now,
      updated_at: now,
      check_at: now,
    })
    .execute();
  await t.services.refunds.processDue();
}

describe('R33 settlement receipts', () => {
  it('R33 due at the end of the appointment day in the company zone, sent then with the body YooKassa documents, shown in the window and audited', async () => {
    const v = await prepaidVisit();
    const dueAt = endOfMoscowDay(v.startsAt);
    const row = await settlementOf(v.payment.id);
    expect(row.due_at.toISOString()).toBe(dueAt.toISOString());
    expect(await windowOf(v.company, v.appointmentId)).toEqual([
      expect.objectContaining({ id: row.id, paymentId: v.payment.id, status: 'pending', dueAt: dueAt.toISOString() }),
    ]);

    t.clock.set(new Date(dueAt.getTime() - MINUTE));
    await t.services.settlementReceipts.processDue();
    expect(receiptCalls(v.ykPaymentId)).toHaveLength(0);

    t.clock.set(dueAt);
    await t.services.settlementReceipts.processDue();
    const [call] = receiptCalls(v.ykPaymentId);
    expect(call).toBeDefined();
    expect(call!.headers['idempotence-key']).toBe(row.id);
    // field by field against "Чек зачета предоплаты": the first receipt's customer and lines, each
    // handed over in full (full_payment), paid by offsetting the prepayment
    const first = stub.receiptOf(v.ykPaymentId) as { customer: unknown; tax_system_code: number; items: object[] };
    expect(first.items.every((i) => (i as { payment_mode: string }).payment_mode === 'full_prepayment')).toBe(true);
    expect(call!.body).toEqual({
      type: 'payment',
      payment_id: v.ykPaymentId,
      send: true,
      customer: first.customer,
      items: first.items.map((i) => ({ ...i, payment_mode: 'full_payment' })),
      settlements: [{ type: 'prepayment', amount: { value: '1000.00', currency: 'RUB' } }],
      tax_system_code: first.tax_system_code,
    });
    expect(first.tax_system_code).toBe(1);

    const sent = await settlementOf(v.payment.id);
    expect(sent).toMatchObject({ status: 'sent', amount: 100_000, failure: null });
    expect(stub.receipts.get(sent.provider_receipt_id!)?.object.payment_id).toBe(v.ykPaymentId);
    expect(await windowOf(v.company, v.appointmentId)).toEqual([
      expect.objectContaining({ status: 'sent', amount: 100_000, failure: null }),
    ]);
    const audit = await auditOf(row.id);
    expect(audit.map((a) => a.action)).toEqual(['receipt.settlement_sent']);
    expect(audit[0]!.details).toMatchObject({ paymentId: v.payment.id, amount: 100_000 });

    // sent once: later runs leave it alone
    t.clock.advance(2 * HOUR);
    await t.services.settlementReceipts.processDue();
    expect(receiptCalls(v.ykPaymentId)).toHaveLength(1);
  });

  it('R33 sent as soon as the appointment turns arrived, before its day ends', async () => {
    const v = await prepaidVisit();
    t.clock.set(new Date(v.startsAt.getTime() + 5 * MINUTE));
    await patchAppointment(v.company, v.appointmentId, { status: 'arrived' });
    const row = await settlementOf(v.payment.id);
    expect(row.due_at.toISOString()).toBe(t.clock.now().toISOString());
    await t.services.settlementReceipts.processDue();
    expect(receiptCalls(v.ykPaymentId)).toHaveLength(1);
    expect(await settlementOf(v.payment.id)).toMatchObject({ status: 'sent', amount: 100_000 });
  });

  it('R33 a refund before the settlement receipt is of a prepayment; after it, of a full payment', async () => {
    const v = await prepaidVisit();
    const modes = () =>
      stub
        .calls('POST', '/v3/refunds')
        .filter((r) => r.body?.payment_id === v.ykPaymentId)
        .map((r) => [...new Set(r.body.receipt.items.map((i: { payment_mode: string }) => i.payment_mode))]);
    await refund(v, 10_000);
    expect(modes()).toEqual([['full_prepayment']]);
    t.clock.set(new Date(v.startsAt.getTime() + 5 * MINUTE));
    await patchAppointment(v.company, v.appointmentId, { status: 'arrived' });
    await t.services.settlementReceipts.processDue();
    expect(await settlementOf(v.payment.id)).toMatchObject({ status: 'sent', amount: 90_000 });
    await refund(v, 20_000);
    expect(modes()).toEqual([['full_prepayment'], ['full_payment']]);
  });

  it('R33 a refund whose answer was lost keeps its receipt: the settlement waits for it, the retry resends the same body, one refund', async () => {
    const v = await prepaidVisit();
    const yookassa = t.services.providers.get('yookassa');
    const original = yookassa.refund.bind(yookassa);
    // the provider registers the refund, its answer never arrives
    const lost = vi.spyOn(yookassa, 'refund').mockImplementationOnce(async (input) => {
      await original(input);
      throw new ProviderUnavailableError('no answer');
    });
    await refund(v, 10_000);
    lost.mockRestore();
    t.clock.set(new Date(v.startsAt.getTime() + 5 * MINUTE));
    await patchAppointment(v.company, v.appointmentId, { status: 'arrived' });
    await t.services.settlementReceipts.processDue();
    // the settlement waits while a refund of the payment is still at the provider
    expect(await settlementOf(v.payment.id)).toMatchObject({ status: 'pending', amount: null });
    expect(receiptCalls(v.ykPaymentId)).toHaveLength(0);

    t.clock.set(new Date(t.clock.now().getTime() + 10 * MINUTE));
    await t.services.refunds.processDue();
    const request = await t.db
      .selectFrom('refund_requests')
      .selectAll()
      .where('payment_id', '=', v.payment.id)
      .executeTakeFirstOrThrow();
    expect(request).toMatchObject({ status: 'succeeded', after_settlement: false });
    const sent = stub.calls('POST', '/v3/refunds').filter((r) => r.body?.payment_id === v.ykPaymentId);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.body).toEqual(sent[0]!.body);
    expect([...stub.refunds.values()].filter((r) => r.object.payment_id === v.ykPaymentId)).toHaveLength(1);

    t.clock.set(new Date(t.clock.now().getTime() + 2 * HOUR));
    await t.services.settlementReceipts.processDue();
    expect(await settlementOf(v.payment.id)).toMatchObject({ status: 'sent', amount: 90_000 });
  });

  it('R33 a settlement receipt whose answer was lost is resent with the same key and amount, even after a refund in between', async () => {
    const v = await prepaidVisit();
    const yookassa = t.services.providers.get('yookassa');
    const original = yookassa.sendSettlementReceipt!.bind(yookassa);
    const lost = vi.spyOn(yookassa, 'sendSettlementReceipt').mockImplementationOnce(async (input) => {
      await original(input);
      throw new ProviderUnavailableError('no answer');
    });
    t.clock.set(new Date(v.startsAt.getTime() + 5 * MINUTE));
    await patchAppointment(v.company, v.appointmentId, { status: 'arrived' });
    await t.services.settlementReceipts.processDue();
    lost.mockRestore();
    expect(await settlementOf(v.payment.id)).toMatchObject({ status: 'pending', amount: 100_000 });

    // a refund now reverses a full payment: the settlement is decided and on its way
    await refund(v, 10_000);
    const refundSent = stub.calls('POST', '/v3/refunds').filter((r) => r.body?.payment_id === v.ykPaymentId);
    expect(refundSent.map((r) => r.body.receipt.items[0].payment_mode)).toEqual(['full_payment']);

    t.clock.set(new Date(t.clock.now().getTime() + 2 * HOUR));
    await t.services.settlementReceipts.processDue();
    const calls = receiptCalls(v.ykPaymentId);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.headers['idempotence-key']).toBe(calls[0]!.headers['idempotence-key']);
    expect(calls[1]!.body).toEqual(calls[0]!.body);
    expect([...stub.receipts.values()].filter((r) => r.body.payment_id === v.ykPaymentId)).toHaveLength(1);
    expect(await settlementOf(v.payment.id)).toMatchObject({ status: 'sent', amount: 100_000 });
  });

  it('R33 a rescheduled appointment moves the due time; undoing arrived puts it back to the end of the day', async () => {
    const v = await prepaidVisit();
    const later = new Date(v.startsAt.getTime() + 2 * 24 * HOUR);
    await patchAppointment(v.company, v.appointmentId, { startsAt: later.toISOString() });
    const moved = await settlementOf(v.payment.id);
    expect(moved.due_at.toISOString()).toBe(endOfMoscowDay(later).toISOString());
    expect((await windowOf(v.company, v.appointmentId))[0]!.dueAt).toBe(endOfMoscowDay(later).toISOString());

    // the old day ends: nothing is sent
    t.clock.set(endOfMoscowDay(v.startsAt));
    await t.services.settlementReceipts.processDue();
    expect(receiptCalls(v.ykPaymentId)).toHaveLength(0);

    await patchAppointment(v.company, v.appointmentId, { status: 'arrived' });
    expect((await settlementOf(v.payment.id)).due_at.toISOString()).toBe(t.clock.now().toISOString());
    await patchAppointment(v.company, v.appointmentId, { status: 'booked' });
    expect((await settlementOf(v.payment.id)).due_at.toISOString()).toBe(endOfMoscowDay(later).toISOString());
  });

  it('R33 sent once when two processes run the job at the same time', async () => {
    const v = await prepaidVisit();
    await patchAppointment(v.company, v.appointmentId, { status: 'arrived' });
    // another instance of the service on the same database, as a second process would have
    const other = new SettlementReceiptsService({
      db: t.db,
      clock: t.clock,
      log: t.services.logFor('settlement-receipts'),
      cashless: t.services.cashless,
    });
    // the provider answers slowly, so both runs are in flight together
    stub.failNext(1, { kind: 'timeout', delayMs: 300 }, '/v3/receipts');
    const handled = await Promise.all([
      t.services.settlementReceipts.processDue(),
      other.processDue(),
      t.services.settlementReceipts.processDue(),
    ]);
    expect(handled.reduce((s, n) => s + n, 0)).toBeGreaterThanOrEqual(1);
    expect(receiptCalls(v.ykPaymentId)).toHaveLength(1);
    expect(stub.receipts.size).toBeGreaterThan(0);
    const row = await settlementOf(v.payment.id);
    expect(row).toMatchObject({ status: 'sent', tries: 1 });
    expect((await auditOf(row.id)).map((a) => a.action)).toEqual(['receipt.settlement_sent']);
    await Promise.all([t.services.settlementReceipts.processDue(), other.processDue()]);
    expect(receiptCalls(v.ykPaymentId)).toHaveLength(1);
  });

  it('R33 retried through the job queue after a provider 500, then accepted, with the same Idempotence-Key and body', async () => {
    const v = await prepaidVisit();
    await patchAppointment(v.company, v.appointmentId, { status: 'arrived' });
    // every call the client makes in this run meets a 500 (it repeats a few times itself)
    stub.failNext(3, { kind: 'status', status: 500 }, '/v3/receipts');
    await t.services.settlementReceipts.processDue();
    const waiting = await settlementOf(v.payment.id);
    expect(waiting).toMatchObject({ status: 'pending', tries: 1 });
    expect(waiting.failure).toContain('HTTP 500');
    expect(waiting.check_at.getTime()).toBeGreaterThan(t.clock.now().getTime());
    expect((await windowOf(v.company, v.appointmentId))[0]).toMatchObject({
      status: 'pending',
      failure: waiting.failure,
    });

    // not before its back-off
    await t.services.settlementReceipts.processDue();
    expect(receiptCalls(v.ykPaymentId)).toHaveLength(3);
    t.clock.set(waiting.check_at);
    await t.services.settlementReceipts.processDue();
    const calls = receiptCalls(v.ykPaymentId);
    expect(calls).toHaveLength(4);
    expect(new Set(calls.map((c) => c.headers['idempotence-key'])).size).toBe(1);
    expect(new Set(calls.map((c) => JSON.stringify(c.body))).size).toBe(1);
    expect(await settlementOf(v.payment.id)).toMatchObject({ status: 'sent', tries: 2, failure: null });
    expect((await auditOf(waiting.id)).map((a) => a.action)).toEqual(['receipt.settlement_sent']);
  });

  it('R33 not sent after a full refund; after a partial refund it covers only what is left', async () => {
    const full = await prepaidVisit();
    await refund(full, 100_000);
    const part = await prepaidVisit(full.company);
    await refund(part, 30_000);
    await patchAppointment(full.company, full.appointmentId, { status: 'arrived' });
    await patchAppointment(part.company, part.appointmentId, { status: 'arrived' });
    await t.services.settlementReceipts.processDue();

    expect(receiptCalls(full.ykPaymentId)).toHaveLength(0);
    const none = await settlementOf(full.payment.id);
    expect(none).toMatchObject({ status: 'not_needed', amount: 0 });
    expect((await auditOf(none.id)).map((a) => a.action)).toEqual(['receipt.settlement_not_needed']);

    const [call] = receiptCalls(part.ykPaymentId);
    expect(call!.body.settlements).toEqual([{ type: 'prepayment', amount: { value: '700.00', currency: 'RUB' } }]);
    const items = call!.body.items as { quantity: number; amount: { value: string } }[];
    expect(items.reduce((s, i) => s + Number(i.amount.value.replace('.', '')) * i.quantity, 0)).toBe(70_000);
    expect(await settlementOf(part.payment.id)).toMatchObject({ status: 'sent', amount: 70_000 });
    expect((await windowOf(part.company, part.appointmentId))[0]).toMatchObject({
      status: 'sent',
      amount: 70_000,
    });
  });

  it('R33 a refused receipt is failed with the reason, audited; a no_show is not settled, and is when it turns arrived after all', async () => {
    const refused = await prepaidVisit();
    await patchAppointment(refused.company, refused.appointmentId, { status: 'arrived' });
    stub.shops.set(FISCAL.shopId, { ...FISCAL, fiscalization: false });
    try {
      await t.services.settlementReceipts.processDue();
    } finally {
      stub.shops.set(FISCAL.shopId, FISCAL);
    }
    const failed = await settlementOf(refused.payment.id);
    expect(failed.status).toBe('failed');
    expect(failed.failure).toContain('does not send receipts');
    expect((await windowOf(refused.company, refused.appointmentId))[0]).toMatchObject({
      status: 'failed',
      failure: failed.failure,
    });
    expect((await auditOf(failed.id)).map((a) => a.action)).toEqual(['receipt.settlement_failed']);

    const missed = await prepaidVisit(refused.company);
    await patchAppointment(missed.company, missed.appointmentId, { status: 'no_show' });
    t.clock.set(endOfMoscowDay(missed.startsAt));
    await t.services.settlementReceipts.processDue();
    expect(receiptCalls(missed.ykPaymentId)).toHaveLength(0);
    const skipped = await settlementOf(missed.payment.id);
    expect(skipped).toMatchObject({ status: 'not_needed', amount: null });
    expect(skipped.failure).toContain('not delivered');

    await patchAppointment(missed.company, missed.appointmentId, { status: 'arrived' });
    await t.services.settlementReceipts.processDue();
    expect(receiptCalls(missed.ykPaymentId)).toHaveLength(1);
    expect(await settlementOf(missed.payment.id)).toMatchObject({ status: 'sent', amount: 100_000, failure: null });
  });

  it('R33 the YooKassa stub refuses a settlement receipt the real API refuses, field by field', async () => {
    const v = await prepaidVisit();
    const receipt = {
      customer: { email: 'anna@example.test' },
      taxSystem: 'osn',
      items: [
        {
          description: 'Haircut',
          quantity: 1,
          amount: 100_000,
          vat: 'none',
          paymentSubject: 'service' as const,
          paymentMode: 'full_payment' as const,
        },
      ],
    };
    const valid = toSettlementReceiptBody({
      providerPaymentId: v.ykPaymentId,
      amount: 100_000,
      currency: 'RUB',
      receipt,
    });
    const post = async (body: unknown, key: string | null = newId('request')) => {
      const res = await fetch(`${stub.url}/v3/receipts`, {
        method: 'POST',
        headers: {
          authorization: auth,
          'content-type': 'application/json',
          ...(key ? { 'idempotence-key': key } : {}),
        },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { parameter?: string; status?: string } };
    };
    const without = (key: keyof typeof valid) => {
      const { [key]: _gone, ...rest } = valid;
      return rest;
    };
    const refusals: [string, unknown, string | null][] = [
      ['Idempotence-Key', valid, null],
      ['payment_id', without('payment_id'), newId('request')],
      ['customer', without('customer'), newId('request')],
      ['settlements', without('settlements'), newId('request')],
      ['settlements', { ...valid, settlements: [] }, newId('request')],
      ['items', without('items'), newId('request')],
      ['send', without('send'), newId('request')],
      ['type', without('type'), newId('request')],
      [
        'settlements[0].type',
        { ...valid, settlements: [{ type: 'card', amount: valid.settlements[0]!.amount }] },
        newId('request'),
      ],
      [
        'items',
        { ...valid, settlements: [{ type: 'prepayment', amount: { value: '999.99', currency: 'RUB' } }] },
        newId('request'),
      ],
      [
        'settlements',
        {
          ...valid,
          items: [{ ...valid.items[0]!, amount: { value: '1000.01', currency: 'RUB' } }],
          settlements: [{ type: 'prepayment', amount: { value: '1000.01', currency: 'RUB' } }],
        },
        newId('request'),
      ],
      ['items[0].payment_mode', { ...valid, items: [{ ...valid.items[0]!, payment_mode: 'paid' }] }, newId('request')],
    ];
    for (const [parameter, body, key] of refusals) {
      const answer = await post(body, key);
      expect([parameter, answer.status]).toEqual([parameter, 400]);
      expect(answer.body.parameter).toBe(parameter);
    }
    const key = newId('request');
    const accepted = await post(valid, key);
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('pending');
    expect((await post(valid, key)).body).toEqual(accepted.body);
    expect((await post({ ...valid, send: true, tax_system_code: 2 }, key)).body.parameter).toBe('Idempotence-Key');
  });

  it('R33 the sandbox bank keeps settlement receipts too, so the flow can be tried with fiscalization on', async () => {
    const company = await t.newCompany({ country: 'RU', currency: 'RUB', timezone: 'Europe/Moscow' });
    await connectSandbox(company);
    const on = await company.owner.put(`${company.base}/settings/cashless`, { fiscalization: { enabled: true } });
    expect(on.status, on.text).toBe(200);
    const appt = await payableAppointment(t, company, { price: 50_000, taxSystem: 'osn' });
    const link = await copyLink(company, appt.id);
    const pay = await pressPay(t, link.token);
    expect(pay.status, pay.body).toBe(303);
    await completeSandbox(t, pay.location!);
    await t.jobs.drain();
    const payment = await t.db
      .selectFrom('payments')
      .selectAll()
      .where('appointment_id', '=', appt.id)
      .executeTakeFirstOrThrow();
    await patchAppointment(company, appt.id, { status: 'arrived' });
    await t.services.settlementReceipts.processDue();
    const row = await settlementOf(payment.id);
    expect(row).toMatchObject({ status: 'sent', amount: 50_000 });
    const kept = await t.db
      .selectFrom('sandbox_receipts')
      .selectAll()
      .where('id', '=', row.provider_receipt_id!)
      .executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ company_id: company.id, amount: 50_000 });
    expect((kept.receipt as { items: { paymentMode: string }[] }).items.map((i) => i.paymentMode)).toEqual([
      'full_payment',
    ]);
  });
});
