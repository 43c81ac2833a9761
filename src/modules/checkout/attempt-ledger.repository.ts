import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { onlinePaymentRow, type OnlinePayment } from './settlement.repository.js';

/** SQL of a success's ledger: what the appointment and the link stand at, read as its payment is booked. */

/** What a success changes, as the transaction sees it under the locks, read in one statement. */
export interface AttemptLedger {
  /** Σ item totals of the appointment */
  total: number;
  /** Σ its non-voided payments */
  paid: number;
  /** the link's own payments net of refunds */
  collected: number;
  /** refunds asked for and not yet booked */
  outstandingRefunds: number;
  link: { status: string; amount: number | null };
  /** open attempts other than this one, of the link and of the whole appointment */
  otherOpenOfLink: number;
  otherOpenOfAppointment: number;
}

/**
 * Books a success's online payment and reads the ledger as it was before it, in one statement
 * (the statement's reads do not see its own insert). `inserted` is false when the payment was
 * already there (the unique index of one payment per attempt).
 */
export async function insertPaymentReadingLedger(
  db: Executor,
  attempt: { id: string; link_id: string; appointment_id: string },
  payment: OnlinePayment,
): Promise<{ inserted: boolean; ledger: AttemptLedger }> {
  const rows = await db
    .with('booked', (q) =>
      q
        .insertInto('payments')
        .values(onlinePaymentRow(payment))
        .onConflict((oc) => oc.doNothing())
        .returning('id'),
    )
    .selectFrom('payment_links as l')
    // the appointment's payments and the link's share of them, in one pass
    .crossJoinLateral(() =>
      sql<{ paid: number; collected: number }>`(
          SELECT COALESCE(SUM(p.amount), 0)::int8 AS paid, COALESCE(SUM(p.amount) FILTER (WHERE p.link_id = ${attempt.link_id}), 0)::int8 AS collected
            FROM payments p WHERE p.appointment_id = ${attempt.appointment_id} AND p.voided_at IS NULL)`.as('pm'),
    )
    .where('l.id', '=', attempt.link_id)
    .select([
      'l.status as link_status',
      'l.amount as link_amount',
      sql<number>`(SELECT count(*)::int FROM booked)`.as('inserted'),
      sql<number>`(SELECT COALESCE(SUM(i.unit_price * i.quantity), 0)::int8 FROM appointment_items i WHERE i.appointment_id = ${attempt.appointment_id})`.as(
        'total',
      ),
      'pm.paid',
      'pm.collected',
      sql<number>`(SELECT COALESCE(SUM(r.amount - r.tip), 0)::int8 FROM refund_requests r WHERE r.appointment_id = ${attempt.appointment_id} AND r.status = 'requested')`.as(
        'outstanding',
      ),
      sql<number>`(SELECT count(*)::int FROM checkout_attempts t WHERE t.link_id = ${attempt.link_id} AND t.id <> ${attempt.id} AND t.status IN ('creating', 'pending'))`.as(
        'open_of_link',
      ),
      sql<number>`(SELECT count(*)::int FROM checkout_attempts t WHERE t.appointment_id = ${attempt.appointment_id} AND t.id <> ${attempt.id} AND t.status IN ('creating', 'pending'))`.as(
        'open_of_appointment',
      ),
    ])
    .execute();
  const row = rows[0]!;
  return {
    inserted: row.inserted === 1,
    ledger: {
      total: row.total,
      paid: row.paid,
      collected: row.collected,
      outstandingRefunds: row.outstanding,
      link: { status: row.link_status, amount: row.link_amount },
      otherOpenOfLink: row.open_of_link,
      otherOpenOfAppointment: row.open_of_appointment,
    },
  };
}
