import type { Db } from '../../db/database.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError, notFound } from '../../shared/errors.js';
import type { MailTransport } from '../../shared/mail-transport.js';
import { amountsOf } from '../appointments/appointment-lock.js';
import { findAppointmentViews } from '../appointments/appointments.repository.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { CashlessSettingsService } from '../cashless/cashless-settings.service.js';
import { findClient } from '../clients/clients.repository.js';
import { findCompany } from '../companies/companies.repository.js';
import { amountToCharge } from './domain/charge.js';
import { maskEmail, renderLinkMail } from './link-mail.js';
import * as links from './links.repository.js';
import type { PaymentLinksService } from './payment-links.service.js';

export interface SendLinkInput {
  channel: 'email' | 'sms';
  /** the recipient; defaults to the client's email */
  to?: string | undefined;
  /** answer the message without sending it */
  preview?: boolean | undefined;
}

export interface SendLinkResult {
  sent: boolean;
  channel: 'email';
  to: string;
  subject: string;
  text: string;
  html: string;
  sentAt: Date | null;
}

/**
 * "Send payment link" (R2, SPEC §9): the appointment's active link, created if needed as Copy
 * does (R5), mailed to the client in the company's language. Needs SMTP_URL; SMS has no gateway.
 */
export class LinkMailer {
  constructor(
    private readonly deps: { db: Db; clock: Clock; cashless: CashlessSettingsService; links: PaymentLinksService; transport: MailTransport | undefined },
  ) {}

  async send(companyId: string, actor: Actor, appointmentId: string, input: SendLinkInput): Promise<SendLinkResult> {
    const { db, clock } = this.deps;
    // R1: no link is sent while pay-by-link is off or no provider is connected.
    await this.deps.cashless.assertAvailable(companyId);
    if (input.channel === 'sms') {
      throw new DomainError('channel_unavailable', 'sending by SMS is not available: this server has no SMS gateway; send the link by email or copy it into a message', { channel: 'sms' });
    }
    const transport = this.deps.transport;
    if (!transport) {
      throw new DomainError('email_unavailable', 'sending email is not set up on this server: the operator sets SMTP_URL (smtp://user:password@host:587) and restarts', { channel: 'email' });
    }
    const [appointment] = await findAppointmentViews(db, companyId, [appointmentId]);
    if (!appointment) throw notFound('appointment', appointmentId);
    if (appointment.status === 'cancelled') throw new DomainError('appointment_cancelled', 'a cancelled appointment cannot be paid by link');
    const client = await findClient(db, companyId, appointment.client_id);
    const to = input.to ?? client?.email ?? undefined;
    if (!to) {
      throw new DomainError('client_email_missing', 'the client has no email address: add one to the client or give the address to send to', { field: 'to' });
    }

    const link = await this.activeLink(companyId, actor, appointmentId);
    const amounts = await amountsOf(db, appointmentId);
    const amountDue = amountToCharge({ due: amounts.due, linkAmount: link.amount, collected: await links.collectedByLink(db, link.id) });
    if (amountDue <= 0) throw new DomainError('nothing_due', 'nothing is due on this appointment', { due: amounts.due });
    const company = (await findCompany(db, companyId))!;
    const mail = renderLinkMail({
      companyName: company.name,
      country: company.country,
      timezone: company.timezone,
      currency: company.currency,
      startsAt: appointment.starts_at,
      amountDue,
      url: this.deps.links.urlOf(link).url,
      clientName: appointment.client_name,
    });
    const message = { channel: 'email' as const, to, subject: mail.subject, text: mail.text, html: mail.html };
    if (input.preview) return { sent: false, ...message, sentAt: null };

    // Outside any transaction: the mail server may be slow, and nothing is held while it answers.
    try {
      await transport.send({ fromName: company.name, to, subject: mail.subject, text: mail.text, html: mail.html });
    } catch (error) {
      const reason = error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
      throw new DomainError('email_send_failed', `the mail server did not take the message: ${reason}`, { channel: 'email' });
    }
    const sentAt = clock.now();
    await recordAudit(db, {
      companyId,
      at: sentAt,
      actor,
      action: 'link.sent',
      entityType: 'link',
      entityId: link.id,
      appointmentId,
      details: { channel: 'email', to: maskEmail(to) },
    });
    return { sent: true, ...message, sentAt };
  }

  /** The active link; made as "Copy" makes it (R3, R5, R23) when the appointment has none. */
  private async activeLink(companyId: string, actor: Actor, appointmentId: string): Promise<links.LinkRow> {
    const existing = await links.findActiveLink(this.deps.db, companyId, appointmentId);
    if (existing) return existing;
    const created = await this.deps.links.copy(companyId, actor, appointmentId, {});
    return links.findLink(this.deps.db, created.id);
  }
}
