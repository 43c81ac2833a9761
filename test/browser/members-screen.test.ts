import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureWebBuild,
  launchChromium,
  requireChromium,
  screenshot,
  signIn,
  startBrowserServer,
  watchProblems,
  type BrowserServer,
} from '../helpers/browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, http, ownerSession, type OwnerSession } from '../reliability/process-api.js';

/**
 * Settings → Users as an owner and the person invited would use it (S1, S3): invite (no mail on
 * this server, so the link is shown once), accept in another browser choosing a password, change
 * it and sign out everywhere from My account, and lose access when removed.
 */
let app: BrowserServer;
let owner: OwnerSession;
let browser: Browser;
let ownerContext: BrowserContext;
let guestContext: BrowserContext;
let page: Page;
let problems: string[] = [];
let guestProblems: string[] = [];
const RITA = { email: 'rita@example.test', name: 'Rita Receptionist', password: 'ritas-own-password' };

beforeAll(async () => {
  requireChromium();
  await ensureWebBuild();
  app = await startBrowserServer();
  owner = await ownerSession(app.url);
  // the calendar, where signing in lands, shows its day once the salon has a staff member
  expect((await owner.post('/staff', { name: 'Maria' })).status).toBe(201);
  browser = await launchChromium();
  ownerContext = await browser.newContext({
    baseURL: app.url,
    locale: 'en-GB',
    viewport: { width: 1280, height: 900 },
  });
  guestContext = await browser.newContext({
    baseURL: app.url,
    locale: 'en-GB',
    viewport: { width: 1280, height: 900 },
  });
  problems = watchProblems(ownerContext);
  guestProblems = watchProblems(guestContext);
  page = await ownerContext.newPage();
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
}, 240_000);

afterAll(async () => {
  await ownerContext?.close().catch(() => undefined);
  await guestContext?.close().catch(() => undefined);
  await browser?.close();
  await app?.stop();
});

afterEach(() => {
  expect([...problems.splice(0), ...guestProblems.splice(0)], 'console errors on the screens').toEqual([]);
});

describe('Settings → Users: invitations, My account, removal', () => {
  let inviteUrl = '';

  it('S1 an owner invites a receptionist and is shown the link once, with the invitation pending', async () => {
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users').waitFor({ timeout: 10_000 });
    await page.getByTestId('new-user').click();
    await page.getByTestId('invite-email').fill(RITA.email);
    await page.getByTestId('user-role').selectOption('administrator');
    await page.getByTestId('invite-send').click();
    await page.getByTestId('invite-url').waitFor({ timeout: 10_000 });
    inviteUrl = (await page.getByTestId('invite-url').textContent())!.trim();
    expect(inviteUrl).toMatch(new RegExp(`^${app.url}/invite#vpi_`));
    await screenshot(page, '40-invitation-link');
    await page.getByTestId('invitation-sent-close').click();
    await page.getByTestId(`invitation-${RITA.email}`).waitFor();
    expect(await page.getByTestId(`user-${RITA.email}`).count()).toBe(0);
    await screenshot(page, '41-pending-invitation', true);
  });

  it('S1 the invited person opens the link in their own browser, chooses name and password, and is in', async () => {
    const guest = await guestContext.newPage();
    await guest.goto(inviteUrl);
    await guest.getByTestId('accept-form').waitFor({ timeout: 10_000 });
    expect(await guest.getByTestId('accept-form').textContent()).toContain(RITA.email);
    await guest.getByTestId('accept-name').fill(RITA.name);
    await guest.getByTestId('accept-password').fill(RITA.password);
    await guest.getByTestId('accept-repeat').fill(RITA.password);
    await screenshot(guest, '42-accept-invitation');
    await guest.getByTestId('accept-submit').click();
    await guest.getByTestId('day-view').or(guest.getByTestId('week-view')).first().waitFor({ timeout: 15_000 });
    expect(new URL(guest.url()).hash).toBe('');

    // the link works once
    const again = await guestContext.newPage();
    await again.goto(inviteUrl);
    await again.getByTestId('invitation-invalid').waitFor({ timeout: 10_000 });
    await again.close();
    // the browser logs the lookup's 404 itself; that one is expected
    const expected = guestProblems.splice(0);
    expect(
      expected.every((p) => p.includes('404')),
      expected.join('\n'),
    ).toBe(true);

    await page.reload();
    await page.getByTestId(`user-${RITA.email}`).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId(`user-${RITA.email}`).textContent()).toContain(RITA.name);
    // accepted, so no longer pending (asked of the API: an empty list is not drawn, so the page cannot say it)
    expect((await owner.get('/invitations')).body.items).toEqual([]);
  });

  it('S3 from My account the person changes their password, then signs out everywhere', async () => {
    const guest = guestContext.pages()[0]!;
    const other = await http(`${app.url}/api/v1/auth/login`, { json: { email: RITA.email, password: RITA.password } });
    expect(other.status).toBe(200);

    await guest.getByTestId('my-account').click();
    await guest.getByTestId('account-current').fill(RITA.password);
    await guest.getByTestId('account-new').fill('a-better-password');
    await guest.getByTestId('account-repeat').fill('a-better-password');
    await guest.getByTestId('account-change-password').click();
    await guest.getByTestId('account-password-changed').waitFor({ timeout: 10_000 });
    await screenshot(guest, '43-my-account');
    // the session opened elsewhere with the old password has ended
    expect((await http(`${app.url}/api/v1/me`, { token: other.body.token })).status).toBe(401);

    await guest.getByTestId('sign-out-everywhere').click();
    await guest.getByTestId('login-form').waitFor({ timeout: 10_000 });
    RITA.password = 'a-better-password';
  });

  it('S1 an owner removes a member, who then finds no company when signing in again', async () => {
    await page.getByTestId(`user-${RITA.email}`).getByTestId('remove-user').click();
    await page.getByTestId('remove-confirm').click();
    await page.getByTestId('remove-dialog').waitFor({ state: 'detached', timeout: 10_000 });
    // the list reloads after the dialog closes: the row goes with it
    await page.getByTestId(`user-${RITA.email}`).waitFor({ state: 'detached', timeout: 10_000 });

    const guest = guestContext.pages()[0]!;
    await guest.getByTestId('login-email').fill(RITA.email);
    await guest.getByTestId('login-password').fill(RITA.password);
    await guest.getByTestId('login-submit').click();
    await guest.getByText('Your account does not belong to any company yet.').waitFor({ timeout: 10_000 });
  });

  it('S1 an owner revokes an invitation, and its link stops working', async () => {
    await page.getByTestId('new-user').click();
    await page.getByTestId('invite-email').fill('temp@example.test');
    await page.getByTestId('invite-send').click();
    const url = (await page.getByTestId('invite-url').textContent())!.trim();
    await page.getByTestId('invitation-sent-close').click();
    await page.getByTestId('invitation-temp@example.test').getByTestId('invitation-revoke').click();
    await page.getByTestId('invitations').waitFor({ state: 'detached', timeout: 10_000 });
    const token = url.slice(url.indexOf('#') + 1);
    expect((await http(`${app.url}/api/v1/invitations/lookup`, { json: { token } })).status).toBe(404);
  });
});
