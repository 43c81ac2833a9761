import type { Browser, BrowserContext, Page } from 'playwright-core';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
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
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  connectSandbox,
  http,
  ownerSession,
  type OwnerSession,
} from '../reliability/process-api.js';
import { startTwilioStub } from '../stubs/twilio-stub.js';

/**
 * Who sees the link controls (R2), and "Send by email" and "Send by SMS" from the appointment
 * window: the preview first, then the message arriving at a real SMTP server, or at a local
 * server speaking Twilio's API, that the server process sends through.
 */
const TWILIO = { sid: `AC${'fedcba9876543210'.repeat(2)}`, token: 'browser-test-twilio-token' };
const twilio = await startTwilioStub(TWILIO);

const mails: ParsedMail[] = [];
let smtpOpen = false;
const stopSmtp = () =>
  new Promise<void>((resolve) => (smtpOpen ? smtp.close(() => resolve()) : resolve())).then(
    () => void (smtpOpen = false),
  );
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    simpleParser(stream).then(
      (mail) => {
        mails.push(mail);
        callback();
      },
      (error: Error) => callback(error),
    );
  },
});

let app: BrowserServer;
let owner: OwnerSession;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[][] = [];
let appointmentId = '';

async function signedInPage(email: string, password: string): Promise<Page> {
  const context = await browser.newContext({
    baseURL: app.url,
    locale: 'en-GB',
    viewport: { width: 1280, height: 900 },
  });
  contexts.push(context);
  problems.push(watchProblems(context));
  const page = await context.newPage();
  await signIn(page, email, password);
  return page;
}

async function openAppointment(page: Page) {
  await page.goto(`/c/${owner.companyId}/calendar?appointment=${appointmentId}`);
  const win = page.getByTestId('appointment-window');
  await win.getByTestId('items-editor').waitFor({ timeout: 10_000 });
  return win;
}

beforeAll(async () => {
  requireChromium();
  await ensureWebBuild();
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpOpen = true;
  const smtpPort = (smtp.server.address() as { port: number }).port;
  app = await startBrowserServer({
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}?from=desk%40example.test`,
    TWILIO_ACCOUNT_SID: TWILIO.sid,
    TWILIO_AUTH_TOKEN: TWILIO.token,
    TWILIO_FROM: 'DemoSalon',
    VISITPAY_TWILIO_API_URL: twilio.url,
  });
  owner = await ownerSession(app.url);
  await connectSandbox(owner);
  const service = await owner.post('/services', { title: 'Colouring', priceMin: 8_000, priceMax: 12_000 });
  const staff = await owner.post('/staff', { name: 'Maria Weber' });
  const client = await owner.post('/clients', {
    name: 'Jonas Braun',
    email: 'jonas@example.test',
    phone: '+49 151 2345 6789',
  });
  const appointment = await owner.post('/appointments', {
    clientId: client.body.id,
    staffId: staff.body.id,
    startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    durationMinutes: 90,
    services: [{ serviceId: service.body.id }],
  });
  expect(appointment.status, appointment.text).toBe(201);
  appointmentId = appointment.body.id;
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await app?.stop();
  await stopSmtp();
  await twilio.close();
});

afterEach(() => {
  expect(
    problems.flatMap((seen) => seen.splice(0)),
    'console errors on the screens',
  ).toEqual([]);
});

describe('payment-link controls in the appointment window', () => {
  it('R2 a user without cashless_payment sees no link controls on any tab', async () => {
    const desk = { email: 'desk@example.test', password: 'desk-password-1' };
    const invited = await owner.post('/users', {
      email: desk.email,
      role: 'custom',
      rights: ['appointments.read', 'appointments.write', 'payments.record'],
    });
    expect(invited.status, invited.text).toBe(201);
    // the invitation is emailed (SMTP is set up here); its holder accepts with a password of their own
    const invitation = mails.findIndex((m) => m.to && JSON.stringify(m.to).includes(desk.email));
    const token = /invite#(vpi_[\w-]+)/.exec(mails[invitation]?.text ?? '')?.[1];
    // the later tests count the payment-link emails alone
    mails.splice(invitation, 1);
    const accepted = await http(`${app.url}/api/v1/invitations/accept`, {
      json: { token, name: 'Desk Reception', password: desk.password },
    });
    expect(accepted.status, accepted.text).toBe(200);
    const page = await signedInPage(desk.email, desk.password);
    const win = await openAppointment(page);
    // the panel renders with its tab's own content: once that shows, a panel would show too
    const tabContent = { details: 'appointment-form', checkout: 'desk-payment-form', status: 'current-status' };
    for (const [tab, content] of Object.entries(tabContent)) {
      await win.getByTestId(`tab-${tab}`).click();
      await win.getByTestId(content).waitFor({ timeout: 10_000 });
      expect(await win.getByTestId('link-panel').count(), tab).toBe(0);
      expect(await win.getByTestId('copy-payment-link').count(), tab).toBe(0);
      expect(await win.getByTestId('send-link').count(), tab).toBe(0);
    }
    await win.getByTestId('tab-checkout').click();
    await win.getByTestId('desk-payment-form').waitFor();
    await screenshot(page, '20-no-cashless-checkout');
  });

  it('R4 the copy control is offered on the Details, Checkout and Status tabs', async () => {
    const page = await signedInPage(ADMIN_EMAIL, ADMIN_PASSWORD);
    const win = await openAppointment(page);
    for (const tab of ['details', 'checkout', 'status']) {
      await win.getByTestId(`tab-${tab}`).click();
      await win.getByTestId('copy-payment-link').waitFor({ timeout: 10_000 });
      expect(await win.getByTestId('copy-payment-link').count(), tab).toBe(1);
    }
  });

  it('R2 sends the link by email: a preview with subject and text first, then Send', async () => {
    const page = await signedInPage(ADMIN_EMAIL, ADMIN_PASSWORD);
    const win = await openAppointment(page);
    await win.getByTestId('tab-checkout').click();
    await win.getByTestId('send-link').click();
    const preview = win.getByTestId('send-preview');
    await preview.waitFor({ timeout: 10_000 });
    expect(await preview.getByTestId('send-preview-to').textContent()).toBe('jonas@example.test');
    expect(await preview.getByTestId('send-preview-subject').textContent()).toBe(
      'Payment for your visit to Demo Salon',
    );
    const link = await owner.get(`/appointments/${appointmentId}/payment-link`);
    expect(link.status, link.text).toBe(200);
    expect(await preview.getByTestId('send-preview-text').textContent()).toContain(link.body.url);
    expect(mails).toHaveLength(0);
    await screenshot(page, '21-send-preview');

    await win.getByTestId('send-link-confirm').click();
    await win.getByTestId('link-sent').waitFor({ timeout: 10_000 });
    expect(await win.getByTestId('link-sent').textContent()).toContain('jonas@example.test');
    await expect.poll(() => mails.length).toBe(1);
    expect(mails[0]!.subject).toBe('Payment for your visit to Demo Salon');
    expect(mails[0]!.text).toContain(link.body.url);
    expect(mails[0]!.html || '').toContain(link.body.url);
    await screenshot(page, '22-link-sent');

    const audit = await owner.get(`/audit?appointmentId=${appointmentId}&action=link.sent`);
    expect(audit.status, audit.text).toBe(200);
    expect(audit.body.items).toHaveLength(1);
  });

  it('sends the link by SMS: the number and the text first, then Send; the message reaches the gateway', async () => {
    const page = await signedInPage(ADMIN_EMAIL, ADMIN_PASSWORD);
    const win = await openAppointment(page);
    await win.getByTestId('tab-checkout').click();
    await win.getByTestId('sms-send-link').click();
    const preview = win.getByTestId('sms-send-preview');
    await preview.waitFor({ timeout: 10_000 });
    expect(await preview.getByTestId('sms-send-preview-to').textContent()).toBe('+4915123456789');
    expect(await preview.getByTestId('sms-send-preview-subject').count()).toBe(0);
    const link = await owner.get(`/appointments/${appointmentId}/payment-link`);
    expect(await preview.getByTestId('sms-send-preview-text').textContent()).toContain(link.body.url);
    expect(twilio.messages).toHaveLength(0);

    await win.getByTestId('sms-send-link-confirm').click();
    await win.getByTestId('sms-link-sent').waitFor({ timeout: 10_000 });
    expect(await win.getByTestId('sms-link-sent').textContent()).toContain('+4915123456789');
    expect(twilio.messages).toHaveLength(1);
    expect(twilio.messages[0]).toMatchObject({ to: '+4915123456789', from: 'DemoSalon' });
    expect(twilio.messages[0]!.body).toContain(link.body.url);
    await screenshot(page, '22b-link-sent-by-sms');
  });

  it('shows a refusal next to Send: the mail server is unreachable', async () => {
    // The server keeps its SMTP_URL; with the SMTP server gone the send fails and says so.
    await stopSmtp();
    const page = await signedInPage(ADMIN_EMAIL, ADMIN_PASSWORD);
    const win = await openAppointment(page);
    await win.getByTestId('send-link').click();
    await win.getByTestId('send-link-confirm').click();
    const error = win.getByTestId('send-error');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.getAttribute('data-code')).toBe('email_send_failed');
    // Chromium logs the 502 answer itself; that one is expected here, nothing else is.
    for (const seen of problems)
      seen.splice(
        0,
        seen.length,
        ...seen.filter((p) => !(p.includes('status of 502') && p.includes('/payment-link/send'))),
      );
    await screenshot(page, '23-send-refused');
  });
});
