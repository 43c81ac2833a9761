import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';
import { connectSandbox, visitOn14March2031 } from '../helpers/links.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import { startTwilioStub } from '../stubs/twilio-stub.js';

/** R37 message templates over HTTP, and the send path using them (a real SMTP server, a Twilio stub). */
const mails: ParsedMail[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    simpleParser(stream).then(
      (mail) => {
        mails.push(mail);
        callback();
      },
      (error: Error) => callback(error),
    );
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
const ACCOUNT = { sid: `AC${'0123456789abcdef'.repeat(2)}`, token: 'twilio-auth-token-0123456789' };
const twilio = await startTwilioStub(ACCOUNT);
afterAll(() => twilio.close());

const t = await createTestApp({
  env: {
    SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as { port: number }).port}?from=salon%40example.test`,
    TWILIO_ACCOUNT_SID: ACCOUNT.sid,
    TWILIO_AUTH_TOKEN: ACCOUNT.token,
    TWILIO_FROM: '+15005550006',
    VISITPAY_TWILIO_API_URL: twilio.url,
  },
});

const messages = (company: TestCompany) => `${company.base}/settings/messages`;
const one = (company: TestCompany, key: string) => `${messages(company)}/${key}`;

async function readyCompany(
  input: Partial<{ name: string; country: string; currency: string; timezone: string }> = {},
) {
  const company = await t.newCompany({ name: 'Studio Nord', ...input });
  await connectSandbox(company);
  return company;
}

const visit = (company: TestCompany) =>
  visitOn14March2031(t, company, {
    price: 4_500,
    client: { name: 'Anna Smith', email: 'anna@example.test', phone: '+491701234567' },
  });

async function templateRows(companyId: string) {
  return t.db.selectFrom('message_templates').selectAll().where('company_id', '=', companyId).execute();
}

async function templateAudit(companyId: string) {
  return t.db
    .selectFrom('audit_log')
    .select(['action', 'entity_id', 'details', 'actor_id'])
    .where('company_id', '=', companyId)
    .where('entity_type', '=', 'message_template')
    .orderBy('id')
    .execute();
}

async function waitForMail(count: number): Promise<ParsedMail> {
  for (let i = 0; i < 150 && mails.length < count; i++) await new Promise((r) => setTimeout(r, 20));
  expect(mails.length).toBe(count);
  return mails[count - 1]!;
}

describe('R37 message templates', () => {
  it('R37 lists every channel, kind and language with the built-in texts and SMS segments', async () => {
    const company = await readyCompany();
    const res = await company.owner.get(messages(company));
    expect(res.status, res.text).toBe(200);
    expect(res.body.companyLocale).toBe('en');
    expect(res.body.placeholders).toEqual([
      'clientFirstName',
      'companyName',
      'date',
      'time',
      'staff',
      'amount',
      'link',
    ]);
    expect(res.body.items).toHaveLength(12);
    const sms = res.body.items.find(
      (i: { channel: string; kind: string; locale: string }) =>
        i.channel === 'sms' && i.kind === 'link' && i.locale === 'en',
    );
    expect(sms).toMatchObject({
      custom: false,
      subject: null,
      text: '{companyName}: {amount} to pay for your visit on {date}, {time}. Pay here: {link}',
      segments: { encoding: 'gsm7', segments: 1 },
    });
    const ruSms = res.body.items.find(
      (i: { channel: string; kind: string; locale: string }) =>
        i.channel === 'sms' && i.kind === 'link' && i.locale === 'ru',
    );
    expect(ruSms.segments).toMatchObject({ encoding: 'ucs2', perSegment: 67, segments: 2 });
    const reminder = res.body.items.find(
      (i: { channel: string; kind: string; locale: string }) =>
        i.channel === 'email' && i.kind === 'reminder' && i.locale === 'ru',
    );
    expect(reminder.subject).toContain('Напоминание');
    expect(reminder.text).toContain('{link}');
    expect(res.body.samples.en.sms.companyName).toBe('Studio Nord');
  });

  it('R37 refuses a text without {link}, an unknown placeholder or an oversized text, naming the field, and saves nothing', async () => {
    const company = await readyCompany();
    const refusals: [string, unknown, Record<string, unknown>][] = [
      ['sms/link/en', { text: 'Please pay {amount}' }, { field: 'text', reason: 'link_missing' }],
      [
        'sms/link/en',
        { text: 'Pay {price} here {link} {firstName}' },
        { field: 'text', reason: 'unknown_placeholder', placeholders: ['price', 'firstName'] },
      ],
      ['sms/link/en', { text: `{link} ${'a'.repeat(1000)}` }, { field: 'text', reason: 'too_long', max: 1000 }],
      ['email/link/en', { subject: `${'s'.repeat(201)}`, text: '{link}' }, { field: 'subject', reason: 'too_long' }],
      [
        'email/link/en',
        { subject: 'For {client}', text: '{link}' },
        { field: 'subject', reason: 'unknown_placeholder' },
      ],
      ['email/reminder/ru', { text: '{link}' }, { field: 'subject', reason: 'required' }],
    ];
    for (const [key, body, details] of refusals) {
      const res = await company.owner.put(one(company, key), body);
      expect(res.status, `${key} ${res.text}`).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', ...details });
    }
    const unknown = await company.owner.put(one(company, 'sms/link/en'), { text: 'Pay {price} here {link}' });
    expect(unknown.body.error.message).toContain('{price}');
    // the request's own shape: an unknown channel or language is refused by the schema
    expect((await company.owner.put(one(company, 'fax/link/en'), { text: '{link}' })).status).toBe(400);
    expect((await company.owner.put(one(company, 'sms/link/de'), { text: '{link}' })).status).toBe(400);
    expect(await templateRows(company.id)).toEqual([]);
    expect(await templateAudit(company.id)).toEqual([]);
  });

  it('R37 the send path uses the company’s own email template: subject, text and the HTML made from it', async () => {
    const company = await readyCompany();
    const saved = await company.owner.put(one(company, 'email/link/en'), {
      subject: 'Your visit with {staff} at {companyName}',
      text: 'Dear {clientFirstName},\r\nyour visit on {date} at {time} comes to {amount}.\n\nPay securely: {link}\n\nSee you!',
    });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body).toMatchObject({ custom: true, channel: 'email', kind: 'link', locale: 'en' });
    expect(saved.body.text).not.toContain('\r');
    const appointmentId = await visit(company);
    const before = mails.length;
    const res = await company.owner.post(`${company.base}/appointments/${appointmentId}/payment-link/send`, {
      channel: 'email',
    });
    expect(res.status, res.text).toBe(200);
    const link = (await company.owner.get(`${company.base}/appointments/${appointmentId}/payment-link`)).body;
    const mail = await waitForMail(before + 1);
    expect(mail.subject).toMatch(/^Your visit with .+ at Studio Nord$/);
    expect(mail.text?.trim()).toBe(
      `Dear Anna,\nyour visit on Friday, 14 March 2031 at 10:30 comes to €45.00.\n\nPay securely: ${link.url}\n\nSee you!`,
    );
    expect(mail.html || '').toContain(`href="${link.url}"`);
    expect(mail.html || '').toContain('>Pay securely</a>');
    expect(mail.html || '').toContain('<strong>€45.00</strong>');
    const audit = await templateAudit(company.id);
    expect(audit).toEqual([
      {
        action: 'message_template.changed',
        entity_id: 'email.link.en',
        details: {
          channel: 'email',
          kind: 'link',
          locale: 'en',
          before: { subject: 'Payment for your visit to {companyName}', text: expect.stringContaining('{link}') },
          after: {
            subject: 'Your visit with {staff} at {companyName}',
            text: 'Dear {clientFirstName},\nyour visit on {date} at {time} comes to {amount}.\n\nPay securely: {link}\n\nSee you!',
          },
        },
        actor_id: company.ownerId,
      },
    ]);
  });

  it('R37 the send path uses the company’s own SMS template, in the company’s language', async () => {
    const company = await readyCompany({
      name: 'Салон Север',
      country: 'RU',
      currency: 'RUB',
      timezone: 'Europe/Moscow',
    });
    const saved = await company.owner.put(one(company, 'sms/link/ru'), { text: '{clientFirstName}, оплата: {link}' });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.segments).toMatchObject({ encoding: 'ucs2' });
    // the English template of the same company is not the one sent
    await company.owner.put(one(company, 'sms/link/en'), { text: 'WRONG {link}' });
    const appointmentId = await visit(company);
    const res = await company.owner.post(`${company.base}/appointments/${appointmentId}/payment-link/send`, {
      channel: 'sms',
    });
    expect(res.status, res.text).toBe(200);
    const link = (await company.owner.get(`${company.base}/appointments/${appointmentId}/payment-link`)).body;
    expect(res.body.text).toBe(`Anna, оплата: ${link.url}`);
    expect(twilio.messages.at(-1)?.body).toBe(`Anna, оплата: ${link.url}`);
  });

  it('R37 previews with an appointment’s data, saved or unsaved text, and 404 for another company’s appointment', async () => {
    const company = await readyCompany();
    const appointmentId = await visit(company);
    const saved = await company.owner.post(`${messages(company)}/preview`, {
      channel: 'sms',
      kind: 'link',
      locale: 'en',
      appointmentId,
    });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.text).toMatch(
      /^Studio Nord: €45\.00 to pay for your visit on 14 Mar, 10:30\. Pay here: http\S+\/pay\/EXAMPLE0+$/,
    );
    expect(saved.body).toMatchObject({ subject: null, html: null, segments: { encoding: 'gsm7', segments: 1 } });

    const draft = await company.owner.post(`${messages(company)}/preview`, {
      channel: 'email',
      kind: 'reminder',
      locale: 'ru',
      appointmentId,
      subject: 'Напоминание для {clientFirstName}',
      text: '{staff} ждёт вас {date} в {time}. {link}',
    });
    expect(draft.status, draft.text).toBe(200);
    expect(draft.body.subject).toBe('Напоминание для Anna');
    expect(draft.body.text).toMatch(/ждёт вас пятница, 14 марта 2031 г\. в 10:30\. http/);
    expect(draft.body.html).toContain('<html lang="ru">');
    // the email preview looks as the email will be sent, with the company's branding (R39)
    const branded = await company.owner.put(`${company.base}/settings/branding`, {
      accentColor: '#1d4ed8',
      contactLine: 'Hauptstraße 1, Berlin',
    });
    expect(branded.status, branded.text).toBe(200);
    const withBrand = await company.owner.post(`${messages(company)}/preview`, {
      channel: 'email',
      kind: 'link',
      locale: 'en',
      appointmentId,
    });
    expect(withBrand.body.html).toContain('background:#1d4ed8');
    expect(withBrand.body.html).toContain('Hauptstraße 1, Berlin');
    // nothing was saved by previewing
    expect(await templateRows(company.id)).toEqual([]);

    const bad = await company.owner.post(`${messages(company)}/preview`, {
      channel: 'sms',
      kind: 'link',
      locale: 'en',
      appointmentId,
      text: 'no link here',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ field: 'text', reason: 'link_missing' });

    const other = await readyCompany();
    const theirs = await visit(other);
    const res = await company.owner.post(`${messages(company)}/preview`, {
      channel: 'sms',
      kind: 'link',
      locale: 'en',
      appointmentId: theirs,
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('R37 reset to default deletes the company’s text, is audited, and the built-in text is sent again', async () => {
    const company = await readyCompany();
    await company.owner.put(one(company, 'sms/link/en'), { text: 'Custom {link}' });
    const reset = await company.owner.delete(one(company, 'sms/link/en'));
    expect(reset.status, reset.text).toBe(200);
    expect(reset.body).toMatchObject({ custom: false, updatedAt: null });
    expect(reset.body.text).toBe(reset.body.default.text);
    expect(await templateRows(company.id)).toEqual([]);
    // a second reset changes nothing and records nothing
    expect((await company.owner.delete(one(company, 'sms/link/en'))).status).toBe(200);
    const audit = await templateAudit(company.id);
    expect(audit.map((e) => e.action)).toEqual(['message_template.changed', 'message_template.reset']);
    expect(audit[1]!.details).toMatchObject({
      before: { subject: null, text: 'Custom {link}' },
      after: { subject: null, text: reset.body.default.text },
    });
    const appointmentId = await visit(company);
    const res = await company.owner.post(`${company.base}/appointments/${appointmentId}/payment-link/send`, {
      channel: 'sms',
      preview: true,
    });
    expect(res.body.text).toMatch(/^Studio Nord: €45\.00 to pay/);
  });

  it('R37 refuses a web address other than {link} (foreign_link) and {link} in the subject, naming the field; plain words with dots pass; nothing is written', async () => {
    const company = await readyCompany();
    const refusals: [string, Record<string, string>, string][] = [
      ['sms/link/en', { text: 'Account blocked, log in at https://evil.example/login {link}' }, 'text'],
      ['sms/link/en', { text: 'Account blocked, log in at evil-bank.com then {link}' }, 'text'],
      ['sms/reminder/ru', { text: 'Войдите на www.пример.рф {link}' }, 'text'],
      ['email/link/en', { subject: 'Verify at secure-login.net', text: 'Pay: {link}' }, 'subject'],
    ];
    for (const [key, body, field] of refusals) {
      const res = await company.owner.put(one(company, key), body);
      expect(res.status, `${key} ${res.text}`).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', field, reason: 'foreign_link' });
    }
    const inSubject = await company.owner.put(one(company, 'email/link/en'), { subject: 'Pay {link}', text: '{link}' });
    expect(inSubject.status).toBe(400);
    expect(inSubject.body.error).toMatchObject({ field: 'subject', reason: 'link_in_subject' });
    expect(await templateRows(company.id)).toEqual([]);
    expect(await templateAudit(company.id)).toEqual([]);
    // words with dots are not addresses
    const plain = await company.owner.put(one(company, 'sms/link/en'), {
      text: 'St. Mary’s clinic, e.g. Dr. Weiss: {amount} due. Pay: {link}.',
    });
    expect(plain.status, plain.text).toBe(200);
  });

  it('R37 R36 WhatsApp texts are the registered template: listed read-only for link and reminder, PUT and DELETE refused (422 template_fixed_by_whatsapp), nothing written', async () => {
    const company = await readyCompany();
    const list = await company.owner.get(messages(company));
    const whatsapp = list.body.items.filter((i: { channel: string }) => i.channel === 'whatsapp');
    expect(whatsapp).toHaveLength(4);
    for (const item of whatsapp) {
      expect(item).toMatchObject({ fixed: true, custom: false });
      expect(item.text).toBe(item.default.text);
      expect(item.text).not.toMatch(/\{link\}$/);
    }
    const en = whatsapp.filter((i: { locale: string }) => i.locale === 'en');
    expect(en[0].text).toBe(en[1].text);
    expect(list.body.items.filter((i: { fixed: boolean }) => i.fixed)).toHaveLength(4);
    for (const key of ['whatsapp/link/en', 'whatsapp/reminder/ru']) {
      const put = await company.owner.put(one(company, key), { text: 'Hi {clientFirstName}, pay: {link} Thanks!' });
      expect(put.status, put.text).toBe(422);
      expect(put.body.error).toMatchObject({ code: 'template_fixed_by_whatsapp', field: 'channel' });
      expect(put.body.error.message).toContain('docs/messaging.md');
      const del = await company.owner.delete(one(company, key));
      expect([del.status, del.body.error.code]).toEqual([422, 'template_fixed_by_whatsapp']);
    }
    expect(await templateRows(company.id)).toEqual([]);
    expect(await templateAudit(company.id)).toEqual([]);
    // the settings preview shows the registered text, as sent
    const appointmentId = await visit(company);
    const preview = await company.owner.post(`${messages(company)}/preview`, {
      channel: 'whatsapp',
      kind: 'reminder',
      locale: 'en',
      appointmentId,
    });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.text).toMatch(
      /^Hello, Anna! Studio Nord: your visit on 14 Mar, 10:30, amount due €45\.00\. Pay online: http\S+ If you have already paid/,
    );
  });

  it('R37 one company’s templates never reach another: listing, sending, and its routes answer 404 to outsiders', async () => {
    const a = await readyCompany({ name: 'Salon A' });
    const b = await readyCompany({ name: 'Salon B' });
    expect((await a.owner.put(one(a, 'sms/link/en'), { text: 'Only A {link}' })).status).toBe(200);
    const listed = await b.owner.get(messages(b));
    expect(listed.body.items.every((i: { custom: boolean }) => !i.custom)).toBe(true);
    const appointmentId = await visit(b);
    const sent = await b.owner.post(`${b.base}/appointments/${appointmentId}/payment-link/send`, {
      channel: 'sms',
      preview: true,
    });
    expect(sent.body.text).toMatch(/^Salon B: /);
    // B's owner on A's path: the company is unknown to them, nothing changes
    expect((await b.owner.put(one(a, 'sms/link/en'), { text: 'B was here {link}' })).status).toBe(404);
    expect((await b.owner.delete(one(a, 'sms/link/en'))).status).toBe(404);
    expect((await templateRows(a.id)).map((r) => r.body)).toEqual(['Only A {link}']);
  });

  it('R37 a user without finance.settings may not read or change templates (403)', async () => {
    const company = await readyCompany();
    const staff = await t.newUser(company.id, 'staff');
    expect((await staff.api.get(messages(company))).status).toBe(403);
    expect((await staff.api.put(one(company, 'sms/link/en'), { text: '{link}' })).status).toBe(403);
    expect(await templateRows(company.id)).toEqual([]);
  });
});
