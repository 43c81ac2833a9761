import type { Executor } from '../db/database.js';
import type { AppointmentChanged } from './live-events.js';

/**
 * A transaction travelling with what must wait for its commit: the changes it makes are told to
 * watchers (R29) only once it committed, and never if it rolls back. LiveAnnouncer.transaction
 * opens the batched kind the hot paths use; notifyingUnitOfWork wraps a plain transaction.
 */
export interface UnitOfWork {
  readonly tx: Executor;
  /** Registers a change made in `tx` for watchers. */
  afterCommit(change: AppointmentChanged): Promise<void>;
}
