/**
 * The door of `messages`: what Visitpay writes to clients, per company, channel, kind and language,
 * from templates with placeholders (R37). Other contexts, jobs and the CLI import from here (see
 * .dependency-cruiser.cjs). Senders call `renderMessage` — kind `link` for the payment-link
 * message (R2), kind `reminder` for the automatic reminder (R35).
 */
export { renderMessage, templateFor } from './render-message.js';
export type { MessageRequest } from './render-message.js';
export type { MessageContent } from './domain/message-values.js';
export type { RenderedMessage } from './domain/render-message.js';
export { messageLocaleOf } from './domain/template-key.js';
export type { MessageChannel, MessageKind, MessageLocale } from './domain/template-key.js';
export { smsSegments } from './domain/sms-segments.js';
export { MessageTemplatesService } from './message-templates.service.js';
