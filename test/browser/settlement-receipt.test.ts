import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdminApp, openAppointment, screenshot, type AdminAppRun } from '../helpers/browser.js';
import {
  appointmentWithLink,
  completeCheckout,
  connectSandbox,
  eventually,
  pressPay,
} from '../reliability/process-api.js';

/**
 * R33 in the admin app, against a real server process and its jobs: the checkout tab shows the
 * settlement receipt of a link prepayment, pending with its due time, then sent once the visit
 * is marked arrived (the window follows live).
 */

let run: AdminAppRun;

beforeAll(async () => {
  run = await openAdminApp(async (owner) => {
    await connectSandbox(owner);
    const fiscal = await owner.put('/settings/cashless', { fiscalization: { enabled: true } });
    expect(fiscal.status, fiscal.text).toBe(200);
  });
}, 240_000);

afterAll(async () => {
  await run?.close();
});

describe('R33 settlement receipt in the appointment window', () => {
  it('R33 the checkout tab shows the settlement receipt pending with its due time, then sent when the visit turns arrived', async () => {
    const { appointmentId, token } = await appointmentWithLink(run.owner);
    const pay = await pressPay(run.app.url, token);
    expect(pay.status, pay.text).toBe(303);
    await completeCheckout(pay.location!);
    await eventually('the settlement receipt to be queued with the payment', async () => {
      const res = await run.owner.get(`/appointments/${appointmentId}`);
      return res.body.settlementReceipts?.length === 1;
    });

    const page = await run.signedInPage();
    const win = await openAppointment(page, run.owner.companyId, appointmentId, 'checkout');
    const line = win.getByTestId('settlement-receipt');
    await expect.poll(() => line.getAttribute('data-status'), { timeout: 10_000 }).toBe('pending');
    expect(await line.textContent()).toMatch(/Settlement receipt pending · due /);

    const arrived = await run.owner.patch(`/appointments/${appointmentId}`, { status: 'arrived' });
    expect(arrived.status, arrived.text).toBe(200);
    await expect.poll(() => line.getAttribute('data-status'), { timeout: 30_000 }).toBe('sent');
    expect(await line.textContent()).toMatch(/Settlement receipt sent · /);
    await screenshot(page, 'r33-settlement-receipt');
    expect(run.takeProblems(), 'console errors on the screen').toEqual([]);
  }, 90_000);
});
