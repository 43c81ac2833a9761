import { afterAll, describe, expect, it } from 'vitest';
import { maskEmail } from '../../src/modules/links/link-mail.js';
import { defaultTemplate } from '../../src/modules/messages/domain/default-templates.js';
import { messageValues } from '../../src/modules/messages/domain/message-values.js';
import { renderWith } from '../../src/modules/messages/domain/render-message.js';
import { connectSandbox, payableAppointment, visitOn14March2031 } from '../helpers/links.js';
import { startMailCatcher, type ArrivedMail } from '../helpers/mail-catcher.js';
import { createTestApp, type TestApp, type TestCompany } from '../helpers/test-app.js';

/** A real SMTP server on a free local port: every message that arrives, parsed; one address bounces. */
const REFUSED = 'bounce@example.test';
const { arrived, smtpUrl, close } = await startMailCatcher({
  refuse: (address) => (address === REFUSED ? { code: 550, message: 'mailbox unavailable' } : undefined),
});
afterAll(close);

const t = await createTestApp({ env: { SMTP_URL: smtpUrl } });

const sendPath = (company: TestCompany, appointmentId: string) =>
  `${company.base}/appointments/${appointmentId}/payment-link/send`;

async function readyCompany(
  input: Partial<{ name: string; currency: string; timezone: string; country: string }> = {},
) {
  const company = await t.newCompany(input);
  await connectSandbox(company);
  return company;
}

/** An appointment on 14 March 2031 at 09:30 UTC with one service at `price`, for a client with `email`. */
function visit(
  app: TestApp,
  company: TestCompany,
  input: { email?: string | null; price?: number; clientName?: string } = {},
) {
  const email = input.email === undefined ? 'anna@example.test' : input.email;
  return visitOn14March2031(app, company, {
    ...(input.price === undefined ? {} : { price: input.price }),
    client: { name: input.clientName ?? 'Anna Smith', email, phone: null },
  });
}

async function linkSentEntries(app: TestApp, appointmentId: string) {
  return app.db
    .selectFrom('audit_log')
    .select(['action', 'actor_id', 'details', 'entity_id'])
    .where('appointment_id', '=', appointmentId)
    .where('action', '=', 'link.sent')
    .execute();
}

async function waitForMail(count: number): Promise<ArrivedMail> {
  for (let i = 0; i < 100 && arrived.length < count; i++) await new Promise((r) => setTimeout(r, 20));
  expect(arrived.length).toBe(count);
  return arrived[count - 1]!;
}

/**
 * Every message that reached the mail server since `before`, once a marker sent after the request
 * under test has arrived: anything that request sent, or set going, came through before it.
 */
async function mailSince(before: number, company: TestCompany, appointmentId: string): Promise<string[][]> {
  const marker = await company.owner.post(sendPath(company, appointmentId), {
    channel: 'email',
    to: 'marker@example.test',
  });
  expect(marker.status, marker.text).toBe(200);
  for (let i = 0; i < 250 && !arrived.slice(before).some((m) => m.rcptTo.includes('marker@example.test')); i++)
    await new Promise((r) => setTimeout(r, 20));
  return arrived.slice(before).map((m) => m.rcptTo);
}

describe('sending the payment link by email', () => {
  it('R2 sends the link: the message arrives at the client with subject, the link in text and HTML, date and amount', async () => {
    const company = await readyCompany({ name: 'Studio Nord' });
    const appointmentId = await visit(t, company, { price: 12_345 });
    const before = arrived.length;

    const res = await company.owner.post(sendPath(company, appointmentId), { channel: 'email' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      sent: true,
      channel: 'email',
      to: 'anna@example.test',
      subject: 'Payment for your visit to Studio Nord',
    });
    expect(res.body.sentAt).toEqual(expect.any(String));

    // the link it sent is the appointment's active link, made as Copy makes it (R5)
    const link = await company.owner.get(`${company.base}/appointments/${appointmentId}/payment-link`);
    expect(link.status).toBe(200);
    const { mail, rcptTo } = await waitForMail(before + 1);
    expect(rcptTo).toEqual(['anna@example.test']);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('anna@example.test');
    expect(mail.from?.value[0]).toMatchObject({ address: 'salon@example.test', name: 'Studio Nord' });
    expect(mail.subject).toBe('Payment for your visit to Studio Nord');
    expect(mail.text).toContain(link.body.url);
    expect(mail.html || '').toContain(`href="${link.body.url}"`);
    // the visit in the company's time zone (Berlin: 10:30), the amount due in its currency
    expect(mail.text).toContain('14 March 2031');
    expect(mail.text).toContain('10:30');
    expect(mail.text).toContain('€123.45');
    expect(mail.text).toContain('Hello, Anna!');
  });

  it('R27 records link.sent with the channel and a masked address, never the address or the token', async () => {
    const company = await readyCompany();
    const appointmentId = await visit(t, company);
    const res = await company.owner.post(sendPath(company, appointmentId), { channel: 'email' });
    expect(res.status, res.text).toBe(200);
    const link = await company.owner.get(`${company.base}/appointments/${appointmentId}/payment-link`);
    const entries = await linkSentEntries(t, appointmentId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor_id: company.ownerId,
      entity_id: link.body.id,
      details: { channel: 'email', to: 'a***@e***.test' },
    });
    const stored = JSON.stringify(entries[0]);
    expect(stored).not.toContain('anna@example.test');
    expect(stored).not.toContain(link.body.token);
  });

  it('R5 sends the active link again when there is one, and `to` overrides the client address', async () => {
    const company = await readyCompany();
    const appointmentId = await visit(t, company);
    const copied = await company.owner.post(`${company.base}/appointments/${appointmentId}/payment-link`, {});
    const before = arrived.length;
    const res = await company.owner.post(sendPath(company, appointmentId), {
      channel: 'email',
      to: 'front-desk@example.test',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.to).toBe('front-desk@example.test');
    const { mail, rcptTo } = await waitForMail(before + 1);
    expect(rcptTo).toEqual(['front-desk@example.test']);
    expect(mail.text).toContain(copied.body.url);
    expect(
      await t.db.selectFrom('payment_links').select('id').where('appointment_id', '=', appointmentId).execute(),
    ).toHaveLength(1);
  });

  it('writes Russian for a company in Russia, with the time in its zone and roubles', async () => {
    const company = await readyCompany({
      name: 'Салон Москва',
      currency: 'RUB',
      timezone: 'Europe/Moscow',
      country: 'RU',
    });
    const appointmentId = await visit(t, company, { price: 150_000, clientName: 'Ирина Петрова' });
    const res = await company.owner.post(sendPath(company, appointmentId), { channel: 'email', preview: true });
    expect(res.status, res.text).toBe(200);
    expect(res.body.subject).toBe('Оплата визита в Салон Москва');
    expect(res.body.text).toContain('Здравствуйте, Ирина!');
    expect(res.body.text).toContain('14 марта 2031');
    expect(res.body.text).toContain('12:30');
    expect(res.body.text).toMatch(/1\s500,00\s₽/);
  });

  it('preview answers subject, text, HTML and recipient and sends nothing', async () => {
    const company = await readyCompany();
    const appointmentId = await visit(t, company);
    const before = arrived.length;
    const res = await company.owner.post(sendPath(company, appointmentId), { channel: 'email', preview: true });
    expect(res.status, res.text).toBe(200);
    const link = await company.owner.get(`${company.base}/appointments/${appointmentId}/payment-link`);
    expect(res.body).toMatchObject({ sent: false, to: 'anna@example.test', sentAt: null });
    expect(res.body.text).toContain(link.body.url);
    expect(res.body.html).toContain(`href="${link.body.url}"`);
    expect(await linkSentEntries(t, appointmentId)).toHaveLength(0);
    expect(await mailSince(before, company, appointmentId)).toEqual([['marker@example.test']]);
  });

  it('a client without an email answers 422 client_email_missing, unless `to` is given', async () => {
    const company = await readyCompany();
    const appointmentId = await visit(t, company, { email: null });
    const res = await company.owner.post(sendPath(company, appointmentId), { channel: 'email' });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'client_email_missing', field: 'to' });
    const invalid = await company.owner.post(sendPath(company, appointmentId), {
      channel: 'email',
      to: 'not an address',
    });
    expect(invalid.status).toBe(400);
    const given = await company.owner.post(sendPath(company, appointmentId), {
      channel: 'email',
      to: 'anna.private@example.test',
      preview: true,
    });
    expect(given.status, given.text).toBe(200);
    expect(given.body.to).toBe('anna.private@example.test');
  });

  it('R2 without an SMS gateway the server says so, the SMS text is still previewed, and sending is refused', async () => {
    const company = await readyCompany({ name: 'Studio Nord' });
    const appointmentId = await visitOn14March2031(t, company, {
      price: 4_200,
      client: { name: 'Anna Smith', email: 'anna@example.test', phone: '+491701234567' },
    });
    const info = await company.owner.get('/api/v1/server-info');
    expect(info.body.sendChannels).toEqual({ email: true, sms: false, whatsapp: false });

    const preview = await company.owner.post(sendPath(company, appointmentId), { channel: 'sms', preview: true });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body).toMatchObject({ sent: false, channel: 'sms', to: '+491701234567', sentAt: null });
    const link = await company.owner.get(`${company.base}/appointments/${appointmentId}/payment-link`);
    expect(preview.body.text).toContain(link.body.url);

    const send = await company.owner.post(sendPath(company, appointmentId), { channel: 'sms' });
    expect([send.status, send.body.error.code]).toEqual([422, 'channel_unavailable']);
    expect(await linkSentEntries(t, appointmentId)).toEqual([]);
  });

  it('SMS answers 422 channel_unavailable while the server has no SMS gateway (TWILIO_* unset)', async () => {
    const company = await readyCompany();
    const appointmentId = await visit(t, company);
    const res = await company.owner.post(sendPath(company, appointmentId), { channel: 'sms' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('channel_unavailable');
    expect(res.body.error.message).toMatch(/TWILIO_ACCOUNT_SID/);
  });

  it('R2 a user without cashless_payment gets 403 and nothing is sent', async () => {
    const company = await readyCompany();
    const appointmentId = await visit(t, company);
    const user = await t.newUser(company.id, 'custom', [
      'appointments.read',
      'appointments.write',
      'payments.record',
      'reports.read',
    ]);
    const before = arrived.length;
    const res = await user.api.post(sendPath(company, appointmentId), { channel: 'email' });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden', right: 'cashless_payment' });
    expect(
      await t.db.selectFrom('payment_links').select('id').where('appointment_id', '=', appointmentId).execute(),
    ).toHaveLength(0);
    expect(await mailSince(before, company, appointmentId)).toEqual([['marker@example.test']]);
  });

  it('R1 nothing is sent while pay-by-link is switched off', async () => {
    const company = await readyCompany();
    const appointmentId = await visit(t, company);
    await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: false });
    const res = await company.owner.post(sendPath(company, appointmentId), { channel: 'email' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('pay_by_link_unavailable');
  });

  it('R3 nothing is sent when nothing is due', async () => {
    const company = await readyCompany();
    const appointment = await payableAppointment(t, company, { price: 10_000 });
    await company.owner.post(`${company.base}/appointments/${appointment.id}/payments`, {
      method: 'cash',
      amount: 10_000,
    });
    const res = await company.owner.post(sendPath(company, appointment.id), { channel: 'email' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('nothing_due');
  });

  it('a refusal by the mail server answers 502 email_send_failed and records nothing', async () => {
    const company = await readyCompany();
    const appointmentId = await visit(t, company, { email: REFUSED });
    const res = await company.owner.post(sendPath(company, appointmentId), { channel: 'email' });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('email_send_failed');
    expect(await linkSentEntries(t, appointmentId)).toHaveLength(0);
  });
});

describe('without SMTP_URL', () => {
  it('R2 sending answers 422 email_unavailable and sends nothing; the preview still renders the text to copy', async () => {
    const bare = await createTestApp();
    const company = await bare.newCompany();
    await connectSandbox(company);
    const appointmentId = await visit(bare, company);
    expect((await company.owner.get('/api/v1/server-info')).body.sendChannels).toEqual({
      email: false,
      sms: false,
      whatsapp: false,
    });
    const res = await company.owner.post(sendPath(company, appointmentId), { channel: 'email' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('email_unavailable');
    expect(res.body.error.message).toContain('SMTP_URL');
    const preview = await company.owner.post(sendPath(company, appointmentId), { channel: 'email', preview: true });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body).toMatchObject({ sent: false, to: 'anna@example.test', sentAt: null });
    expect(preview.body.subject).toEqual(expect.any(String));
    expect(await linkSentEntries(bare, appointmentId)).toEqual([]);
  });
});

describe('the message itself', () => {
  const input = {
    companyName: 'Hair & <Co>',
    timezone: 'Europe/Berlin',
    currency: 'EUR',
    startsAt: new Date('2031-07-01T08:00:00Z'),
    amountDue: 5_000,
    url: 'https://pay.example.test/pay/abc?x=1&y=2',
    clientName: '',
    staffName: 'Maria',
  };
  const renderLinkMail = (content: typeof input) => {
    const key = { channel: 'email', kind: 'link', locale: 'en' } as const;
    return renderWith('email', 'en', defaultTemplate(key), messageValues('email', 'en', content));
  };

  it('escapes the HTML and keeps the plain text as typed', () => {
    const mail = renderLinkMail(input);
    expect(mail.locale).toBe('en');
    expect(mail.html).toContain('Hair &amp; &lt;Co&gt;');
    expect(mail.html).not.toContain('<Co>');
    expect(mail.html).toContain('href="https://pay.example.test/pay/abc?x=1&amp;y=2"');
    expect(mail.text).toContain('https://pay.example.test/pay/abc?x=1&y=2');
    expect(mail.text).toContain('Hello!');
    expect(mail.text).toContain('10:00');
  });

  it('masks addresses for the audit log', () => {
    expect(maskEmail('anna@example.test')).toBe('a***@e***.test');
    expect(maskEmail('x@localhost')).toBe('x***@l***');
    expect(maskEmail('broken')).toBe('***');
  });
});
