import type Stripe from 'stripe';
import { currencyExponent, formatMoney } from '../../shared/money.js';
import {
  ProviderRejectedError,
  type CheckoutState,
  type CheckoutStatus,
  type ProviderRefund,
  type RefundResult,
} from '../port.js';

/**
 * Amounts and states between Visitpay and Stripe. Visitpay's minor unit comes from Intl (ISO 4217);
 * Stripe's is its own: zero-decimal currencies, three-decimal ones whose last digit must be 0, and
 * two decimals for everything else — ISK and HUF included, which Intl counts with none.
 */

/** Stripe's zero-decimal currencies (Supported currencies → Zero-decimal currencies). */
const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
/** Stripe's three-decimal currencies: amounts in thousandths, rounded to the nearest ten. */
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/** Minimum charge amounts from Stripe's currency table, in Stripe's minor units. */
const MINIMUM_CHARGE: Readonly<Record<string, number>> = {
  USD: 50,
  AED: 200,
  AUD: 50,
  BGN: 100,
  BRL: 50,
  CAD: 50,
  CHF: 50,
  CZK: 1_500,
  DKK: 250,
  EUR: 50,
  GBP: 30,
  HKD: 400,
  HUF: 17_500,
  INR: 50,
  JPY: 50,
  MXN: 1_000,
  MYR: 200,
  NOK: 300,
  NZD: 50,
  PLN: 200,
  RON: 200,
  SEK: 300,
  SGD: 50,
  THB: 1_000,
};
/** "The amount value supports up to eight digits." */
const MAXIMUM_CHARGE = 99_999_999;

export function stripeExponent(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** The granularity Stripe accepts in its own minor units: 10 for three-decimal currencies, else 1. */
export function stripeStep(currency: string): number {
  return THREE_DECIMAL.has(currency.toUpperCase()) ? 10 : 1;
}

/** Visitpay minor units → Stripe minor units, rounded down to what Stripe can charge. */
function floorToStripe(amount: number, currency: string): number {
  const shift = stripeExponent(currency) - currencyExponent(currency.toUpperCase());
  const scaled = shift >= 0 ? amount * 10 ** shift : Math.floor(amount / 10 ** -shift);
  const step = stripeStep(currency);
  return scaled - (scaled % step);
}

/** Stripe minor units → Visitpay minor units; never more than Stripe holds. */
export function fromStripeAmount(amount: number, currency: string): number {
  const shift = currencyExponent(currency.toUpperCase()) - stripeExponent(currency);
  return shift >= 0 ? amount * 10 ** shift : Math.floor(amount / 10 ** -shift);
}

/** What a checkout for `amount` captures, back in Visitpay minor units (three-decimal currencies lose their last digit). */
export function capturedFor(amount: number, currency: string): number {
  return fromStripeAmount(floorToStripe(amount, currency), currency);
}

/** An exact conversion (refunds must give back exactly what was asked); refuses what Stripe cannot express. */
export function toStripeAmountExact(amount: number, currency: string): number {
  const stripeAmount = floorToStripe(amount, currency);
  if (fromStripeAmount(stripeAmount, currency) !== amount) {
    throw new ProviderRejectedError(
      `Stripe cannot move ${formatMoney(amount, currency)}: ${currency} amounts must be multiples of ${formatMoney(fromStripeAmount(stripeStep(currency), currency), currency)}`,
      'amount_not_representable',
    );
  }
  return stripeAmount;
}

/**
 * What a checkout charges for `amount`, in Stripe's minor units: three-decimal currencies round
 * down to the ten Stripe accepts (the client never pays more than is due; the remainder stays
 * due). Refuses amounts outside Stripe's minimum and maximum with a message staff can act on.
 */
export function chargeFor(amount: number, currency: string): number {
  const stripeAmount = floorToStripe(amount, currency);
  const minimum = MINIMUM_CHARGE[currency.toUpperCase()] ?? stripeStep(currency);
  if (stripeAmount < minimum) {
    throw new ProviderRejectedError(
      `Stripe cannot charge less than ${formatMoney(fromStripeAmount(minimum, currency), currency)}; the amount to pay is ${formatMoney(amount, currency)}`,
      'amount_too_small',
    );
  }
  if (stripeAmount > MAXIMUM_CHARGE) {
    throw new ProviderRejectedError(
      `Stripe cannot charge more than ${formatMoney(fromStripeAmount(MAXIMUM_CHARGE, currency), currency)} at once; the amount to pay is ${formatMoney(amount, currency)}`,
      'amount_too_large',
    );
  }
  return stripeAmount;
}

const MINUTE = 60_000;
/** Stripe accepts expires_at from 30 minutes to 24 hours after the session's creation. */
export const STRIPE_MIN_EXPIRY_MS = 30 * MINUTE;
export const STRIPE_MAX_EXPIRY_MS = 24 * 60 * MINUTE;
/** Room for the request's travel and for clocks that disagree a little. */
const EXPIRY_MARGIN_MS = MINUTE;
/** A clamped expiry is put on this grid so that a retried create repeats the same parameters. */
const EXPIRY_GRID_MS = 5 * MINUTE;

/** The session's expires_at (unix seconds): our attempt's expiry, moved into Stripe's window when outside it. */
export function sessionExpiresAt(wanted: Date, now: Date): number {
  const earliest = now.getTime() + STRIPE_MIN_EXPIRY_MS + EXPIRY_MARGIN_MS;
  const latest = now.getTime() + STRIPE_MAX_EXPIRY_MS - EXPIRY_MARGIN_MS;
  let at = wanted.getTime();
  if (at < earliest) at = Math.ceil(earliest / EXPIRY_GRID_MS) * EXPIRY_GRID_MS;
  else if (at > latest) at = Math.floor(latest / EXPIRY_GRID_MS) * EXPIRY_GRID_MS;
  return Math.floor(at / 1000);
}

const FAILED_INTENT = new Set(['requires_payment_method', 'canceled']);

function intentOf(session: Stripe.Checkout.Session): { id?: string; status?: string } {
  const intent = session.payment_intent;
  if (!intent) return {};
  return typeof intent === 'string' ? { id: intent } : { id: intent.id, status: intent.status };
}

/**
 * A Checkout Session as Visitpay sees it: open → pending; complete and paid → succeeded; complete
 * and unpaid → pending while an asynchronous payment (a bank debit) is on its way, failed once its
 * PaymentIntent fell back to needing a payment method; expired → expired.
 */
export function checkoutStateOf(session: Stripe.Checkout.Session, override?: CheckoutStatus): CheckoutState {
  const intent = intentOf(session);
  let status: CheckoutStatus;
  if (session.status === 'expired') status = 'expired';
  else if (session.status !== 'complete') status = 'pending';
  else if (session.payment_status === 'paid') status = 'succeeded';
  // mode=payment with an amount due never needs no payment; if Stripe says so, nothing was collected
  else if (session.payment_status === 'no_payment_required') status = 'failed';
  else status = intent.status && FAILED_INTENT.has(intent.status) ? 'failed' : 'pending';
  if (override) status = override;
  return {
    checkoutId: session.id,
    status,
    rawStatus: `${session.status ?? 'unknown'}/${session.payment_status}`,
    ...(status === 'pending' && session.url ? { redirectUrl: session.url } : {}),
    ...(intent.id ? { providerPaymentId: intent.id } : {}),
    ...(status === 'succeeded' && session.currency
      ? {
          amountPaid: fromStripeAmount(session.amount_total ?? 0, session.currency),
          currencyPaid: session.currency.toUpperCase(),
        }
      : {}),
  };
}

/** Refund states: pending and requires_action are still on their way; failed and canceled gave nothing back. */
export function refundStatusOf(status: string | null): RefundResult['status'] {
  if (status === 'succeeded') return 'succeeded';
  if (status === 'failed' || status === 'canceled') return 'failed';
  return 'pending';
}

/** R32: a Stripe refund as the port sees it; Visitpay's own carry our request id in their metadata. */
export function providerRefundOf(refund: Stripe.Refund): ProviderRefund {
  const requestId = refund.metadata?.refundRequestId;
  return {
    refundId: refund.id,
    status: refundStatusOf(refund.status),
    amount: fromStripeAmount(refund.amount, refund.currency),
    currency: refund.currency.toUpperCase(),
    ...(requestId ? { requestId } : {}),
  };
}

/** The PaymentIntent id a refund or charge names (expanded or not). */
export function intentIdOf(intent: string | Stripe.PaymentIntent | null | undefined): string | undefined {
  if (!intent) return undefined;
  return typeof intent === 'string' ? intent : intent.id;
}
