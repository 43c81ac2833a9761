import { describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD } from '../helpers/test-app.js';

const t = await createTestApp();

describe('auth', () => {
  it('logs in with email and password, answers a bearer token and a session cookie, and /me lists rights', async () => {
    const company = await t.newCompany({ name: 'Login Salon' });
    const res = await t.anonymous.post('/api/v1/auth/login', {
      email: company.ownerEmail.toUpperCase(),
      password: TEST_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^vps_/);
    expect(String(res.headers['set-cookie'])).toContain('vp_session=');
    expect(String(res.headers['set-cookie'])).toContain('HttpOnly');

    const me = await t.anonymous.get('/api/v1/me', { authorization: `Bearer ${res.body.token}` });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(company.ownerEmail);
    expect(me.body.companies).toHaveLength(1);
    expect(me.body.companies[0]).toMatchObject({ id: company.id, name: 'Login Salon', role: 'owner' });
    expect(me.body.companies[0].rights).toContain('users.manage');
  });

  it("R23 /me names the taxation systems of each company's country, which the admin app offers for items", async () => {
    const de = await t.newCompany({ country: 'DE' });
    const ru = await t.newCompany({ country: 'RU', currency: 'RUB', timezone: 'Europe/Moscow' });
    expect((await de.owner.get('/api/v1/me')).body.companies[0].taxSystems).toEqual(['standard']);
    expect((await ru.owner.get('/api/v1/me')).body.companies[0].taxSystems).toEqual([
      'osn',
      'usn_income',
      'usn_income_outcome',
      'esn',
      'patent',
    ]);
  });

  it('refuses a wrong password and an unknown email alike with 401 invalid_credentials', async () => {
    const company = await t.newCompany();
    const wrong = await t.anonymous.post('/api/v1/auth/login', { email: company.ownerEmail, password: 'nope-nope' });
    const unknown = await t.anonymous.post('/api/v1/auth/login', {
      email: 'nobody@example.test',
      password: 'nope-nope',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
  });

  it('answers 401 without a token and with a revoked one after logout', async () => {
    const company = await t.newCompany();
    expect((await t.anonymous.get('/api/v1/me')).status).toBe(401);
    expect((await company.owner.post('/api/v1/auth/logout')).status).toBe(204);
    const after = await company.owner.get('/api/v1/me');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
  });

  it('expires sessions after seven days', async () => {
    const company = await t.newCompany();
    expect((await company.owner.get('/api/v1/me')).status).toBe(200);
    t.clock.advance(8 * 86_400_000);
    expect((await company.owner.get('/api/v1/me')).status).toBe(401);
  });

  it('requires the CSRF header for unsafe requests made with the session cookie', async () => {
    const company = await t.newCompany();
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: company.ownerEmail, password: TEST_PASSWORD },
    });
    const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]));
    const cookieHeader = `vp_session=${cookies.vp_session}; vp_csrf=${cookies.vp_csrf}`;
    const read = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookieHeader } });
    expect(read.statusCode).toBe(200);
    const body = { name: 'Second', currency: 'EUR', timezone: 'Europe/Berlin', country: 'DE' };
    const forged = await t.app.inject({
      method: 'POST',
      url: '/api/v1/companies',
      headers: { cookie: cookieHeader },
      payload: body,
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('csrf_failed');
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/companies',
      headers: { cookie: cookieHeader, 'x-csrf-token': cookies.vp_csrf! },
      payload: body,
    });
    expect(ok.statusCode).toBe(201);
  });

  it('gives every response an x-request-id, echoed in error bodies', async () => {
    const res = await t.anonymous.get('/api/v1/me');
    expect(res.headers['x-request-id']).toMatch(/^req_/);
    expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
  });
});
