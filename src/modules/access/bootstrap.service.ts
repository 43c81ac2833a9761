import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { newId } from '../../shared/ids.js';
import { randomToken } from '../../shared/secrets.js';
import { insertUser } from './access.repository.js';
import { hashPassword } from './password.js';

export interface BootstrapResult {
  created: boolean;
  email: string;
  /** set only when it was generated now: it is shown once */
  generatedPassword?: string;
  userId?: string;
}

const BOOTSTRAP_LOCK = 7_305_117_002;

/**
 * On an empty database, creates the first owner account from VISITPAY_ADMIN_EMAIL /
 * VISITPAY_ADMIN_PASSWORD, generating the password when none is given. Runs under an advisory
 * lock so two processes starting together create one owner.
 */
export async function bootstrapOwner(db: Db, options: { email?: string; password?: string }): Promise<BootstrapResult> {
  const email = options.email ?? 'admin@visitpay.local';
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`.execute(tx);
    const existing = await tx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (existing) return { created: false, email };
    const password = options.password ?? randomToken(12);
    const userId = newId('user');
    await insertUser(tx, { id: userId, email, name: 'Owner', passwordHash: await hashPassword(password) });
    return { created: true, email, userId, ...(options.password ? {} : { generatedPassword: password }) };
  });
}
