import type { Locale } from './link-page-view.js';

/** Every word the public link pages show, per locale (R30). Values are plain text; the renderer escapes them. */
export interface LinkPageStrings {
  pageTitle: string;
  heading: string;
  greeting: (firstName: string) => string;
  greetingAnonymous: string;
  dateTime: string;
  staff: string;
  item: string;
  quantity: string;
  lineTotal: string;
  total: string;
  alreadyPaid: string;
  amountNow: string;
  pay: (amount: string) => string;
  continuePayment: string;
  payingNotice: (until: string) => string;
  secureNote: string;
  contactLabel: string;
  contactHint: string;
  /** R41 */
  emailLabel: string;
  emailHint: string;
  paidHeading: string;
  paidText: string;
  /** a link for a fixed amount: which part of the visit it is for */
  fixedPart: (amount: string, total: string) => string;
  /** and where the rest is paid */
  fixedRemaining: (remaining: string, company: string) => string;
  /** a fixed-amount link paid while the visit still has something left to pay at the business */
  partPaidHeading: string;
  unavailable: Record<'switched_off' | 'disabled' | 'cancelled' | 'nothing_due', { heading: string; text: string }>;
  returnSucceeded: { heading: string; text: string };
  /** R41: "You paid {amount} for your visit on {date}." */
  returnPaidFor: (amount: string, visit: string, tip?: string) => string;
  returnFailed: { heading: string; text: string };
  returnProcessing: { heading: string; text: string };
  /** the page stopped refreshing itself and the outcome is still unknown */
  returnStillProcessing: { heading: string; text: string };
  checkAgain: string;
  backToPayment: string;
  notFoundHeading: string;
  notFoundText: string;
  /** a request the page could not take (a tampered or oversized form, too many presses) */
  badRequest: { heading: string; text: string };
  serverError: { heading: string; text: string };
}

const en: LinkPageStrings = {
  pageTitle: 'Payment',
  heading: 'Payment for your visit',
  greeting: (name) => `Hello, ${name}!`,
  greetingAnonymous: 'Hello!',
  dateTime: 'Date and time',
  staff: 'Specialist',
  item: 'Service or product',
  quantity: 'Qty',
  lineTotal: 'Amount',
  total: 'Total',
  alreadyPaid: 'Already paid',
  amountNow: 'To pay now',
  pay: (amount) => `Pay ${amount}`,
  continuePayment: 'Continue payment',
  payingNotice: (until) => `A payment has already been started. You can complete it until ${until}.`,
  secureNote: 'You will pay on the secure page of our payment provider.',
  contactLabel: 'Email or phone for the receipt',
  contactHint: 'Used only to send you the receipt.',
  emailLabel: 'Email for the payment confirmation (optional)',
  emailHint: 'We send one email saying what you paid. Leave it empty if you do not need it.',
  paidHeading: 'This visit is paid',
  paidText: 'Thank you! Nothing more to pay by this link.',
  fixedPart: (amount, total) => `This link is for ${amount} of the ${total} total.`,
  fixedRemaining: (remaining, company) => `The remaining ${remaining} is paid at ${company}, not by this link.`,
  partPaidHeading: 'Your part is paid',
  unavailable: {
    switched_off: {
      heading: 'Payments by link are currently unavailable',
      text: 'Please contact the business to pay another way.',
    },
    disabled: {
      heading: 'This payment link is no longer active',
      text: 'If you still need to pay, ask the business for a new link.',
    },
    cancelled: {
      heading: 'This appointment was cancelled',
      text: 'There is nothing to pay by this link.',
    },
    nothing_due: {
      heading: 'Nothing to pay',
      text: 'This appointment has no amount due.',
    },
  },
  returnSucceeded: { heading: 'Thank you! Payment received', text: 'You can close this page.' },
  returnPaidFor: (amount, visit, tip) =>
    `You paid ${amount}${tip ? ` (incl. ${tip} tip)` : ''} for your visit on ${visit}.`,
  returnFailed: { heading: 'Payment not completed', text: 'The payment did not go through. You can try again.' },
  returnProcessing: {
    heading: 'Payment is being processed',
    text: 'This usually takes a few seconds. The page refreshes by itself.',
  },
  returnStillProcessing: {
    heading: 'Payment is still being processed',
    text: 'The payment system has not told us the outcome yet. Check again in a minute: a completed payment is not lost.',
  },
  checkAgain: 'Check again',
  backToPayment: 'Back to payment',
  notFoundHeading: 'Link not found',
  notFoundText: 'Check the link or ask the business for a new one.',
  badRequest: { heading: 'This request could not be handled', text: 'Go back to the payment page and try again.' },
  serverError: {
    heading: 'Something went wrong on our side',
    text: 'Please try again in a minute. A payment you completed is not lost: it is recorded once it reaches us.',
  },
};

const ru: LinkPageStrings = {
  pageTitle: 'Оплата',
  heading: 'Оплата визита',
  greeting: (name) => `Здравствуйте, ${name}!`,
  greetingAnonymous: 'Здравствуйте!',
  dateTime: 'Дата и время',
  staff: 'Специалист',
  item: 'Услуга или товар',
  quantity: 'Кол-во',
  lineTotal: 'Сумма',
  total: 'Итого',
  alreadyPaid: 'Уже оплачено',
  amountNow: 'К оплате сейчас',
  pay: (amount) => `Оплатить ${amount}`,
  continuePayment: 'Продолжить оплату',
  payingNotice: (until) => `Оплата уже начата. Её можно завершить до ${until}.`,
  secureNote: 'Оплата проходит на защищённой странице платёжной системы.',
  contactLabel: 'Email или телефон для чека',
  contactHint: 'Нужен только чтобы отправить вам чек.',
  emailLabel: 'Email для подтверждения оплаты (необязательно)',
  emailHint: 'Пришлём одно письмо о том, что вы оплатили. Можно оставить пустым.',
  paidHeading: 'Визит оплачен',
  paidText: 'Спасибо! По этой ссылке больше ничего оплачивать не нужно.',
  fixedPart: (amount, total) => `Эта ссылка — на ${amount} из общей суммы ${total}.`,
  fixedRemaining: (remaining, company) =>
    `Остаток ${remaining} оплачивается не по этой ссылке, а на месте (${company}).`,
  partPaidHeading: 'Ваша часть оплачена',
  unavailable: {
    switched_off: {
      heading: 'Оплата по ссылке сейчас недоступна',
      text: 'Свяжитесь с компанией, чтобы оплатить другим способом.',
    },
    disabled: {
      heading: 'Эта ссылка на оплату больше не действует',
      text: 'Если оплата ещё нужна, попросите у компании новую ссылку.',
    },
    cancelled: {
      heading: 'Запись отменена',
      text: 'По этой ссылке ничего оплачивать не нужно.',
    },
    nothing_due: {
      heading: 'Оплачивать нечего',
      text: 'По этой записи нет суммы к оплате.',
    },
  },
  returnSucceeded: { heading: 'Спасибо! Оплата получена', text: 'Эту страницу можно закрыть.' },
  returnPaidFor: (amount, visit, tip) =>
    `Вы оплатили ${amount}${tip ? ` (включая чаевые ${tip})` : ''} за визит ${visit}.`,
  returnFailed: { heading: 'Оплата не завершена', text: 'Платёж не прошёл. Можно попробовать ещё раз.' },
  returnProcessing: {
    heading: 'Платёж обрабатывается',
    text: 'Обычно это занимает несколько секунд. Страница обновится сама.',
  },
  returnStillProcessing: {
    heading: 'Платёж ещё обрабатывается',
    text: 'Платёжная система пока не сообщила результат. Проверьте ещё раз через минуту: завершённая оплата не потеряется.',
  },
  checkAgain: 'Проверить ещё раз',
  backToPayment: 'Вернуться к оплате',
  notFoundHeading: 'Ссылка не найдена',
  notFoundText: 'Проверьте ссылку или попросите новую у компании.',
  badRequest: { heading: 'Не удалось обработать запрос', text: 'Вернитесь на страницу оплаты и попробуйте ещё раз.' },
  serverError: {
    heading: 'Что-то пошло не так на нашей стороне',
    text: 'Попробуйте ещё раз через минуту. Завершённая оплата не потеряется: она будет учтена, как только дойдёт до нас.',
  },
};

const STRINGS: Record<Locale, LinkPageStrings> = { en, ru };
const SUPPORTED: readonly Locale[] = ['en', 'ru'];
export const DEFAULT_LOCALE: Locale = 'en';

export function linkPageStrings(locale: Locale): LinkPageStrings {
  return STRINGS[locale];
}

/** RFC 9110 qvalue; a missing q means 1, a malformed one drops the range. */
function qValue(params: readonly string[]): number {
  for (const param of params) {
    const [name = '', value = ''] = param.split('=', 2).map((s) => s.trim());
    if (name.toLowerCase() !== 'q') continue;
    return /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : 0;
  }
  return 1;
}

/**
 * The page language from an `Accept-Language` header (R30): the supported language with the highest
 * q-value, the earlier one on a tie; `ru-RU` counts as `ru`; English when nothing supported is asked for.
 */
export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  let best = DEFAULT_LOCALE;
  let bestQ = 0;
  // A real header has a handful of ranges; the cap keeps a hostile one cheap.
  for (const range of acceptLanguage.split(',', 32)) {
    const [rawTag = '', ...params] = range.split(';');
    const tag = rawTag.trim().toLowerCase();
    const locale = SUPPORTED.find((l) => tag === l || tag.startsWith(`${l}-`));
    if (!locale) continue;
    const q = qValue(params);
    if (q > bestQ) {
      best = locale;
      bestQ = q;
    }
  }
  return best;
}
