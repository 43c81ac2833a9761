import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AdminAppRun, copyLink, dayIn, openAdminApp, PHONE, screenshot, signIn } from '../helpers/browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, connectSandbox, http } from '../reliability/process-api.js';

/**
 * The desk's day in real Chromium against a real server: sign in, book a visit with a service and
 * a product, take cash, copy the link, watch the client pay it on a phone, find it in the report.
 */

const TZ = 'Europe/Berlin';
const CLIENT = 'Lena Fischer';
const SKU = 'ARGAN-50';
let run: AdminAppRun;
let page: Page;
// the visit is booked for tomorrow and paid today: the report files it under tomorrow (R19)
const visitDay = dayIn(TZ, 1);
let appointmentId = '';
let linkUrl = '';

beforeAll(async () => {
  run = await openAdminApp(async (owner) => {
    await connectSandbox(owner);
    for (const [path, body] of [
      ['/services', { title: 'Haircut', priceMin: 4_000, priceMax: 6_000 }],
      ['/products', { title: 'Argan oil 50 ml', sku: SKU, kind: 'goods', price: 1_850 }],
      ['/staff', { name: 'Maria Weber' }],
      ['/clients', { name: CLIENT, email: 'lena@example.test', phone: '+491701234567' }],
    ] as const) {
      const res = await owner.post(path, body);
      expect(res.status, res.text).toBe(201);
    }
  });
  page = await run.newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
}, 240_000);

afterAll(async () => {
  await run?.close();
});

afterEach(() => {
  expect(run.takeProblems(), 'console errors on the screens').toEqual([]);
});

describe('the admin app at the desk', () => {
  it('signs in and shows the calendar', async () => {
    await page.goto('/');
    await page.getByTestId('login-form').waitFor();
    await screenshot(page, '01-login');
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await expect.poll(() => page.url()).toContain('/calendar');
    await screenshot(page, '02-calendar');
  });

  it('an empty hour of the day view starts an appointment there, by keyboard as by pointer', async () => {
    const column = page.getByTestId('day-column').first();
    const dialog = page.getByTestId('new-appointment-dialog');
    await column.getByRole('button', { name: 'New appointment at 08:00' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.getByTestId('na-time').inputValue()).toBe('09:00');
    await dialog.getByTestId('dialog-close').click();
    await dialog.waitFor({ state: 'detached' });

    // 36 px down an hour of 72 px is its half
    await column.getByRole('button', { name: 'New appointment at 10:00' }).click({ position: { x: 20, y: 37 } });
    await expect.poll(() => dialog.getByTestId('na-time').inputValue()).toBe('10:30');
    await dialog.getByTestId('dialog-close').click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('creates an appointment with a service, then adds a product by SKU', async () => {
    await page.getByTestId('new-appointment').click();
    const dialog = page.getByTestId('new-appointment-dialog');
    await dialog.getByTestId('client-search').fill('Lena');
    await dialog.getByTestId('client-result').filter({ hasText: CLIENT }).first().click();
    await dialog.getByTestId('na-date').fill(visitDay);
    await dialog.getByTestId('na-time').fill('11:00');
    await dialog.getByTestId('na-add-service').selectOption({ index: 1 });
    await dialog.getByTestId('na-service-price').fill('50');
    await dialog.getByTestId('na-submit').click();

    const win = page.getByTestId('appointment-window');
    await win.getByTestId('items-editor').waitFor({ timeout: 10_000 });
    appointmentId = (await win.locator('[data-appointment-id]').getAttribute('data-appointment-id')) ?? '';
    expect(appointmentId).toMatch(/^appt_/);
    await win.getByTestId('product-search-input').fill(SKU);
    await win.getByTestId('product-result').filter({ hasText: SKU }).first().click();
    await win.getByTestId('item-row').filter({ hasText: 'Argan oil' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => win.getByTestId('item-row').count()).toBe(2);
    await screenshot(page, '03-appointment-details');

    const saved = await run.owner.get(`/appointments/${appointmentId}`);
    expect(saved.body).toMatchObject({ total: 5_000 + 1_850, paid: 0 });
    expect(saved.body.items.map((i: { title: string }) => i.title).sort()).toEqual(['Argan oil 50 ml', 'Haircut']);
  });

  it('takes a cash payment at the desk', async () => {
    const win = page.getByTestId('appointment-window');
    await win.getByTestId('tab-checkout').click();
    await win.getByTestId('desk-payment-form').waitFor();
    await win.getByTestId('payment-method').selectOption('cash');
    await win.getByTestId('payment-amount').fill('10');
    await win.getByTestId('record-payment').click();
    await win.getByTestId('payment-row').first().waitFor({ timeout: 10_000 });
    await expect.poll(async () => (await run.owner.get(`/appointments/${appointmentId}`)).body.paid).toBe(1_000);
    await screenshot(page, '04-checkout-cash');
  });

  it('R29 copies the link; the client pays it in another browser and the window turns paid without a reload', async () => {
    const win = page.getByTestId('appointment-window');
    linkUrl = await copyLink(win);
    expect(linkUrl.startsWith(`${run.app.url}/pay/`)).toBe(true);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(linkUrl);
    await screenshot(page, '05-link-copied');
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    const client = await run.newPage({ viewport: PHONE, isMobile: true, hasTouch: true });
    await client.goto(linkUrl);
    await screenshot(client, '06-pay-page', true);
    await client.getByRole('button', { name: /pay/i }).first().click();
    await client.waitForURL(/\/sandbox\/checkout\//);
    await screenshot(client, '07-sandbox-bank', true);
    await client.getByRole('button', { name: /^pay/i }).click();
    await client.waitForURL(/\/pay\/.+\/return/);
    await screenshot(client, '08-pay-return', true);

    await win.locator('[data-testid="link-state"][data-status="paid"]').waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await expect
      .poll(async () => (await run.owner.get(`/appointments/${appointmentId}`)).body.paymentStatus)
      .toBe('paid');
    await screenshot(page, '09-window-paid-live');
  });

  it('R19 the transactions report shows the payment under the appointment date', async () => {
    await page.keyboard.press('Escape');
    await page.getByTestId('appointment-window').waitFor({ state: 'detached' });
    await page.getByTestId('nav-reports-transactions').click();
    await page.getByTestId('report-filter').waitFor();
    await page.getByTestId('report-from').fill(visitDay);
    await page.getByTestId('report-to').fill(visitDay);
    await page.getByTestId('report-show').click();
    const rows = page.getByTestId('transactions').locator('tbody tr').filter({ hasText: CLIENT });
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    const dayOfMonth = String(Number(visitDay.slice(8)));
    for (const cells of await rows.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    )) {
      expect(cells[0]).toContain(dayOfMonth);
    }
    const online = await rows.filter({ hasText: /online/i }).count();
    expect(online).toBe(1);
    await screenshot(page, '10-transactions');

    const report = await run.owner.get(`/reports/transactions?from=${visitDay}&to=${visitDay}`);
    expect(
      report.body.items.map((i: { method: string; appointmentDate: string }) => [i.method, i.appointmentDate]).sort(),
    ).toEqual([
      ['cash', visitDay],
      ['online', visitDay],
    ]);
  });

  it('the link page fits a 375-px phone: no horizontal scroll, payable and paid', async () => {
    const payable = await run.owner.post('/appointments', {
      clientId: (await run.owner.get('/clients')).body.items[0].id,
      staffId: (await run.owner.get('/staff')).body.items[0].id,
      startsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      durationMinutes: 60,
      services: [{ serviceId: (await run.owner.get('/services')).body.items[0].id }],
    });
    expect(payable.status, payable.text).toBe(201);
    const link = await run.owner.post(`/appointments/${payable.body.id}/payment-link`, {});
    const client = await run.newPage({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    for (const [url, name] of [
      [link.body.url as string, '11-phone-payable'],
      [linkUrl, '12-phone-paid'],
    ] as const) {
      await client.goto(url);
      await client.locator('main, body').first().waitFor();
      expect(await client.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(375);
      await screenshot(client, name, true);
    }
    expect((await http(`${run.app.url}/api/v1/pay/${link.body.token}`)).body.state).toBe('payable');
  });

  it('opens every main screen without a console error', async () => {
    const screens = [
      ['calendar', 'day-view'],
      ['clients', 'clients'],
      ['catalog-services', 'services'],
      ['catalog-products', 'products'],
      ['staff', 'staff'],
      ['finance-cashless', 'provider-card'],
      ['reports-transactions', 'totals-by-method'],
      ['audit', 'audit'],
      ['users', 'users'],
      ['settings-webhooks', 'new-webhook-form'],
    ] as const;
    for (const [nav, ready] of screens) {
      await page.getByTestId(`nav-${nav}`).click();
      await page.getByTestId(ready).first().waitFor({ timeout: 10_000 });
      await screenshot(page, `13-screen-${nav}`);
    }
  });
});
