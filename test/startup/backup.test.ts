import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { keyFingerprint } from '../../src/backups/backup-key.js';
import { SecretBox } from '../../src/shared/encryption.js';
import { completeSandbox, connectSandbox, copyLink, payableAppointment, pressPay } from '../helpers/links.js';
import { cliOf } from '../helpers/cli-process.js';
import { createTestApp, TEST_SECRET_KEY } from '../helpers/test-app.js';
import type { Db } from '../../src/db/database.js';

/** O2: `visitpay backup` and `visitpay restore`, run as processes against a real database. */
const t = await createTestApp();
const publicUrl = await t.listen();
const dir = await mkdtemp(path.join(tmpdir(), 'visitpay-backups-'));
const OTHER_KEY = 'YW5vdGhlci1tYWNoaW5lcy1rZXktdGhhdC1pcy1sb25nLWVub3VnaA==';

const visitpay = cliOf(t, publicUrl, { VISITPAY_DATA_DIR: dir }, 120_000);

/** Every row of every table a backup holds, in a stable order: what "the same database" means here. */
async function everyRow(db: Db): Promise<Record<string, string[]>> {
  const { rows: tables } = await sql<{ name: string }>`
    SELECT tablename AS name FROM pg_tables
     WHERE schemaname = current_schema() AND tablename NOT IN ('kysely_migration', 'kysely_migration_lock', 'backups') ORDER BY 1`.execute(
    db,
  );
  const all: Record<string, string[]> = {};
  for (const { name } of tables) {
    const { rows } = await sql<{ r: string }>`SELECT to_jsonb(x)::text AS r FROM ${sql.table(name)} x`.execute(db);
    all[name] = rows.map((row) => row.r).sort();
  }
  return all;
}

/** Drops the test app's database and creates it again, empty: the machine that lost its data. */
async function wipeDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE "${t.database.name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${t.database.name}"`);
  } finally {
    await admin.end();
  }
}

async function paidAppointment() {
  const company = await t.newCompany();
  await connectSandbox(company);
  const appt = await payableAppointment(t, company, { price: 12_500 });
  const link = await copyLink(company, appt.id);
  const pay = await pressPay(t, link.token);
  expect(pay.status, pay.body).toBe(303);
  await completeSandbox(t, pay.location!);
  await t.jobs.drain();
  const view = await company.owner.get(`${company.base}/appointments/${appt.id}`);
  expect(view.body.paymentStatus).toBe('paid');
  return { company, appt, link };
}

const oneLine = (text: string) => text.trim().split('\n').length === 1;

// every command is a process of its own, and each takes seconds on a busy machine
describe('O2 backup and restore', { timeout: 300_000 }, () => {
  it('O2 a paid appointment survives backup → wipe → restore, with its link (same token), attempts, payments and audit', async () => {
    const { company, appt, link } = await paidAppointment();
    const before = await everyRow(t.db);
    expect(before.audit_log!.length).toBeGreaterThan(0);
    expect(before.checkout_attempts!.length).toBe(1);

    const file = path.join(dir, 'paid.vpbackup');
    const backup = await visitpay({}, 'backup', file);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain(`backup written: ${file}`);
    expect(backup.stdout).toContain(keyFingerprint(TEST_SECRET_KEY));

    await wipeDatabase();
    const restored = await visitpay({}, 'restore', file);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/restored .*paid\.vpbackup: \d+ rows/);

    expect(await everyRow(t.db)).toEqual(before);
    const page = await t.anonymous.get(`/pay/${link.token}`);
    expect(page.status).toBe(200);
    const view = await company.owner.get(`${company.base}/appointments/${appt.id}`);
    expect(view.body).toMatchObject({ paymentStatus: 'paid', paid: 12_500, due: 0 });
    expect((await company.owner.get(`${company.base}/appointments/${appt.id}/payment-link`)).body.token).toBe(
      link.token,
    );
    // sequences carry on after the restored rows: the next audit entry gets a new id
    const maxId = Math.max(...before.audit_log!.map((r) => Number(JSON.parse(r).id)));
    expect((await company.owner.post(`${company.base}/clients`, { name: 'After Restore' })).status).toBe(201);
    const newest = await t.db.selectFrom('audit_log').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(Number(newest.id)).toBeGreaterThan(maxId);
  });

  it('O2 restore refuses a database that holds data unless --force, and then replaces it', async () => {
    const file = path.join(dir, 'force.vpbackup');
    expect((await visitpay({}, 'backup', file)).code).toBe(0);
    const atBackup = await everyRow(t.db);
    await t.newCompany({ name: 'Made after the backup' });
    const before = await everyRow(t.db);

    const refused = await visitpay({}, 'restore', file);
    expect(refused.code).toBe(1);
    expect(oneLine(refused.stderr)).toBe(true);
    expect(refused.stderr).toMatch(/the database is not empty .* add --force/);
    expect(await everyRow(t.db)).toEqual(before);

    const forced = await visitpay({}, 'restore', file, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(await everyRow(t.db)).toEqual(atBackup);
  });

  it('O2 a corrupt, cut short, foreign or pg_dump file is refused with one line and nothing changes, even with --force', async () => {
    const good = path.join(dir, 'good.vpbackup');
    expect((await visitpay({}, 'backup', good)).code).toBe(0);
    const bytes = readFileSync(good);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 5]! ^= 0xff;
    const cases: [string, Buffer | string, RegExp][] = [
      ['flipped.vpbackup', flipped, /is damaged: its data does not match the checksum/],
      ['short.vpbackup', bytes.subarray(0, bytes.length - 5), /is damaged: .* bytes of data where the manifest says/],
      [
        'manifest.vpbackup',
        Buffer.concat([Buffer.from('VISITPAY-BACKUP 1\n{"format":1,'), Buffer.from('\n')]),
        /is damaged: its manifest cannot be read/,
      ],
      ['notes.txt', 'these are not the backups you are looking for\n', /is not a Visitpay backup/],
      [
        'dump.pgdump',
        Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(200)]),
        /is a pg_dump archive, not a Visitpay backup/,
      ],
    ];
    await t.newCompany({ name: 'Still here' });
    const before = await everyRow(t.db);
    for (const [name, content] of cases) writeFileSync(path.join(dir, name), content);
    const [missing, folder, ...refusals] = await Promise.all([
      visitpay({}, 'restore', path.join(dir, 'nowhere.vpbackup')),
      visitpay({}, 'restore', dir),
      ...cases.map(([name]) => visitpay({}, 'restore', path.join(dir, name), '--force')),
    ]);
    cases.forEach(([name, , message], i) => {
      const res = refusals[i]!;
      expect(res.code, name).toBe(1);
      expect(res.stderr, name).toMatch(message);
      expect(oneLine(res.stderr), res.stderr).toBe(true);
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nowhere\.vpbackup: no such file/);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toMatch(/cannot read .*: it is a directory/);
    expect(await everyRow(t.db)).toEqual(before);
  });

  it('O2 a backup to an unwritable path is refused with one line and writes nothing; a wrong command line exits 2', async () => {
    const recorded = async () => (await t.db.selectFrom('backups').select('id').execute()).length;
    const records = await recorded();
    const cases: [string, RegExp][] = [
      [path.join(dir, 'no-such-dir', 'b.vpbackup'), /cannot write .*: no such directory/],
      ['/sys/visitpay.vpbackup', /cannot write .*: (permission denied|read-only file system)/],
      [path.join(dir, 'good.vpbackup', 'b.vpbackup'), /cannot write .*: a part of the path is not a directory/],
      [path.join(dir, 'good.vpbackup'), /cannot write .*: the file already exists/],
    ];
    const results = await Promise.all(cases.map(([file]) => visitpay({}, 'backup', file)));
    cases.forEach(([file, message], i) => {
      const res = results[i]!;
      expect(res.code, file).toBe(1);
      expect(res.stderr, file).toMatch(message);
      expect(oneLine(res.stderr), res.stderr).toBe(true);
    });
    expect(await recorded()).toBe(records);
    expect(readdirSync(dir).filter((name) => name.includes('.partial'))).toEqual([]);

    const [twoFiles, force, noFile] = await Promise.all([
      visitpay({}, 'backup', 'a', 'b'),
      visitpay({}, 'backup', '--force'),
      visitpay({}, 'restore'),
    ]);
    expect(twoFiles.code).toBe(2);
    expect(force.code).toBe(2);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('visitpay restore takes 1 argument(s)');
  });

  it('O2 with no file given, the backup goes to <VISITPAY_DATA_DIR>/backups and is recorded for the admin app', async () => {
    const res = await visitpay({}, 'backup');
    expect(res.code, res.stderr).toBe(0);
    const written = /backup written: (\S+)/.exec(res.stdout)![1]!;
    expect(path.dirname(written)).toBe(path.join(dir, 'backups'));
    expect(path.basename(written)).toMatch(/^visitpay-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.vpbackup$/);
    expect(existsSync(written)).toBe(true);
    const row = await t.db.selectFrom('backups').selectAll().where('file', '=', written).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'manual', status: 'done' });
    expect(Number(row.size_bytes)).toBeGreaterThan(0);
  });

  // Last: these restore the database under other keys than the test app's.
  it("O2 the key travels: another machine's key is refused by fingerprint; SECRET_KEY_PREVIOUS or the backup passphrase opens it, and secrets are sealed again under the new key", async () => {
    const { link } = await paidAppointment();
    const plain = path.join(dir, 'plain.vpbackup');
    const carried = path.join(dir, 'carried.vpbackup');
    const PASSPHRASE = 'correct horse battery staple';
    expect((await visitpay({}, 'backup', plain)).code).toBe(0);
    const withKey = await visitpay({ VISITPAY_BACKUP_PASSPHRASE: PASSPHRASE }, 'backup', carried);
    expect(withKey.code, withKey.stderr).toBe(0);
    expect(withKey.stdout).toContain('encrypted under VISITPAY_BACKUP_PASSPHRASE');
    const before = await everyRow(t.db);

    // a new machine with its own key
    const unknown = await visitpay({ SECRET_KEY: OTHER_KEY }, 'restore', plain, '--force');
    expect(unknown.code).toBe(1);
    expect(oneLine(unknown.stderr)).toBe(true);
    expect(unknown.stderr).toContain(
      `sealed with the key whose fingerprint is ${keyFingerprint(TEST_SECRET_KEY)}, and this machine's key is ${keyFingerprint(OTHER_KEY)}`,
    );
    const wrongPassphrase = await visitpay(
      { SECRET_KEY: OTHER_KEY, VISITPAY_BACKUP_PASSPHRASE: 'not the passphrase at all' },
      'restore',
      carried,
      '--force',
    );
    expect(wrongPassphrase.code).toBe(1);
    expect(wrongPassphrase.stderr).toMatch(/VISITPAY_BACKUP_PASSPHRASE does not open the key stored in this backup/);
    expect(await everyRow(t.db)).toEqual(before);

    const opened = await visitpay(
      { SECRET_KEY: OTHER_KEY, VISITPAY_BACKUP_PASSPHRASE: PASSPHRASE },
      'restore',
      carried,
      '--force',
    );
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stdout).toMatch(/[1-9]\d* secret\(s\) sealed again under this machine's key/);
    const token = await t.db
      .selectFrom('payment_links')
      .select('token_sealed')
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    expect(new SecretBox(OTHER_KEY).open(token.token_sealed)).toBe(link.token);

    const previous = await visitpay(
      { SECRET_KEY: OTHER_KEY, SECRET_KEY_PREVIOUS: TEST_SECRET_KEY },
      'restore',
      plain,
      '--force',
    );
    expect(previous.code, previous.stderr).toBe(0);
    const again = await t.db
      .selectFrom('payment_links')
      .select('token_sealed')
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    expect(new SecretBox(OTHER_KEY).open(again.token_sealed)).toBe(link.token);
  });
});
