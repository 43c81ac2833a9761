import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openAdminApp, screenshot, type AdminAppRun } from '../helpers/browser.js';
import { bookVisit, connectSandbox, type OwnerSession } from '../reliability/process-api.js';

/**
 * The client's pages on a phone. The sandbox bank's notifications are dropped, so what the return
 * page says it learnt by asking the bank itself — a decline at once, with the way back to Pay; a
 * payment not finished yet, as "being processed" with "Check again" and no way back to Pay. And a
 * part of the visit paid by link: €20 paid in cash on a €61 visit, then a link for a fixed €30. The
 * link page says which part it is for and where the rest is paid; the bank's page shows one line for
 * the part (not the items scaled down); once paid, the page says the part is paid and what remains.
 */
let run: AdminAppRun;
let owner: OwnerSession;

function phone(locale: string): Promise<Page> {
  return run.newPage({ locale, viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
}

/** A fresh appointment's payment link, as staff would copy it. */
async function newLink(): Promise<string> {
  const appointmentId = await bookVisit(owner, {
    service: { title: 'Men’s haircut', priceMin: 4_100, priceMax: 4_100 },
    client: { name: 'Jonas Braun', phone: '+49 151 2345 6789' },
    durationMinutes: 45,
  });
  const link = await owner.post(`/appointments/${appointmentId}/payment-link`, {});
  expect(link.status, link.text).toBe(200);
  return link.body.url as string;
}

/** €61 visit (Men's haircut €25, Styling €36), €20 of it paid in cash, and a link for a fixed €30. */
async function partlyPaidVisit(): Promise<string> {
  const staff = await owner.post('/staff', { name: 'Maria Weber' });
  const client = await owner.post('/clients', { name: 'Jonas Braun', phone: '+49 151 2345 6789' });
  const services = [];
  for (const [title, price] of [
    ['Men’s haircut', 2_500],
    ['Styling', 3_600],
  ] as const) {
    const service = await owner.post('/services', { title, priceMin: price, priceMax: price });
    services.push({ serviceId: service.body.id });
  }
  const appointment = await owner.post('/appointments', {
    clientId: client.body.id,
    staffId: staff.body.id,
    startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    durationMinutes: 60,
    services,
  });
  expect(appointment.status, appointment.text).toBe(201);
  const cash = await owner.post(`/appointments/${appointment.body.id}/payments`, { method: 'cash', amount: 2_000 });
  expect(cash.status, cash.text).toBe(201);
  const link = await owner.post(`/appointments/${appointment.body.id}/payment-link`, { amount: 3_000 });
  expect(link.status, link.text).toBe(200);
  return link.body.url as string;
}

beforeAll(async () => {
  run = await openAdminApp(async (company) => {
    owner = company;
    await connectSandbox(owner);
    const dropped = await owner.put('/settings/cashless', { sandboxNotifications: { mode: 'drop' } });
    expect(dropped.status, dropped.text).toBe(200);
  });
}, 240_000);

afterAll(async () => {
  await run?.close();
});

afterEach(() => {
  expect(run.takeProblems(), 'console errors on the pages').toEqual([]);
});

const WORDS = {
  'en-GB': {
    failed: 'Payment not completed',
    back: 'Back to payment',
    processing: 'Payment is being processed',
    checkAgain: 'Check again',
  },
  'ru-RU': {
    failed: 'Оплата не завершена',
    back: 'Вернуться к оплате',
    processing: 'Платёж обрабатывается',
    checkAgain: 'Проверить ещё раз',
  },
} as const;

describe('the return page on a phone', () => {
  for (const locale of ['en-GB', 'ru-RU'] as const) {
    const words = WORDS[locale];

    it(`R17 after Decline it says at once that the payment did not go through (${locale})`, async () => {
      const page = await phone(locale);
      await page.goto(await newLink());
      await page.locator('form button.btn').click();
      await page.waitForURL(/\/sandbox\/checkout\//);
      await page.getByRole('button', { name: /decline/i }).click();
      await page.waitForURL(/\/pay\/.+\/return/);
      const status = page.getByRole('status');
      expect(await status.locator('h1').textContent()).toBe(words.failed);
      expect(await page.getByRole('link', { name: words.back }).count()).toBe(1);
      expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
      await screenshot(page, `50-return-declined-${locale}`, true);
    });

    it(`R17 while the bank has no outcome: "being processed", Check again, no way back to Pay (${locale})`, async () => {
      const page = await phone(locale);
      const url = await newLink();
      await page.goto(url);
      await page.locator('form button.btn').click();
      await page.waitForURL(/\/sandbox\/checkout\//);
      // the client leaves the bank's page without paying or declining, and comes back to the return address
      await page.goto(`${url}/return`);
      expect(await page.getByRole('status').locator('h1').textContent()).toBe(words.processing);
      expect(await page.getByRole('link', { name: words.back }).count()).toBe(0);
      const again = page.getByRole('link', { name: words.checkAgain });
      expect(await again.getAttribute('href')).toBe(`${new URL(url).pathname}/return`);
      const box = await again.boundingBox();
      expect(box && box.y + box.height <= 812).toBe(true);
      await screenshot(page, `51-return-processing-${locale}`, true);
    });
  }
});

const PART_WORDS = {
  'en-GB': {
    part: 'This link is for €30.00 of the €61.00 total. The remaining €11.00 is paid at Demo Salon, not by this link.',
    partPaid: 'Your part is paid',
  },
  'ru-RU': {
    part: 'Эта ссылка — на 30,00 € из общей суммы 61,00 €. Остаток 11,00 € оплачивается не по этой ссылке, а на месте (Demo Salon).',
    partPaid: 'Ваша часть оплачена',
  },
} as const;

/** Intl writes narrow and ordinary no-break spaces in money; the page is compared by its words. */
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ');

describe('a part of the visit paid by link, on a phone', () => {
  for (const locale of ['en-GB', 'ru-RU'] as const) {
    it(`R9 the page says the part and where the rest is paid; the bank shows one line for it (${locale})`, async () => {
      const page = await phone(locale);
      const url = await partlyPaidVisit();
      await page.goto(url);
      expect(plain(await page.locator('#fixed-part').textContent())).toBe(PART_WORDS[locale].part);
      await screenshot(page, `60-fixed-link-page-${locale}`, true);

      await page.locator('form button.btn').click();
      await page.waitForURL(/\/sandbox\/checkout\//);
      const rows = await page.locator('table tr').allTextContents();
      expect(rows).toHaveLength(1);
      expect(plain(rows[0]!)).toMatch(/^Payment towards your visit on \d{1,2} [A-Z][a-z]{2} — €30\.00 of €61\.00/);
      await screenshot(page, `61-fixed-link-bank-${locale}`, true);

      await page.getByRole('button', { name: /^pay/i }).click();
      await page.waitForURL(/\/pay\/.+\/return/);
      await page.goto(url);
      const status = page.getByRole('status');
      expect(await status.locator('h2').textContent()).toBe(PART_WORDS[locale].partPaid);
      expect(plain(await status.locator('p').textContent())).toBe(PART_WORDS[locale].part);
      expect(await page.locator('form').count()).toBe(0);
      await screenshot(page, `62-fixed-link-paid-${locale}`, true);
    });
  }
});
