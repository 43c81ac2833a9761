import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { PaymentMethod } from '../payments/domain/methods.js';
import type { DayMethodSum } from './domain/report-totals.js';
import type { ReportRange } from './domain/report-range.js';
import type { LineCursor, StaffTips, TakenBy, TransactionLine } from './domain/transaction-line.js';

/**
 * SQL of the transactions report. Payments carry their appointment's local date (migration 0005),
 * so lines are a range scan of one company's slice of an index, and totals are kept per day.
 * Deleted and cancelled appointments are included on purpose: their money moved, so it is reported.
 */

const inRange = (range: ReportRange) =>
  sql<boolean>`p.appointment_date BETWEEN ${range.from}::date AND ${range.to}::date`;

/**
 * Σ amount and count of the counted (not voided) payments per appointment day and method, from
 * the totals the database keeps (migration 0005): a few rows per day whatever the day holds.
 */
export async function sumByDayAndMethod(db: Executor, companyId: string, range: ReportRange): Promise<DayMethodSum[]> {
  const rows = await db
    .selectFrom('payment_day_totals as t')
    .select([
      sql<string>`t.day::text`.as('date'),
      't.method',
      // sum(bigint) is numeric; back to bigint so it parses as a checked safe integer
      sql<number>`sum(t.amount)::bigint`.as('amount'),
      sql<number>`sum(t.payment_count)::bigint`.as('count'),
    ])
    .where('t.company_id', '=', companyId)
    .where(sql<boolean>`t.day BETWEEN ${range.from}::date AND ${range.to}::date`)
    .groupBy(['t.day', 't.method'])
    .having(sql<boolean>`sum(t.payment_count) <> 0`)
    .execute();
  return rows.map((r) => ({ date: r.date, method: r.method as PaymentMethod, amount: r.amount, count: r.count }));
}

/** Up to `limit` lines after `after`, voided ones included, ordered by (appointment date, paidAt, id). */
export async function listTransactionLines(
  db: Executor,
  q: { companyId: string; range: ReportRange; after?: LineCursor | undefined; limit: number },
): Promise<TransactionLine[]> {
  let query = db
    .selectFrom('payments as p')
    .innerJoin('appointments as a', 'a.id', 'p.appointment_id')
    .innerJoin('clients as cl', 'cl.id', 'a.client_id')
    .innerJoin('staff as s', 's.id', 'a.staff_id')
    .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'p.actor_id').on('p.actor_type', '=', 'user'))
    .leftJoin('tips as tp', 'tp.payment_id', 'p.id')
    // R40: a tipped line names who the tip was booked for (the staff member at payment time), as
    // the tips per staff member do; other lines name the appointment's staff member
    .leftJoin('staff as ts', 'ts.id', 'tp.staff_id')
    .select([
      'p.id',
      'p.appointment_id',
      sql<string>`p.appointment_date::text`.as('appointment_date'),
      'a.starts_at',
      'p.paid_at',
      sql<string>`(extract(epoch FROM p.paid_at) * 1000000)::bigint::text`.as('paid_at_micros'),
      'p.method',
      'p.amount',
      'p.refund_of',
      'p.voided_at',
      'cl.name as client_name',
      sql<string>`COALESCE(ts.name, s.name)`.as('staff_name'),
      'p.provider',
      'p.actor_type',
      'p.actor_id',
      'u.name as actor_name',
      'tp.amount as tip',
    ])
    .where('p.company_id', '=', q.companyId)
    .where(inRange(q.range));
  if (q.after) {
    const { date, paidAtMicros, id } = q.after;
    query = query.where(
      sql<boolean>`(p.appointment_date, p.paid_at, p.id) >
        (${date}::date, timestamptz 'epoch' + ${paidAtMicros}::bigint * interval '1 microsecond', ${id}::text)`,
    );
  }
  const rows = await query.orderBy('p.appointment_date').orderBy('p.paid_at').orderBy('p.id').limit(q.limit).execute();
  return rows.map((r) => ({
    paymentId: r.id,
    appointmentId: r.appointment_id,
    appointmentDate: r.appointment_date,
    appointmentStartsAt: r.starts_at,
    paidAt: r.paid_at,
    paidAtMicros: r.paid_at_micros,
    method: r.method as PaymentMethod,
    amount: r.amount,
    refundOf: r.refund_of,
    voided: r.voided_at !== null,
    clientName: r.client_name,
    staffName: r.staff_name,
    provider: r.provider,
    takenBy: { type: r.actor_type as TakenBy['type'], id: r.actor_id, name: r.actor_name ?? null },
    tip: r.tip === null ? 0 : Number(r.tip),
  }));
}

/**
 * R40: the tips of the range per staff member they were given to (the appointment's staff member
 * when the payment was booked), by appointment date as the payments (R19), net of the tips given
 * back (R32, R18); a voided payment's tip is not counted.
 */
export async function sumTipsByStaff(db: Executor, companyId: string, range: ReportRange): Promise<StaffTips[]> {
  const rows = await db
    .selectFrom('tips as t')
    .innerJoin('payments as p', 'p.id', 't.payment_id')
    .innerJoin('staff as s', 's.id', 't.staff_id')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('tip_refunds')
          .select(['payment_id', sql<number>`sum(amount)`.as('back')])
          .groupBy('payment_id')
          .as('r'),
      (join) => join.onRef('r.payment_id', '=', 't.payment_id'),
    )
    .select([
      't.staff_id',
      's.name as staff_name',
      sql<number>`sum(t.amount - COALESCE(r.back, 0))::bigint`.as('amount'),
      sql<number>`count(*)::bigint`.as('count'),
    ])
    .where('p.company_id', '=', companyId)
    .where(inRange(range))
    .where('p.voided_at', 'is', null)
    .groupBy(['t.staff_id', 's.name'])
    .orderBy('s.name')
    .orderBy('t.staff_id')
    .execute();
  return rows.map((r) => ({
    staffId: r.staff_id,
    staffName: r.staff_name,
    amount: Number(r.amount),
    count: Number(r.count),
  }));
}
