import type { Executor } from '../../db/database.js';

/**
 * R41: the email a client typed with a later press of Pay, kept on the attempt that press goes on
 * with (an open checkout reused). Only the address changes: not the status, the lock, the amount,
 * nor `updated_at`, which paces the in-flight checks.
 */
export async function keepConfirmationEmail(db: Executor, attemptId: string, email: string): Promise<void> {
  await db
    .updateTable('checkout_attempts')
    .set({ confirmation_email: email })
    .where('id', '=', attemptId)
    .where('status', 'in', ['creating', 'pending'])
    .execute();
}
