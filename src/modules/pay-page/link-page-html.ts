import { escapeHtml } from '../../shared/html.js';
import { DEFAULT_LOCALE, linkPageStrings, type LinkPageStrings } from './link-page-i18n.js';
import type { LinkPageView, Locale, PageBrand } from './link-page-view.js';
import { renderTipFields, TIP_STYLE } from './link-page-tips.js';

/** What the return page needs; a full LinkPageView fits. */
export type ReturnPageView = Pick<
  LinkPageView,
  'companyName' | 'payPath' | 'appointmentDateTime' | 'paidNow' | 'paidTip' | 'brand'
>;
export type ReturnOutcome = 'succeeded' | 'failed' | 'processing';

const e = escapeHtml;

/** Form actions and links must stay on our origin: a path, never `//host` or a scheme. */
function localPath(path: string): string {
  if (!/^\/(?!\/)[\w\-./~%]*$/.test(path)) throw new Error('link page paths must be local absolute paths');
  return e(path);
}

// No @-rules on purpose: the page carries no '@' at all, so a test can prove no email leaks into it.
const STYLE = [
  '*{box-sizing:border-box}',
  'html{-webkit-text-size-adjust:100%;background:#f3f4f6}',
  'body{margin:0;color:#111827;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}',
  'main{max-width:30rem;margin:0 auto;padding:1rem .75rem 2rem}',
  '.card{background:#fff;border-radius:14px;padding:1.25rem 1rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}',
  '.company{margin:0;color:#374151;font-weight:600}',
  '.brand{display:flex;align-items:center;gap:.75rem;margin:0 0 .5rem}.logo{display:block;height:3rem;width:auto;max-width:45%;object-fit:contain}',
  '.contact{margin:0;font-size:.875rem;color:#4b5563;overflow-wrap:anywhere}',
  'h1{margin:.25rem 0 .75rem;font-size:1.5rem;line-height:1.25}',
  'p{margin:0 0 .75rem}',
  'dl{margin:0 0 1rem}',
  '.visit{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}',
  'dt{color:#4b5563}dd{margin:0;font-weight:600;overflow-wrap:anywhere}',
  'table{width:100%;border-collapse:collapse;margin:0 0 1rem}',
  'th,td{padding:.5rem 0;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top;overflow-wrap:anywhere}',
  'th{font-size:.875rem;color:#4b5563;font-weight:600}',
  '.n{text-align:right;white-space:nowrap;padding-left:.75rem;font-variant-numeric:tabular-nums}',
  '.sums div{display:flex;justify-content:space-between;gap:1rem;padding:.25rem 0}',
  '.sums dd{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}',
  '.sums .due{font-size:1.25rem;font-weight:700;border-top:2px solid #111827;margin-top:.25rem;padding-top:.5rem}',
  '.due dt{color:#111827}',
  '.btn{display:block;width:100%;min-height:3.25rem;padding:.875rem 1rem;border:0;border-radius:12px;background:#1d4ed8;' +
    'color:#fff;font:inherit;font-size:1.125rem;font-weight:700;text-align:center;text-decoration:none;cursor:pointer}',
  '.btn:focus-visible,input:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}',
  'label{display:block;font-weight:600;margin-bottom:.25rem}',
  'input{display:block;width:100%;min-height:3rem;padding:.75rem;border:1px solid #6b7280;border-radius:10px;font:inherit;color:#111827;background:#fff}',
  '.hint{font-size:.875rem;color:#4b5563;margin:.25rem 0 1rem}',
  '.msg{margin:0 0 1rem;padding:.75rem;border-radius:10px;border-left:4px solid}',
  '.msg p:last-child{margin:0}h2{margin:0 0 .25rem;font-size:1.125rem}',
  '.error{color:#991b1b;background:#fef2f2}',
  '.info{color:#1e3a8a;background:#eff6ff}',
  '.ok{color:#14532d;background:#f0fdf4}',
  '.note{font-size:.875rem;color:#4b5563;text-align:center;margin:.75rem 0 0}',
  TIP_STYLE,
].join('');

/** R39: the accent colour on the button and the card's top edge; only a stored `#rrggbb` gets in. */
function accentStyle(brand: PageBrand | undefined): string {
  const accent = brand?.accentColor;
  if (!accent || !/^#[0-9a-f]{6}$/.test(accent)) return '';
  // more specific than the page style that follows it in the head
  return `<style>.card .btn{background:${accent}}main .card{border-top:4px solid ${accent}}</style>`;
}

/**
 * R39: the company's header — logo (its own hashed path on our origin), name and contact line.
 * The logo is decorative beside the name (alt=""). An '@' in the contact line is written as a
 * character reference, so the page's source still carries none.
 */
function brandHeader(companyName: string, brand: PageBrand | undefined): string {
  const logo = brand?.logo
    ? `<img class="logo" src="${localPath(brand.logo.path)}" alt="" width="${String(brand.logo.width)}" height="${String(brand.logo.height)}">`
    : '';
  const contact = brand?.contactLine
    ? `<p class="contact" id="company-contact">${e(brand.contactLine).replaceAll('@', '&#64;')}</p>`
    : '';
  const name = `<p class="company">${e(companyName)}</p>`;
  return logo || contact ? `<header class="brand">${logo}<div>${name}${contact}</div></header>` : name;
}

function layout(locale: Locale, title: string, body: string, extraHead = ''): string {
  return (
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    '<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">' +
    // An empty icon keeps browsers from fetching /favicon.ico.
    `<link rel="icon" href="data:,">${extraHead}<title>${e(title)}</title><style>${STYLE}</style></head>` +
    `<body><main><div class="card">${body}</div></main></body></html>`
  );
}

function row(label: string, value: string, cls = ''): string {
  return `<div${cls ? ` class="${cls}"` : ''}><dt>${e(label)}</dt><dd>${e(value)}</dd></div>`;
}

function summary(view: LinkPageView, t: LinkPageStrings, showAmountNow: boolean): string {
  const items = view.items
    .map(
      (i) => `<tr><td>${e(i.title)}</td><td class="n">${String(i.quantity)}</td><td class="n">${e(i.total)}</td></tr>`,
    )
    .join('');
  return (
    `<dl class="visit"><dt>${e(t.dateTime)}</dt><dd>${e(view.appointmentDateTime)}</dd>` +
    `<dt>${e(t.staff)}</dt><dd>${e(view.staffName)}</dd></dl>` +
    `<table><thead><tr><th scope="col">${e(t.item)}</th><th scope="col" class="n">${e(t.quantity)}</th>` +
    `<th scope="col" class="n">${e(t.lineTotal)}</th></tr></thead><tbody>${items}</tbody></table>` +
    '<dl class="sums">' +
    row(t.total, view.total) +
    row(t.alreadyPaid, view.alreadyPaid) +
    (showAmountNow ? row(t.amountNow, view.amountNow, 'due') : '') +
    '</dl>' +
    (showAmountNow ? fixedNote(view, t) : '')
  );
}

/** A link for a fixed amount says which part of the visit it is for, and where the rest is paid. */
function fixedNote(view: LinkPageView, t: LinkPageStrings): string {
  if (!view.fixed) return '';
  const remaining = view.fixed.remaining ? ` ${t.fixedRemaining(view.fixed.remaining, view.companyName)}` : '';
  return `<p class="msg info" id="fixed-part">${e(t.fixedPart(view.fixed.amount, view.total) + remaining)}</p>`;
}

function payForm(view: LinkPageView, t: LinkPageStrings): string {
  const error = view.error ? `<p class="msg error" id="pay-error" role="alert">${e(view.error)}</p>` : '';
  const described = view.error
    ? 'aria-describedby="pay-error contact-hint" aria-invalid="true"'
    : 'aria-describedby="contact-hint"';
  const value = view.contact ? ` value="${e(view.contact)}"` : '';
  const contact = view.needsContact
    ? `<label for="contact">${e(t.contactLabel)}</label>` +
      '<input id="contact" name="contact" type="text" inputmode="email" autocomplete="email" autocapitalize="off" ' +
      `spellcheck="false" maxlength="254" required ${described}${value}>` +
      `<p class="hint" id="contact-hint">${e(t.contactHint)}</p>`
    : '';
  const label = view.state === 'paying' ? t.continuePayment : (view.tips?.payLabel ?? t.pay(view.amountNow));
  return (
    `<form method="post" action="${localPath(view.payPath)}">${error}${contact}${emailField(view, t)}` +
    (view.tips ? renderTipFields(view.tips) : '') +
    `<button class="btn" type="submit">${e(label)}</button></form>` +
    `<p class="note">${e(t.secureNote)}</p>`
  );
}

/** R41: an optional email for the payment confirmation, for a client the salon has none of. */
function emailField(view: LinkPageView, t: LinkPageStrings): string {
  if (!view.askEmail || view.needsContact) return '';
  const value = view.email ? ` value="${e(view.email)}"` : '';
  return (
    `<label for="email">${e(t.emailLabel)}</label>` +
    '<input id="email" name="email" type="email" inputmode="email" autocomplete="email" autocapitalize="off" ' +
    `spellcheck="false" maxlength="254" aria-describedby="email-hint"${value}>` +
    `<p class="hint" id="email-hint">${e(t.emailHint)}</p>`
  );
}

function stateBlock(view: LinkPageView, t: LinkPageStrings): string {
  switch (view.state) {
    case 'payable':
      return payForm(view, t);
    case 'paying': {
      const notice = view.attemptExpiresAt ? `<p class="msg info">${e(t.payingNotice(view.attemptExpiresAt))}</p>` : '';
      return notice + payForm(view, t);
    }
    case 'paid': {
      const remaining = view.fixed?.remaining;
      if (remaining)
        return (
          `<div class="msg ok" role="status"><h2>${e(t.partPaidHeading)}</h2>` +
          `<p>${e(`${t.fixedPart(view.fixed!.amount, view.total)} ${t.fixedRemaining(remaining, view.companyName)}`)}</p></div>`
        );
      return `<div class="msg ok" role="status"><h2>${e(t.paidHeading)}</h2><p>${e(t.paidText)}</p></div>`;
    }
    case 'unavailable': {
      const m = t.unavailable[view.unavailableReason ?? 'switched_off'];
      return `<div class="msg info" role="status"><h2>${e(m.heading)}</h2><p>${e(m.text)}</p></div>`;
    }
  }
}

/** The public page of a payment link (R7, R8, R26, R30): plain HTML, one inline style, no script. */
export function renderLinkPage(view: LinkPageView, locale: Locale): string {
  const t = linkPageStrings(locale);
  const payable = view.state === 'payable' || view.state === 'paying';
  const greeting = view.clientFirstName ? t.greeting(view.clientFirstName) : t.greetingAnonymous;
  const body =
    `${brandHeader(view.companyName, view.brand)}<h1>${e(t.heading)}</h1><p>${e(greeting)}</p>` +
    summary(view, t, payable) +
    stateBlock(view, t);
  return layout(locale, `${t.pageTitle} · ${view.companyName}`, body, accentStyle(view.brand));
}

/**
 * Where the provider sends the client back. The outcome, once known, is said at once; while it is
 * unknown there is no way back to Pay (a second payment could start beside the first), only "Check
 * again", and the page refreshes itself (no script) to `?look=nextLook` until nextLook runs out.
 */
export function renderReturnPage(
  view: ReturnPageView,
  locale: Locale,
  outcome: ReturnOutcome,
  options: { nextLook?: number | undefined } = {},
): string {
  const t = linkPageStrings(locale);
  const refreshing = outcome === 'processing' && options.nextLook !== undefined;
  const m = {
    succeeded: t.returnSucceeded,
    failed: t.returnFailed,
    processing: refreshing ? t.returnProcessing : t.returnStillProcessing,
  }[outcome];
  const cls = { succeeded: 'ok', failed: 'error', processing: 'info' }[outcome];
  const returnPath = `${localPath(view.payPath)}/return`;
  const action = {
    succeeded: '',
    failed: `<a class="btn" href="${localPath(view.payPath)}">${e(t.backToPayment)}</a>`,
    processing: `<a class="btn" href="${returnPath}">${e(t.checkAgain)}</a>`,
  }[outcome];
  const confirmation =
    outcome === 'succeeded' && view.paidNow
      ? `<p data-paid>${e(t.returnPaidFor(view.paidNow, view.appointmentDateTime, view.paidTip))}</p>`
      : '';
  const body =
    `${brandHeader(view.companyName, view.brand)}<p>${e(view.appointmentDateTime)}</p>` +
    `<div class="msg ${cls}" role="status"><h1>${e(m.heading)}</h1>${confirmation}<p>${e(m.text)}</p></div>${action}`;
  const refresh = refreshing
    ? `<meta http-equiv="refresh" content="3;url=${returnPath}?look=${String(options.nextLook)}">`
    : '';
  return layout(locale, `${t.pageTitle} · ${view.companyName}`, body, refresh + accentStyle(view.brand));
}

/** R6: the same bytes for every unknown token — nothing from the request is in it. */
export function renderNotFoundPage(locale: Locale = DEFAULT_LOCALE): string {
  const t = linkPageStrings(locale);
  return layout(locale, t.notFoundHeading, `<h1>${e(t.notFoundHeading)}</h1><p>${e(t.notFoundText)}</p>`);
}

/** A request the client's pages could not serve, as a page rather than JSON: the client is in a browser. */
export function renderRequestErrorPage(locale: Locale, kind: 'badRequest' | 'serverError', backPath?: string): string {
  const t = linkPageStrings(locale);
  const m = t[kind];
  const back = backPath ? `<a class="btn" href="${localPath(backPath)}">${e(t.backToPayment)}</a>` : '';
  return layout(
    locale,
    m.heading,
    `<div class="msg error" role="alert"><h1>${e(m.heading)}</h1><p>${e(m.text)}</p></div>${back}`,
  );
}
