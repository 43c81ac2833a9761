import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, describe, expect, it } from 'vitest';
import { errorHandler, notFoundHandler } from '../../src/http/error-handler.js';
import type { App } from '../../src/http/types.js';
import { registerWebApp } from '../../src/http/web-app.routes.js';
import { createTestApp } from '../helpers/test-app.js';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';

// root/dist is the build; root/secret.txt sits just outside it, where a path traversal would reach
const root = mkdtempSync(path.join(tmpdir(), 'visitpay-web-'));
const built = path.join(root, 'dist');
mkdirSync(path.join(built, 'assets'), { recursive: true });
writeFileSync(path.join(built, 'index.html'), INDEX);
writeFileSync(path.join(built, 'assets', 'index-abc123.js'), 'console.log("admin")');
writeFileSync(path.join(built, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
writeFileSync(path.join(root, 'secret.txt'), 'secret');
const missing = path.join(built, 'does-not-exist');

async function serverWith(distDir: string): Promise<App> {
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.get('/api/v1/known', { config: { access: 'public' } }, async () => ({ ok: true }));
  await registerWebApp(app, distDir);
  await app.ready();
  return app;
}

const app = await serverWith(built);
const unbuilt = await serverWith(missing);
const t = await createTestApp();
afterAll(async () => {
  await app.close();
  await unbuilt.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the admin app at / (web/dist)', () => {
  it.each(['/', '/login', '/c/co_123/calendar', '/c/co_123/finance/cashless?x=1'])(
    'answers index.html at %s, never cached stale',
    async (url) => {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toBe(INDEX);
    },
  );

  it('serves hashed assets cached for a year, and 404s a missing one', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const gone = await app.inject({ method: 'GET', url: '/assets/index-old999.js' });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('not_found');
  });

  it('serves a root file by name and 404s a missing file name instead of answering the app', async () => {
    expect((await app.inject({ method: 'GET', url: '/favicon.svg' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/robots.txt' })).statusCode).toBe(404);
  });

  it.each([
    '/api/v1/nope',
    '/api',
    '/pay',
    '/pay/x/y/z',
    '/webhooks/x',
    '/sandbox/nope/deeper',
    '/docs/nope',
    '/metrics/x',
    '/healthz/x',
    '/readyz/x',
  ])('leaves the server its own paths: %s is a JSON 404, not the app', async (url) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });

  it('keeps real routes before the fallback', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/known' })).json()).toEqual({ ok: true });
  });

  it.each([
    '/assets/..%2f..%2fsecret.txt',
    '/..%2fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/assets/../../secret.txt',
  ])('never serves a file outside web/dist: %s', async (url) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.body).not.toContain('secret');
    expect([400, 403, 404]).toContain(res.statusCode);
  });

  it('without a build, / explains how to build the app and the server keeps working', async () => {
    const res = await unbuilt.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('npm run build');
    expect((await unbuilt.inject({ method: 'GET', url: '/api/v1/known' })).statusCode).toBe(200);
    expect((await unbuilt.inject({ method: 'GET', url: '/api/v1/nope' })).statusCode).toBe(404);
  });
});

describe('the admin app inside the Visitpay server', () => {
  it('answers / with HTML under a CSP that allows only same-origin scripts', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
  });

  it('still answers unknown API routes with the error envelope', async () => {
    const res = await t.anonymous.get('/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
