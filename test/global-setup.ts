import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connectDatabase } from '../src/db/database.js';
import { EmbeddedPostgresError, startEmbeddedPostgres, type EmbeddedServer } from '../src/db/embedded-postgres.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { unusedLocalPort } from './helpers/local-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
    runId: string;
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Starts the database once per run: the embedded PostgreSQL, or the server in TEST_DATABASE_URL.
 * Migrations are applied once to a template database; each test file then clones it, which
 * takes milliseconds and isolates files from each other.
 */
export default async function setup(project: TestProject) {
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  let embedded: EmbeddedServer | undefined;
  let tempDir: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    tempDir = await mkdtemp(path.join(tmpdir(), 'visitpay-test-'));
    // The server runs as the postgres system user, which must be able to enter the folder.
    await chmod(tempDir, 0o755);
    const port = await unusedLocalPort(20_000, 25_000);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(tempDir, 'pg'), port }).catch((error: unknown) => {
      // O1: what cannot work on this machine is said in one line, with the way forward
      if (!(error instanceof EmbeddedPostgresError)) throw error;
      console.error(
        `[visitpay tests] cannot start the embedded PostgreSQL: ${error.message} (or set TEST_DATABASE_URL)`,
      );
      process.exit(1);
    });
    adminUrl = embedded.databaseUrl('postgres');
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  if (embedded) {
    // The tests' own cluster is scratch, deleted after the run: nothing in it must survive a crash, so its
    // commits need not wait for the disk. (Only here: an installation's embedded server stays durable.)
    for (const setting of ['fsync', 'synchronous_commit', 'full_page_writes'])
      await admin.query(`ALTER SYSTEM SET ${setting} = off`);
    await admin.query('SELECT pg_reload_conf()');
  }
  const template = `vp_tpl_${runId}`;
  await admin.query(`CREATE DATABASE ${template}`);
  const tpl = connectDatabase(withDatabase(adminUrl, template), 2);
  await migrateToLatest(tpl.db);
  await tpl.close();

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);
  project.provide('runId', runId);

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `vp\\_%${runId}%`,
    ]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  };
}
