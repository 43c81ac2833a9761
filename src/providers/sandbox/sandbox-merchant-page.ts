import { escapeHtml } from '../../shared/html.js';
import { currencyExponent, formatMoney, toDecimalString } from '../../shared/money.js';

/**
 * R32: the sandbox bank's merchant page, as a real provider's dashboard: the company's paid
 * checkouts with what is left to refund, and a Refund form for each. A refund made here is the
 * bank's own, not a refund request of Visitpay's; the bank notifies Visitpay of it.
 */

export interface MerchantCheckout {
  id: string;
  amount: number;
  currency: string;
  refunded: number;
  description: string;
}

export interface MerchantPageView {
  companyName: string;
  checkouts: MerchantCheckout[];
  /** where each checkout's Refund form posts, by checkout id */
  refundPath: (checkoutId: string) => string;
  /** the session's CSRF token for cookie sessions (absent for API tokens) */
  csrf?: string | undefined;
  message?: { kind: 'done' | 'error'; text: string } | undefined;
}

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #eef1f5; color: #1d2530; margin: 0; }
  main { max-width: 44rem; margin: 2rem auto; background: #fff; border-radius: 12px; padding: 1.5rem;
         box-shadow: 0 2px 12px rgba(0,0,0,.08); }
  .bank { font-size: .8rem; letter-spacing: .08em; text-transform: uppercase; color: #5b6b7f; }
  .notice { background: #fff5d6; border: 1px solid #f0d27a; border-radius: 6px; padding: .5rem .75rem; font-size: .85rem; }
  .done { background: #e3f5ea; border: 1px solid #9bd3b0; border-radius: 6px; padding: .5rem .75rem; }
  .error { background: #fde8e8; border: 1px solid #f1a9a9; border-radius: 6px; padding: .5rem .75rem; }
  table { width: 100%; border-collapse: collapse; font-size: .9rem; }
  th, td { padding: .4rem .3rem; border-bottom: 1px solid #eef1f5; text-align: left; } .num { text-align: right; white-space: nowrap; }
  input { width: 6rem; padding: .3rem; } button { padding: .35rem .8rem; border-radius: 6px; border: 0; background: #b42318; color: #fff; cursor: pointer; }
`;

export function renderMerchantPage(view: MerchantPageView): string {
  const rows = view.checkouts
    .map((c) => {
      const left = c.amount - c.refunded;
      const form =
        left > 0
          ? `<form method="post" action="${escapeHtml(view.refundPath(c.id))}">
${view.csrf ? `<input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">` : ''}
<input name="amount" inputmode="decimal" required aria-label="Amount to refund" value="${escapeHtml(toDecimalString(left, currencyExponent(c.currency)))}">
<button type="submit">Refund</button>
</form>`
          : 'Refunded in full';
      return `<tr data-checkout="${escapeHtml(c.id)}"><td>${escapeHtml(c.description)}<br><small>${escapeHtml(c.id)}</small></td>
<td class="num">${escapeHtml(formatMoney(c.amount, c.currency))}</td>
<td class="num" data-left="${left}">${escapeHtml(formatMoney(left, c.currency))}</td>
<td>${form}</td></tr>`;
    })
    .join('\n');
  const message = view.message
    ? `<p class="${view.message.kind}" role="status">${escapeHtml(view.message.text)}</p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Sandbox Bank — ${escapeHtml(view.companyName)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<div class="bank">Sandbox Bank · merchant</div>
<h1>${escapeHtml(view.companyName)}</h1>
<p class="notice">Test money only. A refund made here is the bank's own, as in a provider's dashboard: the bank notifies Visitpay, which books it as refunded at the provider.</p>
${message}
${
  rows
    ? `<table>
<thead><tr><th>Payment</th><th class="num">Paid</th><th class="num">Left to refund</th><th></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
    : '<p>No paid payments yet.</p>'
}
</main>
</body>
</html>
`;
}
