import type Stripe from 'stripe';
import { unsupportedEvent, type CheckoutStatus, type ProviderEvent } from '../port.js';
import { checkoutStateOf, intentIdOf, providerRefundOf } from './stripe-mapping.js';

/** The event types that say something about a checkout, and what each one means for it. */
const CHECKOUT_EVENTS: Readonly<Record<string, CheckoutStatus | undefined>> = {
  'checkout.session.completed': undefined,
  'checkout.session.async_payment_succeeded': 'succeeded',
  'checkout.session.async_payment_failed': 'failed',
  'checkout.session.expired': 'expired',
};

/** R32: refunds made by Visitpay or in the Stripe Dashboard; charge.refunded names the charge's newest one. */
const REFUND_EVENTS = new Set(['refund.created', 'refund.updated', 'refund.failed']);

/**
 * Every event type Visitpay processes; any other is refused 400 and not stored (S5). The Stripe
 * webhook endpoint should subscribe to exactly these: Stripe retries a refused event for days.
 */
export const STRIPE_EVENT_TYPES: readonly string[] = [
  ...Object.keys(CHECKOUT_EVENTS),
  ...REFUND_EVENTS,
  'charge.refunded',
];

export interface EventContext {
  companyId: string;
  /** The newest refund of a charge, when the event's charge does not list them (API versions since 2022-11-15). */
  latestRefundOf(chargeId: string): Promise<Stripe.Refund | undefined>;
}

/**
 * A verified Stripe event, normalized. Checkout events carry the session's state; refunds are
 * reported by refund.* events, or by charge.refunded through the charge's newest refund. A
 * session another Visitpay company made on the same Stripe account is not this company's.
 */
export async function providerEventOf(event: Stripe.Event, context: EventContext): Promise<ProviderEvent> {
  const base = { eventId: event.id, eventType: event.type };
  const ignored: ProviderEvent = { kind: 'ignored', ...base };
  if (event.type in CHECKOUT_EVENTS) {
    const session = event.data.object as Stripe.Checkout.Session;
    if (session.object !== 'checkout.session' || session.mode !== 'payment') return ignored;
    const owner = session.metadata?.companyId;
    if (owner && owner !== context.companyId) return ignored;
    const attemptId = session.metadata?.attemptId ?? session.client_reference_id ?? undefined;
    const state = checkoutStateOf(session, CHECKOUT_EVENTS[event.type]);
    return { kind: 'checkout', ...base, ...(attemptId ? { attemptId } : {}), state };
  }
  if (REFUND_EVENTS.has(event.type)) return refundEvent(base, event.data.object as Stripe.Refund, event.type, context);
  if (event.type === 'charge.refunded') {
    const charge = event.data.object as Stripe.Charge;
    const refund = charge.refunds?.data?.[0] ?? (await context.latestRefundOf(charge.id));
    if (!refund) return ignored;
    return refundEvent(base, refund, event.type, context);
  }
  throw unsupportedEvent('stripe', event.type, STRIPE_EVENT_TYPES);
}

/**
 * R32: a refund, with the payment it gives back and its figures, as Stripe signed them. A refund
 * Visitpay made for another company on a shared account is not this company's.
 */
function refundEvent(
  base: { eventId: string; eventType: string },
  refund: Stripe.Refund,
  type: string,
  context: EventContext,
): ProviderEvent {
  const owner = refund.metadata?.companyId;
  if (owner && owner !== context.companyId) return { kind: 'ignored', ...base };
  const normalized = providerRefundOf(refund);
  const status = type === 'refund.failed' ? 'failed' : normalized.status;
  const intent = intentIdOf(refund.payment_intent);
  return {
    kind: 'refund',
    ...base,
    refundId: refund.id,
    ...(intent ? { providerPaymentId: intent } : {}),
    status,
    refund: { ...normalized, status },
  };
}
