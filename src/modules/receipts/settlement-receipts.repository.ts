import { type RawBuilder, sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { claimDue } from '../../db/durable-queue.js';

/** SQL of settlement receipts (R33): one per online payment receipted as a prepayment. */

/**
 * When the appointment's service counts as delivered if nobody marks it arrived: the end of its
 * day (midnight after it starts) in the company's time zone. `a` is appointments, `c` companies.
 */
const END_OF_DAY = sql<Date>`((date_trunc('day', a.starts_at AT TIME ZONE c.timezone) + interval '1 day') AT TIME ZONE c.timezone)`;

/** The attempt's receipt (`t.receipt`) took some of the payment as a prepayment (R25 modes). */
const PREPAID = sql<boolean>`EXISTS (SELECT 1 FROM jsonb_array_elements(t.receipt -> 'items') i
                                      WHERE i ->> 'paymentMode' IN ('full_prepayment', 'partial_prepayment'))`;

/**
 * The row of each new online payment whose receipt was a prepayment, written in the same
 * statement or transaction as the payment, on both success paths. Written with the payment
 * rather than found later by a sweep: the payment's transaction already holds everything it needs,
 * staff see the pending receipt and its due time from the start, a reschedule just moves it, and
 * the job reads only due rows (an index on check_at) instead of searching payments for missing ones.
 *
 * `source` is a relation with the columns settlement_receipt_id, id (the payment), company_id,
 * appointment_id, attempt_id, amount and paid_at. Due at the end of the appointment's day, or at
 * once when the appointment already turned arrived.
 */
export function insertSettlementReceiptsFrom(source: RawBuilder<unknown>) {
  return sql`
    INSERT INTO settlement_receipts (id, company_id, appointment_id, payment_id, status, due_at, check_at, created_at, updated_at)
    SELECT s.settlement_receipt_id, s.company_id, s.appointment_id, s.id, 'pending', d.at, d.at, s.paid_at, s.paid_at
      FROM ${source}
      JOIN checkout_attempts t ON t.id = s.attempt_id
      JOIN appointments a ON a.id = s.appointment_id
      JOIN companies c ON c.id = s.company_id
      CROSS JOIN LATERAL (SELECT CASE WHEN a.status = 'arrived' THEN s.paid_at ELSE ${END_OF_DAY} END AS at) d
     WHERE s.amount > 0 AND t.receipt IS NOT NULL AND ${PREPAID}
    ON CONFLICT (payment_id) DO NOTHING`;
}

/** The general success path's single payment, as insertSettlementReceiptsFrom's source. */
export async function insertSettlementReceipt(
  db: Executor,
  row: {
    settlementReceiptId: string;
    paymentId: string;
    companyId: string;
    appointmentId: string;
    attemptId: string;
    amount: number;
    paidAt: Date;
  },
): Promise<void> {
  const source = sql`(SELECT ${row.settlementReceiptId}::text AS settlement_receipt_id, ${row.paymentId}::text AS id,
                             ${row.companyId}::text AS company_id, ${row.appointmentId}::text AS appointment_id,
                             ${row.attemptId}::text AS attempt_id, ${row.amount}::int8 AS amount,
                             ${row.paidAt}::timestamptz AS paid_at) s`;
  await insertSettlementReceiptsFrom(source).execute(db);
}

/**
 * The appointment changed status or time: pending receipts are due at once when it turned
 * arrived, else at the end of its (new) day. A receipt waiting out a back-off keeps waiting unless
 * the new due time is later. Receipts left unsent because the visit was cancelled or missed
 * (not_needed without an amount) come back when the appointment turns arrived after all.
 */
export async function moveSettlementDue(db: Executor, appointmentId: string, now: Date): Promise<number> {
  const { rows } = await sql<{ id: string }>`
    WITH d AS (
      SELECT r.id, r.status AS was,
             CASE WHEN a.status = 'arrived' THEN LEAST(${now}::timestamptz, CASE WHEN r.status = 'pending' THEN r.due_at ELSE ${now}::timestamptz END)
                  ELSE ${END_OF_DAY} END AS at
        FROM settlement_receipts r
        JOIN appointments a ON a.id = r.appointment_id
        JOIN companies c ON c.id = a.company_id
       WHERE r.appointment_id = ${appointmentId}
         AND (r.status = 'pending' OR (r.status = 'not_needed' AND r.amount IS NULL AND a.status = 'arrived'))
       FOR UPDATE OF r
    )
    UPDATE settlement_receipts r
       SET status = 'pending', failure = CASE WHEN d.was = 'pending' THEN r.failure END, due_at = d.at,
           check_at = CASE WHEN r.tries = 0 OR d.was <> 'pending' THEN d.at ELSE GREATEST(r.check_at, d.at) END,
           updated_at = ${now}
      FROM d
     WHERE r.id = d.id AND (d.was <> 'pending' OR r.due_at <> d.at)
    RETURNING r.id`.execute(db);
  return rows.length;
}

/** R33: pending receipts whose service counts as delivered, leased for one try each. */
export async function claimDueSettlementReceipts(db: Db, now: Date, leaseUntil: Date, limit: number) {
  return claimDue(db, {
    table: 'settlement_receipts',
    due: 'check_at',
    now,
    limit,
    lease: leaseUntil,
    where: (eb) => eb('status', '=', sql.lit('pending')),
    count: 'tries',
    touch: 'updated_at',
  });
}
export type SettlementReceiptRow = Awaited<ReturnType<typeof claimDueSettlementReceipts>>[number];

/**
 * What sending needs: the payment and its receipt, the appointment's status, and how much of the
 * payment was refunded or is being refunded (refund payments booked against it, and refund
 * requests still waiting for the provider): the receipt offsets only the rest.
 */
export async function findSettlementContext(db: Executor, paymentId: string) {
  return db
    .selectFrom('payments as p')
    .innerJoin('checkout_attempts as t', 't.id', 'p.attempt_id')
    .innerJoin('appointments as a', 'a.id', 'p.appointment_id')
    .select((eb) => [
      'p.id',
      'p.amount',
      'p.currency',
      'p.provider',
      'p.provider_payment_id',
      't.provider_checkout_id',
      't.receipt',
      'a.status as appointment_status',
      eb
        .selectFrom('payments as r')
        .select(sql<number>`COALESCE(-SUM(r.amount), 0)::int8`.as('refunded'))
        .whereRef('r.refund_of', '=', 'p.id')
        .where('r.voided_at', 'is', null)
        .as('refunded'),
      eb
        .selectFrom('refund_requests as q')
        .select(sql<number>`COALESCE(SUM(q.amount - q.tip), 0)::int8`.as('refunding'))
        .whereRef('q.payment_id', '=', 'p.id')
        .where('q.status', '=', 'requested')
        .as('refunding'),
    ])
    .where('p.id', '=', paymentId)
    .executeTakeFirstOrThrow();
}

export async function findSettlementReceipt(db: Executor, id: string, options: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('settlement_receipts').selectAll().where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function updateSettlementReceipt(
  db: Executor,
  id: string,
  patch: {
    status?: 'pending' | 'sent' | 'failed' | 'not_needed';
    amount?: number | null;
    provider_receipt_id?: string | null;
    failure?: string | null;
    check_at?: Date;
    updated_at: Date;
  },
): Promise<void> {
  await db.updateTable('settlement_receipts').set(patch).where('id', '=', id).execute();
}

export async function settlementReceiptsOfAppointment(db: Executor, appointmentId: string) {
  return db
    .selectFrom('settlement_receipts')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * Whether the payment's settlement receipt went out (or is decided and being sent): a refund after it gives back money for a
 * service already delivered, and its receipt says so (`full_payment`, not a prepayment mode).
 */
export async function settlementSentFor(db: Executor, paymentId: string): Promise<boolean> {
  const row = await db
    .selectFrom('settlement_receipts')
    .select('id')
    .where('payment_id', '=', paymentId)
    // sent, or its amount decided and on its way (retried until the provider takes it)
    .where((eb) =>
      eb.or([eb('status', '=', 'sent'), eb.and([eb('status', '=', 'pending'), eb('amount', 'is not', null)])]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The amount a settlement receipt offsets, decided before its first try and kept (R33): retries
 * resend the very same body under the same key, whatever happens to the payment meanwhile.
 */
export async function decideSettlementAmount(db: Executor, id: string, amount: number): Promise<number> {
  await db
    .updateTable('settlement_receipts')
    .set({ amount })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('amount', 'is', null)
    .execute();
  const row = await db
    .selectFrom('settlement_receipts')
    .select('amount')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.amount ?? amount;
}
