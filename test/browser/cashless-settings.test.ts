import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { LAPTOP, openAdminApp, PHONE, screenshot, type AdminAppRun } from '../helpers/browser.js';
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
 * Finance → Cashless payment in real Chromium: credentials are labelled and explained in the
 * user's language, a refused one is said plainly at its field, and the provider can be
 * disconnected — refused while a client is paying, after which links say they are unavailable.
 */
const FIELD_NAMES = /\b(secretKey|webhookSecret|publishableKey|shopId|credentials\.)/;

let run: AdminAppRun;
let owner: OwnerSession;
let url = '';
let link = { appointmentId: '', token: '', linkId: '' };
let checkoutUrl = '';

async function cashlessScreen(viewport = LAPTOP, locale = 'en-GB'): Promise<Page> {
  const page = await run.signedInPage({ viewport, locale });
  await page.goto(`/c/${owner.companyId}/finance/cashless`);
  await page.getByTestId('provider-card').waitFor();
  return page;
}

/** Nothing on the page reaches past the viewport's right edge. */
async function expectNoSideways(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
}

beforeAll(async () => {
  run = await openAdminApp(async (company, app) => {
    owner = company;
    url = app.url;
    await connectSandbox(owner);
    link = await appointmentWithLink(owner, 4_100);
    // The client pressed Pay and is on the bank's page: an attempt is open.
    const pay = await pressPay(url, link.token);
    expect(pay.status, pay.text).toBe(303);
    checkoutUrl = pay.location!;
  });
}, 240_000);

afterAll(async () => {
  await run?.close();
});

/** The refusals these tests provoke are answers, not problems; anything else is. */
const provoked = (problem: string) =>
  /status of (400|409) .*\/settings\/cashless\/(connect|connection)\)$/.test(problem);

afterEach(() => {
  expect(
    run.takeProblems().filter((p) => !provoked(p)),
    'console errors on the screens',
  ).toEqual([]);
});

describe('Finance → Cashless payment', () => {
  it('R1 Stripe credentials have human labels and hints; a wrong key is refused at its field in plain words, never a field name (en, laptop)', async () => {
    const page = await cashlessScreen();
    const card = page.getByTestId('provider-card');
    await page.getByTestId('provider-select').selectOption('stripe');
    await expect.poll(() => card.getByText('Webhook signing secret').count()).toBeGreaterThan(0);
    expect(await card.textContent()).not.toMatch(FIELD_NAMES);
    // the hint names every event the Stripe adapter processes, refunds included
    const hint = await card.locator('.hint').last().textContent();
    for (const event of ['checkout.session.expired', 'charge.refunded', 'refund.created', 'refund.failed'])
      expect(hint).toContain(event);

    await page.getByTestId('credential-secretKey').fill(`pk_test_${'a'.repeat(24)}`);
    await page.getByTestId('credential-webhookSecret').fill(`whsec_${'b'.repeat(24)}`);
    await page.getByTestId('connect-provider').click();
    const refusal = card.getByTestId('credential-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      'That is the publishable key (pk_…). The secret key starts with sk_live_ or sk_test_.',
    );
    expect(await page.getByTestId('credential-secretKey').getAttribute('aria-invalid')).toBe('true');
    expect(await card.textContent()).not.toMatch(FIELD_NAMES);
    await expectNoAxeViolations(page, 'the cashless settings with a refused key');
    await screenshot(page, 'cashless-stripe-refused-desktop', true);

    await page.getByTestId('credential-secretKey').fill(`sk_test_${'c'.repeat(24)}`);
    await page.getByTestId('credential-webhookSecret').fill('not-a-secret');
    await page.getByTestId('connect-provider').click();
    await expect
      .poll(() => refusal.textContent())
      .toBe(
        'The webhook signing secret must start with whsec_. Copy it from the endpoint’s page in Stripe → Developers → Webhooks.',
      );
    expect(await page.getByTestId('credential-webhookSecret').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('credential-secretKey').getAttribute('aria-invalid')).toBeNull();
  });

  it('R1 the same in Russian on a phone: labels, hints and the refusal are in Russian', async () => {
    const page = await cashlessScreen(PHONE, 'ru-RU');
    const card = page.getByTestId('provider-card');
    // the connected sandbox's masked secret is labelled too
    expect(await page.getByTestId('credentials-hint').locator('dt').allTextContents()).toEqual([
      'Секрет подписи вебхуков',
    ]);
    await page.getByTestId('provider-select').selectOption('yookassa');
    await expect.poll(() => card.getByText('Идентификатор магазина (shopId)').count()).toBe(1);
    await page.getByTestId('credential-shopId').fill('my-shop');
    await page.getByTestId('credential-secretKey').fill('test_abcdefghij');
    await page.getByTestId('connect-provider').click();
    const refusal = card.getByTestId('credential-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      'Идентификатор магазина — это число; он есть в личном кабинете ЮKassa → Настройки → Магазин.',
    );
    expect(await card.textContent()).not.toMatch(/\b(secretKey|credentials\.)/);
    await expectNoSideways(page);
    await expectNoAxeViolations(page, 'the cashless settings in Russian on a phone');
    await screenshot(page, 'cashless-yookassa-refused-phone-ru', true);
  });

  it('R1 Disconnect asks first, is refused while a client is paying, then forgets the provider; the link says paying by link is unavailable', async () => {
    const page = await cashlessScreen();
    expect(await page.getByTestId('provider-state').textContent()).toContain('Connected to Sandbox (test)');
    await page.getByTestId('disconnect').click();
    const confirm = page.getByTestId('disconnect-provider');
    expect(await confirm.textContent()).toContain('Disconnect Sandbox (test)? Its keys are forgotten');
    await screenshot(page, 'cashless-disconnect-confirm-desktop', true);
    await page.getByTestId('disconnect-confirm').click();
    const refused = page.getByTestId('disconnect-error');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('A client is paying through this provider right now.');
    expect(await refused.getAttribute('data-code')).toBe('attempts_open');
    expect(await page.getByTestId('provider-state').textContent()).toContain('Connected to Sandbox (test)');
    await screenshot(page, 'cashless-disconnect-refused-desktop', true);

    // The client gives up at the bank; the attempt ends and the provider may go.
    await completeCheckout(checkoutUrl, 'failed');
    await eventually('the attempt to end', async () => {
      const res = await owner.get(`/appointments/${link.appointmentId}/payment-link`);
      const attempts = res.body.attempts as { status: string }[];
      return attempts.length > 0 && attempts.every((a) => a.status !== 'pending' && a.status !== 'creating');
    });
    await page.getByTestId('disconnect').click();
    await page.getByTestId('disconnect-confirm').click();
    await expect
      .poll(() => page.getByTestId('provider-state').textContent())
      .toBe('No provider is connected. Pay-by-link stays off until one is.');
    expect(await page.getByTestId('disconnect').count()).toBe(0);
    expect(await page.getByTestId('pay-by-link-state').textContent()).toBe('Connect a provider first.');
    expect(await page.getByTestId('pay-by-link-toggle').isChecked()).toBe(false);
    await expectNoAxeViolations(page, 'the cashless settings after disconnecting');
    await screenshot(page, 'cashless-disconnected-desktop', true);

    const linkPage = await http(`${url}/pay/${link.token}`);
    expect(linkPage.text).toContain('Payments by link are currently unavailable');
    expect(linkPage.text).not.toContain('<form');
  });
});
