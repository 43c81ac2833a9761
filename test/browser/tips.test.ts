import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { openAdminApp, screenshot, signIn, type AdminAppRun } from '../helpers/browser.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  appointmentWithLink,
  connectSandbox,
  type OwnerSession,
} from '../reliability/process-api.js';

/**
 * R40 in real Chromium: Settings → Tips in both languages, and the link page's tip fields on a
 * phone with JavaScript switched off — a refused custom tip is said at its field, a preset goes
 * to the bank's page inside the amount.
 */
const DESKTOP = { width: 1366, height: 850 };
const PHONE = { width: 390, height: 844 };

let run: AdminAppRun;
let owner: OwnerSession;

beforeAll(async () => {
  run = await openAdminApp(async (company) => {
    owner = company;
    await connectSandbox(owner);
    // the calendar, where signing in lands, shows its day once the salon has a staff member
    expect((await owner.post('/staff', { name: 'Maria' })).status).toBe(201);
  });
}, 240_000);

afterAll(async () => {
  await run?.close();
});

afterEach(() => {
  expect(run.takeProblems(), 'console errors on the pages').toEqual([]);
});

async function tipsScreen(viewport: { width: number; height: number }, locale: string): Promise<Page> {
  const page = await run.newPage({ viewport, locale });
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(`/c/${owner.companyId}/settings/tips`);
  await page.getByTestId('tips-card').waitFor();
  return page;
}

/** A phone with JavaScript off, as some clients' browsers are. */
async function phoneWithoutScript(locale: string): Promise<Page> {
  const context = await run.browser.newContext({
    baseURL: run.app.url,
    locale,
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    javaScriptEnabled: false,
  });
  return context.newPage();
}

describe('R40 Settings → Tips', () => {
  it('R40 an owner switches tips on and changes a preset; the screen says what the link page offers', async () => {
    const page = await tipsScreen(DESKTOP, 'en-GB');
    expect(await page.locator('main h1').textContent()).toBe('Tips');
    expect(await page.getByTestId('tips-state').textContent()).toBe('Tips are off: the link page offers none.');
    expect(await page.getByTestId('tip-preset-3').inputValue()).toBe('15');
    await page.getByLabel('Offer tips on the link page').check();
    await page.getByLabel('Preset 4 (%)').fill('20');
    await page.getByTestId('tips-save').click();
    await page.getByTestId('tips-saved').waitFor();
    await expect
      .poll(async () => (await owner.get('/settings/tips')).body)
      .toEqual({
        enabled: true,
        presets: [0, 5, 10, 20],
        available: true,
        offered: true,
      });
    expect(await page.getByTestId('tips-state').textContent()).toBe('The link page offers tips.');
    await expectNoAxeViolations(page, 'Settings → Tips (en)');
    await screenshot(page, 'tips-settings-en');
  }, 90_000);

  it('R40 the same screen in Russian on a phone', async () => {
    const page = await tipsScreen(PHONE, 'ru-RU');
    expect(await page.locator('main h1').textContent()).toBe('Чаевые');
    expect(await page.getByTestId('tips-state').textContent()).toBe('Страница оплаты предлагает чаевые.');
    expect(await page.getByLabel('Вариант 4 (%)').inputValue()).toBe('20');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectNoAxeViolations(page, 'Settings → Tips (ru, phone)');
  }, 90_000);
});

describe('R40 the link page without JavaScript', () => {
  const cases = [
    {
      locale: 'en-GB',
      legend: 'Add a tip for Maria?',
      preset: '10% · €10.00',
      tooMuch: 'A tip can be at most €100.00.',
      letters: 'Enter the tip as a number, e.g. 2.50.',
    },
    {
      locale: 'ru-RU',
      legend: 'Оставить чаевые специалисту (Maria)?',
      preset: /^10%\s·\s10,00\s€$/,
      tooMuch: /^Чаевые — не больше 100,00\s€\.$/,
      letters: 'Введите сумму чаевых числом, например 150 или 2,50.',
    },
  ] as const;

  for (const c of cases) {
    it(`R40 tips at 390×844 with JavaScript off: a refused custom tip at its field, a preset charged by the bank (${c.locale})`, async () => {
      expect((await owner.put('/settings/tips', { enabled: true })).status).toBe(200);
      const link = await appointmentWithLink(owner, 10_000);
      const page = await phoneWithoutScript(c.locale);
      await page.goto(`/pay/${link.token}`);
      expect(await page.locator('legend').textContent()).toBe(c.legend);
      expect(await page.locator('input[name="tip"]').count()).toBe(4);

      await page.locator('#tip-custom').fill('abc');
      await page.locator('button[type="submit"]').click();
      await page.locator('#tip-error').waitFor();
      expect(await page.locator('#tip-error').textContent()).toBe(c.letters);
      expect(await page.locator('#tip-custom').getAttribute('aria-invalid')).toBe('true');

      await page.locator('#tip-custom').fill('100.01');
      await page.locator('button[type="submit"]').click();
      await page.locator('#tip-error').waitFor();
      if (typeof c.tooMuch === 'string') expect(await page.locator('#tip-error').textContent()).toBe(c.tooMuch);
      else expect(await page.locator('#tip-error').textContent()).toMatch(c.tooMuch);
      expect((await owner.get(`/appointments/${link.appointmentId}/payment-link`)).body.attempts).toEqual([]);
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth).catch(() => true),
      ).toBe(true);
      await screenshot(page, `tips-link-page-error-${c.locale}`, true);

      await page.locator('#tip-custom').fill('');
      await page.getByLabel(c.preset).check();
      await page.locator('button[type="submit"]').click();
      await page.waitForURL(/\/sandbox\/checkout\//);
      const attempts = (await owner.get(`/appointments/${link.appointmentId}/payment-link`)).body.attempts;
      expect(attempts.map((a: { amount: number }) => a.amount)).toEqual([11_000]);
      await page.context().close();
    }, 90_000);

    it(`R40 the link page with its tip fields and a refusal passes axe (${c.locale})`, async () => {
      expect((await owner.put('/settings/tips', { enabled: true })).status).toBe(200);
      const link = await appointmentWithLink(owner, 10_000);
      const page = await run.newPage({ viewport: PHONE, locale: c.locale });
      await page.goto(`/pay/${link.token}`);
      await expectNoAxeViolations(page, `link page with tips (${c.locale})`);
      await page.locator('#tip-custom').fill('-5');
      await page.locator('button[type="submit"]').click();
      await page.locator('#tip-error').waitFor();
      await expectNoAxeViolations(page, `link page with a refused tip (${c.locale})`);
      // the refusal is answered 400, which Chromium reports on the console; nothing else may be there
      expect(run.takeProblems().filter((p) => !p.includes('status of 400'))).toEqual([]);
    }, 90_000);
  }
});
