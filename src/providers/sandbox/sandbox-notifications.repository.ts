import { sql, type Insertable } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { claimDue } from '../../db/durable-queue.js';
import type { SandboxNotificationsTable } from '../../db/schema-payment-links.js';

/** SQL of the sandbox bank's outbox, and the one Visitpay setting it reads (its delivery mode). */

export async function readNotificationMode(db: Executor, companyId: string): Promise<unknown> {
  const row = await db
    .selectFrom('cashless_settings')
    .select('sandbox_notifications')
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  return row?.sandbox_notifications;
}

export async function writeNotificationMode(db: Executor, companyId: string, mode: object, at: Date) {
  const value = JSON.stringify(mode);
  await db
    .insertInto('cashless_settings')
    .values({
      company_id: companyId,
      sandbox_notifications: value,
      updated_at: at,
      // the row's other settings keep the migration's defaults until the company connects
      credentials_hint: sql<string>`DEFAULT`,
      pay_by_link_enabled: sql<boolean>`DEFAULT`,
      fiscalization: sql<string>`DEFAULT`,
    })
    .onConflict((oc) => oc.column('company_id').doUpdateSet({ sandbox_notifications: value, updated_at: at }))
    .execute();
}

export async function insertNotifications(db: Executor, rows: Insertable<SandboxNotificationsTable>[]) {
  if (rows.length > 0) await db.insertInto('sandbox_notifications').values(rows).execute();
}

export interface ClaimedNotification {
  id: string;
  company_id: string;
  body: string;
  tries: number;
}

/**
 * Takes up to `limit` due notifications for this caller: rows another deliverer holds are
 * skipped, and the taken ones are leased (deliver_at pushed to `leaseUntil`) before the short
 * transaction commits, so nobody else sends them while this caller does.
 */
export async function claimDueNotifications(
  db: Db,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<ClaimedNotification[]> {
  return claimDue(db, {
    table: 'sandbox_notifications',
    due: 'deliver_at',
    now,
    limit,
    lease: leaseUntil,
    where: (eb) => eb.and([eb('delivered_at', 'is', null), eb('dropped', '=', sql.lit(false))]),
    thenBy: ['created_at'],
    count: 'tries',
  });
}

export async function markDelivered(db: Executor, id: string, at: Date) {
  await db
    .updateTable('sandbox_notifications')
    .set({ delivered_at: at, last_error: null })
    .where('id', '=', id)
    .execute();
}

export async function scheduleRetry(db: Executor, id: string, deliverAt: Date, error: string) {
  await db
    .updateTable('sandbox_notifications')
    .set({ deliver_at: deliverAt, last_error: error })
    .where('id', '=', id)
    .execute();
}

export async function giveUp(db: Executor, id: string, error: string) {
  await db
    .updateTable('sandbox_notifications')
    .set({ dropped: true, last_error: error })
    .where('id', '=', id)
    .execute();
}
