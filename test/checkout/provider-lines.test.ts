import { afterAll, describe, expect, it } from 'vitest';
import { partialPaymentLine } from '../../src/modules/checkout/domain/provider-lines.js';
import { formatMoney } from '../../src/shared/money.js';
import { newClient, newService, newStaffMember } from '../helpers/factories.js';
import { copyLink, pressPay } from '../helpers/links.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import { startStripeStub } from '../stubs/stripe-stub.js';
import { startYooKassaStub, type StubShop } from '../stubs/yookassa-stub.js';

/**
 * What the provider shows the client for a part of the visit (€41 of €61 after €20 in cash, or a
 * link for a fixed amount): one line saying so, not the items scaled down to amounts that match
 * nothing the client saw. The whole visit still goes item by item, and the fiscal receipt keeps
 * its allocated lines (R25).
 */
const stripe = await startStripeStub();
const FISCAL: StubShop = { shopId: '400800', secretKey: 'live_providerLinesKey04', fiscalization: true };
const yookassa = await startYooKassaStub({ shops: [FISCAL] });
const t = await createTestApp({
  env: { VISITPAY_STRIPE_API_URL: stripe.url, VISITPAY_YOOKASSA_API_URL: yookassa.url },
});
const origin = await t.listen();
afterAll(async () => {
  await stripe.close();
  await yookassa.close();
});

async function stripeSalon() {
  const company = await t.newCompany({
    name: 'Studio Nord',
    country: 'DE',
    currency: 'EUR',
    timezone: 'Europe/Berlin',
  });
  const account = stripe.newAccount({ webhookUrl: `${origin}/webhooks/stripe/${company.id}` });
  const connected = await company.owner.post(`${company.base}/settings/cashless/connect`, {
    provider: 'stripe',
    credentials: {
      secretKey: account.secretKey,
      webhookSecret: account.webhookSecret,
      publishableKey: account.publishableKey,
    },
  });
  expect(connected.status, connected.text).toBe(200);
  expect((await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true })).status).toBe(200);
  return company;
}

async function yookassaSalon() {
  const company = await t.newCompany({
    name: 'Салон Аврора',
    country: 'RU',
    currency: 'RUB',
    timezone: 'Europe/Moscow',
  });
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

/** A visit on 7 December 2031, 11:00 in Berlin and 13:00 in Moscow: "Men's haircut" and "Styling", 61 in all. */
async function visitOn7December(company: TestCompany, scale: number, taxSystem?: string) {
  const client = await newClient(t.db, company.id, { name: 'Jonas Braun', email: 'jonas@example.test', phone: null });
  const staff = await newStaffMember(t.db, company.id);
  const services = [];
  for (const [title, price] of [
    ['Men’s haircut', 2_500],
    ['Styling', 3_600],
  ] as const) {
    const service = await newService(t.db, company.id, {
      title,
      priceMin: price * scale,
      priceMax: price * scale,
      ...(taxSystem ? { taxSystem } : {}),
    });
    services.push({ serviceId: service.id });
  }
  const res = await company.owner.post(`${company.base}/appointments`, {
    clientId: client.id,
    staffId: staff.id,
    startsAt: '2031-12-07T10:00:00.000Z',
    durationMinutes: 60,
    services,
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

async function payCash(company: TestCompany, appointmentId: string, amount: number) {
  const paid = await company.owner.post(`${company.base}/appointments/${appointmentId}/payments`, {
    method: 'cash',
    amount,
  });
  expect(paid.status, paid.text).toBe(201);
}

/** The lines of the Stripe Checkout Session the last Pay asked for, as [name, unit amount, quantity]. */
function lastStripeLines(): [string, number, number][] {
  const form = stripe.requestsTo('POST', /^\/v1\/checkout\/sessions$/).at(-1)!.form;
  const lines: [string, number, number][] = [];
  for (let k = 0; form[`line_items[${k}][quantity]`] !== undefined; k++)
    lines.push([
      form[`line_items[${k}][price_data][product_data][name]`]!,
      Number(form[`line_items[${k}][price_data][unit_amount]`]),
      Number(form[`line_items[${k}][quantity]`]),
    ]);
  return lines;
}

describe('the lines the provider shows', () => {
  it('R9 after €20 in cash on a €61 visit, Stripe gets one line: the part, of the total, and the visit date', async () => {
    const company = await stripeSalon();
    const appointmentId = await visitOn7December(company, 1);
    await payCash(company, appointmentId, 2_000);
    const link = await copyLink(company, appointmentId);
    expect((await pressPay(t, link.token)).status).toBe(303);
    expect(lastStripeLines()).toEqual([['Payment towards your visit on 7 Dec — €41.00 of €61.00', 4_100, 1]]);
  });

  it('R9 a link for a fixed €30 says €30.00 of €61.00; the whole visit still goes item by item', async () => {
    const company = await stripeSalon();
    const fixed = await visitOn7December(company, 1);
    const link = await copyLink(company, fixed, 3_000);
    expect((await pressPay(t, link.token)).status).toBe(303);
    expect(lastStripeLines()).toEqual([['Payment towards your visit on 7 Dec — €30.00 of €61.00', 3_000, 1]]);

    const whole = await visitOn7December(company, 1);
    const wholeLink = await copyLink(company, whole);
    expect((await pressPay(t, wholeLink.token)).status).toBe(303);
    expect(lastStripeLines()).toEqual([
      ['Men’s haircut', 2_500, 1],
      ['Styling', 3_600, 1],
    ]);
  });

  it('R25 YooKassa: the payment says the part in Russian; the fiscal receipt keeps its allocated item lines', async () => {
    const company = await yookassaSalon();
    const appointmentId = await visitOn7December(company, 100, 'osn');
    await payCash(company, appointmentId, 200_000);
    const link = await copyLink(company, appointmentId);
    const pay = await pressPay(t, link.token);
    expect(pay.status, pay.body).toBe(303);
    const paymentId = new URL(pay.location!).searchParams.get('orderId')!;
    const payment = yookassa.payments.get(paymentId)!.object;
    const rub = (minor: number) => formatMoney(minor, 'RUB', 'ru-RU');
    expect(payment.description).toBe(`Салон Аврора: Оплата в счёт визита 7 дек. — ${rub(410_000)} из ${rub(610_000)}`);
    const receipt = yookassa.receiptOf(paymentId) as { items: { description: string; amount: { value: string } }[] };
    expect(receipt.items.map((i) => i.description)).toEqual(['Men’s haircut', 'Styling']);
    expect(receipt.items.reduce((s, i) => s + Math.round(Number(i.amount.value) * 100), 0)).toBe(410_000);
  });

  it('a visit deleted since still gets a line, without its date', () => {
    expect(
      partialPaymentLine(4_100, 6_100, {
        startsAt: undefined,
        timezone: 'Europe/Berlin',
        locale: 'en',
        currency: 'EUR',
      }),
    ).toBe('Payment towards your visit — €41.00 of €61.00');
  });
});
