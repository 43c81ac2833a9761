import { escapeHtml } from '../../shared/html.js';
import { formatMoney } from '../../shared/money.js';

/** What the payment-link email says; rendering is a pure function of it. */
export interface LinkMailInput {
  companyName: string;
  /** ISO 3166 country of the company: RU writes Russian, every other country English */
  country: string;
  timezone: string;
  currency: string;
  startsAt: Date;
  /** what the link charges now, in minor units (R9) */
  amountDue: number;
  url: string;
  clientName: string;
}

export interface LinkMail {
  locale: MailLocale;
  subject: string;
  text: string;
  html: string;
}

export type MailLocale = 'en' | 'ru';

interface Words {
  subject: (company: string) => string;
  greeting: (name: string) => string;
  greetingAnonymous: string;
  intro: (company: string) => string;
  visit: string;
  amount: string;
  action: string;
  secure: string;
  ignore: string;
}

const WORDS: Record<MailLocale, Words> = {
  en: {
    subject: (company) => `Payment for your visit to ${company}`,
    greeting: (name) => `Hello, ${name}!`,
    greetingAnonymous: 'Hello!',
    intro: (company) => `You can pay for your visit to ${company} online.`,
    visit: 'Visit',
    amount: 'Amount due',
    action: 'Pay online',
    secure: 'The link opens a secure payment page; you pay on the page of our payment provider.',
    ignore: 'If you have already paid, please ignore this message.',
  },
  ru: {
    subject: (company) => `Оплата визита в ${company}`,
    greeting: (name) => `Здравствуйте, ${name}!`,
    greetingAnonymous: 'Здравствуйте!',
    intro: (company) => `Ваш визит в ${company} можно оплатить онлайн.`,
    visit: 'Визит',
    amount: 'К оплате',
    action: 'Оплатить онлайн',
    secure: 'Ссылка открывает защищённую страницу оплаты; оплата проходит на странице нашего платёжного провайдера.',
    ignore: 'Если вы уже оплатили визит, просто не обращайте внимания на это письмо.',
  },
};

export function mailLocaleOf(country: string): MailLocale {
  return country.toUpperCase() === 'RU' ? 'ru' : 'en';
}

/** The email with the payment link: company, visit time in the company's zone, amount due, the link. */
export function renderLinkMail(input: LinkMailInput): LinkMail {
  const locale = mailLocaleOf(input.country);
  const w = WORDS[locale];
  const intlLocale = locale === 'ru' ? 'ru-RU' : 'en-GB';
  const when = new Intl.DateTimeFormat(intlLocale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: input.timezone,
  }).format(input.startsAt);
  const amount = formatMoney(input.amountDue, input.currency, intlLocale);
  const firstName = input.clientName.trim().split(/\s+/)[0] ?? '';
  const greeting = firstName ? w.greeting(firstName) : w.greetingAnonymous;
  const intro = w.intro(input.companyName);
  const subject = w.subject(input.companyName);

  const text = [
    greeting,
    '',
    intro,
    `${w.visit}: ${when}`,
    `${w.amount}: ${amount}`,
    '',
    `${w.action}: ${input.url}`,
    '',
    w.secure,
    w.ignore,
    '',
    `— ${input.companyName}`,
  ].join('\n');

  const e = escapeHtml;
  const html =
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${e(subject)}</title></head>` +
    `<body style="margin:0;padding:24px;background:#f5f5f7;font-family:Arial,Helvetica,sans-serif;color:#1d1d1f">` +
    `<div style="max-width:520px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">` +
    `<p style="margin:0 0 16px;font-size:14px;color:#6e6e73">${e(input.companyName)}</p>` +
    `<p style="margin:0 0 12px;font-size:16px">${e(greeting)}</p>` +
    `<p style="margin:0 0 12px;font-size:16px">${e(intro)}</p>` +
    `<p style="margin:0 0 4px;font-size:16px">${e(w.visit)}: ${e(when)}</p>` +
    `<p style="margin:0 0 20px;font-size:16px">${e(w.amount)}: <strong>${e(amount)}</strong></p>` +
    `<p style="margin:0 0 20px"><a href="${e(input.url)}" style="display:inline-block;background:#0a7c5a;color:#fff;text-decoration:none;padding:12px 20px;border-radius:6px;font-size:16px">${e(w.action)}</a></p>` +
    `<p style="margin:0 0 12px;font-size:13px;color:#6e6e73;word-break:break-all"><a href="${e(input.url)}" style="color:#0a5c8a">${e(input.url)}</a></p>` +
    `<p style="margin:0 0 4px;font-size:13px;color:#6e6e73">${e(w.secure)}</p>` +
    `<p style="margin:0;font-size:13px;color:#6e6e73">${e(w.ignore)}</p>` +
    `</div></body></html>`;

  return { locale, subject, text, html };
}

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
