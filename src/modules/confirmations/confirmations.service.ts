import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { claimDue, nextDueAfterFailure, type Backoff } from '../../db/durable-queue.js';
import { systemActor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { MailTransport } from '../../shared/mail-transport.js';
import { recordAudit } from '../audit/index.js';
import { findMailBrand } from '../branding/index.js';
import { renderConfirmationMail } from './confirmation-mail.js';

/** A claimed row is hidden from other workers this long while its email goes out. */
const LEASE_MS = 2 * 60_000;
const BACKOFF: Backoff = { firstMs: 30_000, capMs: 60 * 60_000 };
/** After this many refusals by the mail server the confirmation is given up (marked failed). */
const MAX_TRIES = 8;

const maskEmail = (address: string) => {
  const at = address.lastIndexOf('@');
  return at <= 0 ? '***' : `${address[0]}***${address.slice(at)}`;
};

/**
 * R41: sends the payment confirmations the payments trigger queued (one row per payment, so one
 * email at most), retried with backoff while the mail server refuses. Without SMTP_URL the rows
 * are marked `skipped`: nothing is sent then, nor later.
 */
export class ConfirmationsService {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      log: Logger;
      mail: MailTransport | undefined;
      /** the public origin: the logo's absolute URL */
      publicOrigin: () => string;
    },
  ) {}

  async processDue(limit = 20): Promise<number> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const due = await claimDue(db, {
      table: 'payment_confirmations',
      due: 'send_at',
      now,
      limit,
      lease: new Date(now.getTime() + LEASE_MS),
      where: (eb) => eb('status', '=', 'pending'),
      count: 'tries',
    });
    for (const row of due) await this.send(row.id, row.tries);
    return due.length;
  }

  private async send(id: string, tries: number): Promise<void> {
    const { db, clock, mail } = this.deps;
    if (!mail) {
      await this.finish(id, 'skipped', 'confirmation.skipped', { reason: 'no SMTP_URL' });
      return;
    }
    const { rows } = await sql<{
      company_id: string;
      email: string;
      company_name: string;
      country: string;
      timezone: string;
      currency: string;
      amount: string;
      tip: string | null;
      starts_at: Date;
      client_name: string;
      appointment_id: string;
    }>`
      SELECT pc.company_id, pc.email, co.name AS company_name, co.country, co.timezone, p.currency,
             COALESCE(t.amount, p.amount) AS amount, tp.amount AS tip, a.starts_at, c.name AS client_name, a.id AS appointment_id
        FROM payment_confirmations pc
        JOIN payments p ON p.id = pc.payment_id
        JOIN companies co ON co.id = pc.company_id
        JOIN appointments a ON a.id = p.appointment_id
        JOIN clients c ON c.id = a.client_id
        LEFT JOIN checkout_attempts t ON t.id = p.attempt_id
        LEFT JOIN tips tp ON tp.payment_id = p.id
       WHERE pc.id = ${id} AND pc.status = 'pending'`.execute(db);
    const row = rows[0];
    if (!row) return;
    const brand = await findMailBrand(db, row.company_id, this.deps.publicOrigin());
    const message = renderConfirmationMail({
      locale: row.country.toUpperCase() === 'RU' ? 'ru' : 'en',
      companyName: row.company_name,
      timezone: row.timezone,
      currency: row.currency,
      amount: Number(row.amount),
      tip: Number(row.tip ?? 0),
      startsAt: row.starts_at,
      clientName: row.client_name,
      brand,
    });
    try {
      await mail.send({ fromName: row.company_name, to: row.email, ...message });
    } catch (error) {
      const reason = error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
      this.deps.log.warn({ confirmationId: id, tries }, 'the mail server refused a payment confirmation');
      if (tries >= MAX_TRIES) {
        await this.finish(id, 'failed', 'confirmation.failed', { reason }, reason);
        return;
      }
      await db
        .updateTable('payment_confirmations')
        .set({ send_at: nextDueAfterFailure(clock.now(), tries, BACKOFF), last_error: reason })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
      return;
    }
    await this.finish(id, 'sent', 'confirmation.sent', { to: maskEmail(row.email) }, null, row.appointment_id);
  }

  private async finish(
    id: string,
    status: 'sent' | 'skipped' | 'failed',
    action: string,
    details: Record<string, unknown>,
    lastError: string | null = null,
    appointmentId?: string,
  ): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (tx) => {
      const done = await tx
        .updateTable('payment_confirmations')
        .set({ status, send_at: null, last_error: lastError, ...(status === 'sent' ? { sent_at: now } : {}) })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .returning(['company_id', 'payment_id'])
        .executeTakeFirst();
      if (!done) return;
      await recordAudit(tx, {
        companyId: done.company_id,
        at: now,
        actor: systemActor,
        action,
        entityType: 'payment',
        entityId: done.payment_id,
        appointmentId: appointmentId ?? null,
        details,
      });
    });
  }
}
