import { whatsAppTemplateText } from './whatsapp-template.js';
import type { MessageKind, MessageLocale, TemplateKey, TemplateText } from './template-key.js';

/**
 * The built-in texts (R37), used where a company has not written its own. The link messages are
 * the ones sent before templates existed; a reminder (R35) says the visit is still to be paid.
 */
const EMAIL: Record<MessageKind, Record<MessageLocale, Required<TemplateText>>> = {
  link: {
    en: {
      subject: 'Payment for your visit to {companyName}',
      text: [
        'Hello, {clientFirstName}!',
        '',
        'You can pay for your visit to {companyName} online.',
        'Visit: {date} at {time}',
        'Amount due: {amount}',
        '',
        'Pay online: {link}',
        '',
        'The link opens a secure payment page; you pay on the page of our payment provider.',
        'If you have already paid, please ignore this message.',
        '',
        '— {companyName}',
      ].join('\n'),
    },
    ru: {
      subject: 'Оплата визита в {companyName}',
      text: [
        'Здравствуйте, {clientFirstName}!',
        '',
        'Ваш визит в {companyName} можно оплатить онлайн.',
        'Визит: {date} в {time}',
        'К оплате: {amount}',
        '',
        'Оплатить онлайн: {link}',
        '',
        'Ссылка открывает защищённую страницу оплаты; оплата проходит на странице нашего платёжного провайдера.',
        'Если вы уже оплатили визит, просто не обращайте внимания на это письмо.',
        '',
        '— {companyName}',
      ].join('\n'),
    },
  },
  reminder: {
    en: {
      subject: 'Reminder: payment for your visit to {companyName}',
      text: [
        'Hello, {clientFirstName}!',
        '',
        'A reminder: your visit to {companyName} is still to be paid.',
        'Visit: {date} at {time}',
        'Amount due: {amount}',
        '',
        'Pay online: {link}',
        '',
        'If you have already paid, please ignore this message.',
        '',
        '— {companyName}',
      ].join('\n'),
    },
    ru: {
      subject: 'Напоминание: оплата визита в {companyName}',
      text: [
        'Здравствуйте, {clientFirstName}!',
        '',
        'Напоминаем: визит в {companyName} ещё не оплачен.',
        'Визит: {date} в {time}',
        'К оплате: {amount}',
        '',
        'Оплатить онлайн: {link}',
        '',
        'Если вы уже оплатили визит, просто не обращайте внимания на это письмо.',
        '',
        '— {companyName}',
      ].join('\n'),
    },
  },
};

/** One short line: every character of an SMS costs the salon (a Cyrillic part is 70 characters). */
const SHORT: Record<'sms', Record<MessageKind, Record<MessageLocale, string>>> = {
  sms: {
    link: {
      en: '{companyName}: {amount} to pay for your visit on {date}, {time}. Pay here: {link}',
      ru: '{companyName}: к оплате {amount} за визит {date}, {time}. Оплатить: {link}',
    },
    reminder: {
      en: '{companyName}: reminder, {amount} still to pay for your visit on {date}, {time}. Pay here: {link}',
      ru: '{companyName}: напоминаем, к оплате {amount} за визит {date}, {time}. Оплатить: {link}',
    },
  },
};

export function defaultTemplate(key: TemplateKey): TemplateText {
  if (key.channel === 'email') return { ...EMAIL[key.kind][key.locale] };
  // R36: WhatsApp sends only the template registered with it, for the link and the reminder alike
  if (key.channel === 'whatsapp') return { text: whatsAppTemplateText(key.locale) };
  return { text: SHORT[key.channel][key.kind][key.locale] };
}

/** The label of the email's button when the line that holds the link has no words before it. */
export const DEFAULT_ACTION: Record<MessageLocale, string> = { en: 'Pay online', ru: 'Оплатить онлайн' };
