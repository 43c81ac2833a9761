import { describe, expect, it } from 'vitest';
import { newClient, newProduct, newService, newStaffMember } from '../helpers/factories.js';
import { connectSandbox } from '../helpers/links.js';
import { createTestApp } from '../helpers/test-app.js';

/** A booking system pushing its visits by its own id: `PUT …/appointments/external/{externalId}`. */
const t = await createTestApp();

async function salon() {
  const company = await t.newCompany();
  const client = await newClient(t.db, company.id);
  const other = await newClient(t.db, company.id, { name: 'Olga Petrova' });
  const staff = await newStaffMember(t.db, company.id);
  const haircut = await newService(t.db, company.id, { title: 'Haircut', priceMin: 5_000, priceMax: 10_000 });
  const color = await newService(t.db, company.id, { title: 'Color', priceMin: 3_000, priceMax: 3_000 });
  const shampoo = await newProduct(t.db, company.id, { title: 'Shampoo', sku: 'SH-500', price: 1_500 });
  return { ...company, client, other, staff, haircut, color, shampoo };
}
type Salon = Awaited<ReturnType<typeof salon>>;

const visit = (s: Salon, extra: Record<string, unknown> = {}) => ({
  clientId: s.client.id,
  staffId: s.staff.id,
  startsAt: '2026-03-10T10:00:00.000Z',
  durationMinutes: 60,
  services: [{ serviceId: s.haircut.id }],
  ...extra,
});

const push = (s: Salon, externalId: string, body: Record<string, unknown>) =>
  s.owner.put(`${s.base}/appointments/external/${encodeURIComponent(externalId)}`, body);

async function counts(companyId: string) {
  const [appointments, items, audit] = await Promise.all([
    t.db
      .selectFrom('appointments')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('company_id', '=', companyId)
      .executeTakeFirstOrThrow(),
    t.db
      .selectFrom('appointment_items')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('company_id', '=', companyId)
      .executeTakeFirstOrThrow(),
    t.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('company_id', '=', companyId)
      .executeTakeFirstOrThrow(),
  ]);
  return { appointments: Number(appointments.n), items: Number(items.n), audit: Number(audit.n) };
}

describe('appointments pushed by externalId', () => {
  it('creates the visit on the first push (201) and changes nothing on the same push again (200, nothing written)', async () => {
    const s = await salon();
    const first = await push(s, 'yc/2026/0042', visit(s, { comment: 'from the booking site' }));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      externalId: 'yc/2026/0042',
      status: 'booked',
      total: 5_000,
      due: 5_000,
      comment: 'from the booking site',
    });
    const before = await counts(s.id);

    const again = await push(s, 'yc/2026/0042', visit(s, { comment: 'from the booking site' }));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await counts(s.id)).toEqual(before);
    // the plain create route sees the same id as taken
    const clash = await s.owner.post(`${s.base}/appointments`, { ...visit(s), externalId: 'yc/2026/0042' });
    expect(clash.status).toBe(409);
  });

  it('brings time, staff member, client, comment and status in line, audited as an update', async () => {
    const s = await salon();
    const created = (await push(s, 'v-1', visit(s, { comment: 'old' }))).body;
    const maria2 = await newStaffMember(t.db, s.id, { name: 'Ivan' });
    const res = await push(
      s,
      'v-1',
      visit(s, {
        startsAt: '2026-03-11T12:30:00.000Z',
        durationMinutes: 90,
        staffId: maria2.id,
        clientId: s.other.id,
        comment: '',
        status: 'confirmed',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.id,
      startsAt: '2026-03-11T12:30:00.000Z',
      durationMinutes: 90,
      staff: { id: maria2.id },
      client: { id: s.other.id },
      comment: null,
      status: 'confirmed',
      total: 5_000,
    });
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('appointment_id', '=', created.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['appointment.created', 'appointment.updated']);
    // an absent comment or status is left as it is
    const kept = await push(s, 'v-1', {
      ...visit(s, {
        startsAt: '2026-03-11T12:30:00.000Z',
        durationMinutes: 90,
        staffId: maria2.id,
        clientId: s.other.id,
      }),
      comment: undefined,
    });
    expect(kept.body).toMatchObject({ status: 'confirmed', comment: null });
  });

  it('R27 replaces the service lines with the pushed ones, keeps matching lines and the products sold at the desk, audited with the amount due before and after', async () => {
    const s = await salon();
    const created = (
      await push(
        s,
        'v-2',
        visit(s, { services: [{ serviceId: s.haircut.id, price: 6_000 }, { serviceId: s.color.id }] }),
      )
    ).body;
    const keptLine = created.items.find((i: { serviceId: string }) => i.serviceId === s.color.id);
    const sold = await s.owner.post(`${s.base}/appointments/${created.id}/items`, { sku: 'SH-500', quantity: 2 });
    expect(sold.status).toBe(201);

    const res = await push(
      s,
      'v-2',
      visit(s, { services: [{ serviceId: s.color.id }, { serviceId: s.haircut.id, price: 7_000 }] }),
    );
    expect(res.status).toBe(200);
    const lines = res.body.items.map((i: { kind: string; title: string; unitPrice: number; quantity: number }) => [
      i.kind,
      i.title,
      i.unitPrice,
      i.quantity,
    ]);
    expect(lines).toEqual(
      expect.arrayContaining([
        ['service', 'Color', 3_000, 1],
        ['service', 'Haircut', 7_000, 1],
        ['product', 'Shampoo', 1_500, 2],
      ]),
    );
    expect(lines).toHaveLength(3);
    expect(res.body.items.find((i: { serviceId: string }) => i.serviceId === s.color.id).id).toBe(keptLine.id);
    expect(res.body).toMatchObject({ total: 3_000 + 7_000 + 3_000, due: 13_000 });
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'amount_before', 'amount_after'])
      .where('appointment_id', '=', created.id)
      .orderBy('id')
      .execute();
    expect(audit.slice(-2)).toEqual([
      { action: 'item.removed', amount_before: 12_000, amount_after: 6_000 },
      { action: 'item.added', amount_before: 6_000, amount_after: 13_000 },
    ]);
  });

  it('R13 refuses a change of services with 409 appointment_locked while a client pays by link, writing nothing; time may still move', async () => {
    const s = await salon();
    const created = (await push(s, 'v-3', visit(s))).body;
    const until = new Date(t.clock.now().getTime() + 15 * 60_000);
    await t.db.updateTable('appointments').set({ locked_until: until }).where('id', '=', created.id).execute();
    const before = await counts(s.id);

    const refused = await push(
      s,
      'v-3',
      visit(s, { services: [{ serviceId: s.color.id }], startsAt: '2026-03-10T11:00:00.000Z' }),
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'appointment_locked', lockedUntil: until.toISOString() });
    expect(await counts(s.id)).toEqual(before);
    expect((await s.owner.get(`${s.base}/appointments/${created.id}`)).body.startsAt).toBe('2026-03-10T10:00:00.000Z');

    const moved = await push(s, 'v-3', visit(s, { startsAt: '2026-03-10T11:00:00.000Z' }));
    expect(moved.status).toBe(200);
    expect(moved.body.startsAt).toBe('2026-03-10T11:00:00.000Z');
  });

  it('R16 validates the body and the ids with the field named (a price outside the service range answers 422), writing nothing', async () => {
    const s = await salon();
    const other = await salon();
    const before = await counts(s.id);
    const bad: [Record<string, unknown>, number, string][] = [
      [visit(s, { durationMinutes: 0 }), 400, 'durationMinutes'],
      [visit(s, { status: 'gone' }), 400, 'status'],
      [visit(s, { externalId: 'x' }), 400, 'externalId'],
      [visit(s, { clientId: other.client.id }), 404, 'clientId'],
      [visit(s, { services: [{ serviceId: other.haircut.id }] }), 404, 'services.0.serviceId'],
      [visit(s, { services: [{ serviceId: s.haircut.id, price: 20_000 }] }), 422, 'services.0.price'],
    ];
    for (const [body, status, field] of bad) {
      const res = await push(s, 'v-4', body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.field).toBe(field);
    }
    const tooLong = await push(s, 'x'.repeat(201), visit(s));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.field).toBe('externalId');
    expect(await counts(s.id)).toEqual(before);
  });

  it('moves a first push with a later status on from booked, refuses an impossible transition, and leaves services of a cancelled visit alone', async () => {
    const s = await salon();
    const arrived = await push(s, 'v-5', visit(s, { status: 'arrived' }));
    expect(arrived.status).toBe(201);
    expect(arrived.body.status).toBe('arrived');
    const impossible = await push(s, 'v-5', visit(s, { status: 'cancelled' }));
    expect(impossible.status).toBe(422);
    expect(impossible.body.error).toMatchObject({ code: 'invalid_status_transition', field: 'status' });

    await push(s, 'v-6', visit(s));
    const cancelled = await push(s, 'v-6', visit(s, { status: 'cancelled', services: [] }));
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', total: 5_000 });
  });

  it('keeps tenants apart: the same externalId in two companies is two appointments, and users without appointments.write are refused', async () => {
    const s = await salon();
    const other = await salon();
    const mine = await push(s, 'shared-id', visit(s));
    const theirs = await push(other, 'shared-id', visit(other));
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(mine.body.id).not.toBe(theirs.body.id);
    // another company's owner does not see this company at all
    const intruder = await other.owner.put(`${s.base}/appointments/external/shared-id`, visit(s));
    expect(intruder.status).toBe(404);
    const staff = await t.newUser(s.id, 'staff');
    expect((await staff.api.put(`${s.base}/appointments/external/shared-id`, visit(s))).status).toBe(403);
  });

  it('two pushes of a new visit at once make one appointment: one answers 201, the other 200', async () => {
    const s = await salon();
    const results = await Promise.all([
      push(s, 'race', visit(s)),
      push(s, 'race', visit(s)),
      push(s, 'race', visit(s)),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect((await counts(s.id)).appointments).toBe(1);
  });

  it('a deleted appointment frees its externalId: the next push books a new visit', async () => {
    const s = await salon();
    const first = (await push(s, 'v-7', visit(s))).body;
    expect((await s.owner.delete(`${s.base}/appointments/${first.id}`)).status).toBe(204);
    const again = await push(s, 'v-7', visit(s));
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.id);
  });

  it('takes the client as the booking system knows them: found by phone, else email, created when new — once for pushes at once', async () => {
    const s = await salon();
    const { clientId: _unused, ...withoutClient } = visit(s);
    const anna = { name: 'Anna Weber', phone: '+49 170 555-01-02', email: 'Anna.Weber@example.test' };
    const first = await push(s, 'c-1', { ...withoutClient, client: anna });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const created = await t.db
      .selectFrom('clients')
      .selectAll()
      .where('id', '=', first.body.client.id)
      .executeTakeFirstOrThrow();
    expect(created).toMatchObject({ name: 'Anna Weber', phone: '+491705550102', email: 'anna.weber@example.test' });

    // the same phone written another way, and the same email without a phone, find her again
    const byPhone = await push(s, 'c-2', { ...withoutClient, client: { name: 'A. Weber', phone: '+491705550102' } });
    const byEmail = await push(s, 'c-3', {
      ...withoutClient,
      client: { name: 'Anna', email: 'ANNA.WEBER@example.test' },
    });
    expect([byPhone.body.client.id, byEmail.body.client.id]).toEqual([created.id, created.id]);

    // a new client pushed with two visits at once is made once
    const newcomer = { name: 'Olga Kim', phone: '+4915199988877' };
    const both = await Promise.all([
      push(s, 'c-4', { ...withoutClient, client: newcomer }),
      push(s, 'c-5', { ...withoutClient, client: newcomer }),
    ]);
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    expect(both[0]!.body.client.id).toBe(both[1]!.body.client.id);
    const olgas = await t.db
      .selectFrom('clients')
      .select('id')
      .where('company_id', '=', s.id)
      .where('phone', '=', '+4915199988877')
      .execute();
    expect(olgas).toHaveLength(1);
  });

  it('wants exactly one of clientId and client, and a contact to find the client by', async () => {
    const s = await salon();
    const { clientId: _unused, ...withoutClient } = visit(s);
    const cases: [Record<string, unknown>, string][] = [
      [withoutClient, 'clientId'],
      [{ ...visit(s), client: { name: 'Both', phone: '+4915100000000' } }, 'clientId'],
      [{ ...withoutClient, client: { name: 'No contact' } }, 'client.phone'],
      [{ ...withoutClient, client: { name: 'Bad phone', phone: 'call me' } }, 'client.phone'],
    ];
    for (const [body, field] of cases) {
      const res = await push(s, 'c-6', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
    expect((await counts(s.id)).appointments).toBe(0);
  });

  it('reads a pushed visit back by the booking system’s id, with its payment link; 404 for an unknown or another company’s id', async () => {
    const s = await salon();
    await connectSandbox(s);
    const pushed = (await push(s, 'yc/77', visit(s))).body;
    const link = await s.owner.post(`${s.base}/appointments/${pushed.id}/payment-link`, {});
    expect(link.status, link.text).toBe(200);
    const read = await s.owner.get(`${s.base}/appointments/external/${encodeURIComponent('yc/77')}`);
    expect(read.status, read.text).toBe(200);
    expect(read.body).toMatchObject({
      id: pushed.id,
      externalId: 'yc/77',
      total: 5_000,
      paymentLink: { id: link.body.id, status: 'active' },
    });
    expect((await s.owner.get(`${s.base}/appointments/external/unknown`)).body.error).toMatchObject({
      code: 'not_found',
      field: 'externalId',
    });
    const other = await salon();
    expect((await other.owner.get(`${other.base}/appointments/external/${encodeURIComponent('yc/77')}`)).status).toBe(
      404,
    );
  });
});
