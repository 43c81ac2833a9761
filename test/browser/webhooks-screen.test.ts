import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/shared/webhook-signature.js';
import { openAdminApp, screenshot, type AdminAppRun } from '../helpers/browser.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import {
  appointmentWithLink,
  completeCheckout,
  connectSandbox,
  eventually,
  pressPay,
} from '../reliability/process-api.js';

/**
 * Settings → Webhooks: an owner adds an endpoint and sees its secret once; a link paid
 * afterwards reaches the endpoint signed with it, and the screen shows the delivery.
 */
const receiver = await startWebhookReceiver();
let run: AdminAppRun;
let page: Page;

beforeAll(async () => {
  // the receiver listens on 127.0.0.1: S4 lets endpoints point there only with the development setting
  run = await openAdminApp(
    async (owner) => {
      await connectSandbox(owner);
      // the calendar, where signing in lands, shows its day once the salon has a staff member
      expect((await owner.post('/staff', { name: 'Maria' })).status).toBe(201);
    },
    { env: { VISITPAY_ALLOW_PRIVATE_WEBHOOKS: 'true' } },
  );
  page = await run.signedInPage();
}, 240_000);

afterAll(async () => {
  await run?.close();
  await receiver.close();
});

afterEach(() => {
  expect(run.takeProblems(), 'console errors on the screen').toEqual([]);
});

describe('Settings → Webhooks', () => {
  it('adds an endpoint, shows its secret once, and shows the signed events a paid link sent to it', async () => {
    await page.getByTestId('nav-settings-webhooks').click();
    const form = page.getByTestId('new-webhook-form');
    await form.waitFor({ timeout: 10_000 });
    await page.getByTestId('webhook-url').fill(`http://127.0.0.1:${receiver.port}/visitpay`);
    await page.getByTestId('webhook-event-refund.created').uncheck();
    await page.getByTestId('webhook-add').click();
    await page.getByTestId('webhook-secret').waitFor({ timeout: 10_000 });
    const secret = (await page.getByTestId('webhook-secret-value').textContent())!;
    expect(secret).toMatch(/^whsec_/);
    // the list reloads after the secret shows: wait for the row, then count
    await page.getByTestId('webhook').first().waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('webhook').count()).toBe(1);
    expect(await page.getByTestId('webhook').textContent()).toContain('payment_link.paid, attempt.succeeded');
    await screenshot(page, '30-webhook-added');

    // A test event shows the set-up works before any client pays.
    await page.getByTestId('webhook-ping').click();
    const [ping] = await eventually('the test event at the endpoint', async () =>
      receiver.to('/visitpay').length >= 1 ? receiver.to('/visitpay') : undefined,
    );
    expect(ping!.headers['visitpay-event-type']).toBe('ping');
    verifySignature({ secret, header: ping!.headers['visitpay-signature'], rawBody: ping!.body, now: new Date() });
    await page.getByTestId('webhook-deliveries').waitFor({ timeout: 10_000 });

    // Once stored, the secret is gone from the screen and from every answer of the API.
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);
    expect(JSON.stringify((await run.owner.get('/webhook-endpoints')).body)).not.toContain(secret);

    const { token } = await appointmentWithLink(run.owner);
    const pay = await pressPay(run.app.url, token);
    await completeCheckout(pay.location!);
    const paidEvents = () => receiver.to('/visitpay').filter((r) => r.headers['visitpay-event-type'] !== 'ping');
    const received = await eventually('both events at the endpoint', async () =>
      paidEvents().length >= 2 ? paidEvents() : undefined,
    );
    expect(received.map((r) => r.headers['visitpay-event-type']).sort()).toEqual([
      'attempt.succeeded',
      'payment_link.paid',
    ]);
    for (const r of received)
      verifySignature({ secret, header: r.headers['visitpay-signature'], rawBody: r.body, now: new Date() });

    const endpointId = (await run.owner.get('/webhook-endpoints')).body.items[0].id as string;
    await eventually('both deliveries recorded', async () => {
      const items = (await run.owner.get(`/webhook-endpoints/${endpointId}/deliveries`)).body.items as {
        status: string;
      }[];
      return items.length === 3 && items.every((d) => d.status === 'delivered');
    });
    // The test event opened the deliveries; closing and opening them again reads them afresh.
    await page.getByTestId('webhook-deliveries-toggle').click();
    await page.getByTestId('webhook-deliveries-toggle').click();
    const table = page.getByTestId('webhook-deliveries');
    await table.waitFor({ timeout: 10_000 });
    await expect
      .poll(async () => (await table.getByTestId('webhook-delivery-status').allTextContents()).join(','), {
        timeout: 10_000,
      })
      .toBe('delivered,delivered,delivered');
    await screenshot(page, '31-webhook-deliveries');

    // "Send again" puts an event back in the queue: the server's job sends the same body once more.
    await table.getByTestId('webhook-redeliver').first().click();
    const again = await eventually('the event sent again', async () =>
      receiver.to('/visitpay').length >= 4 ? receiver.to('/visitpay') : undefined,
    );
    expect(
      receiver
        .to('/visitpay')
        .slice(0, 3)
        .map((r) => r.body),
    ).toContain(again[3]!.body);

    await page.getByTestId('webhook-disable').click();
    await page.getByTestId('webhook-disable-confirm').click();
    await page.getByText('No endpoints yet.').waitFor({ timeout: 10_000 });
  });
});
