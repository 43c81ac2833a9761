import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AdminAppRun, openAdminApp, openAppointment, screenshot } from '../helpers/browser.js';
import { bookVisit, connectSandbox } from '../reliability/process-api.js';

/**
 * A server with neither SMTP_URL nor an SMS gateway: "Send by email" and "Send by SMS" are offered
 * disabled, each with a one-line hint, and the message text is still there to copy or to open in
 * the staff member's own mail or messages app; nothing fails, no error piles up under the link.
 */
let run: AdminAppRun;
let appointmentId = '';

beforeAll(async () => {
  run = await openAdminApp(async (owner) => {
    await connectSandbox(owner);
    appointmentId = await bookVisit(owner);
  });
}, 240_000);

afterAll(async () => {
  await run?.close();
});

afterEach(() => {
  expect(run.takeProblems(), 'console errors on the screens').toEqual([]);
});

const HINTS = {
  'en-GB': {
    email: 'Email is not set up on this server.',
    sms: 'SMS is not set up on this server.',
    whatsapp: 'WhatsApp is not set up on this server.',
  },
  'ru-RU': {
    email: 'Отправка почты на этом сервере не настроена.',
    sms: 'Отправка SMS на этом сервере не настроена.',
    whatsapp: 'Отправка в WhatsApp на этом сервере не настроена.',
  },
} as const;

describe('sending a link from a server without mail or SMS gateway', () => {
  for (const locale of ['en-GB', 'ru-RU'] as const) {
    it(`R2 both channels are disabled with a hint; the text is shown, copied and handed to the mail and SMS apps (${locale})`, async () => {
      const page = await run.signedInPage({ locale, permissions: ['clipboard-read', 'clipboard-write'] });
      const win = await openAppointment(page, run.owner.companyId, appointmentId, 'checkout');
      await win.locator('[data-testid="link-send"][data-configured="false"]').waitFor({ timeout: 10_000 });
      await win.locator('[data-testid="sms-link-send"][data-configured="false"]').waitFor({ timeout: 10_000 });
      expect(await win.getByTestId('send-link').isDisabled()).toBe(true);
      expect(await win.getByTestId('sms-send-link').isDisabled()).toBe(true);
      expect(await win.getByTestId('send-unavailable').textContent()).toContain(HINTS[locale].email);
      expect(await win.getByTestId('sms-send-unavailable').textContent()).toContain(HINTS[locale].sms);
      await screenshot(page, `40-channels-off-${locale}`);

      await win.getByTestId('send-show-text').click();
      const preview = win.getByTestId('send-preview');
      await preview.waitFor({ timeout: 10_000 });
      const link = await run.owner.get(`/appointments/${appointmentId}/payment-link`);
      expect(link.status, link.text).toBe(200);
      const url = link.body.url as string;
      const subject = (await preview.getByTestId('send-preview-subject').textContent()) ?? '';
      expect(await preview.getByTestId('send-preview-text').textContent()).toContain(url);
      expect(await preview.getByTestId('send-link-confirm').count()).toBe(0);
      const mailto = (await preview.getByTestId('send-open-app').getAttribute('href')) ?? '';
      expect(mailto.startsWith('mailto:jonas@example.test?subject=')).toBe(true);
      const mailParams = new URLSearchParams(mailto.slice(mailto.indexOf('?') + 1));
      expect(mailParams.get('subject')).toBe(subject);
      expect(mailParams.get('body')).toContain(url);
      await preview.getByTestId('send-copy-text').click();
      await preview.getByTestId('send-text-copied').waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied.startsWith(subject)).toBe(true);
      expect(copied).toContain(url);
      await screenshot(page, `41-email-text-${locale}`);

      await win.getByTestId('sms-send-show-text').click();
      const sms = win.getByTestId('sms-send-preview');
      await sms.waitFor({ timeout: 10_000 });
      const smsHref = (await sms.getByTestId('sms-send-open-app').getAttribute('href')) ?? '';
      expect(smsHref.startsWith('sms:+4915123456789?body=')).toBe(true);
      expect(decodeURIComponent(smsHref.slice(smsHref.indexOf('=') + 1))).toContain(url);
      await screenshot(page, `42-sms-text-${locale}`);

      // R36: WhatsApp too is offered disabled with its hint; its text opens in WhatsApp's click-to-chat
      const whatsapp = win.locator('[data-testid="whatsapp-link-send"][data-configured="false"]');
      await whatsapp.waitFor({ timeout: 10_000 });
      expect(await win.getByTestId('whatsapp-send-link').isDisabled()).toBe(true);
      expect(await win.getByTestId('whatsapp-send-unavailable').textContent()).toContain(HINTS[locale].whatsapp);
      await win.getByTestId('whatsapp-send-show-text').click();
      const wa = win.getByTestId('whatsapp-send-preview');
      await wa.waitFor({ timeout: 10_000 });
      const waHref = (await wa.getByTestId('whatsapp-send-open-app').getAttribute('href')) ?? '';
      expect(waHref.startsWith('https://wa.me/4915123456789?text=')).toBe(true);
      expect(decodeURIComponent(waHref.slice(waHref.indexOf('=') + 1))).toContain(url);
      expect(await wa.getByTestId('whatsapp-send-open-app').getAttribute('target')).toBe('_blank');
      await screenshot(page, `43-whatsapp-text-${locale}`);

      // nothing was refused, so nothing stands between the buttons and the link's state
      expect(await win.locator('.error-note').count()).toBe(0);
      await win.getByTestId('link-state').waitFor();
      const sent = await run.owner.get(`/audit?appointmentId=${appointmentId}&action=link.sent`);
      expect(sent.body.items).toHaveLength(0);
    });
  }
});
