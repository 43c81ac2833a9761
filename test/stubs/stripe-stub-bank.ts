import { randomBytes } from 'node:crypto';
import {
  invalid,
  int,
  metadataOf,
  parseSessionRequest,
  str,
  THREE_DECIMAL,
  type SessionRequest,
} from './stripe-stub-checkout.js';
import type { FormObject } from './stripe-stub-form.js';

/** One Stripe account's objects, shaped as Stripe's API returns them. */

export type Json = Record<string, any>;

export const stubId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

export interface StubAccount {
  id: string;
  secretKey: string;
  publishableKey: string;
  webhookSecret: string;
  webhookUrl?: string;
  /** a restricted key without the Checkout Sessions permission */
  checkoutDenied: boolean;
  sessions: Map<string, Json>;
  sessionRequests: Map<string, SessionRequest>;
  intents: Map<string, Json>;
  charges: Map<string, Json>;
  refunds: Map<string, Json>;
  events: Json[];
  /** what new refunds start as: card refunds usually succeed at once, some methods leave them pending */
  refundStatus: 'succeeded' | 'pending';
}

export function newAccount(options: { restricted?: boolean; checkoutDenied?: boolean } = {}): StubAccount {
  const secret = randomBytes(24).toString('hex');
  return {
    id: stubId('acct'),
    secretKey: `${options.restricted ? 'rk' : 'sk'}_test_${secret}`,
    publishableKey: `pk_test_${randomBytes(24).toString('hex')}`,
    webhookSecret: `whsec_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x')}`,
    checkoutDenied: options.checkoutDenied ?? false,
    sessions: new Map(),
    sessionRequests: new Map(),
    intents: new Map(),
    charges: new Map(),
    refunds: new Map(),
    events: [],
    refundStatus: 'succeeded',
  };
}

export function list(data: Json[], url: string, limit: number): Json {
  return { object: 'list', data: data.slice(0, limit), has_more: data.length > limit, url };
}

export function recordEvent(account: StubAccount, type: string, object: Json, now: number): Json {
  const event = {
    id: stubId('evt'),
    object: 'event',
    api_version: '2026-10-28.endive',
    created: now,
    data: { object: structuredClone(object) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
  account.events.push(event);
  return event;
}

/** An open session past its expiry is expired by the time anyone looks. */
export function currentSession(account: StubAccount, id: string, now: number): Json {
  const session = account.sessions.get(id);
  if (!session) throw invalid(`No such checkout.session: '${id}'`, 'session', 'resource_missing');
  if (session.status === 'open' && now >= session.expires_at) {
    session.status = 'expired';
    session.url = null;
  }
  return session;
}

export function createSession(account: StubAccount, params: FormObject, now: number, baseUrl: string): Json {
  const request = parseSessionRequest(params, now);
  const id = stubId('cs_test');
  const session: Json = {
    id,
    object: 'checkout.session',
    amount_subtotal: request.amount,
    amount_total: request.amount,
    cancel_url: request.cancelUrl ?? null,
    client_reference_id: request.clientReferenceId ?? null,
    created: now,
    currency: request.currency,
    customer_email: request.customerEmail ?? null,
    expires_at: request.expiresAt,
    livemode: false,
    metadata: request.metadata,
    mode: 'payment',
    payment_intent: null,
    payment_status: 'unpaid',
    status: 'open',
    success_url: request.successUrl ?? null,
    url: `${baseUrl}/c/pay/${id}`,
  };
  account.sessions.set(id, session);
  account.sessionRequests.set(id, request);
  return session;
}

export function expireSession(account: StubAccount, id: string, now: number): Json {
  const session = currentSession(account, id, now);
  if (session.status !== 'open') {
    throw invalid(
      `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of \`${session.status}\`.`,
    );
  }
  session.status = 'expired';
  session.url = null;
  recordEvent(account, 'checkout.session.expired', session, now);
  return session;
}

/** The client pays at the hosted page: a PaymentIntent and its Charge come to be. */
export function paySession(account: StubAccount, id: string, now: number, asynchronous: boolean): Json {
  const session = currentSession(account, id, now);
  if (session.status !== 'open') throw new Error(`checkout session ${id} is ${session.status}, it cannot be paid`);
  const request = account.sessionRequests.get(id)!;
  const intentId = stubId('pi');
  const chargeId = stubId('ch');
  account.intents.set(intentId, {
    id: intentId,
    object: 'payment_intent',
    amount: request.amount,
    amount_received: asynchronous ? 0 : request.amount,
    currency: request.currency,
    description: request.intentDescription ?? null,
    latest_charge: chargeId,
    metadata: request.intentMetadata,
    status: asynchronous ? 'processing' : 'succeeded',
    created: now,
  });
  account.charges.set(chargeId, {
    id: chargeId,
    object: 'charge',
    amount: request.amount,
    amount_refunded: 0,
    currency: request.currency,
    paid: !asynchronous,
    payment_intent: intentId,
    refunded: false,
    status: asynchronous ? 'pending' : 'succeeded',
    created: now,
  });
  Object.assign(session, {
    status: 'complete',
    payment_status: asynchronous ? 'unpaid' : 'paid',
    payment_intent: intentId,
    url: null,
  });
  return recordEvent(account, 'checkout.session.completed', session, now);
}

/** An asynchronous payment (a bank debit) settles days later, either way. */
export function settleAsync(account: StubAccount, id: string, now: number, outcome: 'succeeded' | 'failed'): Json {
  const session = currentSession(account, id, now);
  const intent = account.intents.get(session.payment_intent);
  if (intent?.status !== 'processing') throw new Error(`checkout session ${id} has no payment in flight`);
  const charge = account.charges.get(intent.latest_charge)!;
  if (outcome === 'succeeded') {
    Object.assign(intent, { status: 'succeeded', amount_received: intent.amount });
    Object.assign(charge, { status: 'succeeded', paid: true });
    session.payment_status = 'paid';
  } else {
    intent.status = 'requires_payment_method';
    charge.status = 'failed';
  }
  return recordEvent(account, `checkout.session.async_payment_${outcome}`, session, now);
}

export function createRefund(account: StubAccount, params: FormObject, now: number): Json {
  for (const key of Object.keys(params)) {
    if (!['payment_intent', 'charge', 'amount', 'metadata', 'reason', 'expand'].includes(key)) {
      throw invalid(`Received unknown parameter: ${key}`, key, 'parameter_unknown');
    }
  }
  const intentId = str(params.payment_intent, 'payment_intent');
  const chargeParam = str(params.charge, 'charge');
  if (!intentId && !chargeParam)
    throw invalid(
      'One of the following params should be provided for this request: payment_intent or charge.',
      undefined,
      'parameter_missing',
    );
  const intent = intentId ? account.intents.get(intentId) : undefined;
  if (intentId && !intent) throw invalid(`No such payment_intent: '${intentId}'`, 'payment_intent', 'resource_missing');
  const charge = account.charges.get(intent?.latest_charge ?? chargeParam ?? '');
  if (!charge) throw invalid(`No such charge: '${chargeParam}'`, 'charge', 'resource_missing');
  if (charge.status !== 'succeeded')
    throw invalid(`Charge ${charge.id} has not succeeded; it cannot be refunded.`, undefined, 'charge_not_refundable');
  const left = charge.amount - charge.amount_refunded;
  if (left === 0) throw invalid(`Charge ${charge.id} has already been refunded.`, undefined, 'charge_already_refunded');
  const amount = int(params.amount, 'amount') ?? left;
  if (amount <= 0) throw invalid('This value must be greater than or equal to 1.', 'amount');
  if (amount > left)
    throw invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, 'amount');
  if (THREE_DECIMAL.has(charge.currency) && amount % 10 !== 0)
    throw invalid(`Amounts in ${charge.currency} must be rounded to the nearest ten.`, 'amount');
  const refund: Json = {
    id: stubId('re'),
    object: 'refund',
    amount,
    charge: charge.id,
    created: now,
    currency: charge.currency,
    metadata: metadataOf(params.metadata, 'metadata'),
    payment_intent: charge.payment_intent,
    reason: str(params.reason, 'reason') ?? null,
    status: account.refundStatus,
  };
  account.refunds.set(refund.id, refund);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  recordEvent(account, 'refund.created', refund, now);
  // Since API version 2022-11-15 a charge no longer lists its refunds unless expanded.
  recordEvent(account, 'charge.refunded', charge, now);
  return refund;
}

export function settleRefund(account: StubAccount, id: string, now: number, outcome: 'succeeded' | 'failed'): Json {
  const refund = account.refunds.get(id);
  if (!refund) throw new Error(`no refund ${id}`);
  refund.status = outcome;
  if (outcome === 'failed') {
    const charge = account.charges.get(refund.charge)!;
    charge.amount_refunded -= refund.amount;
    charge.refunded = false;
  }
  return recordEvent(account, outcome === 'failed' ? 'refund.failed' : 'refund.updated', refund, now);
}

/** GET /v1/refunds: `charge` or `payment_intent`, `limit` 1–100 (10 by default), `starting_after`. */
export function listRefunds(account: StubAccount, query: FormObject): Json {
  for (const key of Object.keys(query)) {
    if (!['charge', 'payment_intent', 'limit', 'starting_after', 'ending_before', 'created', 'expand'].includes(key))
      throw invalid(`Received unknown parameter: ${key}`, key, 'parameter_unknown');
  }
  const limit = int(query.limit, 'limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalid('This value must be less than or equal to 100.', 'limit');
  const charge = str(query.charge, 'charge');
  const intent = str(query.payment_intent, 'payment_intent');
  if (intent && !account.intents.has(intent))
    throw invalid(`No such payment_intent: '${intent}'`, 'payment_intent', 'resource_missing');
  // newest first, as Stripe lists them
  const refunds = [...account.refunds.values()]
    .filter((r) => (!charge || r.charge === charge) && (!intent || r.payment_intent === intent))
    .reverse();
  const after = str(query.starting_after, 'starting_after');
  const start = after ? refunds.findIndex((r) => r.id === after) + 1 : 0;
  if (after && start === 0) throw invalid(`No such refund: '${after}'`, 'starting_after', 'resource_missing');
  return list(refunds.slice(start), '/v1/refunds', limit);
}

export function retrieveRefund(account: StubAccount, id: string): Json {
  const refund = account.refunds.get(id);
  if (!refund) throw invalid(`No such refund: '${id}'`, 'id', 'resource_missing');
  return refund;
}

/** `expand[]=payment_intent` on a session answers the PaymentIntent object in place of its id. */
export function expandSession(account: StubAccount, session: Json, expand: unknown): Json {
  const wanted = Array.isArray(expand) ? expand : [];
  if (!wanted.includes('payment_intent') || !session.payment_intent) return session;
  return { ...session, payment_intent: account.intents.get(session.payment_intent) ?? session.payment_intent };
}
