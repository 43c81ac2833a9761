import type { Db, Executor } from '../../db/database.js';
import type { CompanyRow } from '../../db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import { currencyExponent } from '../../shared/money.js';
import { addDays, localDate, zonedInstant } from '../../shared/zoned-time.js';
import { recordAudit } from '../audit/index.js';
import { productLine, serviceLine } from '../appointments/domain/items.js';
import { DEMO_CLIENTS, DEMO_PRODUCTS, DEMO_SERVICES, DEMO_STAFF } from './demo-catalog.js';

type Status = 'booked' | 'confirmed' | 'arrived' | 'no_show' | 'cancelled';

/** One demo visit: day offset from today, local start, services (by index), products, payments as shares of the total. */
interface Visit {
  day: number;
  at: [number, number];
  staff: number;
  client: number;
  status: Status;
  services: { index: number; top?: boolean }[];
  products?: { index: number; quantity: number }[];
  /** payments as [method, percent of the total]; the last one of a fully paid visit takes the remainder */
  payments?: [string, number][];
}

const WEEK: readonly Visit[] = [
  {
    day: -3,
    at: [10, 0],
    staff: 0,
    client: 0,
    status: 'arrived',
    services: [{ index: 0, top: true }],
    products: [{ index: 0, quantity: 1 }],
    payments: [['card', 100]],
  },
  { day: -3, at: [14, 30], staff: 1, client: 1, status: 'no_show', services: [{ index: 1 }] },
  {
    day: -2,
    at: [11, 0],
    staff: 2,
    client: 2,
    status: 'arrived',
    services: [{ index: 2 }],
    payments: [
      ['cash', 50],
      ['loyalty_points', 10],
    ],
  },
  { day: -2, at: [16, 0], staff: 0, client: 3, status: 'cancelled', services: [{ index: 5 }] },
  {
    day: -1,
    at: [9, 30],
    staff: 1,
    client: 4,
    status: 'arrived',
    services: [{ index: 1 }, { index: 4 }],
    payments: [['cash', 100]],
  },
  {
    day: -1,
    at: [13, 0],
    staff: 2,
    client: 5,
    status: 'arrived',
    services: [{ index: 3 }],
    products: [{ index: 4, quantity: 1 }],
    payments: [['gift_card', 40]],
  },
  {
    day: 0,
    at: [10, 0],
    staff: 0,
    client: 2,
    status: 'arrived',
    services: [{ index: 0 }],
    payments: [['deposit', 30]],
  },
  {
    day: 0,
    at: [12, 0],
    staff: 1,
    client: 0,
    status: 'confirmed',
    services: [{ index: 1 }],
    products: [{ index: 1, quantity: 2 }],
  },
  { day: 0, at: [15, 30], staff: 2, client: 3, status: 'confirmed', services: [{ index: 5 }] },
  { day: 1, at: [10, 30], staff: 0, client: 4, status: 'booked', services: [{ index: 2 }, { index: 0 }] },
  {
    day: 1,
    at: [17, 0],
    staff: 1,
    client: 1,
    status: 'booked',
    services: [{ index: 4 }],
    products: [{ index: 3, quantity: 1 }],
  },
  { day: 2, at: [11, 0], staff: 2, client: 5, status: 'confirmed', services: [{ index: 3 }] },
  {
    day: 3,
    at: [9, 0],
    staff: 0,
    client: 0,
    status: 'booked',
    services: [{ index: 0 }, { index: 2 }],
    products: [{ index: 2, quantity: 1 }],
  },
];

/**
 * Fills a company with a small, believable salon: services with price ranges, products of all
 * three kinds, staff, clients and a week of appointments around today in several states, some
 * paid at the desk in full or in part. Loads only into a company without a catalogue, so a
 * restart never doubles it.
 */
export class DemoDataService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async load(companyId: string, ownerId: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const company = await tx
        .selectFrom('companies')
        .selectAll()
        .where('id', '=', companyId)
        .forUpdate()
        .executeTakeFirst();
      if (!company) throw new Error(`company ${companyId} not found`);
      const existing = await tx
        .selectFrom('services')
        .select('id')
        .where('company_id', '=', companyId)
        .limit(1)
        .executeTakeFirst();
      if (existing) return false;
      await this.fill(tx, company, ownerId);
      return true;
    });
  }

  private async fill(tx: Executor, company: CompanyRow, ownerId: string): Promise<void> {
    const companyId = company.id;
    const scale = 10 ** currencyExponent(company.currency);
    const russian = company.country === 'RU';
    const taxSystem = company.default_tax_system;
    const now = this.clock.now();

    const services = DEMO_SERVICES.map((s) => ({
      id: newId('service'),
      company_id: companyId,
      title: russian ? s.titleRu : s.title,
      price_min: s.min * scale,
      price_max: s.max * scale,
      tax_system: taxSystem,
      vat: s.vat,
    }));
    const products = DEMO_PRODUCTS.map((p) => ({
      id: newId('product'),
      company_id: companyId,
      title: russian ? p.titleRu : p.title,
      sku: p.sku,
      barcode: p.barcode,
      kind: p.kind,
      price: p.price * scale,
      tax_system: taxSystem,
      vat: p.vat,
    }));
    const staff = DEMO_STAFF.map((name) => ({ id: newId('staff'), company_id: companyId, name }));
    const clients = DEMO_CLIENTS.map((c) => ({ id: newId('client'), company_id: companyId, ...c }));
    await tx.insertInto('services').values(services).execute();
    await tx.insertInto('products').values(products).execute();
    await tx.insertInto('staff').values(staff).execute();
    await tx.insertInto('clients').values(clients).execute();

    const today = localDate(now, company.timezone);
    for (const visit of WEEK) {
      const appointmentId = newId('appointment');
      const startsAt = zonedInstant(addDays(today, visit.day), visit.at[0], visit.at[1], company.timezone);
      await tx
        .insertInto('appointments')
        .values({
          id: appointmentId,
          company_id: companyId,
          client_id: clients[visit.client]!.id,
          staff_id: staff[visit.staff]!.id,
          starts_at: startsAt,
          duration_minutes: 60,
          status: visit.status,
          comment: null,
          external_id: null,
          locked_until: null,
          updated_at: now,
        })
        .execute();
      const items = [
        ...visit.services.map(({ index, top }) => {
          const s = services[index]!;
          return serviceLine(s, top ? s.price_max : s.price_min, 'price');
        }),
        ...(visit.products ?? []).map(({ index, quantity }) => productLine(products[index]!, quantity)),
      ];
      const total = items.reduce((sum, item) => sum + item.unit_price * item.quantity, 0);
      await tx
        .insertInto('appointment_items')
        .values(
          items.map((item) => ({
            ...item,
            id: newId('item'),
            company_id: companyId,
            appointment_id: appointmentId,
            created_at: now,
          })),
        )
        .execute();
      let paid = 0;
      for (const [method, percent] of visit.payments ?? []) {
        const amount = percent === 100 ? total - paid : Math.floor((total * percent) / 100 / scale) * scale;
        if (amount <= 0) continue;
        paid += amount;
        const paymentId = newId('payment');
        const paidAt = startsAt.getTime() < now.getTime() ? new Date(startsAt.getTime() + 60 * 60_000) : now;
        await tx
          .insertInto('payments')
          .values({
            id: paymentId,
            company_id: companyId,
            appointment_id: appointmentId,
            method,
            amount,
            currency: company.currency,
            paid_at: paidAt,
            actor_type: 'user',
            actor_id: ownerId,
            refund_of: null,
            idempotency_key: null,
            request_hash: null,
            voided_at: null,
            voided_by: null,
            created_at: paidAt,
          })
          .execute();
        await recordAudit(tx, {
          companyId,
          at: paidAt,
          actor: { type: 'user', id: ownerId },
          action: 'payment.recorded',
          entityType: 'payment',
          entityId: paymentId,
          appointmentId,
          amountBefore: total - (paid - amount),
          amountAfter: total - paid,
          details: { method, amount, demo: true },
        });
      }
    }
  }
}
