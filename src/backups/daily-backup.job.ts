import { mkdir, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Job } from '../jobs/job-runner.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import { backupFileName } from './backup-records.js';
import { writeBackup } from './write-backup.js';

export interface DailyBackupDeps {
  db: Db;
  clock: Clock;
  databaseUrl: string;
  /** `<VISITPAY_DATA_DIR>/backups` */
  dir: string;
  /** how many daily backups to keep (VISITPAY_BACKUP_RETENTION) */
  retention: number;
  secretKey: string;
  passphrase?: string;
}

const DAY_MS = 24 * 3_600_000;
// a run that died (process killed) stops blocking the schedule after this long
const LEASE_MS = 3_600_000;
// after a failure (disk full…), try again an hour later rather than every tick
const RETRY_AFTER_MS = 3_600_000;
// Any 64-bit number unique to Visitpay: serialises the daily job's claim across processes.
const DAILY_BACKUP_LOCK = 7_305_117_014;

/** O2: a backup into the data dir at most once a day across every process sharing the database. */
export function dailyBackupJob(deps: DailyBackupDeps): Job {
  return { name: 'backups.daily', intervalMs: 10 * 60_000, run: () => runDailyBackup(deps) };
}

/** Writes today's backup when it is due and this process wins the claim; answers how many it wrote (0 or 1). */
export async function runDailyBackup(deps: DailyBackupDeps): Promise<number> {
  const claim = await claimDailyBackup(deps);
  if (!claim) return 0;
  try {
    await mkdir(deps.dir, { recursive: true, mode: 0o700 });
    const written = await writeBackup({
      databaseUrl: deps.databaseUrl,
      file: claim.file,
      secretKey: deps.secretKey,
      passphrase: deps.passphrase,
      now: claim.startedAt,
    });
    await deps.db
      .updateTable('backups')
      .set({ status: 'done', size_bytes: written.bytes, finished_at: deps.clock.now(), lease_until: null })
      .where('id', '=', claim.id)
      .execute();
  } catch (error) {
    await deps.db
      .updateTable('backups')
      .set({
        status: 'failed',
        error: String((error as Error).message ?? error).slice(0, 500),
        finished_at: deps.clock.now(),
        lease_until: null,
      })
      .where('id', '=', claim.id)
      .execute();
    throw error;
  }
  await pruneDailyBackups(deps.dir, deps.retention);
  return 1;
}

async function claimDailyBackup(
  deps: DailyBackupDeps,
): Promise<{ id: string; file: string; startedAt: Date } | undefined> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${sql.lit(DAILY_BACKUP_LOCK)})`.execute(tx);
    const blocking = await tx
      .selectFrom('backups')
      .select('id')
      .where('kind', '=', sql.lit('daily'))
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', sql.lit('done')), eb('started_at', '>', new Date(now.getTime() - DAY_MS))]),
          eb.and([eb('status', '=', sql.lit('running')), eb('lease_until', '>', now)]),
          eb.and([
            eb('status', '=', sql.lit('failed')),
            eb('started_at', '>', new Date(now.getTime() - RETRY_AFTER_MS)),
          ]),
        ]),
      )
      .limit(1)
      .executeTakeFirst();
    if (blocking) return undefined;
    const claim = { id: newId('backup'), file: path.join(deps.dir, backupFileName(now, 'daily')), startedAt: now };
    await tx
      .insertInto('backups')
      .values({
        id: claim.id,
        kind: 'daily',
        status: 'running',
        file: claim.file,
        started_at: now,
        lease_until: new Date(now.getTime() + LEASE_MS),
      })
      .execute();
    return claim;
  });
}

/**
 * Keeps the newest `retention` daily backups in `dir`; backups written by hand are the operator's to
 * keep. Also removes what a daily run killed mid-write left: no other daily run can be writing now,
 * since this one has just finished under the claim.
 */
export async function pruneDailyBackups(dir: string, retention: number): Promise<string[]> {
  const names = await readdir(dir);
  const daily = names.filter((name) => /^visitpay-daily-.+\.vpbackup$/.test(name)).sort();
  const leftovers = names.filter((name) => /^visitpay-daily-.+\.vpbackup\.partial(-data)?$/.test(name));
  const old = [...daily.slice(0, Math.max(0, daily.length - retention)), ...leftovers];
  for (const name of old) await unlink(path.join(dir, name)).catch(() => undefined);
  return old;
}
