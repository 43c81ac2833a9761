import type { Db } from '../../db/database.js';
import { type Backoff, backoffDelayMs, nextDueAfterFailure } from '../../db/durable-queue.js';
import type { SecretBox } from '../../shared/encryption.js';
import type { Clock } from '../../shared/clock.js';
import type { Origins } from '../../shared/origins.js';
import { SandboxBank } from './sandbox-bank.js';
import { findMerchantSecrets } from './sandbox-bank.repository.js';
import { notificationModeSchema, type NotificationMode } from './sandbox-events.js';
import {
  claimDueNotifications,
  giveUp,
  markDelivered,
  scheduleRetry,
  writeNotificationMode,
  type ClaimedNotification,
} from './sandbox-notifications.repository.js';
import { signatureHeader } from '../../shared/webhook-signature.js';

/** Delivery of the sandbox bank's notifications to Visitpay's webhook endpoint. */

export const MAX_DELIVERY_TRIES = 15;
/** How long a claimed notification stays invisible to other deliverers (must outlast a send). */
const LEASE_MS = 60_000;

/** 1 s after the first failed try, then 2 s, 4 s … never more than 10 minutes. */
const NOTIFY_BACKOFF: Backoff = { firstMs: 1_000, capMs: 10 * 60_000 };

export function retryDelayMs(tries: number): number {
  return backoffDelayMs(tries, NOTIFY_BACKOFF);
}

/** Sets how a company's sandbox notifications are delivered (settings route, tests, demos). */
export async function setSandboxNotificationMode(
  deps: { db: Db; clock: Clock },
  companyId: string,
  mode: NotificationMode,
): Promise<NotificationMode> {
  const parsed = notificationModeSchema.parse(mode);
  await writeNotificationMode(deps.db, companyId, parsed, deps.clock.now());
  return parsed;
}

export interface DeliveryDeps {
  db: Db;
  clock: Clock;
  origins: Origins;
  secrets: SecretBox;
  /** per-request timeout, ms */
  timeoutMs?: number;
  /** how many notifications one call takes at most */
  batchSize?: number;
}

export interface DeliveryReport {
  expired: number;
  delivered: number;
  failed: number;
}

/**
 * One tick of the sandbox bank, safe to run every second in every process: expires overdue
 * checkouts (notifying them), then claims due notifications (FOR UPDATE SKIP LOCKED, so two
 * processes never take the same one) and POSTs each, signed at send time, to
 * `${origins.internal}/webhooks/sandbox/{companyId}`. A 2xx marks it delivered; anything else
 * retries with exponential back-off, and after MAX_DELIVERY_TRIES the bank gives up.
 */
export async function deliverDueSandboxNotifications(deps: DeliveryDeps): Promise<DeliveryReport> {
  const expired = await new SandboxBank(deps.db, deps.clock, deps.secrets).expireOverdue();
  const now = deps.clock.now();
  const claimed = await claimDueNotifications(deps.db, now, new Date(now.getTime() + LEASE_MS), deps.batchSize ?? 50);
  if (claimed.length === 0) return { expired, delivered: 0, failed: 0 };
  const sealed = await findMerchantSecrets(deps.db, [...new Set(claimed.map((n) => n.company_id))]);
  const secrets = new Map([...sealed].map(([companyId, secret]) => [companyId, deps.secrets.open(secret)]));
  const results = await Promise.all(claimed.map((n) => deliverOne(deps, n, secrets.get(n.company_id))));
  const delivered = results.filter(Boolean).length;
  return { expired, delivered, failed: results.length - delivered };
}

async function deliverOne(
  deps: DeliveryDeps,
  notification: ClaimedNotification,
  secret: string | undefined,
): Promise<boolean> {
  const error = secret
    ? await send(deps, notification, secret)
    : 'the merchant has no webhook secret at the sandbox bank';
  const now = deps.clock.now();
  if (error === undefined) {
    await markDelivered(deps.db, notification.id, now);
    return true;
  }
  if (notification.tries >= MAX_DELIVERY_TRIES) {
    await giveUp(deps.db, notification.id, `gave up after ${notification.tries} tries: ${error}`);
  } else {
    await scheduleRetry(deps.db, notification.id, nextDueAfterFailure(now, notification.tries, NOTIFY_BACKOFF), error);
  }
  return false;
}

/** Answers undefined when the receiver took it (2xx), else why not. */
async function send(
  deps: DeliveryDeps,
  notification: ClaimedNotification,
  secret: string,
): Promise<string | undefined> {
  const url = `${deps.origins.internal}/webhooks/sandbox/${encodeURIComponent(notification.company_id)}`;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Visitpay-Sandbox/1.0',
        'visitpay-signature': signatureHeader(secret, deps.clock.now(), notification.body),
      },
      body: notification.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
    });
    // Read the body so the connection goes back to the pool.
    const text = await res.text();
    if (res.status >= 200 && res.status < 300) return undefined;
    return `HTTP ${res.status}: ${text.slice(0, 200)}`;
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}
