import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/shared/html.js';
import {
  renderLinkPage,
  renderNotFoundPage,
  renderReturnPage,
  type ReturnOutcome,
} from '../../src/modules/pay-page/link-page-html.js';
import { linkPageStrings, pickLocale } from '../../src/modules/pay-page/link-page-i18n.js';
import type { LinkPageState, LinkPageView, Locale } from '../../src/modules/pay-page/link-page-view.js';

const LOCALES: Locale[] = ['en', 'ru'];
const REASONS = ['switched_off', 'disabled', 'cancelled', 'nothing_due'] as const;

function view(overrides: Partial<LinkPageView> = {}): LinkPageView {
  return {
    state: 'payable',
    payPath: '/pay/Abc_123-xyz',
    companyName: 'Studio Aurora',
    appointmentDateTime: '12 March 2025, 14:30',
    staffName: 'Maria Petrova',
    clientFirstName: 'Anna',
    items: [
      { title: 'Haircut', quantity: 1, total: '$50.00' },
      { title: 'Shampoo 250 ml', quantity: 2, total: '$24.00' },
    ],
    total: '$74.00',
    alreadyPaid: '$20.00',
    amountNow: '$54.00',
    needsContact: false,
    ...overrides,
  };
}

const FORM = '<form method="post" action="/pay/Abc_123-xyz">';

function everyPage(): { name: string; html: string }[] {
  const pages: { name: string; html: string }[] = [];
  for (const locale of LOCALES) {
    for (const state of ['payable', 'paying', 'paid'] as LinkPageState[]) {
      pages.push({
        name: `${state} ${locale}`,
        html: renderLinkPage(view({ state, attemptExpiresAt: '15:10' }), locale),
      });
    }
    for (const reason of REASONS) {
      pages.push({
        name: `unavailable ${reason} ${locale}`,
        html: renderLinkPage(view({ state: 'unavailable', unavailableReason: reason }), locale),
      });
    }
    pages.push({
      name: `contact ${locale}`,
      html: renderLinkPage(view({ needsContact: true, error: 'Enter a valid email or phone' }), locale),
    });
    for (const outcome of ['succeeded', 'failed', 'processing'] as ReturnOutcome[]) {
      pages.push({
        name: `return ${outcome} ${locale}`,
        html: renderReturnPage(view(), locale, outcome, { nextLook: 1 }),
      });
    }
    pages.push({ name: `not found ${locale}`, html: renderNotFoundPage(locale) });
  }
  return pages;
}

function expectVisitDetails(html: string, locale: Locale): void {
  const t = linkPageStrings(locale);
  for (const text of ['Studio Aurora', '12 March 2025, 14:30', 'Maria Petrova', 'Anna', 'Haircut', 'Shampoo 250 ml']) {
    expect(html).toContain(text);
  }
  expect(html).toContain('<td class="n">2</td><td class="n">$24.00</td>');
  expect(html).toContain(`<dt>${t.total}</dt><dd>$74.00</dd>`);
  expect(html).toContain(`<dt>${t.alreadyPaid}</dt><dd>$20.00</dd>`);
}

describe('link page', () => {
  it.each(LOCALES)('R8 payable page (%s) shows the visit, totals, amount now and a Pay form', (locale) => {
    const t = linkPageStrings(locale);
    const html = renderLinkPage(view(), locale);
    expectVisitDetails(html, locale);
    expect(html).toContain(`<dt>${t.amountNow}</dt><dd>$54.00</dd>`);
    expect(html).toContain(FORM);
    expect(html).toContain(`<button class="btn" type="submit">${t.pay('$54.00')}</button>`);
    expect(html).not.toContain('name="contact"');
    expect(html).toContain(`<html lang="${locale}">`);
  });

  it.each(LOCALES)('R10 paying page (%s) offers to continue the attempt until its expiry', (locale) => {
    const t = linkPageStrings(locale);
    const html = renderLinkPage(view({ state: 'paying', attemptExpiresAt: '15:10' }), locale);
    expectVisitDetails(html, locale);
    expect(html).toContain(`<dt>${t.amountNow}</dt><dd>$54.00</dd>`);
    expect(html).toContain(FORM);
    expect(html).toContain(`>${t.continuePayment}</button>`);
    expect(html).toContain(t.payingNotice('15:10'));
    expect(html).toContain('15:10');
  });

  it.each(LOCALES)('R12 paid page (%s) shows a confirmation and no Pay form', (locale) => {
    const t = linkPageStrings(locale);
    const html = renderLinkPage(view({ state: 'paid', amountNow: '$0.00', alreadyPaid: '$74.00' }), locale);
    expect(html).toContain(t.paidHeading);
    expect(html).toContain('Studio Aurora');
    expect(html).not.toContain('<form');
    expect(html).not.toContain('<button');
    expect(html).not.toContain(t.amountNow);
  });

  it('R1 switched-off page says payments by link are currently unavailable, in both languages', () => {
    const en = renderLinkPage(view({ state: 'unavailable', unavailableReason: 'switched_off' }), 'en');
    const ru = renderLinkPage(view({ state: 'unavailable', unavailableReason: 'switched_off' }), 'ru');
    expect(en).toContain('Payments by link are currently unavailable');
    expect(ru).toContain('Оплата по ссылке сейчас недоступна');
    for (const html of [en, ru]) expect(html).not.toContain('<form');
  });

  it.each(LOCALES)('R8 unavailable page (%s) explains each reason and has no Pay form', (locale) => {
    const t = linkPageStrings(locale);
    const seen = new Set<string>();
    for (const reason of REASONS) {
      const html = renderLinkPage(view({ state: 'unavailable', unavailableReason: reason }), locale);
      expect(html).toContain(t.unavailable[reason].heading);
      expect(html).not.toContain('<form');
      expect(html).not.toContain('<button');
      expect(html).not.toContain(t.amountNow);
      seen.add(t.unavailable[reason].heading);
    }
    expect(seen.size).toBe(REASONS.length);
  });

  it.each(LOCALES)('R26 (%s) asks for an email or phone, with input hints and the error above the field', (locale) => {
    const t = linkPageStrings(locale);
    const html = renderLinkPage(
      view({ needsContact: true, error: 'Enter a valid email or phone', contact: 'anna' }),
      locale,
    );
    expect(html).toContain(FORM);
    const input = html.indexOf('<input id="contact" name="contact"');
    const error = html.indexOf('Enter a valid email or phone');
    expect(input).toBeGreaterThan(0);
    expect(error).toBeGreaterThan(0);
    expect(error).toBeLessThan(input);
    expect(error).toBeGreaterThan(html.indexOf(FORM));
    expect(html).toContain(t.contactLabel);
    expect(html).toMatch(/<input [^>]*inputmode="email"[^>]*>/);
    expect(html).toMatch(/<input [^>]*autocomplete="email"[^>]*>/);
    expect(html).toMatch(/<input [^>]*aria-invalid="true"[^>]*value="anna">/);
    expect(html.indexOf('<button')).toBeGreaterThan(input);
  });

  it('R8 no page carries an email address, phone link or anything but the first name', () => {
    for (const { name, html } of everyPage()) {
      expect(html, name).not.toContain('@');
      expect(html, name).not.toMatch(/mailto:|tel:/);
    }
  });

  it('escapes every interpolated value', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const hostile = view({
      companyName: '<script>alert(1)</script>',
      staffName: '"><script>alert(2)</script>',
      clientFirstName: '<img src=x onerror=alert(3)>',
      appointmentDateTime: '</dd><script>',
      items: [{ title: '</td><script>alert(4)</script>', quantity: 1, total: '<b>$1</b>' }],
      total: "'<i>",
      needsContact: true,
      error: '<script>alert(5)</script>',
      contact: '"><script>alert(6)</script>',
    });
    for (const locale of LOCALES) {
      for (const state of ['payable', 'paying', 'paid', 'unavailable'] as LinkPageState[]) {
        const html = renderLinkPage({ ...hostile, state, attemptExpiresAt: '<script>' }, locale);
        expect(html).not.toMatch(/<script|<img|<b>|<i>/i);
        expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
        expect(html).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
      }
      const back = renderReturnPage(hostile, locale, 'failed');
      expect(back).not.toMatch(/<script/i);
      expect(back).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('refuses a form action or link that leaves the origin', () => {
    for (const payPath of ['//evil.example/pay', 'javascript:alert(1)', 'https://evil.example/', '/pay/"x']) {
      expect(() => renderLinkPage(view({ payPath }), 'en')).toThrow();
      expect(() => renderReturnPage(view({ payPath }), 'en', 'failed')).toThrow();
    }
  });

  it('R30 pages work without JavaScript and load nothing from anywhere', () => {
    for (const { name, html } of everyPage()) {
      expect(html, name).not.toMatch(/<script|\son[a-z]+=|javascript:/i);
      expect(html, name).not.toMatch(/\ssrc=|url\(|<iframe|<object|<embed|http:|https:/i);
      for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href, name).toMatch(/^(\/(?!\/)|data:,$)/);
      expect(html.match(/<link /g) ?? [], name).toHaveLength(1);
      expect(html, name).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
      expect(html, name).toContain('<meta name="robots" content="noindex">');
      expect(html, name).toContain('<meta charset="utf-8">');
      expect(html, name).toMatch(/^<!doctype html><html lang="(en|ru)">/);
    }
  });

  it.each(LOCALES)('§7 page with 50 long items stays under 30 KB (%s)', (locale) => {
    const items = Array.from({ length: 50 }, (_, i) => ({
      title: `${locale === 'ru' ? 'Окрашивание волос в технике балаяж' : 'Balayage hair colouring, long hair'} №${i + 1} & care`,
      quantity: 10 + i,
      total: '1 234 567,89 ₽',
    }));
    const html = renderLinkPage(
      view({ items, needsContact: true, error: 'x'.repeat(200), state: 'paying', attemptExpiresAt: '15:10' }),
      locale,
    );
    expect(Buffer.byteLength(html, 'utf8')).toBeLessThan(30 * 1024);
    expect(html.match(/<tr>/g)).toHaveLength(51);
  });
});

describe('a link for a fixed amount', () => {
  it.each(LOCALES)('R9 (%s) says which part it is for, where the rest is paid, and that the part is paid', (locale) => {
    const t = linkPageStrings(locale);
    const fixed = { amount: '€30.00', remaining: '€11.00' };
    const payable = renderLinkPage(view({ total: '€61.00', fixed }), locale);
    const part = `${t.fixedPart('€30.00', '€61.00')} ${t.fixedRemaining('€11.00', 'Studio Aurora')}`;
    expect(payable).toContain(`<p class="msg info" id="fixed-part">${part}</p>`);
    const whole = renderLinkPage(view({ total: '€61.00', fixed: { amount: '€41.00', remaining: null } }), locale);
    expect(whole).toContain(`id="fixed-part">${t.fixedPart('€41.00', '€61.00')}</p>`);
    const paid = renderLinkPage(view({ state: 'paid', total: '€61.00', fixed }), locale);
    expect(paid).toContain(t.partPaidHeading);
    expect(paid).toContain(part);
    expect(paid).not.toContain(t.paidHeading);
    const allPaid = renderLinkPage(view({ state: 'paid', fixed: { amount: '€30.00', remaining: null } }), locale);
    expect(allPaid).toContain(t.paidHeading);
    expect(renderLinkPage(view(), locale)).not.toContain('fixed-part');
  });
});

describe('return page', () => {
  it.each(LOCALES)('R17 return page (%s) thanks, retries or waits by outcome', (locale) => {
    const t = linkPageStrings(locale);
    const ok = renderReturnPage(view(), locale, 'succeeded');
    const failed = renderReturnPage(view(), locale, 'failed');
    const processing = renderReturnPage(view(), locale, 'processing', { nextLook: 1 });
    const stillProcessing = renderReturnPage(view(), locale, 'processing');
    expect(ok).toContain(t.returnSucceeded.heading);
    expect(failed).toContain(t.returnFailed.heading);
    expect(processing).toContain(t.returnProcessing.heading);
    expect(stillProcessing).toContain(t.returnStillProcessing.heading);
    for (const html of [ok, failed, processing, stillProcessing]) {
      expect(html).toContain('Studio Aurora');
      expect(html).not.toContain('<form');
    }
    expect(ok).not.toContain('href="/pay/');
    expect(failed).toContain(`<a class="btn" href="/pay/Abc_123-xyz">${t.backToPayment}</a>`);
    // while the outcome is unknown there is no way back to Pay, only "Check again" on this page
    for (const html of [processing, stillProcessing]) {
      expect(html).not.toContain(t.backToPayment);
      expect(html).not.toContain('href="/pay/Abc_123-xyz"');
      expect(html).toContain(`<a class="btn" href="/pay/Abc_123-xyz/return">${t.checkAgain}</a>`);
    }
  });

  it('R30 only the processing page refreshes itself, by a meta tag, a bounded number of times', () => {
    for (const locale of LOCALES) {
      expect(renderReturnPage(view(), locale, 'processing', { nextLook: 4 })).toContain(
        '<meta http-equiv="refresh" content="3;url=/pay/Abc_123-xyz/return?look=4">',
      );
      expect(renderReturnPage(view(), locale, 'processing')).not.toContain('http-equiv');
      expect(renderReturnPage(view(), locale, 'succeeded', { nextLook: 1 })).not.toContain('http-equiv');
      expect(renderReturnPage(view(), locale, 'failed', { nextLook: 1 })).not.toContain('http-equiv');
    }
  });
});

describe('not-found page', () => {
  it('R6 is byte-identical on every call and names no token', () => {
    const first = renderNotFoundPage();
    expect(renderNotFoundPage()).toBe(first);
    expect(renderNotFoundPage('en')).toBe(first);
    expect(first).toContain(linkPageStrings('en').notFoundHeading);
    expect(first).not.toContain('/pay/');
    expect(renderNotFoundPage('ru')).toBe(renderNotFoundPage('ru'));
    expect(renderNotFoundPage('ru')).toContain('Ссылка не найдена');
  });
});

describe('pickLocale', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['ru', 'ru'],
    ['ru-RU', 'ru'],
    ['RU-ru', 'ru'],
    ['ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7', 'ru'],
    ['en-US,en;q=0.9,ru;q=0.8', 'en'],
    ['en;q=0.1, ru;q=0.9', 'ru'],
    ['de-DE, ru;q=0.5, en;q=0.4', 'ru'],
    ['uk-UA,uk;q=0.9,ru;q=0.8', 'ru'],
    ['ru;q=0, en', 'en'],
    ['ru;q=0', 'en'],
    ['en;q=0.5, ru;q=0.5', 'en'],
    ['ru;q=0.5, en;q=0.5', 'ru'],
    ['ru;q=abc, en;q=0.1', 'en'],
    ['russian, rus', 'en'],
    ['fr-FR, de', 'en'],
    ['*', 'en'],
    ['*;q=0.5, ru;q=0.6', 'ru'],
    [' ru-RU ; q=1.0 ', 'ru'],
    ['garbage;;;,,,', 'en'],
  ])('R30 %j → %s', (header, expected) => {
    expect(pickLocale(header)).toBe(expected);
  });
});
