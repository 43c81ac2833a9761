import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/test-app.js';

const t = await createTestApp();

describe('platform routes', () => {
  it('answers /healthz and /readyz (database reachable, migrations applied)', async () => {
    expect((await t.anonymous.get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await t.anonymous.get('/readyz')).body).toEqual({ status: 'ready' });
  });

  it('serves the OpenAPI document and the browsable docs', async () => {
    const doc = await t.anonymous.get('/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/auth/login');
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/companies');
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('answers unknown routes with the error envelope', async () => {
    const res = await t.anonymous.get('/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found' });
  });

  it('answers malformed JSON with 400 validation_failed', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
  });

  it('sends security headers on every response', async () => {
    const res = await t.anonymous.get('/healthz');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    // HSTS only over HTTPS (O6): see security-headers.test.ts
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('rate-limits login attempts', async () => {
    let limited = 0;
    for (let i = 0; i < 12; i++) {
      const res = await t.anonymous.post('/api/v1/auth/login', { email: 'x@example.test', password: 'wrong-password' });
      if (res.status === 429) {
        limited++;
        expect(res.body.error.code).toBe('rate_limited');
      }
    }
    expect(limited).toBeGreaterThan(0);
  });
});
