import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { tipSettingsOf, type TipSettings } from './domain/tips.js';

/** SQL of R40: a company's tip settings and the tips ledger (written by the payments trigger of 0026). */

export async function readTipSettings(db: Executor, companyId: string): Promise<TipSettings> {
  const row = await db
    .selectFrom('tip_settings')
    .select(['enabled', 'presets'])
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  return tipSettingsOf(row);
}

/** Locks the company's row (creating it with the defaults) and answers the settings before the change. */
export async function lockTipSettings(db: Executor, companyId: string, now: Date): Promise<TipSettings> {
  await db
    .insertInto('tip_settings')
    .values({ company_id: companyId, updated_at: now })
    .onConflict((oc) => oc.column('company_id').doNothing())
    .execute();
  const row = await db
    .selectFrom('tip_settings')
    .select(['enabled', 'presets'])
    .where('company_id', '=', companyId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return tipSettingsOf(row);
}

export async function writeTipSettings(db: Executor, companyId: string, settings: TipSettings, now: Date) {
  await db
    .updateTable('tip_settings')
    .set({ enabled: settings.enabled, presets: sql<number[]>`${settings.presets}::smallint[]`, updated_at: now })
    .where('company_id', '=', companyId)
    .execute();
}

/** The tips of payments, by payment id (the appointment window shows each beside its payment). */
export async function tipsOfPayments(db: Executor, paymentIds: readonly string[]): Promise<Map<string, number>> {
  if (paymentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('tips')
    .select(['payment_id', 'amount'])
    .where('payment_id', 'in', paymentIds)
    .execute();
  return new Map(rows.map((r) => [r.payment_id, Number(r.amount)]));
}

/**
 * R40, R32: what is left of a payment's tip and of its visit part to give back: the tip and the
 * payment's amount, less what refunds of the payment hold (requested or made), each of its part.
 */
export async function refundableParts(
  db: Executor,
  payment: { id: string; amount: number },
): Promise<{ visit: number; tip: number }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('tips').select('amount').where('payment_id', '=', payment.id).as('tip'),
      eb
        .selectFrom('refund_requests')
        .select(sql<number>`COALESCE(SUM(amount - tip), 0)::int8`.as('v'))
        .where('payment_id', '=', payment.id)
        .where('status', 'in', ['requested', 'succeeded'])
        .as('visit_held'),
      eb
        .selectFrom('refund_requests')
        .select(sql<number>`COALESCE(SUM(tip), 0)::int8`.as('t'))
        .where('payment_id', '=', payment.id)
        .where('status', 'in', ['requested', 'succeeded'])
        .as('tip_held'),
    ])
    .executeTakeFirstOrThrow();
  return {
    visit: Math.max(0, Number(payment.amount) - Number(row.visit_held ?? 0)),
    tip: Math.max(0, Number(row.tip ?? 0) - Number(row.tip_held ?? 0)),
  };
}

/**
 * Books the tip part of a refund request that just succeeded, once (keyed by the request), for the
 * staff member the tip was booked for.
 */
export async function bookTipRefund(
  db: Executor,
  request: { id: string; payment_id: string; tip: number },
  now: Date,
): Promise<void> {
  if (Number(request.tip) <= 0) return;
  await sql`
    INSERT INTO tip_refunds (refund_request_id, payment_id, company_id, appointment_id, staff_id, amount, currency, created_at)
    SELECT ${request.id}, t.payment_id, t.company_id, t.appointment_id, t.staff_id, ${request.tip}, t.currency, ${now}
      FROM tips t WHERE t.payment_id = ${request.payment_id}
    ON CONFLICT (refund_request_id) DO NOTHING
  `.execute(db);
}
