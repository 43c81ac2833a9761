import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { PaymentLinksTable } from '../../db/schema-payment-links.js';

/** SQL for payment links. */

export type LinkRow = Selectable<PaymentLinksTable>;

export async function insertLink(db: Executor, row: Insertable<PaymentLinksTable>): Promise<boolean> {
  // The partial unique index keeps one active link per appointment (R5); losing the race is not an error.
  const result = await db
    .insertInto('payment_links')
    .values(row)
    .onConflict((oc) => oc.column('appointment_id').where('status', '=', sql.lit('active')).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findActiveLink(
  db: Executor,
  companyId: string,
  appointmentId: string,
  options: { forUpdate?: boolean } = {},
) {
  let q = db
    .selectFrom('payment_links')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('appointment_id', '=', appointmentId)
    .where('status', '=', 'active');
  if (options.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The link staff see on an appointment: the active one, else the newest. */
export async function findCurrentLink(db: Executor, companyId: string, appointmentId: string) {
  return db
    .selectFrom('payment_links')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('appointment_id', '=', appointmentId)
    .orderBy(sql`(status = 'active')`, 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findLink(db: Executor, id: string) {
  return db.selectFrom('payment_links').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function lockLink(db: Executor, id: string) {
  return db.selectFrom('payment_links').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

export async function updateLink(
  db: Executor,
  id: string,
  patch: Partial<Pick<LinkRow, 'status' | 'amount' | 'opened_at' | 'paid_at' | 'disabled_at'>>,
) {
  await db.updateTable('payment_links').set(patch).where('id', '=', id).execute();
}

/** What a link has collected: its online payments net of their refunds. */
export async function collectedByLink(db: Executor, linkId: string): Promise<number> {
  const row = await db
    .selectFrom('payments')
    .select(sql<string>`COALESCE(SUM(amount), 0)`.as('sum'))
    .where('link_id', '=', linkId)
    .where('voided_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.sum);
}
