import { validation } from '../shared/errors.js';
import type { App } from './types.js';

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v));
  return false;
}

/**
 * PostgreSQL text cannot hold U+0000: a NUL in a path id, a query parameter or a JSON string would
 * reach the database only to fail there as a 500. Refuse it up front, for every route, as a 400.
 * Registered before access control, so even a NUL company id never becomes a query.
 */
export function registerNulGuard(app: App): void {
  app.addHook('onRequest', async (req) => {
    if (/%00/i.test(req.url)) throw validation('url', 'the URL must not contain NUL characters');
  });
  app.addHook('preValidation', async (req) => {
    if (holdsNul(req.body)) throw validation('body', 'the body must not contain NUL characters');
  });
}
