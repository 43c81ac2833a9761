import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
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

export async function refundRequestsOfAppointment(db: Executor, appointmentId: string) {
  return db
    .selectFrom('refund_requests')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .orderBy('created_at')
    .execute();
}
