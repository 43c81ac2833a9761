import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { RefundRequestsTable } from '../../db/schema-payment-links.js';
import type { NewAuditRow } from '../../db/schema.js';

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

/** The payments row of an online payment or refund. */
function onlinePaymentRow(row: OnlinePayment) {
  return {
    ...row,
    method: 'online',
    refund_of: row.refund_of ?? null,
    provider_refund_id: row.provider_refund_id ?? null,
    idempotency_key: null,
    request_hash: null,
    voided_at: null,
    voided_by: null,
    created_at: row.paid_at,
  };
}

/** Inserts an online payment or refund; the unique indexes make a second one for the same attempt/refund a no-op. */
export async function insertOnlinePayment(db: Executor, row: OnlinePayment): Promise<boolean> {
  const result = await db.insertInto('payments').values(onlinePaymentRow(row)).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function insertRefundRequest(db: Executor, row: Insertable<RefundRequestsTable>): Promise<void> {
  await db.insertInto('refund_requests').values(row).execute();
}

/** A webhook inbox row to mark processed with the change it brought. */
export interface InboxMark {
  id: number;
  at: Date;
}

/** An attempt by our id, or by the provider's checkout id within a company. */
export type AttemptLocator = { id: string; companyId?: string; provider?: string } | { companyId: string; provider: string; checkoutId: string };

/**
 * The usual locks of settlement — link, appointment, then the attempt — in one statement (row
 * locks are taken in the order of the OF list), answering the attempt as committed.
 */
export async function lockAttemptWithOwners(db: Executor, at: AttemptLocator) {
  let query = db
    .selectFrom('payment_links as l')
    .innerJoin('appointments as a', 'a.id', 'l.appointment_id')
    .innerJoin('checkout_attempts as t', (join) => join.onRef('t.link_id', '=', 'l.id').onRef('t.appointment_id', '=', 'a.id'))
    .selectAll('t');
  if ('checkoutId' in at) {
    query = query.where('t.provider', '=', at.provider).where('t.provider_checkout_id', '=', at.checkoutId).where('t.company_id', '=', at.companyId);
  } else {
    query = query.where('t.id', '=', at.id);
    if (at.companyId !== undefined) query = query.where('t.company_id', '=', at.companyId);
    if (at.provider !== undefined) query = query.where('t.provider', '=', at.provider);
  }
  return query.forUpdate(['l', 'a', 't']).executeTakeFirst();
}

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
    .with('booked', (q) => q.insertInto('payments').values(onlinePaymentRow(payment)).onConflict((oc) => oc.doNothing()).returning('id'))
    .selectFrom('payment_links as l')
    // the appointment's payments and the link's share of them, in one pass
    .crossJoinLateral(
      () =>
        sql<{ paid: number; collected: number }>`(
          SELECT COALESCE(SUM(p.amount), 0)::int8 AS paid, COALESCE(SUM(p.amount) FILTER (WHERE p.link_id = ${attempt.link_id}), 0)::int8 AS collected
            FROM payments p WHERE p.appointment_id = ${attempt.appointment_id} AND p.voided_at IS NULL)`.as('pm'),
    )
    .where('l.id', '=', attempt.link_id)
    .select([
      'l.status as link_status',
      'l.amount as link_amount',
      sql<number>`(SELECT count(*)::int FROM booked)`.as('inserted'),
      sql<number>`(SELECT COALESCE(SUM(i.unit_price * i.quantity), 0)::int8 FROM appointment_items i WHERE i.appointment_id = ${attempt.appointment_id})`.as('total'),
      'pm.paid',
      'pm.collected',
      sql<number>`(SELECT COALESCE(SUM(r.amount), 0)::int8 FROM refund_requests r WHERE r.appointment_id = ${attempt.appointment_id} AND r.status = 'requested')`.as('outstanding'),
      sql<number>`(SELECT count(*)::int FROM checkout_attempts t WHERE t.link_id = ${attempt.link_id} AND t.id <> ${attempt.id} AND t.status IN ('creating', 'pending'))`.as('open_of_link'),
      sql<number>`(SELECT count(*)::int FROM checkout_attempts t WHERE t.appointment_id = ${attempt.appointment_id} AND t.id <> ${attempt.id} AND t.status IN ('creating', 'pending'))`.as('open_of_appointment'),
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

/**
 * The writes of a success after its payment, in one statement: the attempt's new state, the
 * link marked paid (R12) and the appointment's lock lifted (R13) when those apply, and the
 * audit entries.
 */
export async function writeSuccess(
  db: Executor,
  input: {
    attemptId: string;
    attemptPatch: { status: 'succeeded'; provider_status: string; provider_checkout_id: string; provider_payment_id: string | null; ended_at: Date; updated_at: Date };
    link: { id: string; paid: boolean; at: Date };
    appointment: { id: string; unlock: boolean };
    audits: NewAuditRow[];
    /** the notification that brought this success, marked applied in the same commit */
    inbox: InboxMark | undefined;
  },
): Promise<void> {
  await db
    .with('inbox', (q) =>
      q
        .updateTable('webhook_inbox')
        .set({ processed_at: input.inbox?.at ?? null, last_error: null })
        .where('id', '=', input.inbox?.id ?? -1)
        .where(sql<boolean>`${input.inbox !== undefined}::boolean`),
    )
    .with('attempt', (q) => q.updateTable('checkout_attempts').set(input.attemptPatch).where('id', '=', input.attemptId))
    .with('link', (q) =>
      q.updateTable('payment_links').set({ status: 'paid', paid_at: input.link.at }).where('id', '=', input.link.id).where(sql<boolean>`${input.link.paid}::boolean`),
    )
    .with('unlocked', (q) =>
      q
        .updateTable('appointments')
        .set({ locked_until: null })
        .where('id', '=', input.appointment.id)
        .where('locked_until', 'is not', null)
        .where(sql<boolean>`${input.appointment.unlock}::boolean`),
    )
    .insertInto('audit_log')
    .values(input.audits)
    .execute();
}
