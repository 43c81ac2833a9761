import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { createTestApp } from '../helpers/test-app.js';

/**
 * O6: upgrade-insecure-requests and HSTS only when the browser is on HTTPS. Over plain HTTP on a
 * LAN address they would send the admin app's scripts and the Pay form to https:// on a port that
 * speaks only http.
 */
const t = await createTestApp();

/** The app `npm start` builds, with these settings over the same database. */
async function appWith(settings: Partial<Config>) {
  const app = await buildApp({ config: { ...t.config, ...settings }, db: t.db, services: t.services, logger: false });
  await app.ready();
  afterAll(() => app.close());
  return async (url: string, headers: Record<string, string> = {}) => {
    const res = await app.inject({ method: 'GET', url, headers });
    return {
      csp: String(res.headers['content-security-policy'] ?? ''),
      hsts: res.headers['strict-transport-security'],
      coop: res.headers['cross-origin-opener-policy'],
      status: res.statusCode,
    };
  };
}

type Seen = { csp: string; hsts: unknown; coop: unknown };
// Browsers ignore an opener policy on a plain-HTTP origin, and Chromium logs a console error for it.
const plain = (seen: Seen) => {
  expect(seen.csp).toContain("default-src 'self'");
  expect(seen.csp).not.toContain('upgrade-insecure-requests');
  expect(seen.hsts).toBeUndefined();
  expect(seen.coop).toBeUndefined();
};
const secure = (seen: Seen) => {
  expect(seen.csp).toContain("default-src 'self'");
  expect(seen.csp).toContain('upgrade-insecure-requests');
  expect(seen.hsts).toMatch(/^max-age=[1-9]\d*/);
  expect(seen.coop).toBe('same-origin');
};

describe('security headers by scheme (O6)', () => {
  it('O6 over plain HTTP on a LAN address: no upgrade-insecure-requests and no strict-transport-security', async () => {
    const get = await appWith({ PUBLIC_URL: undefined, VISITPAY_TRUST_PROXY: 'false' });
    for (const url of [
      '/',
      '/calendar',
      '/pay/vpl_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      '/api/v1/me',
      '/healthz',
      '/docs/',
    ]) {
      plain(await get(url, { host: '192.168.1.20:3000' }));
    }
  });

  it('O6 over HTTPS behind a trusted proxy (X-Forwarded-Proto: https): both sent', async () => {
    const get = await appWith({ PUBLIC_URL: undefined, VISITPAY_TRUST_PROXY: '127.0.0.1' });
    for (const url of ['/', '/pay/vpl_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '/healthz']) {
      secure(await get(url, { host: 'pay.example-salon.test', 'x-forwarded-proto': 'https' }));
    }
    plain(await get('/', { host: '192.168.1.20:3000' }));
  });

  it('O6 X-Forwarded-Proto from a sender that is not a trusted proxy changes nothing', async () => {
    const get = await appWith({ PUBLIC_URL: undefined, VISITPAY_TRUST_PROXY: 'false' });
    plain(await get('/', { host: '192.168.1.20:3000', 'x-forwarded-proto': 'https' }));
  });

  it('O6 an https:// PUBLIC_URL: its own host gets both, the same server opened on a LAN address over HTTP gets neither', async () => {
    const get = await appWith({ PUBLIC_URL: 'https://pay.example-salon.test', VISITPAY_TRUST_PROXY: 'false' });
    secure(await get('/', { host: 'pay.example-salon.test' }));
    secure(await get('/', { host: 'PAY.example-salon.test:443' }));
    plain(await get('/', { host: '192.168.1.20:3000' }));
    plain(await get('/', { host: 'salon-pc.local:3000' }));
    plain(await get('/', { host: 'pay.example-salon.test:3000' }));
  });

  it('O6 an http:// PUBLIC_URL sends neither, even to its own host', async () => {
    const get = await appWith({ PUBLIC_URL: 'http://salon.lan:3000', VISITPAY_TRUST_PROXY: 'false' });
    plain(await get('/', { host: 'salon.lan:3000' }));
  });
});
