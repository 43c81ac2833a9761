import { sql } from 'kysely';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';

/** Where backups go by default: `<VISITPAY_DATA_DIR>/backups`. */
export const backupDir = (config: Pick<Config, 'VISITPAY_DATA_DIR'>) =>
  path.resolve(config.VISITPAY_DATA_DIR, 'backups');

/** `visitpay-2026-12-07T11-25-00Z.vpbackup` (or `visitpay-daily-…`): names sort in time order. */
export function backupFileName(at: Date, kind: 'daily' | 'manual'): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
  return `visitpay-${kind === 'daily' ? 'daily-' : ''}${stamp}.vpbackup`;
}

/**
 * Daily backups are on by default for the embedded database, whose data lives only in the data
 * dir; with DATABASE_URL they are off unless asked for: a managed or compose-run server has its
 * own backups (snapshots, point-in-time recovery), which are the right tool there, and an app
 * machine's disk is not where that data should pile up.
 */
export const dailyBackupsOn = (config: Pick<Config, 'VISITPAY_BACKUPS' | 'DATABASE_URL'>) =>
  config.VISITPAY_BACKUPS === 'on' || (config.VISITPAY_BACKUPS === 'auto' && !config.DATABASE_URL);

/** A backup written by `visitpay backup`, for the admin app's "Last backup". */
export async function recordManualBackup(
  db: Db,
  backup: { file: string; bytes: number; startedAt: Date; finishedAt: Date },
): Promise<void> {
  await db
    .insertInto('backups')
    .values({
      id: newId('backup'),
      kind: 'manual',
      status: 'done',
      file: backup.file,
      size_bytes: backup.bytes,
      started_at: backup.startedAt,
      finished_at: backup.finishedAt,
    })
    .execute();
}

export interface BackupStatus {
  latest: { at: Date; kind: 'daily' | 'manual'; sizeBytes: number } | null;
  /** a backup finished within RECENT_MS */
  recent: boolean;
  dailyBackups: boolean;
}

/** A backup older than two days means a daily run has been missed at least once. */
export const RECENT_MS = 48 * 3_600_000;

export class BackupStatusService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly daily: boolean,
  ) {}

  async status(): Promise<BackupStatus> {
    const row = await this.db
      .selectFrom('backups')
      .select(['kind', 'size_bytes', 'finished_at'])
      .where('status', '=', sql.lit('done'))
      .orderBy('finished_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const latest = row?.finished_at
      ? { at: new Date(row.finished_at), kind: row.kind, sizeBytes: row.size_bytes ?? 0 }
      : null;
    return {
      latest,
      recent: latest !== null && this.clock.now().getTime() - latest.at.getTime() < RECENT_MS,
      dailyBackups: this.daily,
    };
  }
}
