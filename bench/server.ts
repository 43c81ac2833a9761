import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import cluster from 'node:cluster';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startWorkers } from '../src/cluster.js';
import { loadConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/database.js';
import { buildApp } from '../src/http/app.js';
import { JobRunner } from '../src/jobs/job-runner.js';
import { visitpayJobs } from '../src/jobs/jobs.js';
import { createServices } from '../src/services.js';
import { systemClock } from '../src/shared/clock.js';
import { silentLogger } from '../src/shared/logger.js';
import { buildFloorApp } from './floors.js';

/**
 * The server under test, in a process of its own (`node --import tsx bench/server.ts app|floors`)
 * so that its RSS and CPU are its own and the load generator does not share its event loop.
 * `app` is Visitpay as src/main.ts composes it (services, HTTP app, background jobs), logger off;
 * `floors` is the bare Fastify server of bench/floors.ts; `workers` is `app` served by 2 worker
 * processes of src/cluster.ts on one port (O3, VISITPAY_WORKERS=2). Each process uses main.ts's
 * pool of 20 connections.
 */
export const POOL_SIZE = 20;

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export type ServerKind = 'app' | 'floors' | 'workers';

/** O3: the workers of the `workers` kind */
export const BENCH_WORKERS = 2;

export interface RunningServer {
  kind: ServerKind;
  pid: number;
  /** every process that serves: the server's own pid, and with `workers` its workers' too */
  pids: number[];
  url: string;
  /** the process's own view of its memory right now (heap, external, RSS) in bytes */
  memory(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

/**
 * The server runs as `npm start` runs it in production: bundled by esbuild into plain JavaScript
 * with its source map, without a TypeScript loader in the process (which alone costs some 40 MB
 * of memory), under the node options of the start script.
 */
function bundledServer(): string {
  const outfile = path.resolve(fileURLToPath(new URL('../dist/bench/server.js', import.meta.url)));
  buildSync({
    entryPoints: [fileURLToPath(import.meta.url)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    target: 'node20',
    sourcemap: true,
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

/** The node options of `npm start` (package.json), so the bench measures the process production runs. */
function startOptions(): string[] {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as {
    scripts: { start: string };
  };
  return pkg.scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}

/** Starts a server process and answers once it listens. */
export async function startServer(kind: ServerKind, env: Record<string, string>): Promise<RunningServer> {
  const child: ChildProcess = fork(bundledServer(), [kind], {
    // BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of each server process there, to find where its time goes.
    execArgv: [
      ...startOptions(),
      ...(process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : []),
    ],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { port, workers } = await new Promise<{ port: number; workers?: number[] }>((resolve, reject) => {
    child.once('message', (msg: { port?: number; workers?: number[] }) =>
      msg.port
        ? resolve({ port: msg.port, workers: msg.workers })
        : reject(new Error(`server said ${JSON.stringify(msg)}`)),
    );
    child.once('exit', (code) => reject(new Error(`bench server (${kind}) exited with ${code} before listening`)));
  });
  return {
    kind,
    pid: child.pid!,
    pids: [child.pid!, ...(workers ?? [])],
    url: `http://127.0.0.1:${port}`,
    memory: () =>
      new Promise((resolve) => {
        child.once('message', (msg: { memory: NodeJS.MemoryUsage }) => resolve(msg.memory));
        child.send({ memory: true });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ stop: true });
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/** Answers the parent's questions; runs `stop` when asked to end. */
function obey(stop: () => Promise<void>): void {
  process.on('message', (msg: { stop?: boolean; memory?: boolean }) => {
    if (msg.memory) process.send?.({ memory: process.memoryUsage() });
    if (msg.stop) void stop().then(() => process.exit(0));
  });
}

async function serve(kind: ServerKind): Promise<void> {
  if (kind === 'workers' && cluster.isPrimary) {
    const pool = await startWorkers({
      count: BENCH_WORKERS,
      env: {},
      log: (line) => console.log(`[bench:server] ${line}`),
      onCrashLoop: (line) => {
        console.error(`[bench:server] ${line}`);
        process.exit(1);
      },
    });
    obey(pool.stop);
    const workers = Object.values(cluster.workers ?? {}).map((w) => w!.process.pid!);
    process.send?.({ port: pool.port, workers });
    return;
  }
  const config = loadConfig();
  const databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required');
  if (kind === 'floors') {
    const { app, closePool } = await buildFloorApp({
      databaseUrl,
      poolSize: POOL_SIZE,
      stubUrl: process.env.BENCH_STUB_URL ?? '',
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    obey(() => app.close().then(closePool));
    process.send?.({ port: (app.server.address() as { port: number }).port });
    return;
  }
  const database = connectDatabase(databaseUrl, POOL_SIZE);
  const services = createServices({
    db: database.db,
    pool: database.pool,
    clock: systemClock,
    logger: silentLogger(),
    config,
    secretKey: config.SECRET_KEY!,
    databaseUrl,
  });
  const app = await buildApp({ config, db: database.db, services, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  services.origins.listening(port);
  const jobs = new JobRunner(visitpayJobs({ db: database.db, clock: systemClock, services }), app.log);
  jobs.start();
  const stop = async () => {
    await jobs.stop();
    await app.close();
    await services.announcer.flush();
    await services.live.close();
    await database.close();
  };
  if (cluster.isWorker) {
    // a worker of the `workers` kind: its primary stops it as src/cluster.ts stops one
    process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
    return;
  }
  obey(stop);
  process.send?.({ port });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const kind = process.argv[2];
  if (kind !== 'app' && kind !== 'floors' && kind !== 'workers') {
    console.error('usage: node --import tsx bench/server.ts app|floors|workers');
    process.exit(2);
  }
  serve(kind).catch((error: unknown) => {
    console.error('[bench:server] failed:', error);
    process.exit(1);
  });
}

/** CPU time of a process, in seconds (Linux /proc; 0 elsewhere). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Busy and total CPU time of the whole machine, in seconds over all cores. */
export function machineCpuSeconds(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [, ...values] = line.trim().split(/\s+/);
    const n = values.map(Number);
    const idle = (n[3] ?? 0) + (n[4] ?? 0);
    const total = n.slice(0, 8).reduce((s, v) => s + v, 0);
    return { busy: (total - idle) / CLOCK_TICKS, total: total / CLOCK_TICKS };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** Samples a process's resident set (VmRSS) every `everyMs` until stopped; answers the peak in bytes. */
export function watchRss(pid: number, everyMs = 100): { stop(): { peak: number; hwm: number } } {
  const kb = (field: string) => {
    try {
      const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Number(match[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  };
  let peak = kb('VmRSS');
  const timer = setInterval(() => (peak = Math.max(peak, kb('VmRSS'))), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { peak: Math.max(peak, kb('VmRSS')), hwm: kb('VmHWM') };
    },
  };
}
