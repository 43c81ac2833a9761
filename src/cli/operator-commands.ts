import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { migrateToLatest } from '../db/migrator.js';
import { JobRunner } from '../jobs/job-runner.js';
import { visitpayJobs } from '../jobs/jobs.js';
import { findUserByEmail, insertUser, upsertMembership } from '../modules/access/index.js';
import { rightsFor } from '../modules/access/domain/rights.js';
import { hashPassword } from '../modules/access/index.js';
import type { Services } from '../services.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import { randomToken } from '../shared/secrets.js';

/** What an operator command needs: the database, and the services for commands that run Visitpay's own work. */
export interface OperatorContext {
  db: Db;
  clock: Clock;
  services: () => Services;
  say: (line: string) => void;
}

export class UsageError extends Error {}

/** Brings the schema up to date (also done by every start); answers the migrations it applied. */
export async function migrate(c: OperatorContext): Promise<void> {
  const applied = await migrateToLatest(c.db);
  c.say(applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'the schema is up to date');
}

/** Every company with its currency, time zone and how many people may sign in to it. */
export async function listCompanies(c: OperatorContext): Promise<void> {
  const { rows } = await sql<{
    id: string;
    name: string;
    currency: string;
    timezone: string;
    users: number;
    owners: string | null;
  }>`
    SELECT c.id, c.name, c.currency, c.timezone, count(m.user_id)::int AS users,
           string_agg(u.email, ', ' ORDER BY u.email) FILTER (WHERE m.role = 'owner') AS owners
      FROM companies c
      LEFT JOIN memberships m ON m.company_id = c.id
      LEFT JOIN users u ON u.id = m.user_id
     GROUP BY c.id ORDER BY c.created_at, c.id`.execute(c.db);
  if (rows.length === 0) c.say('no companies yet');
  for (const r of rows)
    c.say(`${r.id}  ${r.name}  ${r.currency}  ${r.timezone}  ${r.users} user(s); owners: ${r.owners ?? 'none'}`);
}

/**
 * A forgotten password: sets a new random one, prints it once, and signs the user out of every
 * session. The password is never taken from the command line, where shell history would keep it.
 */
export async function resetPassword(c: OperatorContext, email: string): Promise<void> {
  const user = await findUserByEmail(c.db, email);
  if (!user) throw new Error(`no user with the email ${email}`);
  const password = randomToken(12);
  const now = c.clock.now();
  await c.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({ password_hash: await hashPassword(password) })
      .where('id', '=', user.id)
      .execute();
    await tx
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('user_id', '=', user.id)
      .where('revoked_at', 'is', null)
      .execute();
  });
  c.say(`new password for ${user.email}: ${password}`);
  c.say('(shown once; every session of this user was signed out — change it after signing in)');
}

/**
 * The way back into a company whose owners are gone: makes `email` an owner of it, creating the
 * account (with a password printed once) when there is none. An account that exists already may
 * have been made by someone else for that address (S1: an invitation link handed over without
 * mail proves no address), so it is joined only with `force`, after the operator has seen whose it is.
 */
export async function grantOwner(c: OperatorContext, email: string, companyId: string, force = false): Promise<void> {
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new UsageError(`${email} is not an email address`);
  const company = await c.db
    .selectFrom('companies')
    .select(['id', 'name'])
    .where('id', '=', companyId)
    .executeTakeFirst();
  if (!company) throw new Error(`no company ${companyId} (see: visitpay companies)`);
  let user = await findUserByEmail(c.db, email);
  let password: string | undefined;
  if (user && !force) {
    const companies = await c.db
      .selectFrom('memberships')
      .innerJoin('companies', 'companies.id', 'memberships.company_id')
      .select(['companies.name', 'memberships.role'])
      .where('memberships.user_id', '=', user.id)
      .execute();
    const of = companies.map((m) => `${m.name} (${m.role})`).join(', ') || 'no company';
    throw new Error(
      `${user.email} already has an account (created ${user.created_at.toISOString().slice(0, 10)}, member of ${of}) whose password only its holder knows; if it is the person you mean, run again with --force`,
    );
  }
  if (!user) {
    password = randomToken(12);
    const id = newId('user');
    await insertUser(c.db, { id, email, name: email.split('@')[0]!, passwordHash: await hashPassword(password) });
    user = (await findUserByEmail(c.db, email))!;
  }
  await upsertMembership(c.db, { companyId, userId: user.id, role: 'owner', rights: rightsFor('owner') });
  c.say(`${user.email} is an owner of ${company.name} (${company.id})`);
  if (password) c.say(`new account; password: ${password} (shown once — change it after signing in)`);
}

/** Runs every background job until none finds work: for a server whose processes are stopped, or from cron. */
export async function runJobs(c: OperatorContext): Promise<void> {
  const log = { error: (details: object, message: string) => c.say(`${message}: ${JSON.stringify(details)}`) };
  const runner = new JobRunner(visitpayJobs({ db: c.db, clock: c.clock, services: c.services() }), log);
  const done = await runner.drain(100);
  c.say(`background jobs: ${done} item(s) handled`);
}
