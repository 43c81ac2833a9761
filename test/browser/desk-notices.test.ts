import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AdminAppRun, openAdminApp, screenshot, signIn } from '../helpers/browser.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  appointmentWithLink,
  completeCheckout,
  connectSandbox,
  http,
  pressPay,
} from '../reliability/process-api.js';

/**
 * What staff notice without looking for it: a client who pays while no window is open, the
 * calendar card turning paid by itself, a wrong password told as such, and a CSV in the
 * spreadsheet style of the user's language.
 */
let run: AdminAppRun;
let appointment: { appointmentId: string; token: string };
let day = '';

beforeAll(async () => {
  run = await openAdminApp(async (owner) => {
    await connectSandbox(owner);
    const wax = await owner.post('/products', { title: 'Styling wax', sku: 'WAX-7', kind: 'goods', price: 1_500 });
    expect(wax.status, wax.text).toBe(201);
    appointment = await appointmentWithLink(owner, 4_100);
    const view = await owner.get(`/appointments/${appointment.appointmentId}`);
    const me = await http<{ companies: { id: string; timezone: string }[] }>(
      `${owner.base.split('/api/v1/')[0]}/api/v1/me`,
      {
        token: owner.token,
      },
    );
    const timeZone = me.body.companies.find((c) => c.id === owner.companyId)!.timezone;
    day = new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(view.body.startsAt));
  });
}, 240_000);

afterAll(async () => {
  await run?.close();
});

afterEach(() => {
  expect(run.takeProblems(), 'console errors on the screens').toEqual([]);
});

let desk: Page | undefined;

/**
 * The receptionist's page, signed in once for the whole file (sign-ins are throttled, S9), in the
 * app language asked for and at laptop size unless told.
 */
async function deskPage(lang: 'en' | 'ru' = 'en', viewport = { width: 1366, height: 850 }): Promise<Page> {
  desk ??= await signedIn();
  await desk.setViewportSize({ width: 1366, height: 850 });
  await desk.getByTestId('language').selectOption(lang);
  await desk.setViewportSize(viewport);
  return desk;
}

async function signedIn(locale = 'en-GB'): Promise<Page> {
  const page = await run.newPage({ locale });
  await page.goto('/');
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await expect.poll(() => page.url()).toContain('/calendar');
  return page;
}

describe('what staff notice at the desk', () => {
  it('R29 a client paying while no window is open is announced, and the calendar card turns paid by itself', async () => {
    const page = await deskPage();
    await page.goto(`/c/${run.owner.companyId}/calendar?date=${day}`);
    const card = page.locator(`[data-appointment-id="${appointment.appointmentId}"]`);
    await card.waitFor({ timeout: 20_000 });
    const before = await card.getAttribute('data-money');
    expect(before).not.toBe('paid');

    const pay = await pressPay(run.app.url, appointment.token);
    await completeCheckout(String(pay.location));

    const notice = page.getByTestId('paid-notice');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toContain('Anna Smith paid €41.00 by link');
    await expect.poll(() => card.getAttribute('data-money'), { timeout: 15_000 }).toBe('paid');
    await screenshot(page, 'notices-01-paid');

    await notice.getByRole('link', { name: 'Open' }).click();
    await expect.poll(() => page.url()).toContain(`appointment=${appointment.appointmentId}`);
    await expect.poll(() => page.getByTestId('paid-notice').count()).toBe(0);
  }, 90_000);

  it('voiding a desk payment asks first: Keep leaves it counting, Void it voids it', async () => {
    const other = await appointmentWithLink(run.owner, 6_100);
    const taken = await run.owner.post(`/appointments/${other.appointmentId}/payments`, {
      method: 'cash',
      amount: 2_000,
    });
    expect(taken.status, taken.text).toBe(201);
    for (const lang of ['ru', 'en'] as const) {
      const page = await deskPage(lang);
      await page.goto(`/c/${run.owner.companyId}/calendar?appointment=${other.appointmentId}`);
      const win = page.getByRole('dialog');
      await win.getByTestId('tab-checkout').click();
      const row = win.locator('[data-testid="payment-row"][data-method="cash"]');
      await row.getByTestId('void-payment').click();
      const confirm = row.getByTestId('void-confirm');
      expect(await confirm.textContent()).toContain(lang === 'ru' ? 'Аннулировать 20,00' : 'Void €20.00 (Cash)?');
      await screenshot(page, `void-confirm-${lang}`);
      await row.getByTestId('void-payment-keep').click();
      await row.getByTestId('void-payment').waitFor();
      expect(await row.getAttribute('data-voided')).toBeNull();
    }
    const page = await deskPage();
    await page.goto(`/c/${run.owner.companyId}/calendar?appointment=${other.appointmentId}`);
    const win = page.getByRole('dialog');
    await win.getByTestId('tab-checkout').click();
    const row = win.locator('[data-testid="payment-row"][data-method="cash"]');
    await row.getByTestId('void-payment').click();
    await row.getByTestId('void-payment-confirm').click();
    await expect.poll(() => row.getAttribute('data-voided'), { timeout: 10_000 }).toBe('true');
  }, 120_000);

  it("times are typed and shown 24-hour in the app's language, whatever the browser's locale", async () => {
    // an English (US) browser, the app in Russian: the browser's own time field would say "09:00 AM"
    const page = await signedIn('en-US');
    await page.getByTestId('language').selectOption('ru');
    await page.getByTestId('new-appointment').click();
    const dialog = page.getByTestId('new-appointment-dialog');
    const time = dialog.getByTestId('na-time');
    await time.fill('930');
    await time.blur();
    expect(await time.inputValue()).toBe('09:30');
    await time.fill('25:00');
    expect(await time.evaluate((input: HTMLInputElement) => input.validity.patternMismatch)).toBe(true);
    await time.fill('14:05');
    expect(await time.evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(true);
    // the day too is written as the app's language writes it, and typed that way
    const date = dialog.getByTestId('na-date');
    expect(await date.inputValue()).toMatch(/^\d\d\.\d\d\.\d{4}$/);
    await date.fill('31.02.2027');
    expect(await date.evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(false);
    await date.fill('1.3.2027');
    await date.blur();
    expect(await date.inputValue()).toBe('01.03.2027');
    await screenshot(page, 'time-24h-ru');
  }, 60_000);

  it('R4 one click from a window without a link shows its QR code, whole, on a laptop and on a phone', async () => {
    for (const viewport of [
      { width: 1366, height: 850 },
      { width: 390, height: 844 },
    ]) {
      const visitId = await anotherVisit();
      const page = await deskPage('en', viewport);
      await page.goto(`/c/${run.owner.companyId}/calendar?appointment=${visitId}`);
      await page.getByTestId('show-qr').first().click();
      const qr = page.getByTestId('qr-dialog').getByTestId('link-qr');
      await qr.waitFor({ timeout: 10_000 });
      await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      const box = (await qr.boundingBox())!;
      expect(box.width, `${viewport.width}`).toBeGreaterThan(150);
      expect(box.y, `${viewport.width}`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `${viewport.width}`).toBeLessThanOrEqual(viewport.width);
      expect(box.y + box.height, `${viewport.width}`).toBeLessThanOrEqual(viewport.height);
      const link = await run.owner.get(`/appointments/${visitId}/payment-link`);
      expect(link.body.status).toBe('active');
      await screenshot(page, `qr-${viewport.width}`);
    }
  }, 120_000);

  /** A visit without a link yet, like the one the test file started with. */
  async function anotherVisit(): Promise<string> {
    const model = (await run.owner.get(`/appointments/${appointment.appointmentId}`)).body;
    const made = await run.owner.post('/appointments', {
      clientId: model.client.id,
      staffId: model.staff.id,
      startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      durationMinutes: 30,
      services: [{ serviceId: model.items[0].serviceId }],
    });
    expect(made.status, made.text).toBe(201);
    return made.body.id;
  }

  it('R29 Show to client: the amount and the QR code turned to the client turn into "Paid ✓" by themselves when the payment lands', async () => {
    const id = await anotherVisit();
    for (const lang of ['ru', 'en'] as const) {
      const page = await deskPage(lang);
      await page.goto(`/c/${run.owner.companyId}/calendar?appointment=${id}`);
      await page.getByTestId('show-qr').first().click();
      const screen = page.getByTestId('qr-dialog');
      await screen.getByTestId('link-qr').waitFor({ timeout: 10_000 });
      expect(await screen.getByTestId('qr-amount').textContent()).toMatch(lang === 'ru' ? /41,00\s€/ : /€41\.00/);
      if (lang === 'ru') {
        await page.keyboard.press('Escape');
        continue;
      }
      const link = await run.owner.get(`/appointments/${id}/payment-link`);
      const pay = await pressPay(run.app.url, link.body.token);
      await completeCheckout(String(pay.location));
      const paid = screen.getByTestId('qr-paid');
      await paid.waitFor({ timeout: 15_000 });
      expect(await paid.textContent()).toContain('Paid');
      await screenshot(page, 'show-to-client-paid');
    }
  }, 90_000);

  it('R21 a product scanned twice is one line of two, as at a till', async () => {
    const id = await anotherVisit();
    const page = await deskPage();
    await page.goto(`/c/${run.owner.companyId}/calendar?appointment=${id}`);
    const win = page.getByTestId('appointment-window');
    await win.getByTestId('items-editor').waitFor({ timeout: 10_000 });
    for (let scan = 1; scan <= 2; scan++) {
      // a scanner types the code and Enter
      await win.getByTestId('product-search-input').fill('WAX-7');
      await win.getByTestId('product-search-input').press('Enter');
      const wax = win.getByTestId('item-row').filter({ hasText: 'Styling wax' });
      await expect.poll(() => wax.getByTestId('item-quantity').inputValue(), { timeout: 10_000 }).toBe(String(scan));
    }
    expect(await win.getByTestId('item-row').filter({ hasText: 'Styling wax' }).count()).toBe(1);
  }, 60_000);

  it("R29 a declined attempt says so in words, the provider's own status in its tooltip", async () => {
    const id = await anotherVisit();
    const link = await run.owner.post(`/appointments/${id}/payment-link`, {});
    const pay = await pressPay(run.app.url, link.body.token);
    await completeCheckout(String(pay.location), 'failed');
    const page = await deskPage();
    await page.goto(`/c/${run.owner.companyId}/calendar?appointment=${id}`);
    const win = page.getByTestId('appointment-window');
    await win.getByTestId('tab-checkout').click();
    const attempt = win.locator('[data-testid="attempt"][data-status="failed"]');
    await attempt.waitFor({ timeout: 15_000 });
    const provider = attempt.getByTestId('attempt-provider');
    expect(await provider.textContent()).toBe('Sandbox (test): declined or failed');
    expect(await provider.getAttribute('title')).toContain('declined');
  }, 60_000);

  it('R2 a member without the payment-links right is told why there is no link panel', async () => {
    const invited = await run.owner.post('/users', { email: 'stylist@example.test', role: 'staff' });
    expect(invited.status, invited.text).toBe(201);
    const token = String(invited.body.inviteUrl).split('#')[1];
    const accepted = await http(`${run.app.url}/api/v1/invitations/accept`, {
      json: { token, name: 'Lena Stylist', password: 'stylist-password-1' },
    });
    expect(accepted.status, accepted.text).toBe(200);
    const page = await run.newPage();
    await signIn(page, 'stylist@example.test', 'stylist-password-1');
    await page.goto(`/c/${run.owner.companyId}/calendar?appointment=${appointment.appointmentId}`);
    const hint = page.getByTestId('link-panel-no-right');
    await hint.waitFor({ timeout: 10_000 });
    expect(await hint.textContent()).toContain('Payment links need the right “Payment links”');
    expect(await page.getByTestId('copy-payment-link').count()).toBe(0);
  }, 60_000);

  it('a wrong password says so, and only that', async () => {
    const page = await run.newPage({ locale: 'en-GB' });
    await page.goto('/');
    await page.getByTestId('login-email').fill(ADMIN_EMAIL);
    await page.getByTestId('login-password').fill('not-the-password-1');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('Wrong email or password');
    expect(await page.locator('body').textContent()).not.toMatch(/session has ended/i);
    // the browser logs the 401 of the refused sign-in itself; nothing else may show up
    expect(run.takeProblems().filter((p) => !p.includes('401 (Unauthorized)'))).toEqual([]);
  }, 60_000);

  it('R28 the CSV link follows the spreadsheet style of the language: `;` and decimal comma in Russian', async () => {
    for (const [locale, lang, first, other] of [
      ['en-GB', 'en', 'point', 'comma'],
      ['ru-RU', 'ru', 'comma', 'point'],
    ] as const) {
      const page = await deskPage(lang);
      await page.goto(`/c/${run.owner.companyId}/reports/transactions`);
      const main = page.getByTestId('report-csv');
      await main.waitFor({ timeout: 20_000 });
      expect(await main.getAttribute('href'), locale).toContain(`decimal=${first}`);
      expect(await page.getByTestId('report-csv-other').getAttribute('href'), locale).toContain(`decimal=${other}`);
      const download = page.waitForEvent('download');
      await main.click();
      const file = await (await download).createReadStream();
      const chunks: Buffer[] = [];
      for await (const chunk of file) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      expect(text.charCodeAt(0), locale).toBe(0xfeff);
      expect(text.split('\r\n')[0]!.includes(first === 'comma' ? ';' : ','), locale).toBe(true);
    }
  }, 90_000);
});
