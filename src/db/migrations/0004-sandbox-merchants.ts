import { sql, type Kysely } from 'kysely';

/**
 * The sandbox bank keeps its merchants' webhook secrets, as a real bank does: a notification is
 * signed when it is sent (each retry with a fresh timestamp), long after the call that caused it,
 * so the secret must be at hand without Visitpay's sealed credentials.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sandbox_merchants (
      company_id text PRIMARY KEY REFERENCES companies(id),
      webhook_secret text NOT NULL,
      updated_at timestamptz NOT NULL
    );

    -- the bank's expiry sweep looks only at open checkouts
    CREATE INDEX sandbox_checkouts_open_idx ON sandbox_checkouts (expires_at) WHERE status = 'open';
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
