import type { Insertable, Updateable } from 'kysely';
import { keyset } from '../../db/keyset.js';
import type { Executor } from '../../db/database.js';
import type { StaffTable } from '../../db/schema.js';

export async function findStaffMember(
  db: Executor,
  companyId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
) {
  const query = db.selectFrom('staff').selectAll().where('company_id', '=', companyId).where('id', '=', id);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export async function insertStaffMember(db: Executor, row: Insertable<StaffTable>) {
  await db.insertInto('staff').values(row).execute();
}

const byCreated = keyset('created_at', 'id');

export async function listStaff(
  db: Executor,
  q: { companyId: string; after?: { createdAt: Date; id: string } | undefined; take: number },
) {
  let query = db.selectFrom('staff').selectAll().where('company_id', '=', q.companyId);
  if (q.after) query = query.where(byCreated.after(q.after));
  return query.orderBy(byCreated.order[0]).orderBy(byCreated.order[1]).limit(q.take).execute();
}

export async function updateStaffMember(db: Executor, companyId: string, id: string, set: Updateable<StaffTable>) {
  return db
    .updateTable('staff')
    .set(set)
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
