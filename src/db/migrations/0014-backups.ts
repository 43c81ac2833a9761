import { sql, type Kysely } from 'kysely';

/**
 * O2: the record of backups written by this installation (the daily job and `visitpay backup`),
 * for the admin app's "Last backup" line and for the daily job's coordination: every process
 * runs the job, and the one that inserts a `running` row (under an advisory lock, while no
 * backup of the last day is done and no other run holds its lease) is the one that writes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE backups (
      id text PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('daily', 'manual')),
      status text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
      file text NOT NULL,
      size_bytes bigint,
      error text,
      started_at timestamptz NOT NULL,
      lease_until timestamptz,
      finished_at timestamptz
    );
    CREATE INDEX backups_started_idx ON backups (kind, started_at DESC);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
