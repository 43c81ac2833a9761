import pg from 'pg';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { openAdminApp, openAppointment, PHONE, type AdminAppRun } from '../helpers/browser.js';
import { tokenOf } from '../helpers/invitations.js';
import {
  appointmentWithLink,
  completeCheckout,
  connectSandbox,
  eventually,
  http,
  pressPay,
  type OwnerSession,
} from '../reliability/process-api.js';

/**
 * R31 in the appointment window, in real Chromium against a real server: the client pays 100.00 by
 * link through the sandbox bank; the owner refunds part of it from the Checkout tab with a reason.
 */
const STAFF = { email: 'stylist@example.test', password: 'stylist-own-password' };
const SHOTS = '/tmp/visitpay-refunds';

let run: AdminAppRun;
let owner: OwnerSession;
let appointmentId = '';

/** The client's payment by link (the refund booked against it is a negative row of its own). */
const onlinePayment = (win: Locator) =>
  win.locator('[data-testid="payment-row"][data-method="online"]:not([data-refund-of])');

/** The appointment's window, opened from its address, on its Checkout tab. */
async function checkoutOf(page: Page): Promise<Locator> {
  const win = await openAppointment(page, owner.companyId, appointmentId, 'checkout');
  await onlinePayment(win).waitFor({ timeout: 10_000 });
  return win;
}

/** Every POST to a refunds endpoint the page makes. */
function refundRequests(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/refunds')) sent.push(request.postData() ?? '');
  });
  return sent;
}

/** Nothing in the dialog reaches past its edges, and its buttons are on screen. */
async function expectFits(page: Page, dialog: Locator) {
  const box = await dialog.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
  expect(await dialog.evaluate((d) => d.scrollWidth <= d.clientWidth)).toBe(true);
  for (const id of ['refund-amount', 'refund-reason', 'refund-confirm']) {
    const control = (await dialog.getByTestId(id).boundingBox())!;
    expect(control.x, id).toBeGreaterThanOrEqual(box!.x);
    expect(control.x + control.width, id).toBeLessThanOrEqual(box!.x + box!.width);
  }
}

beforeAll(async () => {
  run = await openAdminApp(async (company, { url }) => {
    owner = company;
    await connectSandbox(owner);
    const paid = await appointmentWithLink(owner, 10_000);
    appointmentId = paid.appointmentId;
    const pay = await pressPay(url, paid.token);
    expect(pay.status, pay.text).toBe(303);
    await completeCheckout(pay.location!);
    const view = await eventually('the link payment', async () => {
      const res = await owner.get(`/appointments/${appointmentId}`);
      return res.body.paymentStatus === 'paid' && res.body;
    });
    // the server's default company: euros, shown as €100.00 in English
    expect(view.payments[0].currency).toBe('EUR');

    const invited = await owner.post('/users', { email: STAFF.email, role: 'staff' });
    expect(invited.status, invited.text).toBe(201);
    const accepted = await http(`${url}/api/v1/invitations/accept`, {
      json: { token: tokenOf(invited.body.inviteUrl), name: 'Sam Stylist', password: STAFF.password },
    });
    expect(accepted.status, accepted.text).toBe(200);
  });
}, 240_000);

afterAll(async () => {
  await run?.close();
});

afterEach(() => {
  expect(run.takeProblems(), 'console errors on the screens').toEqual([]);
});

describe('the Refund action of the appointment window', () => {
  it('R31 the owner refunds part of an online payment with a reason; more than is left is refused before sending', async () => {
    const page = await run.signedInPage();
    const sent = refundRequests(page);
    const win = await checkoutOf(page);
    const refund = onlinePayment(win).getByTestId('refund-open');
    expect(await refund.getAttribute('data-refundable')).toBe('10000');
    expect(await refund.textContent()).toContain('€100.00');
    await refund.click();

    const dialog = page.getByTestId('refund-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('refund-amount').inputValue()).toBe('100.00');
    await expectFits(page, dialog);
    await expectNoAxeViolations(page, 'the refund dialog');
    await page.screenshot({ path: `${SHOTS}-desktop-dialog.png` });

    await dialog.getByTestId('refund-amount').fill('100.01');
    await dialog.getByTestId('refund-reason').fill('The colour did not take; the client came back');
    await dialog.getByTestId('refund-confirm').click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Only €100.00 of this payment is left to refund');
    expect(await dialog.getByTestId('refund-amount').getAttribute('aria-invalid')).toBe('true');
    expect(sent).toEqual([]);
    await page.screenshot({ path: `${SHOTS}-desktop-too-much.png` });

    await dialog.getByTestId('refund-amount').fill('30');
    await dialog.getByTestId('refund-confirm').click();
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    expect(sent.map((body) => JSON.parse(body))).toEqual([
      { amount: 3_000, reason: 'The colour did not take; the client came back' },
    ]);

    const row = win.getByTestId('refund-row');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.count()).toBe(1);
    expect(await row.getAttribute('data-origin')).toBe('staff');
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('€30.00');
    expect(text).toContain('The colour did not take');
    expect(text).toMatch(/pending|refunded/);
    await expect.poll(() => refund.getAttribute('data-refundable'), { timeout: 10_000 }).toBe('7000');
    expect(await refund.textContent()).toContain('€70.00');
    await page.screenshot({ path: `${SHOTS}-desktop-refunded.png` });

    const saved = await owner.get(`/appointments/${appointmentId}`);
    expect(saved.body.refunds).toMatchObject([
      { amount: 3_000, origin: 'staff', reason: 'The colour did not take; the client came back' },
    ]);
    expect(saved.body.refunds[0].requestedBy).toBeTruthy();
    expect(text).toContain(saved.body.refunds[0].requestedBy);
  });

  it('R31 the refund dialog fits a phone', async () => {
    const page = await run.signedInPage({ viewport: PHONE });
    const win = await checkoutOf(page);
    await onlinePayment(win).getByTestId('refund-open').click();
    const dialog = page.getByTestId('refund-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('refund-amount').inputValue()).toBe('70.00');
    await expectFits(page, dialog);
    await page.screenshot({ path: `${SHOTS}-phone-dialog.png` });
    await dialog.getByTestId('refund-amount').fill('80');
    await dialog.getByTestId('refund-confirm').click();
    await dialog.getByRole('alert').first().waitFor();
    await expectFits(page, dialog);
    await page.screenshot({ path: `${SHOTS}-phone-refused.png` });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('R31 a staff user without payments.refund sees the online payment but no Refund button', async () => {
    const page = await run.signedInPage({ user: STAFF });
    const win = await checkoutOf(page);
    expect(await onlinePayment(win).count()).toBe(1);
    expect(await win.getByTestId('refund-row').count()).toBe(1);
    expect(await win.getByTestId('refund-open').count()).toBe(0);
  });

  it('R31 a refund the provider refuses shows as failed with the provider’s reason, and holds nothing back', async () => {
    // The sandbox bank is told, as its operator could, that the payment was already given back at
    // the bank: it refuses the next refund with a reason of its own.
    const db = new pg.Client({ connectionString: run.app.databaseUrl });
    await db.connect();
    try {
      await db.query('UPDATE sandbox_checkouts SET refunded = amount WHERE company_id = $1', [owner.companyId]);
    } finally {
      await db.end();
    }
    const page = await run.signedInPage();
    const win = await checkoutOf(page);
    const refund = onlinePayment(win).getByTestId('refund-open');
    await refund.click();
    const dialog = page.getByTestId('refund-dialog');
    await dialog.getByTestId('refund-amount').fill('5');
    await dialog.getByTestId('refund-reason').fill('Goodwill');
    await dialog.getByTestId('refund-confirm').click();
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });

    const failed = win.locator('[data-testid="refund-row"][data-status="failed"]');
    await failed.waitFor({ timeout: 10_000 });
    expect(await failed.textContent()).toContain('Goodwill');
    const shown = await failed.getByTestId('refund-failure').textContent();
    const saved = await owner.get(`/appointments/${appointmentId}`);
    const reason = saved.body.refunds.find((r: { status: string }) => r.status === 'failed').failure;
    expect(reason).toBeTruthy();
    expect(shown).toBe(`The provider refused: ${reason}`);
    expect(await refund.getAttribute('data-refundable')).toBe('7000');
    await page.screenshot({ path: `${SHOTS}-desktop-failed.png` });
  });

  it('R31 a cancelled appointment with money left to refund says the refund is made here', async () => {
    const page = await run.signedInPage();
    const win = await checkoutOf(page);
    expect(await win.getByTestId('refund-hint').count()).toBe(0);
    const cancelled = await owner.patch(`/appointments/${appointmentId}`, { status: 'cancelled' });
    expect(cancelled.status, cancelled.text).toBe(200);
    // the window follows the appointment live
    await win.getByTestId('refund-hint').waitFor({ timeout: 10_000 });
    expect(await onlinePayment(win).getByTestId('refund-open').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}-desktop-cancelled.png` });
  });
});
