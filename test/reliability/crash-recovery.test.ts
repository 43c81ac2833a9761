import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { readEmbeddedPassword } from '../../src/db/embedded-password.js';
import { startServer, stopOrphanedPostgres, type ServerProcess } from '../helpers/server-process.js';
import {
  appointmentWithLink,
  completeCheckout,
  connectSandbox,
  createScratchDatabase,
  dropScratchDatabase,
  eventually,
  freePort,
  jobsRanAgain,
  ownerSession,
  pressPay,
  processEnv,
} from './process-api.js';

/**
 * SPEC §7 Reliability: the real `npm start` process, killed with SIGKILL at the worst moment —
 * the provider has made the checkout, our database does not know it yet — and restarted.
 * Runs against TEST_DATABASE_URL's server when set (a scratch database there), otherwise on the
 * embedded PostgreSQL with a data directory of its own.
 */

// the restarted process serves /metrics to this token, so the test sees its job runs
const METRICS_TOKEN = 'crash-recovery-metrics-token-0123456789';
// refunds.read-provider is left out only for its 30-second pace; the R32 property test covers its runs
const EVERY_JOB = [
  'attempts.reconcile',
  'webhooks.retry',
  'refunds.process',
  'receipts.settle',
  'webhooks.deliver',
  'sandbox.deliver',
];

async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'visitpay-crash-'));
  // The embedded server runs as the postgres system user, which must be able to enter the folder.
  await chmod(dir, 0o755);
  return dir;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** Stops a process the polite way and waits for it. */
async function stop(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  await server.exited;
}

async function killNine(server: ServerProcess): Promise<void> {
  server.child.kill('SIGKILL');
  await server.exited;
  expect(server.child.signalCode).toBe('SIGKILL');
}

/** Where the processes keep their data, and a connection of the test's own to look at it. */
async function setting(options: { forceEmbedded?: boolean } = {}) {
  const dataDir = await newDataDir();
  const external = options.forceEmbedded ? undefined : process.env.TEST_DATABASE_URL;
  let env: Record<string, string>;
  let databaseUrl: () => string;
  if (external) {
    const scratchUrl = await createScratchDatabase(inject('adminDatabaseUrl'), `vp_crash_${inject('runId')}`);
    databaseUrl = () => scratchUrl;
    env = processEnv({ VISITPAY_DATA_DIR: dataDir, DATABASE_URL: scratchUrl });
    cleanups.push(() => dropScratchDatabase(inject('adminDatabaseUrl'), scratchUrl));
  } else {
    const port = String(await freePort());
    // S6: the password the first process gave the cluster, read once it has started
    databaseUrl = () =>
      `postgres://postgres:${encodeURIComponent(readEmbeddedPassword(path.join(dataDir, 'pg'))!)}@127.0.0.1:${port}/postgres`;
    env = processEnv({ VISITPAY_DATA_DIR: dataDir, VISITPAY_EMBEDDED_PG_PORT: port });
  }
  cleanups.push(async () => {
    stopOrphanedPostgres(dataDir);
    await new Promise((r) => setTimeout(r, 500));
    await rm(dataDir, { recursive: true, force: true });
  });
  let handle: DatabaseHandle | undefined;
  const db = () => {
    if (!handle) {
      handle = connectDatabase(databaseUrl(), 2);
      const opened = handle;
      cleanups.push(() => opened.close());
    }
    return handle.db;
  };
  return { dataDir, env, db, embedded: !external };
}

describe('crash recovery with a real process', () => {
  it('process SIGKILLed between the provider call and the commit, restarted: the reconciliation job converges to one checkout and one payment', async () => {
    const setup = await setting();
    const { db } = setup;
    // R20: the job first looks at an unreported attempt this long after Pay (120 s by default)
    const env = { ...setup.env, PAYLINK_RECONCILE_AFTER_SECONDS: '5' };

    // 1. The failpoint kills the process right after the sandbox answered the create call.
    const first = await startServer({ ...env, VISITPAY_FAILPOINT: 'exit-after-provider-create' });
    let owner = await ownerSession(first.url);
    await connectSandbox(owner);
    const { appointmentId, token, linkId } = await appointmentWithLink(owner, 10_000);
    const crashed = await pressPay(first.url, token).then(
      (res) => `answered ${res.status}`,
      () => 'connection lost',
    );
    expect(crashed).toBe('connection lost');
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');

    // The provider made the checkout; our attempt never heard about it.
    const [stranded] = await db().selectFrom('checkout_attempts').selectAll().where('link_id', '=', linkId).execute();
    expect(stranded).toMatchObject({ status: 'creating', provider_checkout_id: null, redirect_url: null });
    const checkoutsAfterCrash = await db()
      .selectFrom('sandbox_checkouts')
      .selectAll()
      .where('company_id', '=', owner.companyId)
      .execute();
    expect(checkoutsAfterCrash).toHaveLength(1);
    expect(checkoutsAfterCrash[0]).toMatchObject({ idempotency_key: stranded!.id, status: 'open', amount: 10_000 });

    // 2. Restarted without the failpoint: the job takes the stranded attempt over with the same key.
    const second = await startServer(env);
    owner = await ownerSession(second.url);
    // R20: its first look comes PAYLINK_RECONCILE_AFTER_SECONDS after the attempt was created.
    const pending = await eventually(
      'the reconciliation job to finish the stranded attempt',
      async () => {
        const link = await owner.get(`/appointments/${appointmentId}/payment-link`);
        const attempt = link.body?.attempts?.[0];
        return attempt?.status === 'pending' ? attempt : undefined;
      },
      60_000,
      500,
    );
    expect(pending.id).toBe(stranded!.id);
    const recovered = await db()
      .selectFrom('checkout_attempts')
      .selectAll()
      .where('id', '=', stranded!.id)
      .executeTakeFirstOrThrow();
    expect(recovered.provider_checkout_id).toBe(checkoutsAfterCrash[0]!.id);
    expect(
      await db().selectFrom('sandbox_checkouts').select('id').where('company_id', '=', owner.companyId).execute(),
    ).toHaveLength(1);

    // The client presses Pay again: the same checkout (R10), paid at the sandbox bank.
    const again = await pressPay(second.url, token);
    expect(again.status, again.text).toBe(303);
    expect(again.location).toBe(recovered.redirect_url);
    expect(again.location).toMatch(new RegExp(`/sandbox/checkout/${checkoutsAfterCrash[0]!.id}$`));
    await completeCheckout(again.location!);
    const paid = await eventually('the payment to be credited', async () => {
      const appt = await owner.get(`/appointments/${appointmentId}`);
      return appt.body?.due === 0 ? appt.body : undefined;
    });
    expect(paid).toMatchObject({ total: 10_000, paid: 10_000, due: 0, paymentStatus: 'paid', lockedUntil: null });

    const onlinePayments = () =>
      db()
        .selectFrom('payments')
        .selectAll()
        .where('appointment_id', '=', appointmentId)
        .where('method', '=', 'online')
        .execute();
    expect((await onlinePayments()).map((p) => ({ amount: p.amount, attempt: p.attempt_id }))).toEqual([
      { amount: 10_000, attempt: stranded!.id },
    ]);
    await stop(second);

    // 3. Another restart, the jobs run a few rounds: still exactly one payment, the link stays paid.
    const third = await startServer({ ...env, VISITPAY_METRICS_TOKEN: METRICS_TOKEN });
    try {
      owner = await ownerSession(third.url);
      await jobsRanAgain(third.url, METRICS_TOKEN, EVERY_JOB);
      expect(await onlinePayments()).toHaveLength(1);
      const appt = await owner.get(`/appointments/${appointmentId}`);
      expect(appt.body).toMatchObject({ paid: 10_000, due: 0, paymentStatus: 'paid' });
      const link = await owner.get(`/appointments/${appointmentId}/payment-link`);
      expect(link.body).toMatchObject({ status: 'paid', collected: 10_000 });
      expect(link.body.attempts.map((a: { status: string }) => a.status)).toEqual(['succeeded']);
      const payAfterPaid = await pressPay(third.url, token);
      expect(payAfterPaid.location).toBe(`/pay/${token}`);
      expect(
        await db().selectFrom('sandbox_checkouts').select('id').where('company_id', '=', owner.companyId).execute(),
      ).toHaveLength(1);
      expect(await onlinePayments()).toHaveLength(1);
    } finally {
      await stop(third);
    }
  }, 300_000);

  it('embedded mode keeps a committed desk payment across kill -9 of Visitpay, and of its PostgreSQL too', async () => {
    const { dataDir, env } = await setting({ forceEmbedded: true });
    const first = await startServer(env);
    let owner = await ownerSession(first.url);
    const apptId = await plainAppointment(owner);
    const paid = await owner.post(`/appointments/${apptId}/payments`, { method: 'cash', amount: 4_000 });
    expect(paid.status, paid.text).toBe(201);
    await killNine(first);

    // Visitpay alone died: its PostgreSQL is found running and reused.
    const second = await startServer(env);
    expect(second.output()).toContain('reusing embedded PostgreSQL');
    owner = await ownerSession(second.url);
    const afterFirstKill = await owner.get(`/appointments/${apptId}`);
    expect(afterFirstKill.body.payments.map((p: { id: string }) => p.id)).toEqual([paid.body.id]);
    const paidAgain = await owner.post(`/appointments/${apptId}/payments`, { method: 'card', amount: 1_000 });
    expect(paidAgain.status, paidAgain.text).toBe(201);
    await killNine(second);

    // Now PostgreSQL goes down hard as well: the restart recovers it from its write-ahead log.
    const postmasterPid = Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    process.kill(postmasterPid, 'SIGKILL');
    await eventually('the killed PostgreSQL to be gone', async () => !isAlive(postmasterPid), 10_000, 100);

    const third = await startServer(env);
    try {
      expect(third.output()).not.toContain('reusing embedded PostgreSQL');
      owner = await ownerSession(third.url);
      const appt = await owner.get(`/appointments/${apptId}`);
      expect(appt.status, appt.text).toBe(200);
      expect(appt.body.payments.map((p: { id: string }) => p.id).sort()).toEqual(
        [paid.body.id, paidAgain.body.id].sort(),
      );
      expect(appt.body).toMatchObject({ total: 10_000, paid: 5_000, due: 5_000, paymentStatus: 'partially_paid' });
    } finally {
      await stop(third);
    }
  }, 180_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** An appointment of one 100.00 service, through the API, for a company without a provider. */
async function plainAppointment(owner: Awaited<ReturnType<typeof ownerSession>>): Promise<string> {
  const service = await owner.post('/services', { title: 'Colour', priceMin: 10_000, priceMax: 20_000 });
  const client = await owner.post('/clients', { name: 'Boris Petrov' });
  const staff = await owner.post('/staff', { name: 'Olga' });
  const appt = await owner.post('/appointments', {
    clientId: client.body.id,
    staffId: staff.body.id,
    startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    durationMinutes: 45,
    services: [{ serviceId: service.body.id }],
  });
  expect(appt.status, appt.text).toBe(201);
  return appt.body.id;
}
