import type { ProviderName } from './port.js';
import { capturedFor as stripeCapturedFor } from './stripe/stripe-mapping.js';

/**
 * What a provider captures when a checkout asks it for `amount` (minor units of `currency`):
 * the amount itself, except where the provider cannot express it and rounds down (Stripe's
 * three-decimal currencies). R34 compares a success with this, not with the amount asked.
 */
export function expectedCapture(provider: string, amount: number, currency: string): number {
  const rounding: Partial<Record<ProviderName, (amount: number, currency: string) => number>> = {
    stripe: stripeCapturedFor,
  };
  return rounding[provider as ProviderName]?.(amount, currency) ?? amount;
}
