import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { UnitOfWork } from './unit-of-work.js';

/** The PostgreSQL channel that tells every process an appointment's link state changed (R29). */
export const LIVE_CHANNEL = 'visitpay_appointment_changed';

export interface AppointmentChanged {
  companyId: string;
  appointmentId: string;
  /** what happened, for the watcher's log; the watcher re-reads the state */
  reason: string;
}

/**
 * The unit of work of a plain transaction: each announcement is a NOTIFY queued in `tx`, which
 * PostgreSQL delivers on commit and drops on rollback. For changes made now and then; the hot
 * paths open theirs with LiveAnnouncer.transaction instead (see there why).
 */
export function notifyingUnitOfWork(tx: Executor): UnitOfWork {
  return {
    tx,
    afterCommit: async (change) => {
      await sql`SELECT pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(change)})`.execute(tx);
    },
  };
}

/**
 * Announces a change made in the caller's unit of work, so watchers never see a change that did
 * not happen. A bare transaction (or the pool) announces as notifyingUnitOfWork does.
 */
export function announceChange(to: UnitOfWork | Executor, change: AppointmentChanged): Promise<void> {
  return ('afterCommit' in to ? to : notifyingUnitOfWork(to)).afterCommit(change);
}
