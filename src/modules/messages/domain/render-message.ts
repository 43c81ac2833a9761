import type { MailBrand } from '../../branding/domain/mail-brand.js';
import { emailHtml } from './email-html.js';
import type { PlaceholderValues } from './placeholders.js';
import { renderTemplate } from './render-template.js';
import type { MessageChannel, MessageLocale, TemplateText } from './template-key.js';

/** A message ready to send: email has subject, text and HTML; SMS and WhatsApp only the text. */
export interface RenderedMessage {
  locale: MessageLocale;
  subject?: string;
  text: string;
  html?: string;
}

/** The pure half of R37's rendering: a template and its values in, the message out. */
export function renderWith(
  channel: MessageChannel,
  locale: MessageLocale,
  template: TemplateText,
  values: PlaceholderValues,
  brand?: MailBrand,
): RenderedMessage {
  const text = renderTemplate(template.text, values);
  if (channel !== 'email') return { locale, text };
  const subject = renderTemplate(template.subject ?? '', values)
    .replace(/\s+/g, ' ')
    .trim();
  return { locale, subject, text, html: emailHtml({ locale, subject, template: template.text, values, brand }) };
}
