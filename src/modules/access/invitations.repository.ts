import type { Executor } from '../../db/database.js';
import type { Right, Role } from './domain/rights.js';

/** SQL for invitations (S1). An invitation is open while neither accepted nor revoked; expiry is read against the clock. */

const open = (db: Executor) =>
  db.selectFrom('invitations').selectAll().where('accepted_at', 'is', null).where('revoked_at', 'is', null);

export async function listOpenInvitations(db: Executor, companyId: string) {
  return open(db).where('company_id', '=', companyId).orderBy('created_at', 'desc').orderBy('id').limit(200).execute();
}

export async function findOpenInvitation(db: Executor, companyId: string, id: string) {
  return open(db).where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function lockOpenInvitationByEmail(db: Executor, companyId: string, email: string) {
  return open(db)
    .where('company_id', '=', companyId)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .forUpdate()
    .executeTakeFirst();
}

export async function lockInvitationByToken(db: Executor, tokenHash: Buffer) {
  return db.selectFrom('invitations').selectAll().where('token_hash', '=', tokenHash).forUpdate().executeTakeFirst();
}

export async function findInvitationByToken(db: Executor, tokenHash: Buffer) {
  return db
    .selectFrom('invitations')
    .innerJoin('companies', 'companies.id', 'invitations.company_id')
    .selectAll('invitations')
    .select(['companies.name as company_name', 'companies.country as company_country'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function insertInvitation(
  db: Executor,
  i: {
    id: string;
    companyId: string;
    email: string;
    name: string | null;
    role: Role;
    rights: Right[];
    tokenHash: Buffer;
    invitedBy: string;
    at: Date;
    expiresAt: Date;
    deliveredBy: 'email' | 'link';
  },
) {
  await db
    .insertInto('invitations')
    .values({
      id: i.id,
      company_id: i.companyId,
      email: i.email,
      name: i.name,
      role: i.role,
      rights: i.rights,
      token_hash: i.tokenHash,
      invited_by: i.invitedBy,
      created_at: i.at,
      sent_at: i.at,
      delivered_by: i.deliveredBy,
      expires_at: i.expiresAt,
    })
    .execute();
}

/** A new token and expiry for an open invitation (renewed or resent); the old link stops working. */
export async function renewInvitation(
  db: Executor,
  id: string,
  set: {
    tokenHash: Buffer;
    at: Date;
    expiresAt: Date;
    invitedBy: string;
    deliveredBy: 'email' | 'link';
    role?: Role;
    rights?: Right[];
    name?: string | null;
  },
) {
  await db
    .updateTable('invitations')
    .set({
      token_hash: set.tokenHash,
      sent_at: set.at,
      delivered_by: set.deliveredBy,
      expires_at: set.expiresAt,
      invited_by: set.invitedBy,
      ...(set.role ? { role: set.role } : {}),
      ...(set.rights ? { rights: set.rights } : {}),
      ...(set.name !== undefined ? { name: set.name } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function markAccepted(db: Executor, id: string, userId: string, at: Date) {
  await db.updateTable('invitations').set({ accepted_at: at, accepted_by: userId }).where('id', '=', id).execute();
}

/** S1: a member who is removed takes the invitations they sent along: none of them can bring them back. */
export async function revokeInvitationsSentBy(
  db: Executor,
  companyId: string,
  userId: string,
  at: Date,
): Promise<number> {
  const rows = await db
    .updateTable('invitations')
    .set({ revoked_at: at })
    .where('company_id', '=', companyId)
    .where('invited_by', '=', userId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

export async function markRevoked(db: Executor, id: string, at: Date) {
  await db.updateTable('invitations').set({ revoked_at: at }).where('id', '=', id).execute();
}

/** Whether the email already belongs to a member of the company. */
export async function isMemberEmail(db: Executor, companyId: string, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select('users.id')
    .where('memberships.company_id', '=', companyId)
    .where((eb) => eb(eb.fn('lower', ['users.email']), '=', email.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
}
