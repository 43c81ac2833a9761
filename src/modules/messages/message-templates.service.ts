import type { Db } from '../../db/database.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError, notFound } from '../../shared/errors.js';
import type { Origins } from '../../shared/origins.js';
import { amountsOf, findAppointmentViews } from '../appointments/index.js';
import { recordAudit } from '../audit/index.js';
import { findMailBrand } from '../branding/index.js';
import { companyOrNotFound } from '../companies/index.js';
import { defaultTemplate } from './domain/default-templates.js';
import { messageValues, type MessageContent } from './domain/message-values.js';
import type { PlaceholderValues } from './domain/placeholders.js';
import { renderWith, type RenderedMessage } from './domain/render-message.js';
import { smsSegments, type SmsSegments } from './domain/sms-segments.js';
import {
  MESSAGE_CHANNELS,
  MESSAGE_KINDS,
  MESSAGE_LOCALES,
  messageLocaleOf,
  type MessageChannel,
  type MessageLocale,
  type TemplateKey,
  type TemplateText,
} from './domain/template-key.js';
import { templateRefusal } from './domain/validate-template.js';
import { whatsAppMessage } from './domain/whatsapp-template.js';
import { templateFor } from './render-message.js';
import { deleteTemplate, findTemplate, listTemplates, saveTemplate } from './templates.repository.js';

/** One template as the settings screen shows it: the text in force, whether it is the company's own, the default. */
export interface TemplateView extends TemplateKey {
  custom: boolean;
  /** R36: WhatsApp — the text registered with WhatsApp, shown read-only */
  fixed: boolean;
  subject: string | null;
  text: string;
  updatedAt: Date | null;
  default: { subject: string | null; text: string };
  /** SMS only: the parts the message takes with example values (a real link's length) */
  segments: SmsSegments | null;
}

export interface TemplatesOverview {
  /** the language the company's messages are written in (its country) */
  companyLocale: MessageLocale;
  items: TemplateView[];
  /** example values per language and channel, for the screen's live counter and preview without an appointment */
  samples: Record<MessageLocale, Record<MessageChannel, PlaceholderValues>>;
}

export interface PreviewInput extends TemplateKey {
  appointmentId: string;
  /** an unsaved text to preview; the text in force otherwise */
  template?: TemplateText | undefined;
}

/** A link token's length (R6), so examples measure like the real message. */
const EXAMPLE_TOKEN = 'EXAMPLE'.padEnd(43, '0');

/** R37: a company's message templates — list, save, reset to default, preview with an appointment. */
export class MessageTemplatesService {
  constructor(private readonly deps: { db: Db; clock: Clock; origins: Origins }) {}

  async overview(companyId: string): Promise<TemplatesOverview> {
    const { db } = this.deps;
    const company = await companyOrNotFound(db, companyId);
    const rows = await listTemplates(db, companyId);
    const samples = Object.fromEntries(
      MESSAGE_LOCALES.map((locale) => [
        locale,
        Object.fromEntries(
          MESSAGE_CHANNELS.map((channel) => [channel, messageValues(channel, locale, this.example(company, locale))]),
        ),
      ]),
    ) as TemplatesOverview['samples'];
    const items: TemplateView[] = [];
    for (const channel of MESSAGE_CHANNELS)
      for (const kind of MESSAGE_KINDS)
        for (const locale of MESSAGE_LOCALES) {
          const key = { channel, kind, locale };
          const row =
            channel === 'whatsapp'
              ? undefined
              : rows.find((r) => r.channel === channel && r.kind === kind && r.locale === locale);
          const template = row ? { subject: row.subject ?? undefined, text: row.body } : defaultTemplate(key);
          items.push(this.viewOf(key, template, row?.updated_at ?? null, samples[locale][channel]));
        }
    return { companyLocale: messageLocaleOf(company.country), items, samples };
  }

  async save(companyId: string, actor: Actor, key: TemplateKey, input: TemplateText): Promise<TemplateView> {
    const { db, clock } = this.deps;
    assertEditable(key);
    const template = normalized(key.channel, input);
    assertValid(key.channel, template);
    const company = await companyOrNotFound(db, companyId);
    const at = clock.now();
    await db.transaction().execute(async (tx) => {
      const before = await findTemplate(tx, companyId, key);
      await saveTemplate(tx, {
        companyId,
        key,
        subject: template.subject ?? null,
        body: template.text,
        at,
        by: actor.type === 'user' ? actor.id : null,
      });
      await recordAudit(tx, {
        companyId,
        at,
        actor,
        action: 'message_template.changed',
        entityType: 'message_template',
        entityId: entityIdOf(key),
        // the words before and after, so a company's changes to what its clients read can be reviewed
        details: {
          ...key,
          before: wordsOf(before ? { subject: before.subject ?? undefined, text: before.body } : defaultTemplate(key)),
          after: wordsOf(template),
        },
      });
    });
    const sample = messageValues(key.channel, key.locale, this.example(company, key.locale));
    return this.viewOf(key, template, at, sample);
  }

  /** Back to the built-in text: the company's own is deleted (audited when there was one). */
  async reset(companyId: string, actor: Actor, key: TemplateKey): Promise<TemplateView> {
    const { db, clock } = this.deps;
    assertEditable(key);
    const company = await companyOrNotFound(db, companyId);
    const at = clock.now();
    await db.transaction().execute(async (tx) => {
      const before = await findTemplate(tx, companyId, key);
      if (!before || !(await deleteTemplate(tx, companyId, key))) return;
      await recordAudit(tx, {
        companyId,
        at,
        actor,
        action: 'message_template.reset',
        entityType: 'message_template',
        entityId: entityIdOf(key),
        details: {
          ...key,
          before: wordsOf({ subject: before.subject ?? undefined, text: before.body }),
          after: wordsOf(defaultTemplate(key)),
        },
      });
    });
    const sample = messageValues(key.channel, key.locale, this.example(company, key.locale));
    return this.viewOf(key, defaultTemplate(key), null, sample);
  }

  /**
   * The message as the client of `appointmentId` would get it: its first name, the visit's date,
   * time and staff, the amount due now. The link is an example of a real link's length: a preview
   * makes no link.
   */
  async preview(companyId: string, input: PreviewInput): Promise<RenderedMessage & { segments: SmsSegments | null }> {
    const { db } = this.deps;
    const key = { channel: input.channel, kind: input.kind, locale: input.locale };
    const template = input.template
      ? normalized(key.channel, input.template)
      : await templateFor(db, { companyId, ...key });
    if (input.template) assertValid(key.channel, template);
    const company = await companyOrNotFound(db, companyId);
    const [appointment] = await findAppointmentViews(db, companyId, [input.appointmentId]);
    if (!appointment) throw notFound('appointment', input.appointmentId);
    const content: MessageContent = {
      companyName: company.name,
      timezone: company.timezone,
      currency: company.currency,
      startsAt: appointment.starts_at,
      amountDue: (await amountsOf(db, appointment.id)).due,
      url: this.exampleLink(),
      clientName: appointment.client_name,
      staffName: appointment.staff_name,
    };
    // R39: the email looks as it will be sent, with the company's logo, accent colour and contact line
    const brand = key.channel === 'email' ? await findMailBrand(db, companyId, this.deps.origins.public) : undefined;
    // R36: WhatsApp shows the registered template filled with the parameters it is sent with
    if (key.channel === 'whatsapp')
      return { locale: key.locale, text: whatsAppMessage(key.locale, content).text, segments: null };
    const values = messageValues(key.channel, key.locale, content);
    const message = renderWith(key.channel, key.locale, template, values, brand);
    return { ...message, segments: key.channel === 'sms' ? smsSegments(message.text) : null };
  }

  private viewOf(
    key: TemplateKey,
    template: TemplateText,
    updatedAt: Date | null,
    sample: PlaceholderValues,
  ): TemplateView {
    const fallback = defaultTemplate(key);
    return {
      ...key,
      custom: updatedAt !== null,
      fixed: key.channel === 'whatsapp',
      subject: template.subject ?? null,
      text: template.text,
      updatedAt,
      default: { subject: fallback.subject ?? null, text: fallback.text },
      segments: key.channel === 'sms' ? smsSegments(renderWith('sms', key.locale, template, sample).text) : null,
    };
  }

  private exampleLink(): string {
    return `${this.deps.origins.public}/pay/${EXAMPLE_TOKEN}`;
  }

  /** An example visit (tomorrow, at half past the hour) with a typical amount, for the counter and the screen. */
  private example(
    company: { name: string; timezone: string; currency: string },
    locale: MessageLocale,
  ): MessageContent {
    const tomorrow = new Date(this.deps.clock.now().getTime() + 24 * 3600_000);
    tomorrow.setUTCMinutes(30, 0, 0);
    return {
      companyName: company.name,
      timezone: company.timezone,
      currency: company.currency,
      startsAt: tomorrow,
      amountDue: 4_500,
      url: this.exampleLink(),
      clientName: locale === 'ru' ? 'Анна' : 'Anna',
      staffName: locale === 'ru' ? 'Мария' : 'Maria',
    };
  }
}

/** Line ends as `\n` (a browser's textarea sends `\r\n`); the subject on one line; no subject but for email. */
function normalized(channel: MessageChannel, input: TemplateText): TemplateText {
  const text = input.text.replace(/\r\n?/g, '\n');
  if (channel !== 'email') return input.subject === undefined ? { text } : { subject: input.subject, text };
  return { subject: (input.subject ?? '').replace(/\s*[\r\n]+\s*/g, ' ').trim(), text };
}

/** 400 naming the field and why (R37); nothing is written. */
function assertValid(channel: MessageChannel, template: TemplateText): void {
  const refusal = templateRefusal(channel, template);
  if (!refusal) return;
  const { message, ...details } = refusal;
  throw new DomainError('validation_failed', message, details);
}

/**
 * R36: WhatsApp delivers only the template registered with Meta or Twilio, so a text written here
 * would never reach the client: 422 naming the channel, nothing written.
 */
function assertEditable(key: TemplateKey): void {
  if (key.channel !== 'whatsapp') return;
  throw new DomainError(
    'template_fixed_by_whatsapp',
    'WhatsApp sends only the template registered with WhatsApp (Meta or Twilio); its text is changed there, see docs/messaging.md',
    { field: 'channel' },
  );
}

const wordsOf = (template: TemplateText) => ({ subject: template.subject ?? null, text: template.text });

const entityIdOf = (key: TemplateKey) => `${key.channel}.${key.kind}.${key.locale}`;
