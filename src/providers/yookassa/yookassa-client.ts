import { randomUUID } from 'node:crypto';
import { ProviderRejectedError, ProviderUnavailableError } from '../port.js';

export interface YooKassaAuth {
  shopId: string;
  secretKey: string;
}

export interface YooKassaClientOptions {
  /** API origin, e.g. https://api.yookassa.ru (VISITPAY_YOOKASSA_API_URL); `/v3/…` is appended */
  baseUrl: string;
  /** per HTTP call */
  timeoutMs?: number;
  /** calls per request in all, the first included */
  maxAttempts?: number;
  /** first back-off after a 5xx, 429 or timeout; doubles each time */
  backoffMs?: number;
  /** cap on any wait, including the `retry_after` YooKassa asks for in a 202 */
  maxWaitMs?: number;
}

/** A definite 4xx answer, with YooKassa's error object ({type:"error", id, code, description, parameter}). */
export class YooKassaApiError extends ProviderRejectedError {
  constructor(
    readonly status: number,
    code: string | undefined,
    readonly description: string | undefined,
    readonly parameter: string | undefined,
  ) {
    super(
      `YooKassa refused the request (HTTP ${status}${code ? ` ${code}` : ''}): ${description ?? 'no description'}${parameter ? ` [${parameter}]` : ''}`,
      code,
    );
    this.name = 'YooKassaApiError';
  }
}

interface RequestOptions {
  body?: unknown;
  /** required by YooKassa on every POST; the same key on every retry of one request */
  idempotenceKey?: string;
}

type Outcome = { done: true; json: unknown } | { done: false; reason: string; waitMs?: number };

/**
 * YooKassa API v3 over fetch: Basic auth shopId:secretKey, JSON, a timeout per call.
 *
 * YooKassa's rule for unknown outcomes (HTTP 500, no answer, and the 202 "processing" answer
 * with `retry_after` in milliseconds) is to repeat the same request with the same
 * Idempotence-Key: the repeat answers the original result instead of acting twice. 429 is
 * repeated too. After `maxAttempts` calls the outcome is still unknown: ProviderUnavailableError,
 * and the reconciliation job asks again later. Any 4xx is final: YooKassaApiError.
 */
export class YooKassaClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly maxWaitMs: number;

  constructor(options: YooKassaClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.backoffMs = options.backoffMs ?? 250;
    this.maxWaitMs = options.maxWaitMs ?? 3_000;
  }

  get<T>(auth: YooKassaAuth, path: string): Promise<T> {
    return this.request<T>(auth, 'GET', path, {});
  }

  post<T>(auth: YooKassaAuth, path: string, body: unknown, idempotenceKey: string): Promise<T> {
    return this.request<T>(auth, 'POST', path, { body, idempotenceKey });
  }

  private async request<T>(
    auth: YooKassaAuth,
    method: 'GET' | 'POST',
    path: string,
    options: RequestOptions,
  ): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Basic ${Buffer.from(`${auth.shopId}:${auth.secretKey}`).toString('base64')}`,
      accept: 'application/json',
    };
    let body: string | undefined;
    if (method === 'POST') {
      headers['content-type'] = 'application/json';
      headers['idempotence-key'] = options.idempotenceKey ?? randomUUID();
      // Serialized once, so every retry sends the very same bytes under the same key.
      body = JSON.stringify(options.body ?? {});
    }
    let last = 'no answer';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const outcome = await this.call(method, `${this.baseUrl}/v3${path}`, headers, body);
      if (outcome.done) return outcome.json as T;
      last = outcome.reason;
      if (attempt < this.maxAttempts)
        await sleep(Math.min(this.maxWaitMs, outcome.waitMs ?? this.backoffMs * 2 ** (attempt - 1)));
    }
    throw new ProviderUnavailableError(`YooKassa ${method} ${path}: ${last} after ${this.maxAttempts} tries`);
  }

  private async call(
    method: string,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<Outcome> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method, headers, body: body ?? null, signal: AbortSignal.timeout(this.timeoutMs) });
      text = await response.text();
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      return {
        done: false,
        reason:
          name === 'TimeoutError' || name === 'AbortError'
            ? `no answer within ${this.timeoutMs} ms`
            : `network error (${describe(error)})`,
      };
    }
    const json = parseJson(text);
    if (response.status === 200) {
      if (json === undefined) return { done: false, reason: 'HTTP 200 without a JSON body' };
      return { done: true, json };
    }
    if (response.status === 202) {
      const retryAfter = numberField(json, 'retry_after');
      return {
        done: false,
        reason: 'HTTP 202 (still processing)',
        ...(retryAfter !== undefined ? { waitMs: retryAfter } : {}),
      };
    }
    if (response.status === 429) {
      const seconds = Number(response.headers.get('retry-after'));
      return {
        done: false,
        reason: 'HTTP 429 (too many requests)',
        ...(Number.isFinite(seconds) && seconds > 0 ? { waitMs: seconds * 1000 } : {}),
      };
    }
    if (response.status >= 500) return { done: false, reason: `HTTP ${response.status}` };
    if (response.status >= 400) {
      throw new YooKassaApiError(
        response.status,
        stringField(json, 'code'),
        stringField(json, 'description'),
        stringField(json, 'parameter'),
      );
    }
    return { done: false, reason: `unexpected HTTP ${response.status}` };
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function stringField(json: unknown, key: string): string | undefined {
  const value = json && typeof json === 'object' ? (json as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function numberField(json: unknown, key: string): number | undefined {
  const value = json && typeof json === 'object' ? (json as Record<string, unknown>)[key] : undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
