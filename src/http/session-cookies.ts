import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The admin app's session travels in two cookies: the session token (httpOnly) and a CSRF token
 * the app echoes in a header on writes. S7: the CSRF token is derived from the session token, so a
 * token chosen by anyone else never matches; over HTTPS both cookies carry the `__Host-` prefix,
 * which a neighbouring subdomain or a plain-HTTP page cannot set.
 */
export const CSRF_HEADER = 'x-csrf-token';
const PLAIN = { session: 'vp_session', csrf: 'vp_csrf' } as const;
const HOST_ONLY = { session: '__Host-vp_session', csrf: '__Host-vp_csrf' } as const;

/**
 * HTTPS as the browser sees it, decided once per request with the security headers: the socket,
 * X-Forwarded-Proto from a trusted proxy, or a request to the host of an https:// PUBLIC_URL (a TLS
 * proxy in front that the server was not told to trust). A LAN address over plain HTTP is not.
 */
export const isHttps = (req: FastifyRequest) => req.viaHttps;

export const cookieNames = (req: FastifyRequest) => (isHttps(req) ? HOST_ONLY : PLAIN);

export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('visitpay csrf').digest('base64url');
}

/** The session token of the request's cookie, under the name its protocol uses. */
export function sessionCookie(req: FastifyRequest): string | undefined {
  return req.cookies[cookieNames(req).session];
}

export function setSessionCookies(req: FastifyRequest, reply: FastifyReply, token: string, expires: Date): void {
  const names = cookieNames(req);
  const options = { path: '/', secure: isHttps(req), sameSite: 'lax' as const, expires };
  reply.setCookie(names.session, token, { ...options, httpOnly: true });
  reply.setCookie(names.csrf, csrfTokenFor(token), { ...options, httpOnly: false });
}

export function clearSessionCookies(req: FastifyRequest, reply: FastifyReply): void {
  const names = cookieNames(req);
  const options = { path: '/', secure: isHttps(req) };
  reply.clearCookie(names.session, options).clearCookie(names.csrf, options);
}
