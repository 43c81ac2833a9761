import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { signatureHeader } from '../../src/shared/webhook-signature.js';
import { SecretBox } from '../../src/shared/encryption.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import {
  appointmentWithLink,
  completeCheckout,
  connectSandbox,
  createScratchDatabase,
  dropScratchDatabase,
  eventually,
  http,
  jobsRanAgain,
  ownerSession,
  pressPay,
  processEnv,
  PROCESS_SECRET_KEY,
  type OwnerSession,
} from './process-api.js';

/**
 * SPEC §7, §8: two `npm start` processes on one database behave as one — each with its own
 * port, the same DATABASE_URL and SECRET_KEY, no PUBLIC_URL. They start together on an empty
 * database, take Pay presses and notifications side by side, and run the same jobs.
 */

const adminUrl = inject('adminDatabaseUrl');
// S8: the processes serve /metrics to this token only
const METRICS_TOKEN = 'two-processes-metrics-token-0123456789';
let databaseUrl = '';
let dataDir = '';
let a: ServerProcess;
let b: ServerProcess;
let ownerA: OwnerSession;
let ownerB: OwnerSession;
let handle: DatabaseHandle;
const db = () => handle.db;

beforeAll(async () => {
  databaseUrl = await createScratchDatabase(adminUrl, `vp_two_${inject('runId')}`);
  dataDir = await mkdtemp(path.join(tmpdir(), 'visitpay-two-'));
  await chmod(dataDir, 0o755);
  const env = processEnv({
    DATABASE_URL: databaseUrl,
    VISITPAY_DATA_DIR: dataDir,
    PORT: '0',
    VISITPAY_METRICS_TOKEN: METRICS_TOKEN,
  });
  // Both at once on an empty database: migrations and the first owner race.
  [a, b] = await Promise.all([startServer(env), startServer(env)]);
  handle = connectDatabase(databaseUrl, 4);
}, 120_000);

afterAll(async () => {
  for (const server of [a, b]) {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }
  await handle?.close();
  await dropScratchDatabase(adminUrl, databaseUrl).catch(() => undefined);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Sum of POST /webhooks/… requests a process answered, by status. */
async function webhookRequests(server: ServerProcess): Promise<Record<string, number>> {
  const res = await http(`${server.url}/metrics`, { token: METRICS_TOKEN });
  const counts: Record<string, number> = {};
  for (const line of res.text.split('\n')) {
    if (!line.startsWith('visitpay_http_requests_total{') || !line.includes('route="/webhooks/:provider/:companyId"'))
      continue;
    const status = /status="(\d+)"/.exec(line)?.[1] ?? '?';
    counts[status] = (counts[status] ?? 0) + Number(line.split(' ').pop());
  }
  return counts;
}

describe('two server processes on one database', () => {
  it('both start together on an empty database: migrations applied once, one owner, one company', async () => {
    expect(a.url).not.toBe(b.url);
    const outputs = [a.output(), b.output()];
    expect(outputs.filter((o) => o.includes('applied migrations'))).toHaveLength(1);
    expect(outputs.filter((o) => o.includes('created company'))).toHaveLength(1);
    expect((await db().selectFrom('users').select('id').execute()).length).toBe(1);
    expect((await db().selectFrom('companies').select('id').execute()).length).toBe(1);
    for (const server of [a, b]) expect((await http(`${server.url}/readyz`)).status).toBe(200);

    ownerA = await ownerSession(a.url);
    ownerB = await ownerSession(b.url);
    expect(ownerB.companyId).toBe(ownerA.companyId);
    // Settings written through one process are what the other one uses.
    await connectSandbox(ownerA);
    const seenByB = await ownerB.get('/settings/cashless');
    expect(seenByB.body).toMatchObject({ provider: 'sandbox', payByLinkEnabled: true });
  });

  it('100 Pay presses spread over both processes on one link: one attempt, one sandbox checkout, one lock; paid, both show it paid', async () => {
    const { appointmentId, token, linkId } = await appointmentWithLink(ownerB, 12_000);
    const presses = await Promise.all(
      Array.from({ length: 100 }, (_, k) => pressPay((k % 2 === 0 ? a : b).url, token)),
    );
    const statuses = [...new Set(presses.map((p) => p.status))];
    expect(statuses, presses.find((p) => p.status !== 303)?.text).toEqual([303]);
    const locations = [...new Set(presses.map((p) => p.location))];
    expect(locations).toHaveLength(1);
    expect(locations[0]).toMatch(/\/sandbox\/checkout\/sbx_/);

    const attempts = await db().selectFrom('checkout_attempts').selectAll().where('link_id', '=', linkId).execute();
    expect(attempts.map((x) => ({ status: x.status, amount: x.amount }))).toEqual([
      { status: 'pending', amount: 12_000 },
    ]);
    const checkouts = await db()
      .selectFrom('sandbox_checkouts')
      .selectAll()
      .where('idempotency_key', '=', attempts[0]!.id)
      .execute();
    expect(checkouts).toHaveLength(1);
    expect(await db().selectFrom('sandbox_checkouts').select('id').execute()).toHaveLength(1);
    for (const owner of [ownerA, ownerB]) {
      const appt = await owner.get(`/appointments/${appointmentId}`);
      expect(appt.body.lockedUntil).not.toBeNull();
      // R13: the lock holds in the other process too
      const refused = await owner.post(`/appointments/${appointmentId}/payments`, { method: 'cash', amount: 1_000 });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('appointment_locked');
    }

    await completeCheckout(locations[0]!);
    for (const [owner, server] of [
      [ownerA, a],
      [ownerB, b],
    ] as const) {
      const appt = await eventually(`${server.url} to show the appointment paid`, async () => {
        const res = await owner.get(`/appointments/${appointmentId}`);
        return res.body?.paymentStatus === 'paid' ? res.body : undefined;
      });
      expect(appt).toMatchObject({ total: 12_000, paid: 12_000, due: 0, lockedUntil: null });
      const link = await owner.get(`/appointments/${appointmentId}/payment-link`);
      expect(link.body).toMatchObject({ status: 'paid', collected: 12_000 });
      const state = await http(`${server.url}/api/v1/pay/${token}`);
      expect(state.body.state).toBe('paid');
      // R12: a paid link never starts another checkout, whichever process is asked
      const again = await pressPay(server.url, token);
      expect(again.location).toBe(`/pay/${token}`);
    }
    const payments = await db()
      .selectFrom('payments')
      .selectAll()
      .where('appointment_id', '=', appointmentId)
      .execute();
    expect(payments.map((p) => ({ method: p.method, amount: p.amount, attempt: p.attempt_id }))).toEqual([
      { method: 'online', amount: 12_000, attempt: attempts[0]!.id },
    ]);
    expect(await db().selectFrom('sandbox_checkouts').select('id').execute()).toHaveLength(1);
  }, 60_000);

  it('the jobs of both processes deliver every sandbox notification exactly once and credit every payment once', async () => {
    const visits = [];
    for (let k = 0; k < 20; k++) visits.push(await appointmentWithLink(k % 2 === 0 ? ownerA : ownerB, 5_000 + k * 100));
    const presses = await Promise.all(visits.map((v, k) => pressPay((k % 2 === 0 ? b : a).url, v.token)));
    for (const p of presses) expect(p.status, p.text).toBe(303);
    // Paid and declined all at the same moment: a burst of notifications for both deliverers.
    const declined = new Set([3, 8, 13, 18]);
    await Promise.all(presses.map((p, k) => completeCheckout(p.location!, declined.has(k) ? 'failed' : 'succeeded')));

    await eventually(
      'every notification delivered and applied',
      async () => {
        const waiting = await db()
          .selectFrom('sandbox_notifications')
          .select('id')
          .where('delivered_at', 'is', null)
          .execute();
        const unapplied = await db()
          .selectFrom('webhook_inbox')
          .select('id')
          .where('processed_at', 'is', null)
          .execute();
        return waiting.length === 0 && unapplied.length === 0;
      },
      30_000,
    );
    // Both processes' deliverers and inbox retries run again: a second delivery of anything has happened by now.
    await Promise.all(
      [a, b].map((server) => jobsRanAgain(server.url, METRICS_TOKEN, ['sandbox.deliver', 'webhooks.retry'])),
    );

    const notifications = await db().selectFrom('sandbox_notifications').selectAll().execute();
    expect(notifications).toHaveLength(21);
    expect(notifications.filter((n) => n.dropped || n.tries !== 1 || n.delivered_at === null)).toEqual([]);
    const received = [await webhookRequests(a), await webhookRequests(b)];
    const total = (counts: Record<string, number>) => Object.values(counts).reduce((s, n) => s + n, 0);
    expect(
      received.map(total).reduce((s, n) => s + n, 0),
      JSON.stringify(received),
    ).toBe(21);
    expect(received.flatMap((counts) => Object.keys(counts)).every((status) => status === '200')).toBe(true);
    const inbox = await db().selectFrom('webhook_inbox').selectAll().execute();
    expect(new Set(inbox.map((row) => row.event_id)).size).toBe(21);
    expect(inbox).toHaveLength(21);

    const online = await db().selectFrom('payments').selectAll().where('method', '=', 'online').execute();
    expect(online).toHaveLength(1 + 16);
    expect(new Set(online.map((p) => p.attempt_id)).size).toBe(online.length);
    for (const [k, visit] of visits.entries()) {
      const appt = await (k % 2 === 0 ? ownerB : ownerA).get(`/appointments/${visit.appointmentId}`);
      const price = 5_000 + k * 100;
      if (declined.has(k)) expect(appt.body, `visit ${k}`).toMatchObject({ paid: 0, due: price, lockedUntil: null });
      else
        expect(appt.body, `visit ${k}`).toMatchObject({
          paid: price,
          due: 0,
          paymentStatus: 'paid',
          lockedUntil: null,
        });
    }
    expect(await db().selectFrom('refund_requests').select('id').execute()).toEqual([]);
  }, 90_000);

  it('a crowd of notifications, each posted to both processes at once, is applied once each: one process answers applied, the other duplicate', async () => {
    const dropped = await ownerA.put('/settings/cashless', { sandboxNotifications: { mode: 'drop' } });
    expect(dropped.status, dropped.text).toBe(200);
    const visits = [];
    for (let k = 0; k < 16; k++) visits.push(await appointmentWithLink(ownerA, 7_000 + k * 10));
    const presses = await Promise.all(visits.map((v, k) => pressPay((k % 2 === 0 ? a : b).url, v.token)));
    await Promise.all(presses.map((p) => completeCheckout(p.location!)));
    const attemptIds = (
      await db()
        .selectFrom('checkout_attempts')
        .select('id')
        .where(
          'link_id',
          'in',
          visits.map((v) => v.linkId),
        )
        .execute()
    ).map((r) => r.id);
    const successes = (
      await db().selectFrom('sandbox_notifications').selectAll().where('dropped', '=', true).execute()
    ).filter((n) => n.body.includes('checkout.succeeded'));
    expect(successes).toHaveLength(16);
    const merchant = await db()
      .selectFrom('sandbox_merchants')
      .select('webhook_secret')
      .where('company_id', '=', ownerA.companyId)
      .executeTakeFirstOrThrow();
    const secret = new SecretBox(PROCESS_SECRET_KEY).open(merchant.webhook_secret);

    const answers = await Promise.all(
      successes.flatMap((n) =>
        [a, b].map((server) =>
          http(`${server.url}/webhooks/sandbox/${ownerA.companyId}`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'visitpay-signature': signatureHeader(secret, new Date(), n.body),
            },
            body: n.body,
          }),
        ),
      ),
    );

    expect(
      answers.map((r) => r.status).filter((status) => status !== 200),
      answers.find((r) => r.status !== 200)?.text,
    ).toEqual([]);
    const results = answers.map((r) => (r.body as { result: string }).result);
    expect(results.filter((r) => r === 'applied')).toHaveLength(16);
    expect(results.filter((r) => r === 'duplicate')).toHaveLength(16);
    const online = await db()
      .selectFrom('payments')
      .select(['attempt_id', 'amount'])
      .where('attempt_id', 'in', attemptIds)
      .execute();
    expect(online).toHaveLength(16);
    expect(new Set(online.map((p) => p.attempt_id)).size).toBe(16);
    const unapplied = await db()
      .selectFrom('webhook_inbox')
      .select('id')
      .where('company_id', '=', ownerA.companyId)
      .where('processed_at', 'is', null)
      .execute();
    expect(unapplied).toEqual([]);
    for (const [k, visit] of visits.entries()) {
      expect((await ownerB.get(`/appointments/${visit.appointmentId}`)).body, `visit ${k}`).toMatchObject({
        paid: 7_000 + k * 10,
        due: 0,
        lockedUntil: null,
      });
    }
  }, 90_000);
});
