import { keyset } from '../../db/keyset.js';
import type { Executor } from '../../db/database.js';
import type { Right, Role } from './domain/rights.js';

/** SQL for the users of a company: user accounts seen through their membership. Never selects password hashes. */

const MEMBER_COLUMNS = [
  'users.id',
  'users.email',
  'users.name',
  'memberships.role',
  'memberships.rights',
  'memberships.created_at',
] as const;

const byAdded = keyset('memberships.created_at', 'memberships.user_id');

function members(db: Executor, companyId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(MEMBER_COLUMNS)
    .where('memberships.company_id', '=', companyId);
}

export async function listMembers(
  db: Executor,
  q: { companyId: string; after?: { createdAt: Date; id: string } | undefined; take: number },
) {
  let query = members(db, q.companyId);
  if (q.after) query = query.where(byAdded.after(q.after));
  return query.orderBy(byAdded.order[0]).orderBy(byAdded.order[1]).limit(q.take).execute();
}

export async function findMember(db: Executor, companyId: string, userId: string) {
  return members(db, companyId).where('users.id', '=', userId).executeTakeFirst();
}

/** Locks one membership for a read-modify-write of its role and rights. */
export async function lockMembership(db: Executor, companyId: string, userId: string) {
  return db
    .selectFrom('memberships')
    .select(['role', 'rights'])
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

/** Plain insert: an existing membership is a conflict (memberships_pkey), never silently overwritten. */
export async function insertMembership(
  db: Executor,
  m: { companyId: string; userId: string; role: Role; rights: Right[] },
) {
  await db
    .insertInto('memberships')
    .values({ company_id: m.companyId, user_id: m.userId, role: m.role, rights: m.rights })
    .execute();
}

export async function updateMembership(
  db: Executor,
  companyId: string,
  userId: string,
  set: { role: Role; rights: Right[] },
) {
  await db
    .updateTable('memberships')
    .set(set)
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteMembership(db: Executor, companyId: string, userId: string) {
  await db.deleteFrom('memberships').where('company_id', '=', companyId).where('user_id', '=', userId).execute();
}
