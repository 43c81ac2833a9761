import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { type AdminAppRun, openAdminApp, screenSettled, screenshot } from '../helpers/browser.js';
import { bookVisit, connectSandbox } from '../reliability/process-api.js';

/**
 * Settings → Messages (R37): an owner picks channel, kind and language, edits the text with the
 * placeholder buttons, sees the SMS length live, is told at the field what is wrong, saves,
 * previews with an upcoming appointment and resets to the built-in text — in English and Russian,
 * on a laptop and on a phone.
 */
let run: AdminAppRun;

beforeAll(async () => {
  run = await openAdminApp(async (owner) => {
    await connectSandbox(owner);
    await bookVisit(owner, { client: { name: 'Jonas Braun', email: 'jonas@example.test' } });
  });
}, 240_000);

afterAll(async () => {
  await run?.close();
});

/** The refusals these tests provoke are answers, not problems; anything else is. */
const provoked = (problem: string) => /status of 400 .*\/settings\/messages\/sms\/link\/(en|ru)\)$/.test(problem);

afterEach(() => {
  expect(
    run.takeProblems().filter((p) => !provoked(p)),
    'console errors on the screen',
  ).toEqual([]);
});

async function openScreen(locale: string): Promise<Page> {
  const page = await run.signedInPage({ locale });
  await page.getByTestId('nav-settings-messages').click();
  await page.getByTestId('message-form').waitFor({ timeout: 10_000 });
  await screenSettled(page);
  return page;
}

async function customTemplates(): Promise<{ channel: string; kind: string; locale: string; text: string }[]> {
  const res = await run.owner.get('/settings/messages');
  expect(res.status, res.text).toBe(200);
  return res.body.items.filter((i: { custom: boolean }) => i.custom);
}

const SCREEN = {
  'en-GB': { title: 'Messages', missingLink: 'must contain {link}', unknown: 'Unknown placeholder: {price}' },
  'ru-RU': {
    title: 'Сообщения',
    missingLink: 'должна быть подстановка {link}',
    unknown: 'Неизвестная подстановка: {price}',
  },
} as const;

describe('Settings → Messages', () => {
  for (const locale of ['en-GB', 'ru-RU'] as const) {
    it(`R37 edits, refuses at the field, saves, previews and resets an SMS text (${locale})`, async () => {
      const words = SCREEN[locale];
      const page = await openScreen(locale);
      expect(await page.locator('main h1').textContent()).toBe(words.title);
      const messageLocale = locale === 'en-GB' ? 'en' : 'ru';
      await page.getByTestId('msg-channel').selectOption('sms');
      await page.getByTestId('msg-locale').selectOption(messageLocale);
      const text = page.getByTestId('message-text');
      const counter = page.getByTestId('sms-counter');
      await counter.waitFor();
      expect(await counter.getAttribute('data-encoding')).toBe(messageLocale === 'en' ? 'gsm7' : 'ucs2');

      // no {link}: refused at the field, nothing saved
      await text.fill('Hello {clientFirstName}');
      await page.getByTestId('message-save').click();
      const error = page.getByTestId('msg-text-error');
      await error.waitFor({ timeout: 10_000 });
      expect(await error.textContent()).toContain(words.missingLink);
      expect(await text.getAttribute('aria-invalid')).toBe('true');
      await text.fill('Pay {price} {link}');
      await page.getByTestId('message-save').click();
      await expect.poll(() => error.textContent(), { timeout: 10_000 }).toContain(words.unknown);
      expect(await customTemplates()).toEqual([]);
      await expectNoAxeViolations(page, `messages with a refusal (${locale})`);

      // the placeholder buttons insert at the caret
      const greeting = messageLocale === 'en' ? 'Hi ' : 'Привет, ';
      await text.fill(greeting);
      await page.getByTestId('placeholder-clientFirstName').click();
      await text.press('End');
      await text.pressSequentially(messageLocale === 'en' ? ', pay here: ' : ', оплата: ');
      await page.getByTestId('placeholder-link').click();
      const typed = `${greeting}{clientFirstName}${messageLocale === 'en' ? ', pay here: ' : ', оплата: '}{link}`;
      expect(await text.inputValue()).toBe(typed);
      // with a real link's length: one Latin part; Cyrillic is 70 characters a part, so two
      expect(await counter.getAttribute('data-segments')).toBe(messageLocale === 'en' ? '1' : '2');
      await page.getByTestId('message-save').click();
      await page.getByTestId('message-saved').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('message-state').getAttribute('data-custom')).toBe('true');
      expect(await customTemplates()).toEqual([
        expect.objectContaining({ channel: 'sms', kind: 'link', locale: messageLocale, text: typed }),
      ]);

      // the counter follows the text as it grows past one part
      await text.fill(`${(messageLocale === 'en' ? 'x' : 'я').repeat(160)} {link}`);
      expect(Number(await counter.getAttribute('data-segments'))).toBeGreaterThanOrEqual(
        messageLocale === 'en' ? 2 : 4,
      );
      await text.fill(typed);

      // the preview: the saved-or-typed text with the appointment's client
      await page.getByTestId('preview-show').click();
      const preview = page.getByTestId('preview-text');
      await preview.waitFor({ timeout: 10_000 });
      expect(await preview.textContent()).toMatch(new RegExp(`^${greeting}Jonas, .+/pay/EXAMPLE0+$`));
      await screenshot(page, `50-messages-sms-${locale}`);

      // reset to default: asked once more, then the built-in text is back
      await page.getByTestId('message-reset').click();
      await page.getByTestId('message-reset-confirm').click();
      await expect
        .poll(() => page.getByTestId('message-state').getAttribute('data-custom'), { timeout: 10_000 })
        .toBe('false');
      expect(await text.inputValue()).toContain('{link}');
      expect(await text.inputValue()).not.toBe(typed);
      expect(await customTemplates()).toEqual([]);

      // R36 R37 WhatsApp sends the template registered with it: shown read-only, with the reason, for the reminder too
      await page.getByTestId('msg-channel').selectOption('whatsapp');
      for (const kind of ['link', 'reminder']) {
        await page.getByTestId('msg-kind').selectOption(kind);
        await page.getByTestId('message-whatsapp-note').waitFor();
        expect(await page.getByTestId('message-whatsapp-note').textContent()).toContain('docs/messaging.md');
        expect(await page.getByTestId('message-text').getAttribute('readonly')).not.toBeNull();
        expect(await page.getByTestId('message-text').inputValue()).toContain('{link}');
        expect(await page.getByTestId('message-save').count()).toBe(0);
        expect(await page.getByTestId('message-reset').count()).toBe(0);
        expect(await page.getByTestId('placeholder-chips').count()).toBe(0);
      }
      await expectNoAxeViolations(page, `messages, WhatsApp read-only (${locale})`);
      await page.getByTestId('msg-kind').selectOption('link');

      // email: a subject, the HTML preview; then the phone layout of the same screen
      await page.getByTestId('msg-channel').selectOption('email');
      await page.getByTestId('msg-kind').selectOption('reminder');
      await page.getByTestId('message-subject').waitFor();
      expect(await page.getByTestId('sms-counter').count()).toBe(0);
      await page.getByTestId('preview-show').click();
      await page.getByTestId('preview-html').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('preview-subject').textContent()).toContain(
        messageLocale === 'en' ? 'Reminder' : 'Напоминание',
      );
      await expectNoAxeViolations(page, `messages, email preview (${locale})`);

      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByTestId('message-form').waitFor();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, 'no sideways scrolling on a phone').toBeLessThanOrEqual(0);
      await expectNoAxeViolations(page, `messages on a phone (${locale})`);
      await screenshot(page, `51-messages-phone-${locale}`);
      await page.context().close();
    });
  }
});
