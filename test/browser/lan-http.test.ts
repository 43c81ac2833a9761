import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  copyLink,
  openAdminApp,
  openAppointment,
  PHONE,
  screenshot,
  signIn,
  type AdminAppRun,
} from '../helpers/browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, bookVisit, connectSandbox } from '../reliability/process-api.js';

/**
 * O6: the salon's second PC and a client's phone on the salon's Wi-Fi open Visitpay by a LAN name
 * over plain HTTP. Chromium resolves salon.lan to 127.0.0.1, so the traffic stays on loopback
 * while the page's origin is http://salon.lan:<port>: not a "potentially trustworthy" origin like
 * localhost, so the browser applies upgrade-insecure-requests and HSTS to it as it would to
 * http://192.168.1.20:3000.
 */
const LAN_HOST = 'salon.lan';
let run: AdminAppRun;
let appointmentId = '';

beforeAll(async () => {
  // listens on 127.0.0.1; PUBLIC_URL and the browser's address are http://salon.lan:<port>
  run = await openAdminApp(
    async (owner) => {
      await connectSandbox(owner);
      appointmentId = await bookVisit(owner, {
        service: { title: 'Haircut', priceMin: 4_500, priceMax: 6_000 },
        client: { name: 'Lena Fischer' },
        durationMinutes: 60,
      });
    },
    { host: LAN_HOST },
  );
}, 240_000);

afterAll(async () => {
  await run?.close();
});

afterEach(() => {
  expect(run.takeProblems(), 'console errors on the screens').toEqual([]);
});

describe('plain HTTP on a LAN address (O6)', () => {
  it('O6 the admin app opened as http://salon.lan:<port> renders, signs in, and copies a link on that address', async () => {
    const page = await run.newPage();
    await page.goto('/');
    expect(new URL(page.url()).origin).toBe(run.app.url);
    // before the fix the scripts were upgraded to https:// and failed: a white page, no form
    await page.getByTestId('login-form').waitFor({ timeout: 10_000 });
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    const win = await openAppointment(page, run.owner.companyId, appointmentId);
    expect((await copyLink(win)).startsWith(`${run.app.url}/pay/`)).toBe(true);
    await screenshot(page, 'o6-lan-admin-app');
  }, 60_000);

  it('O7 with PUBLIC_URL on a LAN name the banner says phones on the salon Wi-Fi can open links, clients elsewhere cannot', async () => {
    const page = await run.signedInPage();
    const banner = page.getByTestId('link-reach-banner');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.getAttribute('data-reach')).toBe('local_network');
    expect(await banner.textContent()).toContain(
      `Payment links point at ${run.app.url}, an address of the salon’s own network: phones on the salon’s Wi-Fi can open them, clients elsewhere`,
    );
  }, 60_000);

  it('O6 a phone on the salon Wi-Fi opens the link over plain HTTP, presses Pay, pays on the sandbox bank page and sees the paid confirmation', async () => {
    // the link the desk copied above (R5: the active one is answered again)
    const link = await run.owner.post(`/appointments/${appointmentId}/payment-link`, {});
    expect(link.status, link.text).toBe(200);
    const url = link.body.url as string;
    expect(url.startsWith(`${run.app.url}/pay/`)).toBe(true);

    const client = await run.newPage({ viewport: PHONE, isMobile: true, hasTouch: true });
    await client.goto(url);
    // the Pay form posts over plain HTTP (before the fix: to https://, ERR_SSL_PROTOCOL_ERROR)
    await client.getByRole('button', { name: /pay/i }).first().click();
    await client.waitForURL(/\/sandbox\/checkout\//);
    expect(new URL(client.url()).origin).toBe(run.app.url);
    await client.getByRole('button', { name: /^pay/i }).click();
    await client.waitForURL(/\/pay\/.+\/return/);
    expect(new URL(client.url()).origin).toBe(run.app.url);
    // the return page refreshes itself until the sandbox's notification is booked
    await client.getByText('Thank you! Payment received').waitFor({ timeout: 20_000 });
    await screenshot(client, 'o6-lan-paid', true);
    await expect
      .poll(async () => (await run.owner.get(`/appointments/${appointmentId}`)).body.paymentStatus, { timeout: 10_000 })
      .toBe('paid');
  }, 60_000);
});
