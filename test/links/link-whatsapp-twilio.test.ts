import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { OutboundGuard } from '../../src/shared/outbound/outbound-guard.js';
import { cloudApiWhatsApp, whatsAppTransportOf } from '../../src/shared/whatsapp-transport.js';
import { connectSandbox, visitOn14March2031 } from '../helpers/links.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import { startTwilioStub } from '../stubs/twilio-stub.js';
import { startWhatsAppCloudStub } from '../stubs/whatsapp-cloud-stub.js';

/**
 * R36 through Twilio's WhatsApp sender: the Messages API with `whatsapp:` addresses and an
 * approved Content Template (ContentSid + ContentVariables), on a Twilio account used for
 * WhatsApp alone (no TWILIO_FROM: no SMS). Also the configuration's rules and the adapters' edges.
 */
const ACCOUNT = { sid: `AC${'0123456789abcdef'.repeat(2)}`, token: 'twilio-auth-token-0123456789' };
const CONTENT_SID = `HX${'b'.repeat(32)}`;
const twilio = await startTwilioStub(ACCOUNT);
afterAll(() => twilio.close());

const t = await createTestApp({
  env: {
    TWILIO_ACCOUNT_SID: ACCOUNT.sid,
    TWILIO_AUTH_TOKEN: ACCOUNT.token,
    TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886',
    TWILIO_WHATSAPP_CONTENT_SID: CONTENT_SID,
    VISITPAY_TWILIO_API_URL: twilio.url,
    VISITPAY_ALLOW_PRIVATE_WEBHOOKS: 'true',
  },
});

const sendPath = (company: TestCompany, appointmentId: string) =>
  `${company.base}/appointments/${appointmentId}/payment-link/send`;

describe('R36 sending the payment link by WhatsApp through Twilio', () => {
  it('R36 sends the Content Template with its variables from the WhatsApp sender, and audits a masked number', async () => {
    const company = await t.newCompany({ name: 'Studio Nord' });
    await connectSandbox(company);
    const appointmentId = await visitOn14March2031(t, company, {
      price: 4_500,
      client: { name: 'Anna Smith', phone: '+491701234511', email: null },
    });
    const info = await company.owner.get('/api/v1/server-info');
    expect(info.body.sendChannels).toEqual({ email: false, sms: false, whatsapp: true });

    const sent = await company.owner.post(sendPath(company, appointmentId), { channel: 'whatsapp' });
    expect(sent.status, sent.text).toBe(200);
    const link = (await company.owner.get(`${company.base}/appointments/${appointmentId}/payment-link`)).body;
    expect(twilio.messages).toEqual([
      expect.objectContaining({
        sid: expect.stringMatching(/^SM/),
        accountSid: ACCOUNT.sid,
        to: 'whatsapp:+491701234511',
        from: 'whatsapp:+14155238886',
        body: '',
        contentSid: CONTENT_SID,
      }),
    ]);
    expect(JSON.parse(twilio.messages[0]!.contentVariables!)).toEqual({
      1: 'Anna',
      2: 'Studio Nord',
      3: '14 Mar, 10:30',
      4: '€45.00',
      5: link.url,
    });
    const [entry] = await t.db
      .selectFrom('audit_log')
      .select('details')
      .where('appointment_id', '=', appointmentId)
      .where('action', '=', 'link.sent')
      .execute();
    expect(entry?.details).toEqual({ channel: 'whatsapp', to: '+49********11' });

    // No SMS sender on this account: SMS stays unavailable
    const sms = await company.owner.post(sendPath(company, appointmentId), { channel: 'sms' });
    expect([sms.status, sms.body.error.code]).toEqual([422, 'channel_unavailable']);
  });

  it('R36 without a Russian Content Template a company in Russia is told so (422 whatsapp_unavailable) and nothing goes out', async () => {
    const company = await t.newCompany({
      name: 'Салон Лиза',
      currency: 'RUB',
      timezone: 'Europe/Moscow',
      country: 'RU',
    });
    await connectSandbox(company);
    const appointmentId = await visitOn14March2031(t, company, {
      client: { name: 'Ольга', phone: '+79161234512', email: null },
    });
    const before = twilio.messages.length;
    const preview = await company.owner.post(sendPath(company, appointmentId), { channel: 'whatsapp', preview: true });
    expect(preview.status).toBe(200);
    const res = await company.owner.post(sendPath(company, appointmentId), { channel: 'whatsapp' });
    expect([res.status, res.body.error.code]).toEqual([422, 'whatsapp_unavailable']);
    expect(res.body.error.message).toMatch(/TWILIO_WHATSAPP_CONTENT_SID_RU/);
    expect(twilio.messages.length).toBe(before);
  });

  it('R36 Twilio’s refusal comes back as whatsapp_send_failed with its code', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const appointmentId = await visitOn14March2031(t, company, {
      client: { name: 'Ben', phone: '+491701234513', email: null },
    });
    twilio.failNext(500);
    const res = await company.owner.post(sendPath(company, appointmentId), { channel: 'whatsapp' });
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ code: 'whatsapp_send_failed', gatewayCode: 20500 });
    expect(res.body.error.message).toMatch(/Twilio refused the WhatsApp message \(HTTP 500/);
  });
});

describe('R36 WhatsApp configuration and adapters', () => {
  const cloud = {
    WHATSAPP_TOKEN: 'EAAGtestCloudApiSystemUserToken0123456789',
    WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  };
  const twilioWa = {
    TWILIO_ACCOUNT_SID: ACCOUNT.sid,
    TWILIO_AUTH_TOKEN: ACCOUNT.token,
    TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886',
    TWILIO_WHATSAPP_CONTENT_SID: CONTENT_SID,
  };

  it('R36 the configuration names what is missing or malformed, and takes one WhatsApp sender', () => {
    expect(() => loadConfig({ WHATSAPP_TOKEN: cloud.WHATSAPP_TOKEN })).toThrow(
      /WHATSAPP_PHONE_NUMBER_ID: needed with WHATSAPP_TOKEN/,
    );
    expect(() => loadConfig({ WHATSAPP_PHONE_NUMBER_ID: cloud.WHATSAPP_PHONE_NUMBER_ID })).toThrow(
      /WHATSAPP_TOKEN: needed with WHATSAPP_PHONE_NUMBER_ID/,
    );
    expect(() => loadConfig({ ...cloud, WHATSAPP_PHONE_NUMBER_ID: '+49 170 1234567' })).toThrow(
      /WHATSAPP_PHONE_NUMBER_ID: must be the Phone number ID/,
    );
    expect(() => loadConfig({ ...cloud, WHATSAPP_TEMPLATE: 'Payment Link' })).toThrow(/WHATSAPP_TEMPLATE/);
    expect(() => loadConfig({ TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886' })).toThrow(
      /TWILIO_ACCOUNT_SID: needed[\s\S]*TWILIO_AUTH_TOKEN: needed[\s\S]*TWILIO_WHATSAPP_CONTENT_SID: needed/,
    );
    expect(() => loadConfig({ ...twilioWa, TWILIO_WHATSAPP_FROM: '+14155238886' })).toThrow(
      /TWILIO_WHATSAPP_FROM: must be the WhatsApp sender as whatsapp:/,
    );
    expect(() => loadConfig({ ...cloud, ...twilioWa })).toThrow(/not both/);
    expect(() => loadConfig({ ...cloud, ...twilioWa })).toThrow(ConfigError);
    // a Twilio account for WhatsApp alone needs no SMS sender, and lives beside SMS.ru for SMS
    const both = loadConfig({ ...twilioWa, SMSRU_API_ID: '0A1B2C3D-4E5F-6789-ABCD-EF0123456789' });
    expect(both.TWILIO_FROM).toBeUndefined();
    const defaults = loadConfig(cloud);
    expect(defaults).toMatchObject({
      WHATSAPP_TEMPLATE: 'visitpay_payment_link',
      WHATSAPP_TEMPLATE_LANGUAGE_EN: 'en',
      WHATSAPP_TEMPLATE_LANGUAGE_RU: 'ru',
      VISITPAY_WHATSAPP_API_URL: 'https://graph.facebook.com',
      VISITPAY_SEND_QUOTA_WHATSAPP_PER_DAY: 200,
    });
    expect(whatsAppTransportOf(loadConfig({}), new OutboundGuard({ allowPrivate: false }))).toBeUndefined();
  });

  it('R36 the Cloud API adapter goes through the outbound guard, sends the configured language code, and reports a bad token', async () => {
    const stub = await startWhatsAppCloudStub({
      token: cloud.WHATSAPP_TOKEN,
      phoneNumberId: cloud.WHATSAPP_PHONE_NUMBER_ID,
      templates: { salon_link: { en_GB: 5 } },
    });
    try {
      const options = {
        token: cloud.WHATSAPP_TOKEN,
        phoneNumberId: cloud.WHATSAPP_PHONE_NUMBER_ID,
        template: 'salon_link',
        languages: { en: 'en_GB', ru: 'ru' },
        apiVersion: 'v23.0',
        apiUrl: stub.url,
      };
      const params = ['Anna', 'Studio  Nord\n', '14 Mar, 10:30', '€45.00', 'https://pay.example/l/x'];
      // S4: a plain-http sender on a loopback address is refused unless private targets are allowed (local development)
      const guarded = cloudApiWhatsApp({ ...options, outbound: new OutboundGuard({ allowPrivate: false }) });
      await expect(guarded.send({ to: '+491701234520', locale: 'en', params })).rejects.toMatchObject({
        name: 'WhatsAppSendError',
        message: expect.stringMatching(/could not be reached: the URL must start with https/),
      });
      const open = cloudApiWhatsApp({ ...options, outbound: new OutboundGuard({ allowPrivate: true }) });
      const { messageId } = await open.send({ to: '+491701234520', locale: 'en', params });
      expect(stub.messages).toEqual([
        expect.objectContaining({
          id: messageId,
          language: 'en_GB',
          // new lines and runs of spaces are what Meta refuses in a parameter (132018)
          params: ['Anna', 'Studio Nord', '14 Mar, 10:30', '€45.00', 'https://pay.example/l/x'],
        }),
      ]);
      await expect(open.send({ to: '+79161234520', locale: 'ru', params })).rejects.toMatchObject({
        code: 132001,
        message: expect.stringMatching(/HTTP 404, error 132001/),
      });
      await expect(open.send({ to: '+491701234520', locale: 'en', params: params.slice(0, 4) })).rejects.toMatchObject({
        code: 132000,
      });
      const wrongToken = cloudApiWhatsApp({
        ...options,
        token: 'EAAGnotTheTokenAtAll0123456789',
        outbound: new OutboundGuard({ allowPrivate: true }),
      });
      const refusal = await wrongToken.send({ to: '+491701234520', locale: 'en', params }).catch((e: Error) => e);
      expect(refusal).toMatchObject({ code: 190, message: expect.stringMatching(/HTTP 401, error 190/) });
      expect(String((refusal as Error).message)).not.toContain('EAAGnotTheTokenAtAll');
      expect(stub.messages).toHaveLength(1);
    } finally {
      await stub.close();
    }
  });
});
