import type { Executor } from '../../db/database.js';
import { sql, type Insertable, type Updateable } from 'kysely';
import { keyset, likeEscape } from '../../db/keyset.js';
import type { ProductsTable, ServicesTable } from '../../db/schema.js';

/** SQL for services and products. Every query is scoped by company. */

/** `forUpdate` locks the row for a read-modify-write (PATCH validates the new values against the current ones). */
export async function findService(db: Executor, companyId: string, id: string, options: { forUpdate?: boolean } = {}) {
  const query = db.selectFrom('services').selectAll().where('company_id', '=', companyId).where('id', '=', id);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export async function findProduct(db: Executor, companyId: string, id: string, options: { forUpdate?: boolean } = {}) {
  const query = db.selectFrom('products').selectAll().where('company_id', '=', companyId).where('id', '=', id);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export async function findProductBySku(db: Executor, companyId: string, sku: string) {
  return db
    .selectFrom('products')
    .selectAll()
    .where('company_id', '=', companyId)
    .where((eb) => eb(eb.fn('lower', ['sku']), '=', sku.toLowerCase()))
    .executeTakeFirst();
}

export async function insertService(db: Executor, row: Insertable<ServicesTable>) {
  await db.insertInto('services').values(row).execute();
}

export async function insertProduct(db: Executor, row: Insertable<ProductsTable>) {
  await db.insertInto('products').values(row).execute();
}

export interface ListQuery {
  companyId: string;
  after?: { createdAt: Date; id: string } | undefined;
  /** rows to fetch: one more than the page size tells whether there is a next page */
  take: number;
}

const byCreated = keyset('created_at', 'id');

export async function listServices(db: Executor, q: ListQuery) {
  let query = db.selectFrom('services').selectAll().where('company_id', '=', q.companyId);
  if (q.after) query = query.where(byCreated.after(q.after));
  return query.orderBy(byCreated.order[0]).orderBy(byCreated.order[1]).limit(q.take).execute();
}

/** Where a ranked product listing stopped: exact SKU/barcode matches (rank 0) come before the rest (rank 1). */
export interface ProductCursor {
  rank: number;
  createdAt: Date;
  id: string;
}

/**
 * Products of a company, optionally matching `search` (any case) in the title, the SKU or the
 * barcode. An exact SKU or barcode match is what a scanner or a typed code means, so those
 * rows rank first; within a rank the order is the usual (created_at, id).
 */
export async function listProducts(
  db: Executor,
  q: { companyId: string; search?: string | undefined; after?: ProductCursor | undefined; take: number },
) {
  const needle = (q.search ?? '').toLowerCase();
  const rank = q.search
    ? sql<number>`(CASE WHEN lower(sku) = ${needle} OR lower(barcode) = ${needle} THEN 0 ELSE 1 END)`
    : sql<number>`1`;
  let query = db
    .selectFrom('products')
    .selectAll()
    .select(rank.as('search_rank'))
    .where('company_id', '=', q.companyId);
  if (q.search) {
    const contains = `%${likeEscape(needle)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('title', 'ilike', contains),
        eb(eb.fn('lower', ['sku']), 'like', contains),
        eb(eb.fn('lower', ['barcode']), 'like', contains),
      ]),
    );
  }
  const [at, id] = byCreated.order;
  if (q.after) {
    const c = q.after;
    query = query.where(
      sql<boolean>`(${rank}, ${at}, ${id}) > (${c.rank}::int, ${c.createdAt}::timestamptz, ${c.id}::text)`,
    );
  }
  return query.orderBy(rank).orderBy(at).orderBy(id).limit(q.take).execute();
}

export async function updateService(db: Executor, companyId: string, id: string, set: Updateable<ServicesTable>) {
  return db
    .updateTable('services')
    .set(set)
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateProduct(db: Executor, companyId: string, id: string, set: Updateable<ProductsTable>) {
  return db
    .updateTable('products')
    .set(set)
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
