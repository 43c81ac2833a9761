import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type {
  SandboxCheckoutsTable,
  SandboxRefundsTable,
  SandboxReceiptsTable,
} from '../../db/schema-payment-links.js';

/** SQL of the sandbox bank's own books: merchants, checkouts, refunds. */

export type SandboxCheckoutStatus = 'open' | 'paid' | 'declined' | 'expired';

export async function upsertMerchantSecret(db: Executor, companyId: string, secret: string, at: Date) {
  await db
    .insertInto('sandbox_merchants')
    .values({ company_id: companyId, webhook_secret: secret, updated_at: at })
    .onConflict((oc) => oc.column('company_id').doUpdateSet({ webhook_secret: secret, updated_at: at }))
    .execute();
}

export async function findMerchantSecrets(db: Executor, companyIds: string[]): Promise<Map<string, string>> {
  if (companyIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('sandbox_merchants')
    .select(['company_id', 'webhook_secret'])
    .where('company_id', 'in', companyIds)
    .execute();
  return new Map(rows.map((r) => [r.company_id, r.webhook_secret]));
}

/** Inserts unless the idempotency key is taken; answers the new row or undefined. */
export async function insertCheckout(db: Executor, row: Insertable<SandboxCheckoutsTable>) {
  return db
    .insertInto('sandbox_checkouts')
    .values(row)
    .onConflict((oc) => oc.columns(['company_id', 'idempotency_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findCheckoutByKey(db: Executor, companyId: string, key: string) {
  return db
    .selectFrom('sandbox_checkouts')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export async function findCheckout(db: Executor, companyId: string, id: string) {
  return db
    .selectFrom('sandbox_checkouts')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The hosted page knows only the checkout id; the merchant's name and branding (R39) come along. */
export async function findCheckoutWithMerchant(db: Executor, id: string) {
  return db
    .selectFrom('sandbox_checkouts as c')
    .innerJoin('companies as co', 'co.id', 'c.company_id')
    .leftJoin('company_branding as b', 'b.company_id', 'c.company_id')
    .selectAll('c')
    .select('co.name as company_name')
    .select(['b.accent_color', 'b.contact_line', 'b.logo_sha256', 'b.logo_type', 'b.logo_width', 'b.logo_height'])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export async function lockCheckout(db: Executor, id: string) {
  return db.selectFrom('sandbox_checkouts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function setCheckoutStatus(db: Executor, id: string, status: SandboxCheckoutStatus, at: Date) {
  return db
    .updateTable('sandbox_checkouts')
    .set({ status, completed_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Open checkouts past their expiry, taken by this caller only (others skip them). */
export async function expireOverdueCheckouts(db: Executor, now: Date, limit: number) {
  const due = await db
    .selectFrom('sandbox_checkouts')
    .select('id')
    .where('status', '=', sql.lit('open')) // a literal, so the plan can use the partial index of open checkouts
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  if (due.length === 0) return [];
  return db
    .updateTable('sandbox_checkouts')
    .set({ status: 'expired', completed_at: now })
    .where(
      'id',
      'in',
      due.map((r) => r.id),
    )
    .returningAll()
    .execute();
}

export async function addRefunded(db: Executor, id: string, amount: number) {
  return db
    .updateTable('sandbox_checkouts')
    .set((eb) => ({ refunded: eb('refunded', '+', amount) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findRefundByKey(db: Executor, companyId: string, key: string) {
  return db
    .selectFrom('sandbox_refunds')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export async function insertRefund(db: Executor, row: Insertable<SandboxRefundsTable>) {
  await db.insertInto('sandbox_refunds').values(row).execute();
}

export async function findReceiptByKey(db: Executor, companyId: string, key: string) {
  return db
    .selectFrom('sandbox_receipts')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export async function insertReceipt(db: Executor, row: Insertable<SandboxReceiptsTable>) {
  await db.insertInto('sandbox_receipts').values(row).execute();
}

/** R32: the refunds of one checkout, oldest first. */
export async function refundsOfCheckout(db: Executor, companyId: string, checkoutId: string) {
  return db
    .selectFrom('sandbox_refunds')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('checkout_id', '=', checkoutId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** R32: the merchant page — a company's paid checkouts, newest first, with what is left to refund. */
export async function paidCheckouts(db: Executor, companyId: string, limit: number) {
  return db
    .selectFrom('sandbox_checkouts')
    .select(['id', 'amount', 'currency', 'refunded', 'description', 'completed_at'])
    .where('company_id', '=', companyId)
    .where('status', '=', 'paid')
    .orderBy('completed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** The merchant's name on the bank's merchant page. */
export async function merchantName(db: Executor, companyId: string): Promise<string | undefined> {
  return (await db.selectFrom('companies').select('name').where('id', '=', companyId).executeTakeFirst())?.name;
}
