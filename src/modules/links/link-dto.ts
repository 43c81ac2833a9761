import { z } from 'zod';
import { formatMoney } from '../../shared/money.js';
import { ATTEMPT_STATUSES } from '../checkout/domain/attempt-status.js';
import type { LinkRow } from './links.repository.js';
import type { AttemptRow } from '../checkout/index.js';

/** An attempt as staff see it (R29): our status, the provider's own word, when it ends. */
export const attemptDto = z.object({
  id: z.string(),
  status: z.enum(ATTEMPT_STATUSES),
  providerStatus: z.string().nullable(),
  provider: z.string(),
  amount: z.number().int(),
  amountFormatted: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  endedAt: z.string().nullable(),
  failure: z.string().nullable(),
  /** R34: what the provider reported capturing, when it disagreed with `amount` (status needs_review); else null */
  providerAmount: z.number().int().nullable(),
  providerCurrency: z.string().nullable(),
  providerAmountFormatted: z.string().nullable(),
  /** the fiscal receipt sent with this attempt (R24), provider-neutral; null when fiscalization was off */
  receipt: z
    .object({
      customer: z.object({ email: z.string().optional(), phone: z.string().optional() }),
      taxSystem: z.string(),
      items: z.array(
        z.object({
          description: z.string(),
          quantity: z.number(),
          amount: z.number().int(),
          vat: z.string(),
          paymentSubject: z.string(),
          paymentMode: z.string(),
        }),
      ),
    })
    .nullable(),
});

export const linkDto = z.object({
  id: z.string(),
  url: z.string(),
  token: z.string(),
  status: z.enum(['active', 'paid', 'disabled']),
  /** the fixed amount, or null: whatever is due */
  amount: z.number().int().nullable(),
  amountFormatted: z.string().nullable(),
  collected: z.number().int(),
  collectedFormatted: z.string(),
  createdAt: z.string(),
  openedAt: z.string().nullable(),
  paidAt: z.string().nullable(),
  disabledAt: z.string().nullable(),
  attempts: z.array(attemptDto),
});
export type LinkDto = z.infer<typeof linkDto>;
export type AttemptDto = z.infer<typeof attemptDto>;

export function toAttemptDto(a: AttemptRow): AttemptDto {
  return {
    id: a.id,
    status: a.status as AttemptDto['status'],
    providerStatus: a.provider_status,
    provider: a.provider,
    amount: a.amount,
    amountFormatted: formatMoney(a.amount, a.currency),
    createdAt: a.created_at.toISOString(),
    expiresAt: a.expires_at.toISOString(),
    endedAt: a.ended_at?.toISOString() ?? null,
    failure: a.failure,
    providerAmount: a.provider_amount,
    providerCurrency: a.provider_currency,
    providerAmountFormatted:
      a.provider_amount === null || a.provider_currency === null
        ? null
        : formatReported(a.provider_amount, a.provider_currency),
    receipt: (a.receipt as AttemptDto['receipt']) ?? null,
  };
}

/** A provider's figures in a currency Intl may not know (it is the provider's word, not ours). */
function formatReported(amount: number, currency: string): string {
  try {
    return formatMoney(amount, currency);
  } catch {
    return `${amount} ${currency}`;
  }
}

export function toLinkDto(
  link: LinkRow,
  input: { url: string; token: string; collected: number; currency: string; attempts: AttemptRow[] },
): LinkDto {
  return {
    id: link.id,
    url: input.url,
    token: input.token,
    status: link.status as LinkDto['status'],
    amount: link.amount,
    amountFormatted: link.amount === null ? null : formatMoney(link.amount, input.currency),
    collected: input.collected,
    collectedFormatted: formatMoney(input.collected, input.currency),
    createdAt: link.created_at.toISOString(),
    openedAt: link.opened_at?.toISOString() ?? null,
    paidAt: link.paid_at?.toISOString() ?? null,
    disabledAt: link.disabled_at?.toISOString() ?? null,
    attempts: input.attempts.filter((a) => a.link_id === link.id).map(toAttemptDto),
  };
}
