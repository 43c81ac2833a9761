import { z } from 'zod';
import type { Executor } from '../../db/database.js';
import type { SandboxCheckoutRow } from '../../db/schema-payment-links.js';
import { newId } from '../../shared/ids.js';
import { insertNotifications, readNotificationMode } from './sandbox-notifications.repository.js';

/** The notifications the sandbox bank sends, and how a company asked them to be delivered. */

export const SANDBOX_EVENT_TYPES = [
  'checkout.succeeded',
  'checkout.failed',
  'checkout.expired',
  'refund.succeeded',
] as const;
export type SandboxEventType = (typeof SANDBOX_EVENT_TYPES)[number];

export const sandboxEventSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  created: z.number().int(),
  data: z.object({
    checkoutId: z.string().min(1),
    status: z.string(),
    amount: z.number().int().nonnegative(),
    currency: z.string().length(3),
    metadata: z.record(z.string(), z.string()),
    paymentId: z.string().optional(),
    refundId: z.string().optional(),
    /** the key the refund was asked with: Visitpay's refund request id, or the bank's own for a merchant-page refund */
    refundKey: z.string().optional(),
  }),
});
export type SandboxEvent = z.infer<typeof sandboxEventSchema>;

/**
 * `normal` sends at once; `delay` holds each notification `delaySeconds`; `duplicate` sends the
 * same notification twice; `drop` never sends it. For tests and demos of a flaky provider.
 */
export const notificationModeSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('normal') }),
  z.strictObject({ mode: z.literal('delay'), delaySeconds: z.number().int().min(1).max(86_400).default(30) }),
  z.strictObject({ mode: z.literal('duplicate') }),
  z.strictObject({ mode: z.literal('drop') }),
]);
export type NotificationMode = z.infer<typeof notificationModeSchema>;

/** A stored mode, or `normal` when none (or an unreadable one) is stored. */
export function modeOf(stored: unknown): NotificationMode {
  const parsed = notificationModeSchema.safeParse(stored);
  return parsed.success ? parsed.data : { mode: 'normal' };
}

/** The sandbox pays with the checkout itself; its payment id mirrors the checkout id. */
export function paymentIdOf(checkoutId: string): string {
  return checkoutId.replace(/^sbx_/, 'sbp_');
}

export function checkoutEventData(
  row: SandboxCheckoutRow,
  extra: { amount?: number; refundId?: string; refundKey?: string } = {},
): SandboxEvent['data'] {
  return {
    checkoutId: row.id,
    status: extra.refundId ? 'succeeded' : row.status,
    amount: extra.amount ?? row.amount,
    currency: row.currency,
    metadata: row.metadata,
    ...(row.status === 'paid' ? { paymentId: paymentIdOf(row.id) } : {}),
    ...(extra.refundId ? { refundId: extra.refundId } : {}),
    ...(extra.refundKey ? { refundKey: extra.refundKey } : {}),
  };
}

/**
 * Writes a notification to the outbox inside the caller's transaction, so it exists exactly
 * when the change it reports commits. Answers the event id.
 */
export async function enqueueSandboxEvent(
  db: Executor,
  now: Date,
  event: { companyId: string; type: SandboxEventType; data: SandboxEvent['data'] },
): Promise<string> {
  const body: SandboxEvent = {
    id: newId('sandbox_event'),
    type: event.type,
    created: Math.floor(now.getTime() / 1000),
    data: event.data,
  };
  const json = JSON.stringify(body);
  const mode = modeOf(await readNotificationMode(db, event.companyId));
  const row = (deliverAt: Date, dropped = false) => ({
    id: newId('sandbox_notification'),
    company_id: event.companyId,
    body: json,
    deliver_at: deliverAt,
    dropped,
    created_at: now,
    ...(dropped ? { last_error: 'dropped by the sandbox delivery mode' } : {}),
  });
  switch (mode.mode) {
    case 'normal':
      await insertNotifications(db, [row(now)]);
      break;
    case 'delay':
      await insertNotifications(db, [row(new Date(now.getTime() + mode.delaySeconds * 1000))]);
      break;
    case 'duplicate':
      await insertNotifications(db, [row(now), row(now)]);
      break;
    case 'drop':
      await insertNotifications(db, [row(now, true)]);
      break;
  }
  return body.id;
}
