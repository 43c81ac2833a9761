import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { CheckoutAttemptsTable, RefundRequestsTable } from '../../db/schema-payment-links.js';
import type { NewAuditRow } from '../../db/schema.js';

/**
 * SQL of settlement: the appointment row lock, online payments, refund requests, the usual locks
 * and the writes of a success on the general way. The ledger a success reads is in
 * attempt-ledger.repository.ts, the one-statement common success in common-success.repository.ts.
 */

/** Locks the appointment even when it was deleted meanwhile: money that arrived is still booked to it. */
export async function lockAppointmentRow(db: Executor, appointmentId: string) {
  return db
    .selectFrom('appointments')
    .selectAll()
    .where('id', '=', appointmentId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** R13: money changes of the appointment wait until `until` while a checkout of it is young. */
export async function setLock(db: Executor, appointmentId: string, until: Date): Promise<void> {
  await db.updateTable('appointments').set({ locked_until: until }).where('id', '=', appointmentId).execute();
}

export async function clearLock(db: Executor, appointmentId: string): Promise<void> {
  await db
    .updateTable('appointments')
    .set({ locked_until: null })
    .where('id', '=', appointmentId)
    .where('locked_until', 'is not', null)
    .execute();
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
export function onlinePaymentRow(row: OnlinePayment) {
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
  const result = await db
    .insertInto('payments')
    .values(onlinePaymentRow(row))
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
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
export type AttemptLocator =
  | { id: string; companyId?: string; provider?: string }
  | { companyId: string; provider: string; checkoutId: string };

/**
 * The usual locks of settlement — link, appointment, then the attempt — in one statement (row
 * locks are taken in the order of the OF list), answering the attempt as committed.
 */
export async function lockAttemptWithOwners(db: Executor, at: AttemptLocator) {
  let query = db
    .selectFrom('payment_links as l')
    .innerJoin('appointments as a', 'a.id', 'l.appointment_id')
    .innerJoin('checkout_attempts as t', (join) =>
      join.onRef('t.link_id', '=', 'l.id').onRef('t.appointment_id', '=', 'a.id'),
    )
    .selectAll('t');
  if ('checkoutId' in at) {
    query = query
      .where('t.provider', '=', at.provider)
      .where('t.provider_checkout_id', '=', at.checkoutId)
      .where('t.company_id', '=', at.companyId);
  } else {
    query = query.where('t.id', '=', at.id);
    if (at.companyId !== undefined) query = query.where('t.company_id', '=', at.companyId);
    if (at.provider !== undefined) query = query.where('t.provider', '=', at.provider);
  }
  return query.forUpdate(['l', 'a', 't']).executeTakeFirst();
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
    attemptPatch: {
      status: 'succeeded';
      provider_status: string;
      provider_checkout_id: string;
      provider_payment_id: string | null;
      ended_at: Date;
      updated_at: Date;
    };
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
    .with('attempt', (q) =>
      q.updateTable('checkout_attempts').set(input.attemptPatch).where('id', '=', input.attemptId),
    )
    .with('link', (q) =>
      q
        .updateTable('payment_links')
        .set({ status: 'paid', paid_at: input.link.at })
        .where('id', '=', input.link.id)
        .where(sql<boolean>`${input.link.paid}::boolean`),
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

/**
 * Locks the attempts of several notifications at once, by provider checkout id, with their links
 * and appointments, in checkout-id order (every batch the same order). Keyed by
 * "companyId provider checkoutId".
 */
export async function lockAttemptsByCheckout(
  db: Executor,
  keys: readonly { companyId: string; provider: string; checkoutId: string }[],
) {
  if (keys.length === 0) return new Map<string, Selectable<CheckoutAttemptsTable>>();
  const { rows } = await sql<Selectable<CheckoutAttemptsTable>>`
    SELECT t.*
      FROM unnest(${keys.map((k) => k.companyId)}::text[], ${keys.map((k) => k.provider)}::text[], ${keys.map((k) => k.checkoutId)}::text[]) AS k(company_id, provider, checkout_id)
      JOIN checkout_attempts t ON t.company_id = k.company_id AND t.provider = k.provider AND t.provider_checkout_id = k.checkout_id
                               -- reached through the (provider, checkout id) index whatever the planner guesses of the list
                               AND t.provider = ANY(${[...new Set(keys.map((k) => k.provider))]}::text[])
                               AND t.provider_checkout_id = ANY(${keys.map((k) => k.checkoutId)}::text[])
      JOIN payment_links l ON l.id = t.link_id
      JOIN appointments a ON a.id = l.appointment_id AND a.id = t.appointment_id
     ORDER BY t.provider_checkout_id, t.id
       FOR UPDATE OF l, a, t`.execute(db);
  return new Map(rows.map((r) => [`${r.company_id} ${r.provider} ${r.provider_checkout_id}`, r]));
}
