import { validation } from '../../../shared/errors.js';
import type { PaymentMethod } from '../../payments/domain/methods.js';

/** Who took a payment: a user (with their name), or the client, the provider or the system. */
export interface TakenBy {
  type: 'user' | 'client' | 'provider' | 'system';
  id: string | null;
  name: string | null;
}

/** One payment or refund as the report lists it (R19: under its appointment's date). */
export interface TransactionLine {
  paymentId: string;
  appointmentId: string;
  /** YYYY-MM-DD in the company's time zone */
  appointmentDate: string;
  appointmentStartsAt: Date;
  paidAt: Date;
  /** paid_at in whole microseconds since the epoch, exact, for the cursor */
  paidAtMicros: string;
  method: PaymentMethod;
  amount: number;
  refundOf: string | null;
  voided: boolean;
  clientName: string;
  staffName: string;
  provider: string | null;
  takenBy: TakenBy;
  /** R40: the tip given with this payment (beside its amount, never in it); 0 without one */
  tip: number;
}

/** R40: what one staff member was tipped over the report's range. */
export interface StaffTips {
  staffId: string;
  staffName: string;
  amount: number;
  count: number;
}

/** Where a page of lines ends: the report orders by (appointment date, paidAt, payment id). */
export interface LineCursor {
  date: string;
  paidAtMicros: string;
  id: string;
}

export const lineCursorOf = (line: TransactionLine): LineCursor => ({
  date: line.appointmentDate,
  paidAtMicros: line.paidAtMicros,
  id: line.paymentId,
});

export function encodeLineCursor(c: LineCursor): string {
  return Buffer.from(`${c.date}|${c.paidAtMicros}|${c.id}`).toString('base64url');
}

const isCalendarDay = (date: string) => {
  const at = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().startsWith(date);
};

/**
 * A cursor keeps paidAt to the microsecond the database stores: a millisecond Date would skip or
 * repeat payments taken within the same millisecond.
 */
export function decodeLineCursor(cursor: string | undefined): LineCursor | undefined {
  if (!cursor) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})\|(-?\d{1,17})\|([A-Za-z0-9_]{1,60})$/.exec(
    Buffer.from(cursor, 'base64url').toString(),
  );
  if (!match?.[1] || !match[2] || !match[3] || !isCalendarDay(match[1])) {
    throw validation('cursor', 'cursor is not one this API gave out');
  }
  return { date: match[1], paidAtMicros: match[2], id: match[3] };
}
