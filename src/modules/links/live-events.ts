import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

/** The PostgreSQL channel that tells every process an appointment's link state changed (R29). */
export const LIVE_CHANNEL = 'visitpay_appointment_changed';

export interface AppointmentChanged {
  companyId: string;
  appointmentId: string;
  /** what happened, for the watcher's log; the watcher re-reads the state */
  reason: string;
}

/**
 * Queues a notification inside the caller's transaction: PostgreSQL delivers it on commit and
 * drops it on rollback, so watchers never see a change that did not happen.
 */
export async function announceChange(db: Executor, event: AppointmentChanged): Promise<void> {
  await sql`SELECT pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(event)})`.execute(db);
}
