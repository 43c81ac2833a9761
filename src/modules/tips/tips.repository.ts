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
