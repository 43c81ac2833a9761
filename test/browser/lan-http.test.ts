import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureWebBuild,
  launchChromium,
  requireChromium,
  screenshot,
  signIn,
  startBrowserServer,
  watchProblems,
  type BrowserServer,
} from '../helpers/browser.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  connectSandbox,
  ownerSession,
  type OwnerSession,
} from '../reliability/process-api.js';

/**
 * O6: the salon's second PC and a client's phone on the salon's Wi-Fi open Visitpay by a LAN name
 * over plain HTTP. Chromium resolves salon.lan to 127.0.0.1, so the traffic stays on loopback
 * while the page's origin is http://salon.lan:<port>: not a "potentially trustworthy" origin like
 * localhost, so the browser applies upgrade-insecure-requests and HSTS to it as it would to
 * http://192.168.1.20:3000.
 */
const LAN_HOST = 'salon.lan';
let app: BrowserServer;
let owner: OwnerSession;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[][] = [];
let appointmentId = '';

async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: app.url,
    locale: 'en-GB',
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  problems.push(watchProblems(context));
  contexts.push(context);
  return context;
}

beforeAll(async () => {
  requireChromium();
  await ensureWebBuild();
  // listens on 127.0.0.1; PUBLIC_URL and the browser's address are http://salon.lan:<port>
  app = await startBrowserServer({}, { host: LAN_HOST });
  // this process has no host-resolver rule: the API calls of the setup go to the loopback address
  owner = await ownerSession(app.url.replace(LAN_HOST, '127.0.0.1'));
  await connectSandbox(owner);
  const service = await owner.post('/services', { title: 'Haircut', priceMin: 4_500, priceMax: 6_000 });
  const staff = await owner.post('/staff', { name: 'Maria Weber' });
  const client = await owner.post('/clients', { name: 'Lena Fischer' });
  const appointment = await owner.post('/appointments', {
    clientId: client.body.id,
    staffId: staff.body.id,
    startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    durationMinutes: 60,
    services: [{ serviceId: service.body.id }],
  });
  expect(appointment.status, appointment.text).toBe(201);
  appointmentId = appointment.body.id;
  browser = await launchChromium([`--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`]);
}, 240_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await app?.stop();
});

afterEach(() => {
  expect(
    problems.flatMap((seen) => seen.splice(0)),
    'console errors on the screens',
  ).toEqual([]);
});

describe('plain HTTP on a LAN address (O6)', () => {
  it('O6 the admin app opened as http://salon.lan:<port> renders, signs in, and copies a link on that address', async () => {
    const page = await (await newContext()).newPage();
    await page.goto('/');
    expect(new URL(page.url()).origin).toBe(app.url);
    // before the fix the scripts were upgraded to https:// and failed: a white page, no form
    await page.getByTestId('login-form').waitFor({ timeout: 10_000 });
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto(`/c/${owner.companyId}/calendar?appointment=${appointmentId}`);
    const win = page.getByTestId('appointment-window');
    await win.getByTestId('copy-payment-link').click();
    await win.getByTestId('link-url').waitFor({ timeout: 10_000 });
    expect((await win.getByTestId('link-url').inputValue()).startsWith(`${app.url}/pay/`)).toBe(true);
    await screenshot(page, 'o6-lan-admin-app');
  }, 60_000);

  it('O7 with PUBLIC_URL on a LAN name the banner says phones on the salon Wi-Fi can open links, clients elsewhere cannot', async () => {
    const page = await (await newContext()).newPage();
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    const banner = page.getByTestId('link-reach-banner');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.getAttribute('data-reach')).toBe('local_network');
    expect(await banner.textContent()).toContain(
      `Payment links point at ${app.url}, an address of the salon’s own network: phones on the salon’s Wi-Fi can open them, clients elsewhere`,
    );
  }, 60_000);

  it('O6 a phone on the salon Wi-Fi opens the link over plain HTTP, presses Pay, pays on the sandbox bank page and sees the paid confirmation', async () => {
    // the link the desk copied above (R5: the active one is answered again)
    const link = await owner.post(`/appointments/${appointmentId}/payment-link`, {});
    expect(link.status, link.text).toBe(200);
    const url = link.body.url as string;
    expect(url.startsWith(`${app.url}/pay/`)).toBe(true);

    const phone = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const client = await phone.newPage();
    await client.goto(url);
    // the Pay form posts over plain HTTP (before the fix: to https://, ERR_SSL_PROTOCOL_ERROR)
    await client.getByRole('button', { name: /pay/i }).first().click();
    await client.waitForURL(/\/sandbox\/checkout\//);
    expect(new URL(client.url()).origin).toBe(app.url);
    await client.getByRole('button', { name: /^pay/i }).click();
    await client.waitForURL(/\/pay\/.+\/return/);
    expect(new URL(client.url()).origin).toBe(app.url);
    // the return page refreshes itself until the sandbox's notification is booked
    await client.getByText('Thank you! Payment received').waitFor({ timeout: 20_000 });
    await screenshot(client, 'o6-lan-paid', true);
    await expect
      .poll(async () => (await owner.get(`/appointments/${appointmentId}`)).body.paymentStatus, { timeout: 10_000 })
      .toBe('paid');
  }, 60_000);
});
