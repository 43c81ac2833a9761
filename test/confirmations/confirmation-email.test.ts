import { afterAll, describe, expect, it } from 'vitest';
import { completeSandbox, connectSandbox, copyLink, payableAppointment, pressPay } from '../helpers/links.js';
import { renderConfirmationMail } from '../../src/modules/confirmations/index.js';
import { startMailCatcher } from '../helpers/mail-catcher.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';

/** R41: one confirmation email per link payment, through a real SMTP server on a local port. */
let refusing = false;
const { arrived, smtpUrl, close } = await startMailCatcher({
  refuse: () => (refusing ? { code: 451, message: 'try again later' } : undefined),
});
afterAll(close);

const t = await createTestApp({
  env: {
    SMTP_URL: smtpUrl,
    VISITPAY_PUBLIC_RATE_LIMIT: '0',
    PUBLIC_URL: 'https://pay.salon.test',
  },
});

const confirmations = (companyId: string) =>
  t.db.selectFrom('payment_confirmations').selectAll().where('company_id', '=', companyId).execute();
const mailsTo = (address: string) => arrived.filter((a) => a.rcptTo.includes(address));

/** A client pays a link through the sandbox bank and comes back to the return page. */
async function payThroughLink(company: TestCompany, clientEmail: string | null, form: Record<string, string> = {}) {
  const appointment = await payableAppointment(t, company, {
    price: 6_100,
    client: { email: clientEmail, phone: clientEmail ? null : '+491701234567' },
  });
  const link = await copyLink(company, appointment.id);
  const pay = await pressPay(t, link.token, form);
  expect(pay.status, pay.body).toBe(303);
  await completeSandbox(t, pay.location!);
  const back = await t.app.inject({ method: 'GET', url: `/pay/${link.token}/return` });
  expect(back.statusCode).toBe(200);
  return { token: link.token, appointmentId: appointment.id };
}

describe('R41 the confirmation email', () => {
  it('R41 goes out once, with what was paid, the visit and the branding, whatever books the payment again', async () => {
    const company = await t.newCompany({ name: 'Salon Aurora' });
    await connectSandbox(company);
    await company.owner.put(`${company.base}/settings/branding`, { contactLine: 'Hauptstr. 5, Berlin' });
    const { token } = await payThroughLink(company, 'anna.r41@example.test');
    // the return page again, the reconciliation and notification jobs, the sender twice
    await t.app.inject({ method: 'GET', url: `/pay/${token}/return` });
    await t.services.reconciliation.processDue();
    await t.services.webhooks.processDue();
    await t.services.confirmations.processDue();
    await t.services.confirmations.processDue();
    const rows = await confirmations(company.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'sent', email: 'anna.r41@example.test', tries: 1 });
    const mails = mailsTo('anna.r41@example.test');
    expect(mails).toHaveLength(1);
    const mail = mails[0]!.mail;
    expect(mail.subject).toBe('Payment received — Salon Aurora');
    expect(mail.text).toMatch(/You paid €61\.00 for your visit on \w+day/);
    expect(mail.html).toContain('Hauptstr. 5, Berlin');
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('company_id', '=', company.id)
      .where('action', '=', 'confirmation.sent')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('R41 uses the email the client typed on the link page when the client has none', async () => {
    const company = await t.newCompany({ country: 'RU', currency: 'RUB', timezone: 'Europe/Moscow' });
    await connectSandbox(company);
    const appointment = await payableAppointment(t, company, { client: { email: null, phone: '+79161234567' } });
    const link = await copyLink(company, appointment.id);
    const page = await t.app.inject({ method: 'GET', url: `/pay/${link.token}`, headers: { 'accept-language': 'ru' } });
    expect(page.body).toContain('Email для подтверждения оплаты');
    const wrong = await pressPay(t, link.token, { email: 'not an email' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('Check the email address');
    const pay = await pressPay(t, link.token, { email: 'Ivan.R41@Example.test' });
    expect(pay.status, pay.body).toBe(303);
    await completeSandbox(t, pay.location!);
    await t.app.inject({ method: 'GET', url: `/pay/${link.token}/return` });
    await t.services.confirmations.processDue();
    expect((await confirmations(company.id))[0]).toMatchObject({ status: 'sent', email: 'ivan.r41@example.test' });
    const mail = mailsTo('ivan.r41@example.test')[0]!.mail;
    expect(mail.subject).toContain('Оплата получена');
    expect(mail.text).toContain('Вы оплатили');
  });

  it('R41 the company setting off: no row, no email', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const off = await company.owner.put(`${company.base}/settings/branding`, { confirmationEmail: false });
    expect(off.body.confirmationEmail).toBe(false);
    await payThroughLink(company, 'off.r41@example.test');
    expect(await t.services.confirmations.processDue()).toBe(0);
    expect(await confirmations(company.id)).toEqual([]);
    expect(mailsTo('off.r41@example.test')).toEqual([]);
  });

  it('R41 a mail server refusing is retried later, and the email then goes out once', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    refusing = true;
    try {
      await payThroughLink(company, 'retry.r41@example.test');
      expect(await t.services.confirmations.processDue()).toBe(1);
      const [refused] = await confirmations(company.id);
      expect(refused).toMatchObject({ status: 'pending', tries: 1 });
      expect(refused!.last_error).toBeTruthy();
      // not due again before its backoff
      expect(await t.services.confirmations.processDue()).toBe(0);
    } finally {
      refusing = false;
    }
    t.clock.advance(10 * 60_000);
    expect(await t.services.confirmations.processDue()).toBe(1);
    expect((await confirmations(company.id))[0]).toMatchObject({ status: 'sent', tries: 2 });
    expect(mailsTo('retry.r41@example.test')).toHaveLength(1);
  });

  it('R41 a reused checkout keeps the email typed with a later press of Pay, checked, and nothing else of it changes', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const appointment = await payableAppointment(t, company, { client: { email: null, phone: '+491701234568' } });
    const link = await copyLink(company, appointment.id);
    const attemptRow = () =>
      t.db.selectFrom('checkout_attempts').selectAll().where('appointment_id', '=', appointment.id).execute();
    const first = await pressPay(t, link.token);
    expect(first.status, first.body).toBe(303);
    const [before] = await attemptRow();
    expect(before!.confirmation_email).toBeNull();
    // a wrong address on the reused checkout is refused and writes nothing
    const wrong = await pressPay(t, link.token, { email: 'later at example' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('Check the email address');
    expect(await attemptRow()).toEqual([before]);
    const again = await pressPay(t, link.token, { email: ' Later.R41@Example.test ' });
    expect(again.status, again.body).toBe(303);
    expect(again.location).toBe(first.location);
    const after = await attemptRow();
    expect(after).toEqual([{ ...before, confirmation_email: 'later.r41@example.test' }]);
    // a press with the field left blank keeps the address
    await pressPay(t, link.token);
    expect((await attemptRow())[0]!.confirmation_email).toBe('later.r41@example.test');
    await completeSandbox(t, first.location!);
    await t.app.inject({ method: 'GET', url: `/pay/${link.token}/return` });
    await t.services.confirmations.processDue();
    expect((await confirmations(company.id))[0]).toMatchObject({ status: 'sent', email: 'later.r41@example.test' });
    expect(mailsTo('later.r41@example.test')).toHaveLength(1);
  });

  it('R41 with a tip (R40) the email says the total charged and the tip in it', async () => {
    const company = await t.newCompany({ name: 'Salon Tip' });
    await connectSandbox(company);
    expect((await company.owner.put(`${company.base}/settings/tips`, { enabled: true })).status).toBe(200);
    const appointment = await payableAppointment(t, company, {
      price: 10_000,
      client: { email: 'tip.r41@example.test', phone: null },
    });
    const link = await copyLink(company, appointment.id);
    const pay = await pressPay(t, link.token, { tip: '15' });
    expect(pay.status, pay.body).toBe(303);
    await completeSandbox(t, pay.location!);
    await t.app.inject({ method: 'GET', url: `/pay/${link.token}/return` });
    await t.services.confirmations.processDue();
    const mail = mailsTo('tip.r41@example.test')[0]!.mail;
    expect(mail.text).toMatch(/You paid €115\.00, including a €15\.00 tip, for your visit on \w+day/);
    expect(mail.html).toContain('€115.00, including a €15.00 tip');
    const ru = renderConfirmationMail({
      locale: 'ru',
      companyName: 'Салон',
      timezone: 'Europe/Moscow',
      currency: 'RUB',
      amount: 11_500,
      tip: 1_500,
      startsAt: new Date('2026-12-08T11:00:00Z'),
      clientName: 'Иван',
    });
    expect(ru.text.replace(/\s/g, ' ')).toContain('Вы оплатили 115,00 ₽, включая чаевые 15,00 ₽, за визит');
    const none = renderConfirmationMail({
      ...{ locale: 'en', companyName: 'S', timezone: 'UTC', currency: 'EUR' },
      amount: 6_100,
      tip: 0,
      startsAt: new Date(),
      clientName: '',
    });
    expect(none.text).toMatch(/You paid €61\.00 for your visit/);
  });
});
