import type { FastifyRequest } from 'fastify';
import type { AuthService } from '../modules/access/index.js';
import { constantTimeEqual } from '../shared/secrets.js';
import { DomainError, forbidden, notFound } from '../shared/errors.js';
import type { Right } from '../modules/access/domain/rights.js';
import { CSRF_HEADER, csrfTokenFor, sessionCookie } from './session-cookies.js';
import type { Access, App, AuthContext } from './types.js';

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

const accessTables = new WeakMap<object, RouteAccess[]>();

/** Every route with the access it declared (for the route × role test and the docs). */
export function routeAccessTable(app: App): readonly RouteAccess[] {
  return accessTables.get(app) ?? [];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function identify(req: FastifyRequest, auth: AuthService): Promise<AuthContext | undefined> {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const session = match?.[1] ? await auth.authenticate(match[1]) : undefined;
    return session && { ...session, via: 'bearer' };
  }
  const cookie = sessionCookie(req);
  if (!cookie) return undefined;
  const session = await auth.authenticate(cookie);
  return session && { ...session, via: 'cookie', csrfToken: csrfTokenFor(cookie) };
}

/**
 * Enforces each route's declared access before its body is even validated:
 * 401 without a session, 404 for a company the user is not a member of (a foreign id is
 * indistinguishable from a missing one), 403 without the route's right.
 * Cookie sessions must send, on unsafe methods, the CSRF token derived from their own session
 * token (S7): a cookie and header pair the caller made up never matches.
 */
export function registerAccessControl(app: App, auth: AuthService): void {
  const table: RouteAccess[] = [];
  accessTables.set(app, table);
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`route ${route.method} ${route.url} declares no access`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') table.push({ method, url: route.url, access });
    }
  });

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access;
    if (!access || access === 'public') return;
    const who = await identify(req, auth);
    if (!who)
      throw new DomainError('unauthenticated', 'Sign in first (Authorization: Bearer <token> or a session cookie)');
    if (who.via === 'cookie' && !SAFE_METHODS.has(req.method) && req.routeOptions.config.csrf !== 'form') {
      const header = req.headers[CSRF_HEADER];
      if (typeof header !== 'string' || !who.csrfToken || !constantTimeEqual(header, who.csrfToken)) {
        throw new DomainError(
          'csrf_failed',
          `Cookie sessions must send the value of the session's CSRF cookie in ${CSRF_HEADER}`,
        );
      }
    }
    req.auth = who;
    const companyId = (req.params as { companyId?: string }).companyId;
    if (companyId !== undefined) {
      const membership = await auth.membership(who.userId, companyId);
      if (!membership) throw notFound('company', companyId);
      req.membership = membership;
      if (access !== 'user') {
        const anyOf: readonly Right[] = typeof access === 'string' ? [access] : access;
        if (!anyOf.some((right) => membership.rights.has(right))) throw forbidden(anyOf.join(' or '));
      }
    } else if (access !== 'user') {
      throw new Error(`route ${req.routeOptions.url} needs ${access} but has no companyId`);
    }
  });
}

/**
 * The CSRF check of a server-rendered form (route config `csrf: 'form'`), once its body is parsed:
 * a browser saying the post comes from another site is refused, and a cookie session must send
 * its session's CSRF token (which only a page of this origin could have put in the form).
 */
export function registerFormCsrf(app: App): void {
  app.addHook('preHandler', async (req) => {
    if (req.routeOptions.config.csrf !== 'form' || SAFE_METHODS.has(req.method)) return;
    if (req.headers['sec-fetch-site'] === 'cross-site')
      throw new DomainError('forbidden', 'Requests from other sites are refused', { right: 'same-site' });
    if (req.auth?.via !== 'cookie') return;
    const sent = (req.body as { csrf?: unknown } | undefined)?.csrf;
    if (typeof sent !== 'string' || !req.auth.csrfToken || !constantTimeEqual(sent, req.auth.csrfToken))
      throw new DomainError(
        'csrf_failed',
        'This form is out of date or not from this site; reload the page and try again',
      );
  });
}

/** Throws 403 unless the caller holds `right` in the company of the path. */
export function requireRight(req: FastifyRequest, right: Right): void {
  if (!req.membership?.rights.has(right)) throw forbidden(right);
}

/** The signed-in user's id; only call from routes whose access is not `public`. */
export function userId(req: FastifyRequest): string {
  if (!req.auth) throw new DomainError('unauthenticated', 'Sign in first');
  return req.auth.userId;
}

export function companyOf(req: FastifyRequest): string {
  if (!req.membership) throw new DomainError('unauthenticated', 'Sign in first');
  return req.membership.companyId;
}
