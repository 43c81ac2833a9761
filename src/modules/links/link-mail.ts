import { messageLocaleOf, type MessageLocale } from '../messages/domain/template-key.js';

/** The language of a company's emails (R37 writes the messages themselves, in src/modules/messages). */
export type MailLocale = MessageLocale;
export const mailLocaleOf: (country: string) => MailLocale = messageLocaleOf;

/** An address as the audit log keeps it (R27): enough to tell which one, not enough to reuse it. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local[0]}***@${host[0] ?? ''}***${tld}`;
}
