import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { type AdminAppRun, openAdminApp, screenSettled, screenshot } from '../helpers/browser.js';
import { bookVisit, connectSandbox } from '../reliability/process-api.js';
import { startTwilioStub } from '../stubs/twilio-stub.js';

/**
 * R35 in the admin app: Settings → Reminders (switch, times, maximum, quiet hours, refusals at the
 * field) and, in the appointment window's link panel, "Next reminder: … by SMS" with *Stop
 * reminders*; in English and Russian, on a laptop and a phone, each screen checked with axe-core.
 * SMS goes to a local server speaking Twilio's Messages API.
 */
const ACCOUNT = { sid: `AC${'0123456789abcdef'.repeat(2)}`, token: 'twilio-auth-token-0123456789' };
let twilio: Awaited<ReturnType<typeof startTwilioStub>>;
let run: AdminAppRun;
let appointmentId = '';

const VIEWPORTS = [
  { width: 1366, height: 850 },
  { width: 390, height: 844 },
] as const;

const WORDS = {
  'en-GB': {
    next: 'Next reminder:',
    by: 'by SMS',
    saved: 'Saved.',
    hours: 'Give a number of hours between 0.1 and 720.',
    time: 'Give a time as HH:MM, e.g. 21:00.',
  },
  'ru-RU': {
    next: 'Следующее напоминание:',
    by: 'по SMS',
    saved: 'Сохранено.',
    hours: 'Укажите число часов от 0,1 до 720.',
    time: 'Укажите время в виде ЧЧ:ММ, например 21:00.',
  },
} as const;

beforeAll(async () => {
  twilio = await startTwilioStub(ACCOUNT);
  run = await openAdminApp(
    async (owner) => {
      await connectSandbox(owner);
      appointmentId = await bookVisit(owner, {
        client: { name: 'Jonas Braun', phone: '+49 151 2345 6789' },
        startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      });
    },
    {
      env: {
        TWILIO_ACCOUNT_SID: ACCOUNT.sid,
        TWILIO_AUTH_TOKEN: ACCOUNT.token,
        TWILIO_FROM: '+15005550006',
        VISITPAY_TWILIO_API_URL: twilio.url,
      },
    },
  );
}, 240_000);

afterAll(async () => {
  await run?.close();
  await twilio?.close();
});

afterEach(() => {
  expect(run.takeProblems(), 'console errors on the screens').toEqual([]);
});

async function fitsTheScreen(page: Page, what: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `${what}: ${scrollWidth} px wide in ${clientWidth} px`).toBeLessThanOrEqual(clientWidth);
}

describe('R35 reminders in the admin app', () => {
  for (const locale of ['en-GB', 'ru-RU'] as const) {
    it(`R35 Settings → Reminders turns them on, refuses bad input at the field, and the window shows and stops the next reminder (${locale})`, async () => {
      const words = WORDS[locale];
      const page = await run.signedInPage({ locale });
      for (const viewport of VIEWPORTS) {
        const size = `${viewport.width}x${viewport.height}`;
        await page.setViewportSize(viewport);
        // Settings → Reminders
        await page.goto(`/c/${run.owner.companyId}/settings/reminders`);
        await screenSettled(page);
        const form = page.getByTestId('reminder-settings');
        await form.waitFor();
        expect(await page.getByTestId('reminder-time').count()).toBe(2);
        if (!(await page.getByTestId('reminders-enabled').isChecked()))
          await page.getByTestId('reminders-enabled').check();
        await page.getByTestId('reminder-hours-0').fill('0');
        await page.getByTestId('reminders-save').click();
        expect(await page.getByTestId('reminders-error').textContent()).toBe(words.hours);
        await page.getByTestId('reminder-hours-0').fill('24');
        await page.getByTestId('reminders-quiet-from').fill('7pm');
        await page.getByTestId('reminders-save').click();
        expect(await page.getByTestId('reminders-error').textContent()).toBe(words.time);
        await page.getByTestId('reminders-quiet-from').fill('21:00');
        await page.getByTestId('reminders-save').click();
        await expect.poll(() => page.getByTestId('reminders-saved').textContent()).toBe(words.saved);
        const saved = await run.owner.get('/settings/reminders');
        expect(saved.body).toMatchObject({ enabled: true, quietHours: { from: '21:00', to: '09:00' } });
        await fitsTheScreen(page, `Settings → Reminders ${size}`);
        await expectNoAxeViolations(page, `Settings → Reminders (${locale}, ${size})`);
        await screenshot(page, `r35-settings-${locale}-${size}`);

        // The link is sent by SMS: its reminders are planned, and the window shows the next one
        const sent = await run.owner.post(`/appointments/${appointmentId}/payment-link/send`, { channel: 'sms' });
        expect(sent.status, sent.text).toBe(200);
        await page.goto(`/c/${run.owner.companyId}/calendar?appointment=${appointmentId}`);
        const win = page.getByTestId('appointment-window');
        await win.getByTestId('tab-checkout').click();
        const next = win.getByTestId('next-reminder');
        await next.waitFor({ timeout: 10_000 });
        const text = (await next.textContent()) ?? '';
        expect(text.startsWith(words.next), text).toBe(true);
        expect(text).toContain(words.by);
        await fitsTheScreen(page, `link panel ${size}`);
        await expectNoAxeViolations(page, `link panel with reminders (${locale}, ${size})`);
        await screenshot(page, `r35-next-reminder-${locale}-${size}`);

        await win.getByTestId('stop-reminders').click();
        await expect.poll(() => win.getByTestId('link-reminders').count(), { timeout: 10_000 }).toBe(0);
        const view = await run.owner.get(`/appointments/${appointmentId}`);
        expect(view.body.linkReminders).toEqual({ nextAt: null, nextChannel: null, sent: 0 });
        const stopped = await run.owner.get(`/audit?appointmentId=${appointmentId}&action=link.reminders_stopped`);
        expect(stopped.body.items.length).toBeGreaterThan(0);
      }
    }, 120_000);
  }
});
