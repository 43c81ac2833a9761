import { currencyExponent, toDecimalString } from '../../../shared/money.js';
import type { TransactionLine } from './transaction-line.js';

/**
 * The CSV export of the transactions report (R28): RFC 4180, safe to open in a spreadsheet.
 *
 * Spreadsheets read a CSV with the conventions of the reader's locale: where the decimal mark is a
 * comma (German, Russian, French Excel) they expect `;` between fields and `12,50` as a number, and
 * without a byte-order mark they read UTF-8 as the local code page (Cyrillic names turn to noise).
 * So the file always starts with the BOM, and the `comma` dialect is offered beside the `point` one.
 */

export type DecimalMark = 'point' | 'comma';

export interface CsvDialect {
  separator: ',' | ';';
  decimalMark: '.' | ',';
}

export const csvDialect = (mark: DecimalMark): CsvDialect =>
  mark === 'comma' ? { separator: ';', decimalMark: ',' } : { separator: ',', decimalMark: '.' };

/** UTF-8 byte-order mark: Excel reads the file as UTF-8 only when it is there. */
export const BYTE_ORDER_MARK = '\uFEFF';

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
  // R40: the tip given with the payment, for its staff member; empty without one
  'tip',
] as const;

const NEEDS_QUOTES = /[",;\r\n]/;
// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180: a field with a separator (either dialect's), quote or line break is quoted, quotes inside doubled. */
export function quoteField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A text cell: defused when a spreadsheet would read it as a formula, then quoted as needed. */
export function textCell(value: string | null): string {
  if (value === null) return '';
  return quoteField(FORMULA_START.test(value) ? `'${value}` : value);
}

/** An amount cell: an exact decimal in major units; a leading minus here is a number, not a formula. */
export function amountCell(amount: number, exponent: number, decimalMark: CsvDialect['decimalMark'] = '.'): string {
  const text = toDecimalString(amount, exponent);
  return decimalMark === '.' ? text : text.replace('.', decimalMark);
}

export const csvRow = (cells: readonly string[], dialect: CsvDialect): string => `${cells.join(dialect.separator)}\r\n`;

/** The first chunk of the file: the byte-order mark and the header. */
export const csvHeaderRow = (dialect: CsvDialect): string => BYTE_ORDER_MARK + csvRow(CSV_HEADER, dialect);

export function csvLineRow(line: TransactionLine, currency: string, dialect: CsvDialect): string {
  return csvRow(
    [
      textCell(line.paymentId),
      textCell(line.appointmentId),
      line.appointmentDate,
      line.appointmentStartsAt.toISOString(),
      line.paidAt.toISOString(),
      line.method,
      amountCell(line.amount, currencyExponent(currency), dialect.decimalMark),
      currency,
      textCell(line.refundOf),
      line.voided ? 'true' : 'false',
      textCell(line.clientName),
      textCell(line.staffName),
      textCell(line.provider),
      textCell(line.takenBy.name ?? line.takenBy.type),
      line.tip ? amountCell(line.tip, currencyExponent(currency), dialect.decimalMark) : '',
    ],
    dialect,
  );
}
