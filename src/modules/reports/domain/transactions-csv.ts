import { currencyExponent, toDecimalString } from '../../../shared/money.js';
import type { TransactionLine } from './transaction-line.js';

/** The CSV export of the transactions report (R28): RFC 4180, safe to open in a spreadsheet. */

export const CSV_HEADER = [
  'payment_id',
  'appointment_id',
  'appointment_date',
  'appointment_starts_at',
  'paid_at',
  'method',
  'amount',
  'currency',
  'refund_of',
  'voided',
  'client_name',
  'staff_name',
  'provider',
  'taken_by',
] as const;

const NEEDS_QUOTES = /[",\r\n]/;
// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes inside doubled. */
export function quoteField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A text cell: defused when a spreadsheet would read it as a formula, then quoted as needed. */
export function textCell(value: string | null): string {
  if (value === null) return '';
  return quoteField(FORMULA_START.test(value) ? `'${value}` : value);
}

/** An amount cell: an exact decimal in major units; a leading minus here is a number, not a formula. */
export function amountCell(amount: number, exponent: number): string {
  return toDecimalString(amount, exponent);
}

export const csvRow = (cells: readonly string[]): string => `${cells.join(',')}\r\n`;

export const csvHeaderRow = (): string => csvRow(CSV_HEADER);

export function csvLineRow(line: TransactionLine, currency: string): string {
  return csvRow([
    textCell(line.paymentId),
    textCell(line.appointmentId),
    line.appointmentDate,
    line.appointmentStartsAt.toISOString(),
    line.paidAt.toISOString(),
    line.method,
    amountCell(line.amount, currencyExponent(currency)),
    currency,
    textCell(line.refundOf),
    line.voided ? 'true' : 'false',
    textCell(line.clientName),
    textCell(line.staffName),
    textCell(line.provider),
    textCell(line.takenBy.name ?? line.takenBy.type),
  ]);
}
