import { describe, expect, it } from 'vitest';
import { connectSandbox, copyLink, payableAppointment } from '../helpers/links.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import { JPEG_3X2, NOT_IMAGES, png, SVG, WEBP_EXTENDED_3X2, WEBP_LOSSY_3X2 } from './images.js';

/** R39: a company's logo, accent colour and contact line on its link page. */
const t = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0' } });

const b64 = (bytes: Buffer) => bytes.toString('base64');

/** What is stored for a company: the row and its audit entries, to prove a refusal wrote nothing. */
async function stored(companyId: string) {
  const row = await t.db
    .selectFrom('company_branding')
    .selectAll()
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  const audit = await t.db
    .selectFrom('audit_log')
    .select('action')
    .where('company_id', '=', companyId)
    .where('action', 'like', 'settings.branding%')
    .execute();
  return { row, audit: audit.map((a) => a.action) };
}

const connected = new Set<string>();

async function linkPage(company: TestCompany) {
  if (!connected.has(company.id)) await connectSandbox(company);
  connected.add(company.id);
  const appointment = await payableAppointment(t, company, { price: 6_100 });
  const link = await copyLink(company, appointment.id);
  const res = await t.app.inject({ method: 'GET', url: `/pay/${link.token}`, headers: { 'accept-language': 'en' } });
  expect(res.statusCode).toBe(200);
  return res;
}

describe('R39 branding settings', () => {
  it('R39 a text file renamed .png is refused naming the field, and nothing is written', async () => {
    const company = await t.newCompany();
    const res = await company.owner.put(`${company.base}/settings/branding/logo`, {
      logo: b64(Buffer.from('just some text, saved as logo.png')),
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', field: 'logo', reason: 'not_an_image' });
    expect(await stored(company.id)).toEqual({ row: undefined, audit: [] });
  });

  it('R39 a file with a valid header but no whole image behind it is refused naming the field, and nothing is written', async () => {
    const company = await t.newCompany();
    for (const [name, bytes] of Object.entries(NOT_IMAGES)) {
      const res = await company.owner.put(`${company.base}/settings/branding/logo`, { logo: b64(bytes) });
      expect(res.status, name).toBe(400);
      expect(res.body.error, name).toMatchObject({ code: 'validation_failed', field: 'logo', reason: 'unreadable' });
    }
    expect(await stored(company.id)).toEqual({ row: undefined, audit: [] });
  });

  it('R39 real JPEG and WebP logos are taken with their pixel size', async () => {
    const company = await t.newCompany();
    for (const [bytes, type, ext] of [
      [JPEG_3X2, 'image/jpeg', 'jpg'],
      [WEBP_LOSSY_3X2, 'image/webp', 'webp'],
      [WEBP_EXTENDED_3X2, 'image/webp', 'webp'],
    ] as const) {
      const res = await company.owner.put(`${company.base}/settings/branding/logo`, { logo: b64(bytes) });
      expect(res.status, res.text).toBe(200);
      expect(res.body.logo).toMatchObject({ type, width: 3, height: 2 });
      expect(res.body.logo.url).toMatch(new RegExp(`\\.${ext}$`));
    }
  });

  it('R39 an SVG is refused, whatever it is called', async () => {
    const company = await t.newCompany();
    const res = await company.owner.put(`${company.base}/settings/branding/logo`, { logo: b64(SVG) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', field: 'logo', reason: 'svg' });
    expect(res.body.error.message).toMatch(/SVG/);
    expect(await stored(company.id)).toEqual({ row: undefined, audit: [] });
  });

  it('R39 a logo over 200 KB is 413 naming the field, both when parsed and when refused while read', async () => {
    const company = await t.newCompany();
    const justOver = png(8, 8, [0, 0, 0], 200 * 1024);
    expect(justOver.length).toBeGreaterThan(200 * 1024);
    const res = await company.owner.put(`${company.base}/settings/branding/logo`, { logo: b64(justOver) });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'payload_too_large', field: 'logo', maxBytes: 204800 });
    // far larger: refused by its length before the body is read
    const huge = await company.owner.put(`${company.base}/settings/branding/logo`, {
      logo: 'A'.repeat(1024 * 1024),
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toMatchObject({ code: 'payload_too_large', field: 'logo' });
    expect(await stored(company.id)).toEqual({ row: undefined, audit: [] });
  });

  it('R39 a logo of too many pixels is refused', async () => {
    const company = await t.newCompany();
    const res = await company.owner.put(`${company.base}/settings/branding/logo`, { logo: b64(png(5000, 1)) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ field: 'logo', reason: 'too_many_pixels' });
    expect(await stored(company.id)).toEqual({ row: undefined, audit: [] });
  });

  it('R39 an accent colour white text cannot be read on is refused with a suggestion that can', async () => {
    const company = await t.newCompany();
    const res = await company.owner.put(`${company.base}/settings/branding`, {
      accentColor: '#FFCC00',
      contactLine: 'never saved',
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', field: 'accentColor', reason: 'low_contrast' });
    expect(res.body.error.ratio).toBeLessThan(4.5);
    expect(res.body.error.suggestion).toMatch(/^#[0-9a-f]{6}$/);
    expect(res.body.error.message).toContain('4.5:1');
    const notHex = await company.owner.put(`${company.base}/settings/branding`, { accentColor: 'blue' });
    expect(notHex.body.error).toMatchObject({ code: 'validation_failed', field: 'accentColor' });
    const twoLines = await company.owner.put(`${company.base}/settings/branding`, { contactLine: 'a\u0007b' });
    expect(twoLines.body.error).toMatchObject({ code: 'validation_failed', field: 'contactLine' });
    expect(await stored(company.id)).toEqual({ row: undefined, audit: [] });
    // the suggestion is taken
    const ok = await company.owner.put(`${company.base}/settings/branding`, { accentColor: res.body.error.suggestion });
    expect(ok.status, ok.text).toBe(200);
  });

  it('R39 the page shows logo, colour and contact; the logo is served by its hash with a long cache', async () => {
    const company = await t.newCompany({ name: 'Salon Aurora' });
    const logo = png(120, 40);
    const set = await company.owner.put(`${company.base}/settings/branding/logo`, { logo: b64(logo) });
    expect(set.status, set.text).toBe(200);
    expect(set.body.logo).toMatchObject({ type: 'image/png', width: 120, height: 40 });
    expect(set.body.logo.url).toMatch(/^\/logos\/[0-9a-f]{64}\.png$/);
    const put = await company.owner.put(`${company.base}/settings/branding`, {
      accentColor: '#0E7490',
      contactLine: '  +49 30 1234567 · Hauptstr. 5 <b>Berlin</b>, info@aurora.test ',
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body).toMatchObject({
      accentColor: '#0e7490',
      contactLine: '+49 30 1234567 · Hauptstr. 5 <b>Berlin</b>, info@aurora.test',
    });
    expect((await stored(company.id)).audit.sort()).toEqual([
      'settings.branding_changed',
      'settings.branding_logo_set',
    ]);

    const page = await linkPage(company);
    const html = page.body;
    expect(html).toContain(`<img class="logo" src="${set.body.logo.url}" alt="" width="120" height="40">`);
    expect(html).toContain('.card .btn{background:#0e7490}');
    expect(html).toContain('+49 30 1234567 · Hauptstr. 5 &lt;b&gt;Berlin&lt;/b&gt;, info&#64;aurora.test');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('@');
    // still strict: images only from our own origin
    expect(page.headers['content-security-policy']).toMatch(/img-src 'self'/);

    const served = await t.app.inject({ method: 'GET', url: set.body.logo.url });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(served.rawPayload.equals(logo)).toBe(true);
    // the logo's answer carries nothing of the company but the image
    expect(served.body).not.toContain(company.id);
    expect(JSON.stringify(served.headers)).not.toContain(company.id);

    // the other extension, a made-up hash, another shape: nothing
    const hash = set.body.logo.url.slice('/logos/'.length, -4);
    for (const url of [`/logos/${hash}.jpg`, `/logos/${'0'.repeat(64)}.png`, `/logos/${company.id}.png`, '/logos/x']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
    }

    // removed: the page loses the logo, the URL answers 404
    const removed = await company.owner.delete(`${company.base}/settings/branding/logo`);
    expect(removed.body.logo).toBeNull();
    expect((await linkPage(company)).body).not.toContain('<img');
    expect((await t.app.inject({ method: 'GET', url: set.body.logo.url })).statusCode).toBe(404);
  });

  it('R39 a branded link page without the logo stays under 30 KB', async () => {
    const company = await t.newCompany({ name: 'A salon with a rather long name, as some have' });
    await company.owner.put(`${company.base}/settings/branding`, {
      accentColor: '#7c2d12',
      contactLine: 'x'.repeat(120),
    });
    const page = await linkPage(company);
    expect(Buffer.byteLength(page.body)).toBeLessThan(30 * 1024);
  });

  it('R39 another company’s branding is not found; a member without finance.settings is refused', async () => {
    const a = await t.newCompany();
    const b = await t.newCompany();
    expect((await a.owner.get(`${b.base}/settings/branding`)).status).toBe(404);
    expect((await a.owner.put(`${b.base}/settings/branding/logo`, { logo: b64(png(4, 4)) })).status).toBe(404);
    const staff = await t.newUser(a.id, 'staff');
    expect((await staff.api.get(`${a.base}/settings/branding`)).status).toBe(403);
    expect((await staff.api.put(`${a.base}/settings/branding`, { contactLine: 'x' })).status).toBe(403);
    expect(await stored(b.id)).toEqual({ row: undefined, audit: [] });
  });
});
