import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { SendQuotas } from '../../src/modules/links/send-quotas.service.js';
import {
  companyDayWindow,
  describeWait,
  hourWindow,
  recipientIdentity,
} from '../../src/modules/links/domain/send-quota.js';
import { ManualClock } from '../../src/shared/clock.js';
import { DomainError } from '../../src/shared/errors.js';
import { connectSandbox, visitOn14March2031 } from '../helpers/links.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { createTestApp, TEST_SECRET_KEY, type TestCompany } from '../helpers/test-app.js';
import {
  appointmentWithLink,
  connectSandbox as connectSandboxOf,
  createScratchDatabase,
  dropScratchDatabase,
  ownerSession,
  processEnv,
  type OwnerSession,
} from '../reliability/process-api.js';
import { startTwilioStub } from '../stubs/twilio-stub.js';

/**
 * R38 sending quotas: per company, channel and day of the company's calendar, and per recipient
 * and hour; past one the API answers 429, says which quota and when it resets, and sends nothing.
 * Email goes to a real SMTP server on a local port, SMS to a local server speaking Twilio's API.
 */

/** Recipients of every message the SMTP server accepted, in order. */
const delivered: string[] = [];
const REFUSED = 'bounce@example.test';
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onRcptTo(address, _session, callback) {
    if (address.address === REFUSED)
      return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
    callback();
  },
  onData(stream, session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      delivered.push(...session.envelope.rcptTo.map((r) => r.address));
      callback();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as { port: number }).port}?from=salon%40example.test`;
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

const ACCOUNT = { sid: `AC${'0123456789abcdef'.repeat(2)}`, token: 'twilio-auth-token-0123456789' };
const twilio = await startTwilioStub(ACCOUNT);
afterAll(() => twilio.close());

const EMAIL_PER_DAY = 4;
const SMS_PER_DAY = 2;
const PER_RECIPIENT_PER_HOUR = 2;
const clock = new ManualClock('2031-03-10T10:00:00Z');
const t = await createTestApp({
  clock,
  env: {
    SMTP_URL: smtpUrl,
    TWILIO_ACCOUNT_SID: ACCOUNT.sid,
    TWILIO_AUTH_TOKEN: ACCOUNT.token,
    TWILIO_FROM: '+15005550006',
    VISITPAY_TWILIO_API_URL: twilio.url,
    VISITPAY_SEND_QUOTA_EMAIL_PER_DAY: String(EMAIL_PER_DAY),
    VISITPAY_SEND_QUOTA_SMS_PER_DAY: String(SMS_PER_DAY),
    VISITPAY_SEND_QUOTA_PER_RECIPIENT_PER_HOUR: String(PER_RECIPIENT_PER_HOUR),
  },
});

let unique = 0;
/** An address no other test sends to, so that the per-recipient quota (installation-wide) stays out of the way. */
const freshAddress = (label: string) => `${label}-${unique++}@example.test`;
/** A phone number no other test sends to. */
const freshPhone = () => `+4917012${String(unique++).padStart(5, '0')}`;

async function readyCompany(input: Partial<{ name: string; timezone: string }> = {}) {
  const company = await t.newCompany(input);
  await connectSandbox(company);
  const appointmentId = await visitOn14March2031(t, company, {
    price: 4_500,
    client: { name: 'Anna Smith', email: freshAddress('client'), phone: freshPhone() },
  });
  const send = (body: { channel: 'email' | 'sms'; to?: string; preview?: boolean }, appointment = appointmentId) =>
    company.owner.post(`${company.base}/appointments/${appointment}/payment-link/send`, body);
  return { company, appointmentId, send };
}

async function linkSentCount(company: TestCompany) {
  const rows = await t.db
    .selectFrom('audit_log')
    .select('id')
    .where('company_id', '=', company.id)
    .where('action', '=', 'link.sent')
    .execute();
  return rows.length;
}

/**
 * Proof that a refused send sent nothing: a message sent afterwards by another company arrives,
 * and it is the only one since. The SMTP server and the stub record a message before they
 * answer, and the API answers after the gateway did, so the order of arrivals is the order of sends.
 */
async function onlyThisEmailArrivedSince(before: number) {
  const { send } = await readyCompany({ name: 'Witness Salon' });
  const witness = freshAddress('witness');
  const res = await send({ channel: 'email', to: witness });
  expect(res.status, res.text).toBe(200);
  expect(delivered.slice(before)).toEqual([witness]);
}

async function onlyThisSmsArrivedSince(before: number) {
  const { send } = await readyCompany({ name: 'Witness Salon' });
  const witness = freshPhone();
  const res = await send({ channel: 'sms', to: witness });
  expect(res.status, res.text).toBe(200);
  expect(twilio.messages.slice(before).map((m) => m.to)).toEqual([witness]);
}

describe('R38 sending quotas', () => {
  it('R38 refuses the email past the company’s daily quota with 429, naming the quota and when it resets, and sends nothing', async () => {
    clock.set('2031-03-10T10:00:00Z'); // 11:00 in Berlin: 13 hours to its midnight
    const { company, send } = await readyCompany();
    for (let i = 0; i < EMAIL_PER_DAY; i++) {
      const res = await send({ channel: 'email', to: freshAddress('daily') });
      expect(res.status, res.text).toBe(200);
    }
    const before = delivered.length;
    const refused = await send({ channel: 'email', to: freshAddress('daily') });
    expect(refused.status, refused.text).toBe(429);
    expect(refused.body.error).toMatchObject({
      code: 'send_quota_exceeded',
      quota: 'company_day',
      channel: 'email',
      limit: EMAIL_PER_DAY,
      retryAfter: 13 * 3600,
      resetsAt: '2031-03-10T23:00:00.000Z',
    });
    expect(refused.body.error.message).toBe(
      `the company's daily quota of ${EMAIL_PER_DAY} emails is used up; it resets at midnight (Europe/Berlin), in 13 h. Nothing was sent; copy the link into a message meanwhile`,
    );
    expect(refused.headers['retry-after']).toBe(String(13 * 3600));
    await onlyThisEmailArrivedSince(before);
    expect(await linkSentCount(company)).toBe(EMAIL_PER_DAY);
  });

  it('R38 a refused send writes nothing for it, not even the link a first send would make; the preview still answers', async () => {
    clock.set('2031-03-10T10:00:00Z');
    const { company, send } = await readyCompany();
    for (let i = 0; i < EMAIL_PER_DAY; i++)
      expect((await send({ channel: 'email', to: freshAddress('nolink') })).status).toBe(200);
    const other = await visitOn14March2031(t, company, {
      client: { name: 'Ben', email: freshAddress('ben'), phone: null },
    });
    const refused = await send({ channel: 'email' }, other);
    expect([refused.status, refused.body.error.code]).toEqual([429, 'send_quota_exceeded']);
    expect(await t.db.selectFrom('payment_links').select('id').where('appointment_id', '=', other).execute()).toEqual(
      [],
    );
    // a preview sends nothing, so it does not count and is not refused
    const preview = await send({ channel: 'email', preview: true }, other);
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body).toMatchObject({ sent: false, sentAt: null });
  });

  it('R38 counts each channel on its own: the third SMS is refused while email still goes', async () => {
    clock.set('2031-03-10T10:00:00Z');
    const { company, send } = await readyCompany();
    for (let i = 0; i < SMS_PER_DAY; i++) {
      const res = await send({ channel: 'sms', to: freshPhone() });
      expect(res.status, res.text).toBe(200);
    }
    const before = twilio.messages.length;
    const refused = await send({ channel: 'sms', to: freshPhone() });
    expect(refused.status, refused.text).toBe(429);
    expect(refused.body.error).toMatchObject({
      code: 'send_quota_exceeded',
      quota: 'company_day',
      channel: 'sms',
      limit: SMS_PER_DAY,
    });
    expect(refused.body.error.message).toContain(`daily quota of ${SMS_PER_DAY} SMS is used up`);
    await onlyThisSmsArrivedSince(before);
    expect((await send({ channel: 'email', to: freshAddress('other-channel') })).status).toBe(200);
    expect(await linkSentCount(company)).toBe(SMS_PER_DAY + 1);
  });

  it('R38 limits one recipient per hour across companies (the same mailbox in any spelling), until the hour turns', async () => {
    clock.set('2031-03-10T10:20:00Z');
    const first = await readyCompany();
    const second = await readyCompany();
    const victim = freshAddress('victim');
    expect((await first.send({ channel: 'email', to: victim })).status).toBe(200);
    expect((await first.send({ channel: 'email', to: victim.replace('@', '+again@') })).status).toBe(200);

    const before = delivered.length;
    const refused = await second.send({ channel: 'email', to: victim.toUpperCase() });
    expect(refused.status, refused.text).toBe(429);
    expect(refused.body.error).toMatchObject({
      code: 'send_quota_exceeded',
      quota: 'recipient_hour',
      channel: 'email',
      limit: PER_RECIPIENT_PER_HOUR,
      retryAfter: 40 * 60,
    });
    expect(refused.body.error.message).toBe(
      `this recipient has already been sent ${PER_RECIPIENT_PER_HOUR} messages within the hour, the most one recipient may get; try again in 40 min. Nothing was sent`,
    );
    expect(refused.text).not.toContain(victim.split('@')[0]);
    await onlyThisEmailArrivedSince(before);

    clock.set('2031-03-10T11:00:00Z');
    const next = await second.send({ channel: 'email', to: victim });
    expect(next.status, next.text).toBe(200);
  });

  it('R38 takes every quota of a send or none: a send the recipient’s quota refuses takes no unit of the company’s', async () => {
    clock.set('2031-03-10T10:00:00Z');
    // `take` alone, as when two sends pass the early check together and the second loses at the counter
    const quotas = new SendQuotas({
      db: t.db,
      clock,
      limits: { perCompanyDay: { email: 5, sms: 5, whatsapp: 5 }, perRecipientHour: 1 },
      secretKey: TEST_SECRET_KEY,
    });
    const [first, second] = [await t.newCompany(), await t.newCompany()];
    const recipient = freshAddress('all-or-none');
    await quotas.take({ companyId: first.id, timezone: 'Europe/Berlin', channel: 'email', recipient });
    const refusal = await quotas
      .take({ companyId: second.id, timezone: 'Europe/Berlin', channel: 'email', recipient })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ code: 'send_quota_exceeded', details: { quota: 'recipient_hour' } });
    const used = await t.db
      .selectFrom('send_quota_counters')
      .select(['subject', 'used'])
      .where('subject', 'in', [`${first.id}:email`, `${second.id}:email`])
      .execute();
    expect(used).toEqual([{ subject: `${first.id}:email`, used: 1 }]);
  });

  it('R38 one phone is one recipient across SMS and WhatsApp: its hourly quota is shared, email keeps its own', async () => {
    clock.set('2031-03-10T10:00:00Z');
    expect(recipientIdentity('whatsapp', '+491701234567')).toBe(recipientIdentity('sms', '+491701234567'));
    const quotas = new SendQuotas({
      db: t.db,
      clock,
      limits: { perCompanyDay: { email: 0, sms: 0, whatsapp: 0 }, perRecipientHour: 2 },
      secretKey: TEST_SECRET_KEY,
    });
    const company = await t.newCompany();
    const phone = `+4917${String(Date.now()).slice(-9)}`;
    const send = (channel: 'sms' | 'whatsapp' | 'email', recipient = phone) =>
      quotas.take({ companyId: company.id, timezone: 'Europe/Berlin', channel, recipient }).then(
        () => 'sent',
        (error: unknown) => (error instanceof DomainError ? `${error.code}:${String(error.details.quota)}` : error),
      );
    expect(await send('sms')).toBe('sent');
    expect(await send('whatsapp')).toBe('sent');
    expect(await send('whatsapp')).toBe('send_quota_exceeded:recipient_hour');
    expect(await send('sms')).toBe('send_quota_exceeded:recipient_hour');
    expect(await send('email', freshAddress('phone-shared'))).toBe('sent');
  });

  it('R38 the company’s day turns at midnight in its own time zone, not in UTC', async () => {
    clock.set('2031-03-10T14:58:30Z'); // 23:58:30 in Tokyo (UTC+9)
    const { send } = await readyCompany({ timezone: 'Asia/Tokyo' });
    for (let i = 0; i < EMAIL_PER_DAY; i++)
      expect((await send({ channel: 'email', to: freshAddress('tokyo') })).status).toBe(200);
    const refused = await send({ channel: 'email', to: freshAddress('tokyo') });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({
      quota: 'company_day',
      retryAfter: 90,
      resetsAt: '2031-03-10T15:00:00.000Z',
    });
    expect(refused.body.error.message).toContain('resets at midnight (Asia/Tokyo), in 2 min');

    clock.set('2031-03-10T15:00:00Z'); // midnight in Tokyo, still 10 March in UTC
    for (let i = 0; i < EMAIL_PER_DAY; i++)
      expect((await send({ channel: 'email', to: freshAddress('tokyo') })).status).toBe(200);
    expect((await send({ channel: 'email', to: freshAddress('tokyo') })).status).toBe(429);
  });

  it('R38 a send the gateway refused still counts, and the counters hold no address or number', async () => {
    clock.set('2031-03-10T10:00:00Z');
    const { company, send } = await readyCompany();
    const phone = freshPhone();
    twilio.failNext(500);
    const failedSms = await send({ channel: 'sms', to: phone });
    expect([failedSms.status, failedSms.body.error.code]).toEqual([502, 'sms_send_failed']);
    const failedEmail = await send({ channel: 'email', to: REFUSED });
    expect([failedEmail.status, failedEmail.body.error.code]).toEqual([502, 'email_send_failed']);
    expect(await linkSentCount(company)).toBe(0);

    const mine = await t.db
      .selectFrom('send_quota_counters')
      .select(['subject', 'used'])
      .where('subject', 'in', [`${company.id}:sms`, `${company.id}:email`])
      .orderBy('subject')
      .execute();
    expect(mine).toEqual([
      { subject: `${company.id}:email`, used: 1 },
      { subject: `${company.id}:sms`, used: 1 },
    ]);
    const everything = JSON.stringify(await t.db.selectFrom('send_quota_counters').selectAll().execute());
    expect(everything).not.toContain(phone.slice(1));
    expect(everything).not.toContain('bounce');
    expect(everything).not.toContain('example.test');
  });

  it('R38 the quota settings take 0 (off) or a positive integer, with defaults of 500 emails and 200 SMS a day and 5 per recipient an hour', () => {
    const defaults = loadConfig({});
    expect([
      defaults.VISITPAY_SEND_QUOTA_EMAIL_PER_DAY,
      defaults.VISITPAY_SEND_QUOTA_SMS_PER_DAY,
      defaults.VISITPAY_SEND_QUOTA_PER_RECIPIENT_PER_HOUR,
    ]).toEqual([500, 200, 5]);
    expect(loadConfig({ VISITPAY_SEND_QUOTA_SMS_PER_DAY: '0' }).VISITPAY_SEND_QUOTA_SMS_PER_DAY).toBe(0);
    for (const bad of ['-1', '2.5', 'many']) {
      expect(() => loadConfig({ VISITPAY_SEND_QUOTA_EMAIL_PER_DAY: bad })).toThrow(ConfigError);
    }
    expect(() => loadConfig({ VISITPAY_SEND_QUOTA_PER_RECIPIENT_PER_HOUR: 'x' })).toThrow(
      /VISITPAY_SEND_QUOTA_PER_RECIPIENT_PER_HOUR/,
    );
  });
});

describe('R38 quota windows and recipients (pure)', () => {
  it('R38 a company’s day runs from its own midnight to the next, 23 hours on the day clocks go forward', () => {
    expect(companyDayWindow(new Date('2031-03-30T12:00:00Z'), 'Europe/Berlin')).toEqual({
      day: '2031-03-30',
      start: new Date('2031-03-29T23:00:00Z'),
      resetsAt: new Date('2031-03-30T22:00:00Z'),
    });
    expect(companyDayWindow(new Date('2031-03-10T23:30:00Z'), 'America/New_York').day).toBe('2031-03-10');
  });

  it('R38 the per-recipient window is the clock hour; one mailbox is one recipient whatever its case or +tag', () => {
    expect(hourWindow(new Date('2031-03-10T10:59:59.999Z'))).toEqual({
      start: new Date('2031-03-10T10:00:00Z'),
      resetsAt: new Date('2031-03-10T11:00:00Z'),
    });
    expect(recipientIdentity('email', ' Anna+Salon@Example.TEST ')).toBe('email:anna@example.test');
    expect(recipientIdentity('email', 'anna@example.test')).toBe('email:anna@example.test');
    expect(recipientIdentity('sms', '+491701234567')).toBe('phone:+491701234567');
    expect([describeWait(40), describeWait(60), describeWait(61), describeWait(7200), describeWait(7260)]).toEqual([
      '40 s',
      '1 min',
      '2 min',
      '2 h',
      '2 h 1 min',
    ]);
  });
});

/**
 * The quotas hold for the whole installation: two `npm start` processes on one database, each
 * taking half of ten concurrent sends. Each process answers only after the gateway did, so once
 * all ten answers are in, everything that was going to be sent has arrived.
 */
describe('R38 sending quotas across two server processes', () => {
  const adminUrl = inject('adminDatabaseUrl');
  let databaseUrl = '';
  let dataDir = '';
  let servers: ServerProcess[] = [];
  let owners: OwnerSession[] = [];
  let appointmentId = '';

  beforeAll(async () => {
    databaseUrl = await createScratchDatabase(adminUrl, `vp_quota_${inject('runId')}`);
    dataDir = await mkdtemp(path.join(tmpdir(), 'visitpay-quota-'));
    await chmod(dataDir, 0o755);
    const env = processEnv({
      DATABASE_URL: databaseUrl,
      VISITPAY_DATA_DIR: dataDir,
      SMTP_URL: smtpUrl,
      TWILIO_ACCOUNT_SID: ACCOUNT.sid,
      TWILIO_AUTH_TOKEN: ACCOUNT.token,
      TWILIO_FROM: '+15005550006',
      VISITPAY_TWILIO_API_URL: twilio.url,
      VISITPAY_SEND_QUOTA_EMAIL_PER_DAY: '3',
      // no daily SMS quota: only the per-recipient counter referees the SMS test
      VISITPAY_SEND_QUOTA_SMS_PER_DAY: '0',
      VISITPAY_SEND_QUOTA_PER_RECIPIENT_PER_HOUR: '2',
    });
    servers = await Promise.all([startServer(env), startServer(env)]);
    owners = await Promise.all(servers.map((server) => ownerSession(server.url)));
    await connectSandboxOf(owners[0]!);
    ({ appointmentId } = await appointmentWithLink(owners[0]!));
  }, 120_000);

  afterAll(async () => {
    for (const server of servers) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    }
    if (databaseUrl) await dropScratchDatabase(adminUrl, databaseUrl).catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /**
   * Ten sends at once, alternating between the two processes. Not in the last seconds of a clock
   * hour (the processes keep real time): sends on both sides of the turn would count in two windows.
   */
  const tenSends = async (body: (k: number) => { channel: 'email' | 'sms'; to: string }) => {
    const intoHour = Date.now() % 3_600_000;
    if (intoHour > 3_600_000 - 5_000) await new Promise((resolve) => setTimeout(resolve, 3_600_000 - intoHour + 100));
    return Promise.all(
      Array.from({ length: 10 }, (_, k) =>
        owners[k % 2]!.post(`/appointments/${appointmentId}/payment-link/send`, body(k)),
      ),
    );
  };

  it('R38 ten concurrent emails over both processes against a daily quota of 3: exactly 3 sent, 7 refused with 429', async () => {
    const addresses = Array.from({ length: 10 }, () => freshAddress('two-processes'));
    const answers = await tenSends((k) => ({ channel: 'email', to: addresses[k]! }));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(3);
    const refused = answers.filter((r) => r.status !== 200);
    expect(refused.map((r) => [r.status, r.body?.error?.code, r.body?.error?.quota])).toEqual(
      Array(7).fill([429, 'send_quota_exceeded', 'company_day']),
    );
    expect(delivered.filter((to) => addresses.includes(to))).toHaveLength(3);
  }, 60_000);

  it('R38 ten concurrent SMS to one number over both processes against 2 per recipient an hour: exactly 2 sent', async () => {
    const phone = freshPhone();
    const answers = await tenSends(() => ({ channel: 'sms', to: phone }));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(2);
    const refused = answers.filter((r) => r.status !== 200);
    expect(refused.map((r) => [r.status, r.body?.error?.code, r.body?.error?.quota])).toEqual(
      Array(8).fill([429, 'send_quota_exceeded', 'recipient_hour']),
    );
    expect(twilio.messages.filter((m) => m.to === phone)).toHaveLength(2);
  }, 60_000);
});
