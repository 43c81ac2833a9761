import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { CheckoutAttemptsTable } from '../../db/schema-payment-links.js';
import { OPEN_ATTEMPT_STATUSES } from './domain/attempt-status.js';

/** SQL for checkout attempts: one try of a client to pay a link at the provider. */

export type AttemptRow = Selectable<CheckoutAttemptsTable>;

export async function insertAttempt(db: Executor, row: Insertable<CheckoutAttemptsTable>) {
  await db.insertInto('checkout_attempts').values(row).execute();
}

export async function findAttempt(db: Executor, id: string, options: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('checkout_attempts').selectAll().where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Open attempts of a link, newest first. */
export async function openAttemptsOfLink(db: Executor, linkId: string) {
  return db
    .selectFrom('checkout_attempts')
    .selectAll()
    .where('link_id', '=', linkId)
    .where('status', 'in', OPEN_ATTEMPT_STATUSES)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function attemptsOfAppointment(db: Executor, appointmentId: string, limit = 20) {
  return db
    .selectFrom('checkout_attempts')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function updateAttempt(
  db: Executor,
  id: string,
  patch: Partial<Omit<AttemptRow, 'id' | 'company_id' | 'appointment_id' | 'link_id' | 'receipt'>> & {
    updated_at: Date;
  },
  onlyIfStatus?: readonly string[],
): Promise<boolean> {
  let q = db.updateTable('checkout_attempts').set(patch).where('id', '=', id);
  if (onlyIfStatus) q = q.where('status', 'in', onlyIfStatus);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** `creating` → `pending` with what the provider answered; undefined when the attempt is no longer `creating`. */
export async function markPending(
  db: Executor,
  id: string,
  patch: Pick<AttemptRow, 'provider_status' | 'provider_checkout_id' | 'redirect_url' | 'updated_at' | 'check_at'>,
): Promise<AttemptRow | undefined> {
  return db
    .updateTable('checkout_attempts')
    .set({ ...patch, status: 'pending' })
    .where('id', '=', id)
    .where('status', '=', 'creating')
    .returningAll()
    .executeTakeFirst();
}

/** Any attempt of the appointment still open at the provider (the lock lasts while one is). */
export async function hasOpenAttempt(db: Executor, appointmentId: string): Promise<boolean> {
  const row = await db
    .selectFrom('checkout_attempts')
    .select('id')
    .where('appointment_id', '=', appointmentId)
    .where('status', 'in', OPEN_ATTEMPT_STATUSES)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
