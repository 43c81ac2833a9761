import { afterAll, describe, expect, it } from 'vitest';
import type { CheckoutGateway } from '../../src/modules/checkout/index.js';
import { ReconciliationService } from '../../src/modules/checkout/index.js';
import { linkPageStrings } from '../../src/modules/pay-page/link-page-i18n.js';
import { copyLink, onlinePayments, payableAppointment, pressPay } from '../helpers/links.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import { startYooKassaStub, type StubShop } from '../stubs/yookassa-stub.js';

/**
 * The return page asks the provider once, when the client comes back while the attempt is still open
 * here: the outcome shows at once (a decline, a payment), and while it is unknown there is no way back
 * to Pay — only "Check again".
 */
const SHOP: StubShop = { shopId: '300700', secretKey: 'test_returnPageKey0003' };
const stub = await startYooKassaStub({ shops: [SHOP] });
const t = await createTestApp({ env: { VISITPAY_YOOKASSA_API_URL: stub.url, VISITPAY_PUBLIC_RATE_LIMIT: '0' } });
const origin = await t.listen();
afterAll(() => stub.close());

const en = linkPageStrings('en');
const ru = linkPageStrings('ru');

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

/** A link pressed Pay on: the client is on YooKassa's page; answers the token and the YooKassa payment id. */
async function atYooKassa(company: TestCompany) {
  const appointment = await payableAppointment(t, company, { price: 6_100 });
  const link = await copyLink(company, appointment.id);
  const pay = await pressPay(t, link.token);
  expect(pay.status, pay.body).toBe(303);
  const paymentId = new URL(pay.location!).searchParams.get('orderId')!;
  return { appointmentId: appointment.id as string, token: link.token, paymentId };
}

async function returnPage(token: string, query = '', language = 'en') {
  const res = await t.app.inject({
    method: 'GET',
    url: `/pay/${token}/return${query}`,
    headers: { 'accept-language': language },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.body;
}

const attemptStatus = async (paymentId: string) =>
  (
    await t.db
      .selectFrom('checkout_attempts')
      .select('status')
      .where('provider_checkout_id', '=', paymentId)
      .executeTakeFirstOrThrow()
  ).status;

describe('the return page', () => {
  it('R17 after a decline it says so at once, with the way back to Pay, in both languages', async () => {
    const company = await connectYooKassa();
    const { token, paymentId } = await atYooKassa(company);
    stub.cancel(paymentId, 'card_expired', 'payment_network');
    // no notification has come: the page asks YooKassa itself
    const html = await returnPage(token);
    expect(html).toContain(en.returnFailed.heading);
    expect(html).toContain(`href="/pay/${token}">${en.backToPayment}</a>`);
    expect(html).not.toContain('http-equiv');
    expect(await attemptStatus(paymentId)).toBe('failed');
    const inRussian = await returnPage(token, '', 'ru-RU,ru;q=0.9');
    expect(inRussian).toContain(ru.returnFailed.heading);
    expect(inRussian).toContain(ru.backToPayment);
  });

  it('R17 after a payment it thanks at once; the notification that follows books nothing twice', async () => {
    const company = await connectYooKassa();
    const { appointmentId, token, paymentId } = await atYooKassa(company);
    stub.pay(paymentId);
    const html = await returnPage(token);
    expect(html).toContain(en.returnSucceeded.heading);
    expect(html).not.toContain(en.backToPayment);
    expect(await onlinePayments(t, appointmentId)).toHaveLength(1);
    const answer = await stub.notify(`${origin}/webhooks/yookassa/${company.id}`, 'payment.succeeded', paymentId);
    expect(answer.status, answer.body).toBe(200);
    expect(await returnPage(token)).toContain(en.returnSucceeded.heading);
    const payments = await onlinePayments(t, appointmentId);
    expect(payments.map((p) => p.amount)).toEqual([6_100]);
  });

  it('R41 after a payment the return page says what was paid and for which visit, in both languages', async () => {
    const company = await connectYooKassa();
    const { token, paymentId } = await atYooKassa(company);
    stub.pay(paymentId);
    const html = await returnPage(token);
    expect(html).toMatch(/You paid RUB\s61\.00 for your visit on [A-Z][a-z]{2} \d{1,2} [A-Z][a-z]+ at \d\d:\d\d\./);
    const inRussian = await returnPage(token, '', 'ru-RU,ru;q=0.9');
    expect(inRussian).toMatch(/Вы оплатили 61,00\s₽ за визит /);
    // while nothing is paid there is nothing to confirm
    const other = await atYooKassa(company);
    stub.cancel(other.paymentId, 'card_expired', 'payment_network');
    expect(await returnPage(other.token)).not.toContain('You paid');
  });

  it('R17 while the outcome is unknown: no way back to Pay, only Check again; it stops refreshing itself', async () => {
    const company = await connectYooKassa();
    const { token, paymentId } = await atYooKassa(company);
    // the client came back without finishing: YooKassa still says pending
    const html = await returnPage(token);
    expect(html).toContain(en.returnProcessing.heading);
    expect(html).not.toContain(en.backToPayment);
    expect(html).toContain(`<a class="btn" href="/pay/${token}/return">${en.checkAgain}</a>`);
    expect(html).toContain(`content="3;url=/pay/${token}/return?look=1"`);
    expect(await attemptStatus(paymentId)).toBe('pending');
    const last = await returnPage(token, '?look=20', 'ru');
    expect(last).toContain(ru.returnStillProcessing.heading);
    expect(last).toContain(ru.checkAgain);
    expect(last).not.toContain('http-equiv');
    // a made-up counter is read as a first visit
    expect(await returnPage(token, '?look=abc')).toContain(`?look=1"`);
  });

  it('R17 a provider that does not answer keeps the page waiting a short while only', async () => {
    const company = await connectYooKassa();
    const { token, paymentId } = await atYooKassa(company);
    stub.pay(paymentId);
    stub.failNext(1, { kind: 'timeout', delayMs: 60_000 }, `/v3/payments/${paymentId}`);
    const html = await returnPage(token);
    expect(html).toContain(en.returnProcessing.heading);
    expect(html).not.toContain(en.backToPayment);
  });

  it('R20 the look on return is bounded: a provider call that never ends does not hold the page', async () => {
    const never = new Promise<never>(() => undefined);
    const looks: string[] = [];
    const reconciliation = new ReconciliationService({
      db: t.db,
      clock: t.clock,
      log: t.services.logFor('test'),
      gateway: {
        refresh: (attempt: { id: string }) => {
          looks.push(attempt.id);
          return never;
        },
      } as unknown as CheckoutGateway,
      settlement: t.services.settlement,
    });
    const company = await connectYooKassa();
    await atYooKassa(company);
    const link = await t.db
      .selectFrom('payment_links')
      .select('id')
      .where('company_id', '=', company.id)
      .executeTakeFirstOrThrow();
    await reconciliation.lookOnReturn(link.id, 50);
    expect(looks).toHaveLength(1);
  });
});
