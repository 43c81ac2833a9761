import type { Db, Executor } from '../../db/database.js';
import { announceChange } from '../../live/index.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError, notFound } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import type { MailTransport } from '../../shared/mail-transport.js';
import type { SmsTransport } from '../../shared/sms-transport.js';
import type { WhatsAppTransport } from '../../shared/whatsapp-transport.js';
import { amountsOf, findAppointmentViews, lockAppointment } from '../appointments/index.js';
import { recordAudit } from '../audit/index.js';
import type { CashlessSettingsService } from '../cashless/index.js';
import { amountToCharge } from '../checkout/domain/charge.js';
import { findCompany } from '../companies/index.js';
import {
  type MessageChannel,
  type MessageContent,
  type MessageLocale,
  messageLocaleOf,
  type RenderedMessage,
  renderMessage,
} from '../messages/index.js';
import { outOfQuietHours, plannedReminders, reminderDueAt } from './domain/reminder-schedule.js';
import type { SendChannel } from './domain/send-quota.js';
import { maskEmail } from './link-mail.js';
import { maskPhone } from './link-sms.js';
import { whatsAppParams } from './link-whatsapp.js';
import * as links from './links.repository.js';
import type { PaymentLinksService } from './payment-links.service.js';
import * as repo from './reminders.repository.js';
import type { SendQuotas } from './send-quotas.service.js';

/** A reminder as it goes out: email has a subject and HTML, SMS one text, WhatsApp its approved template's parameters. */
export interface ReminderMessage {
  to: string;
  fromName: string;
  subject: string | null;
  text: string;
  html: string | null;
  locale: MessageLocale;
  content: MessageContent;
}

/** Sends one reminder through a channel's gateway; throws when the gateway does not take it. */
export type ReminderTransport = (message: ReminderMessage) => Promise<unknown>;

/** The channels this server can send reminders by, from its gateways (those LinkSender sends links by). */
export function reminderTransports(gateways: {
  mail: MailTransport | undefined;
  sms: SmsTransport | undefined;
  whatsapp: WhatsAppTransport | undefined;
}): Partial<Record<string, ReminderTransport>> {
  const { mail, sms, whatsapp } = gateways;
  return {
    ...(mail && {
      email: (m: ReminderMessage) =>
        mail.send({ fromName: m.fromName, to: m.to, subject: m.subject ?? '', text: m.text, html: m.html ?? '' }),
    }),
    ...(sms && { sms: (m: ReminderMessage) => sms.send({ to: m.to, text: m.text }) }),
    // R36: WhatsApp opens a conversation only with the approved template: the reminder is the link message again.
    ...(whatsapp && {
      whatsapp: (m: ReminderMessage) =>
        whatsapp.send({ to: m.to, locale: m.locale, params: whatsAppParams(m.locale, m.content) }),
    }),
  };
}

/** How long one try holds its reminder before another process may take it. */
const LEASE_MS = 120_000;
/** How long a reminder waits while the client is paying (an attempt is open) before it looks again. */
const ATTEMPT_WAIT_MS = 15 * 60_000;

/** What a link send tells the reminders (the hook in LinkSender). */
export interface SentLink {
  companyId: string;
  appointmentId: string;
  linkId: string;
  channel: string;
  recipient: string;
  sentAt: Date;
}

/**
 * R35: the appointment's time changed: its planned "before the visit" reminders are due again
 * counted back from the new start, out of quiet hours. Called in the transaction that moves the
 * appointment (as R33's settlement receipts are moved); the job works the time out again anyway.
 */
export async function replanVisitReminders(tx: Executor, appointmentId: string, now: Date): Promise<number> {
  const rows = await repo.lockVisitReminders(tx, appointmentId);
  if (rows.length === 0) return 0;
  const companyId = rows[0]!.company_id;
  const [appointment] = await findAppointmentViews(tx, companyId, [appointmentId]);
  if (!appointment) return 0;
  const company = (await findCompany(tx, companyId))!;
  const settings = await repo.findReminderSettings(tx, companyId);
  let moved = 0;
  for (const row of rows) {
    const at = reminderDueAt(
      { anchor: 'visit', minutes: row.offset_minutes! },
      { sentAt: now, startsAt: appointment.starts_at, timezone: company.timezone },
      settings.quietHours,
    );
    if (at.getTime() === row.send_at.getTime()) continue;
    await repo.updateReminder(tx, row.id, { send_at: at, updated_at: now });
    moved++;
  }
  return moved;
}

/** The recipient as the audit log keeps it (R27), whatever the channel. */
export const maskRecipient = (channel: string, to: string) => (channel === 'email' ? maskEmail(to) : maskPhone(to));

type Decision =
  | { kind: 'gone' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'later'; reason: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'send'; content: MessageContent; locale: MessageLocale; message: RenderedMessage };

/**
 * R35 automatic reminders of a sent, unpaid link.
 *
 * Planned when a link is sent (through that channel, to that recipient; a new send replaces the
 * plan), and sent by the `reminders.send` job, which decides each one again at send time:
 * inside one transaction that holds the appointment's row lock — the lock every payment, every
 * checkout start and every cancellation of the appointment takes — it checks that reminders are
 * on, the link is active and something is due, no checkout is open, the appointment stands and
 * the visit is ahead, takes the R38 quota unit and marks the reminder `sending`. A payment
 * therefore either committed before the decision (and the reminder is skipped) or starts after
 * it; a client who paid never gets a reminder decided after the payment.
 *
 * At-most-once: the `sending` mark commits with the quota unit before the gateway is called, and
 * only a `scheduled` reminder is ever claimed. A crash between the gateway call and the commit of
 * `sent` leaves the row `sending`: it may have gone out, so it is never sent again (and counts as
 * sent). A reminder is a courtesy: a missed one costs little, the same reminder twice annoys the
 * client and costs the salon, and a gateway gives no idempotency key to make a retry safe.
 */
export class LinkReminders {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      log: Logger;
      cashless: CashlessSettingsService;
      links: PaymentLinksService;
      quotas: SendQuotas;
      /** the channels this server can send by */
      transports: Partial<Record<string, ReminderTransport>>;
    },
  ) {}

  /** After a link was sent: the reminders of that send replace any earlier plan of the appointment. */
  async scheduleAfterSend(sent: SentLink): Promise<void> {
    const { db, clock } = this.deps;
    await db.transaction().execute(async (tx) => {
      const settings = await repo.findReminderSettings(tx, sent.companyId);
      const company = (await findCompany(tx, sent.companyId))!;
      const [appointment] = await findAppointmentViews(tx, sent.companyId, [sent.appointmentId]);
      // "At most N" counts per link (R35): what earlier sends of the link already sent is used up.
      const used = await repo.countSentReminders(tx, sent.linkId);
      const planned =
        settings.enabled && appointment
          ? plannedReminders(
              { sentAt: sent.sentAt, startsAt: appointment.starts_at, timezone: company.timezone },
              { ...settings, maxCount: Math.max(0, settings.maxCount - used) },
            )
          : [];
      const reminders = planned.map(({ at, anchor, minutes }, i) => ({
        id: newId('reminder'),
        companyId: sent.companyId,
        appointmentId: sent.appointmentId,
        linkId: sent.linkId,
        channel: sent.channel,
        recipient: sent.recipient,
        seq: used + i + 1,
        at,
        anchor,
        minutes,
      }));
      await repo.replaceReminders(tx, sent.appointmentId, reminders, clock.now());
    });
  }

  /** "Stop reminders" in the window: what is planned for the appointment's link is cancelled, audited. */
  async stop(companyId: string, actor: Actor, appointmentId: string): Promise<{ stopped: number }> {
    const { db, clock } = this.deps;
    return db.transaction().execute(async (tx) => {
      const [appointment] = await findAppointmentViews(tx, companyId, [appointmentId]);
      if (!appointment) throw notFound('appointment', appointmentId);
      const link = await links.findCurrentLink(tx, companyId, appointmentId);
      if (!link) throw notFound('payment link');
      const now = clock.now();
      const stopped = await repo.stopReminders(tx, link.id, now);
      await recordAudit(tx, {
        companyId,
        at: now,
        actor,
        action: 'link.reminders_stopped',
        entityType: 'link',
        entityId: link.id,
        appointmentId,
        details: { cancelled: stopped },
      });
      await announceChange(tx, { companyId, appointmentId, reason: 'link.reminders_stopped' });
      return { stopped };
    });
  }

  /** What the window shows: the next reminder (when and by which channel) and how many went out. */
  summary(db: Executor, linkId: string) {
    return repo.reminderSummary(db, linkId);
  }

  /** The job: decides and sends every due reminder. Answers how many it handled. */
  async processDue(limit = 20): Promise<number> {
    const now = this.deps.clock.now();
    const due = await repo.claimDueReminders(this.deps.db, now, new Date(now.getTime() + LEASE_MS), limit);
    for (const row of due) {
      try {
        await this.sendOne(row);
      } catch (error) {
        // The decision rolled back: the reminder is still `scheduled`, tried again once the lease
        // runs out. (Rendering is part of the decision; only recording `sent` comes after the
        // `sending` mark, and a failure there leaves the row `sending`: it may have gone out.)
        this.deps.log.error({ err: error, reminderId: row.id }, 'a reminder could not be decided');
      }
    }
    return due.length;
  }

  private async sendOne(row: repo.ReminderRow): Promise<void> {
    const { db, clock } = this.deps;
    let decision: Decision;
    try {
      decision = await db.transaction().execute((tx) => this.decide(tx, row));
    } catch (error) {
      // R38: past a quota the reminder is put off until the quota resets, not lost; no unit was taken.
      if (error instanceof DomainError && error.code === 'send_quota_exceeded') {
        const resetsAt = new Date(String(error.details.resetsAt));
        return this.putOff(row, resetsAt, 'send_quota_exceeded');
      }
      throw error;
    }
    if (decision.kind === 'gone') return;
    if (decision.kind === 'skipped') return this.finish(row, 'skipped', decision.reason);
    if (decision.kind === 'later') return;
    if (decision.kind === 'failed') return this.finish(row, 'failed', decision.reason);
    const { locale, message } = decision;

    // The decision held the appointment's lock; the gateway call cannot. Look once more right
    // before it, so a payment, a disabling or a checkout that committed since is not reminded of.
    // A window remains between this read and the gateway taking the message (a payment committing
    // then still gets this one reminder); closing it would mean holding the lock over the gateway
    // call, which every payment of the appointment would then wait for.
    const changed = await this.recheck(row);
    if (changed) return this.finish(row, 'skipped', changed);

    const transport = this.deps.transports[row.channel]!;
    try {
      await transport({
        to: row.recipient,
        fromName: decision.content.companyName,
        subject: message.subject ?? null,
        text: message.text,
        html: message.html ?? null,
        locale,
        content: decision.content,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message.slice(0, 300) : 'unknown error';
      this.deps.log.warn({ err: error, reminderId: row.id }, 'the gateway did not take a reminder');
      return this.finish(row, 'failed', reason);
    }
    await db.transaction().execute(async (tx) => {
      const now = clock.now();
      await repo.updateReminder(tx, row.id, { status: 'sent', sent_at: now, reason: null, updated_at: now });
      await recordAudit(tx, {
        companyId: row.company_id,
        at: now,
        actor: { type: 'system' },
        action: 'link.reminder_sent',
        entityType: 'link',
        entityId: row.link_id,
        appointmentId: row.appointment_id,
        details: { channel: row.channel, to: maskRecipient(row.channel, row.recipient), reminder: row.seq },
      });
      await announceChange(tx, {
        companyId: row.company_id,
        appointmentId: row.appointment_id,
        reason: 'link.reminder_sent',
      });
    });
  }

  /** The decision at send time, under the appointment's row lock (see the class comment). */
  private async decide(tx: Executor, row: repo.ReminderRow): Promise<Decision> {
    const now = this.deps.clock.now();
    let appointment: Awaited<ReturnType<typeof lockAppointment>>;
    try {
      appointment = await lockAppointment(tx, row.company_id, row.appointment_id);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not_found')
        return { kind: 'skipped', reason: 'appointment_deleted' };
      throw error;
    }
    const current = await repo.lockReminder(tx, row.id);
    // Stopped, replaced, or taken by another process after this one's lease ran out.
    if (current.status !== 'scheduled' || current.tries !== row.tries) return { kind: 'gone' };
    const settings = await repo.findReminderSettings(tx, row.company_id);
    if (!settings.enabled) return { kind: 'skipped', reason: 'reminders_off' };
    if (appointment.status === 'cancelled') return { kind: 'skipped', reason: 'appointment_cancelled' };
    if (appointment.starts_at.getTime() <= now.getTime()) return { kind: 'skipped', reason: 'visit_passed' };
    // A "before the visit" reminder follows the visit: its due time is worked out from the current start
    // (the visit may have moved since the plan), out of quiet hours.
    if (current.anchor === 'visit' && current.offset_minutes !== null) {
      const company = (await findCompany(tx, row.company_id))!;
      const due = reminderDueAt(
        { anchor: 'visit', minutes: current.offset_minutes },
        { sentAt: current.created_at, startsAt: appointment.starts_at, timezone: company.timezone },
        settings.quietHours,
      );
      if (due.getTime() >= appointment.starts_at.getTime()) return { kind: 'skipped', reason: 'after_visit' };
      if (due.getTime() > now.getTime()) {
        await this.postpone(tx, row, due, 'visit_moved', company.timezone);
        return { kind: 'later', reason: 'visit_moved' };
      }
    }
    const link = await links.findLink(tx, row.link_id);
    if (link.status !== 'active') return { kind: 'skipped', reason: link.status === 'paid' ? 'paid' : 'link_disabled' };
    const connected = await this.deps.cashless.connected(row.company_id);
    if (!connected?.payByLinkEnabled) return { kind: 'skipped', reason: 'pay_by_link_off' };
    const amountDue = amountToCharge({
      due: (await amountsOf(tx, row.appointment_id)).due,
      linkAmount: link.amount,
      collected: await links.collectedByLink(tx, link.id),
    });
    if (amountDue <= 0) return { kind: 'skipped', reason: 'paid' };
    if (!this.deps.transports[row.channel]) return { kind: 'skipped', reason: 'channel_unavailable' };
    const company = (await findCompany(tx, row.company_id))!;
    // The client is paying right now: look again later, never remind in the middle of a payment.
    if (await repo.hasOpenAttempt(tx, link.id)) {
      await this.postpone(tx, row, new Date(now.getTime() + ATTEMPT_WAIT_MS), 'attempt_pending', company.timezone);
      return { kind: 'later', reason: 'attempt_pending' };
    }
    // The setting may have changed since the plan, or a retry may land at night.
    const allowed = outOfQuietHours(now, settings.quietHours, company.timezone);
    if (allowed.getTime() !== now.getTime()) {
      await this.postpone(tx, row, allowed, 'quiet_hours', company.timezone);
      return { kind: 'later', reason: 'quiet_hours' };
    }
    const [view] = await findAppointmentViews(tx, row.company_id, [row.appointment_id]);
    const content: MessageContent = {
      companyName: company.name,
      timezone: company.timezone,
      currency: company.currency,
      startsAt: appointment.starts_at,
      amountDue,
      url: this.deps.links.urlOf(link).url,
      clientName: view?.client_name ?? '',
      staffName: view?.staff_name ?? '',
    };
    // R37: the company's own reminder text for the channel, in its language, or the built-in one.
    // Rendered before the `sending` mark: a reminder that cannot be written fails, audited, and
    // is never left `sending` (counted as sent) without having gone out.
    const locale = messageLocaleOf(company.country);
    let message: RenderedMessage;
    try {
      message = await renderMessage(
        tx,
        { companyId: row.company_id, channel: row.channel as MessageChannel, kind: 'reminder', locale },
        content,
      );
    } catch (error) {
      this.deps.log.error({ err: error, reminderId: row.id }, 'a reminder could not be written');
      const reason = error instanceof Error ? `render: ${error.message}` : 'render failed';
      return { kind: 'failed', reason };
    }
    // R38: the unit is taken in the same commit as the `sending` mark, before the gateway is called.
    await this.deps.quotas.take(
      {
        companyId: row.company_id,
        timezone: company.timezone,
        channel: row.channel as SendChannel,
        recipient: row.recipient,
      },
      tx,
    );
    await repo.updateReminder(tx, row.id, { status: 'sending', reason: null, updated_at: now });
    return { kind: 'send', content, locale, message };
  }

  /**
   * The link's state read again just before the gateway call (without the lock): answers why the
   * reminder must not go out after all, or null when it still should.
   */
  private async recheck(row: repo.ReminderRow): Promise<string | null> {
    const tx = this.deps.db;
    const settings = await repo.findReminderSettings(tx, row.company_id);
    if (!settings.enabled) return 'reminders_off';
    const link = await links.findLink(tx, row.link_id);
    if (link.status !== 'active') return link.status === 'paid' ? 'paid' : 'link_disabled';
    const amountDue = amountToCharge({
      due: (await amountsOf(tx, row.appointment_id)).due,
      linkAmount: link.amount,
      collected: await links.collectedByLink(tx, link.id),
    });
    if (amountDue <= 0) return 'paid';
    if (await repo.hasOpenAttempt(tx, link.id)) return 'attempt_pending';
    return null;
  }

  private async postpone(tx: Executor, row: repo.ReminderRow, until: Date, reason: string, timezone: string) {
    const settings = await repo.findReminderSettings(tx, row.company_id);
    const at = outOfQuietHours(until, settings.quietHours, timezone);
    await repo.updateReminder(tx, row.id, { send_at: at, reason, updated_at: this.deps.clock.now() });
  }

  private async putOff(row: repo.ReminderRow, until: Date, reason: string): Promise<void> {
    await this.deps.db.transaction().execute(async (tx) => {
      const current = await repo.lockReminder(tx, row.id);
      if (current.status !== 'scheduled' || current.tries !== row.tries) return;
      const company = (await findCompany(tx, row.company_id))!;
      await this.postpone(tx, row, until, reason, company.timezone);
    });
  }

  /** A final state other than sent: skipped (with why) or failed (the gateway's answer). */
  private async finish(row: repo.ReminderRow, status: 'skipped' | 'failed', reason: string): Promise<void> {
    const { db, clock } = this.deps;
    await db.transaction().execute(async (tx) => {
      const current = await repo.lockReminder(tx, row.id);
      if (current.tries !== row.tries || !['scheduled', 'sending'].includes(current.status)) return;
      const now = clock.now();
      await repo.updateReminder(tx, row.id, { status, reason: reason.slice(0, 300), updated_at: now });
      if (status === 'failed') {
        await recordAudit(tx, {
          companyId: row.company_id,
          at: now,
          actor: { type: 'system' },
          action: 'link.reminder_failed',
          entityType: 'link',
          entityId: row.link_id,
          appointmentId: row.appointment_id,
          details: {
            channel: row.channel,
            to: maskRecipient(row.channel, row.recipient),
            reason: reason.slice(0, 300),
          },
        });
      }
    });
  }
}
