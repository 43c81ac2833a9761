import { describe, expect, it } from 'vitest';
import { apiClient, createTestApp, TEST_PASSWORD } from '../helpers/test-app.js';

const t = await createTestApp();
// Behind a proxy that terminates TLS: X-Forwarded-Proto tells the app a request came over HTTPS.
const proxied = await createTestApp({ env: { VISITPAY_TRUST_PROXY: 'true' } });
// Behind a TLS proxy the server was not told to trust: PUBLIC_URL's https host still means HTTPS.
const untrusted = await createTestApp({ env: { PUBLIC_URL: 'https://pay.salon.example' } });

const cookiesOf = (res: { cookies: { name: string; value: string }[] }) =>
  Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));

describe('S3 an account holder runs their own account', () => {
  it('S3 changes their password: the current one is checked, other sessions end, this one stays', async () => {
    const c = await t.newCompany();
    const laptop = c.owner;
    const phone = apiClient(t.app, await t.login(c.ownerEmail));

    const wrong = await laptop.post('/api/v1/me/password', {
      currentPassword: 'not-it',
      newPassword: 'brand-new-password',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: 'invalid_credentials', field: 'currentPassword' });
    const short = await laptop.post('/api/v1/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(short.body.error).toMatchObject({ code: 'validation_failed', field: 'newPassword' });
    expect((await phone.get('/api/v1/me')).status).toBe(200);

    const changed = await laptop.post('/api/v1/me/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'brand-new-password',
    });
    expect(changed.status).toBe(204);
    expect((await laptop.get('/api/v1/me')).status).toBe(200);
    expect((await phone.get('/api/v1/me')).status).toBe(401);
    await expect(t.login(c.ownerEmail, TEST_PASSWORD)).rejects.toThrow(/Wrong email or password/);
    expect(await t.login(c.ownerEmail, 'brand-new-password')).toMatch(/^vps_/);
  });

  it('S3 signs out everywhere: every session of the account ends, this one too', async () => {
    const c = await t.newCompany();
    const other = apiClient(t.app, await t.login(c.ownerEmail));
    const res = await c.owner.post('/api/v1/auth/logout-all');
    expect(res.status).toBe(204);
    expect((await c.owner.get('/api/v1/me')).status).toBe(401);
    expect((await other.get('/api/v1/me')).status).toBe(401);
    expect(await t.login(c.ownerEmail)).toMatch(/^vps_/);
  });

  it('S1 S3 the holder renames their own account', async () => {
    const c = await t.newCompany();
    const res = await c.owner.patch('/api/v1/me', { name: 'Olga Owner' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Olga Owner', email: c.ownerEmail });
    expect((await c.owner.get(`${c.base}/users/${c.ownerId}`)).body.name).toBe('Olga Owner');
    expect((await c.owner.patch('/api/v1/me', { name: '' })).body.error).toMatchObject({
      code: 'validation_failed',
      field: 'name',
    });
    expect((await c.owner.patch('/api/v1/me', { email: 'x@example.test' })).status).toBe(400);
  });
});

describe('S7 CSRF tokens are bound to the session', () => {
  const body = { name: 'Second', currency: 'EUR', timezone: 'Europe/Berlin', country: 'DE' };

  it('S7 a self-chosen CSRF cookie and header pair is refused; the session’s own token passes', async () => {
    const c = await t.newCompany();
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: c.ownerEmail, password: TEST_PASSWORD },
    });
    const cookies = cookiesOf(login);
    expect(cookies.vp_csrf).toBeTruthy();

    const chosen = 'attacker-chosen-token';
    const forged = await t.app.inject({
      method: 'POST',
      url: '/api/v1/companies',
      headers: { cookie: `vp_session=${cookies.vp_session}; vp_csrf=${chosen}`, 'x-csrf-token': chosen },
      payload: body,
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('csrf_failed');

    // the token of another session of the same user does not fit this one either
    const otherLogin = cookiesOf(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: c.ownerEmail, password: TEST_PASSWORD },
      }),
    );
    const crossed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/companies',
      headers: {
        cookie: `vp_session=${cookies.vp_session}; vp_csrf=${otherLogin.vp_csrf}`,
        'x-csrf-token': otherLogin.vp_csrf!,
      },
      payload: body,
    });
    expect(crossed.statusCode).toBe(403);

    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/companies',
      headers: {
        cookie: `vp_session=${cookies.vp_session}; vp_csrf=${cookies.vp_csrf}`,
        'x-csrf-token': cookies.vp_csrf!,
      },
      payload: body,
    });
    expect(ok.statusCode).toBe(201);
  });

  it('S7 over HTTPS the cookies are __Host- prefixed and Secure; over plain HTTP they are not', async () => {
    const c = await proxied.newCompany();
    const payload = { email: c.ownerEmail, password: TEST_PASSWORD };
    const https = await proxied.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload,
    });
    const names = https.cookies.map((k) => k.name).sort();
    expect(names).toEqual(['__Host-vp_csrf', '__Host-vp_session']);
    for (const k of https.cookies) expect(k).toMatchObject({ secure: true, path: '/', sameSite: 'Lax' });
    expect(https.cookies.every((k) => k.domain === undefined)).toBe(true);

    const cookies = cookiesOf(https);
    const headers = { 'x-forwarded-proto': 'https', cookie: `__Host-vp_session=${cookies['__Host-vp_session']}` };
    expect((await proxied.app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(200);
    // an unprefixed cookie (which a sibling subdomain could plant) is not read over HTTPS
    const planted = await proxied.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { 'x-forwarded-proto': 'https', cookie: `vp_session=${cookies['__Host-vp_session']}` },
    });
    expect(planted.statusCode).toBe(401);

    const plain = await proxied.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
    expect(plain.cookies.map((k) => k.name).sort()).toEqual(['vp_csrf', 'vp_session']);
    for (const k of plain.cookies) expect(k.secure).toBeFalsy();
  });

  it('S7 O6 with an https PUBLIC_URL and no trusted proxy: its host gets __Host- cookies, a LAN address over plain HTTP plain ones', async () => {
    const c = await untrusted.newCompany();
    const payload = { email: c.ownerEmail, password: TEST_PASSWORD };
    const viaPublic = await untrusted.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { host: 'pay.salon.example' },
      payload,
    });
    expect(viaPublic.cookies.map((k) => k.name).sort()).toEqual(['__Host-vp_csrf', '__Host-vp_session']);
    for (const k of viaPublic.cookies) expect(k.secure).toBe(true);
    const viaLan = await untrusted.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { host: '192.168.1.20:3000' },
      payload,
    });
    expect(viaLan.cookies.map((k) => k.name).sort()).toEqual(['vp_csrf', 'vp_session']);
    for (const k of viaLan.cookies) expect(k.secure).toBeFalsy();
  });
});

describe('S7 no login CSRF: the API takes JSON only', () => {
  it('S7 a form another site auto-submits to sign a visitor in is refused, with no cookie set', async () => {
    const c = await t.newCompany();
    const form = `email=${encodeURIComponent(c.ownerEmail)}&password=${encodeURIComponent(TEST_PASSWORD)}`;
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': type },
        payload: form,
      });
      expect(res.statusCode, type).toBe(415);
      expect(res.headers['set-cookie'], type).toBeUndefined();
    }
    const accept = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'token=x&password=y',
    });
    expect(accept.statusCode).toBe(415);
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'sec-fetch-site': 'cross-site' },
      payload: { email: c.ownerEmail, password: TEST_PASSWORD },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.headers['set-cookie']).toBeUndefined();
    const sameSite = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'sec-fetch-site': 'same-origin' },
      payload: { email: c.ownerEmail, password: TEST_PASSWORD },
    });
    expect(sameSite.statusCode).toBe(200);
  });
});
