import { sql, type Insertable, type Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AppointmentItemsTable, AppointmentsTable } from '../../db/schema.js';

/** SQL for appointments and their items. Every query is scoped by company; deleted ones are invisible. */

export async function insertAppointment(db: Executor, row: Insertable<AppointmentsTable>) {
  await db.insertInto('appointments').values(row).execute();
}

/** The row, locked until the transaction ends: the referee for every money change (R13). */
export async function selectAppointmentForUpdate(db: Executor, companyId: string, id: string) {
  return liveAppointment(db, companyId, 'id', id).forUpdate().executeTakeFirst();
}

/** The live appointment a booking system knows by its own id, locked the same way. */
export async function selectAppointmentByExternalIdForUpdate(db: Executor, companyId: string, externalId: string) {
  return liveAppointment(db, companyId, 'external_id', externalId).forUpdate().executeTakeFirst();
}

/** The id of the live appointment a booking system knows by its own id. */
export async function findAppointmentIdByExternalId(
  db: Executor,
  companyId: string,
  externalId: string,
): Promise<string | undefined> {
  return (await liveAppointment(db, companyId, 'external_id', externalId).executeTakeFirst())?.id;
}

function liveAppointment(db: Executor, companyId: string, column: 'id' | 'external_id', value: string) {
  return db
    .selectFrom('appointments')
    .selectAll()
    .where('company_id', '=', companyId)
    .where(column, '=', value)
    .where('deleted_at', 'is', null);
}

export async function updateAppointment(db: Executor, id: string, patch: Updateable<AppointmentsTable>) {
  await db.updateTable('appointments').set(patch).where('id', '=', id).execute();
}

/** Appointments with the names and currency the API shows, in the order of `ids`' rows by start. */
export async function findAppointmentViews(db: Executor, companyId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('appointments as a')
    .innerJoin('clients as cl', 'cl.id', 'a.client_id')
    .innerJoin('staff as s', 's.id', 'a.staff_id')
    .innerJoin('companies as co', 'co.id', 'a.company_id')
    .select([
      'a.id',
      'a.client_id',
      'cl.name as client_name',
      'a.staff_id',
      's.name as staff_name',
      'a.starts_at',
      'a.duration_minutes',
      'a.status',
      'a.comment',
      'a.external_id',
      'a.locked_until',
      'a.created_at',
      'co.currency',
    ])
    .where('a.company_id', '=', companyId)
    .where('a.id', 'in', ids)
    .where('a.deleted_at', 'is', null)
    .orderBy('a.starts_at')
    .orderBy('a.id')
    .execute();
}
export type AppointmentViewRow = Awaited<ReturnType<typeof findAppointmentViews>>[number];

/** A bound of the listing: a calendar day in the company's time zone, or an exact instant. */
export type RangeBound = { date: string } | { instant: Date };

export interface ListRange {
  companyId: string;
  from?: RangeBound | undefined;
  /** inclusive for a day (the whole day), exclusive for an instant */
  to?: RangeBound | undefined;
  after?: { startsAt: Date; id: string } | undefined;
  limit: number;
}

/**
 * Ids of one page of appointments by start. Day bounds become instants in SQL with the company's
 * own time zone (`day::timestamp AT TIME ZONE tz`), so DST days are 23 or 25 hours long as they are.
 */
export async function listAppointmentPage(db: Executor, q: ListRange) {
  let query = db
    .selectFrom('appointments as a')
    .innerJoin('companies as co', 'co.id', 'a.company_id')
    .select(['a.id', 'a.starts_at'])
    .where('a.company_id', '=', q.companyId)
    .where('a.deleted_at', 'is', null);
  if (q.from) {
    const from = q.from;
    query = query.where(
      'date' in from
        ? sql<boolean>`a.starts_at >= (${from.date}::date::timestamp AT TIME ZONE co.timezone)`
        : sql<boolean>`a.starts_at >= ${from.instant}`,
    );
  }
  if (q.to) {
    const to = q.to;
    query = query.where(
      'date' in to
        ? sql<boolean>`a.starts_at < ((${to.date}::date + 1)::timestamp AT TIME ZONE co.timezone)`
        : sql<boolean>`a.starts_at < ${to.instant}`,
    );
  }
  // starts_at is stored at millisecond precision (see the service), so a Date cursor compares exactly.
  if (q.after)
    query = query.where(sql<boolean>`(a.starts_at, a.id) > (${q.after.startsAt}::timestamptz, ${q.after.id}::text)`);
  return query
    .orderBy('a.starts_at')
    .orderBy('a.id')
    .limit(q.limit + 1)
    .execute();
}

/** created_at comes from the database clock: it only keeps the lines in the order they were added, even within one transaction. */
export async function insertItem(db: Executor, row: Omit<Insertable<AppointmentItemsTable>, 'created_at'>) {
  await db
    .insertInto('appointment_items')
    .values({ ...row, created_at: sql<Date>`clock_timestamp()` })
    .execute();
}

export async function findItem(db: Executor, companyId: string, appointmentId: string, itemId: string) {
  return db
    .selectFrom('appointment_items')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('appointment_id', '=', appointmentId)
    .where('id', '=', itemId)
    .executeTakeFirst();
}

/**
 * The line a product scanned again adds to, as a till does: the same product sold on the same
 * terms (price, taxation, VAT, title), so that merging never changes what either line charged.
 */
export async function findSameProductLine(
  db: Executor,
  appointmentId: string,
  line: { product_id: string; unit_price: number; tax_system: string; vat: string; title: string },
) {
  return db
    .selectFrom('appointment_items')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .where('kind', '=', 'product')
    .where('product_id', '=', line.product_id)
    .where('unit_price', '=', line.unit_price)
    .where('tax_system', '=', line.tax_system)
    .where('vat', '=', line.vat)
    .where('title', '=', line.title)
    .orderBy('created_at')
    .executeTakeFirst();
}

export async function updateItem(db: Executor, id: string, patch: { unit_price?: number; quantity?: number }) {
  await db.updateTable('appointment_items').set(patch).where('id', '=', id).execute();
}

export async function deleteItem(db: Executor, id: string) {
  await db.deleteFrom('appointment_items').where('id', '=', id).execute();
}

/** Items of many appointments at once, with the catalog range of service items (for the editor). */
export async function listItems(db: Executor, appointmentIds: readonly string[]) {
  if (appointmentIds.length === 0) return [];
  return db
    .selectFrom('appointment_items as i')
    .leftJoin('services as svc', 'svc.id', 'i.service_id')
    .selectAll('i')
    .select(['svc.price_min', 'svc.price_max'])
    .where('i.appointment_id', 'in', appointmentIds)
    .orderBy('i.created_at')
    .orderBy('i.id')
    .execute();
}
export type ItemViewRow = Awaited<ReturnType<typeof listItems>>[number];
