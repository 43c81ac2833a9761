import type { LineItem } from '../../../providers/port.js';
import { allocate, formatMoney } from '../../../shared/money.js';

/** The visit as the client knows it: when, in which zone, in whose words and money. */
export interface VisitFacts {
  /** unknown only for a visit deleted since (the line then names no date) */
  startsAt: Date | undefined;
  timezone: string;
  locale: 'en' | 'ru';
  currency: string;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function shortDate(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone });
    dateFormats.set(key, format);
  }
  return format;
}

/** A part of the visit's total, in one line: "Payment towards your visit on 7 Dec — €41.00 of €61.00". */
export function partialPaymentLine(amount: number, total: number, visit: VisitFacts): string {
  const intl = visit.locale === 'ru' ? 'ru-RU' : 'en-GB';
  const date = visit.startsAt ? shortDate(intl, visit.timezone).format(visit.startsAt) : undefined;
  const money = (value: number) => formatMoney(value, visit.currency, intl);
  return visit.locale === 'ru'
    ? `Оплата в счёт визита${date ? ` ${date}` : ''} — ${money(amount)} из ${money(total)}`
    : `Payment towards your visit${date ? ` on ${date}` : ''} — ${money(amount)} of ${money(total)}`;
}

/**
 * The lines the provider shows the client on its page (display only: the fiscal receipt keeps its
 * own allocated lines, R25). The whole visit: its items as the client saw them. A part of it (the
 * rest paid at the desk, or a link for a fixed amount): one line saying so, since the items scaled
 * down to the part would match nothing the client saw.
 */
export function providerLinesOf(
  amount: number,
  items: readonly { title: string; quantity: number; unit_price: number }[],
  visit: VisitFacts,
): { lines: LineItem[]; partial: boolean } {
  const totals = items.map((i) => i.unit_price * i.quantity);
  const total = totals.reduce((s, v) => s + v, 0);
  if (amount !== total && total > 0)
    return {
      lines: [{ title: partialPaymentLine(amount, total, visit), quantity: 1, amount }],
      partial: true,
    };
  const parts = allocate(amount, totals);
  return {
    lines: items
      .map((i, k) => ({ title: i.title, quantity: i.quantity, amount: parts[k]! }))
      .filter((l) => l.amount > 0),
    partial: false,
  };
}

/** R40: the tip as its own line on the provider's page, so the lines still sum to the charge. */
export function tipLine(tip: number, locale: 'en' | 'ru'): LineItem {
  return { title: locale === 'ru' ? 'Чаевые' : 'Tip', quantity: 1, amount: tip };
}
