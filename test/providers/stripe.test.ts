import { afterAll, describe, expect, it } from 'vitest';
import {
  ProviderRejectedError,
  ProviderUnavailableError,
  type CreateCheckoutInput,
  type Credentials,
} from '../../src/providers/port.js';
import { StripeProvider } from '../../src/providers/stripe/stripe.provider.js';
import { ManualClock } from '../../src/shared/clock.js';
import { DomainError } from '../../src/shared/errors.js';
import { newId } from '../../src/shared/ids.js';
import type { StubAccount } from '../stubs/stripe-stub-bank.js';
import { startStripeStub } from '../stubs/stripe-stub.js';

const MINUTE = 60_000;
const clock = new ManualClock(new Date());
const stub = await startStripeStub({ now: () => clock.now() });
const stripe = new StripeProvider({ clock, apiUrl: stub.url, timeoutMs: 300, maxNetworkRetries: 1 });
afterAll(() => stub.close());

const RETURN_URL = 'https://pay.example.test/pay/tok123/return';
const COMPANY = 'co_stripetest000000001';

function merchant(options: Parameters<typeof stub.newAccount>[0] = {}) {
  const account = stub.newAccount(options);
  const credentials: Credentials = {
    secretKey: account.secretKey,
    webhookSecret: account.webhookSecret,
    publishableKey: account.publishableKey,
  };
  return { account, credentials };
}
type Merchant = ReturnType<typeof merchant>;

function checkoutInput(m: Merchant, overrides: Partial<CreateCheckoutInput> = {}): CreateCheckoutInput {
  const attemptId = overrides.attemptId ?? newId('attempt');
  return {
    companyId: COMPANY,
    credentials: m.credentials,
    attemptId,
    amount: 4_500,
    currency: 'EUR',
    description: 'Salon: payment for a visit',
    lineItems: [
      { title: 'Haircut', quantity: 1, amount: 3_000 },
      { title: 'Shampoo', quantity: 2, amount: 1_500 },
    ],
    expiresAt: new Date(clock.now().getTime() + 60 * MINUTE),
    returnUrl: RETURN_URL,
    metadata: { companyId: COMPANY, appointmentId: newId('appointment'), linkId: newId('link'), attemptId },
    ...overrides,
  };
}

const lastCreate = () => stub.requestsTo('POST', /^\/v1\/checkout\/sessions$/).at(-1)!;
const ref = (m: Merchant, checkoutId: string) => ({ companyId: COMPANY, credentials: m.credentials, checkoutId });

async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error & {
    providerCode?: string;
    code?: string;
    details?: Record<string, unknown>;
    retryAfterMs?: number;
  };
}

/** The webhook Stripe would send for `event`, signed with the endpoint's secret unless told otherwise. */
function notification(m: Merchant, event: object, options: { secret?: string; timestamp?: number } = {}) {
  const { payload, signature } = stub.signed(event, {
    secret: options.secret ?? m.account.webhookSecret,
    ...(options.timestamp ? { timestamp: options.timestamp } : {}),
  });
  return {
    companyId: COMPANY,
    credentials: m.credentials,
    rawBody: payload,
    headers: { 'stripe-signature': signature },
  };
}

describe('Stripe credentials', () => {
  it('R1 accepts well-formed keys that Stripe accepts, checked by a read of Checkout Sessions; the hint shows the last 4 only', async () => {
    const m = merchant();
    const before = stub.requests.length;
    const verified = await stripe.validateCredentials(COMPANY, {
      ...m.credentials,
      secretKey: ` ${m.account.secretKey} `,
    });
    expect(verified).toEqual(m.credentials);
    const call = stub.requests.slice(before);
    expect(call.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/checkout/sessions']);
    expect(call[0]!.headers.authorization).toBe(`Bearer ${m.account.secretKey}`);
    expect(call[0]!.query).toEqual({ limit: '1' });
    const hint = stripe.credentialsHint(verified);
    expect(hint).toEqual({
      mode: 'test',
      secretKey: `…${m.account.secretKey.slice(-4)}`,
      webhookSecret: `…${m.account.webhookSecret.slice(-4)}`,
      publishableKey: `…${m.account.publishableKey.slice(-4)}`,
    });
  });

  it('R1 refuses keys of the wrong shape before calling Stripe', async () => {
    const m = merchant();
    const before = stub.requests.length;
    const cases: [Credentials, string][] = [
      [{ ...m.credentials, secretKey: m.account.publishableKey }, 'secretKey'],
      [{ ...m.credentials, secretKey: 'sk_test_short' }, 'secretKey'],
      [{ secretKey: m.account.secretKey, webhookSecret: 'not-a-secret' }, 'webhookSecret'],
      [
        { ...m.credentials, publishableKey: m.account.publishableKey.replace('pk_test_', 'pk_live_') },
        'publishableKey',
      ],
      [{ ...m.credentials, accountId: 'acct_1' }, 'accountId'],
    ];
    for (const [credentials, name] of cases) {
      const field = `credentials.${name}`;
      const error = await rejection(stripe.validateCredentials(COMPANY, credentials));
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'validation_failed', details: { field } });
    }
    expect(stub.requests.length).toBe(before);
  });

  it('R1 refuses a key Stripe does not know, and a restricted key without the Checkout permission', async () => {
    const unknown = await rejection(
      stripe.validateCredentials(COMPANY, { ...merchant().credentials, secretKey: `sk_test_${'a'.repeat(40)}` }),
    );
    expect(unknown).toMatchObject({
      code: 'validation_failed',
      message: 'Stripe did not accept this secret key',
      details: { field: 'credentials.secretKey' },
    });
    const restricted = merchant({ restricted: true, checkoutDenied: true });
    const denied = await rejection(stripe.validateCredentials(COMPANY, restricted.credentials));
    expect(denied).toMatchObject({ code: 'validation_failed', details: { field: 'credentials.secretKey' } });
    expect(denied.message).toMatch(/Checkout Sessions/);
    expect(await stripe.validateCredentials(COMPANY, merchant({ restricted: true }).credentials)).toBeTruthy();
  });

  it('answers provider_error when Stripe is down while connecting', async () => {
    stub.failNext(2, { status: 503 });
    const error = await rejection(stripe.validateCredentials(COMPANY, merchant().credentials));
    expect(error).toMatchObject({ code: 'provider_error' });
  });
});

describe('Stripe checkout sessions', () => {
  it('R10 creates a Checkout Session with the documented form fields and the attempt id as Idempotency-Key', async () => {
    const m = merchant();
    const input = checkoutInput(m);
    const state = await stripe.createCheckout(input);
    const request = lastCreate();
    expect(request.headers['idempotency-key']).toBe(input.attemptId);
    expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request.form).toMatchObject({
      mode: 'payment',
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'eur',
      'line_items[0][price_data][unit_amount]': '3000',
      'line_items[0][price_data][product_data][name]': 'Haircut',
      'line_items[1][quantity]': '2',
      'line_items[1][price_data][unit_amount]': '750',
      'line_items[1][price_data][product_data][name]': 'Shampoo',
      success_url: RETURN_URL,
      cancel_url: RETURN_URL,
      expires_at: String(Math.floor(input.expiresAt.getTime() / 1000)),
      client_reference_id: input.attemptId,
      'metadata[companyId]': COMPANY,
      'metadata[appointmentId]': input.metadata.appointmentId,
      'metadata[linkId]': input.metadata.linkId,
      'metadata[attemptId]': input.attemptId,
      'payment_intent_data[metadata][attemptId]': input.attemptId,
      'payment_intent_data[description]': input.description,
      'adaptive_pricing[enabled]': 'false',
    });
    const session = stub.session(state.checkoutId);
    expect(session.amount_total).toBe(4_500);
    expect(state).toEqual({
      checkoutId: session.id,
      status: 'pending',
      rawStatus: 'open/unpaid',
      redirectUrl: `${stub.url}/c/pay/${session.id}`,
    });
  });

  it('R10 a retried create with the same attempt id answers the same session; another amount under that key is refused', async () => {
    const m = merchant();
    const input = checkoutInput(m);
    const first = await stripe.createCheckout(input);
    const again = await stripe.createCheckout(input);
    expect(again).toEqual(first);
    expect(m.account.sessions.size).toBe(1);
    const error = await rejection(stripe.createCheckout({ ...input, amount: 4_000, lineItems: [] }));
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect(error.providerCode).toBe('idempotency_error');
  });

  it('sends a line whose amount does not divide by its quantity as one unit, and one line when the items do not add up', async () => {
    const m = merchant();
    await stripe.createCheckout(
      checkoutInput(m, { amount: 1_000, lineItems: [{ title: 'Gel', quantity: 3, amount: 1_000 }] }),
    );
    expect(lastCreate().form).toMatchObject({
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][unit_amount]': '1000',
      'line_items[0][price_data][product_data][name]': 'Gel × 3',
    });
    await stripe.createCheckout(checkoutInput(m, { amount: 2_000 }));
    const form = lastCreate().form;
    expect(form).toMatchObject({
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][unit_amount]': '2000',
      'line_items[0][price_data][product_data][name]': 'Salon: payment for a visit',
    });
    expect(form['line_items[1][quantity]']).toBeUndefined();
  });

  it("R11 keeps expires_at inside Stripe's 30 minutes to 24 hours", async () => {
    const m = merchant();
    clock.set('2026-03-02T10:00:00Z');
    const now = clock.now().getTime();
    const input = checkoutInput(m, { expiresAt: new Date(now + 10 * MINUTE) });
    const short = await stripe.createCheckout(input);
    expect(stub.session(short.checkoutId).expires_at * 1000).toBe(now + 35 * MINUTE);
    const long = await stripe.createCheckout(checkoutInput(m, { expiresAt: new Date(now + 48 * 60 * MINUTE) }));
    expect(stub.session(long.checkoutId).expires_at * 1000).toBe(now + 24 * 60 * MINUTE - 5 * MINUTE);
    // the clamped expiry sits on a grid, so a retry a minute later repeats the same parameters
    clock.advance(MINUTE);
    expect((await stripe.createCheckout(input)).checkoutId).toBe(short.checkoutId);
  });

  it('sends zero-decimal JPY as is and ISK in the two decimals Stripe counts it with', async () => {
    const m = merchant();
    const jpy = await stripe.createCheckout(
      checkoutInput(m, { amount: 1_500, currency: 'JPY', lineItems: [{ title: 'Cut', quantity: 1, amount: 1_500 }] }),
    );
    expect(lastCreate().form).toMatchObject({
      'line_items[0][price_data][currency]': 'jpy',
      'line_items[0][price_data][unit_amount]': '1500',
    });
    await stub.pay(jpy.checkoutId);
    expect(await stripe.getCheckout(ref(m, jpy.checkoutId))).toMatchObject({ status: 'succeeded', amountPaid: 1_500 });
    const isk = await stripe.createCheckout(checkoutInput(m, { amount: 5_000, currency: 'ISK', lineItems: [] }));
    expect(stub.session(isk.checkoutId).amount_total).toBe(500_000);
  });

  it('charges three-decimal KWD in fils rounded down to the ten Stripe accepts', async () => {
    const m = merchant();
    const lineItems = [
      { title: 'Cut', quantity: 1, amount: 3_062 },
      { title: 'Wash', quantity: 2, amount: 2_062 },
    ];
    const state = await stripe.createCheckout(checkoutInput(m, { amount: 5_124, currency: 'KWD', lineItems }));
    const form = lastCreate().form;
    const units = [0, 1].map(
      (k) => Number(form[`line_items[${k}][price_data][unit_amount]`]) * Number(form[`line_items[${k}][quantity]`]),
    );
    expect(units.reduce((a, b) => a + b)).toBe(5_120);
    for (const k of [0, 1]) expect(Number(form[`line_items[${k}][price_data][unit_amount]`]) % 10).toBe(0);
    await stub.pay(state.checkoutId);
    expect(await stripe.getCheckout(ref(m, state.checkoutId))).toMatchObject({
      status: 'succeeded',
      amountPaid: 5_120,
    });
  });

  it("refuses amounts below Stripe's minimum charge with a clear message, without calling Stripe", async () => {
    const m = merchant();
    const before = stub.requests.length;
    const eur = await rejection(stripe.createCheckout(checkoutInput(m, { amount: 30, lineItems: [] })));
    expect(eur).toBeInstanceOf(ProviderRejectedError);
    expect(eur.providerCode).toBe('amount_too_small');
    expect(eur.message).toBe('Stripe cannot charge less than €0.50; the amount to pay is €0.30');
    const jpy = await rejection(
      stripe.createCheckout(checkoutInput(m, { amount: 49, currency: 'JPY', lineItems: [] })),
    );
    expect(jpy.message).toMatch(/less than ¥50/);
    expect(stub.requests.length).toBe(before);
  });

  it("passes Stripe's refusal on with its code", async () => {
    const error = await rejection(stripe.createCheckout(checkoutInput(merchant(), { returnUrl: 'not a url' })));
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect(error.providerCode).toBe('url_invalid');
  });

  it('R20 reads a session: open, paid, paid asynchronously (pending, then failed), past its expiry', async () => {
    const m = merchant();
    const paidInput = checkoutInput(m);
    const paid = await stripe.createCheckout(paidInput);
    const { event } = await stub.pay(paid.checkoutId);
    const intent = event.data.object.payment_intent as string;
    expect(await stripe.getCheckout(ref(m, paid.checkoutId))).toEqual({
      checkoutId: paid.checkoutId,
      status: 'succeeded',
      rawStatus: 'complete/paid',
      providerPaymentId: intent,
      amountPaid: 4_500,
      currencyPaid: 'EUR',
    });
    expect(stub.intent(intent).metadata).toEqual(paidInput.metadata);

    const slow = await stripe.createCheckout(checkoutInput(m));
    await stub.pay(slow.checkoutId, { async: true });
    expect(await stripe.getCheckout(ref(m, slow.checkoutId))).toMatchObject({
      status: 'pending',
      rawStatus: 'complete/unpaid',
    });
    await stub.settleAsync(slow.checkoutId, 'failed');
    expect(await stripe.getCheckout(ref(m, slow.checkoutId))).toMatchObject({
      status: 'failed',
      rawStatus: 'complete/unpaid',
    });

    const late = await stripe.createCheckout(checkoutInput(m));
    clock.advance(61 * MINUTE);
    expect(await stripe.getCheckout(ref(m, late.checkoutId))).toEqual({
      checkoutId: late.checkoutId,
      status: 'expired',
      rawStatus: 'expired/unpaid',
    });
  });

  it('R11 expires an open session; a paid or expired one is answered as it stands', async () => {
    const m = merchant();
    const open = await stripe.createCheckout(checkoutInput(m));
    expect(await stripe.expireCheckout(ref(m, open.checkoutId))).toMatchObject({
      status: 'expired',
      rawStatus: 'expired/unpaid',
    });
    expect(stub.requestsTo('POST', new RegExp(`${open.checkoutId}/expire$`))).toHaveLength(1);
    expect(await stripe.expireCheckout(ref(m, open.checkoutId))).toMatchObject({ status: 'expired' });
    const paid = await stripe.createCheckout(checkoutInput(m));
    await stub.pay(paid.checkoutId);
    expect(await stripe.expireCheckout(ref(m, paid.checkoutId))).toMatchObject({
      status: 'succeeded',
      amountPaid: 4_500,
    });
    const missing = await rejection(stripe.expireCheckout(ref(m, 'cs_test_nope')));
    expect(missing).toBeInstanceOf(ProviderRejectedError);
    expect(missing.providerCode).toBe('resource_missing');
  });
});

describe('Stripe refunds', () => {
  async function paidSession(m: Merchant, amount = 4_500) {
    const state = await stripe.createCheckout(checkoutInput(m, { amount, lineItems: [] }));
    const { event } = await stub.pay(state.checkoutId);
    return { checkoutId: state.checkoutId, intent: event.data.object.payment_intent as string };
  }
  const refundInput = (
    m: Merchant,
    paid: { checkoutId: string; intent: string },
    amount: number,
    key = newId('refund'),
  ) => ({
    companyId: COMPANY,
    credentials: m.credentials,
    checkoutId: paid.checkoutId,
    providerPaymentId: paid.intent,
    amount,
    currency: 'EUR',
    idempotencyKey: key,
  });

  it('R18 refunds the whole payment once, however often it is asked with the same key', async () => {
    const m = merchant();
    const paid = await paidSession(m);
    const input = refundInput(m, paid, 4_500);
    const result = await stripe.refund(input);
    expect(result).toMatchObject({ status: 'succeeded', rawStatus: 'succeeded' });
    expect(result.refundId).toMatch(/^re_/);
    const call = stub.requestsTo('POST', /^\/v1\/refunds$/).at(-1)!;
    expect(call.headers['idempotency-key']).toBe(input.idempotencyKey);
    expect(call.form).toMatchObject({
      payment_intent: paid.intent,
      amount: '4500',
      'metadata[refundRequestId]': input.idempotencyKey,
    });
    expect(await stripe.refund(input)).toEqual(result);
    expect(stub.refunds(m.account)).toHaveLength(1);
  });

  it('R18 refunds partly, then the rest; more than is left is refused', async () => {
    const m = merchant();
    const paid = await paidSession(m);
    expect((await stripe.refund(refundInput(m, paid, 1_000))).status).toBe('succeeded');
    const tooMuch = await rejection(stripe.refund(refundInput(m, paid, 4_000)));
    expect(tooMuch).toBeInstanceOf(ProviderRejectedError);
    // without the PaymentIntent id on record, the session tells it
    expect((await stripe.refund({ ...refundInput(m, paid, 3_500), providerPaymentId: '' })).status).toBe('succeeded');
    expect(stub.refunds(m.account).map((r) => r.amount)).toEqual([1_000, 3_500]);
  });

  it('R18 reports a pending refund, and its outcome when asked again with the same key', async () => {
    const m = merchant();
    m.account.refundStatus = 'pending';
    const paid = await paidSession(m);
    const input = refundInput(m, paid, 2_000);
    const first = await stripe.refund(input);
    expect(first).toMatchObject({ status: 'pending', rawStatus: 'pending' });
    stub.settleRefund(m.account, first.refundId, 'succeeded');
    expect(await stripe.refund(input)).toEqual({
      refundId: first.refundId,
      status: 'succeeded',
      rawStatus: 'succeeded',
    });
  });
});

describe('Stripe webhooks', () => {
  async function completed(m: Merchant, options: { async?: boolean } = {}) {
    const input = checkoutInput(m);
    const state = await stripe.createCheckout(input);
    const { event } = await stub.pay(state.checkoutId, { deliver: false, ...options });
    return { input, state, event };
  }

  it('R17 verifies the signature on the raw body and maps checkout.session.completed', async () => {
    const m = merchant();
    const { input, state, event } = await completed(m);
    const parsed = await stripe.parseNotification(notification(m, event));
    expect(parsed).toEqual({
      kind: 'checkout',
      eventId: event.id,
      eventType: 'checkout.session.completed',
      attemptId: input.attemptId,
      state: {
        checkoutId: state.checkoutId,
        status: 'succeeded',
        rawStatus: 'complete/paid',
        providerPaymentId: event.data.object.payment_intent,
        amountPaid: 4_500,
        currencyPaid: 'EUR',
      },
    });
  });

  it('refuses forged, tampered, unsigned and stale notifications with invalid_signature', async () => {
    const m = merchant();
    const { event } = await completed(m);
    const forged = notification(m, event, { secret: 'whsec_someoneelsesecret0000' });
    const good = notification(m, event);
    const tampered = { ...good, rawBody: good.rawBody.replace('"paid"', '"unpaid"') };
    const unsigned = { ...good, headers: {} };
    const stale = notification(m, event, { timestamp: Math.floor(clock.now().getTime() / 1000) - 301 });
    for (const input of [forged, tampered, unsigned, stale]) {
      const error = await rejection(stripe.parseNotification(input));
      expect(error).toBeInstanceOf(DomainError);
      expect(error.code).toBe('invalid_signature');
    }
    expect(
      (
        await stripe.parseNotification(
          notification(m, event, { timestamp: Math.floor(clock.now().getTime() / 1000) - 299 }),
        )
      ).kind,
    ).toBe('checkout');
  });

  it("R17 S5 maps asynchronous payments, expiry, refunds; refuses other types and ignores another company's session", async () => {
    const m = merchant();
    const parse = (event: object) => stripe.parseNotification(notification(m, event));
    const slow = await completed(m, { async: true });
    expect(await parse(slow.event)).toMatchObject({
      kind: 'checkout',
      state: { status: 'pending', rawStatus: 'complete/unpaid' },
    });
    const { event: succeeded } = await stub.settleAsync(slow.state.checkoutId, 'succeeded', { deliver: false });
    expect(await parse(succeeded)).toMatchObject({
      eventType: 'checkout.session.async_payment_succeeded',
      state: { status: 'succeeded', amountPaid: 4_500 },
    });
    const other = await completed(m, { async: true });
    const { event: failed } = await stub.settleAsync(other.state.checkoutId, 'failed', { deliver: false });
    expect(await parse(failed)).toMatchObject({
      eventType: 'checkout.session.async_payment_failed',
      attemptId: other.input.attemptId,
      state: { status: 'failed' },
    });

    const open = await stripe.createCheckout(checkoutInput(m));
    await stripe.expireCheckout(ref(m, open.checkoutId));
    const expired = m.account.events.find(
      (e) => e.type === 'checkout.session.expired' && e.data.object.id === open.checkoutId,
    )!;
    expect(await parse(expired)).toMatchObject({
      kind: 'checkout',
      state: { checkoutId: open.checkoutId, status: 'expired' },
    });

    const requestId = newId('refund');
    const refund = await stripe.refund({
      companyId: COMPANY,
      credentials: m.credentials,
      checkoutId: succeeded.data.object.id,
      providerPaymentId: succeeded.data.object.payment_intent,
      amount: 500,
      currency: 'EUR',
      idempotencyKey: requestId,
    });
    const created = m.account.events.find((e) => e.type === 'refund.created' && e.data.object.id === refund.refundId)!;
    expect(await parse(created)).toEqual({
      kind: 'refund',
      eventId: created.id,
      eventType: 'refund.created',
      refundId: refund.refundId,
      providerPaymentId: succeeded.data.object.payment_intent,
      status: 'succeeded',
      // R32: the payment, the figures and our request id (from the metadata Visitpay attached), as Stripe signed them
      refund: { refundId: refund.refundId, status: 'succeeded', amount: 500, currency: 'EUR', requestId },
    });
    const chargeRefunded = m.account.events.filter((e) => e.type === 'charge.refunded').at(-1)!;
    expect(chargeRefunded.data.object.refunds).toBeUndefined();
    expect(await parse(chargeRefunded)).toMatchObject({
      kind: 'refund',
      refundId: refund.refundId,
      status: 'succeeded',
    });

    expect(await rejection(parse({ ...created, id: 'evt_other', type: 'payment_intent.created' }))).toMatchObject({
      code: 'unsupported_event',
      details: { eventType: 'payment_intent.created' },
    });
    const foreign = await completed(m);
    foreign.event.data.object.metadata.companyId = 'co_someoneelse00000001';
    expect((await parse(foreign.event)).kind).toBe('ignored');
  });
});

describe('Stripe unavailable', () => {
  it('retries a 500 with the same Idempotency-Key and creates one session', async () => {
    const m = merchant();
    const input = checkoutInput(m);
    stub.failNext(1, { status: 500 }, { path: /^\/v1\/checkout\/sessions$/ });
    const state = await stripe.createCheckout(input);
    const calls = stub.requestsTo('POST', /^\/v1\/checkout\/sessions$/).slice(-2);
    expect(calls.map((c) => [c.status, c.headers['idempotency-key']])).toEqual([
      [500, input.attemptId],
      [200, input.attemptId],
    ]);
    expect(m.account.sessions.size).toBe(1);
    expect(state.status).toBe('pending');
  });

  it('answers ProviderUnavailableError for 500s, 429 (with Retry-After) and timeouts', async () => {
    const m = merchant();
    stub.failNext(2, { status: 500 });
    expect(await rejection(stripe.createCheckout(checkoutInput(m)))).toBeInstanceOf(ProviderUnavailableError);
    stub.failNext(1, { status: 429, retryAfterSeconds: 7 });
    const limited = await rejection(stripe.getCheckout(ref(m, 'cs_test_any')));
    expect(limited).toBeInstanceOf(ProviderUnavailableError);
    expect(limited.retryAfterMs).toBe(7_000);
    stub.failNext(2, 'timeout');
    const refundsBefore = stub.requestsTo('POST', /^\/v1\/refunds$/).length;
    const slow = await rejection(
      stripe.refund({
        companyId: COMPANY,
        credentials: m.credentials,
        checkoutId: 'cs_test_any',
        providerPaymentId: 'pi_any',
        amount: 100,
        currency: 'EUR',
        idempotencyKey: newId('refund'),
      }),
    );
    expect(slow).toBeInstanceOf(ProviderUnavailableError);
    // every try timed out, and every try carried the same idempotency key
    const tries = stub.requestsTo('POST', /^\/v1\/refunds$/).slice(refundsBefore);
    expect(tries.length).toBeGreaterThanOrEqual(1);
    expect(new Set(tries.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(m.account.sessions.size).toBe(0);
  });

  it('answers ProviderRejectedError when Stripe no longer accepts the key', async () => {
    const m: Merchant = {
      account: {} as StubAccount,
      credentials: { ...merchant().credentials, secretKey: `sk_test_${'b'.repeat(40)}` },
    };
    const error = await rejection(stripe.createCheckout(checkoutInput(m)));
    expect(error).toBeInstanceOf(ProviderRejectedError);
  });
});
