import { formatMoney } from '../../../shared/money.js';
import type { PlaceholderValues } from './placeholders.js';
import type { MessageChannel, MessageLocale } from './template-key.js';

/** What a message is about: the facts its placeholders are filled with (R37). */
export interface MessageContent {
  companyName: string;
  /** the company's zone: the visit's date and time are said in it */
  timezone: string;
  currency: string;
  startsAt: Date;
  /** what the link charges now, in minor units (R9) */
  amountDue: number;
  url: string;
  clientName: string;
  staffName: string;
}

const INTL: Record<MessageLocale, string> = { en: 'en-GB', ru: 'ru-RU' };

/**
 * The placeholder values, formatted for the language: an email says the whole date
 * ("Friday 14 March 2031"), an SMS or WhatsApp line the short one ("14 Mar").
 */
export function messageValues(
  channel: MessageChannel,
  locale: MessageLocale,
  content: MessageContent,
): PlaceholderValues {
  const intl = INTL[locale];
  const long = channel === 'email';
  const date = new Intl.DateTimeFormat(intl, {
    ...(long ? { weekday: 'long', year: 'numeric', month: 'long' } : { month: 'short' }),
    day: 'numeric',
    timeZone: content.timezone,
  }).format(content.startsAt);
  const time = new Intl.DateTimeFormat(intl, { hour: '2-digit', minute: '2-digit', timeZone: content.timezone }).format(
    content.startsAt,
  );
  return {
    clientFirstName: content.clientName.trim().split(/\s+/)[0] ?? '',
    companyName: content.companyName,
    date,
    time,
    staff: content.staffName,
    amount: formatMoney(content.amountDue, content.currency, intl),
    link: content.url,
  };
}
