import { hasStrayBrace, piecesOf, unknownPlaceholders, usesPlaceholder } from './placeholders.js';
import type { MessageChannel, TemplateText } from './template-key.js';

/** The longest text a template may have, per channel (a WhatsApp template body takes at most 1,024). */
export const TEXT_LIMIT: Record<MessageChannel, number> = { email: 5000, sms: 1000, whatsapp: 1024 };
export const SUBJECT_LIMIT = 200;

/** Why a template is refused: the admin app says it in the user's language at the field. */
export type TemplateRefusalReason =
  | 'required'
  | 'link_missing'
  | 'unknown_placeholder'
  | 'stray_brace'
  | 'too_long'
  | 'not_allowed'
  | 'foreign_link'
  | 'link_in_subject';

export interface TemplateRefusal {
  field: 'subject' | 'text';
  reason: TemplateRefusalReason;
  message: string;
  /** the unknown names, for `unknown_placeholder` */
  placeholders?: string[];
  /** the limit, for `too_long` */
  max?: number;
}

/**
 * R37: the first thing wrong with a template, or undefined when it may be saved. The text must
 * hold `{link}` (a message without the link is no use to the client); a name in braces that is
 * not a placeholder is refused by name; each channel has its length cap.
 */
export function templateRefusal(channel: MessageChannel, template: TemplateText): TemplateRefusal | undefined {
  if (channel === 'email') {
    const subject = template.subject ?? '';
    if (subject.trim() === '') return { field: 'subject', reason: 'required', message: 'the subject is required' };
    if (subject.length > SUBJECT_LIMIT) return tooLong('subject', SUBJECT_LIMIT);
    const unknown = unknownPlaceholders(subject);
    if (unknown.length > 0) return unknownRefusal('subject', unknown);
    if (hasStrayBrace(subject)) return strayBrace('subject');
    // R6: the link's token never goes into a mail header
    if (usesPlaceholder(subject, 'link'))
      return {
        field: 'subject',
        reason: 'link_in_subject',
        message: 'the subject may not contain {link}: the link goes in the text only',
      };
    if (hasForeignLink(subject)) return foreignLink('subject');
  } else if (template.subject !== undefined) {
    return { field: 'subject', reason: 'not_allowed', message: `a ${channel} message has no subject` };
  }
  const text = template.text;
  if (text.trim() === '') return { field: 'text', reason: 'required', message: 'the text is required' };
  if (text.length > TEXT_LIMIT[channel]) return tooLong('text', TEXT_LIMIT[channel]);
  const unknown = unknownPlaceholders(text);
  if (unknown.length > 0) return unknownRefusal('text', unknown);
  if (hasStrayBrace(text)) return strayBrace('text');
  if (hasForeignLink(text)) return foreignLink('text');
  if (!usesPlaceholder(text, 'link'))
    return {
      field: 'text',
      reason: 'link_missing',
      message: 'the text must contain {link}: the message brings the payment link',
    };
  return undefined;
}

/**
 * A web address other than `{link}`: a scheme (`https://`, `http:`), `www.`, an IP address, or a
 * bare domain — words joined by dots ending in two or more letters (`evil.example`, `пример.рф`).
 * A company's own message sent through the operator's SMTP sender or SMS number must not carry a
 * link of its choosing (phishing); words with dots such as "e.g." or "St." are not domains.
 * The placeholders are read as spaces, so a domain cannot be built around one.
 */
const FOREIGN_LINK = new RegExp(
  [
    String.raw`[a-z][a-z0-9+.-]*:\/\/`, // https://…, ftp://…
    String.raw`\b(?:https?|mailto):`,
    String.raw`\bwww\.`,
    String.raw`\b\d{1,3}(?:\.\d{1,3}){3}\b`, // an IP address
    // a bare domain: a Latin top-level domain of two letters or more, or one of the Cyrillic ones
    String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.(?:[a-z]{2,}|рф|рус|москва|сайт|онлайн|орг|ком|дети|укр|бел|срб|қаз)(?![\p{L}\p{N}])`,
  ].join('|'),
  'iu',
);

export function hasForeignLink(template: string): boolean {
  const literal = piecesOf(template)
    .map((p) => (p.type === 'placeholder' ? ' ' : p.text))
    .join('');
  return FOREIGN_LINK.test(literal);
}

function foreignLink(field: 'subject' | 'text'): TemplateRefusal {
  return {
    field,
    reason: 'foreign_link',
    message: `the ${field} has a web address: the only link a message may carry is {link}`,
  };
}

function tooLong(field: 'subject' | 'text', max: number): TemplateRefusal {
  return { field, reason: 'too_long', message: `the ${field} is longer than ${max} characters`, max };
}

function unknownRefusal(field: 'subject' | 'text', names: string[]): TemplateRefusal {
  const list = names.map((n) => `{${n}}`).join(', ');
  return {
    field,
    reason: 'unknown_placeholder',
    message: `unknown placeholder${names.length > 1 ? 's' : ''} ${list}: use {clientFirstName}, {companyName}, {date}, {time}, {staff}, {amount} or {link}`,
    placeholders: names,
  };
}

function strayBrace(field: 'subject' | 'text'): TemplateRefusal {
  return {
    field,
    reason: 'stray_brace',
    message: `the ${field} has a brace outside a placeholder: braces are kept for placeholders such as {link}`,
  };
}
