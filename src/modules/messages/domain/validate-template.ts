import { hasStrayBrace, unknownPlaceholders, usesPlaceholder } from './placeholders.js';
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
  | 'not_allowed';

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
  } else if (template.subject !== undefined) {
    return { field: 'subject', reason: 'not_allowed', message: `a ${channel} message has no subject` };
  }
  const text = template.text;
  if (text.trim() === '') return { field: 'text', reason: 'required', message: 'the text is required' };
  if (text.length > TEXT_LIMIT[channel]) return tooLong('text', TEXT_LIMIT[channel]);
  const unknown = unknownPlaceholders(text);
  if (unknown.length > 0) return unknownRefusal('text', unknown);
  if (hasStrayBrace(text)) return strayBrace('text');
  if (!usesPlaceholder(text, 'link'))
    return {
      field: 'text',
      reason: 'link_missing',
      message: 'the text must contain {link}: the message brings the payment link',
    };
  return undefined;
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
