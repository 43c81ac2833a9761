import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { VAT_CODES as OUR_VAT_CODES, RUSSIAN_TAX_SYSTEMS } from '../../src/modules/catalog/domain/taxation.js';
import { buildReceipt } from '../../src/modules/receipts/domain/receipt-builder.js';
import {
  ProviderRejectedError,
  ProviderUnavailableError,
  type CreateCheckoutInput,
  type Credentials,
} from '../../src/providers/port.js';
import { TAX_SYSTEM_CODES, toAmount, VAT_CODES } from '../../src/providers/yookassa/yookassa-mapping.js';
import { YooKassaProvider } from '../../src/providers/yookassa/yookassa.provider.js';
import { DomainError } from '../../src/shared/errors.js';
import { newId } from '../../src/shared/ids.js';
import { copyLink, onlinePayments, payableAppointment, pressPay } from '../helpers/links.js';
import { createTestApp } from '../helpers/test-app.js';
import { startYooKassaStub } from '../stubs/yookassa-stub.js';

const SHOP = { shopId: '100500', secretKey: 'test_stubSecretKey0001' };
const FISCAL = { shopId: '200600', secretKey: 'live_fiscalShopKey0002', fiscalization: true };
const SLOW = { shopId: '300700', secretKey: 'test_pendingRefunds0003', pendingRefunds: true };
const stub = await startYooKassaStub({ shops: [SHOP, FISCAL, SLOW] });
const t = await createTestApp({ env: { VISITPAY_YOOKASSA_API_URL: stub.url } });
afterAll(() => stub.close());

// Short timeouts and waits so that retries run in milliseconds.
const yookassa = new YooKassaProvider({
  clock: t.clock,
  client: { baseUrl: stub.url, timeoutMs: 300, maxAttempts: 3, backoffMs: 5, maxWaitMs: 50 },
});
const creds = (shop: { shopId: string; secretKey: string }): Credentials => ({
  shopId: shop.shopId,
  secretKey: shop.secretKey,
});
const RETURN_URL = 'https://pay.example.test/pay/tok123/return';

function checkoutInput(overrides: Partial<CreateCheckoutInput> = {}): CreateCheckoutInput {
  const attemptId = overrides.attemptId ?? newId('attempt');
  const companyId = newId('company');
  return {
    companyId,
    credentials: creds(SHOP),
    attemptId,
    amount: 150_000,
    currency: 'RUB',
    description: 'Salon Anna: payment for a visit',
    lineItems: [{ title: 'Haircut', quantity: 1, amount: 150_000 }],
    expiresAt: new Date(t.clock.now().getTime() + 3_600_000),
    returnUrl: RETURN_URL,
    metadata: { companyId, appointmentId: newId('appointment'), linkId: newId('link'), attemptId },
    ...overrides,
  };
}

const paymentsWithKey = (key: string) =>
  stub.calls('POST', '/v3/payments').filter((r) => r.headers['idempotence-key'] === key);
const notification = (event: string, object: Record<string, unknown>) =>
  JSON.stringify({ type: 'notification', event, object });
const parse = (rawBody: string, shop = SHOP) =>
  yookassa.parseNotification({ companyId: 'co_x', credentials: creds(shop), rawBody, headers: {} });

async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('YooKassa credentials', () => {
  it('R1 checks credentials by shape, then by GET /v3/me, and shows only the shop id and the last 4 of the key', async () => {
    for (const [bad, field] of [
      [{ shopId: 'shop', secretKey: SHOP.secretKey }, 'credentials.shopId'],
      [{ shopId: SHOP.shopId, secretKey: 'secret' }, 'credentials.secretKey'],
      [{ shopId: SHOP.shopId, secretKey: SHOP.secretKey, webhookSecret: 'x' }, 'credentials.webhookSecret'],
    ] as const) {
      const error = await rejection(yookassa.validateCredentials('co_x', bad));
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'validation_failed', details: { field } });
    }
    expect(stub.calls('GET', '/v3/me')).toHaveLength(0);

    const wrong = await rejection(
      yookassa.validateCredentials('co_x', { shopId: SHOP.shopId, secretKey: 'test_notTheRightKey99' }),
    );
    expect(wrong).toMatchObject({ code: 'validation_failed', details: { field: 'credentials.secretKey' } });

    const verified = await yookassa.validateCredentials('co_x', {
      shopId: ` ${SHOP.shopId}`,
      secretKey: SHOP.secretKey,
    });
    expect(verified).toEqual(creds(SHOP));
    expect(stub.calls('GET', '/v3/me')).toHaveLength(2);
    expect(yookassa.credentialsHint(verified)).toEqual({ shopId: SHOP.shopId, secretKey: 'test_…0001' });
  });
});

describe('YooKassa payments', () => {
  it('R10 creates a payment with Idempotence-Key = attempt id, decimal-string amount, redirect, capture and our metadata', async () => {
    const input = checkoutInput({ description: `Salon ${'A'.repeat(200)}` });
    const state = await yookassa.createCheckout(input);
    const [request] = paymentsWithKey(input.attemptId);
    expect(request!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${SHOP.shopId}:${SHOP.secretKey}`).toString('base64')}`,
    );
    expect(request!.body).toMatchObject({
      amount: { value: '1500.00', currency: 'RUB' },
      capture: true,
      confirmation: { type: 'redirect', return_url: RETURN_URL },
      metadata: { ...input.metadata, expiresAt: input.expiresAt.toISOString() },
    });
    expect([...request!.body.description]).toHaveLength(128);
    expect(request!.body.receipt).toBeUndefined();
    const payment = stub.payments.get(state.checkoutId)!.object;
    expect(state).toEqual({
      checkoutId: payment.id,
      status: 'pending',
      rawStatus: 'pending',
      redirectUrl: payment.confirmation.confirmation_url,
    });
  });

  it('R10 a repeated create with the same attempt id answers the same payment; another body under that key is refused', async () => {
    const input = checkoutInput();
    const first = await yookassa.createCheckout(input);
    const again = await yookassa.createCheckout(input);
    expect(again.checkoutId).toBe(first.checkoutId);
    expect([...stub.payments.values()].filter((p) => p.object.metadata.attemptId === input.attemptId)).toHaveLength(1);

    const other = await rejection(yookassa.createCheckout({ ...input, amount: 99_00 }));
    expect(other).toBeInstanceOf(ProviderRejectedError);
    expect(other).toMatchObject({
      providerCode: 'invalid_request',
      status: 400,
      description: 'Idempotence key duplicated',
      parameter: 'Idempotence-Key',
    });
  });

  it('R20 repeats a 202 "processing", a 500 and a 429 with the same key and body, and creates one payment', async () => {
    const input = checkoutInput();
    stub.failNext(1, { kind: 'processing', retryAfterMs: 10 }, '/v3/payments');
    stub.failNext(1, { kind: 'status', status: 500 }, '/v3/payments');
    const state = await yookassa.createCheckout(input);
    expect(state.status).toBe('pending');
    const calls = paymentsWithKey(input.attemptId);
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => JSON.stringify(c.body))).size).toBe(1);

    const limited = checkoutInput();
    stub.failNext(2, { kind: 'status', status: 429 }, '/v3/payments');
    expect((await yookassa.createCheckout(limited)).status).toBe('pending');
    expect(paymentsWithKey(limited.attemptId)).toHaveLength(3);
  });

  it('R20 a lost answer (timeout) is repeated with the same key: YooKassa answers the payment it already made', async () => {
    const input = checkoutInput();
    stub.failNext(1, { kind: 'timeout', delayMs: 1_000 }, '/v3/payments');
    const state = await yookassa.createCheckout(input);
    expect(paymentsWithKey(input.attemptId)).toHaveLength(2);
    expect(
      [...stub.payments.values()]
        .filter((p) => p.object.metadata.attemptId === input.attemptId)
        .map((p) => p.object.id),
    ).toEqual([state.checkoutId]);
  });

  it('R20 gives up with ProviderUnavailableError when every try fails; a later try with the same key still makes one payment', async () => {
    const input = checkoutInput();
    stub.failNext(3, { kind: 'status', status: 503 }, '/v3/payments');
    expect(await rejection(yookassa.createCheckout(input))).toBeInstanceOf(ProviderUnavailableError);
    const later = await yookassa.createCheckout(input);
    expect(later.status).toBe('pending');
    expect([...stub.payments.values()].filter((p) => p.object.metadata.attemptId === input.attemptId)).toHaveLength(1);
  });

  it("R24 a 4xx is final and carries YooKassa's code: a fiscal shop refuses a payment without a receipt, once", async () => {
    const input = checkoutInput({ credentials: creds(FISCAL) });
    const error = await rejection(yookassa.createCheckout(input));
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect(error).toMatchObject({
      providerCode: 'invalid_request',
      parameter: 'receipt',
      description: 'Receipt is missing or illegal',
    });
    expect(paymentsWithKey(input.attemptId)).toHaveLength(1);
  });

  it('R24 R25 sends the 54-FZ receipt: tax_system_code, vat_code (22 % = 11, 22/122 = 12), subjects, modes, lines summing to the amount', async () => {
    const receipt = buildReceipt({
      items: [
        { title: 'Colouring', quantity: 1, unitPrice: 400_000, kind: 'service', vat: 'vat22', taxSystem: 'usn_income' },
        { title: 'Shampoo', quantity: 3, unitPrice: 100_000, kind: 'goods', vat: 'vat22_122', taxSystem: 'usn_income' },
      ],
      amount: 500_001,
      alreadyPaid: 0,
      visitStartsAt: new Date(t.clock.now().getTime() + 86_400_000),
      now: t.clock.now(),
      customer: { phone: '+7 900 123-45-67' },
    });
    const input = checkoutInput({ credentials: creds(FISCAL), amount: 500_001, receipt });
    const state = await yookassa.createCheckout(input);
    const sent = stub.receiptOf(state.checkoutId) as any;
    expect(sent.tax_system_code).toBe(2);
    expect(sent.customer).toEqual({ phone: '79001234567' });
    expect(
      sent.items.map((i: any) => [
        i.description,
        i.quantity,
        i.amount.value,
        i.vat_code,
        i.payment_subject,
        i.payment_mode,
      ]),
    ).toEqual([
      ['Colouring', 1, '2857.15', 11, 'service', 'partial_prepayment'],
      // 2142.86 does not divide by 3 pieces: one at 714.28 and two at 714.29 keep the sum exact
      ['Shampoo', 1, '714.28', 12, 'commodity', 'partial_prepayment'],
      ['Shampoo', 2, '714.29', 12, 'commodity', 'partial_prepayment'],
    ]);
  });

  it("R24 maps every VAT code and Russian taxation system of the catalogue to YooKassa's numbers", () => {
    const vat = OUR_VAT_CODES.map((code) => VAT_CODES[code]);
    expect(vat.every((n) => n !== undefined && n >= 1 && n <= 12)).toBe(true);
    expect(new Set(vat).size).toBe(OUR_VAT_CODES.length);
    expect(RUSSIAN_TAX_SYSTEMS.map((s) => TAX_SYSTEM_CODES[s])).toEqual([1, 2, 3, 5, 6]);
    expect([toAmount(7, 'JPY').value, toAmount(1_234, 'KWD').value, toAmount(5, 'RUB').value]).toEqual([
      '7',
      '1.234',
      '0.05',
    ]);
  });
});

describe('YooKassa payment states', () => {
  it("R17 maps pending, succeeded, a decline and YooKassa's own expiry", async () => {
    const paid = await yookassa.createCheckout(checkoutInput());
    stub.pay(paid.checkoutId);
    expect(
      await yookassa.getCheckout({ companyId: 'co_x', credentials: creds(SHOP), checkoutId: paid.checkoutId }),
    ).toEqual({
      checkoutId: paid.checkoutId,
      status: 'succeeded',
      rawStatus: 'succeeded',
      providerPaymentId: paid.checkoutId,
      amountPaid: 150_000,
      currencyPaid: 'RUB',
    });

    const declined = await yookassa.createCheckout(checkoutInput());
    stub.cancel(declined.checkoutId, 'insufficient_funds', 'payment_network');
    expect(
      await yookassa.getCheckout({ companyId: 'co_x', credentials: creds(SHOP), checkoutId: declined.checkoutId }),
    ).toMatchObject({ status: 'failed', rawStatus: 'canceled:insufficient_funds' });

    const expired = await yookassa.createCheckout(checkoutInput());
    stub.cancel(expired.checkoutId, 'expired_on_confirmation');
    const state = await yookassa.getCheckout({
      companyId: 'co_x',
      credentials: creds(SHOP),
      checkoutId: expired.checkoutId,
    });
    expect(state).toEqual({
      checkoutId: expired.checkoutId,
      status: 'expired',
      rawStatus: 'canceled:expired_on_confirmation',
    });
  });

  it('R11 a payment still pending after our attempt expiry reads as expired, before YooKassa cancels it after about an hour', async () => {
    const input = checkoutInput({ expiresAt: new Date(t.clock.now().getTime() + 3_600_000) });
    const created = await yookassa.createCheckout(input);
    const ask = () =>
      yookassa.getCheckout({ companyId: 'co_x', credentials: creds(SHOP), checkoutId: created.checkoutId });
    expect((await ask()).status).toBe('pending');
    t.clock.advance(3_600_000);
    expect(await ask()).toEqual({ checkoutId: created.checkoutId, status: 'expired', rawStatus: 'pending' });
    // The client paid in the last minutes before YooKassa's own cancel: the money still counts.
    stub.pay(created.checkoutId);
    expect((await ask()).status).toBe('succeeded');
  });

  it('R13 expiring a pending payment ends it on our side only; a waiting_for_capture one is canceled through the API', async () => {
    const pending = await yookassa.createCheckout(checkoutInput());
    const ended = await yookassa.expireCheckout({
      companyId: 'co_x',
      credentials: creds(SHOP),
      checkoutId: pending.checkoutId,
    });
    expect(ended).toEqual({ checkoutId: pending.checkoutId, status: 'expired', rawStatus: 'pending' });
    expect(stub.calls('POST', `/v3/payments/${pending.checkoutId}/cancel`)).toHaveLength(0);

    const held = await yookassa.createCheckout(checkoutInput());
    stub.payments.get(held.checkoutId)!.object.status = 'waiting_for_capture';
    expect(
      (await yookassa.getCheckout({ companyId: 'co_x', credentials: creds(SHOP), checkoutId: held.checkoutId })).status,
    ).toBe('pending');
    const canceled = await yookassa.expireCheckout({
      companyId: 'co_x',
      credentials: creds(SHOP),
      checkoutId: held.checkoutId,
    });
    expect(canceled).toEqual({
      checkoutId: held.checkoutId,
      status: 'canceled',
      rawStatus: 'canceled:canceled_by_merchant',
    });
    expect(stub.calls('POST', `/v3/payments/${held.checkoutId}/cancel`)[0]!.headers['idempotence-key']).toBe(
      `${held.checkoutId}:cancel`,
    );
  });
});

describe('YooKassa refunds', () => {
  async function paidPayment(shop: { shopId: string; secretKey: string } = SHOP) {
    const created = await yookassa.createCheckout(checkoutInput({ credentials: creds(shop) }));
    stub.pay(created.checkoutId);
    return created.checkoutId;
  }

  it('R18 refunds part of a payment with our refund id as Idempotence-Key; a repeat answers the same refund', async () => {
    const paymentId = await paidPayment();
    const refundInput = {
      companyId: 'co_x',
      credentials: creds(SHOP),
      checkoutId: paymentId,
      providerPaymentId: paymentId,
      amount: 50_000,
      currency: 'RUB',
      idempotencyKey: newId('refund'),
    };
    const result = await yookassa.refund(refundInput);
    expect(result).toMatchObject({ status: 'succeeded', rawStatus: 'succeeded' });
    const [call] = stub
      .calls('POST', '/v3/refunds')
      .filter((r) => r.headers['idempotence-key'] === refundInput.idempotencyKey);
    // R32: our request id travels in the refund's metadata, so its notification names it even before we know the refund id
    expect(call!.body).toEqual({
      payment_id: paymentId,
      amount: { value: '500.00', currency: 'RUB' },
      metadata: { refundRequestId: refundInput.idempotencyKey },
    });
    expect((await yookassa.refund(refundInput)).refundId).toBe(result.refundId);
    expect([...stub.refunds.values()].filter((r) => r.object.payment_id === paymentId)).toHaveLength(1);

    const tooMuch = await rejection(
      yookassa.refund({ ...refundInput, amount: 100_001, idempotencyKey: newId('refund') }),
    );
    expect(tooMuch).toBeInstanceOf(ProviderRejectedError);
    expect(tooMuch).toMatchObject({ providerCode: 'invalid_request', parameter: 'amount.value' });
  });

  it('R18 a pending refund is asked about again: the repeat learns that it succeeded', async () => {
    const paymentId = await paidPayment(SLOW);
    const refundInput = {
      companyId: 'co_x',
      credentials: creds(SLOW),
      checkoutId: paymentId,
      providerPaymentId: paymentId,
      amount: 150_000,
      currency: 'RUB',
      idempotencyKey: newId('refund'),
    };
    const first = await yookassa.refund(refundInput);
    expect(first).toMatchObject({ status: 'pending' });
    stub.completeRefund(first.refundId);
    expect(await yookassa.refund(refundInput)).toEqual({
      refundId: first.refundId,
      status: 'succeeded',
      rawStatus: 'succeeded',
    });
  });

  it('R24 a fiscal shop needs the refund receipt, which is sent when given', async () => {
    const paymentId = await paidPayment(FISCAL).catch(() => undefined);
    expect(paymentId).toBeUndefined(); // without a receipt the fiscal shop takes no payment either
    const receipt = buildReceipt({
      items: [{ title: 'Haircut', quantity: 1, unitPrice: 150_000, kind: 'service', vat: 'none', taxSystem: 'osn' }],
      amount: 150_000,
      alreadyPaid: 0,
      visitStartsAt: t.clock.now(),
      now: t.clock.now(),
      customer: { email: 'anna@example.test' },
    });
    const created = await yookassa.createCheckout(checkoutInput({ credentials: creds(FISCAL), receipt }));
    stub.pay(created.checkoutId);
    const base = {
      companyId: 'co_x',
      credentials: creds(FISCAL),
      checkoutId: created.checkoutId,
      providerPaymentId: created.checkoutId,
      amount: 150_000,
      currency: 'RUB',
    };
    expect(await rejection(yookassa.refund({ ...base, idempotencyKey: newId('refund') }))).toMatchObject({
      parameter: 'receipt',
    });
    const refunded = await yookassa.refund({ ...base, idempotencyKey: newId('refund'), receipt });
    expect(refunded.status).toBe('succeeded');
    expect((stub.receiptOf(refunded.refundId) as any).items[0]).toMatchObject({
      vat_code: 1,
      payment_mode: 'full_payment',
    });
  });
});

describe('YooKassa notifications', () => {
  it('R17 a notification is confirmed by reading the payment back; its state comes from the API', async () => {
    const input = checkoutInput();
    const created = await yookassa.createCheckout(input);
    stub.pay(created.checkoutId);
    const before = stub.calls('GET', `/v3/payments/${created.checkoutId}`).length;
    // The body even understates the amount: the API's word is what counts.
    const event = await parse(
      notification('payment.succeeded', {
        id: created.checkoutId,
        status: 'succeeded',
        amount: { value: '1.00', currency: 'RUB' },
      }),
    );
    expect(stub.calls('GET', `/v3/payments/${created.checkoutId}`)).toHaveLength(before + 1);
    expect(event).toEqual({
      kind: 'checkout',
      eventId: `payment.succeeded:${created.checkoutId}`,
      eventType: 'payment.succeeded',
      attemptId: input.attemptId,
      state: {
        checkoutId: created.checkoutId,
        status: 'succeeded',
        rawStatus: 'succeeded',
        providerPaymentId: created.checkoutId,
        amountPaid: 150_000,
        currencyPaid: 'RUB',
      },
    });
  });

  it('R17 a "succeeded" body for a payment still pending at YooKassa is taken as pending, and cannot shadow the real notification', async () => {
    const created = await yookassa.createCheckout(checkoutInput());
    const forged = await parse(
      notification('payment.succeeded', { id: created.checkoutId, status: 'succeeded', paid: true }),
    );
    expect(forged).toMatchObject({
      kind: 'checkout',
      eventId: `payment.pending:${created.checkoutId}`,
      state: { status: 'pending' },
    });
    stub.pay(created.checkoutId);
    expect(await parse(notification('payment.succeeded', { id: created.checkoutId }))).toMatchObject({
      eventId: `payment.succeeded:${created.checkoutId}`,
    });
  });

  it("R17 refuses a notification about a payment YooKassa does not know, or another shop's payment, as invalid_signature", async () => {
    const unknown = await rejection(
      parse(notification('payment.succeeded', { id: randomUUID(), status: 'succeeded' })),
    );
    expect(unknown).toBeInstanceOf(DomainError);
    expect(unknown.code).toBe('invalid_signature');

    const foreign = await yookassa.createCheckout(checkoutInput({ credentials: creds(SLOW) }));
    expect(await rejection(parse(notification('payment.succeeded', { id: foreign.checkoutId }), SHOP))).toMatchObject({
      code: 'invalid_signature',
    });
    expect(await rejection(parse(notification('refund.succeeded', { id: randomUUID() })))).toMatchObject({
      code: 'invalid_signature',
    });
    expect(await rejection(parse('not json'))).toMatchObject({ code: 'validation_failed' });
    expect(await rejection(parse(JSON.stringify({ event: 'payment.succeeded' })))).toMatchObject({
      code: 'validation_failed',
    });
  });

  it('R18 S5 a refund notification is confirmed by reading the refund; other event types are refused without a call', async () => {
    const created = await yookassa.createCheckout(checkoutInput());
    stub.pay(created.checkoutId);
    const requestId = newId('refund');
    const refund = await yookassa.refund({
      companyId: 'co_x',
      credentials: creds(SHOP),
      checkoutId: created.checkoutId,
      providerPaymentId: created.checkoutId,
      amount: 10_000,
      currency: 'RUB',
      idempotencyKey: requestId,
    });
    expect(await parse(notification('refund.succeeded', { id: refund.refundId }))).toEqual({
      kind: 'refund',
      eventId: `refund.succeeded:${refund.refundId}`,
      eventType: 'refund.succeeded',
      refundId: refund.refundId,
      checkoutId: created.checkoutId,
      providerPaymentId: created.checkoutId,
      status: 'succeeded',
      // R32: the figures and our request id as read back from the API, not as the body claimed them
      refund: { refundId: refund.refundId, status: 'succeeded', amount: 10_000, currency: 'RUB', requestId },
    });
    const calls = stub.requests.length;
    expect(await rejection(parse(notification('payout.succeeded', { id: 'po-1' })))).toMatchObject({
      code: 'unsupported_event',
      details: { eventType: 'payout.succeeded' },
    });
    expect(stub.requests.length).toBe(calls);
  });
});

describe('YooKassa through Visitpay', () => {
  it('R17 a link paid through YooKassa becomes one online payment, however often the notification comes; a forged one is refused with nothing written', async () => {
    const company = await t.newCompany({ country: 'RU', currency: 'RUB', timezone: 'Europe/Moscow' });
    const connect = await company.owner.post(`${company.base}/settings/cashless/connect`, {
      provider: 'yookassa',
      credentials: creds(SHOP),
    });
    expect(connect.status, connect.text).toBe(200);
    expect(connect.body).toMatchObject({
      provider: 'yookassa',
      credentialsHint: { shopId: SHOP.shopId, secretKey: 'test_…0001' },
    });
    expect(connect.text).not.toContain(SHOP.secretKey);
    expect((await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true })).status).toBe(200);

    const appt = await payableAppointment(t, company, { price: 250_000 });
    const link = await copyLink(company, appt.id);
    const pay = await pressPay(t, link.token);
    expect(pay.status, pay.body).toBe(303);
    const attempt = await t.db
      .selectFrom('checkout_attempts')
      .selectAll()
      .where('link_id', '=', link.id)
      .executeTakeFirstOrThrow();
    const payment = stub.payments.get(attempt.provider_checkout_id!)!.object;
    expect(pay.location).toBe(payment.confirmation.confirmation_url);
    expect(payment.amount).toEqual({ value: '2500.00', currency: 'RUB' });
    expect(paymentsWithKey(attempt.id)).toHaveLength(1);

    const hook = `${await t.listen()}/webhooks/yookassa/${company.id}`;
    const inbox = () => t.db.selectFrom('webhook_inbox').selectAll().where('company_id', '=', company.id).execute();
    const forged = await stub.notify(hook, 'payment.succeeded', randomUUID(), {
      id: randomUUID(),
      status: 'succeeded',
      amount: payment.amount,
      metadata: payment.metadata,
    });
    expect(forged.status).toBe(400);
    expect(JSON.parse(forged.body).error.code).toBe('invalid_signature');
    expect(await inbox()).toHaveLength(0);

    stub.pay(payment.id);
    const first = await stub.notify(hook, 'payment.succeeded', payment.id);
    expect(first.status, first.body).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ received: true, result: 'applied' });
    expect(JSON.parse((await stub.notify(hook, 'payment.succeeded', payment.id)).body).result).toBe('duplicate');

    const payments = await onlinePayments(t, appt.id);
    expect(payments.map((p) => [p.amount, p.provider, p.provider_payment_id])).toEqual([
      [250_000, 'yookassa', payment.id],
    ]);
    expect(await inbox()).toHaveLength(1);
  });

  it('R24 R25 R26 a fiscal shop gets the 54-FZ receipt of what the client pays now; the page asks for a contact first', async () => {
    const company = await t.newCompany({ country: 'RU', currency: 'RUB', timezone: 'Europe/Moscow' });
    expect(
      (
        await company.owner.post(`${company.base}/settings/cashless/connect`, {
          provider: 'yookassa',
          credentials: creds(FISCAL),
        })
      ).status,
    ).toBe(200);
    const on = await company.owner.put(`${company.base}/settings/cashless`, {
      payByLinkEnabled: true,
      fiscalization: { enabled: true },
    });
    expect(on.status, on.text).toBe(200);

    const appt = await payableAppointment(t, company, {
      price: 100_000,
      client: { email: null, phone: null },
      taxSystem: 'osn',
    });
    const desk = await company.owner.post(`${company.base}/appointments/${appt.id}/payments`, {
      method: 'cash',
      amount: 33_333,
    });
    expect(desk.status, desk.text).toBe(201);
    const link = await copyLink(company, appt.id);

    const asked = await pressPay(t, link.token);
    expect(asked.status).toBe(422);
    expect(asked.body).toContain('name="contact"');

    const pay = await pressPay(t, link.token, { contact: 'Client@Example.com' });
    expect(pay.status, pay.body).toBe(303);
    const attempt = await t.db
      .selectFrom('checkout_attempts')
      .selectAll()
      .where('link_id', '=', link.id)
      .executeTakeFirstOrThrow();
    expect(attempt.contact).toBe('client@example.com');
    const sent = paymentsWithKey(attempt.id)[0]!.body as {
      amount: { value: string };
      receipt: {
        customer: { email?: string };
        tax_system_code: number;
        items: {
          amount: { value: string };
          quantity: string | number;
          payment_subject: string;
          payment_mode: string;
        }[];
      };
    };
    expect(sent.amount.value).toBe('666.67');
    expect(sent.receipt.customer).toEqual({ email: 'client@example.com' });
    expect(sent.receipt.tax_system_code).toBe(1);
    const lineTotal = sent.receipt.items.reduce(
      (sum, i) => sum + Math.round(Number(i.amount.value) * 100) * Number(i.quantity),
      0,
    );
    expect(lineTotal).toBe(66_667);
    expect(
      sent.receipt.items.every((i) => i.payment_subject === 'service' && i.payment_mode === 'partial_prepayment'),
    ).toBe(true);
    // stored with the attempt so that staff can see it and every retry sends the same one
    expect(attempt.receipt).toMatchObject({ customer: { email: 'client@example.com' }, taxSystem: 'osn' });
    const shown = await company.owner.get(`${company.base}/appointments/${appt.id}/payment-link`);
    expect(shown.body.attempts[0].receipt.items[0]).toMatchObject({
      amount: 66_667,
      paymentMode: 'partial_prepayment',
    });
    const client = await t.db
      .selectFrom('clients')
      .selectAll()
      .where('id', '=', appt.client.id)
      .executeTakeFirstOrThrow();
    expect([client.email, client.phone]).toEqual([null, null]);
  });
});
