import { describe, expect, it } from 'vitest';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import {
  appointmentOf,
  completeSandbox,
  connectSandbox,
  copyLink,
  onlinePayments,
  payableAppointment,
  pressPay,
} from '../helpers/links.js';
import {
  attemptsOf,
  checkoutIdOf,
  postSandboxWebhook,
  sandboxCheckout,
  sandboxNotificationsOf,
  setNotifications,
} from '../helpers/settlement.js';

const t = await createTestApp();
await t.listen();

async function tipsOn(company: TestCompany, body: Record<string, unknown> = { enabled: true }) {
  const res = await company.owner.put(`${company.base}/settings/tips`, body);
  expect(res.status, res.text).toBe(200);
  return res.body as { enabled: boolean; presets: number[]; available: boolean; offered: boolean };
}

async function tipsOf(appointmentId: string) {
  return t.db.selectFrom('tips').selectAll().where('appointment_id', '=', appointmentId).execute();
}

async function tippingVisit(price = 4_100, currency?: string) {
  const company = await t.newCompany(currency ? { currency } : {});
  await connectSandbox(company);
  await tipsOn(company);
  const appt = await payableAppointment(t, company, { price });
  const link = await copyLink(company, appt.id);
  return { company, appt, link };
}

describe('R40 tips settings', () => {
  it('R40 tips are off by default with presets 0/5/10/15; switching them on is audited', async () => {
    const company = await t.newCompany();
    const before = await company.owner.get(`${company.base}/settings/tips`);
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ enabled: false, presets: [0, 5, 10, 15], available: true, offered: false });
    const after = await tipsOn(company, { enabled: true, presets: [10, 0, 20, 10] });
    expect(after).toEqual({ enabled: true, presets: [0, 10, 20], available: true, offered: true });
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('company_id', '=', company.id)
      .where('entity_type', '=', 'tip_settings')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({
      before: { enabled: false, presets: [0, 5, 10, 15] },
      after: { enabled: true, presets: [0, 10, 20] },
    });
  });

  it('R40 presets out of range (above 30 %, more than 4, none) are refused with their field', async () => {
    const company = await t.newCompany();
    for (const presets of [[0, 31], [0, 5, 10, 15, 20], [], [2.5]]) {
      const res = await company.owner.put(`${company.base}/settings/tips`, { presets });
      expect(res.status, JSON.stringify(presets)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await company.owner.get(`${company.base}/settings/tips`)).body.presets).toEqual([0, 5, 10, 15]);
  });

  it('R40 not offered with fiscalization on: enabling is refused, and tips on before leave the page when it turns on', async () => {
    const company = await t.newCompany({ currency: 'RUB', country: 'RU', timezone: 'Europe/Moscow' });
    await connectSandbox(company);
    const fiscal = await company.owner.put(`${company.base}/settings/cashless`, { fiscalization: { enabled: true } });
    expect(fiscal.status, fiscal.text).toBe(200);
    const refused = await company.owner.put(`${company.base}/settings/tips`, { enabled: true });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'tips_unavailable', field: 'enabled' });
    expect((await company.owner.get(`${company.base}/settings/tips`)).body).toMatchObject({
      enabled: false,
      available: false,
    });

    await company.owner.put(`${company.base}/settings/cashless`, { fiscalization: { enabled: false } });
    await tipsOn(company);
    const appt = await payableAppointment(t, company, {
      price: 100_000,
      client: { email: 'anna@example.test', phone: null },
    });
    const link = await copyLink(company, appt.id);
    expect((await t.anonymous.get(`/pay/${link.token}`)).text).toContain('name="tip"');

    await company.owner.put(`${company.base}/settings/cashless`, { fiscalization: { enabled: true } });
    expect((await company.owner.get(`${company.base}/settings/tips`)).body).toMatchObject({
      enabled: true,
      available: false,
      offered: false,
    });
    const page = await t.anonymous.get(`/pay/${link.token}`);
    expect(page.text).not.toContain('name="tip"');
    // a tip posted from a page drawn before is no tip
    const pay = await pressPay(t, link.token, { tip: '10' });
    expect(pay.status, pay.body).toBe(303);
    const [attempt] = await attemptsOf(t, appt.id);
    expect(attempt).toMatchObject({ amount: 100_000, tip: 0 });
  });
});

describe('R40 tips on the link page', () => {
  it('R40 the page offers the presets with their amounts, rounded to minor units, and a custom field', async () => {
    const { link } = await tippingVisit(4_101);
    const page = await t.anonymous.get(`/pay/${link.token}`, { 'accept-language': 'en' });
    expect(page.status).toBe(200);
    // 5 % of €41.01 = 205.05 cents → €2.05; 10 % = 410.1 → €4.10; 15 % = 615.15 → €6.15
    expect(page.text).toContain('5% · €2.05');
    expect(page.text).toContain('10% · €4.10');
    expect(page.text).toContain('15% · €6.15');
    expect(page.text).toMatch(/<input type="radio" id="tip-0" name="tip" value="0" checked>/);
    expect(page.text).toContain('name="tipCustom"');
    expect(page.text).not.toContain('<script');
  });

  it("R40 a preset tip goes to the provider with the amount due; the payment keeps the due, the tip is the staff member's", async () => {
    const { company, appt, link } = await tippingVisit(4_100);
    const pay = await pressPay(t, link.token, { tip: '10' });
    expect(pay.status, pay.body).toBe(303);
    const [attempt] = await attemptsOf(t, appt.id);
    expect(attempt).toMatchObject({ amount: 4_510, tip: 410 });
    const checkout = await sandboxCheckout(t, checkoutIdOf(pay.location));
    expect(checkout.amount).toBe(4_510);
    expect(checkout.line_items).toContainEqual({ title: 'Tip', quantity: 1, amount: 410 });

    await completeSandbox(t, pay.location!);
    await t.jobs.drain();
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([4_100]);
    const tips = await tipsOf(appt.id);
    expect(tips).toHaveLength(1);
    expect(tips[0]).toMatchObject({ staff_id: appt.staff.id, amount: 410, currency: 'EUR' });
    // never overpayment (R18): nothing refunded, the visit paid exactly
    expect(await appointmentOf(company, appt.id)).toMatchObject({ paid: 4_100, due: 0, paymentStatus: 'paid' });
    const refunds = await t.db
      .selectFrom('refund_requests')
      .selectAll()
      .where('appointment_id', '=', appt.id)
      .execute();
    expect(refunds).toEqual([]);
  });

  it('R40 a custom tip in minor units; JPY has no decimals', async () => {
    const { appt, link } = await tippingVisit(4_100);
    await pressPay(t, link.token, { tip: '5', tipCustom: '3,50' });
    expect((await attemptsOf(t, appt.id))[0]).toMatchObject({ amount: 4_450, tip: 350 });

    const yen = await tippingVisit(5_000, 'JPY');
    await pressPay(t, yen.link.token, { tipCustom: '500' });
    expect((await attemptsOf(t, yen.appt.id))[0]).toMatchObject({ amount: 5_500, tip: 500 });
    const again = await tippingVisit(5_000, 'JPY');
    const decimals = await pressPay(t, again.link.token, { tipCustom: '1.5' });
    expect(decimals.status).toBe(400);
    expect(decimals.body).toContain('id="tip-error"');
  });

  it('R40 a tip with letters, negative, above the cap or decimals JPY lacks re-renders the page with the error at the tip field; nothing is written', async () => {
    const { appt, link } = await tippingVisit(4_100);
    const cases: [string, string, string][] = [
      ['abc', 'en', 'Enter the tip as a number'],
      ['-5', 'en', 'A tip cannot be negative.'],
      ['41.01', 'en', 'A tip can be at most €41.00.'],
      ['сто', 'ru', 'Введите сумму чаевых числом'],
      ['5000', 'ru', 'Чаевые — не больше 41,00'],
    ];
    for (const [custom, lang, message] of cases) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/pay/${link.token}`,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'same-origin',
          'accept-language': lang,
        },
        payload: new URLSearchParams({ tip: '0', tipCustom: custom }).toString(),
      });
      expect(res.statusCode, custom).toBe(400);
      expect(res.body).toContain(message);
      expect(res.body).toMatch(/<p class="msg error" id="tip-error" role="alert">/);
      expect(res.body).toContain(`aria-invalid="true"`);
      expect(res.body).toContain(`value="${custom.replace(/"/g, '&quot;')}"`);
      expect(res.body).not.toContain('id="pay-error"');
    }
    expect(await attemptsOf(t, appt.id)).toEqual([]);
  });
});

describe('R40 tips ledger', () => {
  it('R40 duplicate and late notifications of a tipped success book the tip once', async () => {
    const { company, appt, link } = await tippingVisit(10_000);
    await setNotifications(t, company.id, { mode: 'drop' });
    const pay = await pressPay(t, link.token, { tip: '15' });
    await completeSandbox(t, pay.location!);
    const success = (await sandboxNotificationsOf(t, company.id)).find((n) => n.event.type === 'checkout.succeeded')!;
    const bodies = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0 ? success.body : success.body.replace(success.event.id, `evt_redelivery_${i}`),
    );
    const answers = await Promise.all(bodies.map((body) => postSandboxWebhook(t, company.id, body)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const [attempt] = await attemptsOf(t, appt.id);
    await t.services.reconciliation.reconcile(attempt!);
    await t.anonymous.get(`/pay/${link.token}/return`);
    await t.jobs.drain();
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([10_000]);
    expect((await tipsOf(appt.id)).map((r) => r.amount)).toEqual([1_500]);
    const [done] = await attemptsOf(t, appt.id);
    expect(done!.status).toBe('succeeded');
  });

  it("R40 the return page's look at the provider books the tip (notification lost)", async () => {
    const { company, appt, link } = await tippingVisit(2_000);
    await setNotifications(t, company.id, { mode: 'drop' });
    const pay = await pressPay(t, link.token, { tipCustom: '1' });
    await completeSandbox(t, pay.location!);
    const ret = await t.anonymous.get(`/pay/${link.token}/return`);
    expect(ret.status).toBe(200);
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([2_000]);
    expect((await tipsOf(appt.id)).map((r) => r.amount)).toEqual([100]);
  });

  it('R40 R41 the return page confirms what was charged, tip included, in both languages', async () => {
    const { appt, link } = await tippingVisit(10_000);
    const pay = await pressPay(t, link.token, { tip: '15' });
    await completeSandbox(t, pay.location!);
    await t.jobs.drain();
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([10_000]);
    const page = async (language: string) =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/pay/${link.token}/return`,
          headers: { 'accept-language': language },
        })
      ).body;
    expect(await page('en')).toMatch(/You paid €115\.00 \(incl\. €15\.00 tip\) for your visit on /);
    expect(await page('ru')).toMatch(/Вы оплатили 115,00\s€ \(включая чаевые 15,00\s€\) за визит /);
  });

  it('R40 R34 a success whose amount is the due without the tip is not booked', async () => {
    const { company, appt, link } = await tippingVisit(3_000);
    await setNotifications(t, company.id, { mode: 'drop' });
    const pay = await pressPay(t, link.token, { tip: '10' });
    await completeSandbox(t, pay.location!);
    const success = (await sandboxNotificationsOf(t, company.id)).find((n) => n.event.type === 'checkout.succeeded')!;
    const event = JSON.parse(success.body);
    event.data.amount = 3_000;
    event.id = 'evt_short';
    await postSandboxWebhook(t, company.id, JSON.stringify(event));
    await t.jobs.drain();
    const [attempt] = await attemptsOf(t, appt.id);
    expect(attempt!.status).toBe('needs_review');
    expect(await tipsOf(appt.id)).toEqual([]);
  });
});

describe('R40 staff see the tips', () => {
  it('R40 the appointment shows the tip beside its payment, and the report gives tips per staff member, in JSON and CSV', async () => {
    const { company, appt, link } = await tippingVisit(4_100);
    const pay = await pressPay(t, link.token, { tip: '10' });
    await completeSandbox(t, pay.location!);
    await t.jobs.drain();

    const window = await company.owner.get(`${company.base}/appointments/${appt.id}`);
    expect(window.body.payments).toEqual([
      expect.objectContaining({ method: 'online', amount: 4_100, tip: 410, tipFormatted: '€4.10', refundable: 4_100 }),
    ]);

    const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(
      new Date(window.body.startsAt as string),
    );
    const report = await company.owner.get(`${company.base}/reports/transactions?from=${date}&to=${date}`);
    expect(report.status, report.text).toBe(200);
    expect(report.body.totals.amount).toBe(4_100);
    expect(report.body.items).toEqual([expect.objectContaining({ amount: 4_100, tip: 410, staffName: 'Maria' })]);
    expect(report.body.tips).toEqual({
      amount: 410,
      amountFormatted: '€4.10',
      byStaff: [{ staffId: appt.staff.id, staffName: 'Maria', amount: 410, amountFormatted: '€4.10', count: 1 }],
    });

    const csv = await company.owner.get(`${company.base}/reports/transactions?from=${date}&to=${date}&format=csv`);
    const [header, row] = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(header!.split(',').at(-1)).toBe('tip');
    expect(row!.split(',').at(-1)).toBe('4.10');
  });
});
