import { describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/modules/audit/audit.repository.js';
import { ManualClock } from '../../src/shared/clock.js';
import { newClient, newService, newStaffMember } from '../helpers/factories.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';

// Seeded entries are in March 2026; everything the app records happens on April 1st.
const t = await createTestApp({ clock: new ManualClock('2026-04-01T09:00:00Z') });

type Entry = { id: string; action: string; entityId: string; at: string };

async function seed(companyId: string) {
  const entries = [
    {
      at: '2026-03-01T10:00:00Z',
      action: 'payment.recorded',
      entityType: 'payment',
      entityId: 'pay_1',
      appointmentId: 'appt_1',
      amountBefore: 10_000,
      amountAfter: 4_000,
    },
    {
      at: '2026-03-02T10:00:00Z',
      action: 'payment.voided',
      entityType: 'payment',
      entityId: 'pay_1',
      appointmentId: 'appt_1',
      amountBefore: 4_000,
      amountAfter: 10_000,
    },
    {
      at: '2026-03-03T10:00:00Z',
      action: 'link.created',
      entityType: 'payment_link',
      entityId: 'pl_1',
      appointmentId: 'appt_1',
    },
    { at: '2026-03-04T10:00:00Z', action: 'payments.exported', entityType: 'report', entityId: 'r_1' },
    { at: '2026-03-05T10:00:00Z', action: 'settings.changed', entityType: 'company', entityId: companyId },
  ];
  for (const e of entries) {
    await recordAudit(t.db, {
      ...e,
      companyId,
      at: new Date(e.at),
      actor: { type: 'system' },
      details: { note: e.action },
    });
  }
}

const actions = (res: { body: { items: Entry[] } }) => res.body.items.map((e) => e.action);

/** An appointment of `clientName`, paid 20.00 in cash at the desk by the owner. */
async function paidInCash(c: TestCompany, clientName: string) {
  const client = await newClient(t.db, c.id, { name: clientName, email: null, phone: null });
  const service = await newService(t.db, c.id, { priceMin: 2_000, priceMax: 4_000 });
  const staff = await newStaffMember(t.db, c.id, { name: 'Maria' });
  const appt = await c.owner.post(`${c.base}/appointments`, {
    clientId: client.id,
    staffId: staff.id,
    startsAt: '2026-04-02T10:00:00Z',
    durationMinutes: 60,
    services: [{ serviceId: service.id }],
  });
  expect(appt.status, appt.text).toBe(201);
  const paid = await c.owner.post(`${c.base}/appointments/${appt.body.id}/payments`, { method: 'cash', amount: 2_000 });
  expect(paid.status, paid.text).toBe(201);
  return { client, appointmentId: appt.body.id as string };
}

describe('audit log', () => {
  it('R27 filters by client: the entries of their appointments and of their record, with the actor’s and the client’s names', async () => {
    const c = await t.newCompany({ currency: 'EUR' });
    const anna = await paidInCash(c, 'Anna Weber');
    const boris = await paidInCash(c, 'Boris Petrov');
    await recordAudit(t.db, {
      companyId: c.id,
      at: t.clock.now(),
      actor: { type: 'user', id: c.ownerId },
      action: 'client.updated',
      entityType: 'client',
      entityId: anna.client.id,
      details: { fields: ['phone'] },
    });
    const get = (query: string) => c.owner.get(`${c.base}/audit?${query}`);

    const annas = await get(`clientId=${anna.client.id}`);
    expect(annas.status, annas.text).toBe(200);
    expect(actions(annas)).toEqual(['client.updated', 'payment.recorded', 'appointment.created']);
    expect(annas.body.items.every((e: { clientName: string }) => e.clientName === 'Anna Weber')).toBe(true);
    expect(annas.body.items[1]).toMatchObject({
      actor: { type: 'user', id: c.ownerId, name: 'Test Owner' },
      appointmentId: anna.appointmentId,
      details: { method: 'cash', amount: 2_000 },
    });
    expect(actions(await get(`clientId=${boris.client.id}`))).toEqual(['payment.recorded', 'appointment.created']);
    // with the other filters, and paged by keyset as always
    expect(actions(await get(`clientId=${anna.client.id}&action=payment`))).toEqual(['payment.recorded']);
    const first = await get(`clientId=${anna.client.id}&limit=2`);
    expect(actions(first)).toEqual(['client.updated', 'payment.recorded']);
    const second = await get(`clientId=${anna.client.id}&limit=2&cursor=${first.body.nextCursor}`);
    expect(actions(second)).toEqual(['appointment.created']);
    // entries about no client name none; another company's client matches nothing here
    const all = await get('');
    expect(all.body.items.find((e: { action: string }) => e.action === 'company.created').clientName).toBeNull();
    const other = await t.newCompany();
    const stranger = await paidInCash(other, 'Anna Weber');
    expect(actions(await get(`clientId=${stranger.client.id}`))).toEqual([]);
  });

  it('R27 lists entries newest first with actor, amounts in minor units and formatted, and details', async () => {
    const c = await t.newCompany({ currency: 'EUR' });
    await seed(c.id);
    const res = await c.owner.get(`${c.base}/audit`);
    expect(res.status).toBe(200);
    expect(actions(res)).toEqual([
      'settings.changed',
      'payments.exported',
      'link.created',
      'payment.voided',
      'payment.recorded',
      'company.created',
    ]);
    expect(res.body.items[4]).toMatchObject({
      at: '2026-03-01T10:00:00.000Z',
      actor: { type: 'system', id: null },
      entityType: 'payment',
      entityId: 'pay_1',
      appointmentId: 'appt_1',
      amountBefore: 10_000,
      amountAfter: 4_000,
      amountBeforeFormatted: '€100.00',
      amountAfterFormatted: '€40.00',
      details: { note: 'payment.recorded' },
    });
    expect(res.body.items[5]).toMatchObject({
      actor: { type: 'user', id: c.ownerId },
      amountBefore: null,
      amountBeforeFormatted: null,
    });
  });

  it('filters by entity, by action (exact or a dotted prefix) and by a time window', async () => {
    const c = await t.newCompany();
    await seed(c.id);
    const get = (query: string) => c.owner.get(`${c.base}/audit?${query}`);
    expect(actions(await get('entityType=payment&entityId=pay_1'))).toEqual(['payment.voided', 'payment.recorded']);
    expect(actions(await get('entityId=pl_1'))).toEqual(['link.created']);
    expect(actions(await get('action=payment'))).toEqual(['payment.voided', 'payment.recorded']);
    expect(actions(await get('action=payment.voided'))).toEqual(['payment.voided']);
    expect(actions(await get('action=payment.%25'))).toEqual([]);
    expect(actions(await get('appointmentId=appt_1&action=link'))).toEqual(['link.created']);
    const window = await get(
      `from=${encodeURIComponent('2026-03-02T10:00:00Z')}&to=${encodeURIComponent('2026-03-04T10:00:00Z')}`,
    );
    expect(actions(window)).toEqual(['link.created', 'payment.voided']);
    const zoned = await get(`from=${encodeURIComponent('2026-03-05T12:00:00+02:00')}`);
    expect(actions(zoned)).toEqual(['settings.changed', 'company.created']);
  });

  it('pages newest first by keyset, every entry exactly once, and keeps paging stable under new entries', async () => {
    const c = await t.newCompany();
    await seed(c.id);
    const first = await c.owner.get(`${c.base}/audit?limit=4`);
    expect(first.body.items).toHaveLength(4);
    await recordAudit(t.db, {
      companyId: c.id,
      at: t.clock.now(),
      actor: { type: 'system' },
      action: 'late.entry',
      entityType: 'x',
      entityId: 'x',
    });
    const second = await c.owner.get(`${c.base}/audit?limit=4&cursor=${first.body.nextCursor}`);
    expect(second.body.nextCursor).toBeNull();
    expect([...actions(first), ...actions(second)]).toEqual([
      'settings.changed',
      'payments.exported',
      'link.created',
      'payment.voided',
      'payment.recorded',
      'company.created',
    ]);
    const ids = [...first.body.items, ...second.body.items].map((e: Entry) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('answers 400 for a bad cursor, a bad date and an empty window', async () => {
    const c = await t.newCompany();
    expect((await c.owner.get(`${c.base}/audit?cursor=abc`)).body.error).toMatchObject({
      code: 'validation_failed',
      field: 'cursor',
    });
    expect((await c.owner.get(`${c.base}/audit?from=yesterday`)).body.error).toMatchObject({
      code: 'validation_failed',
      field: 'from',
    });
    const inverted = await c.owner.get(`${c.base}/audit?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z`);
    expect(inverted.status).toBe(400);
    expect(inverted.body.error.field).toBe('to');
    expect((await c.owner.get(`${c.base}/audit?limit=0`)).body.error.field).toBe('limit');
  });

  it('needs reports.read: 403 for staff and administrators stripped of it', async () => {
    const c = await t.newCompany();
    const staff = await t.newUser(c.id, 'staff');
    const res = await staff.api.get(`${c.base}/audit`);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden', right: 'reports.read' });
    const reader = await t.newUser(c.id, 'custom', ['reports.read']);
    expect((await reader.api.get(`${c.base}/audit`)).status).toBe(200);
  });

  it('never shows another company its entries, whatever the filter', async () => {
    const a = await t.newCompany();
    const b = await t.newCompany();
    await seed(a.id);
    expect((await b.owner.get(`${a.base}/audit`)).status).toBe(404);
    const theirs = await b.owner.get(`${b.base}/audit?entityId=pay_1`);
    expect(theirs.body.items).toEqual([]);
    expect(actions(await b.owner.get(`${b.base}/audit`))).toEqual(['company.created']);
  });
});
