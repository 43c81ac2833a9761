import type Stripe from 'stripe';
import { ProviderRejectedError, ProviderUnavailableError } from '../port.js';

export interface StripeClientOptions {
  /** VISITPAY_STRIPE_API_URL: https://api.stripe.com, or a stub, staging or egress proxy */
  apiUrl: string;
  timeoutMs: number;
  maxNetworkRetries: number;
}

/** The SDK takes host, port and protocol apart; a base path cannot be expressed, so none is accepted. */
export function sdkTarget(apiUrl: string): { host: string; port: number; protocol: 'http' | 'https' } {
  const url = new URL(apiUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`VISITPAY_STRIPE_API_URL must be http(s), got ${url.protocol}`);
  if (url.pathname.replace(/\/+$/, '') !== '' || url.search || url.username) {
    throw new Error('VISITPAY_STRIPE_API_URL must be an origin only (scheme, host, port), e.g. https://api.stripe.com');
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443, protocol };
}

/**
 * The SDK, loaded when a company first uses Stripe: a process serving only other providers
 * does not carry it in memory.
 */
let sdk: Promise<typeof Stripe> | undefined;
/** Set once loaded: an error can only come from the SDK after it was loaded. */
let loaded: typeof Stripe | undefined;
export function stripeSdk(): Promise<typeof Stripe> {
  sdk ??= import('stripe').then((m) => (loaded = m.default));
  return sdk;
}

/** Bounded, so that keys of companies long gone do not pile up. */
const MAX_CLIENTS = 500;

/** One SDK client per API key (each company has its own), created on first use. */
export class StripeClients {
  private readonly clients = new Map<string, Stripe>();
  private readonly config: Stripe.StripeConfig;

  constructor(options: StripeClientOptions) {
    this.config = {
      ...sdkTarget(options.apiUrl),
      timeout: options.timeoutMs,
      maxNetworkRetries: options.maxNetworkRetries,
      telemetry: false,
      appInfo: { name: 'Visitpay' },
    };
  }

  async for(secretKey: string): Promise<Stripe> {
    let client = this.clients.get(secretKey);
    if (!client) {
      const StripeSdk = await stripeSdk();
      if (this.clients.size >= MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value!);
      client = new StripeSdk(secretKey, this.config);
      this.clients.set(secretKey, client);
    }
    return client;
  }
}

export const isStripeError = (error: unknown): error is Stripe.errors.StripeError =>
  loaded !== undefined && error instanceof loaded.errors.StripeError;

/** Retry-After in seconds or as an HTTP date. */
function retryAfterMs(headers: Record<string, unknown> | undefined): number | undefined {
  const value = headers?.['retry-after'];
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * The port's two kinds of failure. Timeouts, lost connections, 5xx, 429 and 409 (a concurrent
 * request with the same idempotency key) may go through later; any other 4xx is Stripe's answer.
 */
export function providerErrorOf(error: unknown, doing: string): Error {
  if (!isStripeError(error)) return error instanceof Error ? error : new Error(String(error));
  const status = error.statusCode;
  if (error instanceof loaded!.errors.StripeConnectionError) {
    return new ProviderUnavailableError(`Stripe did not answer while ${doing}: ${error.message}`);
  }
  if (status === 429 || error instanceof loaded!.errors.StripeRateLimitError) {
    return new ProviderUnavailableError(`Stripe is rate limiting requests while ${doing}`, retryAfterMs(error.headers));
  }
  if (status === undefined || status >= 500 || status === 409) {
    return new ProviderUnavailableError(
      `Stripe failed while ${doing} (${status ?? 'no status'}): ${error.message}`,
      retryAfterMs(error.headers),
    );
  }
  return new ProviderRejectedError(
    `Stripe refused ${doing}: ${error.message}`,
    error.code ?? error.rawType ?? error.type,
  );
}
