import { describe, expect, it } from 'vitest';
import { newClient, newService, newStaffMember } from '../helpers/factories.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';

const t = await createTestApp();

async function salon(input: { timezone?: string } = {}) {
  const company = await t.newCompany(input);
  const client = await newClient(t.db, company.id);
  const staff = await newStaffMember(t.db, company.id);
  const haircut = await newService(t.db, company.id, {
    title: 'Haircut',
    priceMin: 5_000,
    priceMax: 10_000,
    vat: 'vat20',
  });
  const color = await newService(t.db, company.id, { title: 'Color', priceMin: 3_000, priceMax: 3_000 });
  return { ...company, client, staff, haircut, color };
}
type Salon = Awaited<ReturnType<typeof salon>>;

async function book(s: Salon, body: Record<string, unknown> = {}) {
  const res = await s.owner.post(`${s.base}/appointments`, {
    clientId: s.client.id,
    staffId: s.staff.id,
    startsAt: '2026-03-10T10:00:00.000Z',
    durationMinutes: 60,
    services: [{ serviceId: s.haircut.id }],
    ...body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function lock(appointmentId: string, minutes = 15) {
  const until = new Date(t.clock.now().getTime() + minutes * 60_000);
  await t.db.updateTable('appointments').set({ locked_until: until }).where('id', '=', appointmentId).execute();
  return until.toISOString();
}

async function auditOf(appointmentId: string) {
  return t.db.selectFrom('audit_log').selectAll().where('appointment_id', '=', appointmentId).orderBy('id').execute();
}

const pay = (s: TestCompany, id: string, amount: number) =>
  s.owner.post(`${s.base}/appointments/${id}/payments`, { method: 'cash', amount });

describe('appointments', () => {
  it('creates an appointment with services priced at the bottom of their range by default, with derived totals', async () => {
    const s = await salon();
    const a = await book(s, {
      services: [{ serviceId: s.haircut.id }, { serviceId: s.color.id }],
      comment: 'first visit',
      externalId: 'ext-1',
    });
    expect(a).toMatchObject({
      client: { id: s.client.id, name: 'Anna Smith' },
      staff: { id: s.staff.id, name: 'Maria' },
      startsAt: '2026-03-10T10:00:00.000Z',
      durationMinutes: 60,
      status: 'booked',
      comment: 'first visit',
      externalId: 'ext-1',
      currency: 'EUR',
      total: 8_000,
      paid: 0,
      due: 8_000,
      paymentStatus: 'unpaid',
      lockedUntil: null,
      payments: [],
    });
    expect(a.id).toMatch(/^appt_/);
    expect(a.totalFormatted).toBe('€80.00');
    expect(a.dueFormatted).toBe('€80.00');
    expect(a.items).toHaveLength(2);
    expect(a.items[0]).toMatchObject({
      kind: 'service',
      serviceId: s.haircut.id,
      title: 'Haircut',
      unitPrice: 5_000,
      quantity: 1,
      total: 5_000,
      totalFormatted: '€50.00',
      vat: 'vat20',
      taxSystem: 'standard',
      priceMin: 5_000,
      priceMax: 10_000,
    });
    expect((await s.owner.get(`${s.base}/appointments/${a.id}`)).body).toEqual({
      ...a,
      paymentLink: null,
      refunds: [],
      settlementReceipts: [],
      linkReminders: null,
    });

    const audit = await auditOf(a.id);
    expect(audit.map((e) => e.action)).toEqual(['appointment.created']);
    expect(audit[0]).toMatchObject({ actor_type: 'user', actor_id: s.ownerId, amount_after: 8_000 });
  });

  it('R16 takes a chosen price within the range and refuses one outside it with 422 price_out_of_range naming the field', async () => {
    const s = await salon();
    const a = await book(s, { services: [{ serviceId: s.color.id }, { serviceId: s.haircut.id, price: 7_500 }] });
    expect(a.total).toBe(10_500);
    const res = await s.owner.post(`${s.base}/appointments`, {
      clientId: s.client.id,
      staffId: s.staff.id,
      startsAt: '2026-03-10T10:00:00Z',
      durationMinutes: 30,
      services: [{ serviceId: s.color.id }, { serviceId: s.haircut.id, price: 10_001 }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'price_out_of_range',
      field: 'services.1.price',
      priceMin: 5_000,
      priceMax: 10_000,
    });
    const count = await t.db
      .selectFrom('appointments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('company_id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it('validates the body and refuses client, staff and service ids of another company with 404', async () => {
    const s = await salon();
    const other = await salon();
    const base = { clientId: s.client.id, staffId: s.staff.id, startsAt: '2026-03-10T10:00:00Z', durationMinutes: 30 };
    const url = `${s.base}/appointments`;
    expect((await s.owner.post(url, { ...base, durationMinutes: 0 })).body.error).toMatchObject({
      code: 'validation_failed',
      field: 'durationMinutes',
    });
    expect((await s.owner.post(url, { ...base, startsAt: 'tomorrow' })).body.error).toMatchObject({
      field: 'startsAt',
    });
    expect((await s.owner.post(url, { ...base, paid: true })).body.error).toMatchObject({
      code: 'validation_failed',
      field: 'paid',
    });
    const foreignClient = await s.owner.post(url, { ...base, clientId: other.client.id });
    expect(foreignClient.status).toBe(404);
    expect(foreignClient.body.error.field).toBe('clientId');
    expect((await s.owner.post(url, { ...base, staffId: other.staff.id })).body.error.field).toBe('staffId');
    const foreignService = await s.owner.post(url, { ...base, services: [{ serviceId: other.haircut.id }] });
    expect(foreignService.status).toBe(404);
    expect(foreignService.body.error.field).toBe('services.0.serviceId');
  });

  it('refuses a second appointment with the same externalId with 409', async () => {
    const s = await salon();
    await book(s, { externalId: 'booking-42' });
    const res = await s.owner.post(`${s.base}/appointments`, {
      clientId: s.client.id,
      staffId: s.staff.id,
      startsAt: '2026-03-11T10:00:00Z',
      durationMinutes: 30,
      externalId: 'booking-42',
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'conflict', field: 'externalId' });
  });

  it('lists by days of the company time zone and by instants, keyset paged by start', async () => {
    const s = await salon({ timezone: 'Europe/Berlin' });
    // 23:30Z on 10 March is 00:30 on 11 March in Berlin.
    const late = await book(s, { startsAt: '2026-03-10T23:30:00Z' });
    const morning = await book(s, { startsAt: '2026-03-11T08:00:00Z' });
    const noon = await book(s, { startsAt: '2026-03-11T11:00:00Z' });
    const early = await book(s, { startsAt: '2026-03-10T22:30:00Z' });
    await book(s, { startsAt: '2026-03-11T23:00:00Z' }); // 12 March in Berlin

    const day = await s.owner.get(`${s.base}/appointments?from=2026-03-11&to=2026-03-11`);
    expect(day.status).toBe(200);
    expect(day.body.items.map((a: { id: string }) => a.id)).toEqual([late.id, morning.id, noon.id]);
    expect(day.body.items[0].total).toBe(5_000);
    expect(day.body.nextCursor).toBeNull();

    const instants = await s.owner.get(
      `${s.base}/appointments?from=2026-03-10T22:30:00Z&to=2026-03-11T11:00:00%2B00:00`,
    );
    expect(instants.body.items.map((a: { id: string }) => a.id)).toEqual([early.id, late.id, morning.id]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const res = await s.owner.get(`${s.base}/appointments?limit=2${q}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((a: { id: string }) => a.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(seen.slice(0, 4)).toEqual([early.id, late.id, morning.id, noon.id]);
  });

  it('refuses malformed list bounds with 400 naming the parameter', async () => {
    const s = await salon();
    for (const [query, field] of [
      ['from=2026-02-30', 'from'],
      ['to=yesterday', 'to'],
      ['from=2026-03-12&to=2026-03-11', 'to'],
    ] as const) {
      const res = await s.owner.get(`${s.base}/appointments?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
  });

  it('answers 404 for another company’s appointment ids and 403 for writes by the staff role', async () => {
    const s = await salon();
    const other = await salon();
    const a = await book(s);
    for (const res of [
      await other.owner.get(`${other.base}/appointments/${a.id}`),
      await other.owner.patch(`${other.base}/appointments/${a.id}`, { comment: 'x' }),
      await other.owner.delete(`${other.base}/appointments/${a.id}`),
      await other.owner.get(`${s.base}/appointments/${a.id}`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const staff = await t.newUser(s.id, 'staff');
    expect((await staff.api.get(`${s.base}/appointments/${a.id}`)).status).toBe(200);
    expect((await staff.api.get(`${s.base}/appointments`)).status).toBe(200);
    const create = await staff.api.post(`${s.base}/appointments`, {
      clientId: s.client.id,
      staffId: s.staff.id,
      startsAt: '2026-03-10T10:00:00Z',
      durationMinutes: 30,
    });
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe('forbidden');
    expect((await staff.api.patch(`${s.base}/appointments/${a.id}`, { comment: 'x' })).status).toBe(403);
    expect((await staff.api.delete(`${s.base}/appointments/${a.id}`)).status).toBe(403);
  });

  it('edits time, staff, client and comment, and moves the status through the allowed transitions only', async () => {
    const s = await salon();
    const a = await book(s);
    const otherStaff = await newStaffMember(t.db, s.id, { name: 'Olga' });
    const otherClient = await newClient(t.db, s.id, { name: 'Boris' });
    const res = await s.owner.patch(`${s.base}/appointments/${a.id}`, {
      startsAt: '2026-03-10T12:30:00+01:00',
      durationMinutes: 45,
      staffId: otherStaff.id,
      clientId: otherClient.id,
      comment: 'moved',
      status: 'confirmed',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      startsAt: '2026-03-10T11:30:00.000Z',
      durationMinutes: 45,
      staff: { id: otherStaff.id, name: 'Olga' },
      client: { id: otherClient.id, name: 'Boris' },
      comment: 'moved',
      status: 'confirmed',
    });
    expect((await s.owner.patch(`${s.base}/appointments/${a.id}`, { comment: '' })).body.comment).toBeNull();
    expect((await s.owner.patch(`${s.base}/appointments/${a.id}`, { status: 'arrived' })).status).toBe(200);
    const bad = await s.owner.patch(`${s.base}/appointments/${a.id}`, { status: 'cancelled' });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({
      code: 'invalid_status_transition',
      field: 'status',
      from: 'arrived',
      to: 'cancelled',
    });
    const updates = (await auditOf(a.id)).filter((e) => e.action === 'appointment.updated');
    expect(updates).toHaveLength(3);
    expect(updates[0]!.details).toMatchObject({ fields: expect.arrayContaining(['comment', 'staff_id', 'starts_at']) });
    expect(JSON.stringify(updates[0]!.details)).not.toContain('moved');
  });

  it('cancels (audited as a money change); a cancelled appointment takes no items or payments and stays cancelled', async () => {
    const s = await salon();
    const a = await book(s);
    const res = await s.owner.patch(`${s.base}/appointments/${a.id}`, { status: 'cancelled' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    const entry = (await auditOf(a.id)).find((e) => e.action === 'appointment.cancelled');
    expect(entry).toMatchObject({ amount_before: 5_000, amount_after: 5_000 });
    const item = await s.owner.post(`${s.base}/appointments/${a.id}/items`, { serviceId: s.color.id });
    expect(item.status).toBe(422);
    expect(item.body.error.code).toBe('appointment_cancelled');
    expect((await pay(s, a.id, 1_000)).body.error.code).toBe('appointment_cancelled');
    expect((await s.owner.patch(`${s.base}/appointments/${a.id}`, { status: 'booked' })).body.error.code).toBe(
      'invalid_status_transition',
    );
  });

  it('deletes softly: 204, then 404 and gone from the list, with the ledger kept and an audit entry', async () => {
    const s = await salon();
    const a = await book(s);
    const res = await s.owner.delete(`${s.base}/appointments/${a.id}`);
    expect(res.status).toBe(204);
    expect((await s.owner.get(`${s.base}/appointments/${a.id}`)).status).toBe(404);
    expect((await s.owner.get(`${s.base}/appointments`)).body.items).toEqual([]);
    expect((await s.owner.delete(`${s.base}/appointments/${a.id}`)).status).toBe(404);
    const row = await t.db.selectFrom('appointments').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row.deleted_by).toBe(s.ownerId);
    expect(
      await t.db.selectFrom('appointment_items').select('id').where('appointment_id', '=', a.id).execute(),
    ).toHaveLength(1);
    expect((await auditOf(a.id)).at(-1)).toMatchObject({
      action: 'appointment.deleted',
      amount_before: 5_000,
      amount_after: 0,
    });
    // the external id is free again once its appointment is deleted
    await book(s, { externalId: 'reused' });
  });

  it('refuses to delete while payments count (422), and allows it once they are voided', async () => {
    const s = await salon();
    const a = await book(s);
    const payment = await pay(s, a.id, 2_000);
    const refused = await s.owner.delete(`${s.base}/appointments/${a.id}`);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'appointment_has_payments', livePayments: 1 });
    expect((await s.owner.delete(`${s.base}/appointments/${a.id}/payments/${payment.body.id}`)).status).toBe(200);
    expect((await s.owner.delete(`${s.base}/appointments/${a.id}`)).status).toBe(204);
  });

  it('R13 refuses cancellation and deletion of a locked appointment with 409 and lockedUntil, but allows comment, staff and time', async () => {
    const s = await salon();
    const a = await book(s);
    const until = await lock(a.id);
    expect((await s.owner.get(`${s.base}/appointments/${a.id}`)).body.lockedUntil).toBe(until);

    const cancel = await s.owner.patch(`${s.base}/appointments/${a.id}`, { status: 'cancelled' });
    expect(cancel.status).toBe(409);
    expect(cancel.body.error).toMatchObject({ code: 'appointment_locked', lockedUntil: until });
    const del = await s.owner.delete(`${s.base}/appointments/${a.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error).toMatchObject({ code: 'appointment_locked', lockedUntil: until });

    const otherStaff = await newStaffMember(t.db, s.id, { name: 'Olga' });
    const edit = await s.owner.patch(`${s.base}/appointments/${a.id}`, {
      comment: 'client is paying',
      staffId: otherStaff.id,
      startsAt: '2026-03-10T11:00:00Z',
      status: 'arrived',
    });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ comment: 'client is paying', status: 'arrived', lockedUntil: until });
    expect(
      (await t.db.selectFrom('appointments').select('status').where('id', '=', a.id).executeTakeFirstOrThrow()).status,
    ).toBe('arrived');

    t.clock.advance(15 * 60_000 + 1);
    const after = await s.owner.get(`${s.base}/appointments/${a.id}`);
    expect(after.body.lockedUntil).toBeNull();
    expect((await s.owner.patch(`${s.base}/appointments/${a.id}`, { status: 'booked' })).status).toBe(200);
    expect((await s.owner.patch(`${s.base}/appointments/${a.id}`, { status: 'cancelled' })).status).toBe(200);
  });

  it('documents the appointment, item and payment routes in the OpenAPI document', async () => {
    const doc = await t.anonymous.get('/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths);
    for (const path of [
      '/api/v1/companies/{companyId}/appointments',
      '/api/v1/companies/{companyId}/appointments/{id}',
      '/api/v1/companies/{companyId}/appointments/{id}/items',
      '/api/v1/companies/{companyId}/appointments/{id}/items/{itemId}',
      '/api/v1/companies/{companyId}/appointments/{id}/payments',
      '/api/v1/companies/{companyId}/appointments/{id}/payments/{paymentId}',
    ]) {
      expect(paths).toContain(path);
    }
  });
});
