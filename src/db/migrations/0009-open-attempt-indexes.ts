import { sql, type Kysely } from 'kysely';

/**
 * "Is an attempt of this link (or appointment) still open?" is asked by the link page, by every
 * Pay and by every success. The only index on open attempts was ordered by check_at, so the
 * planner answered by reading all of them — thousands on a busy day — and intersecting with the
 * link's. These answer it from the link's or the appointment's own entries; they hold open
 * attempts only, so they stay small however long the history grows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX checkout_attempts_open_link_idx ON checkout_attempts (link_id) WHERE status IN ('creating', 'pending');
    CREATE INDEX checkout_attempts_open_appt_idx ON checkout_attempts (appointment_id) WHERE status IN ('creating', 'pending');
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
