import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { CheckoutAttemptsTable, RefundRequestsTable } from '../../db/schema-payment-links.js';
import type { NewAuditRow } from '../../db/schema.js';

/** SQL of settlement: the appointment row lock, online payments, refund requests. */

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
      sql<number>`(SELECT COALESCE(SUM(r.amount), 0)::int8 FROM refund_requests r WHERE r.appointment_id = ${attempt.appointment_id} AND r.status = 'requested')`.as(
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

/** What a common success wrote, as the ledger stood before it. */
export interface CommonSuccess {
  dueBefore: number;
  linkPaid: boolean;
  /** the link's collected amount with this payment */
  collected: number;
  linkAmount: number | null;
}

/** One success for writeCommonSuccesses. */
export interface CommonSuccessInput {
  payment: OnlinePayment;
  attemptPatch: {
    status: 'succeeded';
    provider_status: string;
    provider_checkout_id: string;
    provider_payment_id: string | null;
    ended_at: Date;
    updated_at: Date;
  };
  /** attempt.succeeded and payment.recorded, their amounts before and after left to the statement */
  audits: NewAuditRow[];
  /** link.paid, written only when the link is settled; its details are the statement's */
  linkPaidAudit: NewAuditRow;
}

/**
 * Common successes in one statement, each of another appointment, under locks taken before: for
 * each whose appointment has nothing else open and which does not exceed what is due, it books
 * the payment, ends the attempt, marks the link paid when it collected what it should (R12),
 * lifts the appointment's lock (R13) and appends the audit entries, whose amounts the statement
 * fills in. Answers what it wrote, by the index of the input; an input missing there was left
 * untouched (or its payment was already there) and goes the general way. One statement for a
 * crowd of notifications also takes the day totals' row locks in one sorted pass (the payments
 * trigger), so two crowds cannot deadlock there.
 */
export async function writeCommonSuccesses(
  db: Executor,
  inputs: readonly CommonSuccessInput[],
): Promise<Map<number, CommonSuccess>> {
  if (inputs.length === 0) return new Map();
  const rows = inputs.map((input, n) => {
    const p = onlinePaymentRow(input.payment);
    const audits = [
      ...input.audits.map((a) => ({ ...a, link_paid_only: false })),
      { ...input.linkPaidAudit, link_paid_only: true },
    ].map((a, i) => ({ ...a, n: i }));
    return { n, ...p, ...prefixed(input.attemptPatch), audits };
  });
  // Each table is also reached by `= ANY(ids)`: the planner cannot see how many rows the JSON holds,
  // and must not trade index lookups for a scan of a large table.
  const attemptIds = inputs.map((i) => i.payment.attempt_id);
  const linkIds = inputs.map((i) => i.payment.link_id);
  const appointmentIds = inputs.map((i) => i.payment.appointment_id);
  const { rows: written } = await sql<{
    n: number;
    due_before: number;
    link_paid: boolean;
    collected_after: number;
    link_amount: number | null;
  }>`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(
        n int, id text, company_id text, appointment_id text, amount int8, currency text, paid_at timestamptz, actor_type text, actor_id text,
        attempt_id text, link_id text, provider text, provider_payment_id text, method text, created_at timestamptz,
        attempt_status text, attempt_provider_status text, attempt_provider_checkout_id text, attempt_provider_payment_id text,
        attempt_ended_at timestamptz, attempt_updated_at timestamptz, audits jsonb)
    ),
    ledger AS (
      SELECT i.*, l.status AS link_status, l.amount AS link_amount,
             (SELECT COALESCE(SUM(it.unit_price * it.quantity), 0)::int8 FROM appointment_items it WHERE it.appointment_id = i.appointment_id) AS total,
             pm.paid, pm.collected
        FROM input i
        JOIN payment_links l ON l.id = i.link_id AND l.id = ANY(${linkIds}::text[])
        CROSS JOIN LATERAL (
          SELECT COALESCE(SUM(p.amount), 0)::int8 AS paid, COALESCE(SUM(p.amount) FILTER (WHERE p.link_id = l.id), 0)::int8 AS collected
            FROM payments p WHERE p.appointment_id = i.appointment_id AND p.voided_at IS NULL) pm
       WHERE NOT EXISTS (SELECT 1 FROM checkout_attempts t
                          WHERE t.appointment_id = i.appointment_id AND t.id <> i.attempt_id AND t.status IN ('creating', 'pending'))
    ),
    decision AS (
      SELECT *, total - paid AS due_before, total - paid - amount AS due_after, collected + amount AS collected_after,
             link_status = 'active' AND (total - paid - amount <= 0 OR (link_amount IS NOT NULL AND collected + amount >= link_amount)) AS link_paid
        FROM ledger WHERE total - paid - amount >= 0
    ),
    booked AS (
      INSERT INTO payments (id, company_id, appointment_id, amount, currency, paid_at, actor_type, actor_id, attempt_id, link_id, provider, provider_payment_id,
                            method, refund_of, provider_refund_id, idempotency_key, request_hash, voided_at, voided_by, created_at)
      SELECT id, company_id, appointment_id, amount, currency, paid_at, actor_type, actor_id, attempt_id, link_id, provider, provider_payment_id,
             method, NULL, NULL, NULL, NULL, NULL, NULL, created_at
        FROM decision ORDER BY n
      ON CONFLICT DO NOTHING RETURNING attempt_id
    ),
    done AS (SELECT d.* FROM decision d WHERE d.attempt_id IN (SELECT attempt_id FROM booked)),
    attempt AS (
      UPDATE checkout_attempts t SET status = d.attempt_status, provider_status = d.attempt_provider_status, provider_checkout_id = d.attempt_provider_checkout_id,
             provider_payment_id = d.attempt_provider_payment_id, ended_at = d.attempt_ended_at, updated_at = d.attempt_updated_at
        FROM done d WHERE t.id = d.attempt_id AND t.id = ANY(${attemptIds}::text[])
    ),
    link AS (
      UPDATE payment_links l SET status = 'paid', paid_at = d.paid_at FROM done d WHERE l.id = d.link_id AND l.id = ANY(${linkIds}::text[]) AND d.link_paid
    ),
    unlocked AS (
      UPDATE appointments a SET locked_until = NULL FROM done d WHERE a.id = d.appointment_id AND a.id = ANY(${appointmentIds}::text[]) AND a.locked_until IS NOT NULL
    ),
    audited AS (
      INSERT INTO audit_log (company_id, at, actor_type, actor_id, action, entity_type, entity_id, appointment_id, amount_before, amount_after, details)
      SELECT r.company_id, r.at, r.actor_type, r.actor_id, r.action, r.entity_type, r.entity_id, r.appointment_id,
             CASE WHEN r.link_paid_only THEN NULL ELSE d.due_before END, CASE WHEN r.link_paid_only THEN NULL ELSE d.due_after END,
             CASE WHEN r.link_paid_only THEN jsonb_build_object('collected', d.collected_after, 'amount', d.link_amount) ELSE r.details::jsonb END
        FROM done d
        CROSS JOIN LATERAL jsonb_to_recordset(d.audits) AS r(n int, company_id text, at timestamptz, actor_type text, actor_id text, action text,
               entity_type text, entity_id text, appointment_id text, details text, link_paid_only boolean)
       WHERE NOT r.link_paid_only OR d.link_paid
       ORDER BY d.n, r.n
    )
    SELECT n, due_before, link_paid, collected_after, link_amount FROM done`.execute(db);
  return new Map(
    written.map((w) => [
      w.n,
      {
        dueBefore: Number(w.due_before),
        linkPaid: w.link_paid,
        collected: Number(w.collected_after),
        linkAmount: w.link_amount === null ? null : Number(w.link_amount),
      },
    ]),
  );
}

/** The attempt's new columns as attempt_… fields beside the payment's in one input row. */
function prefixed(patch: CommonSuccessInput['attemptPatch']) {
  return {
    attempt_status: patch.status,
    attempt_provider_status: patch.provider_status,
    attempt_provider_checkout_id: patch.provider_checkout_id,
    attempt_provider_payment_id: patch.provider_payment_id,
    attempt_ended_at: patch.ended_at,
    attempt_updated_at: patch.updated_at,
  };
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
