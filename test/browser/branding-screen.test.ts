import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { openAdminApp, screenshot, signIn, type AdminAppRun } from '../helpers/browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, connectSandbox, type OwnerSession } from '../reliability/process-api.js';
import { png, SVG } from '../branding/images.js';

/**
 * R39 in real Chromium: Settings → Branding — the logo uploaded and previewed (a renamed text file,
 * an SVG and an oversized file refused in words), the colour's contrast judged as it is typed, the
 * contact line, and the preview of the link page's header; in English on a laptop, in Russian on a phone.
 */
const LAPTOP = { width: 1366, height: 850 };
const PHONE = { width: 390, height: 844 };

let run: AdminAppRun;
let owner: OwnerSession;
let laptop: Page;
let phone: Page;

async function brandingScreen(viewport: { width: number; height: number }, locale: string): Promise<Page> {
  const page = await run.newPage({ viewport, locale });
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(`/c/${owner.companyId}/settings/branding`);
  await page.getByTestId('branding-form').waitFor({ timeout: 10_000 });
  return page;
}

beforeAll(async () => {
  run = await openAdminApp(async (company) => {
    owner = company;
    await connectSandbox(owner);
    // the calendar, where signing in lands, shows its day once the salon has a staff member
    expect((await owner.post('/staff', { name: 'Maria' })).status).toBe(201);
  });
  laptop = await brandingScreen(LAPTOP, 'en-GB');
  phone = await brandingScreen(PHONE, 'ru-RU');
}, 240_000);

afterAll(async () => {
  await run?.close();
});

// the refusals these tests provoke on purpose (a renamed file, an SVG, a low-contrast colour) are the only 400s allowed
const PROVOKED = /status of 400 \(Bad Request\) \(http:\/\/[^)]+\/settings\/branding(\/logo)?\)$/;

afterEach(() => {
  expect(
    run.takeProblems().filter((p) => !PROVOKED.test(p)),
    'console errors on the screen',
  ).toEqual([]);
});

const file = (name: string, mimeType: string, buffer: Buffer) => ({ name, mimeType, buffer });

describe('R39 Settings → Branding', () => {
  it('R39 (en, laptop) refuses a renamed text file, uploads and previews a PNG, judges the colour as typed, saves', async () => {
    const page = laptop;
    await page
      .getByTestId('branding-logo-file')
      .setInputFiles(file('logo.png', 'image/png', Buffer.from('not a picture')));
    await expect
      .poll(() => page.getByTestId('branding-logo-error').textContent())
      .toBe('This file is not a PNG, JPEG or WebP image.');
    await page.getByTestId('branding-logo-file').setInputFiles(file('logo.png', 'image/png', png(120, 40)));
    await page.getByTestId('branding-logo').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('branding-logo-error').count()).toBe(0);
    expect(await page.getByTestId('branding-preview').locator('img').count()).toBe(1);

    const hex = page.getByTestId('branding-accent');
    await hex.fill('#ffcc00');
    expect(await page.getByTestId('branding-contrast').getAttribute('data-readable')).toBe('false');
    expect(await page.getByTestId('branding-contrast').textContent()).toMatch(/too low; at least 4\.5:1/);
    // saved anyway: the server refuses and suggests a darker one, taken with one press
    await page.getByTestId('branding-save').click();
    await page.getByTestId('branding-suggestion').waitFor();
    await page.getByTestId('branding-suggestion').click();
    expect(await page.getByTestId('branding-contrast').getAttribute('data-readable')).toBe('true');
    await hex.fill('#0e7490');
    expect(await page.getByTestId('branding-contrast').textContent()).toMatch(/readable/);
    expect(
      await page.getByTestId('branding-preview-button').evaluate((el) => getComputedStyle(el).backgroundColor),
    ).toBe('rgb(14, 116, 144)');
    await page.getByTestId('branding-contact').fill('+49 30 1234567 · Hauptstr. 5');
    expect(await page.getByTestId('branding-preview-contact').textContent()).toBe('+49 30 1234567 · Hauptstr. 5');
    await page.getByTestId('branding-save').click();
    await page.getByTestId('branding-saved').waitFor();
    const saved = await owner.get('/settings/branding');
    expect(saved.body).toMatchObject({ accentColor: '#0e7490', contactLine: '+49 30 1234567 · Hauptstr. 5' });
    await expectNoAxeViolations(page, 'branding (en, laptop)');
    await screenshot(page, 'branding-en-laptop', true);
  });

  it('R39 (ru, phone) says in Russian why an SVG and an oversized file are refused, and removes the logo', async () => {
    const page = phone;
    await page.reload();
    await page.getByTestId('branding-form').waitFor();
    expect(await page.locator('h1').first().textContent()).toBe('Оформление');
    await page.getByTestId('branding-logo-file').setInputFiles(file('logo.png', 'image/png', SVG));
    await expect.poll(() => page.getByTestId('branding-logo-error').textContent()).toContain('SVG не принимается');
    await page
      .getByTestId('branding-logo-file')
      .setInputFiles(file('big.png', 'image/png', png(8, 8, [0, 0, 0], 210 * 1024)));
    await expect.poll(() => page.getByTestId('branding-logo-error').textContent()).toMatch(/не больше 200 КБ/);
    await page.getByTestId('branding-accent').fill('#ffcc00');
    expect(await page.getByTestId('branding-contrast').textContent()).toMatch(/слишком мало/);
    await page.getByTestId('branding-accent').fill('#0e7490');
    // the page fits the phone: nothing wider than the screen
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await expectNoAxeViolations(page, 'branding (ru, phone)');
    await page.getByTestId('branding-logo-remove').click();
    await page.getByText('Логотипа пока нет.').waitFor();
    expect((await owner.get('/settings/branding')).body.logo).toBeNull();
    await screenshot(page, 'branding-ru-phone', true);
  });

  it('R41 (en, laptop) the confirmation email is switched off and saved; the hint says the server has no email set up', async () => {
    const page = laptop;
    await page.reload();
    await page.getByTestId('branding-form').waitFor();
    const box = page.getByRole('checkbox', { name: 'Email the client a confirmation after a link payment' });
    expect(await box.isChecked()).toBe(true);
    // this server runs without SMTP_URL: the hint says nothing is sent
    await expect
      .poll(() => page.getByTestId('branding-confirmation-hint').getAttribute('data-email-ready'))
      .toBe('false');
    expect(await page.getByTestId('branding-confirmation-hint').textContent()).toBe(
      "Needs the server's email (SMTP_URL), which is not set up: nothing is sent until it is.",
    );
    await box.uncheck();
    await page.getByTestId('branding-save').click();
    await page.getByTestId('branding-saved').waitFor();
    expect((await owner.get('/settings/branding')).body.confirmationEmail).toBe(false);
    await page.reload();
    await page.getByTestId('branding-form').waitFor();
    expect(await page.getByTestId('branding-confirmation-email').isChecked()).toBe(false);
    await expectNoAxeViolations(page, 'branding confirmation email (en, laptop)');
  });

  it('R41 (ru, phone) the confirmation email checkbox in Russian: shown off as saved, switched on again', async () => {
    const page = phone;
    await page.reload();
    await page.getByTestId('branding-form').waitFor();
    const box = page.getByRole('checkbox', { name: 'Отправлять клиенту письмо-подтверждение после оплаты по ссылке' });
    expect(await box.isChecked()).toBe(false);
    await expect
      .poll(() => page.getByTestId('branding-confirmation-hint').textContent())
      .toMatch(/SMTP_URL.*не настроена/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await expectNoAxeViolations(page, 'branding confirmation email (ru, phone)');
    await box.check();
    await page.getByTestId('branding-save').click();
    await page.getByTestId('branding-saved').waitFor();
    expect(await page.getByTestId('branding-saved').textContent()).toBeTruthy();
    expect((await owner.get('/settings/branding')).body.confirmationEmail).toBe(true);
  });
});
