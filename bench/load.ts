import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';

/**
 * The load generator: autocannon for saturation (as fast as the server answers), runPaced for a
 * fixed rate; both run in a child process of its own (`bench/load.ts` forked with
 * tsx). Why a child: the server under test is already a process of its own; keeping the client out
 * of the orchestrator leaves the orchestrator free to serve the provider stub the Pay floor calls,
 * and lets the client's CPU be measured apart (process.cpuUsage in here). Why not autocannon's
 * worker threads: on a 2-core machine more client threads only take more CPU from the server and
 * PostgreSQL. The client still shares the machine's 2 cores with them — its CPU share is printed
 * with every run so the figures can be read for what they are.
 */

export interface RequestSpec {
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  title: string;
  origin: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  connections: number;
  durationSec: number;
  /** a fixed request rate, evenly paced over up to `connections` connections (runPaced); omitted: autocannon, as fast as it goes */
  overallRate?: number;
  /** stop after exactly this many requests (still capped by durationSec) */
  amount?: number;
  /** each request takes the next of these, in order; past the end it starts over and counts `wrapped` */
  requests: RequestSpec[];
  expectStatus: number;
  /** tally this field of JSON answers (e.g. the webhook route's `result`) */
  tallyJsonField?: string;
}

export interface LoadResult {
  title: string;
  requestsPerSec: number;
  total: number;
  p50: number;
  p99: number;
  max: number;
  /** answers with another status than expected, socket errors and timeouts */
  errors: number;
  statuses: Record<string, number>;
  tally: Record<string, number>;
  /** entries of `requests` taken (one per request, plus one built ahead per connection) */
  consumed: number;
  /** requests built after the list of distinct requests ran out */
  wrapped: number;
  elapsedSec: number;
  /** the load client's CPU during the run, in % of one core */
  clientCpuPct: number;
}

/** The requests of one run, taken in order, and what their answers said. */
class Run {
  private next = 0;
  private unexpected = 0;
  private readonly statuses: Record<string, number> = {};
  private readonly tally: Record<string, number> = {};

  constructor(private readonly spec: LoadSpec) {}

  nextRequest(): RequestSpec {
    return this.spec.requests[this.next++ % this.spec.requests.length]!;
  }

  answered(status: number, body: () => string): void {
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (status !== this.spec.expectStatus) this.unexpected++;
    if (this.spec.tallyJsonField && status === 200) {
      const value = String((JSON.parse(body()) as Record<string, unknown>)[this.spec.tallyJsonField]);
      this.tally[value] = (this.tally[value] ?? 0) + 1;
    }
  }

  /** `failures`: socket errors and timeouts, besides the answers with another status than expected. */
  result(
    figures: Pick<LoadResult, 'requestsPerSec' | 'total' | 'p50' | 'p99' | 'max' | 'elapsedSec'>,
    failures: number,
  ): LoadResult {
    return {
      title: this.spec.title,
      ...figures,
      errors: this.unexpected + failures,
      statuses: this.statuses,
      tally: this.tally,
      consumed: this.next,
      wrapped: Math.max(0, this.next - this.spec.requests.length),
      clientCpuPct: 0,
    };
  }
}

/** The value below which `fraction` of the sorted samples lie. */
const percentile = (sorted: number[], fraction: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;

/**
 * A fixed rate, evenly paced: request i is due at start + i / rate, sent on any free keep-alive
 * connection (or queued for one), and its latency counts from when it was due, so a slow server
 * cannot hide its queue by slowing the sender (no coordinated omission). Why not autocannon's
 * overallRate: it gives each connection a budget per second, which the connections spend at full
 * speed the moment each second starts — a burst at saturation, then silence — so its "half load"
 * measured the saturated server's latency.
 */
async function runPaced(spec: LoadSpec & { overallRate: number }): Promise<LoadResult> {
  const origin = new URL(spec.origin);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const run = new Run(spec);
  const latencies: number[] = [];
  let failed = 0;
  const total = Math.min(spec.amount ?? Infinity, Math.floor(spec.overallRate * spec.durationSec));
  const started = performance.now();
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const r = run.nextRequest();
      const req = http.request(
        {
          host: origin.hostname,
          port: origin.port,
          method: spec.method,
          path: r.path,
          agent,
          headers: {
            ...spec.headers,
            ...r.headers,
            ...(r.body !== undefined ? { 'content-length': Buffer.byteLength(r.body) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies.push(performance.now() - due);
            run.answered(res.statusCode ?? 0, () => Buffer.concat(chunks).toString('utf8'));
            resolve();
          });
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end(r.body);
    });
  const inFlight: Promise<void>[] = [];
  for (let sent = 0; sent < total; ) {
    const now = performance.now();
    for (; sent < total && started + (sent * 1000) / spec.overallRate <= now; sent++)
      inFlight.push(send(started + (sent * 1000) / spec.overallRate));
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inFlight);
  agent.destroy();
  const elapsedSec = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return run.result(
    {
      requestsPerSec: latencies.length / elapsedSec,
      total: latencies.length,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: latencies.at(-1) ?? 0,
      elapsedSec,
    },
    failed,
  );
}

async function runOne(spec: LoadSpec): Promise<LoadResult> {
  if (spec.requests.length === 0) throw new Error(`${spec.title}: no requests to send`);
  if (spec.overallRate) return runPaced({ ...spec, overallRate: spec.overallRate });
  const run = new Run(spec);
  const started = Date.now();
  let finish!: (error: unknown, result: autocannon.Result) => void;
  const finished = new Promise<autocannon.Result>(
    (resolve, reject) => (finish = (error, result) => (error ? reject(error) : resolve(result))),
  );
  const instance = autocannon(
    {
      url: spec.origin,
      connections: spec.connections,
      duration: spec.durationSec,
      ...(spec.amount ? { amount: spec.amount } : {}),
      timeout: 30,
      method: spec.method,
      headers: spec.headers ?? {},
      requests: [
        {
          setupRequest: (req) => {
            const r = run.nextRequest();
            return {
              ...req,
              path: r.path,
              headers: { ...req.headers, ...r.headers },
              ...(r.body !== undefined ? { body: r.body } : {}),
            };
          },
          onResponse: (status, body) => run.answered(status, () => body),
        },
      ],
    },
    (error, result) => finish(error, result),
  );
  // With `amount`, autocannon ignores the duration; keep the run within it anyway.
  const cap = spec.amount ? setTimeout(() => instance.stop(), spec.durationSec * 1000) : undefined;
  const result = await finished;
  if (cap) clearTimeout(cap);
  const total = result.requests.total;
  return run.result(
    {
      requestsPerSec: total / result.duration,
      total,
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      elapsedSec: (Date.now() - started) / 1000,
    },
    result.errors + result.timeouts,
  );
}

/** Runs several loads at once (the hot link beside the distinct-link load) and measures this process's CPU. */
async function runAll(specs: LoadSpec[]): Promise<LoadResult[]> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const results = await Promise.all(specs.map(runOne));
  const used = process.cpuUsage(cpu);
  const wallMicros = Number(process.hrtime.bigint() - started) / 1000;
  const pct = ((used.user + used.system) / wallMicros) * 100;
  return results.map((r) => ({ ...r, clientCpuPct: pct }));
}

export interface LoadClient {
  pid: number;
  run(specs: LoadSpec[]): Promise<LoadResult[]>;
  close(): void;
}

export function startLoadClient(): LoadClient {
  const child = fork(fileURLToPath(import.meta.url), ['child'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let seq = 0;
  return {
    pid: child.pid!,
    run(specs) {
      const id = ++seq;
      return new Promise((resolve, reject) => {
        const onMessage = (msg: { id: number; results?: LoadResult[]; error?: string }) => {
          if (msg.id !== id) return;
          child.off('message', onMessage);
          child.off('exit', onExit);
          if (msg.results) resolve(msg.results);
          else reject(new Error(msg.error ?? 'load client failed'));
        };
        const onExit = (code: number | null) => reject(new Error(`load client exited with ${code}`));
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send({ id, specs });
      });
    },
    close: () => child.kill(),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.send) {
  process.on('message', (msg: { id: number; specs: LoadSpec[] }) => {
    runAll(msg.specs).then(
      (results) => process.send!({ id: msg.id, results }),
      (error: unknown) => process.send!({ id: msg.id, error: error instanceof Error ? error.stack : String(error) }),
    );
  });
}
