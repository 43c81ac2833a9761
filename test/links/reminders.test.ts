import { sql } from 'kysely';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { connectSandbox, copyLink, pressPay, visitOn14March2031 } from '../helpers/links.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import { startTwilioStub } from '../stubs/twilio-stub.js';

/**
 * R35 automatic reminders, sent by SMS through a local server speaking Twilio's Messages API.
 * The visit is on 14 March 2031 at 09:30 UTC (10:30 in Berlin); links are sent on 12 March at
 * 10:00 UTC (11:00 in Berlin): the default plan is 13 March 10:00 UTC (24 h after sending) and
 * 14 March 06:30 UTC (3 h before), which is 07:30 in Berlin, inside quiet hours, so 08:00 UTC.
 */
const ACCOUNT = { sid: `AC${'0123456789abcdef'.repeat(2)}`, token: 'twilio-auth-token-0123456789' };
const twilio = await startTwilioStub(ACCOUNT);
afterAll(() => twilio.close());

const t = await createTestApp({
  clock: new ManualClock('2031-03-12T10:00:00Z'),
  env: {
    TWILIO_ACCOUNT_SID: ACCOUNT.sid,
    TWILIO_AUTH_TOKEN: ACCOUNT.token,
    TWILIO_FROM: '+15005550006',
    VISITPAY_TWILIO_API_URL: twilio.url,
    VISITPAY_SEND_QUOTA_PER_RECIPIENT_PER_HOUR: '2',
  },
});

const SENT_AT = '2031-03-12T10:00:00.000Z';
const FIRST = '2031-03-13T10:00:00.000Z';
const SECOND = '2031-03-14T08:00:00.000Z';

let phones = 10;
const nextPhone = () => `+4917012345${String(phones++).padStart(2, '0')}`;

async function company(settings: Record<string, unknown> = { enabled: true }) {
  const c = await t.newCompany({ name: 'Studio Nord' });
  await connectSandbox(c);
  const res = await c.owner.put(`${c.base}/settings/reminders`, settings);
  expect(res.status, res.text).toBe(200);
  return c;
}

/** A visit whose link was sent by SMS at SENT_AT; answers the appointment and the number. */
async function sentVisit(c: TestCompany) {
  t.clock.set(SENT_AT);
  const phone = nextPhone();
  const id = await visitOn14March2031(t, c, { price: 4_500, client: { name: 'Anna Smith', phone, email: null } });
  const sent = await c.owner.post(`${c.base}/appointments/${id}/payment-link/send`, { channel: 'sms' });
  expect(sent.status, sent.text).toBe(200);
  return { id, phone };
}

const remindersOf = (appointmentId: string) =>
  t.db
    .selectFrom('link_reminders')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .orderBy('created_at')
    .orderBy('seq')
    .execute();

const smsTo = (phone: string) => twilio.messages.filter((m) => m.to === phone);

async function auditOf(appointmentId: string, action: string) {
  return t.db
    .selectFrom('audit_log')
    .select(['details', 'actor_type'])
    .where('appointment_id', '=', appointmentId)
    .where('action', '=', action)
    .orderBy('id')
    .execute();
}

async function windowOf(c: TestCompany, appointmentId: string) {
  const res = await c.owner.get(`${c.base}/appointments/${appointmentId}`);
  expect(res.status, res.text).toBe(200);
  return res.body.linkReminders as { nextAt: string | null; nextChannel: string | null; sent: number } | null;
}

/** Runs the job at `at` (it answers how many reminders it looked at). */
async function runAt(at: string) {
  t.clock.set(at);
  return t.services.linkReminders.processDue();
}

describe('R35 reminder setting', () => {
  it('R35 is off by default with 24 h after sending, 3 h before the visit, 2 at most, quiet 21:00–09:00', async () => {
    const c = await t.newCompany();
    const res = await c.owner.get(`${c.base}/settings/reminders`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      enabled: false,
      offsets: [
        { anchor: 'after_sending', minutes: 1440 },
        { anchor: 'before_visit', minutes: 180 },
      ],
      maxCount: 2,
      quietHours: { from: '21:00', to: '09:00' },
    });
  });

  it('R35 refuses a bad setting with the field, writing nothing, and audits a change', async () => {
    const c = await t.newCompany();
    const base = `${c.base}/settings/reminders`;
    const bad = [
      [{ quietHours: { from: '25:00', to: '09:00' } }, 'quietHours.from'],
      [{ maxCount: 0 }, 'maxCount'],
      [{ offsets: [{ anchor: 'after_sending', minutes: 0 }] }, 'offsets.0.minutes'],
      [{ offsets: [{ anchor: 'whenever', minutes: 60 }] }, 'offsets.0.anchor'],
      [{ enabled: true, offsets: [] }, 'offsets'],
      [
        {
          offsets: [
            { anchor: 'before_visit', minutes: 60 },
            { anchor: 'before_visit', minutes: 60 },
          ],
        },
        'offsets.1',
      ],
    ] as const;
    for (const [body, field] of bad) {
      const res = await c.owner.put(base, body);
      expect(res.status, res.text).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.field, res.text).toBe(field);
    }
    expect((await c.owner.get(base)).body.enabled).toBe(false);
    expect(await t.db.selectFrom('reminder_settings').selectAll().where('company_id', '=', c.id).execute()).toEqual([]);

    const ok = await c.owner.put(base, { enabled: true, maxCount: 1, quietHours: { from: '22:00', to: '08:30' } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ enabled: true, maxCount: 1, quietHours: { from: '22:00', to: '08:30' } });
    const entries = await t.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('company_id', '=', c.id)
      .where('action', '=', 'settings.reminders_changed')
      .execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.details).toEqual({
      enabled: { from: false, to: true },
      maxCount: { from: 2, to: 1 },
      quietHours: { from: '21:00–09:00', to: '22:00–08:30' },
    });
  });

  it('R35 the setting needs finance.settings; another company’s is 404', async () => {
    const c = await t.newCompany();
    const staff = await t.newUser(c.id, 'custom', ['cashless_payment', 'appointments.read']);
    expect((await staff.api.get(`${c.base}/settings/reminders`)).status).toBe(403);
    expect((await staff.api.put(`${c.base}/settings/reminders`, { enabled: true })).status).toBe(403);
    const other = await t.newCompany();
    expect((await other.owner.put(`${c.base}/settings/reminders`, { enabled: true })).status).toBe(404);
  });
});

describe('R35 automatic reminders', () => {
  it('R35 plans reminders when the link is sent: quiet hours move them, the window shows the next', async () => {
    const c = await company();
    const { id, phone } = await sentVisit(c);
    const rows = await remindersOf(id);
    expect(rows.map((r) => [r.seq, r.send_at.toISOString(), r.channel, r.recipient, r.status])).toEqual([
      [1, FIRST, 'sms', phone, 'scheduled'],
      [2, SECOND, 'sms', phone, 'scheduled'],
    ]);
    expect(await windowOf(c, id)).toEqual({ nextAt: FIRST, nextChannel: 'sms', sent: 0 });
  });

  it('R35 sends a due reminder once by the link’s channel, audited with the number masked', async () => {
    const c = await company();
    const { id, phone } = await sentVisit(c);
    expect(await runAt('2031-03-13T09:59:00Z')).toBe(0);
    expect(smsTo(phone)).toHaveLength(1);
    await runAt(FIRST);
    const sms = smsTo(phone);
    expect(sms).toHaveLength(2);
    const link = (await c.owner.get(`${c.base}/appointments/${id}/payment-link`)).body;
    expect(sms[1]!.body).toBe(
      `Studio Nord: reminder, €45.00 still to pay for your visit on 14 Mar, 10:30. Pay here: ${link.url}`,
    );
    const entries = await auditOf(id, 'link.reminder_sent');
    expect(entries).toEqual([
      { actor_type: 'system', details: { channel: 'sms', to: `+49${'*'.repeat(8)}${phone.slice(-2)}`, reminder: 1 } },
    ]);
    expect(await windowOf(c, id)).toEqual({ nextAt: SECOND, nextChannel: 'sms', sent: 1 });
    await runAt(FIRST);
    expect(smsTo(phone)).toHaveLength(2);
  });

  it('R35 R37 a reminder is written with the company’s own reminder template', async () => {
    const c = await company();
    const saved = await c.owner.put(`${c.base}/settings/messages/sms/reminder/en`, {
      text: 'Hi {clientFirstName}, still {amount} open with {companyName}: {link}',
    });
    expect(saved.status, saved.text).toBe(200);
    const { id, phone } = await sentVisit(c);
    await runAt(FIRST);
    const link = (await c.owner.get(`${c.base}/appointments/${id}/payment-link`)).body;
    expect(smsTo(phone).map((m) => m.body)[1]).toBe(`Hi Anna, still €45.00 open with Studio Nord: ${link.url}`);
  });

  it('R35 a new send replaces the plan', async () => {
    const c = await company();
    const { id } = await sentVisit(c);
    t.clock.set('2031-03-12T12:00:00Z');
    const again = await c.owner.post(`${c.base}/appointments/${id}/payment-link/send`, { channel: 'sms' });
    expect(again.status, again.text).toBe(200);
    const rows = await remindersOf(id);
    expect(rows.map((r) => [r.status, r.reason, r.send_at.toISOString()])).toEqual([
      ['cancelled', 'replaced', FIRST],
      ['cancelled', 'replaced', SECOND],
      ['scheduled', null, '2031-03-13T12:00:00.000Z'],
      ['scheduled', null, SECOND],
    ]);
  });

  it('R35 no reminder when paid (Cal.com #11272): a desk payment of what is due ends the plan', async () => {
    const c = await company();
    const { id, phone } = await sentVisit(c);
    const paid = await c.owner.post(`${c.base}/appointments/${id}/payments`, { method: 'cash', amount: 4_500 });
    expect(paid.status, paid.text).toBe(201);
    await runAt(FIRST);
    await runAt(SECOND);
    expect(smsTo(phone)).toHaveLength(1);
    expect((await remindersOf(id)).map((r) => [r.status, r.reason])).toEqual([
      ['skipped', 'paid'],
      ['skipped', 'paid'],
    ]);
    expect(await auditOf(id, 'link.reminder_sent')).toEqual([]);
  });

  it('R35 no reminder when paid right while the reminder job runs: the job waits for the payment and sees it', async () => {
    const c = await company();
    const { id, phone } = await sentVisit(c);
    t.clock.set(FIRST);
    let job: Promise<number> | undefined;
    // The payment's transaction holds the appointment's row lock, as every payment does, while the job starts.
    await t.db.transaction().execute(async (tx) => {
      await sql`SELECT id FROM appointments WHERE id = ${id} FOR UPDATE`.execute(tx);
      job = t.services.linkReminders.processDue();
      await waitForLockWaiter();
      await tx
        .insertInto('payments')
        .values({
          id: newId('payment'),
          company_id: c.id,
          appointment_id: id,
          method: 'cash',
          amount: 4_500,
          currency: 'EUR',
          paid_at: t.clock.now(),
          actor_type: 'user',
          actor_id: c.ownerId,
          refund_of: null,
          idempotency_key: null,
          request_hash: null,
          voided_at: null,
          voided_by: null,
          created_at: t.clock.now(),
        })
        .execute();
    });
    expect(await job).toBe(1);
    expect(smsTo(phone)).toHaveLength(1);
    expect((await remindersOf(id))[0]).toMatchObject({ status: 'skipped', reason: 'paid' });
  });

  it('R35 no reminder for a disabled link', async () => {
    const c = await company();
    const { id, phone } = await sentVisit(c);
    const disabled = await c.owner.delete(`${c.base}/appointments/${id}/payment-link`);
    expect(disabled.status, disabled.text).toBe(200);
    expect((await windowOf(c, id))?.nextAt).toBeNull();
    await runAt(FIRST);
    expect(smsTo(phone)).toHaveLength(1);
    expect((await remindersOf(id))[0]).toMatchObject({ status: 'skipped', reason: 'link_disabled' });
  });

  it('R35 no reminder for a cancelled appointment', async () => {
    const c = await company();
    const { id, phone } = await sentVisit(c);
    const cancelled = await c.owner.patch(`${c.base}/appointments/${id}`, { status: 'cancelled' });
    expect(cancelled.status, cancelled.text).toBe(200);
    await runAt(FIRST);
    expect(smsTo(phone)).toHaveLength(1);
    expect((await remindersOf(id))[0]).toMatchObject({ status: 'skipped', reason: 'appointment_cancelled' });
  });

  it('R35 a pending attempt postpones the reminder (not dropped); it goes out once the attempt ends unpaid', async () => {
    const c = await company();
    const { id, phone } = await sentVisit(c);
    const link = await copyLink(c, id);
    t.clock.set('2031-03-13T09:55:00Z');
    const pay = await pressPay(t, link.token);
    expect(pay.status, pay.body).toBe(303);
    await runAt(FIRST);
    expect(smsTo(phone)).toHaveLength(1);
    const [first] = await remindersOf(id);
    expect(first).toMatchObject({ status: 'scheduled', reason: 'attempt_pending' });
    expect(first!.send_at.toISOString()).toBe('2031-03-13T10:15:00.000Z');
    const cancelled = await c.owner.post(`${c.base}/appointments/${id}/payment-link/cancel-attempt`, {});
    expect(cancelled.status, cancelled.text).toBe(200);
    await runAt('2031-03-13T10:15:00Z');
    expect(smsTo(phone)).toHaveLength(2);
    expect((await remindersOf(id))[0]).toMatchObject({ status: 'sent' });
  });

  it('R35 never in quiet hours: a reminder due at night waits for their end', async () => {
    const c = await company({ enabled: true, offsets: [{ anchor: 'after_sending', minutes: 12 * 60 }] });
    const { id, phone } = await sentVisit(c);
    // 12 h after 11:00 in Berlin is 23:00: moved to 09:00 the next morning (08:00 UTC)
    expect((await remindersOf(id)).map((r) => r.send_at.toISOString())).toEqual(['2031-03-13T08:00:00.000Z']);
    // Quiet hours set wider after the plan: the job holds the reminder until they end.
    const wider = await c.owner.put(`${c.base}/settings/reminders`, { quietHours: { from: '20:00', to: '10:00' } });
    expect(wider.status, wider.text).toBe(200);
    await runAt('2031-03-13T08:00:00Z');
    expect(smsTo(phone)).toHaveLength(1);
    const [row] = await remindersOf(id);
    expect(row).toMatchObject({ status: 'scheduled', reason: 'quiet_hours' });
    expect(row!.send_at.toISOString()).toBe('2031-03-13T09:00:00.000Z');
    await runAt('2031-03-13T09:00:00Z');
    expect(smsTo(phone)).toHaveLength(2);
  });

  it('R35 never more than the maximum, and never after the visit', async () => {
    const c = await company({
      enabled: true,
      maxCount: 2,
      offsets: [
        { anchor: 'after_sending', minutes: 60 },
        { anchor: 'after_sending', minutes: 120 },
        { anchor: 'after_sending', minutes: 180 },
        { anchor: 'after_sending', minutes: 5 * 24 * 60 },
      ],
    });
    const { id } = await sentVisit(c);
    expect((await remindersOf(id)).map((r) => r.send_at.toISOString())).toEqual([
      '2031-03-12T11:00:00.000Z',
      '2031-03-12T12:00:00.000Z',
    ]);
  });

  it('R35 no reminder once the setting is turned off', async () => {
    const c = await company();
    const { id, phone } = await sentVisit(c);
    const off = await c.owner.put(`${c.base}/settings/reminders`, { enabled: false });
    expect(off.status, off.text).toBe(200);
    await runAt(FIRST);
    expect(smsTo(phone)).toHaveLength(1);
    expect((await remindersOf(id))[0]).toMatchObject({ status: 'skipped', reason: 'reminders_off' });
  });

  it('R35 nothing is planned while the setting is off', async () => {
    const c = await company({ enabled: false });
    const { id } = await sentVisit(c);
    expect(await remindersOf(id)).toEqual([]);
    expect(await windowOf(c, id)).toEqual({ nextAt: null, nextChannel: null, sent: 0 });
  });

  it('R35 stop reminders: staff with cashless_payment stop the plan, audited; nothing goes out', async () => {
    const c = await company();
    const { id, phone } = await sentVisit(c);
    const reader = await t.newUser(c.id, 'custom', ['appointments.read']);
    const path = `${c.base}/appointments/${id}/payment-link/reminders/stop`;
    expect((await reader.api.post(path, {})).status).toBe(403);
    const other = await t.newCompany();
    expect((await other.owner.post(`${other.base}/appointments/${id}/payment-link/reminders/stop`, {})).status).toBe(
      404,
    );
    const sender = await t.newUser(c.id, 'custom', ['cashless_payment', 'appointments.read']);
    const stopped = await sender.api.post(path, {});
    expect(stopped.status, stopped.text).toBe(200);
    expect(stopped.body).toEqual({ stopped: 2 });
    expect(await windowOf(c, id)).toEqual({ nextAt: null, nextChannel: null, sent: 0 });
    const entries = await t.db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('appointment_id', '=', id)
      .where('action', '=', 'link.reminders_stopped')
      .execute();
    expect(entries).toEqual([{ actor_id: sender.id, details: { cancelled: 2 } }]);
    await runAt(FIRST);
    await runAt(SECOND);
    expect(smsTo(phone)).toHaveLength(1);
  });

  it('R35 R38 a reminder past the quota is put off to the quota’s reset, not lost, not doubled', async () => {
    const c = await company({ enabled: true, offsets: [{ anchor: 'after_sending', minutes: 30 }] });
    const { id, phone } = await sentVisit(c);
    // a second send to the same number uses up its 2 messages of the hour (and plans anew)
    t.clock.set('2031-03-12T10:10:00Z');
    const again = await c.owner.post(`${c.base}/appointments/${id}/payment-link/send`, { channel: 'sms' });
    expect(again.status, again.text).toBe(200);
    expect(smsTo(phone)).toHaveLength(2);
    await runAt('2031-03-12T10:40:00Z');
    expect(smsTo(phone)).toHaveLength(2);
    const row = (await remindersOf(id)).find((r) => r.status === 'scheduled');
    expect(row).toMatchObject({ reason: 'send_quota_exceeded' });
    // the recipient's hour resets at 11:00
    expect(row!.send_at.toISOString()).toBe('2031-03-12T11:00:00.000Z');
    await runAt('2031-03-12T11:00:00Z');
    await runAt('2031-03-12T11:05:00Z');
    expect(smsTo(phone)).toHaveLength(3);
    expect(await auditOf(id, 'link.reminder_sent')).toHaveLength(1);
    expect(await windowOf(c, id)).toEqual({ nextAt: null, nextChannel: null, sent: 1 });
  });

  it('R35 two job runners racing send each reminder once', async () => {
    const c = await company({ enabled: true, offsets: [{ anchor: 'after_sending', minutes: 60 }] });
    const visits = [];
    for (let i = 0; i < 3; i++) visits.push(await sentVisit(c));
    t.clock.set('2031-03-12T11:00:00Z');
    const other = t.services.linkReminders;
    await Promise.all([other.processDue(), other.processDue(), t.jobs.drain(), other.processDue()]);
    for (const v of visits) {
      expect(smsTo(v.phone)).toHaveLength(2);
      expect(await auditOf(v.id, 'link.reminder_sent')).toHaveLength(1);
    }
  });

  it('R35 at-most-once: a reminder left `sending` by a crash is never sent again', async () => {
    const c = await company({ enabled: true, offsets: [{ anchor: 'after_sending', minutes: 60 }] });
    const { id, phone } = await sentVisit(c);
    await t.db.updateTable('link_reminders').set({ status: 'sending' }).where('appointment_id', '=', id).execute();
    await runAt('2031-03-12T11:00:00Z');
    await runAt('2031-03-12T13:00:00Z');
    expect(smsTo(phone)).toHaveLength(1);
    expect(await windowOf(c, id)).toEqual({ nextAt: null, nextChannel: null, sent: 1 });
  });
});

describe('R35 reminders: review fixes', () => {
  it('R35 a reminder that cannot be written fails, audited, and is not left `sending` nor counted as sent', async () => {
    const c = await company({ enabled: true, offsets: [{ anchor: 'after_sending', minutes: 60 }] });
    const { id, phone } = await sentVisit(c);
    // A currency Intl cannot format makes writing the amount throw.
    await sql`UPDATE companies SET currency = 'X1Y' WHERE id = ${c.id}`.execute(t.db);
    try {
      await runAt('2031-03-12T11:00:00Z');
    } finally {
      await sql`UPDATE companies SET currency = 'EUR' WHERE id = ${c.id}`.execute(t.db);
    }
    expect(smsTo(phone)).toHaveLength(1);
    expect((await remindersOf(id)).map((r) => r.status)).toEqual(['failed']);
    expect(await auditOf(id, 'link.reminder_failed')).toHaveLength(1);
    expect(await windowOf(c, id)).toEqual({ nextAt: null, nextChannel: null, sent: 0 });
  });

  it('R35 a "before the visit" reminder follows a moved appointment, out of quiet hours', async () => {
    const c = await company();
    const { id, phone } = await sentVisit(c);
    // A day later: 3 h before 15 March 09:30 UTC is 07:30 in Berlin, in quiet hours, so 08:00 UTC.
    t.clock.set('2031-03-12T12:00:00Z');
    const later = await c.owner.patch(`${c.base}/appointments/${id}`, { startsAt: '2031-03-15T09:30:00Z' });
    expect(later.status, later.text).toBe(200);
    expect((await remindersOf(id)).map((r) => r.send_at.toISOString())).toEqual([FIRST, '2031-03-15T08:00:00.000Z']);
    await runAt(FIRST);
    await runAt(SECOND);
    expect(smsTo(phone)).toHaveLength(2);
    await runAt('2031-03-15T08:00:00Z');
    expect(smsTo(phone)).toHaveLength(3);
    expect((await auditOf(id, 'link.reminder_sent')).map((e) => (e.details as { reminder: number }).reminder)).toEqual([
      1, 2,
    ]);

    // Earlier: 3 h before 13 March 15:00 UTC (16:00 in Berlin) is 12:00 UTC.
    const other = await sentVisit(c);
    t.clock.set('2031-03-12T12:00:00Z');
    const earlier = await c.owner.patch(`${c.base}/appointments/${other.id}`, { startsAt: '2031-03-13T15:00:00Z' });
    expect(earlier.status, earlier.text).toBe(200);
    expect((await remindersOf(other.id)).map((r) => r.send_at.toISOString())).toEqual([
      FIRST,
      '2031-03-13T12:00:00.000Z',
    ]);

    // A visit moved without the plan being touched: the job works the time out again from the current start.
    const third = await sentVisit(c);
    await sql`UPDATE appointments SET starts_at = '2031-03-15T09:30:00Z' WHERE id = ${third.id}`.execute(t.db);
    await runAt(SECOND);
    expect(smsTo(third.phone)).toHaveLength(2);
    const [, second] = await remindersOf(third.id);
    expect(second).toMatchObject({ status: 'scheduled', reason: 'visit_moved' });
    expect(second!.send_at.toISOString()).toBe('2031-03-15T08:00:00.000Z');
  });

  it('R35 at most N reminders per link, however often the link is sent', async () => {
    const c = await company({ enabled: true, maxCount: 1, offsets: [{ anchor: 'after_sending', minutes: 60 }] });
    const { id, phone } = await sentVisit(c);
    await runAt('2031-03-12T11:00:00Z');
    expect(smsTo(phone)).toHaveLength(2);
    for (const at of ['2031-03-12T12:00:00Z', '2031-03-12T14:00:00Z']) {
      t.clock.set(at);
      const again = await c.owner.post(`${c.base}/appointments/${id}/payment-link/send`, { channel: 'sms' });
      expect(again.status, again.text).toBe(200);
    }
    await runAt('2031-03-12T16:00:00Z');
    // the first send, its one reminder, two sends more
    expect(smsTo(phone)).toHaveLength(4);
    expect(await auditOf(id, 'link.reminder_sent')).toHaveLength(1);
    expect((await remindersOf(id)).filter((r) => r.status === 'scheduled')).toEqual([]);
  });

  it('R35 a payment committed after the decision, before the gateway call, gets no reminder', async () => {
    const c = await company({ enabled: true, offsets: [{ anchor: 'after_sending', minutes: 60 }] });
    const { id, phone } = await sentVisit(c);
    const reminders = t.services.linkReminders as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const recheck = reminders.recheck!;
    const spy = vi.spyOn(reminders, 'recheck').mockImplementation(async function (this: unknown, ...args) {
      const paid = await c.owner.post(`${c.base}/appointments/${id}/payments`, { method: 'cash', amount: 4_500 });
      expect(paid.status, paid.text).toBe(201);
      return recheck.apply(this, args);
    });
    try {
      await runAt('2031-03-12T11:00:00Z');
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    expect(smsTo(phone)).toHaveLength(1);
    expect((await remindersOf(id)).map((r) => [r.status, r.reason])).toEqual([['skipped', 'paid']]);
    expect(await auditOf(id, 'link.reminder_sent')).toEqual([]);
  });
});

/** Resolves once another connection waits for a row lock (the job, blocked on the appointment). */
async function waitForLockWaiter(): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(t.db);
    if (rows[0]!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the job never waited for the appointment');
}
