import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { newLinkToken } from '../../src/modules/links/domain/link-token.js';
import { newClient, newService, newStaffMember } from '../helpers/factories.js';
import { connectSandbox, copyLink, pressPay } from '../helpers/links.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';

const t = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0' } });

const BROWSER =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const PREVIEW_BOTS = [
  'TelegramBot (like TwitterBot)',
  'WhatsApp/2.23.20.0 A',
  'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
];

async function get(url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') {
  const res = await t.app.inject({ method, url, headers: { 'user-agent': BROWSER, ...headers } });
  return { status: res.statusCode, text: res.body, headers: res.headers };
}

async function post(url: string, headers: Record<string, string>, form: Record<string, string> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': BROWSER, ...headers },
    payload: new URLSearchParams(form).toString(),
  });
  return {
    status: res.statusCode,
    text: res.body,
    headers: res.headers,
    location: res.headers.location as string | undefined,
  };
}

/** An appointment with the given lines, made through the API, at an exact time. */
async function appointment(
  company: TestCompany,
  input: {
    startsAt?: string;
    clientName?: string;
    lines?: { title: string; price: number }[];
    taxSystem?: string;
  } = {},
) {
  const client = await newClient(t.db, company.id, {
    name: input.clientName ?? 'Anna Smith',
    phone: '+491701234567',
    email: 'anna.smith@example.test',
  });
  const staff = await newStaffMember(t.db, company.id, { name: 'Maria Petrova' });
  const services = [];
  for (const line of input.lines ?? [{ title: 'Haircut', price: 10_000 }]) {
    const service = await newService(t.db, company.id, {
      title: line.title,
      priceMin: line.price,
      priceMax: line.price,
      ...(input.taxSystem ? { taxSystem: input.taxSystem } : {}),
    });
    services.push({ serviceId: service.id });
  }
  const res = await company.owner.post(`${company.base}/appointments`, {
    clientId: client.id,
    staffId: staff.id,
    startsAt: input.startsAt ?? '2030-03-12T13:30:00Z',
    durationMinutes: 60,
    services,
  });
  expect(res.status, res.text).toBe(201);
  return { id: res.body.id as string, client };
}

async function salon(input: Partial<{ name: string; currency: string; timezone: string; country: string }> = {}) {
  const company = await t.newCompany({ name: 'Studio Aurora', ...input });
  await connectSandbox(company);
  return company;
}

/** Everything a GET could possibly change besides the "opened" mark. */
async function sideEffects(companyId: string, appointmentId: string) {
  const count = async (table: string) => {
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE company_id = ${companyId}`.execute(t.db);
    return Number(rows[0]!.n);
  };
  const appointmentRow = await t.db
    .selectFrom('appointments')
    .select(['locked_until', 'status', 'updated_at'])
    .where('id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  const links = await t.db
    .selectFrom('payment_links')
    .select(['id', 'status', 'amount', 'paid_at', 'disabled_at'])
    .where('appointment_id', '=', appointmentId)
    .execute();
  const attempts = await t.db
    .selectFrom('checkout_attempts')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .execute();
  return {
    attempts: await count('checkout_attempts'),
    audit: await count('audit_log'),
    payments: await count('payments'),
    sandboxCheckouts: await count('sandbox_checkouts'),
    appointment: appointmentRow,
    links,
    attemptRows: attempts,
  };
}

async function openedAt(linkId: string) {
  return (await t.db.selectFrom('payment_links').select('opened_at').where('id', '=', linkId).executeTakeFirstOrThrow())
    .opened_at;
}

describe('unknown links (R6)', () => {
  it('R6 unknown tokens, well-formed or malformed, get byte-identical 404 pages', async () => {
    const company = await salon();
    const appt = await appointment(company);
    const real = await copyLink(company, appt.id);
    const flipped = (real.token[0] === 'A' ? 'B' : 'A') + real.token.slice(1);
    const unknown = [
      newLinkToken(),
      newLinkToken(),
      flipped,
      'abc',
      '!'.repeat(43),
      'x'.repeat(150),
      `${real.token}x`,
      'a/b/c',
      '%D1%82%D0%B5%D1%81%D1%82',
      "'%22%3Cscript%3E",
    ];
    const bodies = new Set<string>();
    for (const token of unknown) {
      for (const res of [
        await get(`/pay/${token}`),
        await get(`/pay/${token}/return`),
        await post(`/pay/${token}`, { 'sec-fetch-site': 'same-origin' }),
      ]) {
        expect(res.status, token).toBe(404);
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.text).not.toContain(token.slice(0, 10));
        bodies.add(res.text);
      }
      const head = await get(`/pay/${token}`, {}, 'HEAD');
      expect(head.status, token).toBe(404);
    }
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).toContain('Link not found');
    expect(await sideEffects(company.id, appt.id)).toMatchObject({ attempts: 0 });
  });

  it('R30 the not-found page speaks the language the browser asks for, the same for every unknown token', async () => {
    const ru = { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' };
    const pages = new Set<string>();
    for (const token of [newLinkToken(), 'abc', 'a/b/c']) {
      for (const res of [await get(`/pay/${token}`, ru), await get(`/pay/${token}/return`, ru)]) {
        expect(res.status, token).toBe(404);
        pages.add(res.text);
      }
    }
    expect(pages.size).toBe(1);
    expect([...pages][0]).toContain('Ссылка не найдена');
    expect([...pages][0]).toContain('<html lang="ru"');
  });

  it('R6 the JSON state of unknown tokens answers the same 404 for every token', async () => {
    const bodies = new Set<string>();
    for (const token of [newLinkToken(), 'abc', 'x'.repeat(150), '!'.repeat(43)]) {
      const res = await get(`/api/v1/pay/${token}`);
      expect(res.status, token).toBe(404);
      const body = JSON.parse(res.text);
      expect(body.error.requestId).toMatch(/^req_/);
      delete body.error.requestId;
      bodies.add(JSON.stringify(body));
    }
    expect([...bodies]).toEqual([JSON.stringify({ error: { code: 'not_found', message: 'link not found' } })]);
  });
});

describe('opening a link is safe (R7)', () => {
  it('R7 GET and HEAD of the page and GET of the JSON state create no attempt, take no lock and write no audit entry', async () => {
    const company = await salon();
    const appt = await appointment(company);
    const link = await copyLink(company, appt.id);
    const before = await sideEffects(company.id, appt.id);

    for (const ua of [BROWSER, ...PREVIEW_BOTS]) {
      expect((await get(`/pay/${link.token}`, { 'user-agent': ua })).status).toBe(200);
      expect((await get(`/pay/${link.token}`, { 'user-agent': ua }, 'HEAD')).status).toBe(200);
      expect((await get(`/api/v1/pay/${link.token}`, { 'user-agent': ua })).status).toBe(200);
      expect((await get(`/pay/${link.token}/return`, { 'user-agent': ua })).status).toBe(200);
    }
    for (let i = 0; i < 10; i++) expect((await get(`/pay/${link.token}`)).status).toBe(200);

    expect(await sideEffects(company.id, appt.id)).toEqual(before);
    expect(before).toMatchObject({ attempts: 0, sandboxCheckouts: 0 });
    expect(before.appointment.locked_until).toBeNull();
  });

  it('R7 messenger previews and HEAD requests do not count as opening; a person opening it does, once', async () => {
    const company = await salon();
    const appt = await appointment(company);
    const link = await copyLink(company, appt.id);
    for (const ua of PREVIEW_BOTS) await get(`/pay/${link.token}`, { 'user-agent': ua });
    await get(`/pay/${link.token}`, {}, 'HEAD');
    await get(`/pay/${link.token}`, { 'user-agent': '' });
    await get(`/api/v1/pay/${link.token}`);
    expect(await openedAt(link.id)).toBeNull();

    await get(`/pay/${link.token}`);
    const first = await openedAt(link.id);
    expect(first).not.toBeNull();
    t.clock.advance(60_000);
    await get(`/pay/${link.token}`);
    expect(await openedAt(link.id)).toEqual(first);
  });

  it('R7 opening a link while an attempt is pending neither extends the lock nor touches the attempt', async () => {
    const company = await salon();
    const appt = await appointment(company);
    const link = await copyLink(company, appt.id);
    expect((await pressPay(t, link.token)).status).toBe(303);
    t.clock.advance(20 * 60_000); // past the 15-minute lock, inside the hour the attempt lives
    const before = await sideEffects(company.id, appt.id);
    for (const ua of [BROWSER, PREVIEW_BOTS[0]!]) {
      const page = await get(`/pay/${link.token}`, { 'user-agent': ua });
      expect(page.text).toContain('Continue payment');
      await get(`/api/v1/pay/${link.token}`, { 'user-agent': ua });
    }
    expect(await sideEffects(company.id, appt.id)).toEqual(before);
    expect(before.attempts).toBe(1);
  });
});

describe('what the page shows (R8)', () => {
  it('R8 company, date and time, staff, items, total, already paid, amount now and the Pay button', async () => {
    const company = await salon();
    const appt = await appointment(company, {
      lines: [
        { title: 'Haircut', price: 6_000 },
        { title: 'Colouring & care', price: 4_000 },
      ],
    });
    const desk = await company.owner.post(`${company.base}/appointments/${appt.id}/payments`, {
      method: 'cash',
      amount: 3_000,
    });
    expect(desk.status).toBe(201);
    const link = await copyLink(company, appt.id);

    const page = await get(`/pay/${link.token}`, { 'accept-language': 'en' });
    expect(page.status).toBe(200);
    const html = page.text;
    expect(html).toContain('Studio Aurora');
    // 13:30 UTC is 14:30 in Berlin
    expect(html).toMatch(/Tue,? 12 March(,| at) 14:30/);
    expect(html).toContain('Maria Petrova');
    expect(html).toContain('Haircut');
    expect(html).toContain('Colouring &amp; care');
    expect(html).toContain('€60.00');
    expect(html).toContain('€40.00');
    expect(html).toMatch(/Total<\/dt><dd>€100\.00/);
    expect(html).toMatch(/Already paid<\/dt><dd>€30\.00/);
    expect(html).toMatch(/To pay now<\/dt><dd>€70\.00/);
    expect(html).toContain(`<form method="post" action="/pay/${link.token}">`);
    expect(html).toContain('<button class="btn" type="submit">Pay €70.00</button>');

    const state = await get(`/api/v1/pay/${link.token}`);
    expect(JSON.parse(state.text)).toMatchObject({
      state: 'payable',
      companyName: 'Studio Aurora',
      staffName: 'Maria Petrova',
      clientFirstName: 'Anna',
      appointmentStartsAt: '2030-03-12T13:30:00.000Z',
      total: 10_000,
      paid: 3_000,
      amountNow: 7_000,
      items: [
        { title: 'Haircut', quantity: 1, total: 6_000 },
        { title: 'Colouring & care', quantity: 1, total: 4_000 },
      ],
    });
  });

  it("R8 the page and the JSON state show the client's first name only: no surname, phone or email", async () => {
    const company = await salon();
    for (const name of ['Anna Smith', 'Anna Maria Smith-Jones', '  Anna   Smith  ']) {
      const appt = await appointment(company, { clientName: name });
      const link = await copyLink(company, appt.id);
      for (const res of [
        await get(`/pay/${link.token}`),
        await get(`/api/v1/pay/${link.token}`),
        await get(`/pay/${link.token}/return`),
      ]) {
        expect(res.status).toBe(200);
        for (const secret of [
          'Smith',
          'Maria Smith',
          '+491701234567',
          '1701234567',
          'anna.smith',
          'example.test',
          '@',
        ]) {
          expect(res.text, `${name}: ${secret}`).not.toContain(secret);
        }
      }
      expect((await get(`/pay/${link.token}`)).text).toContain('Hello, Anna!');
    }
  });
});

describe('the page on a phone (R30)', () => {
  it('R30 plain HTML without script, with the security headers, under 30 KB even with many items', async () => {
    const company = await salon();
    const lines = Array.from({ length: 30 }, (_, i) => ({
      title: `Service number ${i + 1} with a fairly long descriptive title`,
      price: 1_000 + i,
    }));
    const appt = await appointment(company, { lines });
    const link = await copyLink(company, appt.id);
    for (const url of [`/pay/${link.token}`, `/pay/${link.token}/return`, `/pay/${newLinkToken()}`]) {
      const res = await get(url);
      expect(res.text).not.toMatch(/<script|javascript:|\son[a-z]+=/i);
      expect(Buffer.byteLength(res.text)).toBeLessThan(30 * 1024);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-robots-tag']).toMatch(/noindex/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    }
    const page = await get(`/pay/${link.token}`);
    expect(page.text.startsWith('<!doctype html>')).toBe(true);
    expect(page.text).toContain('<meta name="viewport"');
    expect(page.text).toContain('<form method="post"');
    expect(page.headers.vary).toMatch(/Accept-Language/i);
    expect(page.text).not.toMatch(/https?:\/\//);
  });

  it('R30 English or Russian by Accept-Language', async () => {
    const company = await salon();
    const appt = await appointment(company);
    const link = await copyLink(company, appt.id);
    const cases: [string | undefined, 'en' | 'ru'][] = [
      ['ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7', 'ru'],
      ['ru', 'ru'],
      ['en-US,en;q=0.9,ru;q=0.8', 'en'],
      ['de-DE,de;q=0.9', 'en'],
      ['de;q=0.9, ru;q=0.5', 'ru'],
      [undefined, 'en'],
    ];
    for (const [header, locale] of cases) {
      const res = await get(`/pay/${link.token}`, header ? { 'accept-language': header } : {});
      expect(res.text, header).toContain(`<html lang="${locale}">`);
      if (locale === 'ru') {
        expect(res.text).toContain('Оплата визита');
        expect(res.text).toContain('Здравствуйте, Anna!');
        expect(res.text).toContain('Оплатить');
        expect(res.text).toContain('12 марта');
      } else {
        expect(res.text).toContain('Payment for your visit');
        expect(res.text).toContain('Pay €100.00');
      }
    }
  });

  it("R30 money is formatted by Intl in the company's currency: RUB with a comma and ₽ in Russian", async () => {
    const company = await salon({ name: 'Салон Аврора', currency: 'RUB', timezone: 'Europe/Moscow', country: 'RU' });
    const appt = await appointment(company, {
      lines: [{ title: 'Стрижка', price: 150_000 }],
      taxSystem: 'osn',
      startsAt: '2030-03-12T11:00:00Z',
    });
    const link = await copyLink(company, appt.id);
    const ru = await get(`/pay/${link.token}`, { 'accept-language': 'ru' });
    const nbsp = '\u00a0';
    expect(ru.text).toContain(`1${nbsp}500,00${nbsp}₽`);
    expect(ru.text).toContain(`Оплатить 1${nbsp}500,00${nbsp}₽`);
    expect(ru.text).toContain('14:00'); // Moscow time
    expect(ru.text).toContain('Салон Аврора');
    const en = await get(`/pay/${link.token}`, { 'accept-language': 'en' });
    expect(en.text).toContain(`RUB${nbsp}1,500.00`);

    const yen = await salon({ currency: 'JPY', timezone: 'Asia/Tokyo', country: 'JP' });
    const yenAppt = await appointment(yen, { lines: [{ title: 'Cut', price: 4_500 }] });
    const yenLink = await copyLink(yen, yenAppt.id);
    expect((await get(`/pay/${yenLink.token}`, { 'accept-language': 'en' })).text).toMatch(/JP¥4,500<|¥4,500</);
  });

  it('R30 Pay from a foreign Origin or with Sec-Fetch-Site cross-site is refused 403 and writes nothing', async () => {
    const company = await salon();
    const appt = await appointment(company);
    const link = await copyLink(company, appt.id);
    const before = await sideEffects(company.id, appt.id);
    const hostile: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site', origin: 'http://visitpay.test' },
      { origin: 'https://evil.example' },
      { origin: 'http://visitpay.test.evil.example' },
      // `Origin: null` is what our own form sends over plain HTTP (no-referrer): refused over HTTPS only (O6, pay-over-plain-http.test.ts)
    ];
    for (const headers of hostile) {
      const res = await post(`/pay/${link.token}`, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.location).toBeUndefined();
      expect(res.text).not.toContain(link.token);
    }
    expect(await sideEffects(company.id, appt.id)).toEqual(before);

    // Our own page's form: same-origin fetch metadata, or our Origin from an older browser.
    const ours = await post(`/pay/${link.token}`, { origin: 'http://visitpay.test' });
    expect(ours.status, ours.text).toBe(303);
    expect(ours.location).toMatch(/\/sandbox\/checkout\/sbx_/);
    const again = await post(`/pay/${link.token}`, { 'sec-fetch-site': 'same-origin', origin: 'http://visitpay.test' });
    expect(again.location).toBe(ours.location);
    expect((await sideEffects(company.id, appt.id)).attempts).toBe(1);
  });

  it("R30 a Pay form that is not the page's (another content type, an oversized field) gets a page in the client's language with the way back, and writes nothing", async () => {
    const company = await salon();
    const appt = await appointment(company);
    const link = await copyLink(company, appt.id);
    const before = await sideEffects(company.id, appt.id);
    const send = (contentType: string, payload: string, language = 'ru') =>
      t.app.inject({
        method: 'POST',
        url: `/pay/${link.token}`,
        headers: {
          'content-type': contentType,
          'sec-fetch-site': 'same-origin',
          'accept-language': language,
          'user-agent': BROWSER,
        },
        payload,
      });

    const wrongType = await send('application/xml', '<contact>a@b.test</contact>');
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.headers['content-type']).toMatch(/^text\/html/);
    expect(wrongType.body).toContain('Не удалось обработать запрос');
    expect(wrongType.body).toContain(`href="/pay/${link.token}"`);
    expect(wrongType.headers['cache-control']).toBe('no-store');

    const tooLong = await send(
      'application/x-www-form-urlencoded',
      new URLSearchParams({ contact: `${'a'.repeat(300)}@example.test` }).toString(),
      'en',
    );
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.headers['content-type']).toMatch(/^text\/html/);
    expect(tooLong.body).toContain('This request could not be handled');
    expect(tooLong.body).not.toContain('"error"');

    expect(await sideEffects(company.id, appt.id)).toEqual(before);
  });
});

describe('Security: the public link pages are rate limited', () => {
  it("past the per-address limit a link page answers 429 as a page in the client's language, not JSON", async () => {
    const limited = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '3' } });
    try {
      const token = newLinkToken();
      const statuses: number[] = [];
      let refusal: { headers: Record<string, unknown>; body: string } | undefined;
      for (let i = 0; i < 5; i++) {
        const res = await limited.app.inject({
          method: 'GET',
          url: `/pay/${token}`,
          headers: { 'user-agent': BROWSER, 'accept-language': 'ru' },
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) refusal = { headers: res.headers, body: res.body };
      }
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
      expect(refusal!.headers['content-type']).toMatch(/^text\/html/);
      expect(refusal!.body).toContain('Не удалось обработать запрос');
      expect(refusal!.body).toContain(`href="/pay/${token}"`);
    } finally {
      await limited.close();
    }
  });
});
