import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runDailyBackup, type DailyBackupDeps } from '../../src/backups/daily-backup.job.js';
import { restoreBackup } from '../../src/backups/restore-backup.js';
import { writeBackup } from '../../src/backups/write-backup.js';
import { connectDatabase, type Db } from '../../src/db/database.js';
import { ManualClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { createTestDatabase } from '../helpers/database.js';
import { payableAppointment } from '../helpers/links.js';
import { createTestApp, TEST_SECRET_KEY } from '../helpers/test-app.js';

/** O2: the daily backup job, the owners' "Last backup", and the snapshot a backup takes while payments are written. */
const clock = new ManualClock('2026-03-01T03:00:00Z');
const t = await createTestApp({ clock });
const dir = await mkdtemp(path.join(tmpdir(), 'visitpay-daily-'));
const HOUR = 3_600_000;

const daily = (db: Db, retention = 3): DailyBackupDeps => ({
  db,
  clock,
  databaseUrl: t.database.url,
  dir,
  retention,
  secretKey: TEST_SECRET_KEY,
});
const dailyFiles = () =>
  readdirSync(dir)
    .filter((name) => name.startsWith('visitpay-daily-'))
    .sort();

describe('O2 daily backups', () => {
  it("O2 owners see the latest backup's time, and a warning flag when none finished in the last 48 hours", async () => {
    const company = await t.newCompany();
    const none = await company.owner.get(`${company.base}/backups/latest`);
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ latest: null, recent: false, dailyBackups: true });

    expect(await runDailyBackup(daily(t.db))).toBe(1);
    const fresh = await company.owner.get(`${company.base}/backups/latest`);
    expect(fresh.body).toMatchObject({ latest: { at: clock.now().toISOString(), kind: 'daily' }, recent: true });
    expect(fresh.body.latest.sizeBytes).toBeGreaterThan(0);

    clock.advance(49 * HOUR);
    const stale = await company.owner.get(`${company.base}/backups/latest`);
    expect(stale.body).toMatchObject({ latest: { kind: 'daily' }, recent: false });
    const admin = await t.newUser(company.id, 'administrator');
    expect((await admin.api.get(`${company.base}/backups/latest`)).status).toBe(403);
  });

  it('O2 the daily job writes one backup a day across two processes and keeps the newest N; a hand-made backup stays', async () => {
    clock.advance(49 * HOUR);
    const other = connectDatabase(t.database.url, 2);
    try {
      const start = dailyFiles().length;
      const handMade = path.join(dir, 'visitpay-2026-01-01T00-00-00Z.vpbackup');
      writeFileSync(handMade, 'kept by the operator');
      const leftover = path.join(dir, 'visitpay-daily-2026-01-01T00-00-00Z.vpbackup.partial-data');
      writeFileSync(leftover, 'from a run killed mid-write');
      // two processes' jobs at the same moment: one writes
      const first = await Promise.all([runDailyBackup(daily(t.db)), runDailyBackup(daily(other.db))]);
      expect(first[0] + first[1]).toBe(1);
      expect(dailyFiles().length).toBe(start + 1);
      // later the same day, both again: nothing
      clock.advance(10 * 60_000);
      expect(await Promise.all([runDailyBackup(daily(t.db)), runDailyBackup(daily(other.db))])).toEqual([0, 0]);
      clock.advance(23 * HOUR);
      expect(await runDailyBackup(daily(other.db))).toBe(0);
      clock.advance(HOUR);
      expect(await runDailyBackup(daily(other.db))).toBe(1);

      for (let day = 0; day < 4; day++) {
        clock.advance(24 * HOUR + 60_000);
        expect(
          await Promise.all([runDailyBackup(daily(t.db)), runDailyBackup(daily(other.db))]).then(([a, b]) => a + b),
        ).toBe(1);
      }
      const kept = dailyFiles();
      expect(kept.length).toBe(3);
      const written = await t.db
        .selectFrom('backups')
        .select('file')
        .where('kind', '=', 'daily')
        .where('status', '=', 'done')
        .orderBy('started_at')
        .execute();
      expect(kept).toEqual(written.slice(-3).map((r) => path.basename(r.file)));
      expect(existsSync(handMade)).toBe(true);
      expect(existsSync(leftover)).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('O2 a run that died holding the lease blocks the next one only until its lease ends', async () => {
    clock.advance(25 * HOUR);
    await t.db
      .insertInto('backups')
      .values({
        id: newId('backup'),
        kind: 'daily',
        status: 'running',
        file: path.join(dir, 'died.vpbackup'),
        started_at: clock.now(),
        lease_until: new Date(clock.now().getTime() + HOUR),
      })
      .execute();
    expect(await runDailyBackup(daily(t.db))).toBe(0);
    clock.advance(HOUR + 1);
    expect(await runDailyBackup(daily(t.db))).toBe(1);
  });

  it('O2 a backup taken while payments are being written is one consistent snapshot', async () => {
    const company = await t.newCompany();
    const appt = await payableAppointment(t, company, { price: 5_000_000 });
    let stop = false;
    const writer = async () => {
      while (!stop) {
        const res = await company.owner.post(`${company.base}/appointments/${appt.id}/payments`, {
          method: 'cash',
          amount: 100,
        });
        expect(res.status, res.text).toBe(201);
      }
    };
    const paymentsNow = async () =>
      Number(
        (await sql<{ n: number }>`SELECT count(*) AS n FROM payments WHERE appointment_id = ${appt.id}`.execute(t.db))
          .rows[0]!.n,
      );
    const writers = [writer(), writer(), writer()];
    while ((await paymentsNow()) < 20) await new Promise((r) => setImmediate(r));
    const atStart = await paymentsNow();
    const file = path.join(dir, 'while-writing.vpbackup');
    await writeBackup({ databaseUrl: t.database.url, file, secretKey: TEST_SECRET_KEY, now: clock.now() });
    const atEnd = await paymentsNow();
    stop = true;
    await Promise.all(writers);
    expect(atEnd, 'payments were written while the backup ran').toBeGreaterThan(atStart);

    const copy = await createTestDatabase(2);
    try {
      await restoreBackup({
        databaseUrl: copy.url,
        file,
        force: false,
        keys: { current: TEST_SECRET_KEY, previous: [] },
        say: () => undefined,
      });
      const { rows } = await sql<{ payments: number; recorded: number; totals: number; sum: number }>`
        SELECT (SELECT count(*) FROM payments WHERE appointment_id = ${appt.id}) AS payments,
               (SELECT count(*) FROM audit_log WHERE appointment_id = ${appt.id} AND action = 'payment.recorded') AS recorded,
               (SELECT coalesce(sum(payment_count), 0)::bigint FROM payment_day_totals WHERE company_id = ${company.id}) AS totals,
               (SELECT coalesce(sum(amount), 0)::bigint FROM payment_day_totals WHERE company_id = ${company.id}) AS sum`.execute(
        copy.db,
      );
      const restored = rows[0]!;
      expect(restored.payments).toBeGreaterThanOrEqual(atStart);
      expect(restored.payments).toBeLessThanOrEqual(atEnd);
      // each payment with its audit entry and its share of the day totals, from one instant
      expect(restored).toEqual({
        payments: restored.payments,
        recorded: restored.payments,
        totals: restored.payments,
        sum: restored.payments * 100,
      });
    } finally {
      await copy.close();
    }
  });
});
