import type { Executor } from '../../db/database.js';

export async function findCompany(db: Executor, id: string) {
  return db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCompany(
  db: Executor,
  c: { id: string; name: string; currency: string; timezone: string; country: string; defaultTaxSystem: string },
) {
  await db
    .insertInto('companies')
    .values({
      id: c.id,
      name: c.name,
      currency: c.currency,
      timezone: c.timezone,
      country: c.country,
      default_tax_system: c.defaultTaxSystem,
    })
    .execute();
}
