import type { Receipt } from '../../providers/port.js';
import type { Fiscalization } from '../cashless/domain/fiscalization.js';
import { buildReceipt, type ReceiptItemKind } from './domain/receipt-builder.js';

/** An appointment item as the ledger keeps it. */
interface LedgerItem {
  title: string;
  quantity: number;
  unit_price: number;
  kind: string;
  product_kind: string | null;
  vat: string;
  tax_system: string;
}

/**
 * R24–R26: the fiscal receipt an attempt carries when the online cash register is on, built once
 * when Pay decides the amount and stored with the attempt, so every retry of the provider call
 * sends the very same body under the same idempotency key.
 */
export function receiptForAttempt(input: {
  fiscalization: Fiscalization;
  items: readonly LedgerItem[];
  amount: number;
  alreadyPaid: number;
  visitStartsAt: Date;
  now: Date;
  client: { email: string | null; phone: string | null };
  /** what the client typed on the link page (R26), already validated */
  contact?: string | undefined;
}): Receipt | undefined {
  if (!input.fiscalization.enabled) return undefined;
  return buildReceipt({
    items: input.items.map((i) => ({
      title: i.title,
      quantity: i.quantity,
      unitPrice: i.unit_price,
      kind: (i.kind === 'service' ? 'service' : (i.product_kind ?? 'goods')) as ReceiptItemKind,
      vat: i.vat,
      taxSystem: i.tax_system,
    })),
    amount: input.amount,
    alreadyPaid: input.alreadyPaid,
    visitStartsAt: input.visitStartsAt,
    now: input.now,
    customer: customerOf(input.fiscalization, input.client, input.contact),
  });
}

function customerOf(
  fiscalization: Fiscalization,
  client: { email: string | null; phone: string | null },
  contact: string | undefined,
) {
  if (contact) return contact.includes('@') ? { email: contact } : { phone: contact };
  const email = client.email ?? undefined;
  const phone = client.phone ?? undefined;
  if (fiscalization.delivery === 'phone' && phone) return { phone };
  if (fiscalization.delivery === 'email' && email) return { email };
  return email ? { email } : { phone };
}
