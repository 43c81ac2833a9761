import { escapeHtml } from '../../shared/html.js';
import type { SandboxCheckoutRow } from '../../db/schema-payment-links.js';
import { formatMoney } from '../../shared/money.js';
import type { LineItem } from '../port.js';
import { effectiveStatus } from './sandbox-bank.js';

/** The sandbox bank's hosted page: plain server-rendered HTML, a form, no script. */

export type SandboxPageState = 'payable' | 'paid' | 'declined' | 'expired';

export interface SandboxCheckoutPageView {
  state: SandboxPageState;
  checkoutId: string;
  companyName: string;
  description: string;
  amount: string;
  items: { title: string; quantity: number; amount: string }[];
  completePath: string;
  returnUrl: string;
  /** R39: the merchant's branding */
  brand?: SandboxBrand;
}

export interface SandboxBrand {
  accentColor: string | null;
  contactLine: string | null;
  logo: { path: string; width: number; height: number } | null;
}

export function sandboxCheckoutPageView(
  row: SandboxCheckoutRow,
  companyName: string,
  now: Date,
  brand?: SandboxBrand,
): SandboxCheckoutPageView {
  const raw = effectiveStatus(row, now);
  const state: SandboxPageState = raw === 'open' ? 'payable' : raw;
  const items = Array.isArray(row.line_items) ? (row.line_items as LineItem[]) : [];
  return {
    state,
    checkoutId: row.id,
    companyName,
    description: row.description,
    amount: formatMoney(row.amount, row.currency),
    items: items.map((item) => ({
      title: item.title,
      quantity: item.quantity,
      amount: formatMoney(item.amount, row.currency),
    })),
    completePath: `/sandbox/checkout/${encodeURIComponent(row.id)}/complete`,
    returnUrl: row.return_url,
    ...(brand ? { brand } : {}),
  };
}

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #eef1f5; color: #1d2530; margin: 0; }
  main { max-width: 26rem; margin: 2rem auto; background: #fff; border-radius: 12px; padding: 1.5rem;
         box-shadow: 0 2px 12px rgba(0,0,0,.08); }
  .bank { font-size: .8rem; letter-spacing: .08em; text-transform: uppercase; color: #5b6b7f; }
  .notice { background: #fff5d6; border: 1px solid #f0d27a; border-radius: 6px; padding: .5rem .75rem; font-size: .85rem; }
  h1 { font-size: 1.2rem; margin: .5rem 0; }
  .amount { font-size: 2rem; font-weight: 700; margin: .5rem 0 1rem; }
  table { width: 100%; border-collapse: collapse; font-size: .9rem; margin-bottom: 1rem; }
  td { padding: .3rem 0; border-bottom: 1px solid #eef1f5; } td.num { text-align: right; white-space: nowrap; }
  .actions { display: flex; gap: .75rem; }
  button { flex: 1; font-size: 1rem; padding: .8rem; border-radius: 8px; border: 0; cursor: pointer; }
  .pay { background: #1a7f4b; color: #fff; } .decline { background: #e4e8ee; color: #1d2530; }
  .state { font-size: 1.05rem; font-weight: 600; }
  .logo { display: block; height: 3rem; width: auto; max-width: 60%; margin-top: .75rem; }
  .contact { font-size: .85rem; color: #5b6b7f; margin: 0 0 .5rem; }
`;

const MESSAGES: Record<Exclude<SandboxPageState, 'payable'>, string> = {
  paid: 'This payment has already been paid.',
  declined: 'This payment was declined.',
  expired: 'This payment has expired and can no longer be paid.',
};

/** R39: the merchant's logo and contact line above its name, its colour on Pay (only a stored `#rrggbb`). */
function merchantHeader(view: SandboxCheckoutPageView): string {
  const brand = view.brand;
  const logo =
    brand?.logo && /^\/logos\/[0-9a-f]{64}\.(png|jpg|webp)$/.test(brand.logo.path)
      ? `<img class="logo" src="${brand.logo.path}" alt="" width="${brand.logo.width}" height="${brand.logo.height}">\n`
      : '';
  const contact = brand?.contactLine ? `\n<p class="contact">${escapeHtml(brand.contactLine)}</p>` : '';
  const accent =
    brand?.accentColor && /^#[0-9a-f]{6}$/.test(brand.accentColor)
      ? `\n<style>.actions .pay { background: ${brand.accentColor}; }</style>`
      : '';
  return `${logo}<h1>${escapeHtml(view.companyName)}</h1>${contact}${accent}`;
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<div class="bank">Sandbox Bank</div>
<p class="notice">Test payment: no real money moves.</p>
${body}
</main>
</body>
</html>
`;
}

export function renderSandboxCheckoutPage(view: SandboxCheckoutPageView): string {
  const rows = view.items
    .map(
      (item) =>
        `<tr><td>${escapeHtml(item.title)}${item.quantity !== 1 ? ` × ${item.quantity}` : ''}</td><td class="num">${escapeHtml(item.amount)}</td></tr>`,
    )
    .join('\n');
  const action =
    view.state === 'payable'
      ? `<form method="post" action="${escapeHtml(view.completePath)}">
<div class="actions">
<button class="pay" type="submit" name="outcome" value="succeeded">Pay ${escapeHtml(view.amount)}</button>
<button class="decline" type="submit" name="outcome" value="failed">Decline</button>
</div>
</form>`
      : `<p class="state" data-state="${view.state}">${MESSAGES[view.state]}</p>
<p><a href="${escapeHtml(view.returnUrl)}">Return to ${escapeHtml(view.companyName)}</a></p>`;
  return layout(
    `Pay ${view.companyName}`,
    `${merchantHeader(view)}
<p>${escapeHtml(view.description)}</p>
<div class="amount">${escapeHtml(view.amount)}</div>
${rows ? `<table>\n${rows}\n</table>` : ''}
${action}`,
  );
}

export function renderSandboxNotFoundPage(): string {
  return layout('Payment not found', '<h1>Payment not found</h1>\n<p>This payment does not exist.</p>');
}
