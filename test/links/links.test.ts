import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/shared/ids.js';
import { SecretBox } from '../../src/shared/encryption.js';
import { newService } from '../helpers/factories.js';
import {
  appointmentOf,
  completeSandbox,
  connectSandbox,
  copyLink,
  onlinePayments,
  payableAppointment,
  pressPay,
} from '../helpers/links.js';
import { createTestApp, TEST_SECRET_KEY, type TestCompany } from '../helpers/test-app.js';

const t = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0' } });
await t.listen();

const linkPath = (company: TestCompany, appointmentId: string) =>
  `${company.base}/appointments/${appointmentId}/payment-link`;

async function readyCompany() {
  const company = await t.newCompany();
  await connectSandbox(company);
  return company;
}

async function linksOf(appointmentId: string) {
  return t.db
    .selectFrom('payment_links')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .orderBy('created_at')
    .execute();
}

async function attemptsOf(appointmentId: string) {
  return t.db
    .selectFrom('checkout_attempts')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .orderBy('created_at')
    .execute();
}

async function auditActions(appointmentId: string) {
  const rows = await t.db
    .selectFrom('audit_log')
    .select(['action', 'actor_type', 'actor_id'])
    .where('appointment_id', '=', appointmentId)
    .orderBy('id')
    .execute();
  return rows;
}

/** The client pays the link in full at the sandbox bank and the notification is applied. */
async function payThroughLink(token: string) {
  const pay = await pressPay(t, token);
  expect(pay.status, pay.body).toBe(303);
  await completeSandbox(t, pay.location!);
  await t.jobs.drain();
  return pay.location!;
}

describe('who may use links (R2)', () => {
  it('R2 a user without cashless_payment gets 403 on copy, get, disable, QR and cancel-attempt, and nothing changes', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    const user = await t.newUser(company.id, 'custom', [
      'appointments.read',
      'appointments.write',
      'payments.record',
      'finance.settings',
      'reports.read',
    ]);

    const refusedCopy = await user.api.post(linkPath(company, appt.id), {});
    expect(refusedCopy.status).toBe(403);
    expect(refusedCopy.body.error).toMatchObject({ code: 'forbidden', right: 'cashless_payment' });
    expect(await linksOf(appt.id)).toHaveLength(0);

    const link = await copyLink(company, appt.id);
    expect((await pressPay(t, link.token)).status).toBe(303);
    const before = {
      links: await linksOf(appt.id),
      attempts: await attemptsOf(appt.id),
      audit: await auditActions(appt.id),
    };

    const calls = [
      user.api.post(linkPath(company, appt.id), {}),
      user.api.get(linkPath(company, appt.id)),
      user.api.delete(linkPath(company, appt.id)),
      user.api.get(`${linkPath(company, appt.id)}/qr.svg`),
      user.api.post(`${linkPath(company, appt.id)}/cancel-attempt`, {}),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status, res.text).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(res.text).not.toContain(link.token);
    }
    expect({
      links: await linksOf(appt.id),
      attempts: await attemptsOf(appt.id),
      audit: await auditActions(appt.id),
    }).toEqual(before);
  });

  it('R2 a user with only cashless_payment can copy, read, show the QR, cancel the attempt and disable', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    const user = await t.newUser(company.id, 'custom', ['cashless_payment']);

    const copy = await user.api.post(linkPath(company, appt.id), {});
    expect(copy.status, copy.text).toBe(200);
    expect(copy.body.status).toBe('active');
    const read = await user.api.get(linkPath(company, appt.id));
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(copy.body.id);
    const qr = await user.api.get(`${linkPath(company, appt.id)}/qr.svg`);
    expect(qr.status).toBe(200);

    expect((await pressPay(t, copy.body.token)).status).toBe(303);
    const cancel = await user.api.post(`${linkPath(company, appt.id)}/cancel-attempt`, {});
    expect(cancel.status, cancel.text).toBe(200);
    expect(cancel.body.attempts[0].status).toBe('canceled');

    const disable = await user.api.delete(linkPath(company, appt.id));
    expect(disable.status, disable.text).toBe(200);
    expect(disable.body.status).toBe('disabled');
    const actors = (await auditActions(appt.id)).filter(
      (e) => e.action.startsWith('link.') || e.action === 'attempt.canceled',
    );
    expect(actors.map((e) => [e.action, e.actor_id])).toEqual([
      ['link.created', user.id],
      ['attempt.canceled', user.id],
      ['link.disabled', user.id],
    ]);
  });

  it("R2 another company's appointment answers 404, not 403, and a staff member sees no link controls", async () => {
    const company = await readyCompany();
    const other = await readyCompany();
    const appt = await payableAppointment(t, company);
    await copyLink(company, appt.id);
    const foreign = await other.owner.get(`${other.base}/appointments/${appt.id}/payment-link`);
    expect(foreign.status).toBe(404);
    const foreignCopy = await other.owner.post(`${other.base}/appointments/${appt.id}/payment-link`, {});
    expect(foreignCopy.status).toBe(404);
    const outsider = await other.owner.get(linkPath(company, appt.id));
    expect(outsider.status).toBe(404);
    const staff = await t.newUser(company.id, 'staff');
    expect((await staff.api.get(linkPath(company, appt.id))).status).toBe(403);
  });
});

describe('which appointments get a link (R3)', () => {
  it('R3 no link for a cancelled appointment', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    const cancel = await company.owner.patch(`${company.base}/appointments/${appt.id}`, { status: 'cancelled' });
    expect(cancel.status, cancel.text).toBe(200);
    const res = await company.owner.post(linkPath(company, appt.id), {});
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('appointment_cancelled');
    expect(await linksOf(appt.id)).toHaveLength(0);
  });

  it('R3 no link when nothing is due: paid at the desk, or no items at all', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const desk = await company.owner.post(`${company.base}/appointments/${appt.id}/payments`, {
      method: 'cash',
      amount: 10_000,
    });
    expect(desk.status, desk.text).toBe(201);
    const res = await company.owner.post(linkPath(company, appt.id), {});
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'nothing_due', due: 0 });

    const empty = await company.owner.post(`${company.base}/appointments`, {
      clientId: appt.client.id,
      staffId: appt.staff.id,
      startsAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString(),
      durationMinutes: 30,
    });
    expect(empty.status, empty.text).toBe(201);
    const none = await company.owner.post(linkPath(company, empty.body.id), {});
    expect(none.status).toBe(422);
    expect(none.body.error.code).toBe('nothing_due');
    expect(await linksOf(appt.id)).toHaveLength(0);
    expect(await linksOf(empty.body.id)).toHaveLength(0);
  });

  it('R3 no link for a deleted appointment: 404', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    expect((await company.owner.delete(`${company.base}/appointments/${appt.id}`)).status).toBe(204);
    for (const res of [
      await company.owner.post(linkPath(company, appt.id), {}),
      await company.owner.get(linkPath(company, appt.id)),
      await company.owner.get(`${linkPath(company, appt.id)}/qr.svg`),
    ]) {
      expect(res.status, res.text).toBe(404);
    }
    expect(await linksOf(appt.id)).toHaveLength(0);
  });

  it('R3 a fixed amount above what is due answers 422; a zero or fractional amount 400', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const above = await company.owner.post(linkPath(company, appt.id), { amount: 10_001 });
    expect(above.status).toBe(422);
    expect(above.body.error).toMatchObject({ code: 'amount_exceeds_due', field: 'amount', due: 10_000 });
    for (const amount of [0, -5, 12.5]) {
      const res = await company.owner.post(linkPath(company, appt.id), { amount });
      expect(res.status, String(amount)).toBe(400);
    }
    expect(await linksOf(appt.id)).toHaveLength(0);
    const exact = await copyLink(company, appt.id, 10_000);
    expect(exact.amount).toBe(10_000);
  });

  it('R3 the active link of an appointment cancelled since is not handed out again', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    const link = await copyLink(company, appt.id);
    await company.owner.patch(`${company.base}/appointments/${appt.id}`, { status: 'cancelled' });
    const again = await company.owner.post(linkPath(company, appt.id), {});
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('appointment_cancelled');
    const qr = await company.owner.get(`${linkPath(company, appt.id)}/qr.svg`);
    expect(qr.status).toBe(422);
    expect(qr.body.error.code).toBe('appointment_cancelled');
    const page = await t.anonymous.get(`/pay/${link.token}`);
    expect(page.text).toContain('This appointment was cancelled');
    expect(page.text).not.toContain('<form');
    expect((await pressPay(t, link.token)).location).toBe(`/pay/${link.token}`);
    expect(await attemptsOf(appt.id)).toHaveLength(0);
  });

  it('R3 R5 paid in full at the desk after copying: copy still answers the same link, whose page has nothing to pay', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company, { price: 8_000 });
    const link = await copyLink(company, appt.id);
    await company.owner.post(`${company.base}/appointments/${appt.id}/payments`, { method: 'card', amount: 8_000 });
    expect((await copyLink(company, appt.id)).id).toBe(link.id);
    const page = await t.anonymous.get(`/pay/${link.token}`);
    expect(page.text).toContain('Nothing to pay');
    expect(page.text).not.toContain('<form');
    expect((await pressPay(t, link.token)).location).toBe(`/pay/${link.token}`);
    expect(await attemptsOf(appt.id)).toHaveLength(0);
    // but no new fixed amount can be set on it
    const amount = await company.owner.post(linkPath(company, appt.id), { amount: 1_000 });
    expect(amount.status).toBe(422);
    expect(amount.body.error.code).toBe('nothing_due');
  });
});

describe('one active link per appointment (R5)', () => {
  it('R5 copying twice returns the same URL and id; created once, copied once in the audit', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    const first = await copyLink(company, appt.id);
    const second = await copyLink(company, appt.id);
    expect(second.url).toBe(first.url);
    expect(second.id).toBe(first.id);
    expect(second.token).toBe(first.token);
    const read = await company.owner.get(linkPath(company, appt.id));
    expect(read.body).toMatchObject({ id: first.id, url: first.url, status: 'active', amount: null, collected: 0 });
    const actions = (await auditActions(appt.id)).map((e) => e.action).filter((a) => a.startsWith('link.'));
    expect(actions).toEqual(['link.created', 'link.copied']);
  });

  it('R5 twenty copies at once end in one active link, all answering the same URL', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => company.owner.post(linkPath(company, appt.id), {})),
    );
    for (const res of results) expect(res.status, res.text).toBe(200);
    expect(new Set(results.map((r) => r.body.url)).size).toBe(1);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const rows = await linksOf(appt.id);
    expect(rows).toHaveLength(1);
    const actions = (await auditActions(appt.id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'link.created')).toHaveLength(1);
    expect(actions.filter((a) => a === 'link.copied')).toHaveLength(19);
  });

  it('R5 the database itself refuses a second active link for one appointment', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    const link = await copyLink(company, appt.id);
    const row = (await linksOf(appt.id))[0]!;
    const insert = t.db
      .insertInto('payment_links')
      .values({ ...row, id: newId('link'), token_hash: createHash('sha256').update('another').digest() })
      .execute();
    await expect(insert).rejects.toMatchObject({ code: '23505', constraint: 'payment_links_one_active' });
    expect((await linksOf(appt.id)).map((l) => l.id)).toEqual([link.id]);
  });

  it('R5 links of different appointments are independent', async () => {
    const company = await readyCompany();
    const a = await payableAppointment(t, company, { price: 10_000 });
    const b = await payableAppointment(t, company, { price: 20_000 });
    const linkA = await copyLink(company, a.id);
    const linkB = await copyLink(company, b.id);
    expect(linkA.id).not.toBe(linkB.id);
    expect(linkA.token).not.toBe(linkB.token);

    expect((await company.owner.delete(linkPath(company, a.id))).status).toBe(200);
    expect((await company.owner.get(linkPath(company, b.id))).body.status).toBe('active');
    await payThroughLink(linkB.token);
    expect((await appointmentOf(company, b.id)).due).toBe(0);
    expect((await appointmentOf(company, a.id)).due).toBe(10_000);
    expect(await onlinePayments(t, a.id)).toHaveLength(0);
  });

  it('R5 after disabling, copy makes a new link with a new token; the old one stays dead', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    const old = await copyLink(company, appt.id);
    const disabled = await company.owner.delete(linkPath(company, appt.id));
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id: old.id, status: 'disabled' });
    expect(disabled.body.disabledAt).not.toBeNull();
    const twice = await company.owner.delete(linkPath(company, appt.id));
    expect(twice.status).toBe(404);

    const fresh = await copyLink(company, appt.id);
    expect(fresh.id).not.toBe(old.id);
    expect(fresh.token).not.toBe(old.token);
    expect(fresh.url).not.toBe(old.url);
    expect((await company.owner.get(linkPath(company, appt.id))).body.id).toBe(fresh.id);

    const oldPage = await t.anonymous.get(`/pay/${old.token}`);
    expect(oldPage.text).toContain('This payment link is no longer active');
    expect(oldPage.text).not.toContain('<form');
    expect((await pressPay(t, old.token)).location).toBe(`/pay/${old.token}`);
    expect(await attemptsOf(appt.id)).toHaveLength(0);
  });

  it('R5 copying with a new fixed amount changes the active link, refused while the client is paying', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const link = await copyLink(company, appt.id);
    const changed = await copyLink(company, appt.id, 4_000);
    expect(changed).toMatchObject({ id: link.id, url: link.url, amount: 4_000 });
    expect((await pressPay(t, link.token)).status).toBe(303);
    const busy = await company.owner.post(linkPath(company, appt.id), { amount: 3_000 });
    expect(busy.status).toBe(409);
    expect(busy.body.error).toMatchObject({ code: 'conflict', field: 'amount' });
    expect((await linksOf(appt.id))[0]!.amount).toBe(4_000);
  });

  it('R27 disabling a link while a client is paying cancels the attempt and expires the provider checkout', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    const link = await copyLink(company, appt.id);
    await pressPay(t, link.token);
    const disabled = await company.owner.delete(linkPath(company, appt.id));
    expect(disabled.body.attempts[0]).toMatchObject({ status: 'canceled' });
    const checkouts = await t.db
      .selectFrom('sandbox_checkouts')
      .select('status')
      .where('company_id', '=', company.id)
      .execute();
    expect(checkouts.map((c) => c.status)).toEqual(['expired']);
    expect((await appointmentOf(company, appt.id)).lockedUntil).toBeNull();
    const actions = (await auditActions(appt.id)).map((e) => `${e.action}:${e.actor_type}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'link.created:user',
        'attempt.created:client',
        'attempt.canceled:user',
        'link.disabled:user',
      ]),
    );
  });
});

describe('the token (R6)', () => {
  it('R6 the token has at least 128 random bits, is URL-safe and is not the id', async () => {
    const company = await readyCompany();
    const tokens = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const appt = await payableAppointment(t, company);
      const link = await copyLink(company, appt.id);
      expect(link.token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(link.token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
      expect(link.url).toBe(`http://visitpay.test/pay/${link.token}`);
      expect(link.id).toMatch(/^pl_/);
      expect(link.id).not.toContain(link.token);
      expect(link.token).not.toContain(link.id.slice(3));
      tokens.add(link.token);
    }
    expect(tokens.size).toBe(5);
  });

  it('R6 the database keeps only the SHA-256 of the token and a sealed copy: the row holds no usable token', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    const link = await copyLink(company, appt.id);
    const row = (await linksOf(appt.id))[0]!;
    expect(Buffer.compare(row.token_hash, createHash('sha256').update(link.token).digest())).toBe(0);
    expect(new SecretBox(TEST_SECRET_KEY).open(row.token_sealed)).toBe(link.token);
    const { rows } = await sql<
      Record<string, unknown>
    >`SELECT to_jsonb(l)::text AS dump, encode(token_hash, 'hex') AS hex, encode(token_hash, 'base64') AS b64 FROM payment_links l WHERE id = ${link.id}`.execute(
      t.db,
    );
    const dump = JSON.stringify(rows[0]) + JSON.stringify(row) + row.token_hash.toString('latin1');
    expect(dump).not.toContain(link.token);
    expect(dump).not.toContain(link.token.slice(0, 20));
  });

  it("R6 after a whole payment, no table of the database holds the token, the sandbox bank's included", async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    const link = await copyLink(company, appt.id);
    await t.anonymous.get(`/pay/${link.token}`);
    await payThroughLink(link.token);
    expect((await appointmentOf(company, appt.id)).due).toBe(0);
    const { rows: tables } = await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`.execute(t.db);
    expect(tables.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'payment_links',
        'checkout_attempts',
        'audit_log',
        'payments',
        'webhook_inbox',
        'sandbox_checkouts',
        'sandbox_notifications',
      ]),
    );
    for (const { name } of tables) {
      const { rows } = await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM ${sql.table(name)} x WHERE to_jsonb(x)::text LIKE ${`%${link.token}%`}`.execute(
        t.db,
      );
      expect(Number(rows[0]!.n), name).toBe(0);
    }
  });
});

describe('when a link is paid (R12)', () => {
  it('R12 a link with a fixed amount is paid once it collected that amount, while the appointment still has something due', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const link = await copyLink(company, appt.id, 4_000);
    const checkout = await payThroughLink(link.token);
    expect(checkout).toMatch(/\/sandbox\/checkout\//);
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([4_000]);
    const after = await company.owner.get(linkPath(company, appt.id));
    expect(after.body).toMatchObject({ id: link.id, status: 'paid', amount: 4_000, collected: 4_000 });
    expect(after.body.paidAt).not.toBeNull();
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 6_000, paymentStatus: 'partially_paid' });

    const page = await t.anonymous.get(`/pay/${link.token}`);
    // the link's part is paid, not the visit: the page says what remains and where it is paid
    expect(page.text).toContain('Your part is paid');
    expect(page.text).toContain('The remaining €60.00 is paid at');
    expect(page.text).not.toContain('This visit is paid');
    expect(page.text).not.toContain('<form');
    expect((await pressPay(t, link.token)).location).toBe(`/pay/${link.token}`);
    expect(await attemptsOf(appt.id)).toHaveLength(1);

    // The rest goes through a new link.
    const rest = await copyLink(company, appt.id);
    expect(rest.id).not.toBe(link.id);
    expect(rest.token).not.toBe(link.token);
    await payThroughLink(rest.token);
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([4_000, 6_000]);
    expect((await appointmentOf(company, appt.id)).due).toBe(0);
  });

  it('R12 a link without a fixed amount is paid when the appointment has nothing due (after a desk payment)', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const link = await copyLink(company, appt.id);
    await company.owner.post(`${company.base}/appointments/${appt.id}/payments`, { method: 'cash', amount: 3_000 });
    await payThroughLink(link.token);
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([7_000]);
    const after = await company.owner.get(linkPath(company, appt.id));
    expect(after.body).toMatchObject({ status: 'paid', amount: null, collected: 7_000 });
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 0, paymentStatus: 'paid' });
    const actions = (await auditActions(appt.id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'link.paid')).toHaveLength(1);
  });

  it('R12 after a price rise the paid link stays paid and creates nothing; staff make a new link for the difference', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company, { price: 5_000 });
    const link = await copyLink(company, appt.id);
    await payThroughLink(link.token);
    const paid = await appointmentOf(company, appt.id);
    expect(paid.due).toBe(0);

    const detail = await company.owner.get(`${company.base}/appointments/${appt.id}`);
    const itemId = detail.body.items[0].id as string;
    const raise = await company.owner.patch(`${company.base}/appointments/${appt.id}/items/${itemId}`, {
      price: 8_000,
    });
    expect(raise.status, raise.text).toBe(200);
    expect((await appointmentOf(company, appt.id)).due).toBe(3_000);

    const oldPage = await t.anonymous.get(`/pay/${link.token}`);
    expect(oldPage.text).toContain('This visit is paid');
    expect(oldPage.text).not.toContain('<form');
    expect((await pressPay(t, link.token)).location).toBe(`/pay/${link.token}`);
    expect(await attemptsOf(appt.id)).toHaveLength(1);
    expect((await company.owner.get(linkPath(company, appt.id))).body).toMatchObject({ id: link.id, status: 'paid' });

    const fresh = await copyLink(company, appt.id);
    expect(fresh.id).not.toBe(link.id);
    expect(fresh.status).toBe('active');
    await payThroughLink(fresh.token);
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([5_000, 3_000]);
    expect((await appointmentOf(company, appt.id)).due).toBe(0);
  });
});

describe('QR code and cancelling an attempt', () => {
  it('R2 the QR of the active link is an SVG image; without an active link 404', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    const none = await company.owner.get(`${linkPath(company, appt.id)}/qr.svg`);
    expect(none.status).toBe(404);
    await copyLink(company, appt.id);
    const qr = await company.owner.get(`${linkPath(company, appt.id)}/qr.svg`);
    expect(qr.status).toBe(200);
    expect(qr.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(qr.headers['cache-control']).toBe('no-store');
    expect(qr.text).toContain('<svg');
    expect(qr.text).not.toContain('<script');
  });

  it('R13 cancelling the attempt in progress expires it at the provider and unlocks the appointment; nothing to cancel is 409', async () => {
    const company = await readyCompany();
    const appt = await payableAppointment(t, company);
    const link = await copyLink(company, appt.id);
    const nothing = await company.owner.post(`${linkPath(company, appt.id)}/cancel-attempt`, {});
    expect(nothing.status).toBe(409);
    const pay = await pressPay(t, link.token);
    expect((await appointmentOf(company, appt.id)).lockedUntil).not.toBeNull();

    const cancel = await company.owner.post(`${linkPath(company, appt.id)}/cancel-attempt`, {});
    expect(cancel.status, cancel.text).toBe(200);
    expect(cancel.body).toMatchObject({ status: 'active' });
    expect(cancel.body.attempts[0]).toMatchObject({ status: 'canceled' });
    expect((await appointmentOf(company, appt.id)).lockedUntil).toBeNull();
    // The provider page can no longer be paid.
    await completeSandbox(t, pay.location!);
    await t.jobs.drain();
    expect(await onlinePayments(t, appt.id)).toHaveLength(0);

    // The client may press Pay again: a new attempt.
    const again = await pressPay(t, link.token);
    expect(again.location).not.toBe(pay.location);
    expect((await attemptsOf(appt.id)).map((a) => a.status)).toEqual(['canceled', 'pending']);
  });

  it('R23 a link is refused when the items belong to two taxation systems', async () => {
    const company = await t.newCompany({ country: 'RU', currency: 'RUB', timezone: 'Europe/Moscow' });
    await connectSandbox(company);
    const appt = await payableAppointment(t, company, { taxSystem: 'osn' });
    const other = await newService(t.db, company.id, { title: 'Massage', priceMin: 2_000, taxSystem: 'patent' });
    const add = await company.owner.post(`${company.base}/appointments/${appt.id}/items`, { serviceId: other.id });
    expect(add.status, add.text).toBe(201);
    const res = await company.owner.post(linkPath(company, appt.id), {});
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('mixed_tax_systems');
    expect(await linksOf(appt.id)).toHaveLength(0);
  });
});

describe('products by link (R21, R22)', () => {
  it('R22 products are paid by link only as items of an appointment: no route links a product on its own', async () => {
    const { routeAccessTable } = await import('../../src/http/authenticate.js');
    const linkRoutes = routeAccessTable(t.app).filter((r) => r.url.includes('payment-link'));
    expect(linkRoutes.length).toBeGreaterThan(0);
    expect(
      linkRoutes.every((r) => r.url.startsWith('/api/v1/companies/:companyId/appointments/:id/payment-link')),
    ).toBe(true);

    const company = await t.newCompany();
    await connectSandbox(company);
    const product = await company.owner.post(`${company.base}/products`, {
      title: 'Gift card 50',
      sku: 'GIFT-50-R22',
      kind: 'gift_card',
      price: 5_000,
    });
    expect(product.status, product.text).toBe(201);
    expect((await company.owner.post(`${company.base}/products/${product.body.id}/payment-link`, {})).status).toBe(404);

    // As an item of an appointment the gift card is paid through the same link, with the service.
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const added = await company.owner.post(`${company.base}/appointments/${appt.id}/items`, {
      sku: 'GIFT-50-R22',
      quantity: 1,
    });
    expect(added.status, added.text).toBe(201);
    const link = await copyLink(company, appt.id);
    const pay = await pressPay(t, link.token);
    const checkout = await t.db
      .selectFrom('sandbox_checkouts')
      .selectAll()
      .where('company_id', '=', company.id)
      .executeTakeFirstOrThrow();
    expect(checkout.amount).toBe(15_000);
    expect((checkout.line_items as { title: string }[]).map((l) => l.title)).toContain('Gift card 50');
    await completeSandbox(t, pay.location!);
    await t.jobs.drain();
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([15_000]);
  });
});
