import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureWebBuild,
  launchChromium,
  requireChromium,
  screenshot,
  startBrowserServer,
  watchProblems,
  type BrowserServer,
} from '../helpers/browser.js';
import { connectSandbox, ownerSession, type OwnerSession } from '../reliability/process-api.js';

/**
 * The client's return from the bank on a phone: the sandbox bank's notifications are dropped, so
 * what the page says it learnt by asking the bank itself — a decline at once, with the way back to
 * Pay; a payment not finished yet, as "being processed" with "Check again" and no way back to Pay.
 */
let app: BrowserServer;
let owner: OwnerSession;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[][] = [];

async function phone(locale: string): Promise<Page> {
  const context = await browser.newContext({
    baseURL: app.url,
    locale,
    viewport: { width: 375, height: 812 },
    isMobile: true,
    hasTouch: true,
  });
  contexts.push(context);
  problems.push(watchProblems(context));
  return context.newPage();
}

/** A fresh appointment's payment link, as staff would copy it. */
async function newLink(): Promise<string> {
  const service = await owner.post('/services', { title: 'Men’s haircut', priceMin: 4_100, priceMax: 4_100 });
  const staff = await owner.post('/staff', { name: 'Maria Weber' });
  const client = await owner.post('/clients', { name: 'Jonas Braun', phone: '+49 151 2345 6789' });
  const appointment = await owner.post('/appointments', {
    clientId: client.body.id,
    staffId: staff.body.id,
    startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    durationMinutes: 45,
    services: [{ serviceId: service.body.id }],
  });
  expect(appointment.status, appointment.text).toBe(201);
  const link = await owner.post(`/appointments/${appointment.body.id}/payment-link`, {});
  expect(link.status, link.text).toBe(200);
  return link.body.url as string;
}

beforeAll(async () => {
  requireChromium();
  await ensureWebBuild();
  app = await startBrowserServer();
  owner = await ownerSession(app.url);
  await connectSandbox(owner);
  const dropped = await owner.put('/settings/cashless', { sandboxNotifications: { mode: 'drop' } });
  expect(dropped.status, dropped.text).toBe(200);
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await app?.stop();
});

afterEach(() => {
  expect(
    problems.flatMap((seen) => seen.splice(0)),
    'console errors on the pages',
  ).toEqual([]);
});

const WORDS = {
  'en-GB': {
    failed: 'Payment not completed',
    back: 'Back to payment',
    processing: 'Payment is being processed',
    checkAgain: 'Check again',
  },
  'ru-RU': {
    failed: 'Оплата не завершена',
    back: 'Вернуться к оплате',
    processing: 'Платёж обрабатывается',
    checkAgain: 'Проверить ещё раз',
  },
} as const;

describe('the return page on a phone', () => {
  for (const locale of ['en-GB', 'ru-RU'] as const) {
    const words = WORDS[locale];

    it(`R17 after Decline it says at once that the payment did not go through (${locale})`, async () => {
      const page = await phone(locale);
      await page.goto(await newLink());
      await page.locator('form button.btn').click();
      await page.waitForURL(/\/sandbox\/checkout\//);
      await page.getByRole('button', { name: /decline/i }).click();
      await page.waitForURL(/\/pay\/.+\/return/);
      const status = page.getByRole('status');
      expect(await status.locator('h1').textContent()).toBe(words.failed);
      expect(await page.getByRole('link', { name: words.back }).count()).toBe(1);
      expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
      await screenshot(page, `50-return-declined-${locale}`, true);
    });

    it(`R17 while the bank has no outcome: "being processed", Check again, no way back to Pay (${locale})`, async () => {
      const page = await phone(locale);
      const url = await newLink();
      await page.goto(url);
      await page.locator('form button.btn').click();
      await page.waitForURL(/\/sandbox\/checkout\//);
      // the client leaves the bank's page without paying or declining, and comes back to the return address
      await page.goto(`${url}/return`);
      expect(await page.getByRole('status').locator('h1').textContent()).toBe(words.processing);
      expect(await page.getByRole('link', { name: words.back }).count()).toBe(0);
      const again = page.getByRole('link', { name: words.checkAgain });
      expect(await again.getAttribute('href')).toBe(`${new URL(url).pathname}/return`);
      const box = await again.boundingBox();
      expect(box && box.y + box.height <= 812).toBe(true);
      await screenshot(page, `51-return-processing-${locale}`, true);
    });
  }
});
