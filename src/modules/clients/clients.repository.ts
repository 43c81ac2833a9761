import type { Insertable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ClientsTable } from '../../db/schema.js';

export async function findClient(db: Executor, companyId: string, id: string) {
  return db.selectFrom('clients').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function insertClient(db: Executor, row: Insertable<ClientsTable>) {
  await db.insertInto('clients').values(row).execute();
}
