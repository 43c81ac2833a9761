import { formatMoney } from '../../../shared/money.js';
import type { MessageContent } from './message-values.js';
import type { MessageLocale } from './template-key.js';

/**
 * R36: the WhatsApp template the operator registers (at Meta, or as a Twilio Content Template),
 * one translation per language, category Utility, on one line. WhatsApp lets a business open a
 * conversation only with a template approved beforehand, so this text, not a free one, is what
 * the client reads; its five body parameters are, in order: {{1}} the client's first name,
 * {{2}} the company, {{3}} the visit's date and time, {{4}} the amount due, {{5}} the link.
 * It is the built-in WhatsApp link text of R37 written with numbered parameters (and so what the
 * preview shows); docs/messaging.md gives it to copy.
 */
export const WHATSAPP_TEMPLATE_TEXT: Record<MessageLocale, string> = {
  en: 'Hello, {{1}}! {{2}}: your visit on {{3}}, amount due {{4}}. Pay online: {{5}} If you have already paid, please ignore this message.',
  ru: 'Здравствуйте, {{1}}! {{2}}: визит {{3}}, к оплате {{4}}. Оплатить онлайн: {{5}} Если вы уже оплатили визит, просто не обращайте внимания на это сообщение.',
};

/** A template parameter may not be empty: a client without a name is greeted so. */
const NAMELESS: Record<MessageLocale, string> = { en: 'there', ru: 'уважаемый клиент' };

const INTL: Record<MessageLocale, string> = { en: 'en-GB', ru: 'ru-RU' };

/** The template's five parameters for one link, formatted as R37 formats its WhatsApp placeholders. */
export function whatsAppParams(locale: MessageLocale, content: MessageContent): string[] {
  const intl = INTL[locale];
  const date = new Intl.DateTimeFormat(intl, { month: 'short', day: 'numeric', timeZone: content.timezone }).format(
    content.startsAt,
  );
  const time = new Intl.DateTimeFormat(intl, { hour: '2-digit', minute: '2-digit', timeZone: content.timezone }).format(
    content.startsAt,
  );
  return [
    content.clientName.trim().split(/\s+/)[0] || NAMELESS[locale],
    content.companyName.replace(/\s+/g, ' ').trim(),
    `${date}, ${time}`,
    formatMoney(content.amountDue, content.currency, intl),
    content.url,
  ];
}

/**
 * The WhatsApp message for one link: the template's parameters, and the text they make on the
 * client's phone. WhatsApp delivers the registered template only, so the preview shows that text,
 * whatever a company wrote as its own WhatsApp text (R37).
 */
export function whatsAppMessage(locale: MessageLocale, content: MessageContent): { params: string[]; text: string } {
  const params = whatsAppParams(locale, content);
  return { params, text: fillTemplate(WHATSAPP_TEMPLATE_TEXT[locale], params) };
}

/**
 * The registered text with the R37 placeholders in place of its parameters: what Settings →
 * Messages shows for WhatsApp, both for the link and for the reminder (a reminder resends this
 * template; WhatsApp has no other to send).
 */
export function whatsAppTemplateText(locale: MessageLocale): string {
  return fillTemplate(WHATSAPP_TEMPLATE_TEXT[locale], [
    '{clientFirstName}',
    '{companyName}',
    '{date}, {time}',
    '{amount}',
    '{link}',
  ]);
}

/** {{n}} replaced by the n-th parameter, as WhatsApp does on the client's phone. */
export function fillTemplate(template: string, params: readonly string[]): string {
  return template.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => params[Number(n) - 1] ?? whole);
}
