import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { localDate, zonedInstant } from '../../src/shared/zoned-time.js';
import { createTestApp } from '../helpers/test-app.js';

const t = await createTestApp();

async function amountsByAppointment(companyId: string) {
  const { rows } = await sql<{ id: string; status: string; total: number; paid: number }>`
    SELECT a.id, a.status,
      (SELECT COALESCE(SUM(i.unit_price * i.quantity), 0) FROM appointment_items i WHERE i.appointment_id = a.id)::bigint AS total,
      (SELECT COALESCE(SUM(p.amount), 0) FROM payments p WHERE p.appointment_id = a.id AND p.voided_at IS NULL)::bigint AS paid
    FROM appointments a WHERE a.company_id = ${companyId}`.execute(t.db);
  return rows.map((r) => ({ ...r, total: Number(r.total), paid: Number(r.paid) }));
}

describe('demo data', () => {
  it('fills a company with a catalogue, people and a week of appointments in several states', async () => {
    const company = await t.newCompany();
    expect(await t.services.demo.load(company.id, company.ownerId)).toBe(true);

    const services = await t.db.selectFrom('services').selectAll().where('company_id', '=', company.id).execute();
    expect(services.length).toBeGreaterThanOrEqual(5);
    expect(services.some((s) => s.price_min < s.price_max)).toBe(true);
    const products = await t.db.selectFrom('products').selectAll().where('company_id', '=', company.id).execute();
    expect(new Set(products.map((p) => p.kind))).toEqual(new Set(['goods', 'membership', 'gift_card']));
    expect(products.every((p) => p.sku.length > 0)).toBe(true);

    const appointments = await amountsByAppointment(company.id);
    expect(new Set(appointments.map((a) => a.status))).toEqual(
      new Set(['booked', 'confirmed', 'arrived', 'no_show', 'cancelled']),
    );
    expect(appointments.every((a) => a.total > 0 && a.paid <= a.total)).toBe(true);
    expect(appointments.some((a) => a.paid === a.total)).toBe(true);
    expect(appointments.some((a) => a.paid > 0 && a.paid < a.total)).toBe(true);
    expect(appointments.some((a) => a.paid === 0)).toBe(true);
  });

  it('loads nothing into a company that already has a catalogue (a restart never doubles it)', async () => {
    const company = await t.newCompany();
    await t.services.demo.load(company.id, company.ownerId);
    expect(await t.services.demo.load(company.id, company.ownerId)).toBe(false);
    const count = await t.db
      .selectFrom('appointments')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('company_id', '=', company.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(13);
  });

  it('scales prices to the currency: a yen salon charges whole yen', async () => {
    const company = await t.newCompany({ currency: 'JPY', timezone: 'Asia/Tokyo', country: 'JP' });
    await t.services.demo.load(company.id, company.ownerId);
    const haircut = await t.db
      .selectFrom('services')
      .selectAll()
      .where('company_id', '=', company.id)
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    expect(haircut.price_min).toBe(45);
  });

  it('places the appointments on the wall clock of the company time zone', async () => {
    const company = await t.newCompany({ timezone: 'America/New_York' });
    await t.services.demo.load(company.id, company.ownerId);
    const today = localDate(t.clock.now(), 'America/New_York');
    const first = await t.db
      .selectFrom('appointments')
      .select('starts_at')
      .where('company_id', '=', company.id)
      .where('starts_at', '=', zonedInstant(today, 10, 0, 'America/New_York'))
      .execute();
    expect(first.length).toBe(1);
  });
});

describe('zoned time', () => {
  it('finds the instant of a wall-clock time on both sides of a DST change', () => {
    expect(zonedInstant('2026-03-29', 12, 0, 'Europe/Berlin').toISOString()).toBe('2026-03-29T10:00:00.000Z');
    expect(zonedInstant('2026-03-28', 12, 0, 'Europe/Berlin').toISOString()).toBe('2026-03-28T11:00:00.000Z');
    expect(zonedInstant('2026-11-25', 0, 0, 'Asia/Kolkata').toISOString()).toBe('2026-11-24T18:30:00.000Z');
  });
});
