import { type Insertable, sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import type { RefundRequestsTable } from '../../db/schema-payment-links.js';
import { claimDue } from '../../db/durable-queue.js';

/** SQL of refund requests (R18): money owed back to a client, asked of the provider by a job. */

/** R18: requests still waiting for the provider's answer, leased for one try each. */
export async function claimDueRefunds(db: Db, now: Date, leaseUntil: Date, limit: number) {
  return claimDue(db, {
    table: 'refund_requests',
    due: 'check_at',
    now,
    limit,
    lease: leaseUntil,
    where: (eb) => eb('status', '=', sql.lit('requested')),
    count: 'tries',
    touch: 'updated_at',
  });
}
export type RefundRequestRow = Awaited<ReturnType<typeof claimDueRefunds>>[number];

export async function findRefundRequest(db: Executor, id: string, options: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('refund_requests').selectAll().where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findRefundRequestByProviderId(db: Executor, companyId: string, providerRefundId: string) {
  return db
    .selectFrom('refund_requests')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('provider_refund_id', '=', providerRefundId)
    .executeTakeFirst();
}

export async function updateRefundRequest(
  db: Executor,
  id: string,
  patch: { status?: string; provider_refund_id?: string; failure?: string | null; check_at?: Date; updated_at: Date },
): Promise<void> {
  await db.updateTable('refund_requests').set(patch).where('id', '=', id).execute();
}

export async function findPaymentForRefund(db: Executor, paymentId: string) {
  return db
    .selectFrom('payments as p')
    .innerJoin('checkout_attempts as a', 'a.id', 'p.attempt_id')
    .select([
      'p.id',
      'p.amount',
      'p.currency',
      'p.provider',
      'p.provider_payment_id',
      'p.attempt_id',
      'p.link_id',
      'a.provider_checkout_id',
      'a.receipt',
    ])
    .where('p.id', '=', paymentId)
    .executeTakeFirstOrThrow();
}

/** Refund requests with the name of the user who asked (staff refunds, R31). */
function refundViews(db: Executor) {
  return db
    .selectFrom('refund_requests as r')
    .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'r.actor_id').on('r.actor_type', '=', 'user'))
    .innerJoin('payments as p', 'p.id', 'r.payment_id')
    .selectAll('r')
    .select(['u.name as requested_by', 'p.currency']);
}

export async function refundRequestsOfAppointment(db: Executor, appointmentId: string) {
  return refundViews(db).where('r.appointment_id', '=', appointmentId).orderBy('r.created_at').execute();
}
export type RefundViewRow = Awaited<ReturnType<typeof refundRequestsOfAppointment>>[number];

export async function findRefundView(db: Executor, id: string): Promise<RefundViewRow | undefined> {
  return refundViews(db).where('r.id', '=', id).executeTakeFirst();
}

/** R31: claims one request for an immediate try, when it is due (the job's lease keeps others off it). */
export async function claimRefundRequest(db: Db, id: string, now: Date, leaseUntil: Date) {
  const [row] = await claimDue(db, {
    table: 'refund_requests',
    due: 'check_at',
    now,
    limit: 1,
    lease: leaseUntil,
    where: (eb) => eb.and([eb('status', '=', sql.lit('requested')), eb('id', '=', id)]),
    count: 'tries',
    touch: 'updated_at',
  });
  return row;
}

export async function insertRefundRequest(db: Executor, row: Insertable<RefundRequestsTable>): Promise<void> {
  await db.insertInto('refund_requests').values(row).execute();
}

export async function findRefundRequestByIdempotencyKey(db: Executor, companyId: string, key: string) {
  return db
    .selectFrom('refund_requests')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/** R31: the payment to refund, locked so that concurrent refunds of it queue. */
export async function lockPaymentToRefund(db: Executor, companyId: string, appointmentId: string, id: string) {
  return db
    .selectFrom('payments')
    .select(['id', 'method', 'amount', 'currency', 'refund_of', 'voided_at', 'provider'])
    .where('company_id', '=', companyId)
    .where('appointment_id', '=', appointmentId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** R31: what refunds of a payment hold: requested (on their way) or succeeded. */
export async function refundedOfPayment(db: Executor, paymentId: string): Promise<number> {
  const row = await db
    .selectFrom('refund_requests')
    // R40: the visit's part only; a refund's tip part gives the tip back, not the payment
    .select(sql<number>`COALESCE(SUM(amount - tip), 0)::int8`.as('held'))
    .where('payment_id', '=', paymentId)
    .where('status', 'in', ['requested', 'succeeded'])
    .executeTakeFirstOrThrow();
  return Number(row.held);
}

/** R31: checkouts of the appointment still open (creating, pending): their money is not settled yet. */
export async function openAttemptsOfAppointment(db: Executor, appointmentId: string) {
  return db
    .selectFrom('checkout_attempts')
    .select(['id', 'status'])
    .where('appointment_id', '=', appointmentId)
    .where('status', 'in', ['creating', 'pending'])
    .execute();
}

/** Keeps the first decision (R33): a concurrent try that decided first wins, and both answer the same. */
export async function decideAfterSettlement(db: Executor, id: string, decided: boolean): Promise<boolean> {
  await db
    .updateTable('refund_requests')
    .set({ after_settlement: decided })
    .where('id', '=', id)
    .where('after_settlement', 'is', null)
    .execute();
  const row = await db
    .selectFrom('refund_requests')
    .select('after_settlement')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.after_settlement ?? decided;
}
