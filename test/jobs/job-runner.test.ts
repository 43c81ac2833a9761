import { describe, expect, it } from 'vitest';
import { type Job, type JobRun, JobRunner } from '../../src/jobs/job-runner.js';

/** A job that answers `results` in turn (a number handled, or an error thrown), then 0. */
function scripted(name: string, results: (number | Error)[]): Job {
  let i = 0;
  return {
    name,
    intervalMs: 5,
    run: async () => {
      const next = results[i++] ?? 0;
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

/** The runs reported, and a promise for the moment `count` runs of `job` have finished. */
function observed() {
  const runs: JobRun[] = [];
  const waiters: { job: string; count: number; resolve: () => void }[] = [];
  const settle = () => {
    for (const w of waiters) if (runs.filter((r) => r.job === w.job).length >= w.count) w.resolve();
  };
  const onRun = (run: JobRun) => {
    runs.push(run);
    settle();
  };
  const ran = (job: string, count: number) =>
    new Promise<void>((resolve) => {
      waiters.push({ job, count, resolve });
      settle();
    });
  return { runs, onRun, ran };
}

describe('the job runner reports every finished run', () => {
  it('a started runner tells each run as work, idle or failed, and logs the failure', async () => {
    const errors: object[] = [];
    const { runs, onRun, ran } = observed();
    const runner = new JobRunner(
      [scripted('busy', [2, 0]), scripted('broken', [new Error('database away'), 1])],
      { error: (obj) => errors.push(obj) },
      onRun,
    );
    runner.start();
    try {
      await Promise.all([ran('busy', 2), ran('broken', 2)]);
    } finally {
      await runner.stop();
    }
    const of = (job: string) => runs.filter((r) => r.job === job).map((r) => r.outcome);
    expect(of('busy').slice(0, 2)).toEqual(['work', 'idle']);
    expect(of('broken').slice(0, 2)).toEqual(['failed', 'work']);
    expect(errors).toEqual([expect.objectContaining({ job: 'broken' })]);
  });

  it('drain reports its runs too, round by round until none finds work', async () => {
    const { runs, onRun } = observed();
    const runner = new JobRunner([scripted('a', [1, 1]), scripted('b', [3])], { error: () => undefined }, onRun);
    expect(await runner.drain()).toBe(5);
    expect(runs).toEqual([
      { job: 'a', outcome: 'work' },
      { job: 'b', outcome: 'work' },
      { job: 'a', outcome: 'work' },
      { job: 'b', outcome: 'idle' },
      { job: 'a', outcome: 'idle' },
      { job: 'b', outcome: 'idle' },
    ]);
  });
});
