import { execFile } from 'node:child_process';
import { TEST_SECRET_KEY, type TestApp } from './test-app.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the operator commands (`src/cli.ts`) as a process with exactly `env`: its exit code and output. */
export function runCli(env: NodeJS.ProcessEnv, args: string[], timeoutMs: number): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', ...args],
      { env, timeout: timeoutMs },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * `visitpay …` as the operator of a test app's installation runs it: its database, secret key and
 * public URL (where run-jobs delivers the sandbox bank's notifications), `base` on top, and each
 * call's `env` on top of that.
 */
export function cliOf(t: TestApp, publicUrl: string, base: Record<string, string> = {}, timeoutMs = 60_000) {
  return (env: Record<string, string>, ...args: string[]): Promise<CliResult> =>
    runCli(
      {
        ...process.env,
        DATABASE_URL: t.database.url,
        SECRET_KEY: TEST_SECRET_KEY,
        NODE_ENV: 'test',
        PUBLIC_URL: publicUrl,
        ...base,
        ...env,
      },
      args,
      timeoutMs,
    );
}
