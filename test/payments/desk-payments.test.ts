import { describe, expect, it } from 'vitest';
import { newClient, newService, newStaffMember } from '../helpers/factories.js';
import { createTestApp } from '../helpers/test-app.js';
import { newId } from '../../src/shared/ids.js';

const t = await createTestApp();

const DESK_METHODS = [
  'cash',
  'card',
  'bank_transfer',
  'loyalty_points',
  'cashback',
  'gift_card',
  'membership',
  'deposit',
];

/** A company with one appointment of one service at `price` (minor units). */
async function salon(price = 10_000) {
  const company = await t.newCompany();
  const client = await newClient(t.db, company.id);
  const staff = await newStaffMember(t.db, company.id);
  const service = await newService(t.db, company.id, { priceMin: price, priceMax: price });
  const appointment = await bookFor(company, client.id, staff.id, service.id);
  const url = `${company.base}/appointments/${appointment.id}`;
  return { ...company, client, staff, service, appointment, url, payments: `${url}/payments` };
}

async function bookFor(
  company: { owner: Awaited<ReturnType<typeof t.newCompany>>['owner']; base: string },
  clientId: string,
  staffId: string,
  serviceId: string,
) {
  const res = await company.owner.post(`${company.base}/appointments`, {
    clientId,
    staffId,
    startsAt: '2026-03-10T10:00:00Z',
    durationMinutes: 60,
    services: [{ serviceId }],
  });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

async function paymentRows(appointmentId: string) {
  return t.db
    .selectFrom('payments')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .orderBy('created_at')
    .execute();
}

async function lock(appointmentId: string) {
  const until = new Date(t.clock.now().getTime() + 15 * 60_000);
  await t.db.updateTable('appointments').set({ locked_until: until }).where('id', '=', appointmentId).execute();
  return until.toISOString();
}

describe('desk payments', () => {
  it('R15 takes a partial payment by several methods, then the rest: unpaid → partially_paid → paid', async () => {
    const s = await salon(10_000);
    expect((await s.owner.get(s.url)).body.paymentStatus).toBe('unpaid');

    const cash = await s.owner.post(s.payments, { method: 'cash', amount: 2_000 });
    expect(cash.status).toBe(201);
    expect(cash.body).toMatchObject({
      appointmentId: s.appointment.id,
      method: 'cash',
      amount: 2_000,
      amountFormatted: '€20.00',
      currency: 'EUR',
      voided: false,
      refundOf: null,
      recordedBy: { type: 'user', id: s.ownerId, name: 'Test Owner' },
    });
    expect(cash.body.paidAt).toBe(t.clock.now().toISOString());
    await s.owner.post(s.payments, { method: 'loyalty_points', amount: 1_500 });
    const partial = (await s.owner.get(s.url)).body;
    expect(partial).toMatchObject({
      total: 10_000,
      paid: 3_500,
      due: 6_500,
      paymentStatus: 'partially_paid',
      paidFormatted: '€35.00',
    });

    await s.owner.post(s.payments, { method: 'gift_card', amount: 6_500 });
    const paid = (await s.owner.get(s.url)).body;
    expect(paid).toMatchObject({ paid: 10_000, due: 0, paymentStatus: 'paid', dueFormatted: '€0.00' });
    expect(paid.payments.map((p: { method: string }) => p.method)).toEqual(['cash', 'loyalty_points', 'gift_card']);

    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('appointment_id', '=', s.appointment.id)
      .where('action', '=', 'payment.recorded')
      .orderBy('id')
      .execute();
    expect(audit.map((e) => [e.amount_before, e.amount_after])).toEqual([
      [10_000, 8_000],
      [8_000, 6_500],
      [6_500, 0],
    ]);
    expect(audit[0]!.details).toEqual({ method: 'cash', amount: 2_000 });
  });

  it('accepts every desk method of the glossary and refuses online', async () => {
    const s = await salon(10_000);
    for (const method of DESK_METHODS) {
      const res = await s.owner.post(s.payments, { method, amount: 100 });
      expect(res.status, method).toBe(201);
      expect(res.body.method).toBe(method);
    }
    const online = await s.owner.post(s.payments, { method: 'online', amount: 100 });
    expect(online.status).toBe(400);
    expect(online.body.error.field).toBe('method');
    expect((await s.owner.get(s.url)).body).toMatchObject({ paid: 800, due: 9_200 });
  });

  it('refuses an amount above the due (422 amount_exceeds_due), when nothing is due (422 nothing_due), and non-positive amounts (400)', async () => {
    const s = await salon(5_000);
    const over = await s.owner.post(s.payments, { method: 'card', amount: 5_001 });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'amount_exceeds_due', field: 'amount', amount: 5_001, due: 5_000 });
    for (const amount of [0, -100, 10.5]) {
      const res = await s.owner.post(s.payments, { method: 'card', amount });
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe('amount');
    }
    expect((await s.owner.post(s.payments, { method: 'card', amount: 5_000 })).status).toBe(201);
    const nothing = await s.owner.post(s.payments, { method: 'cash', amount: 1 });
    expect(nothing.status).toBe(422);
    expect(nothing.body.error).toMatchObject({ code: 'nothing_due', due: 0 });
    expect(await paymentRows(s.appointment.id)).toHaveLength(1);
  });

  it('voids a desk payment: it stays listed as voided, stops counting, and cannot be voided twice', async () => {
    const s = await salon(10_000);
    const first = await s.owner.post(s.payments, { method: 'cash', amount: 4_000 });
    await s.owner.post(s.payments, { method: 'card', amount: 1_000 });
    const voided = await s.owner.delete(`${s.payments}/${first.body.id}`);
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({
      id: first.body.id,
      voided: true,
      voidedAt: t.clock.now().toISOString(),
      amount: 4_000,
    });
    const after = (await s.owner.get(s.url)).body;
    expect(after).toMatchObject({ paid: 1_000, due: 9_000, paymentStatus: 'partially_paid' });
    expect(after.payments).toHaveLength(2);
    const row = (await paymentRows(s.appointment.id)).find((p) => p.id === first.body.id)!;
    expect(row.voided_by).toBe(s.ownerId);

    const again = await s.owner.delete(`${s.payments}/${first.body.id}`);
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('payment_already_voided');
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', first.body.id)
      .where('action', '=', 'payment.voided')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ amount_before: 5_000, amount_after: 9_000 });
    expect(audit[0]!.details).toEqual({ method: 'cash', amount: 4_000 });
  });

  it('refuses to void an online payment or a refund with 422 payment_not_voidable', async () => {
    const s = await salon(10_000);
    const base = {
      company_id: s.id,
      appointment_id: s.appointment.id,
      currency: 'EUR',
      paid_at: t.clock.now(),
      created_at: t.clock.now(),
      idempotency_key: null,
      request_hash: null,
      voided_at: null,
      voided_by: null,
    };
    const online = newId('payment');
    const refund = newId('payment');
    await t.db
      .insertInto('payments')
      .values({
        ...base,
        id: online,
        method: 'online',
        amount: 3_000,
        actor_type: 'provider',
        actor_id: 'sandbox',
        refund_of: null,
      })
      .execute();
    await t.db
      .insertInto('payments')
      .values({
        ...base,
        id: refund,
        method: 'online',
        amount: -1_000,
        actor_type: 'provider',
        actor_id: 'sandbox',
        refund_of: online,
      })
      .execute();
    for (const id of [online, refund]) {
      const res = await s.owner.delete(`${s.payments}/${id}`);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('payment_not_voidable');
    }
    expect((await s.owner.get(s.url)).body).toMatchObject({ paid: 2_000, due: 8_000 });
  });

  it('honours Idempotency-Key: a retry answers the first result and writes nothing; another body is 409', async () => {
    const s = await salon(10_000);
    const key = { 'idempotency-key': 'desk-7f3a' };
    const first = await s.owner.post(s.payments, { method: 'cash', amount: 2_500 }, key);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    t.clock.advance(60_000);
    const retry = await s.owner.post(s.payments, { method: 'cash', amount: 2_500 }, key);
    expect(retry.status).toBe(201);
    expect(retry.text).toBe(first.text);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await paymentRows(s.appointment.id)).toHaveLength(1);

    const different = await s.owner.post(s.payments, { method: 'cash', amount: 2_000 }, key);
    expect(different.status).toBe(409);
    expect(different.body.error.code).toBe('idempotency_key_reused');
    const otherAppointment = await bookFor(s, s.client.id, s.staff.id, s.service.id);
    const elsewhere = await s.owner.post(
      `${s.base}/appointments/${otherAppointment.id}/payments`,
      { method: 'cash', amount: 2_500 },
      key,
    );
    expect(elsewhere.status).toBe(409);
    expect(await paymentRows(s.appointment.id)).toHaveLength(1);
    expect(await paymentRows(otherAppointment.id)).toHaveLength(0);
    expect((await s.owner.get(s.url)).body.paid).toBe(2_500);
    const recorded = await t.db
      .selectFrom('audit_log')
      .select('id')
      .where('appointment_id', '=', s.appointment.id)
      .where('action', '=', 'payment.recorded')
      .execute();
    expect(recorded).toHaveLength(1);
  });

  it('answers concurrent retries with one Idempotency-Key with one payment', async () => {
    const s = await salon(10_000);
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        s.owner.post(s.payments, { method: 'card', amount: 3_000 }, { 'idempotency-key': 'double-click' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await paymentRows(s.appointment.id)).toHaveLength(1);
  });

  it('R13 refuses payments and voids on a locked appointment with 409 and lockedUntil', async () => {
    const s = await salon(10_000);
    const taken = await s.owner.post(s.payments, { method: 'cash', amount: 1_000 });
    const until = await lock(s.appointment.id);
    for (const res of [
      await s.owner.post(s.payments, { method: 'card', amount: 1_000 }),
      await s.owner.delete(`${s.payments}/${taken.body.id}`),
    ]) {
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'appointment_locked', lockedUntil: until });
    }
    expect((await s.owner.get(s.url)).body).toMatchObject({ paid: 1_000, lockedUntil: until });
  });

  it('needs payments.record (403 for the staff role and for a writer without it) and 404s other companies’ ids', async () => {
    const s = await salon(10_000);
    const other = await salon(10_000);
    const staff = await t.newUser(s.id, 'staff');
    const writer = await t.newUser(s.id, 'custom', ['appointments.read', 'appointments.write']);
    const taken = await s.owner.post(s.payments, { method: 'cash', amount: 1_000 });
    for (const api of [staff.api, writer.api]) {
      const res = await api.post(s.payments, { method: 'cash', amount: 1_000 });
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'forbidden', right: 'payments.record' });
      expect((await api.delete(`${s.payments}/${taken.body.id}`)).status).toBe(403);
    }
    for (const res of [
      await other.owner.post(`${other.base}/appointments/${s.appointment.id}/payments`, {
        method: 'cash',
        amount: 1_000,
      }),
      await other.owner.delete(`${other.base}/appointments/${s.appointment.id}/payments/${taken.body.id}`),
      await other.owner.delete(`${other.payments}/${taken.body.id}`),
      await other.owner.post(`${s.payments}`, { method: 'cash', amount: 1_000 }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await s.owner.get(s.url)).body.paid).toBe(1_000);
  });

  it('takes 20 concurrent payments of 10.00 on 100.00 due: exactly 10 succeed, the rest 422 nothing_due, no lost update', async () => {
    const s = await salon(10_000);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => s.owner.post(s.payments, { method: 'cash', amount: 1_000 })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((c) => c === 201)).toHaveLength(10);
    expect(statuses.filter((c) => c === 422)).toHaveLength(10);
    // Payments queue on the row lock, so every refused one ran after the tenth had left nothing due.
    for (const r of results.filter((x) => x.status === 422))
      expect(r.body.error).toMatchObject({ code: 'nothing_due', due: 0 });

    const after = (await s.owner.get(s.url)).body;
    expect(after).toMatchObject({ paid: 10_000, due: 0, paymentStatus: 'paid' });
    const rows = await paymentRows(s.appointment.id);
    expect(rows).toHaveLength(10);
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('appointment_id', '=', s.appointment.id)
      .where('action', '=', 'payment.recorded')
      .orderBy('id')
      .execute();
    // Each payment saw the due its predecessor left: 100.00 → 90.00 → … → 0.
    expect(audit.map((e) => e.amount_before)).toEqual(Array.from({ length: 10 }, (_, i) => 10_000 - i * 1_000));
    expect(audit.map((e) => e.amount_after)).toEqual(Array.from({ length: 10 }, (_, i) => 9_000 - i * 1_000));
  });

  it('refuses concurrent payments that would overshoot with 422 amount_exceeds_due naming the due left', async () => {
    const s = await salon(10_000);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => s.owner.post(s.payments, { method: 'card', amount: 1_500 })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(6);
    const refused = results.filter((r) => r.status === 422);
    expect(refused).toHaveLength(14);
    for (const r of refused)
      expect(r.body.error).toMatchObject({ code: 'amount_exceeds_due', amount: 1_500, due: 1_000 });
    expect((await s.owner.get(s.url)).body).toMatchObject({ paid: 9_000, due: 1_000, paymentStatus: 'partially_paid' });
  });
});
