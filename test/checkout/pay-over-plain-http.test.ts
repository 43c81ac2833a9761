import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { connectSandbox, copyLink, payableAppointment } from '../helpers/links.js';
import { createTestApp } from '../helpers/test-app.js';

/**
 * O6: Pay from a phone on the salon's Wi-Fi, over plain HTTP. Browsers send no Fetch Metadata
 * (Sec-Fetch-Site) to a plain-HTTP origin, and the link page's Referrer-Policy: no-referrer makes
 * the form's POST say `Origin: null`: that is what our own page's Pay looks like there.
 */
const t = await createTestApp({
  env: {
    PUBLIC_URL: 'https://pay.example-salon.test',
    VISITPAY_TRUST_PROXY: '127.0.0.1',
    VISITPAY_PUBLIC_RATE_LIMIT: '0',
  },
});
const company = await t.newCompany();
await connectSandbox(company);

const attempts = async (linkId: string) =>
  Number(
    (await sql<{ n: string }>`SELECT count(*) AS n FROM checkout_attempts WHERE link_id = ${linkId}`.execute(t.db))
      .rows[0]!.n,
  );

const press = (token: string, headers: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url: `/pay/${token}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: '',
  });

describe('Pay over plain HTTP (O6)', () => {
  it('O6 our own form over plain HTTP (no Sec-Fetch-Site, Origin: null) starts the payment', async () => {
    const link = await copyLink(company, (await payableAppointment(t, company)).id);
    const res = await press(link.token, { host: '192.168.1.20:3000', origin: 'null' });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toMatch(/\/sandbox\/checkout\/sbx_/);
    expect(await attempts(link.id)).toBe(1);
  });

  it('O6 over HTTPS (a trusted proxy says so, or the host of an https PUBLIC_URL) Origin: null without Fetch Metadata stays refused, with nothing written', async () => {
    const link = await copyLink(company, (await payableAppointment(t, company)).id);
    const https: Record<string, string>[] = [
      { host: 'pay.example-salon.test', 'x-forwarded-proto': 'https' },
      { host: '192.168.1.20:3000', 'x-forwarded-proto': 'https' },
      { host: 'pay.example-salon.test' },
    ];
    for (const headers of https) {
      const res = await press(link.token, { ...headers, origin: 'null' });
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.headers.location).toBeUndefined();
    }
    expect(await attempts(link.id)).toBe(0);
  });

  it('O6 over plain HTTP a foreign Origin or cross-site Fetch Metadata stays refused, with nothing written', async () => {
    const link = await copyLink(company, (await payableAppointment(t, company)).id);
    const hostile: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { 'sec-fetch-site': 'cross-site', origin: 'null' },
    ];
    for (const headers of hostile) {
      const res = await press(link.token, { host: '192.168.1.20:3000', ...headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
    }
    expect(await attempts(link.id)).toBe(0);
  });
});
