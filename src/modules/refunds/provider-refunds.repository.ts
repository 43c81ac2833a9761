import type { Executor } from '../../db/database.js';
import { claimDue } from '../../db/durable-queue.js';

/** SQL of R32: refunds made at the provider, and the payments whose refunds are read there. */

/** The online payment a provider refund gives back: by the provider's payment id or our checkout's. */
export async function findRefundedPayment(
  db: Executor,
  at: { companyId: string; provider: string; providerPaymentId?: string | undefined; checkoutId?: string | undefined },
) {
  const { providerPaymentId, checkoutId } = at;
  if (!providerPaymentId && !checkoutId) return undefined;
  return db
    .selectFrom('payments as p')
    .innerJoin('checkout_attempts as a', 'a.id', 'p.attempt_id')
    .select([
      'p.id',
      'p.company_id',
      'p.appointment_id',
      'p.amount',
      'p.currency',
      'p.provider',
      'p.provider_payment_id',
      'p.attempt_id',
      'p.link_id',
      'a.provider_checkout_id',
    ])
    .where('p.company_id', '=', at.companyId)
    .where('p.provider', '=', at.provider)
    .where('p.method', '=', 'online')
    .where('p.refund_of', 'is', null)
    .where('p.amount', '>', 0)
    .where((eb) =>
      eb.or([
        ...(providerPaymentId ? [eb('p.provider_payment_id', '=', providerPaymentId)] : []),
        ...(checkoutId ? [eb('a.provider_checkout_id', '=', checkoutId)] : []),
      ]),
    )
    .orderBy('p.paid_at')
    .executeTakeFirst();
}
export type RefundedPayment = NonNullable<Awaited<ReturnType<typeof findRefundedPayment>>>;

/**
 * Refunds Visitpay asked for this payment whose provider refund id it does not know yet: a refund
 * the provider reports meanwhile may be one of them.
 */
export async function unidentifiedRequests(db: Executor, paymentId: string) {
  return db
    .selectFrom('refund_requests')
    .select(['id', 'amount'])
    .where('payment_id', '=', paymentId)
    .where('status', '=', 'requested')
    .where('provider_refund_id', 'is', null)
    .execute();
}

/** R32: online payments whose refunds are due to be read at the provider, each pushed to its next read. */
export async function claimPaymentsToCheck(db: Executor, now: Date, leaseUntil: Date, limit: number) {
  return claimDue(db, {
    table: 'payments',
    due: 'refunds_check_at',
    now,
    limit,
    lease: leaseUntil,
    where: (eb) => eb('voided_at', 'is', null),
    count: 'refunds_checks',
  });
}

export async function scheduleRefundsCheck(db: Executor, paymentId: string, at: Date | null): Promise<void> {
  await db.updateTable('payments').set({ refunds_check_at: at }).where('id', '=', paymentId).execute();
}

/** The checkout of the payment, for the provider read. */
export async function checkoutOfPayment(db: Executor, attemptId: string) {
  return db
    .selectFrom('checkout_attempts')
    .select(['provider_checkout_id'])
    .where('id', '=', attemptId)
    .executeTakeFirst();
}
