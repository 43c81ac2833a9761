import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';

/** SQL of refund requests (R18): money owed back to a client, asked of the provider by a job. */

export async function claimDueRefunds(db: Db, now: Date, leaseUntil: Date, limit: number) {
  return db.transaction().execute(async (tx) => {
    const rows = await tx
      .selectFrom('refund_requests')
      .selectAll()
      .where('status', '=', sql.lit('requested'))
      .where('check_at', '<=', now)
      .orderBy('check_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (rows.length > 0) {
      await tx
        .updateTable('refund_requests')
        .set((eb) => ({ check_at: leaseUntil, tries: eb('tries', '+', 1), updated_at: now }))
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
    }
    return rows;
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
