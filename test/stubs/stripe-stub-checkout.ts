import type { FormObject, FormValue } from './stripe-stub-form.js';

/**
 * Validation of POST /v1/checkout/sessions as Stripe documents it, for mode=payment with
 * price_data line items (what a pay-by-link checkout uses). Errors have Stripe's shape.
 */

export interface StripeErrorBody {
  type: 'invalid_request_error' | 'api_error' | 'card_error' | 'idempotency_error';
  message: string;
  code?: string;
  param?: string;
}

export class StubError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }
}

export const invalid = (message: string, param?: string, code?: string) =>
  new StubError(400, {
    type: 'invalid_request_error',
    message,
    ...(param ? { param } : {}),
    ...(code ? { code } : {}),
  });
export const missing = (param: string) => invalid(`Missing required param: ${param}.`, param, 'parameter_missing');

export const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);
/** A few rows of Stripe's minimum charge table, in minor units. */
const MINIMUM: Record<string, number> = { usd: 50, eur: 50, gbp: 30, chf: 50, cad: 50, aud: 50, jpy: 50 };
const MAXIMUM = 99_999_999;

const SESSION_PARAMS = new Set([
  'mode',
  'line_items',
  'success_url',
  'cancel_url',
  'expires_at',
  'client_reference_id',
  'metadata',
  'payment_intent_data',
  'adaptive_pricing',
  'customer_email',
  'locale',
  'submit_type',
  'expand',
]);

export function str(value: FormValue | undefined, param: string, required = false): string | undefined {
  if (value === undefined) {
    if (required) throw missing(param);
    return undefined;
  }
  if (typeof value !== 'string')
    throw invalid(`Invalid string: ${param} must be a string.`, param, 'parameter_invalid_string');
  return value;
}

export function int(value: FormValue | undefined, param: string, required = false): number | undefined {
  const text = str(value, param, required);
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) throw invalid(`Invalid integer: ${text}`, param, 'parameter_invalid_integer');
  return Number(text);
}

export function obj(value: FormValue | undefined, param: string): FormObject | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' || Array.isArray(value)) {
    if (value === '') return {};
    throw invalid(`Invalid object: ${param} must be a hash.`, param, 'parameter_invalid_object');
  }
  return value;
}

export function metadataOf(value: FormValue | undefined, param: string): Record<string, string> {
  const raw = obj(value, param) ?? {};
  const entries = Object.entries(raw);
  if (entries.length > 50) throw invalid('Metadata can have at most 50 keys.', param);
  const out: Record<string, string> = {};
  for (const [key, v] of entries) {
    if (key.length > 40) throw invalid(`Metadata keys can be at most 40 characters long: ${key}`, `${param}[${key}]`);
    const text = str(v, `${param}[${key}]`)!;
    if (text.length > 500) throw invalid('Metadata values can be at most 500 characters long.', `${param}[${key}]`);
    out[key] = text;
  }
  return out;
}

function url(value: FormValue | undefined, param: string): string | undefined {
  const text = str(value, param);
  if (text === undefined) return undefined;
  if (!/^https?:\/\/[^\s]+$/.test(text)) throw invalid('Not a valid URL', param, 'url_invalid');
  return text;
}

export interface SessionRequest {
  currency: string;
  amount: number;
  lines: { name: string; unitAmount: number; quantity: number }[];
  expiresAt: number;
  successUrl?: string;
  cancelUrl?: string;
  clientReferenceId?: string;
  metadata: Record<string, string>;
  intentMetadata: Record<string, string>;
  intentDescription?: string;
  customerEmail?: string;
}

export function minimumCheck(currency: string, amount: number, what: string): void {
  const minimum = MINIMUM[currency];
  if (minimum !== undefined && amount < minimum) {
    throw invalid(
      `${what} must add up to at least ${minimum} ${currency} (in the smallest currency unit).`,
      undefined,
      'amount_too_small',
    );
  }
  if (amount > MAXIMUM)
    throw invalid(
      `${what} must be no more than ${MAXIMUM} ${currency} (in the smallest currency unit).`,
      undefined,
      'amount_too_large',
    );
}

/** Reads and checks a session create request; `now` is the creation time in unix seconds. */
export function parseSessionRequest(params: FormObject, now: number): SessionRequest {
  for (const key of Object.keys(params)) {
    if (!SESSION_PARAMS.has(key)) throw invalid(`Received unknown parameter: ${key}`, key, 'parameter_unknown');
  }
  const mode = str(params.mode, 'mode', true);
  if (mode !== 'payment')
    throw invalid(`This stub speaks mode=payment only, got ${mode}.`, 'mode', 'parameter_invalid_string');
  const rawLines = params.line_items;
  if (rawLines === undefined)
    throw invalid('You must specify `line_items` in `payment` mode.', 'line_items', 'parameter_missing');
  if (!Array.isArray(rawLines) || rawLines.length === 0)
    throw invalid('Invalid array', 'line_items', 'parameter_invalid_array');
  if (rawLines.length > 100) throw invalid('You can have at most 100 line items in payment mode.', 'line_items');
  let currency: string | undefined;
  const lines = rawLines.map((raw, i) => {
    const at = `line_items[${i}]`;
    const item = obj(raw, at)!;
    if (item.price !== undefined)
      throw invalid(`No such price: '${String(item.price)}'`, `${at}[price]`, 'resource_missing');
    const quantity = int(item.quantity, `${at}[quantity]`, true)!;
    if (quantity < 1) throw invalid('This value must be greater than or equal to 1.', `${at}[quantity]`);
    const priceData = obj(item.price_data, `${at}[price_data]`);
    if (!priceData) throw missing(`${at}[price_data]`);
    const lineCurrency = str(priceData.currency, `${at}[price_data][currency]`, true)!;
    if (!/^[a-z]{3}$/.test(lineCurrency))
      throw invalid(
        `Invalid currency: ${lineCurrency}. Stripe currently supports these currencies: usd, eur, …`,
        `${at}[price_data][currency]`,
      );
    if (currency !== undefined && currency !== lineCurrency)
      throw invalid('All line items must use the same currency.', `${at}[price_data][currency]`);
    currency = lineCurrency;
    const product = obj(priceData.product_data, `${at}[price_data][product_data]`);
    if (!product) throw missing(`${at}[price_data][product_data]`);
    const name = str(product.name, `${at}[price_data][product_data][name]`, true)!;
    if (name.trim() === '')
      throw invalid('You passed an empty string for name.', `${at}[price_data][product_data][name]`);
    const unitAmount = int(priceData.unit_amount, `${at}[price_data][unit_amount]`, true)!;
    if (unitAmount < 0)
      throw invalid('This value must be greater than or equal to 0.', `${at}[price_data][unit_amount]`);
    if (THREE_DECIMAL.has(lineCurrency) && unitAmount % 10 !== 0) {
      throw invalid(
        `Amounts in ${lineCurrency} must be rounded to the nearest ten: the last digit must be 0.`,
        `${at}[price_data][unit_amount]`,
      );
    }
    return { name, unitAmount, quantity };
  });
  const amount = lines.reduce((sum, l) => sum + l.unitAmount * l.quantity, 0);
  minimumCheck(currency!, amount, "The Checkout Session's total amount due");
  const expiresAt = int(params.expires_at, 'expires_at') ?? now + 24 * 3600;
  if (expiresAt < now + 30 * 60)
    throw invalid(
      'The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.',
      'expires_at',
    );
  if (expiresAt > now + 24 * 3600)
    throw invalid(
      'The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.',
      'expires_at',
    );
  const clientReferenceId = str(params.client_reference_id, 'client_reference_id');
  if (clientReferenceId !== undefined && clientReferenceId.length > 200)
    throw invalid('client_reference_id can be at most 200 characters.', 'client_reference_id');
  const intentData = obj(params.payment_intent_data, 'payment_intent_data') ?? {};
  for (const key of Object.keys(intentData)) {
    if (key !== 'metadata' && key !== 'description')
      throw invalid(
        `Received unknown parameter: payment_intent_data[${key}]`,
        `payment_intent_data[${key}]`,
        'parameter_unknown',
      );
  }
  const adaptive = obj(params.adaptive_pricing, 'adaptive_pricing');
  if (adaptive && str(adaptive.enabled, 'adaptive_pricing[enabled]') !== 'false' && adaptive.enabled !== 'true') {
    throw invalid('Invalid boolean', 'adaptive_pricing[enabled]', 'parameter_invalid_boolean');
  }
  const successUrl = url(params.success_url, 'success_url');
  const cancelUrl = url(params.cancel_url, 'cancel_url');
  const intentDescription = str(intentData.description, 'payment_intent_data[description]');
  const customerEmail = str(params.customer_email, 'customer_email');
  return {
    currency: currency!,
    amount,
    lines,
    expiresAt,
    metadata: metadataOf(params.metadata, 'metadata'),
    intentMetadata: metadataOf(intentData.metadata, 'payment_intent_data[metadata]'),
    ...(successUrl ? { successUrl } : {}),
    ...(cancelUrl ? { cancelUrl } : {}),
    ...(clientReferenceId ? { clientReferenceId } : {}),
    ...(intentDescription ? { intentDescription } : {}),
    ...(customerEmail ? { customerEmail } : {}),
  };
}
