import type Stripe from 'stripe';
import { unsupportedEvent, type CheckoutStatus, type ProviderEvent } from '../port.js';
import { checkoutStateOf, refundStatusOf } from './stripe-mapping.js';

/** The event types that say something about a checkout, and what each one means for it. */
const CHECKOUT_EVENTS: Readonly<Record<string, CheckoutStatus | undefined>> = {
  'checkout.session.completed': undefined,
  'checkout.session.async_payment_succeeded': 'succeeded',
  'checkout.session.async_payment_failed': 'failed',
  'checkout.session.expired': 'expired',
};

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
  if (REFUND_EVENTS.has(event.type)) {
    const refund = event.data.object as Stripe.Refund;
    const status = event.type === 'refund.failed' ? 'failed' : refundStatusOf(refund.status);
    return { kind: 'refund', ...base, refundId: refund.id, status };
  }
  if (event.type === 'charge.refunded') {
    const charge = event.data.object as Stripe.Charge;
    const refund = charge.refunds?.data?.[0] ?? (await context.latestRefundOf(charge.id));
    if (!refund) return ignored;
    return { kind: 'refund', ...base, refundId: refund.id, status: refundStatusOf(refund.status) };
  }
  throw unsupportedEvent('stripe', event.type, STRIPE_EVENT_TYPES);
}
