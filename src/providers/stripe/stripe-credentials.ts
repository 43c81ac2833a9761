import { DomainError } from '../../shared/errors.js';
import { ProviderRejectedError, type Credentials } from '../port.js';

/** A company's Stripe credentials: an API key, the webhook endpoint's signing secret, optionally the publishable key. */
export interface StripeCredentials {
  secretKey: string;
  webhookSecret: string;
  publishableKey?: string;
}

const SECRET_KEY = /^(sk|rk)_(test|live)_[A-Za-z0-9]{16,240}$/;
const PUBLISHABLE_KEY = /^pk_(test|live)_[A-Za-z0-9]{16,240}$/;
const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/=_-]{16,240}$/;
const KNOWN = new Set(['secretKey', 'webhookSecret', 'publishableKey']);

/** A refusal of one credential: a plain sentence naming the field as the settings screen labels it, and a `reason`. */
const invalid = (field: string, reason: string, message: string) =>
  new DomainError('validation_failed', message, { field: `credentials.${field}`, reason });

export type StripeMode = 'test' | 'live';

export function modeOf(key: string): StripeMode | undefined {
  const mode = /^(?:sk|rk|pk)_(test|live)_/.exec(key)?.[1];
  return mode === 'test' || mode === 'live' ? mode : undefined;
}

/** Checks the credentials' shape (not yet that Stripe accepts them); answers them trimmed. */
export function parseStripeCredentials(credentials: Credentials): StripeCredentials {
  const unknown = Object.keys(credentials).find((key) => !KNOWN.has(key));
  if (unknown)
    throw invalid(
      unknown,
      'unknown_field',
      'Stripe takes a secret key, a webhook signing secret and, optionally, a publishable key; nothing else',
    );
  const secretKey = credentials.secretKey?.trim() ?? '';
  const webhookSecret = credentials.webhookSecret?.trim() ?? '';
  const publishableKey = credentials.publishableKey?.trim() || undefined;
  if (!SECRET_KEY.test(secretKey)) {
    if (publishableKey === undefined && PUBLISHABLE_KEY.test(secretKey))
      throw invalid(
        'secretKey',
        'publishable_key',
        'That is the publishable key; the secret key starts with sk_live_ or sk_test_ (or rk_ for a restricted key)',
      );
    throw invalid(
      'secretKey',
      'format',
      'The secret key must start with sk_live_ or sk_test_ (or rk_ for a restricted key), followed by at least 16 letters and digits',
    );
  }
  if (!WEBHOOK_SECRET.test(webhookSecret)) {
    throw invalid(
      'webhookSecret',
      'format',
      "The webhook signing secret must be the endpoint's signing secret from Stripe, starting with whsec_",
    );
  }
  if (publishableKey !== undefined) {
    if (!PUBLISHABLE_KEY.test(publishableKey))
      throw invalid('publishableKey', 'format', 'The publishable key must start with pk_live_ or pk_test_');
    if (modeOf(publishableKey) !== modeOf(secretKey))
      throw invalid(
        'publishableKey',
        'mode_mismatch',
        'The publishable key and the secret key must both be test keys or both be live keys',
      );
  }
  return { secretKey, webhookSecret, ...(publishableKey ? { publishableKey } : {}) };
}

const lastFour = (value: string | undefined) => (value ? `…${value.slice(-4)}` : undefined);

/** What staff see: the mode and the last four characters of each key, never more. */
export function stripeCredentialsHint(credentials: Credentials): Record<string, string> {
  const hint: Record<string, string> = {};
  const mode = credentials.secretKey ? modeOf(credentials.secretKey) : undefined;
  if (mode) hint.mode = mode;
  for (const key of ['secretKey', 'webhookSecret', 'publishableKey'] as const) {
    const masked = lastFour(credentials[key]);
    if (masked) hint[key] = masked;
  }
  return hint;
}

export function secretKeyOf(credentials: Credentials): string {
  const key = credentials.secretKey;
  if (!key)
    throw new ProviderRejectedError(
      'the Stripe connection has no secret key; connect Stripe again',
      'invalid_credentials',
    );
  return key;
}
