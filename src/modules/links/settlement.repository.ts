import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { RefundRequestsTable } from '../../db/schema-payment-links.js';

/** SQL of settlement: the appointment row lock, online payments, refund requests. */

/** Locks the appointment even when it was deleted meanwhile: money that arrived is still booked to it. */
export async function lockAppointmentRow(db: Executor, appointmentId: string) {
  return db.selectFrom('appointments').selectAll().where('id', '=', appointmentId).forUpdate().executeTakeFirstOrThrow();
}

/** R13: money changes of the appointment wait until `until` while a checkout of it is young. */
export async function setLock(db: Executor, appointmentId: string, until: Date): Promise<void> {
  await db.updateTable('appointments').set({ locked_until: until }).where('id', '=', appointmentId).execute();
}

export async function clearLock(db: Executor, appointmentId: string): Promise<void> {
  await db.updateTable('appointments').set({ locked_until: null }).where('id', '=', appointmentId).where('locked_until', 'is not', null).execute();
}

export interface OnlinePayment {
  id: string;
  company_id: string;
  appointment_id: string;
  amount: number;
  currency: string;
  paid_at: Date;
  actor_type: string;
  actor_id: string | null;
  attempt_id: string;
  link_id: string;
  provider: string;
  provider_payment_id: string | null;
  refund_of?: string | null;
  provider_refund_id?: string | null;
}

/** Inserts an online payment or refund; the unique indexes make a second one for the same attempt/refund a no-op. */
export async function insertOnlinePayment(db: Executor, row: OnlinePayment): Promise<boolean> {
  const result = await db
    .insertInto('payments')
    .values({
      ...row,
      method: 'online',
      refund_of: row.refund_of ?? null,
      provider_refund_id: row.provider_refund_id ?? null,
      idempotency_key: null,
      request_hash: null,
      voided_at: null,
      voided_by: null,
      created_at: row.paid_at,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Refunds already asked for and not yet booked: money the appointment already owes back. */
export async function outstandingRefunds(db: Executor, appointmentId: string): Promise<number> {
  const row = await db
    .selectFrom('refund_requests')
    .select(sql<string>`COALESCE(SUM(amount), 0)`.as('sum'))
    .where('appointment_id', '=', appointmentId)
    .where('status', '=', 'requested')
    .executeTakeFirstOrThrow();
  return Number(row.sum);
}

export async function insertRefundRequest(db: Executor, row: Insertable<RefundRequestsTable>): Promise<void> {
  await db.insertInto('refund_requests').values(row).execute();
}
