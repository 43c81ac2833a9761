import { z } from 'zod';
import { currencyExponent, fromDecimalString, toDecimalString } from '../../shared/money.js';
import {
  ProviderRejectedError,
  type CheckoutState,
  type CheckoutStatus,
  type ProviderRefund,
  type Receipt,
  type RefundResult,
} from '../port.js';

/** YooKassa's `amount` object: a decimal string with exactly the currency's decimals. */
const amountSchema = z.object({ value: z.string(), currency: z.string() });
export type YooKassaAmount = z.infer<typeof amountSchema>;

export const paymentSchema = z.object({
  id: z.string().min(1),
  status: z.enum(['pending', 'waiting_for_capture', 'succeeded', 'canceled']),
  amount: amountSchema,
  confirmation: z.object({ type: z.string(), confirmation_url: z.string().optional() }).optional(),
  cancellation_details: z.object({ party: z.string(), reason: z.string() }).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  created_at: z.string().optional(),
});
export type YooKassaPayment = z.infer<typeof paymentSchema>;

export const refundSchema = z.object({
  id: z.string().min(1),
  payment_id: z.string(),
  status: z.enum(['pending', 'succeeded', 'canceled']),
  amount: amountSchema,
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/** GET /v3/refunds answers a page of refunds and, when more follow, the cursor of the next page. */
export const refundListSchema = z.object({
  type: z.literal('list'),
  items: z.array(refundSchema),
  next_cursor: z.string().optional(),
});

/** The metadata key under which Visitpay's own refunds carry our refund request id (R32). */
export const REFUND_REQUEST_KEY = 'refundRequestId';
export type YooKassaRefund = z.infer<typeof refundSchema>;

/** The receipt object POST /v3/receipts answers (https://yookassa.ru/developers/api, "Создание чека"). */
export const receiptObjectSchema = z.object({
  id: z.string().min(1),
  type: z.enum(['payment', 'refund']),
  payment_id: z.string().optional(),
  status: z.enum(['pending', 'succeeded', 'canceled']),
});
export type YooKassaReceiptObject = z.infer<typeof receiptObjectSchema>;

export const meSchema = z.object({
  account_id: z.string(),
  status: z.string().optional(),
  test: z.boolean().optional(),
});

/**
 * The notification types Visitpay processes (YooKassa's merchant profile → HTTP notifications
 * offers these four); any other is refused 400 before any API call (S5).
 * `waiting_for_capture` never happens with capture:true, and reads back as still pending.
 */
export const YOOKASSA_EVENT_TYPES = [
  'payment.succeeded',
  'payment.canceled',
  'payment.waiting_for_capture',
  'refund.succeeded',
] as const;

/** The notification body. Never trusted: only `event` and `object.id` are read, then re-read from the API. */
export const notificationSchema = z.object({
  type: z.literal('notification'),
  event: z.string().min(1).max(100),
  object: z.object({ id: z.string().min(1).max(64) }),
});

/** SPEC §3 taxation systems → `tax_system_code` (4, ENVD, no longer exists). */
export const TAX_SYSTEM_CODES: Record<string, number> = {
  osn: 1,
  usn_income: 2,
  usn_income_outcome: 3,
  esn: 5,
  patent: 6,
};

/**
 * SPEC §3 VAT codes → `vat_code`, per YooKassa's current table. 11 and 12 are the 22 % and
 * 22/122 rates in force from 1 January 2026 (the general rate rose from 20 %).
 */
export const VAT_CODES: Record<string, number> = {
  none: 1,
  vat0: 2,
  vat10: 3,
  vat20: 4,
  vat10_110: 5,
  vat20_120: 6,
  vat5: 7,
  vat7: 8,
  vat5_105: 9,
  vat7_107: 10,
  vat22: 11,
  vat22_122: 12,
};

export function toAmount(minor: number, currency: string): YooKassaAmount {
  return { value: toDecimalString(minor, currencyExponent(currency)), currency };
}

export function fromAmount(amount: YooKassaAmount): number {
  return fromDecimalString(amount.value, currencyExponent(amount.currency));
}

/** YooKassa limits descriptions (payment and receipt line) to 128 characters. */
export function clip(text: string, max = 128): string {
  const chars = [...text.trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

export interface YooKassaReceipt {
  customer: { email?: string; phone?: string };
  tax_system_code: number;
  items: {
    description: string;
    quantity: number;
    amount: YooKassaAmount;
    vat_code: number;
    payment_subject: string;
    payment_mode: string;
  }[];
}

/**
 * Our receipt in YooKassa's shape. YooKassa wants a price per piece (`amount` × `quantity` per
 * line), while our lines carry whole-line totals; a partly paid line rarely divides evenly, so
 * it becomes two lines (some pieces at the lower price, the rest one minor unit dearer) and the
 * receipt still sums exactly. Phones go without the `+` (E.164 digits, e.g. 79001234567).
 */
export function toYooKassaReceipt(receipt: Receipt, currency: string): YooKassaReceipt {
  const taxSystemCode = TAX_SYSTEM_CODES[receipt.taxSystem];
  if (taxSystemCode === undefined)
    throw new ProviderRejectedError(
      `YooKassa receipts have no taxation system ${receipt.taxSystem}`,
      'invalid_receipt',
    );
  const items = receipt.items.flatMap((line) => {
    const vatCode = VAT_CODES[line.vat];
    if (vatCode === undefined)
      throw new ProviderRejectedError(`YooKassa receipts have no VAT code ${line.vat}`, 'invalid_receipt');
    const unit = Math.floor(line.amount / line.quantity);
    const dearer = line.amount - unit * line.quantity;
    const chunks = [
      { quantity: line.quantity - dearer, price: unit },
      { quantity: dearer, price: unit + 1 },
    ].filter((c) => c.quantity > 0 && c.price > 0);
    return chunks.map((c) => ({
      description: clip(line.description),
      quantity: c.quantity,
      amount: toAmount(c.price, currency),
      vat_code: vatCode,
      payment_subject: line.paymentSubject,
      payment_mode: line.paymentMode,
    }));
  });
  const customer = {
    ...(receipt.customer.email ? { email: receipt.customer.email } : {}),
    ...(receipt.customer.phone ? { phone: receipt.customer.phone.replace(/\D/g, '') } : {}),
  };
  return { customer, tax_system_code: taxSystemCode, items };
}

/**
 * R33: the body of POST /v3/receipts for a settlement receipt ("чек зачета предоплаты"), as
 * YooKassa documents it for the "Платеж и чек одновременно" scenario
 * (https://yookassa.ru/developers/payment-acceptance/receipts/54fz/yoomoney/payments, "Чек зачета
 * предоплаты"; https://yookassa.ru/developers/api, "Создание чека"): `type: payment` with the
 * `payment_id` of the prepayment, the `customer`, the `items` handed over (`payment_mode:
 * full_payment`, summing to the offset), `settlements: [{type: prepayment, amount}]` saying they
 * are paid by offsetting the prepayment, `tax_system_code`, and `send: true` (register it now).
 */
export function toSettlementReceiptBody(input: {
  providerPaymentId: string;
  amount: number;
  currency: string;
  receipt: Receipt;
}) {
  const receipt = toYooKassaReceipt(input.receipt, input.currency);
  return {
    type: 'payment' as const,
    payment_id: input.providerPaymentId,
    send: true,
    customer: receipt.customer,
    items: receipt.items,
    settlements: [{ type: 'prepayment' as const, amount: toAmount(input.amount, input.currency) }],
    tax_system_code: receipt.tax_system_code,
  };
}

const EXPIRED_REASONS = new Set(['expired_on_confirmation', 'expired_on_capture', 'payment_expired']);
const MERCHANT_REASONS = new Set(['canceled_by_merchant']);

/** The metadata key under which we keep our attempt's expiry, since YooKassa takes none. */
export const EXPIRES_AT_KEY = 'expiresAt';

/**
 * A YooKassa payment in our words.
 *
 * YooKassa payments take no expiry: a `pending` one stays payable until YooKassa cancels it
 * itself, about an hour after creation for card payments (reason `expired_on_confirmation`), and
 * it can't be canceled through the API (cancel works only for `waiting_for_capture`). So our
 * attempt TTL is enforced here: once our expiry (kept in the payment's metadata) has passed, a
 * still-pending payment reads as `expired` for staff and client. If the client pays in the
 * minutes before YooKassa's own cancel, the success still arrives and is credited (expired →
 * succeeded is allowed; too much money is refunded, R18).
 */
export function checkoutStateOf(payment: YooKassaPayment, now: Date): CheckoutState {
  const status = statusOf(payment, now);
  const reason = payment.cancellation_details?.reason;
  const rawStatus = payment.status === 'canceled' && reason ? `canceled:${reason}` : payment.status;
  const redirectUrl =
    payment.status === 'pending' && status === 'pending' ? payment.confirmation?.confirmation_url : undefined;
  return {
    checkoutId: payment.id,
    status,
    rawStatus,
    ...(redirectUrl ? { redirectUrl } : {}),
    ...(status === 'succeeded'
      ? {
          providerPaymentId: payment.id,
          amountPaid: fromAmount(payment.amount),
          currencyPaid: payment.amount.currency.toUpperCase(),
        }
      : {}),
  };
}

function statusOf(payment: YooKassaPayment, now: Date): CheckoutStatus {
  switch (payment.status) {
    case 'succeeded':
      return 'succeeded';
    case 'canceled': {
      const reason = payment.cancellation_details?.reason ?? '';
      if (EXPIRED_REASONS.has(reason)) return 'expired';
      if (MERCHANT_REASONS.has(reason)) return 'canceled';
      // A decline (insufficient_funds, 3d_secure_failed, fraud_suspected …): the client may try again.
      return 'failed';
    }
    case 'pending':
      return pastOurExpiry(payment, now) ? 'expired' : 'pending';
    case 'waiting_for_capture':
      // Not reached with capture:true; if it is, money is only authorized, not ours yet.
      return 'pending';
  }
}

export function pastOurExpiry(payment: YooKassaPayment, now: Date): boolean {
  const raw = payment.metadata?.[EXPIRES_AT_KEY];
  const at = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
  return Number.isFinite(at) && now.getTime() >= at;
}

export function refundResultOf(refund: YooKassaRefund): RefundResult {
  const status: RefundResult['status'] =
    refund.status === 'succeeded' ? 'succeeded' : refund.status === 'canceled' ? 'failed' : 'pending';
  return { refundId: refund.id, status, rawStatus: refund.status };
}

/** R32: a YooKassa refund as the port sees it. */
export function providerRefundOf(refund: YooKassaRefund): ProviderRefund {
  const requestId = refund.metadata?.[REFUND_REQUEST_KEY];
  return {
    refundId: refund.id,
    status: refundResultOf(refund).status,
    amount: fromAmount(refund.amount),
    currency: refund.amount.currency.toUpperCase(),
    ...(typeof requestId === 'string' ? { requestId } : {}),
  };
}
