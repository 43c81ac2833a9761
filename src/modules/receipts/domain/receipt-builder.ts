import type { Receipt } from '../../../providers/port.js';
import { DomainError } from '../../../shared/errors.js';
import { allocate, assertMinorUnits, multiply, sum } from '../../../shared/money.js';

/** What an appointment line is, for the receipt's `payment_subject` (R25). */
export type ReceiptItemKind = 'service' | 'goods' | 'membership' | 'gift_card';

export interface ReceiptItemInput {
  title: string;
  quantity: number;
  /** minor units per piece */
  unitPrice: number;
  kind: ReceiptItemKind;
  /** one of VAT_CODES (catalog/domain/taxation.ts) */
  vat: string;
  /** one of the company country's taxation systems; every item of one receipt shares it (R23) */
  taxSystem: string;
}

export interface BuildReceiptInput {
  /** the appointment's items, in their display order */
  items: readonly ReceiptItemInput[];
  /** what this attempt charges, minor units */
  amount: number;
  /** what the appointment has already collected (payments net of refunds), minor units */
  alreadyPaid: number;
  visitStartsAt: Date;
  now: Date;
  customer: { email?: string | undefined; phone?: string | undefined };
}

/** One appointment line as the receipt sees it; `amount` 0 means the line is not on this receipt. */
export interface ReceiptLine {
  item: ReceiptItemInput;
  total: number;
  /** the part of `total` not yet covered by earlier payments */
  unpaid: number;
  /** the part of this attempt's amount that pays for this line */
  amount: number;
  paymentSubject: Receipt['items'][number]['paymentSubject'];
  paymentMode: Receipt['items'][number]['paymentMode'];
}

const SUBJECT: Record<ReceiptItemKind, ReceiptLine['paymentSubject']> = {
  service: 'service',
  goods: 'commodity',
  membership: 'payment',
  gift_card: 'payment',
};

/**
 * R25: how an attempt's amount spreads over the appointment's lines.
 *
 * Earlier payments are taken to cover the lines in order (a desk payment pays the first line
 * first), so "unpaid" is well defined without knowing what each desk payment was for. The
 * attempt's amount is then split over the unpaid parts by largest remainder, in minor units:
 * the parts always sum to the amount, no line gets more than its unpaid part, and the same input
 * always gives the same split. The payment mode of each line is modeOf's.
 */
export function receiptLines(input: BuildReceiptInput): ReceiptLine[] {
  const { items, amount, alreadyPaid } = input;
  assertMinorUnits(amount);
  assertMinorUnits(alreadyPaid);
  if (amount <= 0) throw new RangeError(`a receipt needs a positive amount, got ${amount}`);
  if (items.length === 0) throw new RangeError('a receipt needs at least one item');
  const totals = items.map((item) => {
    if (!Number.isSafeInteger(item.quantity) || item.quantity <= 0)
      throw new RangeError(`quantity of ${item.title} must be a positive integer`);
    if (item.unitPrice < 0) throw new RangeError(`price of ${item.title} must not be negative`);
    return multiply(item.unitPrice, item.quantity);
  });
  let paidLeft = Math.max(0, alreadyPaid);
  const unpaid = totals.map((total) => {
    const covered = Math.min(total, paidLeft);
    paidLeft -= covered;
    return total - covered;
  });
  const due = sum(unpaid);
  if (amount > due) {
    throw new DomainError(
      'amount_exceeds_due',
      `the receipt amount ${amount} is more than the ${due} left to pay for the items`,
      { amount, due },
    );
  }
  const parts = allocate(amount, unpaid);
  const beforeVisit = input.now.getTime() < input.visitStartsAt.getTime();
  return items.map((item, i) => {
    const total = totals[i]!;
    const part = parts[i]!;
    const paymentMode = modeOf({ beforeVisit, total, unpaid: unpaid[i]!, part });
    return { item, total, unpaid: unpaid[i]!, amount: part, paymentSubject: SUBJECT[item.kind], paymentMode };
  });
}

/**
 * R25: the 54-FZ payment mode ("признак способа расчета", tag 1214) of one line, in YooKassa's
 * names (https://yookassa.ru/en/developers/payment-acceptance/scenario-extensions/54fz/parameters-values,
 * "payment mode"; the same seven values as the FNS format's tag 1214):
 * - before the visit starts, money is a prepayment: `full_prepayment` when this receipt pays the
 *   whole line, `partial_prepayment` otherwise (the settlement receipt offsets it later, R33);
 * - from the visit's start, the service is being handed over: `full_payment` when this receipt
 *   pays the whole line, `partial_payment` ("частичный расчет и кредит": part paid now, the rest
 *   left on credit) when it pays part of a line nothing had been paid for;
 * - a line something was already paid for (at the desk, or by an earlier link) and this receipt
 *   pays (part of) the rest after the visit started: the service was handed over with that rest
 *   on credit, and paying it is `credit_payment` ("оплата кредита"), not `partial_payment`, which
 *   would announce new credit that nobody gives.
 */
export function modeOf(line: {
  beforeVisit: boolean;
  total: number;
  unpaid: number;
  part: number;
}): ReceiptLine['paymentMode'] {
  const full = line.part === line.total;
  if (line.beforeVisit) return full ? 'full_prepayment' : 'partial_prepayment';
  if (full) return 'full_payment';
  return line.unpaid < line.total ? 'credit_payment' : 'partial_payment';
}

/**
 * R24–R26: the provider-neutral fiscal receipt of one attempt. Lines this attempt pays nothing
 * for are left off; item amounts are whole-line totals in minor units and sum exactly to
 * `amount`. Throws `mixed_tax_systems` (R23) and `contact_required` (R26).
 */
export function buildReceipt(input: BuildReceiptInput): Receipt {
  const systems = [...new Set(input.items.map((i) => i.taxSystem))];
  if (systems.length > 1) {
    throw new DomainError(
      'mixed_tax_systems',
      `these items belong to different taxation systems (${systems.join(', ')}) and cannot be on one receipt`,
      {
        items: input.items.map((i) => ({ title: i.title, taxSystem: i.taxSystem })),
      },
    );
  }
  const email = input.customer.email?.trim() || undefined;
  const phone = input.customer.phone?.trim() || undefined;
  if (!email && !phone)
    throw new DomainError('contact_required', 'an email or phone number is needed for the receipt', {
      field: 'contact',
    });
  const items = receiptLines(input)
    .filter((line) => line.amount > 0)
    .map((line) => ({
      description: line.item.title,
      quantity: line.item.quantity,
      amount: line.amount,
      vat: line.item.vat,
      paymentSubject: line.paymentSubject,
      paymentMode: line.paymentMode,
    }));
  return {
    customer: { ...(email ? { email } : {}), ...(phone ? { phone } : {}) },
    taxSystem: systems[0]!,
    items,
  };
}
