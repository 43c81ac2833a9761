import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { maskPhone } from '../../src/modules/links/link-sms.js';
import { smsRuSms, smsTransportOf, twilioSms } from '../../src/shared/sms-transport.js';
import { connectSandbox, visitOn14March2031 } from '../helpers/links.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import { startSmsRuStub } from '../stubs/smsru-stub.js';
import { startTwilioStub } from '../stubs/twilio-stub.js';

/** Sending the payment link by SMS through Twilio's Messages API (a local server speaking it). */
const ACCOUNT = { sid: `AC${'0123456789abcdef'.repeat(2)}`, token: 'twilio-auth-token-0123456789' };
const twilio = await startTwilioStub(ACCOUNT);
afterAll(() => twilio.close());

const t = await createTestApp({
  env: {
    TWILIO_ACCOUNT_SID: ACCOUNT.sid,
    TWILIO_AUTH_TOKEN: ACCOUNT.token,
    TWILIO_FROM: '+15005550006',
    VISITPAY_TWILIO_API_URL: twilio.url,
  },
});

const sendPath = (company: TestCompany, appointmentId: string) =>
  `${company.base}/appointments/${appointmentId}/payment-link/send`;

function visit(company: TestCompany, phone: string | null = '+491701234567') {
  return visitOn14March2031(t, company, { price: 4_500, client: { name: 'Anna Smith', phone, email: null } });
}

async function readyCompany(
  input: Partial<{ name: string; currency: string; timezone: string; country: string }> = {},
) {
  const company = await t.newCompany(input);
  await connectSandbox(company);
  return company;
}

async function sentEntries(appointmentId: string) {
  return t.db
    .selectFrom('audit_log')
    .select(['details'])
    .where('appointment_id', '=', appointmentId)
    .where('action', '=', 'link.sent')
    .execute();
}

describe('sending the payment link by SMS', () => {
  it('R2 R27 previews the message, then sends it to the client’s phone through Twilio, and records a masked number', async () => {
    const company = await readyCompany({ name: 'Studio Nord' });
    const appointmentId = await visit(company);
    const preview = await company.owner.post(sendPath(company, appointmentId), { channel: 'sms', preview: true });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body).toMatchObject({
      sent: false,
      channel: 'sms',
      to: '+491701234567',
      subject: null,
      html: null,
      sentAt: null,
    });
    const link = (await company.owner.get(`${company.base}/appointments/${appointmentId}/payment-link`)).body;
    expect(preview.body.text).toBe(`Studio Nord: €45.00 to pay for your visit on 14 Mar, 10:30. Pay here: ${link.url}`);
    expect(twilio.messages).toHaveLength(0);

    const sent = await company.owner.post(sendPath(company, appointmentId), { channel: 'sms' });
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body).toMatchObject({ sent: true, channel: 'sms', to: '+491701234567', text: preview.body.text });
    const [sms] = twilio.messages.slice(-1);
    expect(sms).toMatchObject({
      accountSid: ACCOUNT.sid,
      to: '+491701234567',
      from: '+15005550006',
      messagingServiceSid: null,
      body: preview.body.text,
    });

    const entries = await sentEntries(appointmentId);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.details).toEqual({ channel: 'sms', to: '+49********67' });
    expect(JSON.stringify(entries)).not.toContain('1701234567');
    expect(JSON.stringify(entries)).not.toContain(link.token);
  });

  it('writes Russian for a company in Russia', async () => {
    const company = await readyCompany({
      name: 'Салон Лиза',
      currency: 'RUB',
      timezone: 'Europe/Moscow',
      country: 'RU',
    });
    const appointmentId = await visit(company, '+79161234567');
    const res = await company.owner.post(sendPath(company, appointmentId), { channel: 'sms', preview: true });
    expect(res.body.text).toMatch(/^Салон Лиза: к оплате 45,00\s₽ за визит 14 мар\.?,? 12:30\. Оплатить: http/);
  });

  it('needs a number: the client’s, or a valid one given (400 naming `to` otherwise), writing nothing', async () => {
    const company = await readyCompany();
    const appointmentId = await visit(company, null);
    const missing = await company.owner.post(sendPath(company, appointmentId), { channel: 'sms' });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({ code: 'client_phone_missing', field: 'to' });
    const invalid = await company.owner.post(sendPath(company, appointmentId), { channel: 'sms', to: 'call me' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.field).toBe('to');
    const emailToSms = await company.owner.post(sendPath(company, appointmentId), {
      channel: 'email',
      to: '+491701234567',
    });
    expect([emailToSms.status, emailToSms.body.error.code]).toEqual([422, 'email_unavailable']);
    expect(await sentEntries(appointmentId)).toEqual([]);

    const before = twilio.messages.length;
    const given = await company.owner.post(sendPath(company, appointmentId), {
      channel: 'sms',
      to: '+49 (170) 765-43-21',
    });
    expect(given.status, given.text).toBe(200);
    expect(given.body.to).toBe('+491707654321');
    expect(twilio.messages.slice(before).map((m) => m.to)).toEqual(['+491707654321']);
  });

  it('R1 R2 no SMS goes out while pay-by-link is off, nor for a user without cashless_payment', async () => {
    const company = await readyCompany();
    const appointmentId = await visit(company);
    const before = twilio.messages.length;
    const user = await t.newUser(company.id, 'custom', ['appointments.read', 'appointments.write', 'payments.record']);
    const forbidden = await user.api.post(sendPath(company, appointmentId), { channel: 'sms' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error).toMatchObject({ code: 'forbidden', right: 'cashless_payment' });
    await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: false });
    const off = await company.owner.post(sendPath(company, appointmentId), { channel: 'sms' });
    expect([off.status, off.body.error.code]).toEqual([422, 'pay_by_link_unavailable']);
    expect(twilio.messages.length).toBe(before);
    expect(await sentEntries(appointmentId)).toEqual([]);
  });

  it('a gateway that refuses or fails answers 502 sms_send_failed with its reason, and nothing is recorded as sent', async () => {
    const company = await readyCompany();
    const appointmentId = await visit(company);
    twilio.failNext(500);
    const res = await company.owner.post(sendPath(company, appointmentId), { channel: 'sms' });
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ code: 'sms_send_failed', gatewayCode: 20500 });
    expect(res.body.error.message).toMatch(/HTTP 500/);
    expect(await sentEntries(appointmentId)).toEqual([]);
    // the same press again goes through
    expect((await company.owner.post(sendPath(company, appointmentId), { channel: 'sms' })).status).toBe(200);
  });

  it('the Twilio adapter sends through a Messaging Service when the sender is one, and reports Twilio’s error code', async () => {
    const service = `MG${'a'.repeat(32)}`;
    const viaService = twilioSms({
      accountSid: ACCOUNT.sid,
      authToken: ACCOUNT.token,
      from: service,
      apiUrl: twilio.url,
    });
    const { messageId } = await viaService.send({ to: '+4915112345678', text: 'hello' });
    expect(messageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(twilio.messages.find((m) => m.sid === messageId)).toMatchObject({
      from: null,
      messagingServiceSid: service,
    });
    await expect(viaService.send({ to: '+12', text: 'hello' })).rejects.toMatchObject({
      name: 'SmsSendError',
      code: 21211,
    });
    const wrongToken = twilioSms({
      accountSid: ACCOUNT.sid,
      authToken: 'not-the-token-at-all',
      from: '+15005550006',
      apiUrl: twilio.url,
    });
    await expect(wrongToken.send({ to: '+4915112345678', text: 'hello' })).rejects.toMatchObject({ code: 20003 });
  });

  it('the configuration takes all three Twilio variables or none, and masks numbers for the audit log', () => {
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: ACCOUNT.sid })).toThrow(ConfigError);
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: ACCOUNT.sid })).toThrow(
      /TWILIO_AUTH_TOKEN: needed[\s\S]*TWILIO_FROM: needed/,
    );
    expect(() =>
      loadConfig({ TWILIO_ACCOUNT_SID: 'AC123', TWILIO_AUTH_TOKEN: ACCOUNT.token, TWILIO_FROM: 'Salon' }),
    ).toThrow(/TWILIO_ACCOUNT_SID/);
    expect(
      loadConfig({ TWILIO_ACCOUNT_SID: ACCOUNT.sid, TWILIO_AUTH_TOKEN: ACCOUNT.token, TWILIO_FROM: 'Salon' })
        .TWILIO_FROM,
    ).toBe('Salon');
    expect(maskPhone('+79161234567')).toBe('+79*******67');
    expect(maskPhone('+1')).toBe('***');
  });

  it('SMS.ru: the message goes out as its API wants it, and its refusals come back with their code', async () => {
    const apiId = '0A1B2C3D-4E5F-6789-ABCD-EF0123456789';
    const smsru = await startSmsRuStub(apiId, { blocked: ['79160000000'] });
    try {
      const gateway = smsTransportOf(
        loadConfig({ SMSRU_API_ID: apiId, SMSRU_FROM: 'SalonLiza', VISITPAY_SMSRU_API_URL: smsru.url }),
      )!;
      const { messageId } = await gateway.send({ to: '+79161234567', text: 'Салон Лиза: к оплате 45,00 ₽' });
      expect(smsru.messages).toEqual([
        { smsId: messageId, to: '79161234567', msg: 'Салон Лиза: к оплате 45,00 ₽', from: 'SalonLiza' },
      ]);
      await expect(gateway.send({ to: '+79160000000', text: 'x' })).rejects.toMatchObject({
        name: 'SmsSendError',
        code: 207,
        message: expect.stringContaining('нельзя'),
      });
      await expect(gateway.send({ to: '+7916', text: 'x' })).rejects.toMatchObject({ code: 202 });
      const wrongKey = smsRuSms({ apiId: 'FFFFFFFF-0000-0000-0000-000000000000', apiUrl: smsru.url });
      await expect(wrongKey.send({ to: '+79161234567', text: 'x' })).rejects.toMatchObject({ code: 200 });
      expect(smsru.messages).toHaveLength(1);
    } finally {
      await smsru.close();
    }
    expect(() =>
      loadConfig({
        SMSRU_API_ID: apiId,
        TWILIO_ACCOUNT_SID: ACCOUNT.sid,
        TWILIO_AUTH_TOKEN: ACCOUNT.token,
        TWILIO_FROM: 'x',
      }),
    ).toThrow(/not both/);
  });
});
