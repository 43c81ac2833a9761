import type Stripe from 'stripe';
import { allocate } from '../../shared/money.js';
import type { CreateCheckoutInput, LineItem } from '../port.js';
import { chargeFor, sessionExpiresAt, stripeStep } from './stripe-mapping.js';

type SessionLine = Stripe.Checkout.SessionCreateParams.LineItem;

/** Checkout allows at most 100 line items in payment mode. */
const MAX_LINES = 100;

function line(currency: string, name: string, unitAmount: number, quantity: number): SessionLine {
  return {
    quantity,
    price_data: { currency: currency.toLowerCase(), unit_amount: unitAmount, product_data: { name } },
  };
}

/**
 * The session's lines, summing exactly to the charge. The appointment's lines are scaled into
 * Stripe's units (and onto its step) by largest remainder; a line whose amount does not divide
 * by its quantity goes as one unit at the line's amount, so no unit price is ever rounded.
 */
export function sessionLineItems(
  input: { amount: number; currency: string; description: string; lineItems: readonly LineItem[] },
  stripeAmount: number,
): SessionLine[] {
  const { currency } = input;
  const usable = input.lineItems.filter(
    (l) => Number.isSafeInteger(l.amount) && l.amount > 0 && Number.isSafeInteger(l.quantity) && l.quantity > 0,
  );
  const total = usable.reduce((sum, l) => sum + l.amount, 0);
  if (usable.length === 0 || usable.length > MAX_LINES || total !== input.amount) {
    return [line(currency, input.description, stripeAmount, 1)];
  }
  const step = stripeStep(currency);
  const parts = allocate(
    stripeAmount / step,
    usable.map((l) => l.amount),
  ).map((p) => p * step);
  const lines: SessionLine[] = [];
  usable.forEach((item, k) => {
    const amount = parts[k] ?? 0;
    if (amount === 0) return;
    if (amount % (item.quantity * step) === 0)
      lines.push(line(currency, item.title, amount / item.quantity, item.quantity));
    else lines.push(line(currency, item.quantity > 1 ? `${item.title} × ${item.quantity}` : item.title, amount, 1));
  });
  return lines;
}

/** What POST /v1/checkout/sessions receives for one attempt. The same attempt gives the same parameters. */
export function checkoutSessionParams(input: CreateCheckoutInput, now: Date): Stripe.Checkout.SessionCreateParams {
  const stripeAmount = chargeFor(input.amount, input.currency);
  const metadata = { ...input.metadata };
  const email = input.receipt?.customer.email;
  return {
    mode: 'payment',
    line_items: sessionLineItems(input, stripeAmount),
    success_url: input.returnUrl,
    cancel_url: input.returnUrl,
    expires_at: sessionExpiresAt(input.expiresAt, now),
    client_reference_id: input.attemptId,
    metadata,
    payment_intent_data: { description: input.description, metadata },
    // The ledger is kept in the company's currency: no conversion to the client's.
    adaptive_pricing: { enabled: false },
    ...(email ? { customer_email: email } : {}),
  };
}
