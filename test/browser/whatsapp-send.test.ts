import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { type AdminAppRun, openAdminApp, openAppointment, screenshot } from '../helpers/browser.js';
import { bookVisit, connectSandbox } from '../reliability/process-api.js';
import { startWhatsAppCloudStub } from '../stubs/whatsapp-cloud-stub.js';

/**
 * R36 in the appointment window: "Send by WhatsApp" beside email and SMS on a server whose
 * WhatsApp sender is a local server speaking Meta's Cloud API. Staff see the message first, as
 * the client will read it, then send it; in English and Russian, on a laptop and on a phone.
 */
const TOKEN = 'EAAGbrowserCloudApiToken0123456789';
const PHONE_NUMBER_ID = '106540352242999';
let cloud: Awaited<ReturnType<typeof startWhatsAppCloudStub>>;
let run: AdminAppRun;
let appointmentId = '';

beforeAll(async () => {
  cloud = await startWhatsAppCloudStub({
    token: TOKEN,
    phoneNumberId: PHONE_NUMBER_ID,
    templates: { visitpay_payment_link: { en: 5, ru: 5 } },
  });
  run = await openAdminApp(
    async (owner) => {
      await connectSandbox(owner);
      appointmentId = await bookVisit(owner, { client: { name: 'Jonas Braun', phone: '+49 151 2345 6789' } });
    },
    {
      env: {
        WHATSAPP_TOKEN: TOKEN,
        WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
        VISITPAY_WHATSAPP_API_URL: cloud.url,
        VISITPAY_ALLOW_PRIVATE_WEBHOOKS: 'true',
      },
    },
  );
}, 240_000);

afterAll(async () => {
  await run?.close();
  await cloud?.close();
});

afterEach(() => {
  expect(run.takeProblems(), 'console errors on the screens').toEqual([]);
});

const WORDS = {
  'en-GB': {
    button: 'Send by WhatsApp',
    title: 'WhatsApp message to the client',
    sent: 'The link was sent to +4915123456789.',
    failed:
      'WhatsApp did not take the message. Check that the number uses WhatsApp, try again later, or copy the link instead.',
  },
  'ru-RU': {
    button: 'Отправить в WhatsApp',
    title: 'Сообщение клиенту в WhatsApp',
    sent: 'Ссылка отправлена на +4915123456789.',
    failed:
      'WhatsApp не принял сообщение. Проверьте, что у номера есть WhatsApp, попробуйте позже или скопируйте ссылку.',
  },
} as const;

async function openCheckout(page: Page) {
  const win = await openAppointment(page, run.owner.companyId, appointmentId, 'checkout');
  await win.locator('[data-testid="whatsapp-link-send"][data-configured="true"]').waitFor({ timeout: 10_000 });
  return win;
}

describe('R36 sending the payment link by WhatsApp from the appointment window', () => {
  for (const locale of ['en-GB', 'ru-RU'] as const) {
    it(`R36 previews the message as the client will read it, then sends it; laptop and phone (${locale})`, async () => {
      const page = await run.signedInPage({ locale });
      let win = await openCheckout(page);
      const button = win.getByTestId('whatsapp-send-link');
      expect(await button.textContent()).toBe(WORDS[locale].button);
      expect(await button.isDisabled()).toBe(false);
      // WhatsApp, like SMS, is only offered beside the others: the client has no email, so no email button
      expect(await win.getByTestId('send-link').count()).toBe(0);

      await button.click();
      const preview = win.getByTestId('whatsapp-send-preview');
      await preview.waitFor({ timeout: 10_000 });
      expect(await preview.getAttribute('aria-label')).toBe(WORDS[locale].title);
      const link = await run.owner.get(`/appointments/${appointmentId}/payment-link`);
      const url = link.body.url as string;
      const text = (await preview.getByTestId('whatsapp-send-preview-text').textContent()) ?? '';
      // the company is in Germany: the client reads English whatever language staff use
      expect(text).toMatch(/^Hello, Jonas! .*: your visit on .*, amount due €80\.00\. Pay online: /);
      expect(text).toContain(url);
      expect(await preview.getByTestId('whatsapp-send-preview-to').textContent()).toBe('+4915123456789');
      await expectNoAxeViolations(page, `WhatsApp preview (${locale}, laptop)`);
      await screenshot(page, `r36-whatsapp-preview-${locale}`);

      const before = cloud.messages.length;
      await preview.getByTestId('whatsapp-send-link-confirm').click();
      const sent = win.getByTestId('whatsapp-link-sent');
      await sent.waitFor({ timeout: 10_000 });
      expect(await sent.textContent()).toBe(WORDS[locale].sent);
      expect(cloud.messages.length).toBe(before + 1);
      expect(cloud.messages.at(-1)).toMatchObject({
        to: '+4915123456789',
        template: 'visitpay_payment_link',
        language: 'en',
        params: ['Jonas', expect.any(String), expect.any(String), '€80.00', url],
      });

      // on a phone: the same control, previewed, without a WCAG violation
      await page.setViewportSize({ width: 390, height: 844 });
      win = await openCheckout(page);
      await win.getByTestId('whatsapp-send-link').click();
      await win.getByTestId('whatsapp-send-preview').waitFor({ timeout: 10_000 });
      const box = await win.getByTestId('whatsapp-send-link-confirm').boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
      await expectNoAxeViolations(page, `WhatsApp preview (${locale}, phone)`);
      await screenshot(page, `r36-whatsapp-preview-phone-${locale}`);
      // WhatsApp refuses (a rate limit): staff read why, in their language, and nothing is marked as sent
      cloud.failNext({ status: 429, code: 130429, message: 'Rate limit hit' });
      await win.getByTestId('whatsapp-send-link-confirm').click();
      const refusal = win.locator('[data-testid="whatsapp-send-error"][data-code="whatsapp_send_failed"]');
      await refusal.waitFor({ timeout: 10_000 });
      expect(await refusal.textContent()).toBe(WORDS[locale].failed);
      await expectNoAxeViolations(page, `WhatsApp refusal (${locale}, phone)`);
      // the browser logs the refused request itself, and only that
      const seen = run.takeProblems();
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatch(/status of 502 .*payment-link\/send\)$/);
      await win.getByTestId('whatsapp-send-link-cancel').click();
    });
  }
});
