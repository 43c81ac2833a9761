import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { MENU_SCREENS, openAdminApp, todayAt, screenSettled, signIn, type AdminAppRun } from '../helpers/browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, connectSandbox } from '../reliability/process-api.js';

/**
 * The admin app on a receptionist's phone (390×844) and on a laptop (1366×850), in English and
 * Russian: one column and no sideways scrolling on a phone, the payment link before the edit form,
 * a menu behind a button, one staff member's column at a time; the laptop keeps its side menu and
 * its columns side by side. Screenshots: /tmp/visitpay-phone/.
 */
const SHOTS = '/tmp/visitpay-phone';
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 850 };
const STAFF = ['Maria Weber', 'Olga Petrova', 'Sven Larsen'];

let run: AdminAppRun;
/** the first staff member's visit today: a service, and a product to change the quantity of */
let appointmentId = '';

beforeAll(async () => {
  run = await openAdminApp(async (owner) => {
    await connectSandbox(owner);
    const service = await owner.post('/services', { title: 'Haircut and styling', priceMin: 4_000, priceMax: 9_000 });
    const product = await owner.post('/products', {
      title: 'Argan oil 50 ml',
      sku: 'ARGAN-50',
      kind: 'goods',
      price: 1_850,
    });
    const client = await owner.post('/clients', { name: 'Konstantin Konstantinopolsky', phone: '+491701234567' });
    const start = todayAt(owner.timeZone, 10);
    for (const name of STAFF) {
      const staff = await owner.post('/staff', { name });
      const booked = await owner.post('/appointments', {
        clientId: client.body.id,
        staffId: staff.body.id,
        startsAt: start,
        durationMinutes: 60,
        services: [{ serviceId: service.body.id }],
      });
      expect(booked.status, booked.text).toBe(201);
      if (!appointmentId) {
        appointmentId = booked.body.id;
        const added = await owner.post(`/appointments/${appointmentId}/items`, {
          productId: product.body.id,
          quantity: 2,
        });
        expect(added.status, added.text).toBe(201);
      }
    }
  });
}, 240_000);

afterAll(async () => {
  await run?.close();
});

afterEach(() => {
  expect(run.takeProblems(), 'console errors on the screens').toEqual([]);
});

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

/** The document never scrolls sideways: whatever is wider scrolls inside its own box. */
async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `${what}: the page is ${scrollWidth} px wide in ${clientWidth} px`).toBeLessThanOrEqual(
    clientWidth,
  );
}

/** Every one of `locator`'s elements lies within the viewport's width. */
async function expectWithinWidth(page: Page, locator: Locator, what: string): Promise<void> {
  const width = page.viewportSize()!.width;
  const boxes = await locator.evaluateAll((elements) =>
    elements.map((e) => {
      const r = e.getBoundingClientRect();
      return { left: Math.round(r.left), right: Math.round(r.right) };
    }),
  );
  expect(boxes.length, `${what}: found`).toBeGreaterThan(0);
  for (const box of boxes) {
    expect(box.left, `${what}: left edge`).toBeGreaterThanOrEqual(0);
    expect(box.right, `${what}: right edge`).toBeLessThanOrEqual(width);
  }
}

describe.each([
  ['phone', 'en', PHONE, 'en-GB'],
  ['phone', 'ru', PHONE, 'ru-RU'],
  ['laptop', 'en', LAPTOP, 'en-GB'],
  ['laptop', 'ru', LAPTOP, 'ru-RU'],
] as const)('on a %s (%s)', (device, lang, viewport, locale) => {
  const phone = device === 'phone';
  const tag = `${device}-${lang}`;
  let page: Page;
  const calendar = () => `/c/${run.owner.companyId}/calendar`;

  it('signs in on a page that fits', async () => {
    page = await run.newPage({ viewport, locale });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: run.app.url });
    await page.goto('/');
    await page.getByTestId('login-form').waitFor();
    await expectNoSidewaysScroll(page, 'sign-in');
    await shot(page, `${tag}-01-sign-in`);
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  it(phone ? 'keeps the menu behind a button that opens and closes it' : 'shows the side menu', async () => {
    const toggle = page.getByTestId('menu-toggle');
    const clients = page.getByTestId('nav-clients');
    const signOut = page.getByTestId('sign-out');
    if (!phone) {
      expect(await toggle.isVisible()).toBe(false);
      expect(await clients.isVisible()).toBe(true);
      expect(await signOut.isVisible()).toBe(true);
      return;
    }
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await clients.isVisible()).toBe(false);
    // the language, My account and Sign out come with the menu
    expect(await signOut.isVisible()).toBe(false);
    await shot(page, `${tag}-02-menu-closed`);
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await clients.waitFor();
    for (const id of ['language', 'my-account', 'sign-out']) {
      await expectWithinWidth(page, page.getByTestId(id), id);
    }
    await shot(page, `${tag}-02-menu-open`);
    await expectNoAxeViolations(page, `open menu (${tag})`);
    await clients.click();
    await screenSettled(page);
    expect(page.url()).toContain('/clients');
    // going to a screen folds the menu away again
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await clients.isVisible()).toBe(false);
  });

  it(
    phone ? "shows one staff member's day at a time, with a way to switch" : "shows every staff member's day",
    async () => {
      await page.goto(calendar());
      const columns = page.getByTestId('day-column');
      await columns.first().waitFor({ timeout: 10_000 });
      await page.getByTestId('appointment-card').first().waitFor();
      await expectNoSidewaysScroll(page, 'day view');
      await shot(page, `${tag}-03-day`);
      await expectNoAxeViolations(page, `day view (${tag})`);
      const chooser = page.getByTestId('day-staff');
      if (!phone) {
        expect(await columns.count()).toBe(3);
        expect(await chooser.isVisible()).toBe(false);
        return;
      }
      expect(await columns.count()).toBe(1);
      await expectWithinWidth(page, page.getByTestId('day-view'), 'day view');
      const second = (await chooser.locator('option').nth(1).getAttribute('value'))!;
      await chooser.selectOption(second);
      await expect.poll(() => columns.getAttribute('data-staff-id')).toBe(second);
      expect(await columns.count()).toBe(1);
      expect(await page.getByTestId('day-view').textContent()).toContain(STAFF[1]);
      await page.getByTestId('appointment-card').first().waitFor();
      await shot(page, `${tag}-03-day-second`);
      await chooser.selectOption({ index: 0 });
    },
  );

  it('opens a new appointment from an empty hour of the column on view, in a window that fits', async () => {
    const column = page.getByTestId('day-column').first();
    const staffId = await column.getAttribute('data-staff-id');
    await column
      .locator('.day-slot')
      .nth(6)
      .click({ position: { x: 20, y: 5 } });
    const dialog = page.getByTestId('new-appointment-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('na-staff').inputValue()).toBe(staffId);
    await expectNoSidewaysScroll(page, 'new appointment');
    expect(await dialog.evaluate((d) => d.scrollWidth - d.clientWidth)).toBeLessThanOrEqual(0);
    await expectWithinWidth(page, dialog.locator('input, select, button'), 'new appointment controls');
    await shot(page, `${tag}-03-new-appointment`);
    await dialog.getByTestId('dialog-close').click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows the week without a blank band or sideways scrolling', async () => {
    await page.getByTestId('view-week').click();
    await page.getByTestId('week-view').waitFor();
    await expectNoSidewaysScroll(page, 'week view');
    await expectWithinWidth(page, page.getByTestId('week-view'), 'week view');
    await expectWithinWidth(page, page.getByTestId('appointment-card'), 'week cards');
    await shot(page, `${tag}-04-week`);
    await expectNoAxeViolations(page, `week view (${tag})`);
    await page.getByTestId('view-day').click();
    await page.getByTestId('day-view').waitFor();
  });

  it('copies the payment link in two clicks, the link panel coming before the edit form', async () => {
    await page.locator(`[data-testid=appointment-card][data-appointment-id="${appointmentId}"]`).click();
    const win = page.getByTestId('appointment-window');
    await win.getByTestId('items-editor').waitFor({ timeout: 10_000 });
    await win.getByTestId('copy-payment-link').click();
    await win.getByTestId('link-url').waitFor({ timeout: 10_000 });
    const url = await win.getByTestId('link-url').inputValue();
    expect(url).toContain('/pay/');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    // the copied link reads on one line across the panel, under the note that says it is copied
    const panelBox = (await win.getByTestId('link-panel').boundingBox())!;
    const urlBox = (await win.getByTestId('link-url').boundingBox())!;
    expect(urlBox.width, 'the link field spans the panel').toBeGreaterThan(panelBox.width * 0.75);

    const panel = await win.getByTestId('link-panel').boundingBox();
    const form = await win.getByTestId('appointment-form').boundingBox();
    if (phone) expect(panel!.y, 'the link panel is above the form').toBeLessThan(form!.y);
    else expect(panel!.x, 'the link panel is beside the form').toBeGreaterThan(form!.x + form!.width - 1);
  });

  it('keeps every control of the Details tab on the screen', async () => {
    const win = page.getByTestId('appointment-window');
    await expectNoSidewaysScroll(page, 'appointment window');
    const sideways = await win.evaluate((dialog) => dialog.scrollWidth - dialog.clientWidth);
    expect(sideways, 'the window does not scroll sideways').toBeLessThanOrEqual(0);
    for (const id of ['#ad-staff', '#ad-day', '#ad-time', '#ad-duration', '[data-testid=save-appointment]']) {
      await expectWithinWidth(page, win.locator(id), id);
    }
    for (const id of ['item-row', 'item-price', 'item-quantity', 'item-total', 'remove-item', 'copy-payment-link']) {
      await expectWithinWidth(page, win.getByTestId(id), id);
    }
    const hidden = await win
      .getByTestId('items-editor')
      .evaluate((editor) =>
        [...editor.querySelectorAll('.table-scroll')].map((box) => box.scrollWidth - box.clientWidth),
      );
    expect(hidden, 'the items table shows all its cells without scrolling').toEqual([0]);
    await shot(page, `${tag}-05-details`);
    await win.getByTestId('items-editor').scrollIntoViewIfNeeded();
    await shot(page, `${tag}-06-details-items`);
    await expectNoAxeViolations(page, `Details tab (${tag})`);

    // the quantity still changes from a phone
    const quantity = win.getByTestId('item-quantity');
    const quantities = async () =>
      (await run.owner.get(`/appointments/${appointmentId}`)).body.items.map((i: { quantity: number }) => i.quantity);
    await quantity.fill('3');
    await quantity.press('Enter');
    await expect.poll(quantities).toContain(3);
    // the row is drawn again from the saved bill: 3 × 18.50
    await expect.poll(() => win.getByTestId('item-total').last().textContent()).toMatch(/55[.,]50/);
    await quantity.fill('2');
    await quantity.press('Enter');
    await expect.poll(quantities).toContain(2);
  });

  it('fits the Checkout and Status tabs', async () => {
    const win = page.getByTestId('appointment-window');
    await win.getByTestId('tab-checkout').click();
    await win.getByTestId('desk-payment-form').waitFor();
    await expectNoSidewaysScroll(page, 'Checkout');
    await shot(page, `${tag}-07-checkout`);
    await win.getByTestId('tab-status').click();
    await win.getByTestId('current-status').waitFor();
    await expectNoSidewaysScroll(page, 'Status');
    await shot(page, `${tag}-08-status`);
    await win.getByTestId('dialog-close').click();
    await win.waitFor({ state: 'detached' });
  });

  it('fits every screen of the menu', async () => {
    for (const screen of MENU_SCREENS) {
      await page.goto(`/c/${run.owner.companyId}/${screen}`);
      await screenSettled(page);
      await shot(page, `${tag}-10-${screen.replace('/', '-')}`);
      await expectNoSidewaysScroll(page, screen);
    }
  }, 120_000);
});
