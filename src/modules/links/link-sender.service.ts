import type { Db } from '../../db/database.js';
import type { ClientRow } from '../../db/schema.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError, notFound, validation } from '../../shared/errors.js';
import type { MailTransport } from '../../shared/mail-transport.js';
import { SmsSendError, type SmsTransport } from '../../shared/sms-transport.js';
import { WhatsAppSendError, type WhatsAppTransport } from '../../shared/whatsapp-transport.js';
import { amountsOf } from '../appointments/index.js';
import { findAppointmentViews } from '../appointments/index.js';
import { recordAudit } from '../audit/index.js';
import type { CashlessSettingsService } from '../cashless/index.js';
import { findClient } from '../clients/index.js';
import { clientEmail, clientPhone } from '../clients/contact-schemas.js';
import { findCompany } from '../companies/index.js';
import { amountToCharge } from '../checkout/domain/charge.js';
import { messageLocaleOf, renderMessage, type MessageLocale } from '../messages/index.js';
import { maskEmail } from './link-mail.js';
import { maskPhone } from './link-sms.js';
import { whatsAppMessage } from './link-whatsapp.js';
import * as links from './links.repository.js';
import type { LinkReminders } from './link-reminders.service.js';
import type { PaymentLinksService } from './payment-links.service.js';
import type { SendQuotas } from './send-quotas.service.js';

export type LinkChannel = 'email' | 'sms' | 'whatsapp';

export interface SendLinkInput {
  channel: LinkChannel;
  /** the recipient (an address, or a phone number for SMS and WhatsApp); defaults to the client's */
  to?: string | undefined;
  /** answer the message without sending it (also where the channel is not set up: staff copy the text) */
  preview?: boolean | undefined;
}

export interface SendLinkResult {
  sent: boolean;
  channel: LinkChannel;
  to: string;
  /** email only */
  subject: string | null;
  text: string;
  /** email only */
  html: string | null;
  sentAt: Date | null;
}

/**
 * "Send payment link" (R2, SPEC §9): the appointment's active link, created if needed as Copy
 * does (R5), sent to the client in the company's language — by email (SMTP_URL) or by SMS
 * (TWILIO_* or SMSRU_API_ID), to the client's address or number unless staff give another,
 * within the sending quotas (R38).
 */
export class LinkSender {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      cashless: CashlessSettingsService;
      links: PaymentLinksService;
      mail: MailTransport | undefined;
      sms: SmsTransport | undefined;
      /** R36: the WhatsApp sender (WHATSAPP_TOKEN… or TWILIO_WHATSAPP_*) */
      whatsapp: WhatsAppTransport | undefined;
      quotas: SendQuotas;
      /** R35: plans the reminders of each send */
      reminders?: LinkReminders;
    },
  ) {}

  /** Which channels this server can send by (SMTP_URL; TWILIO_* or SMSRU_API_ID; WhatsApp): the admin app offers only these. */
  channels(): Record<LinkChannel, boolean> {
    return {
      email: this.deps.mail !== undefined,
      sms: this.deps.sms !== undefined,
      whatsapp: this.deps.whatsapp !== undefined,
    };
  }

  async send(companyId: string, actor: Actor, appointmentId: string, input: SendLinkInput): Promise<SendLinkResult> {
    const { db, clock } = this.deps;
    // R1: no link is sent while pay-by-link is off or no provider is connected.
    await this.deps.cashless.assertAvailable(companyId);
    const channel = input.channel;
    const way = CHANNELS[channel];
    // The preview only renders the text: staff can copy it, or open it in their own mail or messages app,
    // on a server where the channel is not set up. Sending needs the gateway, before anything is written.
    if (!input.preview && !this.channels()[channel]) throw way.unavailable();
    const to = input.to === undefined ? undefined : recipientOf(channel, input.to);
    const [appointment] = await findAppointmentViews(db, companyId, [appointmentId]);
    if (!appointment) throw notFound('appointment', appointmentId);
    if (appointment.status === 'cancelled')
      throw new DomainError('appointment_cancelled', 'a cancelled appointment cannot be paid by link');
    const recipient = to ?? way.contactOf(await findClient(db, companyId, appointment.client_id)) ?? undefined;
    if (!recipient) throw way.missing();
    const company = (await findCompany(db, companyId))!;
    if (!input.preview && channel === 'whatsapp') this.assertWhatsAppLanguage(messageLocaleOf(company.country));
    const quota = { companyId, timezone: company.timezone, channel, recipient };
    // R38: a send past its quota is refused before anything is written for it (not even a new link).
    if (!input.preview) await this.deps.quotas.assertAvailable(quota);

    const link = await this.activeLink(companyId, actor, appointmentId);
    const amounts = await amountsOf(db, appointmentId);
    const amountDue = amountToCharge({
      due: amounts.due,
      linkAmount: link.amount,
      collected: await links.collectedByLink(db, link.id),
    });
    if (amountDue <= 0)
      throw new DomainError('nothing_due', 'nothing is due on this appointment', { due: amounts.due });
    // R37: the company's own template for the channel, in its language, or the built-in text.
    const locale = messageLocaleOf(company.country);
    const content = {
      companyName: company.name,
      timezone: company.timezone,
      currency: company.currency,
      startsAt: appointment.starts_at,
      amountDue,
      url: this.deps.links.urlOf(link).url,
      clientName: appointment.client_name,
      staffName: appointment.staff_name,
    };
    const rendered = await renderMessage(db, { companyId, channel, kind: 'link', locale }, content);
    // R36: WhatsApp delivers the approved template: its text, filled with the parameters that go out
    const whatsapp = channel === 'whatsapp' ? whatsAppMessage(rendered.locale, content) : undefined;
    const mail = channel === 'email' ? { subject: rendered.subject ?? '', html: rendered.html ?? '' } : undefined;
    const message = {
      channel,
      to: recipient,
      subject: rendered.subject ?? null,
      text: whatsapp?.text ?? rendered.text,
      html: rendered.html ?? null,
    };
    if (input.preview) return { sent: false, ...message, sentAt: null };

    // R38: the unit is taken before the gateway is called (the referee between concurrent sends in any process),
    // and kept when the gateway then refuses: a timeout or an error after acceptance may still have delivered
    // the message, and refused sends still cost the operator's sender reputation, so every attempt counts.
    await this.deps.quotas.take(quota);
    // Outside any transaction: the gateway may be slow, and nothing is held while it answers.
    if (mail)
      await this.sendMail(this.deps.mail!, {
        fromName: company.name,
        to: recipient,
        subject: mail.subject,
        text: message.text,
        html: mail.html,
      });
    else if (whatsapp)
      await this.sendWhatsApp(this.deps.whatsapp!, { to: recipient, locale: rendered.locale, params: whatsapp.params });
    else await this.sendSms(this.deps.sms!, { to: recipient, text: message.text });
    const sentAt = clock.now();
    await recordAudit(db, {
      companyId,
      at: sentAt,
      actor,
      action: 'link.sent',
      entityType: 'link',
      entityId: link.id,
      appointmentId,
      details: { channel, to: way.mask(recipient) },
    });
    // R35: reminders of this send, through its channel to its recipient, replacing any earlier plan.
    await this.deps.reminders?.scheduleAfterSend({
      companyId,
      appointmentId,
      linkId: link.id,
      channel,
      recipient,
      sentAt,
    });
    return { sent: true, ...message, sentAt };
  }

  private async sendMail(transport: MailTransport, message: Parameters<MailTransport['send']>[0]): Promise<void> {
    try {
      await transport.send(message);
    } catch (error) {
      const reason = error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
      throw new DomainError('email_send_failed', `the mail server did not take the message: ${reason}`, {
        channel: 'email',
      });
    }
  }

  private async sendSms(transport: SmsTransport, message: Parameters<SmsTransport['send']>[0]): Promise<void> {
    try {
      await transport.send(message);
    } catch (error) {
      const reason = error instanceof Error ? error.message.slice(0, 300) : 'unknown error';
      throw new DomainError('sms_send_failed', `the SMS gateway did not take the message: ${reason}`, {
        channel: 'sms',
        ...(error instanceof SmsSendError && error.code !== undefined ? { gatewayCode: error.code } : {}),
      });
    }
  }

  /** R36: a WhatsApp template goes out only in a language it is registered in; refused before anything is written. */
  private assertWhatsAppLanguage(locale: MessageLocale): void {
    if (this.deps.whatsapp?.locales.includes(locale) ?? true) return;
    throw new DomainError(
      'whatsapp_unavailable',
      `no WhatsApp template is set up in this company's language (${locale}): the operator registers its translation and sets TWILIO_WHATSAPP_CONTENT_SID_${locale.toUpperCase()}; copy the link into a message meanwhile`,
      { channel: 'whatsapp' },
    );
  }

  private async sendWhatsApp(
    transport: WhatsAppTransport,
    message: Parameters<WhatsAppTransport['send']>[0],
  ): Promise<void> {
    try {
      await transport.send(message);
    } catch (error) {
      const reason = error instanceof Error ? error.message.slice(0, 300) : 'unknown error';
      throw new DomainError('whatsapp_send_failed', `WhatsApp did not take the message: ${reason}`, {
        channel: 'whatsapp',
        ...(error instanceof WhatsAppSendError && error.code !== undefined ? { gatewayCode: error.code } : {}),
      });
    }
  }

  /** The active link; made as "Copy" makes it (R3, R5, R23) when the appointment has none. */
  private async activeLink(companyId: string, actor: Actor, appointmentId: string): Promise<links.LinkRow> {
    const existing = await links.findActiveLink(this.deps.db, companyId, appointmentId);
    if (existing) return existing;
    const created = await this.deps.links.copy(companyId, actor, appointmentId, {});
    return links.findLink(this.deps.db, created.id);
  }
}

/** What differs between the ways a link is sent: where the gateway is set up, the client's contact, how the log masks it. */
const CHANNELS = {
  email: {
    recipient: clientEmail,
    contactOf: (client: ClientRow | undefined) => client?.email,
    mask: maskEmail,
    unavailable: () =>
      new DomainError(
        'email_unavailable',
        'sending email is not set up on this server: the operator sets SMTP_URL (smtp://user:password@host:587) and restarts',
        { channel: 'email' },
      ),
    missing: () =>
      new DomainError(
        'client_email_missing',
        'the client has no email address: add one to the client or give the address to send to',
        { field: 'to' },
      ),
  },
  sms: {
    recipient: clientPhone,
    contactOf: (client: ClientRow | undefined) => client?.phone,
    mask: maskPhone,
    unavailable: () =>
      new DomainError(
        'channel_unavailable',
        'sending SMS is not set up on this server: the operator sets TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM (or SMSRU_API_ID) and restarts; copy the link into a message meanwhile',
        { channel: 'sms' },
      ),
    missing: () =>
      new DomainError(
        'client_phone_missing',
        'the client has no phone number: add one to the client or give the number to send to',
        { field: 'to' },
      ),
  },
  whatsapp: {
    recipient: clientPhone,
    contactOf: (client: ClientRow | undefined) => client?.phone,
    mask: maskPhone,
    unavailable: () =>
      new DomainError(
        'whatsapp_unavailable',
        'sending WhatsApp messages is not set up on this server: the operator sets WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID (or TWILIO_WHATSAPP_FROM and TWILIO_WHATSAPP_CONTENT_SID) and restarts; copy the link into a message meanwhile',
        { channel: 'whatsapp' },
      ),
    missing: () =>
      new DomainError(
        'client_phone_missing',
        'the client has no phone number: add one to the client or give the number to send to',
        { field: 'to' },
      ),
  },
} as const;

/** The recipient the staff member typed, in the shape its channel needs; 400 naming `to` otherwise. */
function recipientOf(channel: LinkChannel, value: string): string {
  const parsed = CHANNELS[channel].recipient.safeParse(value);
  if (!parsed.success) throw validation('to', parsed.error.issues[0]?.message ?? 'not a valid recipient');
  return parsed.data;
}
