import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MAGIC } from '../../src/backups/archive.js';
import { restoreBackup } from '../../src/backups/restore-backup.js';
import { writeBackup } from '../../src/backups/write-backup.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { MIGRATION_NAMES, migrateInOpenTransaction } from '../../src/db/migrator.js';
import { createTestDatabase } from '../helpers/database.js';
import { TEST_SECRET_KEY } from '../helpers/test-app.js';

/** O2: a backup carries its Visitpay version (the migrations it had); restore builds that schema, then migrates on. */
const dir = await mkdtemp(path.join(tmpdir(), 'visitpay-versions-'));
const keys = { current: TEST_SECRET_KEY, previous: [] };
const opened: DatabaseHandle[] = [];
afterAll(async () => {
  for (const handle of opened) await handle.close();
});

/** An empty database of this run (dropped with the others at the end), migrated up to `target` when given. */
async function databaseAt(target?: string): Promise<{ url: string; handle: DatabaseHandle }> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `vp_t_${inject('runId')}_old_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = connectDatabase(url.toString(), 2);
  opened.push(handle);
  if (target) await migrateInOpenTransaction(handle.db, target);
  return { url: url.toString(), handle };
}

/** Rewrites a backup's manifest; its data (and the data's checksum) stay as they were. */
function editManifest(file: string, edit: (manifest: any) => void): void {
  const bytes = readFileSync(file);
  const end = bytes.indexOf(0x0a, MAGIC.length);
  const manifest = JSON.parse(bytes.subarray(MAGIC.length, end).toString('utf8'));
  edit(manifest);
  writeFileSync(file, Buffer.concat([Buffer.from(`${MAGIC}${JSON.stringify(manifest)}\n`), bytes.subarray(end + 1)]));
}

describe('O2 backups across Visitpay versions', () => {
  it('O2 a backup from an older Visitpay restores into its own schema, then is migrated to the latest', async () => {
    const older = MIGRATION_NAMES[MIGRATION_NAMES.indexOf('0014-backups') - 1]!;
    const old = await databaseAt(older);
    await sql`INSERT INTO companies (id, name, currency, timezone, country, default_tax_system)
              VALUES ('co_from_before', 'Salon of old', 'EUR', 'Europe/Berlin', 'DE', 'osn')`.execute(old.handle.db);
    const file = path.join(dir, 'older.vpbackup');
    const written = await writeBackup({ databaseUrl: old.url, file, secretKey: TEST_SECRET_KEY, now: new Date() });
    expect(written.manifest.migrations.at(-1)).toBe(older);

    const target = await createTestDatabase(2);
    opened.push(target);
    await restoreBackup({ databaseUrl: target.url, file, force: false, keys, say: () => undefined });
    const company = await target.db
      .selectFrom('companies')
      .select('name')
      .where('id', '=', 'co_from_before')
      .executeTakeFirst();
    expect(company).toEqual({ name: 'Salon of old' });
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(target.db);
    expect(rows.map((r) => r.name)).toEqual([...MIGRATION_NAMES]);
  });

  it('O2 a backup from a newer Visitpay is refused, naming the migration it does not know, and nothing changes', async () => {
    const source = await createTestDatabase(2);
    opened.push(source);
    const file = path.join(dir, 'newer.vpbackup');
    await writeBackup({ databaseUrl: source.url, file, secretKey: TEST_SECRET_KEY, now: new Date() });
    // the manifest as a later Visitpay would write it
    editManifest(file, (manifest) => manifest.migrations.push('0999-from-the-future'));

    const target = await createTestDatabase(2);
    opened.push(target);
    await sql`INSERT INTO companies (id, name, currency, timezone, country, default_tax_system)
              VALUES ('co_present', 'Present', 'EUR', 'Europe/Berlin', 'DE', 'osn')`.execute(target.db);
    await expect(
      restoreBackup({ databaseUrl: target.url, file, force: true, keys, say: () => undefined }),
    ).rejects.toThrow(
      /comes from a newer Visitpay \(its migration 0999-from-the-future is unknown here\): upgrade Visitpay, then restore/,
    );
    expect(await target.db.selectFrom('companies').select('id').execute()).toEqual([{ id: 'co_present' }]);
  });

  it('O2 restore never replaces the tables of another application, even with --force', async () => {
    const source = await createTestDatabase(2);
    opened.push(source);
    const file = path.join(dir, 'plain.vpbackup');
    await writeBackup({ databaseUrl: source.url, file, secretKey: TEST_SECRET_KEY, now: new Date() });
    const shared = await databaseAt();
    await sql`CREATE TABLE other_app_orders (id int PRIMARY KEY); INSERT INTO other_app_orders VALUES (7)`.execute(
      shared.handle.db,
    );
    await expect(
      restoreBackup({ databaseUrl: shared.url, file, force: true, keys, say: () => undefined }),
    ).rejects.toThrow(/the database holds tables that are not Visitpay's \(other_app_orders\)/);
    const { rows } = await sql<{ id: number }>`SELECT id FROM other_app_orders`.execute(shared.handle.db);
    expect(rows).toEqual([{ id: 7 }]);
  });

  it('O2 a manifest that does not match its data fails the restore part-way with one line, and everything is rolled back', async () => {
    const source = await createTestDatabase(2);
    opened.push(source);
    await sql`INSERT INTO companies (id, name, currency, timezone, country, default_tax_system)
              VALUES ('co_a', 'A', 'EUR', 'Europe/Berlin', 'DE', 'osn'), ('co_b', 'B', 'EUR', 'Europe/Berlin', 'DE', 'osn')`.execute(
      source.db,
    );
    const good = path.join(dir, 'counted.vpbackup');
    await writeBackup({ databaseUrl: source.url, file: good, secretKey: TEST_SECRET_KEY, now: new Date() });
    const target = await createTestDatabase(2);
    opened.push(target);
    await sql`INSERT INTO companies (id, name, currency, timezone, country, default_tax_system)
              VALUES ('co_present', 'Present', 'EUR', 'Europe/Berlin', 'DE', 'osn')`.execute(target.db);

    const cases: [string, (manifest: any) => void, RegExp][] = [
      [
        'rows.vpbackup',
        (m) => (m.tables.find((t: any) => t.name === 'companies').rows = 3),
        /the backup is damaged: companies holds 2 rows where its manifest says 3/,
      ],
      [
        'bytes.vpbackup',
        (m) => (m.tables.find((t: any) => t.name === 'companies').bytes += 1_000),
        /the backup is damaged: its data ends before every table was read/,
      ],
    ];
    for (const [name, edit, message] of cases) {
      const file = path.join(dir, name);
      writeFileSync(file, readFileSync(good));
      editManifest(file, edit);
      await expect(
        restoreBackup({ databaseUrl: target.url, file, force: true, keys, say: () => undefined }),
      ).rejects.toThrow(message);
      expect(await target.db.selectFrom('companies').select('id').execute()).toEqual([{ id: 'co_present' }]);
    }
  });
});
