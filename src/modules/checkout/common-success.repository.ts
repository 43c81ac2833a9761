import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { NewAuditRow } from '../../db/schema.js';
import { newId } from '../../shared/ids.js';
import { insertSettlementReceiptsFrom } from '../receipts/index.js';
import { onlinePaymentRow, type OnlinePayment } from './settlement.repository.js';

/** SQL of the common success: a crowd of successes written by one statement. */

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
 * lifts the appointment's lock (R13), queues the settlement receipt of a prepayment (R33) and
 * appends the audit entries, whose amounts the statement fills in. Answers what it wrote, by the index of the input; an input missing there was left
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
    return { n, ...p, ...prefixed(input.attemptPatch), settlement_receipt_id: newId('settlement_receipt'), audits };
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
        attempt_ended_at timestamptz, attempt_updated_at timestamptz, settlement_receipt_id text, audits jsonb)
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
    receipted AS (${insertSettlementReceiptsFrom(sql`done s`)}),
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
