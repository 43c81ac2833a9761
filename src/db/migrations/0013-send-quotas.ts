import { sql, type Kysely } from 'kysely';

/**
 * R38 sending quotas: one counter per quota, subject and window, shared by every process on the
 * database. A send takes a unit with one statement (`INSERT … ON CONFLICT DO UPDATE … WHERE
 * used < limit`), so two processes can never both take the last one.
 *
 * `subject` is `{companyId}:{channel}` for a company's day, and a keyed SHA-256 of the recipient
 * for the per-recipient hour: the table never holds an address or a phone number. Rows whose
 * window has passed are deleted as sends go by.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE send_quota_counters (
      quota text NOT NULL CHECK (quota IN ('company_day', 'recipient_hour')),
      subject text NOT NULL,
      window_start timestamptz NOT NULL,
      resets_at timestamptz NOT NULL,
      used int NOT NULL CHECK (used > 0),
      PRIMARY KEY (quota, subject, window_start)
    );
    CREATE INDEX send_quota_counters_resets_idx ON send_quota_counters (resets_at);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
