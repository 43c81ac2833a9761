import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { MENU_SCREENS, openAdminApp, todayAt, screenSettled, signIn, type AdminAppRun } from '../helpers/browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, appointmentWithLink, connectSandbox } from '../reliability/process-api.js';

/**
 * axe-core (WCAG 2.1 A and AA) on every screen of the admin app and on the client's pay page, in
 * both languages: what a machine can check of accessibility stays clean as screens change.
 */
let run: AdminAppRun;
let appointmentId = '';
let payUrl = '';

beforeAll(async () => {
  run = await openAdminApp(async (owner) => {
    await connectSandbox(owner);
    expect(
      (await owner.post('/products', { title: 'Argan oil 50 ml', sku: 'ARGAN-50', kind: 'goods', price: 1_850 }))
        .status,
    ).toBe(201);
    const made = await appointmentWithLink(owner);
    appointmentId = made.appointmentId;
    payUrl = `/pay/${made.token}`;
    // a busy day: three staff members, each with a visit today
    const { body: visit } = await owner.get(`/appointments/${appointmentId}`);
    const today = todayAt(owner.timeZone, 11);
    for (const name of ['Olga Petrova', 'Sven Larsen', undefined]) {
      const staffId = name ? (await owner.post('/staff', { name })).body.id : visit.staff.id;
      const booked = await owner.post('/appointments', {
        clientId: visit.client.id,
        staffId,
        startsAt: today,
        durationMinutes: 60,
        services: [{ serviceId: visit.items[0].serviceId }],
      });
      expect(booked.status, booked.text).toBe(201);
    }
  });
}, 240_000);

afterAll(async () => {
  await run?.close();
});

afterEach(() => {
  expect(run.takeProblems(), 'console errors on the screens').toEqual([]);
});

describe.each([
  ['en', 'en-GB'],
  ['ru', 'ru-RU'],
])('axe-core finds no WCAG 2.1 AA violation (%s)', (lang, locale) => {
  let page: Page;

  it('on the sign-in page', async () => {
    page = await run.newPage({ locale });
    await page.goto('/');
    await page.getByTestId('login-form').waitFor();
    await expectNoAxeViolations(page, `sign-in (${lang})`);
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  it('on the calendar, day and week, and the new appointment dialog', async () => {
    const base = `/c/${run.owner.companyId}/calendar`;
    await page.goto(base);
    await page.getByTestId('day-column').first().waitFor({ timeout: 10_000 });
    await expectNoAxeViolations(page, `calendar day (${lang})`);
    await page.getByTestId('view-week').click();
    await page.getByTestId('week-view').waitFor();
    await expectNoAxeViolations(page, `calendar week (${lang})`);
    await page.getByTestId('new-appointment').click();
    await page.getByTestId('new-appointment-dialog').waitFor();
    await expectNoAxeViolations(page, `new appointment (${lang})`);
    await page.getByTestId('dialog-close').click();
  });

  it('on every tab of the appointment window', async () => {
    await page.goto(`/c/${run.owner.companyId}/calendar?appointment=${appointmentId}`);
    const win = page.getByTestId('appointment-window');
    await win.getByTestId('items-editor').waitFor({ timeout: 10_000 });
    await expectNoAxeViolations(page, `appointment window, Details (${lang})`);
    await win.getByTestId('tab-checkout').click();
    await win.getByTestId('desk-payment-form').waitFor();
    await expectNoAxeViolations(page, `appointment window, Checkout (${lang})`);
    await win.getByTestId('tab-status').click();
    await win.getByTestId('current-status').waitFor();
    await expectNoAxeViolations(page, `appointment window, Status (${lang})`);
  });

  it('on every screen of the menu', async () => {
    for (const screen of MENU_SCREENS) {
      await page.goto(`/c/${run.owner.companyId}/${screen}`);
      await screenSettled(page);
      await expectNoAxeViolations(page, `${screen} (${lang})`);
    }
  }, 120_000);

  it("on the client's pay page", async () => {
    const client = await run.newPage({ viewport: { width: 390, height: 844 }, locale });
    await client.goto(payUrl);
    await client.getByRole('button').first().waitFor();
    await expectNoAxeViolations(client, `pay page (${lang})`);
  });
});
