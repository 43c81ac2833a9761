import type { FastifyRequest } from 'fastify';
import type { App } from './types.js';

const CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "font-src 'self' https: data:",
  "form-action 'self' https:",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
];

const COMMON = {
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/** Over plain HTTP (a LAN address): nothing that sends the browser to https:// on a port that speaks only http. */
export const PLAIN_HTTP_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CSP.join(';'),
  ...COMMON,
});

/**
 * Over HTTPS: the page's own http:// references upgraded, the browser told to stay on HTTPS, and
 * the opener policy (browsers ignore it on a plain-HTTP origin, and Chromium logs an error there).
 */
export const HTTPS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': [...CSP, 'upgrade-insecure-requests'].join(';'),
  'cross-origin-opener-policy': 'same-origin',
  ...COMMON,
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
});

/** host[:port] as a URL's `host` spells it: lower case, without the default port of https. */
const normalHost = (host: string) => host.toLowerCase().replace(/:443$/, '');

/**
 * Whether the browser is on HTTPS (O6). `req.protocol` is https on a TLS socket, or when a proxy
 * trusted by VISITPAY_TRUST_PROXY says so in X-Forwarded-Proto.
 *
 * An https:// PUBLIC_URL counts only for requests addressed to PUBLIC_URL's own host: those came
 * through the TLS proxy in front (one this server is not told to trust, or a client that typed
 * http:// before the public name, who should be moved to https anyway). The same server is also
 * reached directly over plain HTTP on the salon's LAN (http://192.168.1.20:3000 from the second
 * PC, a phone on the Wi-Fi); such a request names another host, and sending it
 * upgrade-insecure-requests would make the browser fetch the admin app's scripts and post the Pay
 * form to https:// on a port that speaks only http — a white page and ERR_SSL_PROTOCOL_ERROR. HSTS
 * would do no good there either: browsers ignore it over plain HTTP (RFC 6797 §8.1).
 */
export function httpsSecurityApplies(publicUrl: string | undefined): (req: FastifyRequest) => boolean {
  const configured = publicUrl ? new URL(publicUrl) : undefined;
  const publicHttpsHost = configured?.protocol === 'https:' ? normalHost(configured.host) : undefined;
  return (req) =>
    req.protocol === 'https' || (publicHttpsHost !== undefined && normalHost(req.host ?? '') === publicHttpsHost);
}

/**
 * The security headers of every response (SPEC §7): a strict CSP and the usual hardening set, in
 * two fixed variants chosen per request by its scheme. A route may still replace one (the API
 * docs page sets the CSP its viewer needs).
 */
export function registerSecurityHeaders(app: App, publicUrl: string | undefined): void {
  const overHttps = httpsSecurityApplies(publicUrl);
  app.decorateRequest('viaHttps', false);
  app.addHook('onRequest', (req, reply, done) => {
    // kept on the request: the session cookies follow the same answer (S7: Secure and __Host- over HTTPS)
    req.viaHttps = overHttps(req);
    reply.headers({ ...(req.viaHttps ? HTTPS_HEADERS : PLAIN_HTTP_HEADERS), 'x-request-id': req.id });
    done();
  });
}
