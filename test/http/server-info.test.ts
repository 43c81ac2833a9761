import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { Origins } from '../../src/shared/origins.js';
import { apiClient, createTestApp } from '../helpers/test-app.js';

/** O7: the admin app learns where links point and who can open them. */
const t = await createTestApp();
const company = await t.newCompany();
const staffMember = await t.newUser(company.id, 'staff');

/** The app `npm start` builds, with links built on `publicUrl` (unset: the port it listens on). */
async function signedInWith(publicUrl: string | undefined) {
  const origins = new Origins(publicUrl);
  origins.listening(3000);
  const app = await buildApp({
    config: { ...t.config, PUBLIC_URL: publicUrl },
    db: t.db,
    services: { ...t.services, origins },
    logger: false,
  });
  await app.ready();
  afterAll(() => app.close());
  return { asStaff: apiClient(app, staffMember.token), anonymous: apiClient(app) };
}

/** The test app has no SMTP_URL and no SMS gateway. */
const NO_CHANNELS = { email: false, sms: false, whatsapp: false };

describe('GET /api/v1/server-info (O7)', () => {
  it('O7 PUBLIC_URL unset: links point at http://localhost:<port>, which only this computer opens', async () => {
    const { asStaff } = await signedInWith(undefined);
    const res = await asStaff.get('/api/v1/server-info');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      publicUrl: 'http://localhost:3000',
      publicUrlSet: false,
      linkReach: 'this_computer',
      sendChannels: NO_CHANNELS,
    });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('O7 a LAN PUBLIC_URL: phones on the local network only', async () => {
    const { asStaff } = await signedInWith('http://192.168.1.20:3000/');
    expect((await asStaff.get('/api/v1/server-info')).body).toEqual({
      publicUrl: 'http://192.168.1.20:3000',
      publicUrlSet: true,
      linkReach: 'local_network',
      sendChannels: NO_CHANNELS,
    });
  });

  it('O7 a public PUBLIC_URL: anyone', async () => {
    const { asStaff } = await signedInWith('https://pay.example-salon.test');
    expect((await asStaff.get('/api/v1/server-info')).body).toEqual({
      publicUrl: 'https://pay.example-salon.test',
      publicUrlSet: true,
      linkReach: 'internet',
      sendChannels: NO_CHANNELS,
    });
  });

  it('O7 is for signed-in users only', async () => {
    const { anonymous } = await signedInWith(undefined);
    const res = await anonymous.get('/api/v1/server-info');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });
});
