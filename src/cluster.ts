import cluster, { type Address, type Worker } from 'node:cluster';
import { answerClusterMetrics } from './http/cluster-metrics.js';

/**
 * O3: VISITPAY_WORKERS > 1 — the primary process forks that many workers (node:cluster), which
 * share its one listening port; each worker is a whole Visitpay server (HTTP, jobs, its own pool),
 * and they coordinate through the database exactly as separate processes behind a load balancer do.
 * The primary serves nothing itself: it keeps the workers running and stops them.
 *
 * What lives in a worker's memory and is not shared: the per-address request limits of
 * @fastify/rate-limit (so an address may make up to N times a limit, one per worker it reaches;
 * the per-account sign-in throttle and the sending quotas are in PostgreSQL and hold across
 * workers), the coalescing of presses of one link (other workers' presses meet at the link's row
 * lock) and short caches that other processes' writes already had to expire. Live events travel
 * through LISTEN/NOTIFY and /metrics is summed over the workers (http/cluster-metrics.ts).
 */

/** Deaths within a minute that mean a crash loop rather than bad luck: the primary gives up. */
export const DEATHS_PER_MINUTE = 5;
/** How long a worker may take to close HTTP, finish its jobs and close its pool before SIGKILL. */
const STOP_GRACE_MS = 15_000;

export interface WorkerPool {
  /** the port every worker listens on */
  port: number;
  /** SIGTERM to every worker (each closes HTTP, jobs and pool), SIGKILL to one that outlives the grace period */
  stop(): Promise<void>;
}

export interface WorkerPoolOptions {
  count: number;
  /** added to each worker's environment (e.g. the embedded server's DATABASE_URL) */
  env: Record<string, string>;
  log: (line: string) => void;
  /** workers keep dying: the pool has stopped restarting them; the caller stops the rest and exits */
  onCrashLoop: (line: string) => void;
}

/** Forks `count` workers and resolves once all of them listen; rejects if one exits before. */
export async function startWorkers(options: WorkerPoolOptions): Promise<WorkerPool> {
  let stopping = false;
  answerClusterMetrics();
  // said here rather than by the worker, so that it comes before the primary's own lines that follow
  cluster.on('listening', (worker, address) =>
    options.log(`worker ${worker.id} (pid ${worker.process.pid}) is serving port ${address.port}`),
  );
  const fork = () => cluster.fork(options.env);
  const all = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  const stop = async () => {
    stopping = true;
    await Promise.all(all().map(stopWorker));
  };

  const port = await new Promise<number>((resolve, reject) => {
    let listening = 0;
    const onListening = (_worker: Worker, address: Address) => {
      if (++listening < options.count) return;
      settle();
      resolve(address.port);
    };
    const onExit = (worker: Worker, code: number | null, signal: string | null) => {
      settle();
      reject(new Error(`worker ${worker.id} ${ending(code, signal)} before it listened`));
    };
    const settle = () => {
      cluster.off('listening', onListening);
      cluster.off('exit', onExit);
    };
    cluster.on('listening', onListening);
    cluster.on('exit', onExit);
    for (let k = 0; k < options.count; k++) fork();
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });

  const deaths: number[] = [];
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    const now = Date.now();
    deaths.push(now);
    while (deaths[0]! <= now - 60_000) deaths.shift();
    const how = `worker ${worker.id} (pid ${worker.process.pid}) ${ending(code, signal)}`;
    if (deaths.length >= DEATHS_PER_MINUTE) {
      stopping = true;
      options.onCrashLoop(
        `workers keep dying (${deaths.length} within a minute, the last: ${how}); stopping — see the lines above for the cause`,
      );
      return;
    }
    // a back-off, so a worker that dies at once does not spin the machine
    const delay = Math.min(250 * 2 ** (deaths.length - 1), 4_000);
    options.log(`${how}; starting another in ${delay} ms`);
    // not unref'd: with every worker dead, this timer is what keeps the primary alive until the next one
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });

  return { port, stop };
}

function stopWorker(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve();
    const timer = setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.process.kill('SIGTERM');
  });
}

function ending(code: number | null, signal: string | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}
