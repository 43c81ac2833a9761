import type { Executor } from '../../db/database.js';
import type { Insertable } from 'kysely';
import type { ProductsTable, ServicesTable } from '../../db/schema.js';

/** SQL for services and products. Every query is scoped by company. */

export async function findService(db: Executor, companyId: string, id: string) {
  return db.selectFrom('services').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function findProduct(db: Executor, companyId: string, id: string) {
  return db.selectFrom('products').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
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
