import type { Db, Executor } from '../../db/database.js';
import { claimDue } from '../../db/durable-queue.js';

/** SQL of the webhook inbox: every verified notification lands here once, then is applied. */

export interface InboxInsert {
  companyId: string;
  provider: string;
  eventId: string;
  eventType: string;
  event: unknown;
  receivedAt: Date;
}

/** How a notification is stored: applied in the same transaction, or left for the retry job after a failure. */
export type InboxState = { processedAt: Date } | { failedTries: number; nextTryAt: Date; error: string };

/** The inbox row of a notification in the given state. */
function inboxRow(row: InboxInsert, state?: InboxState) {
  return {
    company_id: row.companyId,
    provider: row.provider,
    event_id: row.eventId,
    event_type: row.eventType,
    event: JSON.stringify(row.event),
    received_at: row.receivedAt,
    next_try_at: state && 'nextTryAt' in state ? state.nextTryAt : new Date(row.receivedAt.getTime() + 30_000),
    ...(state && 'processedAt' in state ? { processed_at: state.processedAt } : {}),
    ...(state && 'failedTries' in state ? { tries: state.failedTries, last_error: state.error.slice(0, 1000) } : {}),
  };
}

/**
 * Stores a notification; answers its row id, or undefined when this event was already received.
 * Without `state` it waits to be applied: the receiving request applies it at once, and the retry
 * job looks at it only if that did not finish.
 */
export async function insertInboxEvent(
  db: Executor,
  row: InboxInsert,
  state?: InboxState,
): Promise<number | undefined> {
  const inserted = await db
    .insertInto('webhook_inbox')
    .values(inboxRow(row, state))
    .onConflict((oc) => oc.columns(['company_id', 'provider', 'event_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

/**
 * Stores notifications already applied by the transaction this runs in, in event-id order (so
 * that two batches holding the same events wait for each other in line, not in a circle);
 * answers the row id of each one stored, by "companyId provider eventId". Those missing were
 * received before.
 */
export async function insertInboxEvents(
  db: Executor,
  rows: readonly InboxInsert[],
  processedAt: Date,
): Promise<Map<string, number>> {
  const key = (r: { companyId: string; provider: string; eventId: string }) =>
    `${r.companyId} ${r.provider} ${r.eventId}`;
  const sorted = [...new Map(rows.map((r) => [key(r), r])).values()].sort((a, b) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0,
  );
  const inserted = await db
    .insertInto('webhook_inbox')
    .values(sorted.map((row) => inboxRow(row, { processedAt })))
    .onConflict((oc) => oc.columns(['company_id', 'provider', 'event_id']).doNothing())
    .returning(['id', 'company_id', 'provider', 'event_id'])
    .execute();
  return new Map(
    inserted.map((r) => [key({ companyId: r.company_id, provider: r.provider, eventId: r.event_id }), r.id]),
  );
}

export async function findInboxEvent(db: Executor, id: number) {
  return db.selectFrom('webhook_inbox').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function markProcessed(db: Executor, id: number, at: Date, note?: string): Promise<void> {
  await db
    .updateTable('webhook_inbox')
    .set({ processed_at: at, last_error: note ?? null })
    .where('id', '=', id)
    .execute();
}

export async function scheduleRetry(db: Executor, id: number, nextTryAt: Date, error: string): Promise<void> {
  await db
    .updateTable('webhook_inbox')
    .set((eb) => ({ tries: eb('tries', '+', 1), next_try_at: nextTryAt, last_error: error.slice(0, 1000) }))
    .where('id', '=', id)
    .execute();
}

/** Claims unprocessed events that are due, leasing them so that no other process takes them meanwhile. */
export async function claimDueEvents(db: Db, now: Date, leaseUntil: Date, limit: number): Promise<number[]> {
  const rows = await claimDue(db, {
    table: 'webhook_inbox',
    due: 'next_try_at',
    now,
    limit,
    lease: leaseUntil,
    where: (eb) => eb('processed_at', 'is', null),
  });
  return rows.map((r) => r.id);
}
