import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { MIGRATION_LOCK, MIGRATION_NAMES, migrateInOpenTransaction } from '../db/migrator.js';
import { BackupError, checkArchive, type Manifest } from './archive.js';
import { keyForBackup } from './backup-key.js';
import { copyPayload } from './copy-payload.js';
import { resealRestored } from './reseal-restored.js';
import { NOT_BACKED_UP, openSession, quoteIdent, schemaTables } from './snapshot-session.js';

export interface RestoreOptions {
  databaseUrl: string;
  file: string;
  /** replace a database that holds data */
  force: boolean;
  keys: { current: string; previous: readonly string[]; passphrase?: string };
  say: (line: string) => void;
}

/**
 * Restores a backup written by writeBackup. Everything happens in one transaction — wiping the
 * schema (only with `force` when it holds data), rebuilding it with the migrations the backup
 * was taken at, loading every table, resealing secrets under this machine's key, migrating to
 * the latest version — so a restore that fails leaves the database as it was.
 */
export async function restoreBackup(options: RestoreOptions): Promise<{ rows: number; resealed: number }> {
  const { manifest, payloadOffset } = await checkArchive(options.file);
  checkMigrations(manifest);
  const backupKey = keyForBackup(manifest.secretKey, options.keys);

  const client = await openSession(options.databaseUrl);
  const db = kyselyOn(client);
  try {
    await client.query('BEGIN');
    // no server may migrate while the schema is rebuilt
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await refuseDataUnlessForced(client, options.force);
    const keptBackups = await keepBackupRecords(client);
    await dropSchemaObjects(client);
    await migrateInOpenTransaction(db, manifest.migrations[manifest.migrations.length - 1]);
    const rows = await loadTables(client, manifest, options.file, payloadOffset);
    await migrateInOpenTransaction(db);
    const resealed = backupKey
      ? await resealRestored(client, { from: backupKey, to: options.keys.current }, options.say)
      : 0;
    if (keptBackups) await client.query('INSERT INTO backups SELECT * FROM kept_backups');
    await client.query('COMMIT');
    return { rows, resealed };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The backup's migrations must be the first ones of this Visitpay's: it cannot build a schema it does not know. */
function checkMigrations(manifest: Manifest): void {
  manifest.migrations.forEach((name, index) => {
    if (MIGRATION_NAMES[index] === name) return;
    throw new BackupError(
      MIGRATION_NAMES.includes(name)
        ? `this backup's migrations do not match this Visitpay's (${name} at position ${index + 1})`
        : `this backup comes from a newer Visitpay (its migration ${name} is unknown here): upgrade Visitpay, then restore`,
    );
  });
}

/** A Kysely that runs every statement on this one client, inside the transaction it has open. */
function kyselyOn(client: pg.Client): Kysely<unknown> {
  const shared = Object.assign(client, { release: () => undefined });
  return new Kysely<unknown>({
    dialect: new PostgresDialect({
      pool: { connect: async () => shared, end: async () => undefined } as unknown as pg.Pool,
    }),
  });
}

async function refuseDataUnlessForced(client: pg.Client, force: boolean): Promise<void> {
  const tables = await schemaTables(client);
  // --force replaces Visitpay's schema, never tables of another application sharing the database
  if (tables.length > 0 && !tables.some((t) => t.name === 'kysely_migration')) {
    throw new BackupError(
      `the database holds tables that are not Visitpay's (${tables
        .slice(0, 4)
        .map((t) => t.name)
        .join(', ')}): restore into an empty database or one Visitpay created`,
    );
  }
  const holding: string[] = [];
  for (const table of tables) {
    if (NOT_BACKED_UP.includes(table.name)) continue;
    const { rows } = await client.query<{ any: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${quoteIdent(table.name)}) AS any`,
    );
    if (rows[0]!.any) holding.push(table.name);
  }
  if (holding.length > 0 && !force) {
    throw new BackupError(
      `the database is not empty (${holding.length} table(s) hold data: ${holding.slice(0, 4).join(', ')}${holding.length > 4 ? ', …' : ''}): add --force to replace everything in it with the backup`,
    );
  }
}

/** This machine's record of its backup files describes files on its disk, not the restored data: it stays. */
async function keepBackupRecords(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass('backups') IS NOT NULL AS exists`);
  if (!rows[0]!.exists) return false;
  await client.query('CREATE TEMP TABLE kept_backups ON COMMIT DROP AS SELECT * FROM backups');
  return true;
}

/** Every table and function of the schema (triggers, indexes and sequences go with their tables). */
async function dropSchemaObjects(client: pg.Client): Promise<void> {
  const tables = await schemaTables(client);
  if (tables.length > 0) await client.query(`DROP TABLE ${tables.map((t) => quoteIdent(t.name)).join(', ')} CASCADE`);
  const { rows } = await client.query<{ signature: string }>(
    `SELECT p.oid::regprocedure::text AS signature FROM pg_proc p
      WHERE p.pronamespace = current_schema()::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
  );
  for (const { signature } of rows) await client.query(`DROP FUNCTION ${signature} CASCADE`);
}

/**
 * COPYs each table's rows in, as pg_restore does: data first with triggers off (the audit trail's
 * outgoing webhooks and the day totals are restored, not derived again) and foreign keys dropped
 * (payments refer to payments), then the keys added back, which checks every reference.
 */
async function loadTables(client: pg.Client, manifest: Manifest, file: string, payloadOffset: number): Promise<number> {
  const { rows: foreignKeys } = await client.query<{ tbl: string; name: string; def: string }>(
    `SELECT r.relname AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
      WHERE c.contype = 'f' AND r.relnamespace = current_schema()::regnamespace`,
  );
  for (const fk of foreignKeys)
    await client.query(`ALTER TABLE ${quoteIdent(fk.tbl)} DROP CONSTRAINT ${quoteIdent(fk.name)}`);
  for (const t of manifest.tables) await client.query(`ALTER TABLE ${quoteIdent(t.name)} DISABLE TRIGGER USER`);

  const payload = createReadStream(file, { start: payloadOffset }).pipe(createGunzip()) as AsyncIterable<Buffer>;
  const total = await copyPayload(client, manifest.tables, payload);

  for (const t of manifest.tables) await client.query(`ALTER TABLE ${quoteIdent(t.name)} ENABLE TRIGGER USER`);
  for (const fk of foreignKeys)
    await client.query(`ALTER TABLE ${quoteIdent(fk.tbl)} ADD CONSTRAINT ${quoteIdent(fk.name)} ${fk.def}`);
  for (const s of manifest.sequences) {
    await client.query('SELECT setval($1::regclass, $2::bigint, $3)', [quoteIdent(s.name), s.value, s.isCalled]);
  }
  return total;
}
