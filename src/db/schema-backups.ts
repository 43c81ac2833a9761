import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** O2: one backup file written by this installation (migration 0014). */
export interface BackupsTable {
  id: string;
  kind: 'daily' | 'manual';
  status: 'running' | 'done' | 'failed';
  file: string;
  size_bytes: number | null;
  error: string | null;
  started_at: Timestamp;
  lease_until: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface BackupTables {
  backups: BackupsTable;
}
