import type Stripe from 'stripe';
import type { Clock } from '../../shared/clock.js';
import { DomainError } from '../../shared/errors.js';
import {
  ProviderRejectedError,
  ProviderUnavailableError,
  type CheckoutState,
  type CreateCheckoutInput,
  type Credentials,
  type NotificationInput,
  type PaymentProvider,
  type PaymentRef,
  type ProviderRefund,
  type ProviderEvent,
  type RefundInput,
  type RefundResult,
} from '../port.js';
import { checkoutSessionParams } from './stripe-checkout-params.js';
import { isStripeError, providerErrorOf, StripeClients, stripeSdk } from './stripe-client.js';
import { parseStripeCredentials, secretKeyOf, stripeCredentialsHint } from './stripe-credentials.js';
import { providerEventOf } from './stripe-events.js';
import { checkoutStateOf, providerRefundOf, refundStatusOf, toStripeAmountExact } from './stripe-mapping.js';

export interface StripeProviderDeps {
  clock: Clock;
  /** VISITPAY_STRIPE_API_URL */
  apiUrl: string;
  /** per request; Stripe answers in well under a second, 10 s means it is not answering */
  timeoutMs?: number;
  /** the SDK's own retries of connection errors, 409 and 5xx, with the same idempotency key */
  maxNetworkRetries?: number;
}

/** How old a signed notification may be (Stripe's own default) before it is taken for a replay. */
export const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;

type CheckoutRef = { companyId: string; credentials: Credentials; checkoutId: string };

/**
 * Stripe through the official SDK: Checkout Sessions (mode=payment) with our attempt id as the
 * idempotency key, the expire endpoint, refunds of the session's PaymentIntent, and webhook events
 * verified with the endpoint's signing secret. Credentials are `{secretKey, webhookSecret,
 * publishableKey?}`; the API base is VISITPAY_STRIPE_API_URL.
 */
export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  private readonly clients: StripeClients;

  constructor(private readonly deps: StripeProviderDeps) {
    this.clients = new StripeClients({
      apiUrl: deps.apiUrl,
      timeoutMs: deps.timeoutMs ?? 10_000,
      maxNetworkRetries: deps.maxNetworkRetries ?? 2,
    });
  }

  /** Shape first, then a read that needs the same Checkout permission the adapter uses (restricted keys too). */
  async validateCredentials(_companyId: string, credentials: Credentials): Promise<Credentials> {
    const parsed = parseStripeCredentials(credentials);
    try {
      await (await this.clients.for(parsed.secretKey)).checkout.sessions.list({ limit: 1 });
    } catch (error) {
      throw credentialsRefusal(error);
    }
    return { ...parsed };
  }

  credentialsHint(credentials: Credentials): Record<string, string> {
    return stripeCredentialsHint(credentials);
  }

  async createCheckout(input: CreateCheckoutInput): Promise<CheckoutState> {
    const client = await this.clients.for(secretKeyOf(input.credentials));
    const params = checkoutSessionParams(input, this.deps.clock.now());
    try {
      const session = await client.checkout.sessions.create(params, { idempotencyKey: input.attemptId });
      return checkoutStateOf(session);
    } catch (error) {
      throw providerErrorOf(error, 'creating the Checkout Session');
    }
  }

  async getCheckout(input: CheckoutRef): Promise<CheckoutState> {
    const client = await this.clients.for(secretKeyOf(input.credentials));
    try {
      // The PaymentIntent tells a pending asynchronous payment from one that failed.
      return checkoutStateOf(await client.checkout.sessions.retrieve(input.checkoutId, { expand: ['payment_intent'] }));
    } catch (error) {
      throw providerErrorOf(error, `reading Checkout Session ${input.checkoutId}`);
    }
  }

  /** Only an open session can be expired; one already complete or expired is answered as it stands. */
  async expireCheckout(input: CheckoutRef): Promise<CheckoutState> {
    const client = await this.clients.for(secretKeyOf(input.credentials));
    try {
      return checkoutStateOf(await client.checkout.sessions.expire(input.checkoutId));
    } catch (error) {
      if (!(error instanceof (await stripeSdk()).errors.StripeInvalidRequestError) || error.statusCode !== 400)
        throw providerErrorOf(error, `expiring Checkout Session ${input.checkoutId}`);
      const state = await this.getCheckout(input);
      if (state.status === 'pending' && state.redirectUrl)
        throw providerErrorOf(error, `expiring Checkout Session ${input.checkoutId}`);
      return state;
    }
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    const client = await this.clients.for(secretKeyOf(input.credentials));
    const amount = toStripeAmountExact(input.amount, input.currency);
    // A payment recorded without its PaymentIntent id still has its session, which knows it.
    const intent = input.providerPaymentId.startsWith('pi_')
      ? input.providerPaymentId
      : (await this.getCheckout(input)).providerPaymentId;
    if (!intent)
      throw new ProviderRejectedError(
        `Checkout Session ${input.checkoutId} has no PaymentIntent to refund`,
        'payment_intent_missing',
      );
    try {
      let refund = await client.refunds.create(
        {
          payment_intent: intent,
          amount,
          metadata: { companyId: input.companyId, checkoutId: input.checkoutId, refundRequestId: input.idempotencyKey },
        },
        { idempotencyKey: input.idempotencyKey },
      );
      // A retried key replays the first answer; a refund that was pending then may have settled since.
      if (refundStatusOf(refund.status) === 'pending') refund = await client.refunds.retrieve(refund.id);
      return { refundId: refund.id, status: refundStatusOf(refund.status), rawStatus: refund.status ?? 'unknown' };
    } catch (error) {
      throw providerErrorOf(error, `refunding ${intent}`);
    }
  }

  /** R32: GET /v1/refunds?payment_intent=…, every page (Stripe lists at most 100 at a time). */
  async listRefunds(input: PaymentRef): Promise<ProviderRefund[]> {
    const intent = input.providerPaymentId.startsWith('pi_')
      ? input.providerPaymentId
      : (await this.getCheckout(input)).providerPaymentId;
    if (!intent) return [];
    const client = await this.clients.for(secretKeyOf(input.credentials));
    try {
      const refunds = await client.refunds
        .list({ payment_intent: intent, limit: 100 })
        .autoPagingToArray({ limit: 10_000 });
      return refunds.map(providerRefundOf);
    } catch (error) {
      throw providerErrorOf(error, `listing the refunds of ${intent}`);
    }
  }

  async parseNotification(input: NotificationInput): Promise<ProviderEvent> {
    const secret = input.credentials.webhookSecret;
    if (!secret) throw new DomainError('invalid_signature', 'no Stripe signing secret to verify the notification with');
    const header = input.headers['stripe-signature'];
    const signature = Array.isArray(header) ? header[0] : header;
    if (!signature) throw new DomainError('invalid_signature', 'Stripe-Signature header is missing');
    const { webhooks } = await stripeSdk();
    let event: Stripe.Event;
    try {
      event = webhooks.constructEvent(
        input.rawBody,
        signature,
        secret,
        STRIPE_SIGNATURE_TOLERANCE_SECONDS,
        undefined,
        this.deps.clock.now().getTime(),
      );
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new DomainError('validation_failed', 'notification body is not JSON', { field: 'body' });
      throw new DomainError(
        'invalid_signature',
        `Stripe signature rejected: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (event?.object !== 'event' || typeof event.type !== 'string' || !event.data?.object) {
      throw new DomainError('validation_failed', 'notification body is not a Stripe event', { field: 'body' });
    }
    return providerEventOf(event, {
      companyId: input.companyId,
      latestRefundOf: async (chargeId) => {
        const client = await this.clients.for(secretKeyOf(input.credentials));
        try {
          return (await client.refunds.list({ charge: chargeId, limit: 1 })).data[0];
        } catch (error) {
          throw providerErrorOf(error, `listing the refunds of ${chargeId}`);
        }
      },
    });
  }
}

/** Why Stripe would not take the key, said so that the person connecting can fix it. */
function credentialsRefusal(error: unknown): Error {
  if (isStripeError(error) && error.statusCode === 401) {
    return new DomainError('validation_failed', 'Stripe did not accept this secret key', {
      field: 'credentials.secretKey',
      reason: 'not_accepted',
      providerCode: error.code ?? null,
    });
  }
  if (isStripeError(error) && error.statusCode === 403) {
    return new DomainError(
      'validation_failed',
      'This restricted key may not use Checkout Sessions; in Stripe allow it Checkout Sessions and Refunds (write)',
      {
        field: 'credentials.secretKey',
        reason: 'restricted',
        providerCode: error.code ?? null,
      },
    );
  }
  const mapped = providerErrorOf(error, 'checking the secret key');
  if (mapped instanceof ProviderUnavailableError)
    return new DomainError('provider_error', 'Stripe is not answering right now; try connecting again in a moment');
  if (mapped instanceof ProviderRejectedError)
    return new DomainError('validation_failed', mapped.message, { field: 'credentials.secretKey', reason: 'refused' });
  return mapped;
}
