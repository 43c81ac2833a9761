import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

/** The PostgreSQL channel that tells every process an appointment's link state changed (R29). */
export const LIVE_CHANNEL = 'visitpay_appointment_changed';

export interface AppointmentChanged {
  companyId: string;
  appointmentId: string;
  /** what happened, for the watcher's log; the watcher re-reads the state */
  reason: string;
}

/** Transactions run by LiveAnnouncer.transaction: their announcements leave after the commit. */
const deferredByTransaction = new WeakMap<Executor, AppointmentChanged[]>();

export function deferAnnouncements(tx: Executor, into: AppointmentChanged[]): void {
  deferredByTransaction.set(tx, into);
}

/**
 * Announces a change made in the caller's transaction, so watchers never see a change that did
 * not happen: kept for after the commit when the transaction is LiveAnnouncer's, otherwise
 * queued in PostgreSQL, which delivers it on commit and drops it on rollback.
 */
export async function announceChange(db: Executor, event: AppointmentChanged): Promise<void> {
  const deferred = deferredByTransaction.get(db);
  if (deferred) deferred.push(event);
  else await sql`SELECT pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(event)})`.execute(db);
}
