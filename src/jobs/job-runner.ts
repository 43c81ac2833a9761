/**
 * Runs background jobs in this process. Every process runs every job: they claim their rows with
 * FOR UPDATE SKIP LOCKED, so more processes add capacity instead of doubling work. A job that
 * found work runs again after a pause as long as its batch took (so a backlog — a crowd of
 * attempts whose check time came at once — takes at most half of the process and its
 * requests keep the rest); an idle one waits for its interval.
 */
export interface Job {
  name: string;
  intervalMs: number;
  /** does one batch; answers how many rows it handled */
  run(): Promise<number>;
}

export interface JobLogger {
  error(obj: object, msg: string): void;
}

/** One finished run of a job: it found work, found none, or failed. */
export interface JobRun {
  job: string;
  outcome: 'work' | 'idle' | 'failed';
}

export class JobRunner {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private stopped = true;

  constructor(
    private readonly jobs: readonly Job[],
    private readonly log: JobLogger,
    /** told of every finished run (the operator's metrics count them) */
    private readonly onRun: (run: JobRun) => void = () => undefined,
  ) {}

  start(): void {
    this.stopped = false;
    for (const job of this.jobs) this.schedule(job, Math.floor(Math.random() * job.intervalMs));
  }

  /** Runs every job until none finds work; for tests and the operator's command line. */
  async drain(maxRounds = 20): Promise<number> {
    let total = 0;
    for (let round = 0; round < maxRounds; round++) {
      let found = 0;
      for (const job of this.jobs) {
        const handled = await job.run();
        this.onRun({ job: job.name, outcome: handled > 0 ? 'work' : 'idle' });
        found += handled;
      }
      total += found;
      if (found === 0) break;
    }
    return total;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private schedule(job: Job, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      const started = performance.now();
      const run = job.run().then(
        (handled) => {
          this.onRun({ job: job.name, outcome: handled > 0 ? 'work' : 'idle' });
          this.schedule(job, handled > 0 ? Math.min(performance.now() - started, job.intervalMs) : job.intervalMs);
        },
        (error: unknown) => {
          this.log.error({ err: error, job: job.name }, 'background job failed');
          this.onRun({ job: job.name, outcome: 'failed' });
          this.schedule(job, job.intervalMs);
        },
      );
      this.running.add(run);
      void run.finally(() => this.running.delete(run));
    }, delayMs);
    timer.unref();
    this.timers.set(job.name, timer);
  }
}
