import { sql, type Kysely } from 'kysely';

/**
 * An attempt Visitpay ends on its own (cancelled by staff, replaced by a new one, past our expiry)
 * may still be payable at the provider for a while: a YooKassa payment lives until YooKassa
 * cancels it an hour later, and an expire call can fail. One last look at the provider after
 * that window finds money whose notification was lost.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE checkout_attempts ADD COLUMN final_check_at timestamptz;
    CREATE INDEX checkout_attempts_final_check_idx ON checkout_attempts (final_check_at) WHERE final_check_at IS NOT NULL;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
