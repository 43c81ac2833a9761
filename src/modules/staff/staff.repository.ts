import type { Insertable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { StaffTable } from '../../db/schema.js';

export async function findStaffMember(db: Executor, companyId: string, id: string) {
  return db.selectFrom('staff').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function insertStaffMember(db: Executor, row: Insertable<StaffTable>) {
  await db.insertInto('staff').values(row).execute();
}
