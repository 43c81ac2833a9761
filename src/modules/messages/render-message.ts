import type { Executor } from '../../db/database.js';
import { findMailBrand } from '../branding/index.js';
import { defaultTemplate } from './domain/default-templates.js';
import { messageValues, type MessageContent } from './domain/message-values.js';
import { renderWith, type RenderedMessage } from './domain/render-message.js';
import type { TemplateKey, TemplateText } from './domain/template-key.js';
import { findTemplate } from './templates.repository.js';

/** Which message of which company: the channel it goes by, what it is for, its language. */
export interface MessageRequest extends TemplateKey {
  companyId: string;
}

/** The template a company sends for a key: its own when it wrote one (R37), the built-in text otherwise. */
export async function templateFor(db: Executor, request: MessageRequest): Promise<TemplateText & { custom: boolean }> {
  // R36: WhatsApp delivers only the registered template; a text saved before it was fixed is not used
  if (request.channel === 'whatsapp') return { ...defaultTemplate(request), custom: false };
  const row = await findTemplate(db, request.companyId, request);
  if (!row) return { ...defaultTemplate(request), custom: false };
  return { ...(row.subject === null ? {} : { subject: row.subject }), text: row.body, custom: true };
}

/**
 * R37: the message a company sends — its template for the channel, kind and language filled with
 * the content's facts. Email answers subject, text and HTML; SMS and WhatsApp the text. The one
 * way link messages (R2) and reminders (R35, kind `reminder`) are written.
 */
export async function renderMessage(
  db: Executor,
  request: MessageRequest,
  content: MessageContent,
): Promise<RenderedMessage> {
  const template = await templateFor(db, request);
  // R39: an email carries the company's branding, its logo by absolute URL on the link's public origin
  const brand =
    request.channel === 'email' ? await findMailBrand(db, request.companyId, new URL(content.url).origin) : undefined;
  return renderWith(
    request.channel,
    request.locale,
    template,
    messageValues(request.channel, request.locale, content),
    brand,
  );
}
