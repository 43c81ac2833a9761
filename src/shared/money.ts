/**
 * Money is an integer number of minor units in one ISO 4217 currency.
 * No floats ever touch an amount: arithmetic is on safe integers, allocation is by
 * largest remainder, and formatting happens only at the edge.
 */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

const exponentCache = new Map<string, number>();

/** The codes Intl knows as currencies, listed once: building the list costs some 13 µs, and the sandbox bank asks on every Pay. */
let knownCurrencies: ReadonlySet<string> | undefined;

/** True for a three-letter code that Intl knows as a currency. */
export function isCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  try {
    knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  } catch {
    return false;
  }
  return knownCurrencies.has(code);
}

/** Number of decimals of a currency's minor unit, from Intl (JPY 0, EUR 2, KWD 3). */
export function currencyExponent(currency: string): number {
  const cached = exponentCache.get(currency);
  if (cached !== undefined) return cached;
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  const exponent = digits ?? 2;
  exponentCache.set(currency, exponent);
  return exponent;
}

export function assertMinorUnits(amount: number): void {
  if (!Number.isSafeInteger(amount)) {
    throw new RangeError(`amount must be a safe integer of minor units, got ${amount}`);
  }
}

export function money(amount: number, currency: string): Money {
  assertMinorUnits(amount);
  return { amount, currency };
}

export function sum(amounts: readonly number[]): number {
  let total = 0;
  for (const a of amounts) {
    assertMinorUnits(a);
    total += a;
  }
  assertMinorUnits(total);
  return total;
}

export function multiply(unitAmount: number, quantity: number): number {
  assertMinorUnits(unitAmount);
  if (!Number.isSafeInteger(quantity)) throw new RangeError('quantity must be an integer');
  const result = unitAmount * quantity;
  assertMinorUnits(result);
  return result;
}

/**
 * Splits `total` over `weights` in proportion, by largest remainder, so the parts always sum
 * to exactly `total`. Ties go to the earlier weight, which keeps the split deterministic.
 * Weights must be non-negative integers; all-zero weights split evenly.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  assertMinorUnits(total);
  if (weights.length === 0) {
    if (total !== 0) throw new RangeError('cannot allocate a non-zero amount over nothing');
    return [];
  }
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError('weights must be non-negative integers');
  }
  const sign = total < 0 ? -1n : 1n;
  const absTotal = BigInt(Math.abs(total));
  const allZero = weights.every((w) => w === 0);
  const big = weights.map((w) => (allZero ? 1n : BigInt(w)));
  const weightSum = big.reduce((a, b) => a + b, 0n);
  const floors = big.map((w) => (absTotal * w) / weightSum);
  const remainders = big.map((w, i) => ({ i, r: (absTotal * w) % weightSum }));
  let left = absTotal - floors.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    floors[i] = (floors[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return floors.map((f) => Number(f * sign));
}

const formatterCache = new Map<string, Intl.NumberFormat>();

/** Formats minor units for people, e.g. 150000 RUB → "1 500,00 ₽" in ru, "RUB 1,500.00" in en. */
export function formatMoney(amount: number, currency: string, locale = 'en'): string {
  assertMinorUnits(amount);
  const key = `${locale}|${currency}`;
  let formatter = formatterCache.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatterCache.set(key, formatter);
  }
  const exponent = currencyExponent(currency);
  // Intl accepts a decimal string, so the value is formatted exactly, without a float.
  return formatter.format(toDecimalString(amount, exponent) as unknown as number);
}

/** 150000, 2 → "1500.00"; -5, 2 → "-0.05"; 7, 0 → "7". Exact, for provider APIs and CSV. */
export function toDecimalString(amount: number, exponent: number): string {
  assertMinorUnits(amount);
  const negative = amount < 0;
  const digits = Math.abs(amount)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Parses an exact decimal string into minor units ("1500.5", 2 → 150050). */
export function fromDecimalString(value: string, exponent: number): number {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new RangeError(`not a decimal amount: ${value}`);
  const [, minus, whole = '0', fraction = ''] = match;
  if (fraction.length > exponent && /[1-9]/.test(fraction.slice(exponent))) {
    throw new RangeError(`${value} has more than ${exponent} decimals`);
  }
  const padded = (fraction + '0'.repeat(exponent)).slice(0, exponent);
  const result = Number(BigInt(whole + padded) * (minus ? -1n : 1n));
  assertMinorUnits(result);
  return result;
}
