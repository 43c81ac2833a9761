import { multiply, sum } from '../../../shared/money.js';

export type PaymentStatus = 'unpaid' | 'partially_paid' | 'paid';

export interface PricedItem {
  unitPrice: number;
  quantity: number;
}

export interface LedgerPayment {
  amount: number;
  /** voided desk payments do not count */
  voided: boolean;
}

export interface Amounts {
  /** Σ item totals */
  total: number;
  /** Σ non-voided payments, refunds (negative) included */
  paid: number;
  /** total − paid; negative when the appointment is overpaid (a price lowered after payment) */
  due: number;
  paymentStatus: PaymentStatus;
}

export const itemTotal = (item: PricedItem): number => multiply(item.unitPrice, item.quantity);

/**
 * The money of an appointment, always derived from its items and payments, never stored.
 * paymentStatus: nothing (net) paid → `unpaid`, even when the total is 0; something paid and
 * nothing left due (due ≤ 0) → `paid`; otherwise `partially_paid`.
 */
export function computeAmounts(items: readonly PricedItem[], payments: readonly LedgerPayment[]): Amounts {
  return amountsFromTotals(sum(items.map(itemTotal)), sum(payments.filter((p) => !p.voided).map((p) => p.amount)));
}

/** The same from Σ item totals and Σ non-voided payments, when the database summed them. */
export function amountsFromTotals(total: number, paid: number): Amounts {
  const due = sum([total, -paid]);
  const paymentStatus: PaymentStatus = paid <= 0 ? 'unpaid' : due <= 0 ? 'paid' : 'partially_paid';
  return { total, paid, due, paymentStatus };
}
