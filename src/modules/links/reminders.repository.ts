import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { claimDue } from '../../db/durable-queue.js';
import type { LinkReminderStatus } from '../../db/schema-reminders.js';
import { OPEN_ATTEMPT_STATUSES } from '../checkout/domain/attempt-status.js';
import { DEFAULT_REMINDER_SETTINGS, type ReminderOffset, type ReminderSettings } from './domain/reminder-schedule.js';

/** SQL of R35 reminders: the company's setting and the planned reminders of each sent link. */

export async function findReminderSettings(db: Executor, companyId: string): Promise<ReminderSettings> {
  const row = await db
    .selectFrom('reminder_settings')
    .selectAll()
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  if (!row) return DEFAULT_REMINDER_SETTINGS;
  return {
    enabled: row.enabled,
    offsets: row.offsets as ReminderOffset[],
    maxCount: row.max_count,
    quietHours: { from: row.quiet_from, to: row.quiet_to },
  };
}

export async function saveReminderSettings(
  db: Executor,
  companyId: string,
  settings: ReminderSettings,
  now: Date,
): Promise<void> {
  const values = {
    enabled: settings.enabled,
    offsets: JSON.stringify(settings.offsets),
    max_count: settings.maxCount,
    quiet_from: settings.quietHours.from,
    quiet_to: settings.quietHours.to,
    updated_at: now,
  };
  await db
    .insertInto('reminder_settings')
    .values({ company_id: companyId, ...values })
    .onConflict((oc) => oc.column('company_id').doUpdateSet(values))
    .execute();
}

/** Locks the company's setting row (when there is one) so that concurrent saves queue up. */
export async function lockReminderSettings(db: Executor, companyId: string): Promise<void> {
  await db
    .selectFrom('reminder_settings')
    .select('company_id')
    .where('company_id', '=', companyId)
    .forUpdate()
    .execute();
}

export interface NewReminder {
  id: string;
  companyId: string;
  appointmentId: string;
  linkId: string;
  channel: string;
  recipient: string;
  seq: number;
  at: Date;
  anchor: 'sent' | 'visit';
  minutes: number;
}

/** A new send replaces the schedule: the appointment's reminders not yet sent are cancelled, the new ones planned. */
export async function replaceReminders(
  db: Executor,
  appointmentId: string,
  reminders: readonly NewReminder[],
  now: Date,
): Promise<void> {
  await db
    .updateTable('link_reminders')
    .set({ status: 'cancelled', reason: 'replaced', updated_at: now })
    .where('appointment_id', '=', appointmentId)
    .where('status', '=', 'scheduled')
    .execute();
  if (reminders.length === 0) return;
  await db
    .insertInto('link_reminders')
    .values(
      reminders.map((r) => ({
        id: r.id,
        company_id: r.companyId,
        appointment_id: r.appointmentId,
        link_id: r.linkId,
        channel: r.channel,
        recipient: r.recipient,
        seq: r.seq,
        anchor: r.anchor,
        offset_minutes: r.minutes,
        planned_at: r.at,
        send_at: r.at,
        status: 'scheduled' as const,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}

/** Staff stopped reminders for the link: what is still planned is cancelled. Answers how many. */
export async function stopReminders(db: Executor, linkId: string, now: Date): Promise<number> {
  const result = await db
    .updateTable('link_reminders')
    .set({ status: 'cancelled', reason: 'stopped', updated_at: now })
    .where('link_id', '=', linkId)
    .where('status', '=', 'scheduled')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** How many reminders of the link went out (a row left `sending` by a crash may have: it counts). */
export async function countSentReminders(db: Executor, linkId: string): Promise<number> {
  const row = await db
    .selectFrom('link_reminders')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('link_id', '=', linkId)
    .where('status', 'in', ['sent', 'sending'])
    .executeTakeFirstOrThrow();
  return row.n;
}

/** The planned "before the visit" reminders of an appointment, locked (to re-plan them when it moves). */
export async function lockVisitReminders(db: Executor, appointmentId: string) {
  return db
    .selectFrom('link_reminders')
    .select(['id', 'company_id', 'offset_minutes', 'send_at'])
    .where('appointment_id', '=', appointmentId)
    .where('status', '=', 'scheduled')
    .where('anchor', '=', 'visit')
    .forUpdate()
    .execute();
}

/** Due reminders, leased for one try each. */
export async function claimDueReminders(db: Db, now: Date, leaseUntil: Date, limit: number) {
  return claimDue(db, {
    table: 'link_reminders',
    due: 'send_at',
    now,
    limit,
    lease: leaseUntil,
    where: (eb) => eb('status', '=', sql.lit('scheduled')),
    thenBy: ['id'],
    count: 'tries',
    touch: 'updated_at',
  });
}
export type ReminderRow = Awaited<ReturnType<typeof claimDueReminders>>[number];

export async function lockReminder(db: Executor, id: string) {
  return db.selectFrom('link_reminders').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

export async function updateReminder(
  db: Executor,
  id: string,
  patch: { status?: LinkReminderStatus; reason?: string | null; send_at?: Date; sent_at?: Date; updated_at: Date },
): Promise<void> {
  await db.updateTable('link_reminders').set(patch).where('id', '=', id).execute();
}

/** Whether a checkout of the link is open (creating or pending): the client is paying right now. */
export async function hasOpenAttempt(db: Executor, linkId: string): Promise<boolean> {
  const row = await db
    .selectFrom('checkout_attempts')
    .select('id')
    .where('link_id', '=', linkId)
    .where('status', 'in', OPEN_ATTEMPT_STATUSES)
    .executeTakeFirst();
  return row !== undefined;
}

/** What the window shows of a link's reminders: the next planned one and how many went out. */
export async function reminderSummary(db: Executor, linkId: string) {
  const next = await db
    .selectFrom('link_reminders')
    .select(['send_at', 'channel'])
    .where('link_id', '=', linkId)
    .where('status', '=', 'scheduled')
    .orderBy('send_at')
    .limit(1)
    .executeTakeFirst();
  const sent = await db
    .selectFrom('link_reminders')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('link_id', '=', linkId)
    // a row left `sending` by a crash may have gone out: it counts as sent
    .where('status', 'in', ['sent', 'sending'])
    .executeTakeFirstOrThrow();
  return { next: next ? { at: next.send_at, channel: next.channel } : null, sent: sent.n };
}
