import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { connectSandbox, visitOn14March2031 } from '../helpers/links.js';
import { startMailCatcher } from '../helpers/mail-catcher.js';
import { createTestApp } from '../helpers/test-app.js';

/** R35 by email: a reminder of a link sent by email goes to that address, through a real SMTP server on a local port. */
const { arrived, smtpUrl, close } = await startMailCatcher();
afterAll(close);

const t = await createTestApp({
  clock: new ManualClock('2031-03-12T10:00:00Z'),
  env: { SMTP_URL: smtpUrl },
});

describe('R35 reminders by email', () => {
  it('R35 a link sent by email is reminded by email to the address it went to, with the reminder subject, audited masked', async () => {
    const c = await t.newCompany({ name: 'Studio Nord' });
    await connectSandbox(c);
    expect((await c.owner.put(`${c.base}/settings/reminders`, { enabled: true })).status).toBe(200);
    const id = await visitOn14March2031(t, c, {
      price: 4_500,
      client: { name: 'Anna Smith', email: 'anna@example.test', phone: null },
    });
    const sent = await c.owner.post(`${c.base}/appointments/${id}/payment-link/send`, {
      channel: 'email',
      to: 'desk-copy@example.test',
    });
    expect(sent.status, sent.text).toBe(200);
    expect(arrived).toHaveLength(1);

    t.clock.set('2031-03-13T10:00:00Z');
    expect(await t.services.linkReminders.processDue()).toBe(1);
    expect(arrived).toHaveLength(2);
    const reminder = arrived[1]!;
    expect(reminder.rcptTo).toEqual(['desk-copy@example.test']);
    expect(reminder.mail.subject).toBe('Reminder: payment for your visit to Studio Nord');
    const link = (await c.owner.get(`${c.base}/appointments/${id}/payment-link`)).body;
    expect(reminder.mail.text).toContain(link.url);
    expect(reminder.mail.html || '').toContain(link.url);
    const entries = await t.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('appointment_id', '=', id)
      .where('action', '=', 'link.reminder_sent')
      .execute();
    expect(entries).toEqual([{ details: { channel: 'email', to: 'd***@e***.test', reminder: 1 } }]);
  });
});
