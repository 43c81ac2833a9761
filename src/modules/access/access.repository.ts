import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Right, Role } from './domain/rights.js';

export async function findUserByEmail(db: Executor, email: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

export async function findUser(db: Executor, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(
  db: Executor,
  user: { id: string; email: string; name: string; passwordHash: string },
) {
  await db
    .insertInto('users')
    .values({ id: user.id, email: user.email, name: user.name, password_hash: user.passwordHash })
    .execute();
}

export async function findMembership(db: Executor, userId: string, companyId: string) {
  return db
    .selectFrom('memberships')
    .select(['company_id', 'user_id', 'role', 'rights'])
    .where('user_id', '=', userId)
    .where('company_id', '=', companyId)
    .executeTakeFirst();
}

export async function upsertMembership(
  db: Executor,
  m: { companyId: string; userId: string; role: Role; rights: Right[] },
) {
  await db
    .insertInto('memberships')
    .values({ company_id: m.companyId, user_id: m.userId, role: m.role, rights: m.rights })
    .onConflict((oc) => oc.columns(['company_id', 'user_id']).doUpdateSet({ role: m.role, rights: m.rights }))
    .execute();
}

export async function listMembershipsOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('companies', 'companies.id', 'memberships.company_id')
    .select([
      'companies.id',
      'companies.name',
      'companies.currency',
      'companies.timezone',
      'companies.country',
      'companies.default_tax_system',
      'memberships.role',
      'memberships.rights',
    ])
    .where('memberships.user_id', '=', userId)
    .orderBy('companies.created_at')
    .orderBy('companies.id')
    .execute();
}

export async function insertSession(
  db: Executor,
  s: { id: string; tokenHash: Buffer; userId: string; createdAt: Date; expiresAt: Date },
) {
  await db
    .insertInto('sessions')
    .values({ id: s.id, token_hash: s.tokenHash, user_id: s.userId, created_at: s.createdAt, expires_at: s.expiresAt })
    .execute();
}

export async function findLiveSession(db: Executor, tokenHash: Buffer, now: Date) {
  return db
    .selectFrom('sessions')
    .select(['id', 'user_id'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function isSessionLive(db: Executor, id: string, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('sessions')
    .select('id')
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row !== undefined;
}

export async function revokeSession(db: Executor, id: string, now: Date) {
  await db.updateTable('sessions').set({ revoked_at: now }).where('id', '=', id).execute();
}

/** Ends every live session of a user, except `keep` when given. */
export async function revokeSessionsOf(db: Executor, userId: string, now: Date, keep?: string) {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keep) query = query.where('id', '!=', keep);
  await query.execute();
}

export async function updatePassword(db: Executor, userId: string, passwordHash: string) {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

export async function updateUserName(db: Executor, userId: string, name: string) {
  await db.updateTable('users').set({ name }).where('id', '=', userId).execute();
}

/** How many companies the user owns, as role and rights: the owner's name with users.manage (S2). */
export async function companiesOwnedBy(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('role', '=', 'owner')
    .where(sql<boolean>`'users.manage' = ANY(rights)`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
