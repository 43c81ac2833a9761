import { escapeHtml as e } from '../../shared/html.js';
import { formatMoney } from '../../shared/money.js';
import { mailAccent, mailBrandHeader, mailContactHtml, type MailBrand } from '../branding/index.js';

/** R41: what the payment confirmation says; rendering is a pure function of it. */
export interface ConfirmationMailInput {
  locale: 'en' | 'ru';
  companyName: string;
  timezone: string;
  currency: string;
  /** what the client was charged through the link, in minor units, the tip included */
  amount: number;
  /** R40: the tip within `amount`, in minor units; 0 when none */
  tip?: number;
  startsAt: Date;
  clientName: string;
  brand?: MailBrand;
}

const WORDS = {
  en: {
    subject: (company: string) => `Payment received — ${company}`,
    greeting: (name: string) => (name ? `Hello, ${name}!` : 'Hello!'),
    paid: (amount: string, when: string) => `You paid ${amount} for your visit on ${when}.`,
    withTip: (amount: string, tip: string) => `${amount}, including a ${tip} tip,`,
    thanks: 'Thank you! This email confirms the payment; there is nothing more to do.',
  },
  ru: {
    subject: (company: string) => `Оплата получена — ${company}`,
    greeting: (name: string) => (name ? `Здравствуйте, ${name}!` : 'Здравствуйте!'),
    paid: (amount: string, when: string) => `Вы оплатили ${amount} за визит ${when}.`,
    withTip: (amount: string, tip: string) => `${amount}, включая чаевые ${tip},`,
    thanks: 'Спасибо! Это письмо подтверждает оплату, больше ничего делать не нужно.',
  },
} as const;

export function renderConfirmationMail(input: ConfirmationMailInput) {
  const w = WORDS[input.locale];
  const intl = input.locale === 'ru' ? 'ru-RU' : 'en-GB';
  const when = new Intl.DateTimeFormat(intl, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: input.timezone,
  }).format(input.startsAt);
  const total = formatMoney(input.amount, input.currency, intl);
  // R40/R41: a tip is said with the total charged, so the email matches the bank statement
  const amount = input.tip ? w.withTip(total, formatMoney(input.tip, input.currency, intl)) : total;
  const firstName = input.clientName.trim().split(/\s+/)[0] ?? '';
  const subject = w.subject(input.companyName);
  const greeting = w.greeting(firstName);
  const paid = w.paid(amount, when);
  const text = [
    greeting,
    '',
    paid,
    w.thanks,
    '',
    `— ${input.companyName}`,
    ...(input.brand?.contactLine ? [input.brand.contactLine] : []),
  ].join('\n');
  const accent = mailAccent(input.brand, '#0a7c5a');
  const html =
    `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8"><title>${e(subject)}</title></head>` +
    '<body style="margin:0;padding:24px;background:#f5f5f7;font-family:Arial,Helvetica,sans-serif;color:#1d1d1f">' +
    `<div style="max-width:520px;margin:0 auto;background:#fff;border-radius:8px;padding:24px;border-top:4px solid ${accent}">` +
    mailBrandHeader(input.companyName, input.brand) +
    `<p style="margin:0 0 12px;font-size:16px">${e(greeting)}</p>` +
    `<p style="margin:0 0 12px;font-size:16px" data-paid>${e(paid)}</p>` +
    `<p style="margin:0;font-size:13px;color:#6e6e73">${e(w.thanks)}</p>` +
    mailContactHtml(input.brand) +
    '</div></body></html>';
  return { subject, text, html };
}
