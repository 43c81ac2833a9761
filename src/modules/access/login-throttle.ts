import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { DomainError } from '../../shared/errors.js';
import { createHmac } from 'node:crypto';

export interface LoginThrottlePolicy {
  /** sign-in attempts one account may have in a window before it must wait */
  maxAttempts: number;
  windowMs: number;
  /** keys the hash of the email: a dump of the table names nobody (a plain hash of an email is guessable) */
  secretKey?: string;
}

/** Ten tries per quarter hour: plenty for a person who mistypes, nothing for a password list. */
export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = { maxAttempts: 10, windowMs: 15 * 60_000 };

// Unknown emails are counted like known ones, so the answers never tell which emails have accounts.
const accountKey = (email: string, policy: LoginThrottlePolicy) =>
  createHmac('sha256', `visitpay:login-throttle:v1:${policy.secretKey ?? ''}`)
    .update(email.trim().toLowerCase())
    .digest();

/**
 * S9: takes one sign-in attempt for an account, counted in PostgreSQL so that every process of
 * the installation shares the count, whatever address each try comes from. Past the policy it
 * throws 429 before the password is even checked, so a locked account cannot be guessed.
 */
export async function takeLoginAttempt(
  db: Executor,
  email: string,
  now: Date,
  policy: LoginThrottlePolicy,
): Promise<void> {
  const windowStart = new Date(now.getTime() - policy.windowMs);
  const row = await sql<{ attempts: number; window_started_at: Date }>`
    INSERT INTO login_throttle AS t (account_key, attempts, window_started_at)
    VALUES (${accountKey(email, policy)}, 1, ${now})
    ON CONFLICT (account_key) DO UPDATE SET
      attempts = CASE WHEN t.window_started_at <= ${windowStart} THEN 1 ELSE t.attempts + 1 END,
      window_started_at = CASE WHEN t.window_started_at <= ${windowStart} THEN ${now} ELSE t.window_started_at END
    RETURNING attempts, window_started_at`
    .execute(db)
    .then((r) => r.rows[0]!);
  // Windows long over are forgotten, so made-up emails cannot grow the table for good.
  await db
    .deleteFrom('login_throttle')
    .where('window_started_at', '<', new Date(now.getTime() - 2 * policy.windowMs))
    .execute();
  if (row.attempts > policy.maxAttempts) {
    const retryAfter = Math.max(
      1,
      Math.ceil((row.window_started_at.getTime() + policy.windowMs - now.getTime()) / 1000),
    );
    throw new DomainError(
      'rate_limited',
      `Too many sign-in attempts for this account; try again in ${Math.ceil(retryAfter / 60)} min`,
      {
        retryAfter,
      },
    );
  }
}

/** A successful sign-in clears the account's count. */
export async function clearLoginAttempts(db: Executor, email: string, policy: LoginThrottlePolicy): Promise<void> {
  await db.deleteFrom('login_throttle').where('account_key', '=', accountKey(email, policy)).execute();
}
