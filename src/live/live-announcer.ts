import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Logger } from '../shared/logger.js';
import { LIVE_CHANNEL, type AppointmentChanged } from './live-events.js';
import type { UnitOfWork } from './unit-of-work.js';

/** How long changes gather before one NOTIFY carries them all. */
const GATHER_MS = 5;

/**
 * Tells every process that appointments changed (R29), for the hot paths of payment links: the
 * caller announces after its transaction committed, and the changes of many commits leave in one
 * short NOTIFY transaction. PostgreSQL serialises every transaction that NOTIFYs on one
 * cluster-wide lock held through its commit, so a NOTIFY inside each Pay or webhook transaction
 * would make them commit one by one. `transaction` opens a unit of work whose announcements
 * (uow.afterCommit, announceChange) wait for its commit and vanish with a rollback. A process that
 * dies between its commit and the flush loses only a live hint: the watching page re-reads the
 * state when it reconnects.
 */
export class LiveAnnouncer {
  private readonly pending = new Map<string, AppointmentChanged>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  async transaction<T>(fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    const changes: AppointmentChanged[] = [];
    const afterCommit = async (change: AppointmentChanged) => {
      changes.push(change);
    };
    const result = await this.db.transaction().execute((tx) => fn({ tx, afterCommit }));
    for (const change of changes) this.announce(change);
    return result;
  }

  /** Call after the change committed. The same change of one appointment twice in a batch is told once. */
  announce(event: AppointmentChanged): void {
    this.pending.set(`${event.appointmentId} ${event.reason}`, event);
    this.timer ??= setTimeout(() => void this.flush(), GATHER_MS);
  }

  /** Sends what is pending now; answers when it has been sent. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return this.flushing;
    const payloads = [...this.pending.values()].map((e) => JSON.stringify(e));
    this.pending.clear();
    this.flushing = this.flushing.then(() =>
      sql`SELECT pg_notify(${LIVE_CHANNEL}, p) FROM unnest(${payloads}::text[]) AS p`.execute(this.db).then(
        () => undefined,
        // the database is away: these hints are lost, the state itself is safe in the database
        (error: unknown) => {
          this.log.warn({ err: error, changes: payloads.length }, 'live updates could not be announced');
        },
      ),
    );
    return this.flushing;
  }
}
