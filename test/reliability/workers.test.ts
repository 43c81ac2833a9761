import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEATHS_PER_MINUTE } from '../../src/cluster.js';
import { MAX_WORKERS } from '../../src/config.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { runServerToExit, startServer, stopOrphanedPostgres, type ServerProcess } from '../helpers/server-process.js';
import {
  appointmentWithLink,
  completeCheckout,
  connectSandbox,
  createScratchDatabase,
  dropScratchDatabase,
  eventually,
  freePort,
  http,
  ownerSession,
  pressPay,
  processEnv,
} from './process-api.js';

/**
 * O3: `VISITPAY_WORKERS=N` — one command, one port, N worker processes (node:cluster) forked by a
 * primary that did the one-time work (embedded server, migrations, first owner) once. Which worker
 * answered is read from the access log (LOG_LEVEL=info), whose lines carry the process id.
 */

const adminUrl = inject('adminDatabaseUrl');

async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'visitpay-workers-'));
  // the embedded server runs as the postgres system user, which must be able to enter the folder
  await chmod(dir, 0o755);
  return dir;
}

/** The workers the primary reported serving, in order of their start: pid by worker id. */
function workersServing(server: ServerProcess): Map<number, number> {
  const workers = new Map<number, number>();
  for (const [, id, pid] of server.output().matchAll(/worker (\d+) \(pid (\d+)\) is serving port/g))
    workers.set(Number(id), Number(pid));
  return workers;
}

/** The pids of the processes whose access log shows a request for `url`. */
function pidsThatServed(server: ServerProcess, url: string): Set<number> {
  const pids = new Set<number>();
  for (const line of server.output().split('\n')) {
    if (!line.startsWith('{') || !line.includes('"incoming request"')) continue;
    const entry = JSON.parse(line) as { pid: number; req?: { url?: string } };
    if (entry.req?.url === url) pids.add(entry.pid);
  }
  return pids;
}

/** A GET on a connection of its own, so the primary hands each one to a worker anew. */
function getOnNewConnection(url: string, headers: Record<string, string> = {}): Promise<number> {
  return getTextOnNewConnection(url, headers).then((res) => res.status);
}

function getTextOnNewConnection(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, headers: { connection: 'close', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
  });
}

const METRICS_TOKEN = 'workers-metrics-token-0123456789abcdef';

/** GET /readyz answered 200, as the scraped /metrics counts it. */
function readyzCount(metrics: string): number {
  const line = metrics
    .split('\n')
    .find(
      (l) =>
        l.startsWith('visitpay_http_requests_total{') && l.includes('route="/readyz"') && l.includes('status="200"'),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Sends `count` probes, each on a new connection; answers their statuses and the pids that served them. */
async function probe(server: ServerProcess, name: string, count: number) {
  const statuses: number[] = [];
  for (let k = 0; k < count; k++) statuses.push(await getOnNewConnection(`${server.url}/readyz?probe=${name}-${k}`));
  const pids = new Set<number>();
  await eventually(`the access log of ${name}`, async () => {
    pids.clear();
    for (let k = 0; k < count; k++)
      for (const pid of pidsThatServed(server, `/readyz?probe=${name}-${k}`)) pids.add(pid);
    const logged = Array.from(
      { length: count },
      (_, k) => pidsThatServed(server, `/readyz?probe=${name}-${k}`).size,
    ).filter((n) => n > 0).length;
    return logged === count;
  });
  return { statuses, pids };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('O3 VISITPAY_WORKERS=2 on a DATABASE_URL', () => {
  let databaseUrl = '';
  let dataDir = '';
  let server: ServerProcess;
  let handle: DatabaseHandle;
  const db = () => handle.db;

  beforeAll(async () => {
    databaseUrl = await createScratchDatabase(adminUrl, `vp_workers_${inject('runId')}`);
    dataDir = await newDataDir();
    server = await startServer(
      processEnv({
        DATABASE_URL: databaseUrl,
        VISITPAY_DATA_DIR: dataDir,
        VISITPAY_WORKERS: '2',
        LOG_LEVEL: 'info',
        VISITPAY_METRICS_TOKEN: METRICS_TOKEN,
      }),
    );
    handle = connectDatabase(databaseUrl, 2);
  }, 120_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await handle?.close();
    await dropScratchDatabase(adminUrl, databaseUrl).catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('O3 two workers answer on one port: the primary migrated and created the owner once, and requests are served by both workers', async () => {
    const output = server.output();
    expect(output.match(/applied migrations/g)).toHaveLength(1);
    expect(output.match(/created company/g)).toHaveLength(1);
    expect(output.match(/Visitpay is running at/g)).toHaveLength(1);
    const workers = workersServing(server);
    expect([...workers.keys()]).toHaveLength(2);
    const pids = new Set(workers.values());
    expect(pids.size).toBe(2);
    expect(pids.has(server.child.pid!)).toBe(false);
    expect(output).toContain(`is serving port ${new URL(server.url).port}`);

    const served = await probe(server, 'both', 20);
    expect(served.statuses.every((status) => status === 200)).toBe(true);
    expect(served.pids).toEqual(pids);
    // S8: whichever worker a scrape reaches, /metrics counts the requests of both
    for (let k = 0; k < 4; k++) {
      const scrape = await getTextOnNewConnection(`${server.url}/metrics`, {
        authorization: `Bearer ${METRICS_TOKEN}`,
      });
      expect(scrape.status, scrape.text).toBe(200);
      expect(readyzCount(scrape.text)).toBe(20);
    }
    const owner = await ownerSession(server.url);
    expect((await db().selectFrom('users').select('id').execute()).length).toBe(1);
    expect(owner.companyId).toBeTruthy();
  });

  it('O3 jobs are shared through the database: every sandbox payment of ten is delivered and settles exactly once', async () => {
    const owner = await ownerSession(server.url);
    await connectSandbox(owner);
    const visits = [];
    for (let k = 0; k < 10; k++) visits.push(await appointmentWithLink(owner, 4_000 + k * 100));
    const presses = await Promise.all(visits.map((visit) => pressPay(server.url, visit.token)));
    for (const press of presses) expect(press.status, press.text).toBe(303);
    await Promise.all(presses.map((press) => completeCheckout(press.location!)));

    await eventually('every notification delivered and applied', async () => {
      const waiting = await db()
        .selectFrom('sandbox_notifications')
        .select('id')
        .where('delivered_at', 'is', null)
        .execute();
      const unapplied = await db().selectFrom('webhook_inbox').select('id').where('processed_at', 'is', null).execute();
      const applied = await db().selectFrom('webhook_inbox').select('id').execute();
      return waiting.length === 0 && unapplied.length === 0 && applied.length === 10;
    });
    const notifications = await db().selectFrom('sandbox_notifications').selectAll().execute();
    expect(notifications).toHaveLength(10);
    // tries = 1: no job of either worker delivered a notification the other had delivered
    expect(notifications.filter((n) => n.dropped || n.tries !== 1 || n.delivered_at === null)).toEqual([]);
    const online = await db()
      .selectFrom('payments')
      .select(['attempt_id', 'amount'])
      .where('method', '=', 'online')
      .execute();
    expect(online).toHaveLength(10);
    expect(new Set(online.map((p) => p.attempt_id)).size).toBe(10);
    for (const [k, visit] of visits.entries()) {
      expect((await owner.get(`/appointments/${visit.appointmentId}`)).body, `visit ${k}`).toMatchObject({
        paid: 4_000 + k * 100,
        due: 0,
        paymentStatus: 'paid',
      });
    }
  }, 60_000);

  it('O3 a worker killed with SIGKILL is restarted, and the port keeps answering meanwhile', async () => {
    const before = workersServing(server);
    const [[victimId, victim], [, survivor]] = [...before.entries()] as [[number, number], [number, number]];
    process.kill(victim, 'SIGKILL');
    // the primary has taken the dead worker out of the port's rotation before it says so
    await eventually('the primary to notice the death', async () =>
      server.output().includes(`worker ${victimId} (pid ${victim}) was killed by SIGKILL; starting another`),
    );
    const meanwhile = await probe(server, 'meanwhile', 6);
    expect(meanwhile.statuses.every((status) => status === 200)).toBe(true);

    const replacement = await eventually('a new worker', async () =>
      [...workersServing(server).entries()].find(([id]) => !before.has(id)),
    );
    expect(alive(victim)).toBe(false);
    expect(replacement[1]).not.toBe(victim);
    const after = await probe(server, 'after', 20);
    expect(after.statuses.every((status) => status === 200)).toBe(true);
    expect(after.pids).toEqual(new Set([survivor, replacement[1]]));
  }, 60_000);

  it('O3 SIGTERM to the primary stops every worker gracefully (connections closed), no restart, exit code 0', async () => {
    const workers = [...workersServing(server).values()].filter(alive);
    expect(workers).toHaveLength(2);
    const restartsBefore = server.output().match(/starting another/g)?.length ?? 0;
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    for (const pid of workers) expect(alive(pid), `worker pid ${pid}`).toBe(false);
    expect(server.output().match(/starting another/g)?.length ?? 0).toBe(restartsBefore);
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`.execute(
      db(),
    );
    expect(rows[0]!.n).toBe(0);
  });

  it(`O3 workers that keep dying are not restarted forever: after ${DEATHS_PER_MINUTE} deaths within a minute the primary stops with one line, exit code 1`, async () => {
    const again = await startServer(
      processEnv({ DATABASE_URL: databaseUrl, VISITPAY_DATA_DIR: dataDir, VISITPAY_WORKERS: '2' }),
    );
    const killed = new Set<number>();
    let code: number | null | undefined;
    void again.exited.then((c) => (code = c));
    await eventually(
      'the primary to give up',
      async () => {
        const next = [...workersServing(again).values()].find((pid) => !killed.has(pid) && alive(pid));
        if (next) {
          killed.add(next);
          process.kill(next, 'SIGKILL');
        }
        return code !== undefined;
      },
      150_000,
      50,
    );
    expect(code, again.output()).toBe(1);
    // The primary counts the deaths (its line below says how many); the test may also have killed the other
    // worker in the moment between the last counted death and the primary stopping it, which is not counted.
    expect(killed.size).toBeGreaterThanOrEqual(DEATHS_PER_MINUTE);
    expect(killed.size).toBeLessThanOrEqual(DEATHS_PER_MINUTE + 1);
    expect(again.output()).toMatch(
      new RegExp(
        `\\[visitpay\\] workers keep dying \\(${DEATHS_PER_MINUTE} within a minute, the last: worker \\d+ \\(pid \\d+\\) was killed by SIGKILL\\); stopping`,
      ),
    );
    expect(again.output().match(/starting another/g)).toHaveLength(DEATHS_PER_MINUTE - 1);
    for (const pid of workersServing(again).values()) expect(alive(pid), `worker pid ${pid}`).toBe(false);
  }, 180_000);

  it('O3 workers that cannot listen (the port is taken) fail the start: one line each, exit code 1, no restart', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    try {
      const port = String((taken.address() as { port: number }).port);
      const { code, output } = await runServerToExit(
        processEnv({
          DATABASE_URL: databaseUrl,
          VISITPAY_DATA_DIR: dataDir,
          VISITPAY_WORKERS: '2',
          PORT: port,
          LOG_LEVEL: 'warn',
        }),
      );
      expect(code, output).toBe(1);
      expect(output).toMatch(/\[visitpay\] failed to start: (listen|bind) EADDRINUSE/);
      expect(output).toMatch(/\[visitpay\] failed to start: worker \d+ exited with code 1 before it listened\n/);
      expect(output).not.toMatch(/starting another|running at|\n\s+at /);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 90_000);
});

describe('O3 bad VISITPAY_WORKERS', () => {
  for (const value of ['0', 'abc', String(MAX_WORKERS + 1)]) {
    it(`O3 VISITPAY_WORKERS=${value} stops at once with one line naming it, exit code 1, nothing created`, async () => {
      const parent = await newDataDir();
      const dataDir = path.join(parent, 'data');
      try {
        const { code, output } = await runServerToExit(
          processEnv({ VISITPAY_WORKERS: value, VISITPAY_DATA_DIR: dataDir, PORT: '0' }),
        );
        expect(code).toBe(1);
        expect(output).toMatch(/^Invalid configuration:\n {2}VISITPAY_WORKERS: must be [^\n]+\n$/);
        // no embedded server initialised, no key generated: the data dir was never made
        expect(existsSync(dataDir)).toBe(false);
      } finally {
        await rm(parent, { recursive: true, force: true });
      }
    });
  }
});

describe('O3 VISITPAY_WORKERS=2 with the embedded database', () => {
  it('O3 the primary alone starts the embedded PostgreSQL; both workers use it; SIGTERM stops the workers, then the server, exit code 0', async () => {
    const dataDir = await newDataDir();
    let server: ServerProcess | undefined;
    try {
      const port = String(await freePort());
      server = await startServer(
        processEnv({ VISITPAY_DATA_DIR: dataDir, VISITPAY_EMBEDDED_PG_PORT: port, VISITPAY_WORKERS: '2' }),
        120_000,
      );
      const output = server.output();
      expect(output.match(/starting embedded PostgreSQL/g)).toHaveLength(1);
      expect(output).not.toMatch(/reusing embedded PostgreSQL/);
      expect(new Set(workersServing(server).values()).size).toBe(2);
      expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(true);
      // a request through a worker reaches the primary's database: the owner it created signs in
      const owner = await ownerSession(server.url);
      expect((await owner.get('/settings/cashless')).status).toBe(200);
      expect((await http(`${server.url}/readyz`)).status).toBe(200);

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    } finally {
      if (server && server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
      stopOrphanedPostgres(dataDir);
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
