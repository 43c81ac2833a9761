import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { QuotaWindow, SendQuotaKind } from './domain/send-quota.js';

/** SQL for the R38 counters (migration 0013). */

export interface QuotaCounter {
  quota: SendQuotaKind;
  subject: string;
  window: QuotaWindow;
}

/**
 * Takes one unit of a counter when fewer than `limit` are used, in one statement: the row lock
 * ON CONFLICT takes makes concurrent senders (in any process) queue, and each sees the count the
 * one before it left. Answers the count after taking, or undefined when the quota was used up.
 */
export async function takeUnit(db: Executor, counter: QuotaCounter, limit: number): Promise<number | undefined> {
  const row = await db
    .insertInto('send_quota_counters')
    .values({
      quota: counter.quota,
      subject: counter.subject,
      window_start: counter.window.start,
      resets_at: counter.window.resetsAt,
      used: 1,
    })
    .onConflict((oc) =>
      oc
        .columns(['quota', 'subject', 'window_start'])
        .doUpdateSet({ used: sql<number>`send_quota_counters.used + 1` })
        .where('send_quota_counters.used', '<', limit),
    )
    .returning('used')
    .executeTakeFirst();
  return row?.used;
}

/** How many units of a counter are used (0 when it has no row yet). */
export async function usedUnits(db: Executor, counter: QuotaCounter): Promise<number> {
  const row = await db
    .selectFrom('send_quota_counters')
    .select('used')
    .where('quota', '=', counter.quota)
    .where('subject', '=', counter.subject)
    .where('window_start', '=', counter.window.start)
    .executeTakeFirst();
  return row?.used ?? 0;
}

/** Forgets counters whose window ended before `before`; nothing reads them again. */
export async function deleteEndedCounters(db: Executor, before: Date): Promise<void> {
  await db.deleteFrom('send_quota_counters').where('resets_at', '<', before).execute();
}
