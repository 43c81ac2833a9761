/**
 * The request rules of YooKassa API v3 that the stub enforces, as documented: amounts are
 * decimal strings with exactly the currency's decimals, descriptions ≤ 128 characters, at most
 * 16 metadata keys, and a 54-FZ receipt whose lines (price × quantity) sum to the amount, each
 * with a vat_code (1–12), payment_subject and payment_mode, for a customer with an email or phone.
 * A broken rule answers HTTP 400 {type:"error", code:"invalid_request", description, parameter}.
 */
export class StubRequestError extends Error {
  constructor(
    readonly parameter: string,
    description: string,
  ) {
    super(description);
  }
}

const fail = (parameter: string, description: string): never => {
  throw new StubRequestError(parameter, description);
};

const PAYMENT_SUBJECTS = new Set([
  'commodity',
  'excise',
  'job',
  'service',
  'gambling_bet',
  'gambling_prize',
  'lottery',
  'lottery_prize',
  'intellectual_activity',
  'payment',
  'agent_commission',
  'composite',
  'another',
]);
const PAYMENT_MODES = new Set([
  'full_prepayment',
  'partial_prepayment',
  'advance',
  'full_payment',
  'partial_payment',
  'credit',
  'credit_payment',
]);

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function exponentOf(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount object → minor units; refuses "1500", "1500.5", 1500.00 (a number), "-1.00". */
export function checkAmount(value: unknown, parameter: string, allowZero = false): { minor: number; currency: string } {
  if (!isObject(value)) return fail(parameter, `Parameter ${parameter} is missing`);
  const { value: raw, currency } = value;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency))
    return fail(`${parameter}.currency`, 'Invalid currency');
  const exponent = exponentOf(currency);
  const pattern = exponent === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${exponent}}$`);
  if (typeof raw !== 'string' || !pattern.test(raw))
    return fail(`${parameter}.value`, `Invalid amount value format: ${String(raw)}`);
  const minor = Number(raw.replace('.', ''));
  if (!allowZero && minor <= 0) return fail(`${parameter}.value`, 'Amount must be greater than zero');
  return { minor, currency };
}

export function checkDescription(value: unknown, parameter: string, required = false): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || [...value].length === 0 || [...value].length > 128)
    fail(parameter, `Invalid ${parameter} length (1–128 characters)`);
}

export function checkMetadata(value: unknown): void {
  if (value === undefined) return;
  if (!isObject(value)) return fail('metadata', 'Invalid metadata');
  const entries = Object.entries(value);
  if (entries.length > 16) fail('metadata', 'Too many metadata keys (at most 16)');
  for (const [key, v] of entries) {
    if (key.length > 32) fail('metadata', `Metadata key ${key} is longer than 32 characters`);
    if (typeof v !== 'string' || v.length > 512)
      fail('metadata', `Metadata value of ${key} must be a string of at most 512 characters`);
  }
}

/** A payment creation body; answers its amount. */
export function checkPaymentRequest(body: unknown, fiscalization: boolean): { minor: number; currency: string } {
  if (!isObject(body)) return fail('body', 'Request body is not a JSON object');
  const amount = checkAmount(body.amount, 'amount');
  if (body.capture !== undefined && typeof body.capture !== 'boolean') fail('capture', 'Invalid capture');
  const confirmation = body.confirmation;
  if (confirmation !== undefined) {
    if (!isObject(confirmation) || confirmation.type !== 'redirect')
      fail('confirmation.type', 'Only the redirect confirmation is supported here');
    const returnUrl = (confirmation as Json).return_url;
    if (typeof returnUrl !== 'string' || returnUrl.length > 2048 || !/^https?:\/\//.test(returnUrl))
      fail('confirmation.return_url', 'Invalid return_url');
  }
  checkDescription(body.description, 'description');
  checkMetadata(body.metadata);
  checkReceipt(body.receipt, amount.minor, amount.currency, fiscalization);
  return amount;
}

export function checkReceipt(receipt: unknown, totalMinor: number, currency: string, required: boolean): void {
  if (receipt === undefined) {
    if (required) fail('receipt', 'Receipt is missing or illegal');
    return;
  }
  if (!isObject(receipt)) return fail('receipt', 'Receipt is missing or illegal');
  checkCustomer(receipt.customer, 'receipt.customer');
  checkTaxSystem(receipt.tax_system_code, 'receipt.tax_system_code');
  if (checkItems(receipt.items, 'receipt.items', currency) !== totalMinor * 1000)
    fail('receipt.items', 'The sum of the receipt items is not equal to the amount');
}

/** `customer`: an email or an ITU-T E.164 phone (digits, e.g. 79000000000). */
function checkCustomer(customer: unknown, at: string): void {
  const email = isObject(customer) ? customer.email : undefined;
  const phone = isObject(customer) ? customer.phone : undefined;
  if (email === undefined && phone === undefined) fail(at, 'Receipt customer needs an email or a phone');
  if (email !== undefined && (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email)))
    fail(`${at}.email`, 'Invalid email');
  if (phone !== undefined && (typeof phone !== 'string' || !/^\d{7,15}$/.test(phone)))
    fail(`${at}.phone`, 'Invalid phone');
}

function checkTaxSystem(code: unknown, at: string): void {
  if (code !== undefined && (!Number.isInteger(code) || (code as number) < 1 || (code as number) > 6))
    fail(at, 'Invalid tax_system_code');
}

/** Receipt lines; answers their sum (price × quantity) in thousandths of a minor unit. */
function checkItems(items: unknown, at: string, currency: string): number {
  if (!Array.isArray(items) || items.length === 0 || items.length > 100)
    return fail(at, 'Receipt items are missing or too many');
  let sumTimes1000 = 0;
  items.forEach((item: unknown, i) => {
    const line = `${at}[${i}]`;
    if (!isObject(item)) return fail(line, 'Invalid receipt item');
    checkDescription(item.description, `${line}.description`, true);
    const quantity = typeof item.quantity === 'string' ? Number(item.quantity) : item.quantity;
    if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0)
      return fail(`${line}.quantity`, 'Invalid quantity');
    const price = checkAmount(item.amount, `${line}.amount`);
    if (price.currency !== currency)
      fail(`${line}.amount.currency`, 'Receipt item currency differs from the payment currency');
    if (!Number.isInteger(item.vat_code) || (item.vat_code as number) < 1 || (item.vat_code as number) > 12)
      fail(`${line}.vat_code`, 'Invalid vat_code (1–12)');
    if (typeof item.payment_subject !== 'string' || !PAYMENT_SUBJECTS.has(item.payment_subject))
      fail(`${line}.payment_subject`, 'Invalid payment_subject');
    if (typeof item.payment_mode !== 'string' || !PAYMENT_MODES.has(item.payment_mode))
      fail(`${line}.payment_mode`, 'Invalid payment_mode');
    sumTimes1000 += price.minor * Math.round(quantity * 1000);
  });
  return sumTimes1000;
}

const SETTLEMENT_TYPES = new Set(['cashless', 'prepayment', 'postpayment', 'consideration']);

/**
 * POST /v3/receipts as YooKassa documents it for a settlement receipt ("чек зачета предоплаты",
 * https://yookassa.ru/developers/payment-acceptance/receipts/54fz/yoomoney/payments and "Создание
 * чека" in https://yookassa.ru/developers/api): `type` payment or refund, `payment_id`, `send`
 * (only true), `customer`, `items`, `settlements` (each {type, amount}) whose sum the items equal,
 * `tax_system_code`. Answers the payment and the settlements' sum and currency.
 */
export function checkReceiptRequest(body: unknown): {
  type: 'payment' | 'refund';
  paymentId: string;
  minor: number;
  currency: string;
  prepayment: number;
} {
  if (!isObject(body)) return fail('body', 'Request body is not a JSON object');
  if (body.type !== 'payment' && body.type !== 'refund') return fail('type', 'Parameter type is missing or illegal');
  if (typeof body.payment_id !== 'string' || body.payment_id.length === 0)
    return fail('payment_id', 'Parameter payment_id is missing');
  if (body.send !== true) fail('send', 'Parameter send is missing or illegal (only true is supported)');
  checkCustomer(body.customer, 'customer');
  checkTaxSystem(body.tax_system_code, 'tax_system_code');
  const settlements = body.settlements;
  if (!Array.isArray(settlements) || settlements.length === 0)
    return fail('settlements', 'Parameter settlements is missing');
  let minor = 0;
  let prepayment = 0;
  let currency = '';
  settlements.forEach((settlement: unknown, i) => {
    const at = `settlements[${i}]`;
    if (!isObject(settlement) || typeof settlement.type !== 'string' || !SETTLEMENT_TYPES.has(settlement.type))
      return fail(`${at}.type`, 'Invalid settlement type');
    const amount = checkAmount(settlement.amount, `${at}.amount`);
    if (currency && amount.currency !== currency) fail(`${at}.amount.currency`, 'Settlements in different currencies');
    currency = amount.currency;
    minor += amount.minor;
    if (settlement.type === 'prepayment') prepayment += amount.minor;
  });
  if (checkItems(body.items, 'items', currency) !== minor * 1000)
    fail('items', 'The sum of the receipt items is not equal to the sum of the settlements');
  return { type: body.type, paymentId: body.payment_id, minor, currency, prepayment };
}

export function checkRefundRequest(body: unknown): {
  paymentId: string;
  minor: number;
  currency: string;
  receipt: unknown;
} {
  if (!isObject(body)) return fail('body', 'Request body is not a JSON object');
  if (typeof body.payment_id !== 'string' || body.payment_id.length === 0)
    return fail('payment_id', 'Parameter payment_id is missing');
  const amount = checkAmount(body.amount, 'amount');
  checkDescription(body.description, 'description');
  checkMetadata(body.metadata);
  return { paymentId: body.payment_id, ...amount, receipt: body.receipt };
}

/** GET /v3/refunds: filters payment_id and status, `limit` 1–100 (10 by default), `cursor` from next_cursor. */
export function checkRefundListQuery(query: URLSearchParams): {
  paymentId?: string;
  status?: string;
  limit: number;
  cursor?: string;
} {
  const known = new Set([
    'payment_id',
    'status',
    'limit',
    'cursor',
    'created_at.gte',
    'created_at.gt',
    'created_at.lte',
    'created_at.lt',
  ]);
  for (const key of query.keys()) if (!known.has(key)) fail(key, `Unknown parameter ${key}`);
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? 10 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) fail('limit', 'Invalid limit: from 1 to 100');
  const status = query.get('status') ?? undefined;
  if (status !== undefined && !['pending', 'succeeded', 'canceled'].includes(status)) fail('status', 'Invalid status');
  return {
    limit,
    ...(query.get('payment_id') ? { paymentId: query.get('payment_id')! } : {}),
    ...(status ? { status } : {}),
    ...(query.get('cursor') ? { cursor: query.get('cursor')! } : {}),
  };
}
