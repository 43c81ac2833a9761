import type { Receipt } from '../../../providers/port.js';
import { refundReceipt } from './refund-receipt.js';

const PREPAYMENT_MODES: ReadonlySet<string> = new Set(['full_prepayment', 'partial_prepayment']);

/** R33: a payment needs a settlement receipt when its receipt took (some of) it as a prepayment. */
export function isPrepaymentReceipt(receipt: Receipt | null | undefined): boolean {
  return receipt?.items.some((item) => PREPAYMENT_MODES.has(item.paymentMode)) ?? false;
}

/**
 * R33: the settlement receipt ("чек зачета предоплаты") of a prepayment receipt, for `amount`
 * (the payment less what was refunded of it before the service was delivered). The same
 * customer, taxation system, lines, VAT codes and subjects; each line's amount scaled to
 * `amount` by largest remainder over the prepaid amounts, in minor units (as a refund receipt
 * is), so the lines sum exactly to the offset and the same input always gives the same body;
 * every line `full_payment`, the service handed over in full and paid by offsetting the
 * prepayment (https://yookassa.ru/developers/payment-acceptance/receipts/54fz/yoomoney/payments,
 * "Чек зачета предоплаты"). Lines that get nothing are left off.
 */
export function settlementReceipt(prepayment: Receipt, amount: number): Receipt {
  const scaled = refundReceipt(prepayment, amount);
  return { ...scaled, items: scaled.items.map((item) => ({ ...item, paymentMode: 'full_payment' as const })) };
}
