import type { Receipt } from '../../../providers/port.js';
import { allocate, assertMinorUnits, sum } from '../../../shared/money.js';

/**
 * R24–R25: the fiscal receipt of a refund of (part of) a payment made with `original`. The same
 * customer, taxation system and lines, each line's amount scaled down by largest remainder over
 * the original amounts, so the lines sum exactly to `amount`, no line exceeds what it was paid,
 * and the same refund always gets the same receipt (a retried provider call sends the very same
 * body under the same idempotency key). Lines that get nothing are left off.
 *
 * `afterSettlement`: the payment's settlement receipt (R33) was sent, so the service counts as
 * delivered and the refund is of a full payment: its lines say `full_payment` rather than the
 * prepayment mode the payment was first receipted with (54-FZ: the refund receipt carries the
 * payment mode of the settlement it reverses).
 */
export function refundReceipt(original: Receipt, amount: number, afterSettlement = false): Receipt {
  assertMinorUnits(amount);
  if (amount <= 0) throw new RangeError(`a refund receipt needs a positive amount, got ${amount}`);
  const paid = sum(original.items.map((item) => item.amount));
  if (amount > paid) throw new RangeError(`the refund of ${amount} is more than the ${paid} on the payment's receipt`);
  const parts = allocate(
    amount,
    original.items.map((item) => item.amount),
  );
  const items = original.items
    .map((item, i) => ({
      ...item,
      amount: parts[i]!,
      ...(afterSettlement ? { paymentMode: 'full_payment' as const } : {}),
    }))
    .filter((item) => item.amount > 0);
  return { customer: { ...original.customer }, taxSystem: original.taxSystem, items };
}
