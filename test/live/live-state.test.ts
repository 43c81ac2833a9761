import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { announceChange } from '../../src/live/live-events.js';
import { completeSandbox, connectSandbox, copyLink, payableAppointment, pressPay } from '../helpers/links.js';
import { createTestApp, type TestApp, type TestCompany } from '../helpers/test-app.js';

const t = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0' } });
const base = await t.listen();

interface ServerEvent {
  event: string;
  data: string;
}

/** Reads a text/event-stream response as it arrives. */
async function watch(app: TestApp, url: string, company: TestCompany, asToken?: string) {
  const token = asToken ?? (await app.login(company.ownerEmail));
  const controller = new AbortController();
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const events: ServerEvent[] = [];
  let raw = '';
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const finished = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        raw += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = raw.indexOf('\n\n')) >= 0) {
          const block = raw.slice(0, end);
          raw = raw.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) events.push({ event, data: data ?? '' });
        }
      }
    } catch {
      // aborted by the test
    }
  })();
  return {
    res,
    events,
    finished,
    async waitFor(reason: string, timeoutMs = 5_000): Promise<ServerEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find((e) => e.event === 'changed' && JSON.parse(e.data).reason === reason);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no "${reason}" event; got ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => controller.abort(),
  };
}

const eventsUrl = (origin: string, company: TestCompany, appointmentId: string) =>
  `${origin}${company.base}/appointments/${appointmentId}/events`;

async function readyCompany(app: TestApp = t) {
  const company = await app.newCompany();
  await connectSandbox(company);
  return company;
}

describe('live link state for staff (R29)', () => {
  it("R29 the appointment's link shows its attempts with their status as they move", async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const linkUrl = `${company.base}/appointments/${appt.id}/payment-link`;
    const link = await copyLink(company, appt.id);
    expect(link.attempts).toEqual([]);
    expect((await company.owner.get(linkUrl)).body.openedAt).toBeNull();

    await t.anonymous.get(`/pay/${link.token}`, { 'user-agent': 'Mozilla/5.0 (Android 14; Mobile)' });
    expect((await company.owner.get(linkUrl)).body.openedAt).not.toBeNull();

    const declined = await pressPay(t, link.token);
    let view = (await company.owner.get(linkUrl)).body;
    expect(view.attempts).toHaveLength(1);
    expect(view.attempts[0]).toMatchObject({
      status: 'pending',
      providerStatus: 'open',
      provider: 'sandbox',
      amount: 10_000,
      amountFormatted: '€100.00',
      endedAt: null,
    });
    expect(new Date(view.attempts[0].expiresAt).getTime() - new Date(view.attempts[0].createdAt).getTime()).toBe(
      3_600_000,
    );

    await completeSandbox(t, declined.location!, 'failed');
    await t.jobs.drain();
    view = (await company.owner.get(linkUrl)).body;
    expect(view.attempts[0]).toMatchObject({ status: 'failed', providerStatus: 'declined' });
    expect(view.attempts[0].endedAt).not.toBeNull();
    expect(view.status).toBe('active');

    const canceled = await pressPay(t, link.token);
    expect(canceled.location).not.toBe(declined.location);
    await company.owner.post(`${linkUrl}/cancel-attempt`, {});
    const paying = await pressPay(t, link.token);
    view = (await company.owner.get(linkUrl)).body;
    expect(view.attempts.map((a: { status: string }) => a.status)).toEqual(['pending', 'canceled', 'failed']);

    await completeSandbox(t, paying.location!);
    await t.jobs.drain();
    view = (await company.owner.get(linkUrl)).body;
    expect(view.status).toBe('paid');
    expect(view.collected).toBe(10_000);
    expect(view.attempts.map((a: { status: string }) => a.status)).toEqual(['succeeded', 'canceled', 'failed']);
    expect(view.attempts[0]).toMatchObject({ providerStatus: 'paid', amount: 10_000 });
    expect(view.attempts[1].endedAt).not.toBeNull();
  });

  it('R29 the event stream says "changed" when the link is opened, when Pay creates an attempt and when the payment succeeds', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    const other = await payableAppointment(t, company);
    const link = await copyLink(company, appt.id);
    const otherLink = await copyLink(company, other.id);

    const stream = await watch(t, eventsUrl(base, company, appt.id), company);
    try {
      expect(stream.res.status).toBe(200);
      expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(stream.res.headers.get('cache-control')).toBe('no-store');

      await t.anonymous.get(`/pay/${link.token}`, { 'user-agent': 'Mozilla/5.0 (iPhone)' });
      await stream.waitFor('link.opened');

      const pay = await pressPay(t, link.token);
      expect(pay.status).toBe(303);
      const created = await stream.waitFor('attempt.created');
      expect(JSON.parse(created.data)).toEqual({ appointmentId: appt.id, reason: 'attempt.created' });
      await stream.waitFor('attempt.pending');

      await completeSandbox(t, pay.location!);
      await t.jobs.drain();
      await stream.waitFor('attempt.succeeded');

      // Another appointment's changes are not this watcher's business. A change of this appointment
      // committed after them is the signal: the channel delivers in commit order, so they came first.
      await pressPay(t, otherLink.token);
      await t.services.announcer.flush();
      await t.db
        .transaction()
        .execute((tx) => announceChange(tx, { companyId: company.id, appointmentId: appt.id, reason: 'marker' }));
      await stream.waitFor('marker');
      expect(stream.events.every((e) => JSON.parse(e.data).appointmentId === appt.id)).toBe(true);
      expect(stream.events.filter((e) => JSON.parse(e.data).reason === 'attempt.created')).toHaveLength(1);
    } finally {
      stream.close();
    }
  });

  it('R29 desk payments and item changes reach the watcher too, so the window never shows stale money', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const stream = await watch(t, eventsUrl(base, company, appt.id), company);
    try {
      const paid = await company.owner.post(`${company.base}/appointments/${appt.id}/payments`, {
        method: 'cash',
        amount: 2_000,
      });
      expect(paid.status).toBe(201);
      await stream.waitFor('payment.recorded');
      const added = await company.owner.post(`${company.base}/appointments/${appt.id}/items`, {
        serviceId: appt.service.id,
      });
      expect(added.status).toBe(201);
      await stream.waitFor('item.added');
    } finally {
      stream.close();
    }
  });

  it('R29 a change committed on any connection reaches the watcher; a rolled-back one never does', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    const stream = await watch(t, eventsUrl(base, company, appt.id), company);
    const client = new pg.Client({ connectionString: t.database.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_notify('visitpay_appointment_changed', $1)`, [
        JSON.stringify({ companyId: company.id, appointmentId: appt.id, reason: 'rolled.back' }),
      ]);
      await client.query('ROLLBACK');
      await t.db
        .transaction()
        .execute((tx) => announceChange(tx, { companyId: company.id, appointmentId: appt.id, reason: 'committed' }));
      await stream.waitFor('committed');
      expect(stream.events.map((e) => JSON.parse(e.data).reason)).toEqual(['committed']);
    } finally {
      await client.end();
      stream.close();
    }
  });

  it('R29 the hot paths announce after their commit: a rolled-back unit of work is never announced, a committed one is', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    const stream = await watch(t, eventsUrl(base, company, appt.id), company);
    try {
      const announce = (reason: string) => (tx: Parameters<typeof announceChange>[0]) =>
        announceChange(tx, { companyId: company.id, appointmentId: appt.id, reason });
      await expect(
        t.services.announcer.transaction(async (tx) => {
          await announce('rolled.back')(tx);
          throw new Error('the unit of work fails');
        }),
      ).rejects.toThrow('the unit of work fails');
      await t.services.announcer.transaction(announce('committed'));
      await stream.waitFor('committed');
      expect(stream.events.map((e) => JSON.parse(e.data).reason)).toEqual(['committed']);
    } finally {
      stream.close();
    }
  });

  it("R29 the company stream hears every appointment of its company, a client's payment included, and no other company's", async () => {
    const company = await readyCompany();
    const other = await readyCompany();
    const appt = await payableAppointment(t, company);
    const second = await payableAppointment(t, company);
    const foreign = await payableAppointment(t, other);
    const stream = await watch(t, `${base}${company.base}/events`, company);
    try {
      expect(stream.res.status).toBe(200);
      const link = await copyLink(company, appt.id);
      const pay = await pressPay(t, link.token);
      await completeSandbox(t, pay.location!);
      await t.jobs.drain();
      const paid = await stream.waitFor('link.paid');
      expect(JSON.parse(paid.data)).toEqual({ appointmentId: appt.id, reason: 'link.paid' });

      await pressPay(t, (await copyLink(other, foreign.id)).token);
      await t.services.announcer.flush();
      await t.db
        .transaction()
        .execute((tx) => announceChange(tx, { companyId: company.id, appointmentId: second.id, reason: 'marker' }));
      await stream.waitFor('marker');
      const heard = new Set(stream.events.map((e) => JSON.parse(e.data).appointmentId));
      expect(heard).toEqual(new Set([appt.id, second.id]));
    } finally {
      stream.close();
    }
    expect((await t.anonymous.get(`${company.base}/events`)).status).toBe(401);
    expect((await other.owner.get(`${company.base}/events`)).status).toBe(404);
    const noRights = await t.newUser(company.id, 'custom', ['cashless_payment']);
    expect((await noRights.api.get(`${company.base}/events`)).status).toBe(403);
  });

  it('R29 the stream needs a signed-in member with appointments.read; unknown and foreign appointments answer 404', async () => {
    const company = await readyCompany();
    const other = await readyCompany();
    const appt = await payableAppointment(t, company);
    const url = `${company.base}/appointments/${appt.id}/events`;
    expect((await t.anonymous.get(url)).status).toBe(401);
    expect((await company.owner.get(`${company.base}/appointments/appt_nope/events`)).status).toBe(404);
    expect((await other.owner.get(url)).status).toBe(404);
    expect((await other.owner.get(`${other.base}/appointments/${appt.id}/events`)).status).toBe(404);
    const noRights = await t.newUser(company.id, 'custom', ['cashless_payment']);
    expect((await noRights.api.get(url)).status).toBe(403);
    const staff = await t.newUser(company.id, 'staff');
    const res = await fetch(`${base}${url}`, {
      headers: { authorization: `Bearer ${staff.token}` },
      signal: AbortSignal.timeout(5_000),
    });
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });

  it('S1 S3 a stream ends at the next event once its member is removed, or their session signed out everywhere', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    const announce = (reason: string) =>
      t.db.transaction().execute((tx) => announceChange(tx, { companyId: company.id, appointmentId: appt.id, reason }));
    for (const cut of ['removed', 'signed out'] as const) {
      const member = await t.newUser(company.id, 'staff');
      const stream = await watch(t, eventsUrl(base, company, appt.id), company, member.token);
      await announce('before');
      await stream.waitFor('before');
      if (cut === 'removed')
        expect((await company.owner.delete(`${company.base}/users/${member.id}`)).status).toBe(204);
      else expect((await member.api.post('/api/v1/auth/logout-all')).status).toBe(204);
      await announce('after');
      // the server ends the response itself: the reader sees its end without the test aborting it
      await stream.finished;
      expect(
        stream.events.map((e) => JSON.parse(e.data).reason),
        cut,
      ).toEqual(['before']);
    }
  });

  it('R29 open streams end when the server shuts down, so it does not wait for watchers', async () => {
    const other = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0' } });
    const origin = await other.listen();
    const company = await readyCompany(other);
    const appt = await payableAppointment(other, company);
    const stream = await watch(other, eventsUrl(origin, company, appt.id), company);
    expect(stream.res.status).toBe(200);
    const closed = await Promise.race([
      other.app.close().then(() => 'closed'),
      new Promise((r) => setTimeout(() => r('still open'), 5_000)),
    ]);
    expect(closed).toBe('closed');
    await stream.finished;
  });
});
