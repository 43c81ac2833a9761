import { STATUS_CODES } from 'node:http';
import type { Db } from '../../db/database.js';
import { type Backoff, nextDueAfterFailure } from '../../db/durable-queue.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { SecretBox } from '../../shared/encryption.js';
import type { OutboundGuard } from '../../shared/outbound/outbound-guard.js';
import { postGuarded } from '../../shared/outbound/guarded-post.js';
import { signatureHeader } from '../../shared/webhook-signature.js';
import {
  claimDueDeliveries,
  markDelivered,
  markFailed,
  scheduleRetry,
  type ClaimedDelivery,
} from './webhook-endpoints.repository.js';

/** Tries of one event to one endpoint before it is marked failed: the back-off below spans about three days. */
export const MAX_DELIVERY_TRIES = 16;
/** How long a claimed delivery stays invisible to other processes (must outlast a send). */
const LEASE_MS = 60_000;

/** 30 s after the first failed try, then 1, 2, 4 … minutes, never more than 6 hours apart. */
const DELIVERY_BACKOFF: Backoff = { firstMs: 30_000, capMs: 6 * 3_600_000 };

export interface WebhookDeliveryDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  secrets: SecretBox;
  /** S4: where sends may go, judged again on every connection */
  outbound: OutboundGuard;
  /** per request, ms */
  timeoutMs?: number;
  /** deliveries taken per run at most */
  batchSize?: number;
}

/**
 * One run of the delivery job, safe in every process at once: claims due deliveries and POSTs
 * each event's stored body, signed at send time (`Visitpay-Signature`, as the sandbox bank signs
 * its notifications), with `Visitpay-Event-Id` for the receiver to drop repeats. A 2xx marks it
 * delivered; anything else retries with back-off until MAX_DELIVERY_TRIES. Delivery is at least
 * once, in no guaranteed order. Answers how many deliveries it took.
 */
export async function deliverDueWebhooks(deps: WebhookDeliveryDeps): Promise<number> {
  const now = deps.clock.now();
  const claimed = await claimDueDeliveries(deps.db, now, new Date(now.getTime() + LEASE_MS), deps.batchSize ?? 50);
  await Promise.all(claimed.map((d) => deliverOne(deps, d)));
  return claimed.length;
}

async function deliverOne(deps: WebhookDeliveryDeps, delivery: ClaimedDelivery): Promise<void> {
  if (delivery.disabled) {
    await markFailed(deps.db, delivery.id, deps.clock.now(), null, 'the endpoint was disabled');
    return;
  }
  const { status, error } = await send(deps, delivery);
  const now = deps.clock.now();
  if (error !== undefined)
    deps.log.warn(
      { deliveryId: delivery.id, eventId: delivery.event_id, tries: delivery.tries, status, error },
      'a webhook delivery failed',
    );
  if (error === undefined) await markDelivered(deps.db, delivery.id, now, status!);
  else if (delivery.tries >= MAX_DELIVERY_TRIES)
    await markFailed(deps.db, delivery.id, now, status, `gave up after ${delivery.tries} tries: ${error}`);
  else
    await scheduleRetry(
      deps.db,
      delivery.id,
      nextDueAfterFailure(now, delivery.tries, DELIVERY_BACKOFF),
      status,
      error,
    );
}

async function send(
  deps: WebhookDeliveryDeps,
  delivery: ClaimedDelivery,
): Promise<{ status: number | null; error?: string }> {
  try {
    const status = await postGuarded(deps.outbound, {
      url: delivery.url,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Visitpay-Webhooks/1.0',
        'visitpay-event-id': delivery.event_id,
        'visitpay-event-type': delivery.event_type,
        'visitpay-signature': signatureHeader(
          deps.secrets.open(delivery.secret_sealed),
          deps.clock.now(),
          delivery.body,
        ),
      },
      body: delivery.body,
      timeoutMs: deps.timeoutMs ?? 10_000,
    });
    if (status >= 200 && status < 300) return { status };
    // S4: the status and its standard phrase only; the receiver's own words (body, reason phrase) are not kept.
    const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
    return { status, error: `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd() + redirect };
  } catch (error) {
    return { status: null, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}
