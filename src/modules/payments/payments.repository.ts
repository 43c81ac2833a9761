import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { PaymentsTable } from '../../db/schema.js';

/** SQL for the payments ledger. Rows are never deleted: a mistaken desk payment is voided. */

/** paid_at is the business time (the injected clock); created_at only orders the ledger as written. */
export async function insertPayment(db: Executor, row: Omit<Insertable<PaymentsTable>, 'created_at'>) {
  await db
    .insertInto('payments')
    .values({ ...row, created_at: sql<Date>`clock_timestamp()` })
    .execute();
}

export async function findPayment(db: Executor, companyId: string, appointmentId: string, id: string) {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('appointment_id', '=', appointmentId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findPaymentByIdempotencyKey(db: Executor, companyId: string, key: string) {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export async function markPaymentVoided(db: Executor, id: string, at: Date, by: string) {
  await db.updateTable('payments').set({ voided_at: at, voided_by: by }).where('id', '=', id).execute();
}

function paymentViews(db: Executor) {
  return (
    db
      .selectFrom('payments as p')
      .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'p.actor_id').on('p.actor_type', '=', 'user'))
      .selectAll('p')
      .select('u.name as actor_name')
      // R31: what refunds hold of an online payment (requested or made), in the same query, looked up only for those
      .select(
        sql<number | null>`CASE WHEN p.method = 'online' AND p.amount > 0 AND p.refund_of IS NULL THEN
          (SELECT COALESCE(SUM(r.amount - r.tip), 0)::int8 FROM refund_requests r
            WHERE r.payment_id = p.id AND r.status IN ('requested', 'succeeded')) END`.as('refunds_held'),
      )
      // R40: the tip the client added to an online payment, kept beside it (never part of its amount)
      .select(
        sql<number | null>`CASE WHEN p.method = 'online' AND p.amount > 0 AND p.refund_of IS NULL THEN
          (SELECT t.amount FROM tips t WHERE t.payment_id = p.id) END`.as('tip'),
      )
  );
}

/** Payments of many appointments, oldest first, with the name of the user who took each. */
export async function listPayments(db: Executor, appointmentIds: readonly string[]) {
  if (appointmentIds.length === 0) return [];
  return paymentViews(db)
    .where('p.appointment_id', 'in', appointmentIds)
    .orderBy('p.created_at')
    .orderBy('p.id')
    .execute();
}
export type PaymentViewRow = Awaited<ReturnType<typeof listPayments>>[number];

export async function findPaymentView(
  db: Executor,
  companyId: string,
  id: string,
): Promise<PaymentViewRow | undefined> {
  return paymentViews(db).where('p.company_id', '=', companyId).where('p.id', '=', id).executeTakeFirst();
}

/** How many payments still count (not voided) on an appointment. */
export async function countLivePayments(db: Executor, appointmentId: string): Promise<number> {
  const row = await db
    .selectFrom('payments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('appointment_id', '=', appointmentId)
    .where('voided_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
