import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/test-app.js';

const TOKEN = 'metrics-scraper-token-0123456789abcdef';

const withToken = await createTestApp({ env: { VISITPAY_METRICS_TOKEN: TOKEN } });
const withoutToken = await createTestApp();

const scrape = (app: typeof withToken.app, authorization?: string) =>
  app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

describe('/metrics (S8)', () => {
  it('S8 with VISITPAY_METRICS_TOKEN set, serves Prometheus metrics to that bearer token, labelled by route pattern', async () => {
    await withToken.anonymous.get('/healthz');
    await withToken.anonymous.get('/pay/not-a-real-token');
    const res = await scrape(withToken.app, `Bearer ${TOKEN}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('visitpay_http_requests_total{method="GET",route="/healthz",status="200"}');
    expect(res.body).toContain('visitpay_process_resident_memory_bytes');
    // the route pattern, never the raw URL (R6: no link tokens anywhere)
    expect(res.body).not.toContain('not-a-real-token');
  });

  it.each([
    ['no Authorization header', undefined],
    ['another token', 'Bearer metrics-scraper-token-0123456789abcdeX'],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
    ['the token as Basic credentials', `Basic ${TOKEN}`],
  ])('S8 with the token set, refuses %s with 401 and no metrics', async (_case, authorization) => {
    const res = await scrape(withToken.app, authorization);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(res.json().error.code).toBe('unauthenticated');
    expect(res.body).not.toContain('visitpay_');
  });

  it("S8 a signed-in user's session token does not open /metrics", async () => {
    const company = await withToken.newCompany();
    const session = await withToken.login(company.ownerEmail);
    const res = await scrape(withToken.app, `Bearer ${session}`);
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain('visitpay_');
  });

  it('S8 without VISITPAY_METRICS_TOKEN, /metrics is served to nobody: 404 like an unknown route', async () => {
    for (const authorization of [undefined, `Bearer ${TOKEN}`, 'Bearer ']) {
      const res = await scrape(withoutToken.app, authorization);
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({ code: 'not_found', message: 'No such route' });
      expect(res.body).not.toContain('visitpay_');
    }
    const unknown = await withoutToken.anonymous.get('/api/v1/no-such-route');
    expect(unknown.body.error).toMatchObject({ code: 'not_found', message: 'No such route' });
  });
});
