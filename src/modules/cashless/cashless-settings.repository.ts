import type { Executor } from '../../db/database.js';
import { OPEN_ATTEMPT_STATUSES } from '../checkout/domain/attempt-status.js';

/** SQL for a company's cashless payment settings (one row per company, created on first write). */

export async function findSettings(db: Executor, companyId: string, options: { forUpdate?: boolean } = {}) {
  let query = db.selectFrom('cashless_settings').selectAll().where('company_id', '=', companyId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}
export type SettingsRow = NonNullable<Awaited<ReturnType<typeof findSettings>>>;

/** Makes sure the row exists, so that it can be locked. */
export async function ensureSettingsRow(db: Executor, companyId: string, now: Date): Promise<void> {
  await db
    .insertInto('cashless_settings')
    .values({
      company_id: companyId,
      pay_by_link_enabled: false,
      credentials_hint: '{}',
      fiscalization: JSON.stringify({ enabled: false }),
      sandbox_notifications: JSON.stringify({ mode: 'normal' }),
      updated_at: now,
    })
    .onConflict((oc) => oc.column('company_id').doNothing())
    .execute();
}

export async function updateSettings(
  db: Executor,
  companyId: string,
  patch: {
    provider?: string;
    credentials_sealed?: string;
    credentials_hint?: Record<string, string>;
    pay_by_link_enabled?: boolean;
    fiscalization?: Record<string, unknown>;
    connected_at?: Date;
    updated_at: Date;
  },
): Promise<void> {
  const { credentials_hint, fiscalization, ...rest } = patch;
  await db
    .updateTable('cashless_settings')
    .set({
      ...rest,
      ...(credentials_hint ? { credentials_hint: JSON.stringify(credentials_hint) } : {}),
      ...(fiscalization ? { fiscalization: JSON.stringify(fiscalization) } : {}),
    })
    .where('company_id', '=', companyId)
    .execute();
}

/** Forgets the company's provider: its credentials are wiped and pay-by-link is off until one is connected again. */
export async function clearConnection(db: Executor, companyId: string, now: Date): Promise<void> {
  await db
    .updateTable('cashless_settings')
    .set({
      provider: null,
      credentials_sealed: null,
      credentials_hint: JSON.stringify({}),
      connected_at: null,
      pay_by_link_enabled: false,
      updated_at: now,
    })
    .where('company_id', '=', companyId)
    .execute();
}

/**
 * How much of the company's money work still needs its provider (R31–R33): refunds asked and not
 * yet answered, and settlement receipts decided and not yet accepted.
 */
export async function countOpenProviderWork(db: Executor, companyId: string): Promise<number> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('refund_requests')
        .select((q) => q.fn.countAll<string>().as('n'))
        .where('company_id', '=', companyId)
        .where('status', '=', 'requested')
        .as('refunds'),
      eb
        .selectFrom('settlement_receipts')
        .select((q) => q.fn.countAll<string>().as('n'))
        .where('company_id', '=', companyId)
        .where('status', '=', 'pending')
        .where('amount', 'is not', null)
        .as('receipts'),
    ])
    .executeTakeFirstOrThrow();
  return Number(row.refunds) + Number(row.receipts);
}

/** How many checkout attempts of the company are still open at a provider. */
export async function countOpenAttempts(db: Executor, companyId: string): Promise<number> {
  const row = await db
    .selectFrom('checkout_attempts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('company_id', '=', companyId)
    .where('status', 'in', OPEN_ATTEMPT_STATUSES)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
