import { sql, type Kysely } from 'kysely';

/**
 * R31–R33: what a retried provider call sends is decided once, at its first try, and kept, so the
 * same idempotency key always carries the same body (a provider refuses a key reused with another
 * body, and a refund that went through would then be marked failed).
 * - `refund_requests.after_settlement`: whether the refund's receipt reverses a full payment (the
 *   settlement receipt had gone out) or the prepayment; null until the first try.
 * - A settlement receipt's `amount` is now set before its first try (it was set once sent).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE refund_requests ADD COLUMN after_settlement boolean`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
