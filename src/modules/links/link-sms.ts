import { formatMoney } from '../../shared/money.js';
import { mailLocaleOf, type LinkMailInput, type MailLocale } from './link-mail.js';

/**
 * The SMS with the payment link: one short line in the company's language — who, how much, when,
 * the link — since every character costs the salon (a Cyrillic message is 70 characters a part).
 */
export function renderLinkSms(input: LinkMailInput): { locale: MailLocale; text: string } {
  const locale = mailLocaleOf(input.country);
  const intlLocale = locale === 'ru' ? 'ru-RU' : 'en-GB';
  const when = new Intl.DateTimeFormat(intlLocale, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: input.timezone,
  }).format(input.startsAt);
  const amount = formatMoney(input.amountDue, input.currency, intlLocale);
  const text =
    locale === 'ru'
      ? `${input.companyName}: к оплате ${amount} за визит ${when}. Оплатить: ${input.url}`
      : `${input.companyName}: ${amount} to pay for your visit on ${when}. Pay here: ${input.url}`;
  return { locale, text };
}

/** A phone number as the audit log keeps it (R27): the country code and the last two digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 6) return '***';
  return `+${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
}
