import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  copyLink,
  openAdminApp,
  openAppointment,
  screenshot,
  signIn,
  startAdminServer,
  type AdminAppRun,
  type BrowserServer,
} from '../helpers/browser.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  bookVisit,
  connectSandbox,
  http,
  type OwnerSession,
} from '../reliability/process-api.js';

/**
 * O7: a link is only as good as PUBLIC_URL. With it unset the admin app says so in a banner and
 * beside a copied link; with a public address it says nothing.
 */
const RECEPTIONIST = { email: 'desk@example.test', password: 'desk-password-1' };
const PUBLIC_URL = 'https://pay.example-salon.test';

interface Salon {
  app: BrowserServer;
  owner: OwnerSession;
  appointmentId: string;
}
let run: AdminAppRun;
let unset: Salon;
let configured: Salon;

async function bookedVisit(owner: OwnerSession): Promise<string> {
  await connectSandbox(owner);
  return bookVisit(owner, { service: { title: 'Colouring', priceMin: 8_000, priceMax: 12_000 } });
}

/** Signed in on `salon`; resolves once the page has been told where links point (GET /server-info). */
async function signedIn(at: Salon, email: string, password: string): Promise<Page> {
  const page = await run.newPage({ baseURL: at.app.url, permissions: ['clipboard-read', 'clipboard-write'] });
  const told = page.waitForResponse((res) => res.url().endsWith('/api/v1/server-info') && res.status() === 200, {
    timeout: 20_000,
  });
  await signIn(page, email, password);
  await told;
  return page;
}

async function copyLinkAt(page: Page, at: Salon): Promise<{ url: string; win: ReturnType<Page['getByTestId']> }> {
  const win = await openAppointment(page, at.owner.companyId, at.appointmentId);
  return { url: await copyLink(win), win };
}

beforeAll(async () => {
  let appointmentId = '';
  // SMS set up so that Send offers its preview; nothing is sent here (no gateway listens on port 9)
  run = await openAdminApp(
    async (owner) => {
      appointmentId = await bookedVisit(owner);
    },
    {
      env: {
        TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
        TWILIO_AUTH_TOKEN: 'o7-browser-twilio-token',
        TWILIO_FROM: 'DemoSalon',
        VISITPAY_TWILIO_API_URL: 'http://127.0.0.1:9',
      },
      publicUrl: false,
    },
  );
  unset = { app: run.app, owner: run.owner, appointmentId };
  const salon = await startAdminServer(
    async (owner) => {
      appointmentId = await bookedVisit(owner);
    },
    {
      env: { PUBLIC_URL },
    },
  );
  configured = { ...salon, appointmentId };
}, 240_000);

afterAll(async () => {
  await run?.close();
  await configured?.app.stop();
});

afterEach(() => {
  expect(run.takeProblems(), 'console errors on the screens').toEqual([]);
});

describe('links that point at localhost (O7)', () => {
  it('O7 PUBLIC_URL unset: the owner sees a banner naming http://localhost:<port>, on every screen', async () => {
    const localhost = `http://localhost:${new URL(unset.app.url).port}`;
    const page = await signedIn(unset, ADMIN_EMAIL, ADMIN_PASSWORD);
    const banner = page.getByTestId('link-reach-banner');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.getAttribute('data-reach')).toBe('this_computer');
    const text = await banner.textContent();
    expect(text).toContain(`Payment links point at ${localhost} — clients’ phones cannot open them.`);
    expect(text).toContain('Set PUBLIC_URL to the address clients reach');
    await screenshot(page, 'o7-banner-localhost');
    await page.getByTestId('nav-clients').click();
    await page.getByTestId('clients').first().waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('link-reach-banner').count()).toBe(1);
  }, 60_000);

  it('O7 PUBLIC_URL unset: a receptionist copying a link gets http://localhost:… and a warning beside it that the phone cannot open it; the SMS preview warns too', async () => {
    const invited = await unset.owner.post('/users', { email: RECEPTIONIST.email, role: 'administrator' });
    expect(invited.status, invited.text).toBe(201);
    const token = String(invited.body.inviteUrl).split('#')[1];
    const accepted = await http(`${unset.app.url}/api/v1/invitations/accept`, {
      json: { token, name: 'Desk Reception', password: RECEPTIONIST.password },
    });
    expect(accepted.status, accepted.text).toBe(200);

    const page = await signedIn(unset, RECEPTIONIST.email, RECEPTIONIST.password);
    await page.getByTestId('link-reach-banner').waitFor({ timeout: 10_000 });
    const { url, win } = await copyLinkAt(page, unset);
    expect(url.startsWith(`http://localhost:${new URL(unset.app.url).port}/pay/`)).toBe(true);
    const note = win.getByTestId('link-reach-note');
    await note.waitFor({ timeout: 10_000 });
    expect(await note.textContent()).toContain('The client’s phone cannot open this link');
    await screenshot(page, 'o7-copied-localhost-link');

    // before sending, the message's preview carries the same warning
    await win.getByTestId('sms-send-link').click();
    await win.getByTestId('sms-send-preview').waitFor({ timeout: 10_000 });
    expect(await win.getByTestId('sms-send-preview-text').textContent()).toContain(url);
    expect(await win.getByTestId('sms-send-preview-reach-note').getAttribute('data-reach')).toBe('this_computer');
  }, 60_000);

  it('O7 PUBLIC_URL unset: the webhook URL for a real provider says the provider cannot deliver to it', async () => {
    const page = await signedIn(unset, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByTestId('nav-finance-cashless').click();
    const card = page.getByTestId('provider-card');
    await card.waitFor({ timeout: 10_000 });
    await card.getByTestId('provider-select').selectOption('stripe');
    expect(await card.getByTestId('webhook-url').textContent()).toMatch(/^http:\/\/localhost:\d+\/webhooks\/stripe\//);
    const note = card.getByTestId('webhook-reach-note');
    await note.waitFor({ timeout: 10_000 });
    expect(await note.textContent()).toContain('The provider cannot deliver its notifications to this address');
    await screenshot(page, 'o7-webhook-url-localhost');
  }, 60_000);

  it('O7 a public-looking PUBLIC_URL: no banner, and no warning beside the copied link', async () => {
    const page = await signedIn(configured, ADMIN_EMAIL, ADMIN_PASSWORD);
    const { url, win } = await copyLinkAt(page, configured);
    expect(url.startsWith(`${PUBLIC_URL}/pay/`)).toBe(true);
    // the server's answer arrived before sign-in finished; the copy rendered after it
    expect(await page.getByTestId('link-reach-banner').count()).toBe(0);
    expect(await win.getByTestId('link-reach-note').count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.getByTestId('nav-finance-cashless').click();
    await page.getByTestId('provider-card').getByTestId('provider-select').selectOption('stripe');
    expect((await page.getByTestId('webhook-url').textContent())?.startsWith(`${PUBLIC_URL}/webhooks/stripe/`)).toBe(
      true,
    );
    expect(await page.getByTestId('webhook-reach-note').count()).toBe(0);
    await screenshot(page, 'o7-public-url-no-banner');
  }, 60_000);
});
