import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { hashLinkToken, newLinkToken } from '../../src/modules/links/domain/link-token.js';
import { SecretBox } from '../../src/shared/encryption.js';
import { newId } from '../../src/shared/ids.js';
import { connectSandbox, copyLink, payableAppointment, pressPay } from '../helpers/links.js';
import { createTestApp, TEST_SECRET_KEY, type TestApp, type TestCompany } from '../helpers/test-app.js';

const t = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0' } });

async function countRows(app: TestApp, table: string, companyId: string): Promise<number> {
  const { rows } = await sql<{
    n: string;
  }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE company_id = ${companyId}`.execute(app.db);
  return Number(rows[0]!.n);
}

async function settingsAudit(company: TestCompany, action = 'settings') {
  const res = await company.owner.get(`${company.base}/audit?action=${action}`);
  expect(res.status, res.text).toBe(200);
  return res.body.items as {
    action: string;
    actor: { type: string; id: string | null };
    details: Record<string, any>;
  }[];
}

async function expectUnavailable(company: TestCompany, appointmentId: string) {
  const copy = await company.owner.post(`${company.base}/appointments/${appointmentId}/payment-link`, {});
  expect(copy.status, copy.text).toBe(422);
  expect(copy.body.error.code).toBe('pay_by_link_unavailable');
  const qr = await company.owner.get(`${company.base}/appointments/${appointmentId}/payment-link/qr.svg`);
  expect(qr.status, qr.text).toBe(422);
  expect(qr.body.error.code).toBe('pay_by_link_unavailable');
}

describe('cashless settings (R1, R27)', () => {
  it('R1 before a provider is connected the settings say unavailable and copy/QR answer 422 pay_by_link_unavailable', async () => {
    const company = await t.newCompany();
    const settings = await company.owner.get(`${company.base}/settings/cashless`);
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({
      provider: null,
      connected: false,
      available: false,
      payByLinkEnabled: false,
      credentialsHint: {},
    });
    expect(settings.body.providers).toContain('sandbox');

    const appt = await payableAppointment(t, company);
    await expectUnavailable(company, appt.id);
    expect(await countRows(t, 'payment_links', company.id)).toBe(0);
  });

  it('R1 with the sandbox connected but the toggle off, copy and QR answer 422 and no link is made', async () => {
    const company = await t.newCompany();
    await connectSandbox(company, { enable: false });
    const settings = await company.owner.get(`${company.base}/settings/cashless`);
    expect(settings.body).toMatchObject({
      provider: 'sandbox',
      connected: true,
      payByLinkEnabled: false,
      available: false,
    });

    const appt = await payableAppointment(t, company);
    await expectUnavailable(company, appt.id);
    expect(await countRows(t, 'payment_links', company.id)).toBe(0);

    const on = await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true });
    expect(on.body).toMatchObject({ payByLinkEnabled: true, available: true });
    expect((await copyLink(company, appt.id)).status).toBe('active');
  });

  it('R1 switching pay-by-link on needs a connected provider; nothing changes or is audited when refused', async () => {
    const company = await t.newCompany();
    const res = await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true });
    expect(res.status, res.text).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'provider_not_connected', field: 'payByLinkEnabled' });
    const settings = await company.owner.get(`${company.base}/settings/cashless`);
    expect(settings.body).toMatchObject({ payByLinkEnabled: false, available: false });
    expect(await settingsAudit(company)).toEqual([]);
  });

  it('R1 connecting the sandbox generates a webhook secret, stored sealed; the API returns only a hint', async () => {
    const company = await t.newCompany();
    const connect = await company.owner.post(`${company.base}/settings/cashless/connect`, {
      provider: 'sandbox',
      credentials: {},
    });
    expect(connect.status, connect.text).toBe(200);
    const secret = (await t.services.cashless.connected(company.id))!.credentials.webhookSecret!;
    expect(secret.length).toBeGreaterThanOrEqual(32);

    const row = await t.db
      .selectFrom('cashless_settings')
      .selectAll()
      .where('company_id', '=', company.id)
      .executeTakeFirstOrThrow();
    expect(row.credentials_sealed).toMatch(/^v1\./);
    expect(row.credentials_sealed).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row.credentials_hint).toEqual({ webhookSecret: `…${secret.slice(-4)}` });

    const enable = await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true });
    const read = await company.owner.get(`${company.base}/settings/cashless`);
    for (const res of [connect, enable, read]) {
      expect(res.text).not.toContain(secret);
      expect(res.body).not.toHaveProperty('credentials');
      expect(res.body.credentialsHint).toEqual({ webhookSecret: `…${secret.slice(-4)}` });
    }
    expect(read.body.webhookUrl).toBe(`http://visitpay.test/webhooks/sandbox/${company.id}`);

    // Reconnecting rotates the secret.
    await company.owner.post(`${company.base}/settings/cashless/connect`, { provider: 'sandbox', credentials: {} });
    const rotated = (await t.services.cashless.connected(company.id))!.credentials.webhookSecret!;
    expect(rotated).not.toBe(secret);
  });

  it('R1 a webhook secret given by the owner is sealed and never echoed back', async () => {
    const company = await t.newCompany();
    const secret = 'owner-chosen-secret-0123456789-abcdef';
    const connect = await company.owner.post(`${company.base}/settings/cashless/connect`, {
      provider: 'sandbox',
      credentials: { webhookSecret: secret },
    });
    expect(connect.status, connect.text).toBe(200);
    expect(connect.text).not.toContain(secret);
    expect(connect.body.credentialsHint).toEqual({ webhookSecret: '…cdef' });
    const row = await t.db
      .selectFrom('cashless_settings')
      .selectAll()
      .where('company_id', '=', company.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secret);
    const audit = await company.owner.get(`${company.base}/audit`);
    expect(audit.text).not.toContain(secret);
    expect((await t.services.cashless.connected(company.id))!.credentials).toEqual({ webhookSecret: secret });
  });

  it('R1 invalid connect requests answer 400 and store nothing', async () => {
    const company = await t.newCompany();
    const cases = [
      { provider: 'paypal', credentials: {} },
      { provider: 'sandbox', credentials: { apiKey: 'x' } },
      { provider: 'sandbox', credentials: { webhookSecret: 'short' } },
      { provider: 'sandbox', credentials: {}, extra: true },
    ];
    for (const body of cases) {
      const res = await company.owner.post(`${company.base}/settings/cashless/connect`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const settings = await company.owner.get(`${company.base}/settings/cashless`);
    expect(settings.body).toMatchObject({ provider: null, connected: false });
    expect(await settingsAudit(company)).toEqual([]);
  });

  it('R1 switched off: the page of an existing link says "currently unavailable" with no Pay form, and Pay creates nothing', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const appt = await payableAppointment(t, company);
    const link = await copyLink(company, appt.id);
    const off = await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: false });
    expect(off.body).toMatchObject({ payByLinkEnabled: false, available: false });

    const page = await t.anonymous.get(`/pay/${link.token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Payments by link are currently unavailable');
    expect(page.text).not.toContain('<form');
    const state = await t.anonymous.get(`/api/v1/pay/${link.token}`);
    expect(state.body).toMatchObject({ state: 'unavailable', unavailableReason: 'switched_off' });

    const pay = await pressPay(t, link.token);
    expect(pay.status).toBe(303);
    expect(pay.location).toBe(`/pay/${link.token}`);
    expect(await countRows(t, 'checkout_attempts', company.id)).toBe(0);
    expect(await countRows(t, 'sandbox_checkouts', company.id)).toBe(0);
    const appointment = await t.db
      .selectFrom('appointments')
      .select('locked_until')
      .where('id', '=', appt.id)
      .executeTakeFirstOrThrow();
    expect(appointment.locked_until).toBeNull();

    // Copy, QR and Pay are refused while off; the link itself survives and works again once on.
    await expectUnavailable(company, appt.id);
    await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true });
    expect((await t.anonymous.get(`/pay/${link.token}`)).text).toContain('<form');
    expect((await copyLink(company, appt.id)).id).toBe(link.id);
  });

  it('R1 switching provider while a client is paying answers 409 and keeps the current provider', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const appt = await payableAppointment(t, company);
    const link = await copyLink(company, appt.id);
    expect((await pressPay(t, link.token)).status).toBe(303);
    // The company is on another adapter now (as if it had connected YooKassa earlier).
    await t.db
      .updateTable('cashless_settings')
      .set({ provider: 'yookassa' })
      .where('company_id', '=', company.id)
      .execute();
    const before = await t.db
      .selectFrom('cashless_settings')
      .selectAll()
      .where('company_id', '=', company.id)
      .executeTakeFirstOrThrow();

    const res = await company.owner.post(`${company.base}/settings/cashless/connect`, {
      provider: 'sandbox',
      credentials: {},
    });
    expect(res.status, res.text).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'conflict', reason: 'attempts_pending' });
    const after = await t.db
      .selectFrom('cashless_settings')
      .selectAll()
      .where('company_id', '=', company.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    expect((await settingsAudit(company)).map((e) => e.action)).toEqual([
      'settings.changed',
      'settings.provider_connected',
    ]);

    // Once the payment has ended, the switch goes through.
    await t.db
      .updateTable('checkout_attempts')
      .set({ status: 'expired', ended_at: t.clock.now() })
      .where('appointment_id', '=', appt.id)
      .execute();
    const again = await company.owner.post(`${company.base}/settings/cashless/connect`, {
      provider: 'sandbox',
      credentials: {},
    });
    expect(again.status, again.text).toBe(200);
    expect(again.body.provider).toBe('sandbox');
    expect((await settingsAudit(company))[0]).toMatchObject({
      action: 'settings.provider_connected',
      details: { provider: 'sandbox', previousProvider: 'yookassa' },
    });
  });

  it("R31 disconnecting is refused 409 provider_work_open while a refund waits for the provider's answer", async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const appt = await payableAppointment(t, company);
    const payment = await t.db
      .insertInto('payments')
      .values({
        id: newId('payment'),
        company_id: company.id,
        appointment_id: appt.id,
        method: 'cash',
        amount: 1_000,
        currency: 'EUR',
        paid_at: t.clock.now(),
        actor_type: 'system',
        actor_id: null,
        created_at: t.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const now = t.clock.now();
    await t.db
      .insertInto('refund_requests')
      .values({
        id: newId('refund'),
        company_id: company.id,
        appointment_id: appt.id,
        payment_id: payment.id,
        amount: 500,
        reason: 'client asked',
        status: 'requested',
        provider_refund_id: null,
        failure: null,
        created_at: now,
        updated_at: now,
        check_at: now,
      })
      .execute();
    const refused = await company.owner.delete(`${company.base}/settings/cashless/connection`);
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'provider_work_open', field: 'provider', waiting: 1 });
    expect(await settingsAudit(company, 'cashless')).toEqual([]);
    await t.db.updateTable('refund_requests').set({ status: 'failed' }).where('payment_id', '=', payment.id).execute();
    expect((await company.owner.delete(`${company.base}/settings/cashless/connection`)).status).toBe(200);
  });

  it('R1 disconnecting is refused 409 attempts_open while a client is paying; afterwards the credentials are wiped and links are unavailable', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const appt = await payableAppointment(t, company);
    const link = await copyLink(company, appt.id);
    expect((await pressPay(t, link.token)).status).toBe(303);
    const row = () =>
      t.db.selectFrom('cashless_settings').selectAll().where('company_id', '=', company.id).executeTakeFirstOrThrow();
    const before = await row();

    const refused = await company.owner.delete(`${company.base}/settings/cashless/connection`);
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'attempts_open', field: 'provider' });
    expect(await row()).toEqual(before);
    expect(await settingsAudit(company, 'cashless')).toEqual([]);

    await t.db
      .updateTable('checkout_attempts')
      .set({ status: 'expired', ended_at: t.clock.now() })
      .where('appointment_id', '=', appt.id)
      .execute();
    const res = await company.owner.delete(`${company.base}/settings/cashless/connection`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      provider: null,
      connected: false,
      available: false,
      payByLinkEnabled: false,
      credentialsHint: {},
      connectedAt: null,
    });
    expect(await row()).toMatchObject({ provider: null, credentials_sealed: null, pay_by_link_enabled: false });
    const [entry] = await settingsAudit(company, 'cashless');
    expect(entry).toMatchObject({
      action: 'cashless.disconnected',
      actor: { type: 'user', id: company.ownerId },
      details: { provider: 'sandbox', payByLinkWasEnabled: true },
    });

    // The link's page says payments by link are unavailable, as for a company that never connected one.
    const page = await t.anonymous.get(`/pay/${link.token}`);
    expect(page.text).toContain('Payments by link are currently unavailable');
    expect(page.text).not.toContain('<form');
    await expectUnavailable(company, appt.id);

    // Nothing left to disconnect: the same answer, nothing audited twice.
    const again = await company.owner.delete(`${company.base}/settings/cashless/connection`);
    expect(again.status, again.text).toBe(200);
    expect(await settingsAudit(company, 'cashless')).toHaveLength(1);
  });

  it('R1 connecting and toggling need finance.settings; a cashless_payment user may only read the settings', async () => {
    const company = await t.newCompany();
    const linkUser = await t.newUser(company.id, 'custom', ['cashless_payment']);
    expect((await linkUser.api.get(`${company.base}/settings/cashless`)).status).toBe(200);
    const connect = await linkUser.api.post(`${company.base}/settings/cashless/connect`, {
      provider: 'sandbox',
      credentials: {},
    });
    expect(connect.status).toBe(403);
    const toggle = await linkUser.api.put(`${company.base}/settings/cashless`, { payByLinkEnabled: false });
    expect(toggle.status).toBe(403);
    const staff = await t.newUser(company.id, 'staff');
    expect((await staff.api.get(`${company.base}/settings/cashless`)).status).toBe(403);
    expect(await countRows(t, 'cashless_settings', company.id)).toBe(0);
  });

  it('R27 connecting a provider and changing the settings are audited with who and before/after', async () => {
    const company = await t.newCompany({ country: 'RU', currency: 'RUB', timezone: 'Europe/Moscow' });
    await connectSandbox(company);
    const fiscal = await company.owner.put(`${company.base}/settings/cashless`, {
      fiscalization: { enabled: true, taxSystem: 'usn_income', delivery: 'email' },
    });
    expect(fiscal.status, fiscal.text).toBe(200);
    expect(fiscal.body.fiscalization).toEqual({ enabled: true, taxSystem: 'usn_income', delivery: 'email' });
    const off = await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: false });
    expect(off.status).toBe(200);

    const entries = await settingsAudit(company);
    expect(entries.map((e) => e.action)).toEqual([
      'settings.changed',
      'settings.changed',
      'settings.changed',
      'settings.provider_connected',
    ]);
    for (const entry of entries) expect(entry.actor).toEqual({ type: 'user', id: company.ownerId, name: 'Test Owner' });
    expect(entries[3]!.details).toEqual({ provider: 'sandbox', previousProvider: null });
    expect(entries[2]!.details).toMatchObject({
      before: { payByLinkEnabled: false },
      after: { payByLinkEnabled: true },
    });
    expect(entries[1]!.details).toMatchObject({
      before: { fiscalization: { enabled: false } },
      after: { fiscalization: { enabled: true, taxSystem: 'usn_income', delivery: 'email' } },
    });
    expect(entries[0]!.details).toMatchObject({
      before: { payByLinkEnabled: true },
      after: { payByLinkEnabled: false },
    });

    const wrongTax = await company.owner.put(`${company.base}/settings/cashless`, {
      fiscalization: { taxSystem: 'standard' },
    });
    expect(wrongTax.status).toBe(422);
    expect(wrongTax.body.error.code).toBe('invalid_tax_system');
    expect(await settingsAudit(company)).toHaveLength(4);
  });
});

describe('the sandbox in production (R1)', async () => {
  // S10: production requires PUBLIC_URL (createTestApp sets SECRET_KEY); the origin every test app has
  const production = { NODE_ENV: 'production', PUBLIC_URL: 'http://visitpay.test', VISITPAY_PUBLIC_RATE_LIMIT: '0' };
  const prod = await createTestApp({ env: production });
  const allowed = await createTestApp({ env: { ...production, VISITPAY_ALLOW_SANDBOX_IN_PRODUCTION: 'true' } });

  it('R1 the sandbox is refused when NODE_ENV=production and not offered', async () => {
    const company = await prod.newCompany();
    const res = await company.owner.post(`${company.base}/settings/cashless/connect`, {
      provider: 'sandbox',
      credentials: {},
    });
    expect(res.status, res.text).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'provider_not_connected', field: 'provider' });
    const settings = await company.owner.get(`${company.base}/settings/cashless`);
    expect(settings.body.providers).not.toContain('sandbox');
    expect(settings.body).toMatchObject({ provider: null, connected: false });
    expect(await countRows(prod, 'cashless_settings', company.id)).toBe(0);
  });

  it('R1 a sandbox connected before the move to production takes no payments: copy refused, page unavailable, Pay creates nothing', async () => {
    const company = await prod.newCompany();
    const secrets = new SecretBox(TEST_SECRET_KEY);
    const now = prod.clock.now();
    await prod.db
      .insertInto('cashless_settings')
      .values({
        company_id: company.id,
        provider: 'sandbox',
        credentials_sealed: secrets.seal(JSON.stringify({ webhookSecret: 'a-sandbox-secret-of-32-characters' })),
        credentials_hint: JSON.stringify({ webhookSecret: '…ters' }),
        pay_by_link_enabled: true,
        fiscalization: JSON.stringify({ enabled: false }),
        sandbox_notifications: JSON.stringify({ mode: 'normal' }),
        connected_at: now,
        updated_at: now,
      })
      .execute();
    const appt = await payableAppointment(prod, company);
    const token = newLinkToken();
    await prod.db
      .insertInto('payment_links')
      .values({
        id: newId('link'),
        company_id: company.id,
        appointment_id: appt.id,
        token_hash: hashLinkToken(token),
        token_sealed: secrets.seal(token),
        status: 'active',
        amount: null,
        created_by: null,
        created_at: now,
      })
      .execute();

    const settings = await company.owner.get(`${company.base}/settings/cashless`);
    expect(settings.body).toMatchObject({ provider: 'sandbox', connected: false, available: false });
    await expectUnavailable(company, appt.id);
    const page = await prod.anonymous.get(`/pay/${token}`);
    expect(page.text).toContain('Payments by link are currently unavailable');
    expect(page.text).not.toContain('<form');
    expect((await pressPay(prod, token)).location).toBe(`/pay/${token}`);
    expect(await countRows(prod, 'checkout_attempts', company.id)).toBe(0);
  });

  it('R1 VISITPAY_ALLOW_SANDBOX_IN_PRODUCTION=true lets production use the sandbox', async () => {
    const company = await allowed.newCompany();
    await connectSandbox(company);
    const settings = await company.owner.get(`${company.base}/settings/cashless`);
    expect(settings.body).toMatchObject({ provider: 'sandbox', connected: true, available: true });
    expect(settings.body.providers).toContain('sandbox');
    const appt = await payableAppointment(allowed, company);
    const link = await copyLink(company, appt.id);
    const pay = await pressPay(allowed, link.token);
    expect(pay.status, pay.body).toBe(303);
    expect(pay.location).toMatch(/\/sandbox\/checkout\/sbx_/);
  });
});

describe('sandbox notification modes', () => {
  it('the sandbox can be told through the settings to delay, duplicate or drop its notifications, and a dropped one is still found', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const base = `${company.base}/settings/cashless`;
    expect((await company.owner.get(base)).body.sandboxNotifications).toEqual({ mode: 'normal' });
    const set = await company.owner.put(base, { sandboxNotifications: { mode: 'delay', delaySeconds: 90 } });
    expect(set.status, set.text).toBe(200);
    expect(set.body.sandboxNotifications).toEqual({ mode: 'delay', delaySeconds: 90 });
    const bad = await company.owner.put(base, { sandboxNotifications: { mode: 'sometimes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toMatch(/^sandboxNotifications/);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('details')
      .where('company_id', '=', company.id)
      .where('action', '=', 'settings.changed')
      .execute();
    expect(audit.some((a) => JSON.stringify(a.details).includes('"delay"'))).toBe(true);

    const plain = await t.newCompany();
    const refused = await plain.owner.put(`${plain.base}/settings/cashless`, {
      sandboxNotifications: { mode: 'drop' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe('sandboxNotifications');
  });
});
