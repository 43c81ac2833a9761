import { afterAll, describe, expect, it } from 'vitest';
import { newProduct } from '../helpers/factories.js';
import { appointmentOf, copyLink, onlinePayments, payableAppointment, pressPay } from '../helpers/links.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import { startYooKassaStub, type StubShop } from '../stubs/yookassa-stub.js';

const MINUTE = 60_000;
const SHOP: StubShop = { shopId: '100500', secretKey: 'test_stubSecretKey0001' };
const FISCAL: StubShop = { shopId: '200600', secretKey: 'live_fiscalShopKey0002', fiscalization: true };
const stub = await startYooKassaStub({ shops: [SHOP, FISCAL] });
const t = await createTestApp({ env: { VISITPAY_YOOKASSA_API_URL: stub.url } });
const origin = await t.listen();
afterAll(() => stub.close());

type SentReceipt = {
  customer: Record<string, string>;
  tax_system_code: number;
  items: { description: string; quantity: number; amount: { value: string }; payment_mode: string }[];
};

/** Finance → Cashless payment → YooKassa → Connect, pay by link on, and the online cash register when the shop is fiscal. */
async function connectYooKassa(shop: StubShop) {
  const company = await t.newCompany({ country: 'RU', currency: 'RUB', timezone: 'Europe/Moscow' });
  const connected = await company.owner.post(`${company.base}/settings/cashless/connect`, {
    provider: 'yookassa',
    credentials: { shopId: shop.shopId, secretKey: shop.secretKey },
  });
  expect(connected.status, connected.text).toBe(200);
  const settings = await company.owner.put(`${company.base}/settings/cashless`, {
    payByLinkEnabled: true,
    ...(shop.fiscalization ? { fiscalization: { enabled: true } } : {}),
  });
  expect(settings.status, settings.text).toBe(200);
  return company;
}

/** The client presses Pay and lands on YooKassa's page; answers the YooKassa payment id. */
async function payAtYooKassa(token: string) {
  const pay = await pressPay(t, token);
  expect(pay.status, pay.body).toBe(303);
  const id = new URL(pay.location!).searchParams.get('orderId')!;
  expect(stub.payments.get(id)?.object.status).toBe('pending');
  return id;
}

/** YooKassa tells Visitpay that a payment succeeded; Visitpay reads it back and applies it. */
async function notifyPaid(company: TestCompany, paymentId: string) {
  const answer = await stub.notify(`${origin}/webhooks/yookassa/${company.id}`, 'payment.succeeded', paymentId);
  expect(answer.status, answer.body).toBe(200);
  expect(JSON.parse(answer.body)).toEqual({ received: true, result: 'applied' });
}

const minor = (value: string) => Number(value.replace('.', ''));
const receiptTotal = (receipt: SentReceipt) =>
  receipt.items.reduce((s, i) => s + minor(i.amount.value) * Number(i.quantity), 0);

/** The books of one appointment from both sides: Visitpay's online payments, and what YooKassa captured and refunded. */
async function ledgerOf(appointmentId: string) {
  const online = await onlinePayments(t, appointmentId);
  const paid = [...stub.payments.values()].filter(
    (p) => p.object.metadata.appointmentId === appointmentId && p.object.status === 'succeeded',
  );
  const ids = new Set(paid.map((p) => p.object.id as string));
  const refunds = [...stub.refunds.values()].filter(
    (r) => ids.has(r.object.payment_id) && r.object.status === 'succeeded',
  );
  return {
    online,
    onlineSum: online.filter((p) => p.voided_at === null).reduce((s, p) => s + p.amount, 0),
    captured: paid.reduce((s, p) => s + minor(p.object.amount.value), 0),
    refunded: refunds.reduce((s, r) => s + minor(r.object.amount.value), 0),
    refunds,
  };
}

async function refundRequestsOf(appointmentId: string) {
  return t.db
    .selectFrom('refund_requests')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .orderBy('created_at')
    .execute();
}

const refundCall = (requestId: string) =>
  stub.calls('POST', '/v3/refunds').filter((r) => r.headers['idempotence-key'] === requestId);

describe('R18 two YooKassa payments of one link both paid', () => {
  for (const shop of [SHOP, FISCAL]) {
    const kind = shop.fiscalization ? 'a fiscal shop' : 'a shop without fiscal receipts';
    it(`R18 ${kind}: the second payment is refunded through YooKassa automatically and the books balance`, async () => {
      const company = await connectYooKassa(shop);
      const appt = await payableAppointment(t, company, { price: 250_000, taxSystem: 'osn' });
      const link = await copyLink(company, appt.id);
      const first = await payAtYooKassa(link.token);

      // The first tab stays open; half a minute before its end a second Pay makes a new payment. A
      // `pending` YooKassa payment can't be canceled through the API: it ends on Visitpay's side only.
      t.clock.advance(59 * MINUTE + 30_000);
      const second = await payAtYooKassa(link.token);
      expect(second).not.toBe(first);
      expect(stub.calls('POST', `/v3/payments/${first}/cancel`)).toHaveLength(0);
      const old = await t.db
        .selectFrom('checkout_attempts')
        .selectAll()
        .where('provider_checkout_id', '=', first)
        .executeTakeFirstOrThrow();
      expect(old.status).not.toBe('pending');

      // ...and the client pays both: the new one, then the old one still open at YooKassa.
      stub.pay(second);
      await notifyPaid(company, second);
      stub.pay(first);
      await notifyPaid(company, first);
      await t.jobs.drain();

      const requests = await refundRequestsOf(appt.id);
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({ amount: 250_000, reason: 'overpayment', status: 'succeeded', failure: null });
      const [call] = refundCall(requests[0]!.id);
      expect(call!.body).toMatchObject({ payment_id: first, amount: { value: '2500.00', currency: 'RUB' } });

      const ledger = await ledgerOf(appt.id);
      expect(ledger.refunds.map((r) => [r.object.id, r.object.payment_id])).toEqual([
        [requests[0]!.provider_refund_id, first],
      ]);
      const late = ledger.online.find((p) => p.provider_payment_id === first && p.amount > 0)!;
      expect(ledger.online.map((p) => p.amount).sort((a, b) => a - b)).toEqual([-250_000, 250_000, 250_000]);
      expect(ledger.online.find((p) => p.amount < 0)).toMatchObject({
        provider: 'yookassa',
        provider_payment_id: first,
        provider_refund_id: requests[0]!.provider_refund_id,
        refund_of: late.id,
      });
      expect(ledger.onlineSum).toBe(ledger.captured - ledger.refunded);
      expect([ledger.captured, ledger.refunded]).toEqual([500_000, 250_000]);
      expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 0, paymentStatus: 'paid' });

      const sent = call!.body.receipt as SentReceipt | undefined;
      if (!shop.fiscalization) {
        expect(sent).toBeUndefined();
        return;
      }
      // The refund carries the receipt of the money going back: the customer and taxation system of the payment.
      expect(sent!.customer).toEqual({ email: 'anna@example.test' });
      expect(sent!.tax_system_code).toBe(1);
      expect(receiptTotal(sent!)).toBe(250_000);
      expect(sent).toEqual(stub.receiptOf(first));
      expect(stub.receiptOf(ledger.refunds[0]!.object.id)).toEqual(sent);
    });
  }

  it('R24 a fiscal shop refuses a refund without a receipt (so Visitpay must send one)', async () => {
    const company = await connectYooKassa(FISCAL);
    const appt = await payableAppointment(t, company, { price: 10_000, taxSystem: 'osn' });
    const id = await payAtYooKassa((await copyLink(company, appt.id)).token);
    stub.pay(id);
    const res = await fetch(`${stub.url}/v3/refunds`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${FISCAL.shopId}:${FISCAL.secretKey}`).toString('base64')}`,
        'content-type': 'application/json',
        'idempotence-key': `no-receipt-${id}`,
      },
      body: JSON.stringify({ payment_id: id, amount: { value: '1.00', currency: 'RUB' } }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_request', parameter: 'receipt' });
    expect(stub.payments.get(id)!.object.refunded_amount).toBeUndefined();
  });

  it('R18 R25 a desk payment taken while the client was still paying: the part refunded carries its share of every receipt line', async () => {
    const company = await connectYooKassa(FISCAL);
    const appt = await payableAppointment(t, company, { price: 150_000, taxSystem: 'osn' });
    const shampoo = await newProduct(t.db, company.id, {
      title: 'Shampoo',
      price: 33_333,
      taxSystem: 'osn',
      vat: 'vat22',
    });
    const added = await company.owner.post(`${company.base}/appointments/${appt.id}/items`, {
      productId: shampoo.id,
      quantity: 3,
    });
    expect(added.status, added.text).toBe(201);
    const link = await copyLink(company, appt.id);
    const first = await payAtYooKassa(link.token);
    expect(receiptTotal(stub.receiptOf(first) as SentReceipt)).toBe(249_999);

    // The lock lapses while the client is still on YooKassa's page; the desk takes 500.00 in cash,
    // and the client, back on the link page, pays the rest with a new payment.
    t.clock.advance(16 * MINUTE);
    const desk = await company.owner.post(`${company.base}/appointments/${appt.id}/payments`, {
      method: 'cash',
      amount: 50_000,
    });
    expect(desk.status, desk.text).toBe(201);
    const second = await payAtYooKassa(link.token);
    expect(minor(stub.payments.get(second)!.object.amount.value)).toBe(199_999);

    // The old payment is paid after all, and told first: 500.00 of it is too much.
    stub.pay(first);
    await notifyPaid(company, first);
    stub.pay(second);
    await notifyPaid(company, second);
    await t.jobs.drain();

    const requests = await refundRequestsOf(appt.id);
    expect(requests.map((r) => [r.amount, r.status])).toEqual([
      [50_000, 'succeeded'],
      [199_999, 'succeeded'],
    ]);
    const partial = refundCall(requests[0]!.id)[0]!.body as { payment_id: string; receipt: SentReceipt };
    expect(partial.payment_id).toBe(first);
    // 500.00 over 1500.00 + 999.99 by largest remainder: 300.00 and 200.00, the shampoo's 3 pieces at 66.66 + 2 × 66.67
    expect(partial.receipt.items.map((i) => [i.description, i.quantity, i.amount.value, i.payment_mode])).toEqual([
      ['Haircut', 1, '300.00', 'full_prepayment'],
      ['Shampoo', 1, '66.66', 'full_prepayment'],
      ['Shampoo', 2, '66.67', 'full_prepayment'],
    ]);
    expect(partial.receipt.customer).toEqual({ email: 'anna@example.test' });
    const whole = refundCall(requests[1]!.id)[0]!.body as { payment_id: string; receipt: SentReceipt };
    expect(whole.payment_id).toBe(second);
    expect(receiptTotal(whole.receipt)).toBe(199_999);

    const ledger = await ledgerOf(appt.id);
    expect(ledger.onlineSum).toBe(ledger.captured - ledger.refunded);
    expect([ledger.captured, ledger.refunded]).toEqual([449_998, 249_999]);
    expect(ledger.online.filter((p) => p.amount < 0).map((p) => [p.amount, p.provider_payment_id])).toEqual([
      [-50_000, first],
      [-199_999, second],
    ]);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ total: 249_999, due: 0 });
  });
});
