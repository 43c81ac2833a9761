import type { Page } from 'playwright-core';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openAdminApp, openAppointment, screenshot, type AdminAppRun } from '../helpers/browser.js';
import { bookVisit, connectSandbox, http } from '../reliability/process-api.js';
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

let run: AdminAppRun;
let appointmentId = '';

/** The appointment's window, once its items show. */
async function openWindow(page: Page) {
  const win = await openAppointment(page, run.owner.companyId, appointmentId);
  await win.getByTestId('items-editor').waitFor({ timeout: 10_000 });
  return win;
}

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpOpen = true;
  const smtpPort = (smtp.server.address() as { port: number }).port;
  run = await openAdminApp(
    async (owner) => {
      await connectSandbox(owner);
      appointmentId = await bookVisit(owner, {
        service: { title: 'Colouring', priceMin: 8_000, priceMax: 12_000 },
      });
    },
    {
      env: {
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}?from=desk%40example.test`,
        TWILIO_ACCOUNT_SID: TWILIO.sid,
        TWILIO_AUTH_TOKEN: TWILIO.token,
        TWILIO_FROM: 'DemoSalon',
        VISITPAY_TWILIO_API_URL: twilio.url,
      },
    },
  );
}, 240_000);

afterAll(async () => {
  await run?.close();
  await stopSmtp();
  await twilio.close();
});

afterEach(() => {
  expect(run.takeProblems(), 'console errors on the screens').toEqual([]);
});

describe('payment-link controls in the appointment window', () => {
  it('R2 a user without cashless_payment sees no link controls on any tab', async () => {
    const desk = { email: 'desk@example.test', password: 'desk-password-1' };
    const invited = await run.owner.post('/users', {
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
    const accepted = await http(`${run.app.url}/api/v1/invitations/accept`, {
      json: { token, name: 'Desk Reception', password: desk.password },
    });
    expect(accepted.status, accepted.text).toBe(200);
    const page = await run.signedInPage({ user: desk });
    const win = await openWindow(page);
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
    const page = await run.signedInPage();
    const win = await openWindow(page);
    for (const tab of ['details', 'checkout', 'status']) {
      await win.getByTestId(`tab-${tab}`).click();
      await win.getByTestId('copy-payment-link').waitFor({ timeout: 10_000 });
      expect(await win.getByTestId('copy-payment-link').count(), tab).toBe(1);
    }
  });

  it('R2 sends the link by email: a preview with subject and text first, then Send', async () => {
    const page = await run.signedInPage();
    const win = await openWindow(page);
    await win.getByTestId('tab-checkout').click();
    await win.getByTestId('send-link').click();
    const preview = win.getByTestId('send-preview');
    await preview.waitFor({ timeout: 10_000 });
    expect(await preview.getByTestId('send-preview-to').textContent()).toBe('jonas@example.test');
    expect(await preview.getByTestId('send-preview-subject').textContent()).toBe(
      'Payment for your visit to Demo Salon',
    );
    const link = await run.owner.get(`/appointments/${appointmentId}/payment-link`);
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

    const audit = await run.owner.get(`/audit?appointmentId=${appointmentId}&action=link.sent`);
    expect(audit.status, audit.text).toBe(200);
    expect(audit.body.items).toHaveLength(1);
  });

  it('sends the link by SMS: the number and the text first, then Send; the message reaches the gateway', async () => {
    const page = await run.signedInPage();
    const win = await openWindow(page);
    await win.getByTestId('tab-checkout').click();
    await win.getByTestId('sms-send-link').click();
    const preview = win.getByTestId('sms-send-preview');
    await preview.waitFor({ timeout: 10_000 });
    expect(await preview.getByTestId('sms-send-preview-to').textContent()).toBe('+4915123456789');
    expect(await preview.getByTestId('sms-send-preview-subject').count()).toBe(0);
    const link = await run.owner.get(`/appointments/${appointmentId}/payment-link`);
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
    const page = await run.signedInPage();
    const win = await openWindow(page);
    await win.getByTestId('send-link').click();
    await win.getByTestId('send-link-confirm').click();
    const error = win.getByTestId('send-error');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.getAttribute('data-code')).toBe('email_send_failed');
    // Chromium logs the 502 answer itself; that one is expected here, nothing else is.
    expect(
      run.takeProblems().filter((p) => !(p.includes('status of 502') && p.includes('/payment-link/send'))),
      'console errors on the screens',
    ).toEqual([]);
    await screenshot(page, '23-send-refused');
  });
});
