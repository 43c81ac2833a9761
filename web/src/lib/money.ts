/** Money in the admin app: integer minor units from the API, decimal text only in inputs and on screen. */

const exponents = new Map<string, number>();

/** Decimals of the currency's minor unit, from Intl (JPY 0, EUR 2, KWD 3), as the server counts them. */
export function currencyExponent(currency: string): number {
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    exponent =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    exponents.set(currency, exponent);
  }
  return exponent;
}

/** 150050 EUR → "1500.50": exact, no float arithmetic. */
export function toDecimalString(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/**
 * "1 500,5" or "1500.50" → 150050; undefined for anything that is not a non-negative amount with at most
 * the currency's decimals. Spaces and a comma as the decimal mark are accepted (Russian keyboards).
 */
export function parseDecimal(text: string, currency: string): number | undefined {
  const exponent = currencyExponent(currency);
  const cleaned = text.replace(/[\s\u00a0\u202f']/g, '').replace(',', '.');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) return undefined;
  const minor = Number(`${match[1]}${fraction.padEnd(exponent, '0')}`);
  return Number.isSafeInteger(minor) ? minor : undefined;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** Formats minor units in the UI's language; Intl takes a decimal string, so no float is involved. */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, formatter);
  }
  return formatter.format(toDecimalString(minor, currency) as unknown as number);
}
