/** The one way the admin app talks to the API: same-origin fetch, the session cookie, CSRF on writes. */

export const API_BASE = '/api/v1';
// Over HTTPS the server prefixes its cookies with __Host- (S7).
const CSRF_COOKIES = ['__Host-vp_csrf', 'vp_csrf'];
const CSRF_HEADER = 'x-csrf-token';

/** An API refusal: the envelope's code and message, plus its details (field, lockedUntil, items…). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function cookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

const csrfToken = () => CSRF_COOKIES.map(cookie).find((value) => value !== undefined);

export function hasCsrfCookie(): boolean {
  return csrfToken() !== undefined;
}

let onUnauthenticated: (() => void) | undefined;

/** Called when a request answers 401 (session expired or signed out elsewhere). */
export function setUnauthenticatedHandler(handler: (() => void) | undefined): void {
  onUnauthenticated = handler;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** a 401 is the expected answer (probing the session), not a lost session */
  quiet401?: boolean;
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = csrfToken();
    if (csrf) headers[CSRF_HEADER] = csrf;
  }
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'The server cannot be reached. Check the connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const envelope = (parsed as { error?: { code?: string; message?: string } & Record<string, unknown> } | undefined)
      ?.error;
    // Only a missing or ended session signs the user out; a wrong password (invalid_credentials, also
    // 401) is an answer to that form, not a lost session.
    if (response.status === 401 && envelope?.code !== 'invalid_credentials' && !options.quiet401) onUnauthenticated?.();
    const { code, message, requestId: _requestId, ...details } = envelope ?? {};
    throw new ApiError(response.status, code ?? `http_${response.status}`, message ?? response.statusText, details);
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Builds a query string from defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Reads every page of a keyset-paged list. */
export async function allPages<T>(
  fetchPage: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>,
  maxPages = 50,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await fetchPage(cursor);
    items.push(...result.items);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return items;
}
