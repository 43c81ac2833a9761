import { sql, type Kysely } from 'kysely';

/**
 * R34: a provider's success whose currency or amount is not the attempt's is not booked; the
 * attempt turns `needs_review` and keeps what the provider reported beside our own figures, so
 * staff see both.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE checkout_attempts DROP CONSTRAINT checkout_attempts_status_check;
    ALTER TABLE checkout_attempts ADD CONSTRAINT checkout_attempts_status_check
      CHECK (status IN ('creating', 'pending', 'succeeded', 'failed', 'expired', 'canceled', 'needs_review'));
    ALTER TABLE checkout_attempts
      ADD COLUMN provider_amount bigint,
      ADD COLUMN provider_currency text CHECK (char_length(provider_currency) <= 16);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
