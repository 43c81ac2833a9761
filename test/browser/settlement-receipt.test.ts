import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  appointmentWithLink,
  completeCheckout,
  connectSandbox,
  eventually,
  ownerSession,
  pressPay,
  type OwnerSession,
} from '../reliability/process-api.js';

/**
 * R33 in the admin app, against a real server process and its jobs: the checkout tab shows the
 * settlement receipt of a link prepayment, pending with its due time, then sent once the visit
 * is marked arrived (the window follows live).
 */

let app: BrowserServer;
let owner: OwnerSession;
let browser: Browser;
let context: BrowserContext;
let problems: string[] = [];

beforeAll(async () => {
  requireChromium();
  await ensureWebBuild();
  app = await startBrowserServer();
  owner = await ownerSession(app.url);
  await connectSandbox(owner);
  const fiscal = await owner.put('/settings/cashless', { fiscalization: { enabled: true } });
  expect(fiscal.status, fiscal.text).toBe(200);
  browser = await launchChromium();
  context = await browser.newContext({ baseURL: app.url, locale: 'en-GB', viewport: { width: 1366, height: 900 } });
  problems = watchProblems(context);
}, 240_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await app?.stop();
});

describe('R33 settlement receipt in the appointment window', () => {
  it('R33 the checkout tab shows the settlement receipt pending with its due time, then sent when the visit turns arrived', async () => {
    const { appointmentId, token } = await appointmentWithLink(owner);
    const pay = await pressPay(app.url, token);
    expect(pay.status, pay.text).toBe(303);
    await completeCheckout(pay.location!);
    await eventually('the settlement receipt to be queued with the payment', async () => {
      const res = await owner.get(`/appointments/${appointmentId}`);
      return res.body.settlementReceipts?.length === 1;
    });

    const page = await context.newPage();
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto(`/c/${owner.companyId}/calendar?appointment=${appointmentId}`);
    const win = page.getByTestId('appointment-window');
    await win.getByTestId('tab-checkout').click();
    const line = win.getByTestId('settlement-receipt');
    await expect.poll(() => line.getAttribute('data-status'), { timeout: 10_000 }).toBe('pending');
    expect(await line.textContent()).toMatch(/Settlement receipt pending · due /);

    const arrived = await owner.patch(`/appointments/${appointmentId}`, { status: 'arrived' });
    expect(arrived.status, arrived.text).toBe(200);
    await expect.poll(() => line.getAttribute('data-status'), { timeout: 30_000 }).toBe('sent');
    expect(await line.textContent()).toMatch(/Settlement receipt sent · /);
    await screenshot(page, 'r33-settlement-receipt');
    expect(problems).toEqual([]);
  }, 90_000);
});
