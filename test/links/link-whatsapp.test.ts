import { afterAll, describe, expect, it } from 'vitest';
import { fillTemplate, WHATSAPP_TEMPLATE_TEXT } from '../../src/modules/links/link-whatsapp.js';
import { connectSandbox, visitOn14March2031 } from '../helpers/links.js';
import { createTestApp, type TestApp, type TestCompany } from '../helpers/test-app.js';
import { startWhatsAppCloudStub } from '../stubs/whatsapp-cloud-stub.js';

/**
 * R36: sending the payment link by WhatsApp through Meta's WhatsApp Business Cloud API (a local
 * server speaking it: test/stubs/whatsapp-cloud-stub.ts), as an approved template message whose
 * five body parameters are the client's first name, the company, the amount, the visit and the link.
 */
const TOKEN = 'EAAGtestCloudApiSystemUserToken0123456789';
const PHONE_NUMBER_ID = '106540352242922';
const cloud = await startWhatsAppCloudStub({
  token: TOKEN,
  phoneNumberId: PHONE_NUMBER_ID,
  templates: { visitpay_payment_link: { en: 5, ru: 5 } },
  blocked: ['491700000013'],
});
afterAll(() => cloud.close());

const t = await createTestApp({
  env: {
    WHATSAPP_TOKEN: TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    VISITPAY_WHATSAPP_API_URL: cloud.url,
    // the sender is reached through the outbound guard (S4): a local test server needs it lifted
    VISITPAY_ALLOW_PRIVATE_WEBHOOKS: 'true',
    VISITPAY_SEND_QUOTA_WHATSAPP_PER_DAY: '2',
  },
});

/** a Visitpay with no WhatsApp sender configured */
const bare = await createTestApp();

const sendPath = (company: TestCompany, appointmentId: string) =>
  `${company.base}/appointments/${appointmentId}/payment-link/send`;

async function readyCompany(
  app: TestApp,
  input: Partial<{ name: string; currency: string; timezone: string; country: string }> = {},
) {
  const company = await app.newCompany(input);
  await connectSandbox(company);
  return company;
}

async function sentEntries(app: TestApp, appointmentId: string) {
  return app.db
    .selectFrom('audit_log')
    .select(['details'])
    .where('appointment_id', '=', appointmentId)
    .where('action', '=', 'link.sent')
    .execute();
}

describe('R36 sending the payment link by WhatsApp (Cloud API)', () => {
  it('R36 previews the template text, then sends the template with its five parameters and audits a masked number', async () => {
    const company = await readyCompany(t, { name: 'Studio Nord' });
    const appointmentId = await visitOn14March2031(t, company, {
      price: 4_500,
      client: { name: 'Anna Smith', phone: '+491701234501', email: null },
    });
    const preview = await company.owner.post(sendPath(company, appointmentId), { channel: 'whatsapp', preview: true });
    expect(preview.status, preview.text).toBe(200);
    const link = (await company.owner.get(`${company.base}/appointments/${appointmentId}/payment-link`)).body;
    expect(preview.body).toMatchObject({
      sent: false,
      channel: 'whatsapp',
      to: '+491701234501',
      subject: null,
      html: null,
      sentAt: null,
    });
    expect(preview.body.text).toBe(
      `Hello, Anna! Studio Nord: your visit on 14 Mar, 10:30, amount due €45.00. Pay online: ${link.url} If you have already paid, please ignore this message.`,
    );
    expect(cloud.messages).toHaveLength(0);

    const sent = await company.owner.post(sendPath(company, appointmentId), { channel: 'whatsapp' });
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body).toMatchObject({ sent: true, channel: 'whatsapp', to: '+491701234501', text: preview.body.text });
    expect(cloud.messages).toEqual([
      {
        id: expect.stringMatching(/^wamid\./),
        version: 'v23.0',
        phoneNumberId: PHONE_NUMBER_ID,
        to: '+491701234501',
        template: 'visitpay_payment_link',
        language: 'en',
        params: ['Anna', 'Studio Nord', '14 Mar, 10:30', '€45.00', link.url],
      },
    ]);
    // what the client reads is what the preview showed: the registered text filled with the parameters
    expect(fillTemplate(WHATSAPP_TEMPLATE_TEXT.en, cloud.messages[0]!.params)).toBe(preview.body.text);

    const entries = await sentEntries(t, appointmentId);
    expect(entries.map((e) => e.details)).toEqual([{ channel: 'whatsapp', to: '+49********01' }]);
    expect(JSON.stringify(entries)).not.toContain('1701234501');
    expect(JSON.stringify(entries)).not.toContain(link.token);
  });

  it('R36 a company in Russia sends the Russian translation of the template', async () => {
    const company = await readyCompany(t, {
      name: 'Салон Лиза',
      currency: 'RUB',
      timezone: 'Europe/Moscow',
      country: 'RU',
    });
    const appointmentId = await visitOn14March2031(t, company, {
      price: 4_500,
      client: { name: 'Ольга Петрова', phone: '+79161234502', email: null },
    });
    const sent = await company.owner.post(sendPath(company, appointmentId), { channel: 'whatsapp' });
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body.text).toMatch(
      /^Здравствуйте, Ольга! Салон Лиза: визит 14 мар\.?, 12:30, к оплате 45,00\s₽\. Оплатить онлайн: http/,
    );
    const message = cloud.messages.at(-1)!;
    expect(message).toMatchObject({ language: 'ru', to: '+79161234502' });
    expect(message.params[0]).toBe('Ольга');
    expect(fillTemplate(WHATSAPP_TEMPLATE_TEXT.ru, message.params)).toBe(sent.body.text);
  });

  it('R36 needs a number: the client’s or a valid one given (client_phone_missing, 400 naming `to`), writing nothing', async () => {
    const company = await readyCompany(t);
    const appointmentId = await visitOn14March2031(t, company, {
      client: { name: 'Nadia', phone: null, email: 'nadia@example.test' },
    });
    const before = cloud.messages.length;
    const missing = await company.owner.post(sendPath(company, appointmentId), { channel: 'whatsapp' });
    expect([missing.status, missing.body.error.code, missing.body.error.field]).toEqual([
      422,
      'client_phone_missing',
      'to',
    ]);
    const invalid = await company.owner.post(sendPath(company, appointmentId), { channel: 'whatsapp', to: 'call me' });
    expect([invalid.status, invalid.body.error.field]).toEqual([400, 'to']);
    expect(await sentEntries(t, appointmentId)).toEqual([]);
    expect(cloud.messages.length).toBe(before);

    const given = await company.owner.post(sendPath(company, appointmentId), {
      channel: 'whatsapp',
      to: '+49 (170) 123-45-03',
    });
    expect(given.status, given.text).toBe(200);
    expect(cloud.messages.at(-1)).toMatchObject({ to: '+491701234503', params: expect.arrayContaining(['Nadia']) });
  });

  it('R36 a refusal answers 502 whatsapp_send_failed with the provider’s code and message; nothing is recorded as sent', async () => {
    const company = await readyCompany(t);
    const appointmentId = await visitOn14March2031(t, company, {
      client: { name: 'Ben Kraus', phone: '+491700000013', email: null },
    });
    const refused = await company.owner.post(sendPath(company, appointmentId), { channel: 'whatsapp' });
    expect(refused.status).toBe(502);
    expect(refused.body.error).toMatchObject({
      code: 'whatsapp_send_failed',
      channel: 'whatsapp',
      gatewayCode: 131030,
    });
    expect(refused.body.error.message).toMatch(/HTTP 400, error 131030.*Recipient phone number not in allowed list/);
    expect(await sentEntries(t, appointmentId)).toEqual([]);

    cloud.failNext({ status: 429, code: 130429, message: 'Rate limit hit' });
    const other = await company.owner.post(sendPath(company, appointmentId), {
      channel: 'whatsapp',
      to: '+491701234504',
    });
    expect([other.status, other.body.error.gatewayCode]).toEqual([502, 130429]);
    expect(other.body.error.message).toMatch(/Rate limit hit/);
    expect(await sentEntries(t, appointmentId)).toEqual([]);

    // (a company of its own: each refused send counts against the company's daily quota)
    const echoCompany = await readyCompany(t);
    const echoAppointment = await visitOn14March2031(t, echoCompany, {
      client: { name: 'Ben Kraus', phone: '+491701234510', email: null },
    });
    // a provider that echoes the credential back in its error (Graph API 190 quotes a malformed token) does not leak it
    cloud.failNext({
      status: 401,
      code: 190,
      message: `Invalid OAuth access token - Cannot parse access token: ${TOKEN}`,
    });
    const echoed = await echoCompany.owner.post(sendPath(echoCompany, echoAppointment), { channel: 'whatsapp' });
    expect([echoed.status, echoed.body.error.gatewayCode]).toEqual([502, 190]);
    expect(echoed.body.error.message).toMatch(/Cannot parse access token: \[credential\]/);
    expect(JSON.stringify(echoed.body)).not.toContain(TOKEN);
    expect(JSON.stringify(await sentEntries(t, echoAppointment))).not.toContain(TOKEN);
  });

  it('R36 R38 WhatsApp has its own daily quota per company (VISITPAY_SEND_QUOTA_WHATSAPP_PER_DAY); past it nothing is sent', async () => {
    const company = await readyCompany(t);
    const appointmentId = await visitOn14March2031(t, company, {
      client: { name: 'Eva', phone: '+491701234505', email: null },
    });
    for (const to of ['+491701234505', '+491701234506'])
      expect((await company.owner.post(sendPath(company, appointmentId), { channel: 'whatsapp', to })).status).toBe(
        200,
      );
    const before = cloud.messages.length;
    const third = await company.owner.post(sendPath(company, appointmentId), {
      channel: 'whatsapp',
      to: '+491701234507',
    });
    expect(third.status).toBe(429);
    expect(third.body.error).toMatchObject({
      code: 'send_quota_exceeded',
      quota: 'company_day',
      channel: 'whatsapp',
      limit: 2,
    });
    expect(third.body.error.message).toMatch(/daily quota of 2 WhatsApp messages/);
    expect(cloud.messages.length).toBe(before);
    // the preview still shows the text
    const preview = await company.owner.post(sendPath(company, appointmentId), { channel: 'whatsapp', preview: true });
    expect(preview.status).toBe(200);
    expect((await sentEntries(t, appointmentId)).length).toBe(2);
  });

  it('R36 R37 WhatsApp delivers the registered template: the built-in WhatsApp text is that template, and a company’s own WhatsApp text does not change what is previewed or sent', async () => {
    const company = await readyCompany(t, { name: 'Studio West' });
    const appointmentId = await visitOn14March2031(t, company, {
      client: { name: 'Mia Lang', phone: '+491701234509', email: null },
    });
    const builtIn = await company.owner.post(sendPath(company, appointmentId), { channel: 'whatsapp', preview: true });
    const templates = await company.owner.get(`${company.base}/settings/messages`);
    const whatsappLink = templates.body.items.find(
      (i: { channel: string; kind: string; locale: string }) =>
        i.channel === 'whatsapp' && i.kind === 'link' && i.locale === 'en',
    );
    // R37's built-in WhatsApp text, numbered as WhatsApp numbers parameters, is the template operators register
    expect(
      whatsappLink.text
        .replace('{clientFirstName}', '{{1}}')
        .replace('{companyName}', '{{2}}')
        .replace('{date}, {time}', '{{3}}')
        .replace('{amount}', '{{4}}')
        .replace('{link}', '{{5}}'),
    ).toBe(WHATSAPP_TEMPLATE_TEXT.en);

    // a WhatsApp text cannot be written (R37) …
    const own = await company.owner.put(`${company.base}/settings/messages/whatsapp/link/en`, {
      text: 'Hi {clientFirstName}, pay here: {link} Thanks!',
    });
    expect([own.status, own.body.error.code]).toEqual([422, 'template_fixed_by_whatsapp']);
    // … and one saved before WhatsApp texts were fixed changes neither the previews nor what is sent
    await t.db
      .insertInto('message_templates')
      .values({
        company_id: company.id,
        channel: 'whatsapp',
        kind: 'link',
        locale: 'en',
        subject: null,
        body: 'Hi {clientFirstName}, pay here: {link} Thanks!',
        updated_at: new Date(),
        updated_by: null,
      })
      .execute();
    const after = await company.owner.post(sendPath(company, appointmentId), { channel: 'whatsapp', preview: true });
    expect(after.body.text).toBe(builtIn.body.text);
    const settingsPreview = await company.owner.post(`${company.base}/settings/messages/preview`, {
      channel: 'whatsapp',
      kind: 'link',
      locale: 'en',
      appointmentId,
    });
    const sent = await company.owner.post(sendPath(company, appointmentId), { channel: 'whatsapp' });
    expect(sent.body.text).toBe(builtIn.body.text);
    const delivered = fillTemplate(WHATSAPP_TEMPLATE_TEXT.en, cloud.messages.at(-1)!.params);
    expect(delivered).toBe(builtIn.body.text);
    // the settings preview says the link as an example of its length; otherwise word for word what was delivered
    expect(settingsPreview.body.text.replace(/https?:\/\/\S+/, 'LINK')).toBe(
      delivered.replace(/https?:\/\/\S+/, 'LINK'),
    );
  });

  it('R36 /server-info offers WhatsApp on this server', async () => {
    const company = await t.newCompany();
    const info = await company.owner.get('/api/v1/server-info');
    expect(info.body.sendChannels).toEqual({ email: false, sms: false, whatsapp: true });
  });
});

describe('R36 WhatsApp on a server without a WhatsApp sender', () => {
  it('R36 the preview shows the text to copy; sending answers 422 whatsapp_unavailable; /server-info says so', async () => {
    const company = await readyCompany(bare, { name: 'Studio Süd' });
    const appointmentId = await visitOn14March2031(bare, company, {
      client: { name: 'Lena Wolf', phone: '+491701234508', email: null },
    });
    const preview = await company.owner.post(sendPath(company, appointmentId), {
      channel: 'whatsapp',
      preview: true,
    });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body).toMatchObject({ sent: false, channel: 'whatsapp', to: '+491701234508' });
    expect(preview.body.text).toMatch(/^Hello, Lena! Studio Süd: your visit on 14 Mar, 10:30, amount due €100\.00\./);
    const send = await company.owner.post(sendPath(company, appointmentId), { channel: 'whatsapp' });
    expect(send.status).toBe(422);
    expect(send.body.error).toMatchObject({ code: 'whatsapp_unavailable', channel: 'whatsapp' });
    expect(send.body.error.message).toMatch(/WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID/);
    expect(await sentEntries(bare, appointmentId)).toEqual([]);
    const info = await company.owner.get('/api/v1/server-info');
    expect(info.body.sendChannels.whatsapp).toBe(false);
  });
});
