import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { insertAppointment } from '../../src/modules/appointments/appointments.repository.js';
import { insertPayment } from '../../src/modules/payments/payments.repository.js';
import { assertReportRange } from '../../src/modules/reports/domain/report-range.js';
import { summarize } from '../../src/modules/reports/domain/report-totals.js';
import { amountCell, quoteField, textCell } from '../../src/modules/reports/domain/transactions-csv.js';
import { newId } from '../../src/shared/ids.js';
import { addDays, localDate, zonedInstant } from '../../src/shared/zoned-time.js';
import { newClient, newStaffMember } from '../helpers/factories.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';

const t = await createTestApp();

interface Salon extends TestCompany {
  timezone: string;
  currency: string;
  clientId: string;
  staffId: string;
}

async function salon(
  input: { timezone?: string; currency?: string; clientName?: string; staffName?: string } = {},
): Promise<Salon> {
  const timezone = input.timezone ?? 'Europe/Berlin';
  const currency = input.currency ?? 'EUR';
  const company = await t.newCompany({ timezone, currency });
  const client = await newClient(t.db, company.id, { name: input.clientName ?? 'Anna Smith' });
  const staff = await newStaffMember(t.db, company.id, { name: input.staffName ?? 'Maria' });
  return { ...company, timezone, currency, clientId: client.id, staffId: staff.id };
}

async function appointment(
  s: Salon,
  startsAt: Date | string,
  extra: { deleted?: boolean; status?: string } = {},
): Promise<string> {
  const id = newId('appointment');
  await insertAppointment(t.db, {
    id,
    company_id: s.id,
    client_id: s.clientId,
    staff_id: s.staffId,
    starts_at: startsAt,
    duration_minutes: 60,
    status: extra.status ?? 'booked',
    comment: null,
    external_id: null,
    locked_until: null,
    updated_at: new Date(),
    deleted_at: extra.deleted ? new Date() : null,
  });
  return id;
}

async function payment(
  s: Salon,
  appointmentId: string,
  p: {
    amount: number;
    method?: string;
    paidAt?: Date | string;
    refundOf?: string;
    voided?: boolean;
    provider?: string;
  },
): Promise<string> {
  const id = newId('payment');
  await insertPayment(t.db, {
    id,
    company_id: s.id,
    appointment_id: appointmentId,
    method: p.method ?? 'cash',
    amount: p.amount,
    currency: s.currency,
    paid_at: p.paidAt ?? new Date('2026-03-10T12:00:00Z'),
    actor_type: p.provider ? 'provider' : 'user',
    actor_id: p.provider ? null : s.ownerId,
    refund_of: p.refundOf ?? null,
    idempotency_key: null,
    request_hash: null,
    voided_at: p.voided ? new Date() : null,
    voided_by: p.voided ? s.ownerId : null,
    provider: p.provider ?? null,
  });
  return id;
}

const reportUrl = (s: Salon, query: string) => `${s.base}/reports/transactions?${query}`;

/** RFC 4180 reader, enough to check what a spreadsheet would see; the file must start with the UTF-8 BOM. */
function parseCsv(file: string, separator = ','): string[][] {
  expect(file.charCodeAt(0)).toBe(0xfeff);
  const text = file.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describe('transactions report: dates (R19)', () => {
  it('R19 reports a payment taken today for an appointment dated yesterday under yesterday', async () => {
    const s = await salon({ timezone: 'Europe/Berlin' });
    const today = localDate(t.clock.now(), s.timezone);
    const yesterday = addDays(today, -1);
    const appt = await appointment(s, zonedInstant(yesterday, 10, 0, s.timezone));
    const paid = await payment(s, appt, {
      amount: 4_500,
      method: 'online',
      paidAt: t.clock.now(),
      provider: 'sandbox',
    });

    const then = await s.owner.get(reportUrl(s, `from=${yesterday}&to=${yesterday}`));
    expect(then.status).toBe(200);
    expect(then.body.items).toHaveLength(1);
    expect(then.body.items[0]).toMatchObject({
      paymentId: paid,
      appointmentDate: yesterday,
      paidAt: t.clock.now().toISOString(),
      provider: 'sandbox',
    });
    expect(then.body.totals.byDay).toEqual([expect.objectContaining({ date: yesterday, amount: 4_500, count: 1 })]);

    const now = await s.owner.get(reportUrl(s, `from=${today}&to=${today}`));
    expect(now.body.items).toEqual([]);
    expect(now.body.totals).toMatchObject({ amount: 0, count: 0, byMethod: [], byDay: [] });
  });

  it('R19 files an appointment at 23:30 local time in a UTC+ zone under the local date', async () => {
    const s = await salon({ timezone: 'Asia/Tokyo' });
    const late = await appointment(s, zonedInstant('2026-03-10', 23, 30, s.timezone));
    // 00:30 in a UTC+ zone is still the previous day in UTC: it must not slip back
    const early = await appointment(s, zonedInstant('2026-03-11', 0, 30, s.timezone));
    await payment(s, late, { amount: 1_000, paidAt: '2026-03-10T14:31:00Z' });
    await payment(s, early, { amount: 2_000, paidAt: '2026-03-10T15:31:00Z' });

    const res = await s.owner.get(reportUrl(s, 'from=2026-03-10&to=2026-03-11'));
    expect(res.body.timezone).toBe('Asia/Tokyo');
    expect(res.body.items.map((i: any) => [i.appointmentDate, i.amount])).toEqual([
      ['2026-03-10', 1_000],
      ['2026-03-11', 2_000],
    ]);
    const only11 = await s.owner.get(reportUrl(s, 'from=2026-03-11&to=2026-03-11'));
    expect(only11.body.totals).toMatchObject({ amount: 2_000, count: 1 });
  });

  it('R19 files a 23:30 appointment in a UTC− zone under its local date, not the next UTC day', async () => {
    const s = await salon({ timezone: 'America/New_York', currency: 'USD' });
    const appt = await appointment(s, zonedInstant('2026-03-10', 23, 30, s.timezone));
    await payment(s, appt, { amount: 3_000 });
    const res = await s.owner.get(reportUrl(s, 'from=2026-03-10&to=2026-03-10'));
    expect(res.body.items).toEqual([
      expect.objectContaining({ appointmentDate: '2026-03-10', appointmentStartsAt: '2026-03-11T03:30:00.000Z' }),
    ]);
  });

  it('R19 moves payments with their appointment when it is rescheduled, and ignores a hand-written date', async () => {
    const s = await salon();
    const appt = await appointment(s, zonedInstant('2026-03-10', 12, 0, s.timezone));
    const paid = await payment(s, appt, { amount: 2_500 });
    await t.db
      .updateTable('appointments')
      .set({ starts_at: zonedInstant('2026-03-12', 9, 0, s.timezone) })
      .where('id', '=', appt)
      .execute();
    await sql`UPDATE payments SET appointment_date = '2000-01-01' WHERE id = ${paid}`.execute(t.db);

    const res = await s.owner.get(reportUrl(s, 'from=2026-03-01&to=2026-03-31'));
    expect(res.body.items).toEqual([expect.objectContaining({ paymentId: paid, appointmentDate: '2026-03-12' })]);
  });

  it('R19 follows a change of the company time zone', async () => {
    const s = await salon({ timezone: 'Europe/Berlin' });
    const appt = await appointment(s, '2026-03-10T23:30:00Z'); // 00:30 on the 11th in Berlin
    await payment(s, appt, { amount: 700 });
    expect((await s.owner.get(reportUrl(s, 'from=2026-03-11&to=2026-03-11'))).body.totals.count).toBe(1);
    await t.db.updateTable('companies').set({ timezone: 'America/New_York' }).where('id', '=', s.id).execute();
    const res = await s.owner.get(reportUrl(s, 'from=2026-03-10&to=2026-03-11'));
    expect(res.body.items.map((i: any) => i.appointmentDate)).toEqual(['2026-03-10']);
  });
});

describe('transactions report: totals (R28)', () => {
  it('R28 totals per method and per day over the whole range, in the company currency', async () => {
    const s = await salon({ currency: 'EUR' });
    const other = await salon();
    const day1 = await appointment(s, zonedInstant('2026-04-01', 10, 0, s.timezone));
    const day1b = await appointment(s, zonedInstant('2026-04-01', 15, 0, s.timezone), { status: 'cancelled' });
    const day2 = await appointment(s, zonedInstant('2026-04-02', 10, 0, s.timezone));
    const outside = await appointment(s, zonedInstant('2026-04-03', 10, 0, s.timezone));
    await payment(s, day1, { amount: 1_000, method: 'cash', paidAt: '2026-04-01T08:30:00Z' });
    await payment(s, day1, { amount: 2_000, method: 'card', paidAt: '2026-04-01T08:31:00Z' });
    await payment(s, day1b, { amount: 500, method: 'cash', paidAt: '2026-04-01T13:00:00Z' });
    await payment(s, day2, { amount: 10_000, method: 'online', paidAt: '2026-03-20T10:00:00Z', provider: 'sandbox' });
    await payment(s, day2, { amount: 1_234, method: 'gift_card', paidAt: '2026-04-02T09:00:00Z' });
    await payment(s, outside, { amount: 99_999, method: 'cash' });
    const foreign = await appointment(other, zonedInstant('2026-04-01', 10, 0, other.timezone));
    await payment(other, foreign, { amount: 77_777, method: 'cash' });

    const res = await s.owner.get(reportUrl(s, 'from=2026-04-01&to=2026-04-02'));
    expect(res.status).toBe(200);
    const eur = (amount: number) =>
      new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(amount / 100);
    expect(res.body).toMatchObject({ from: '2026-04-01', to: '2026-04-02', currency: 'EUR', nextCursor: null });
    expect(res.body.totals).toEqual({
      amount: 14_734,
      amountFormatted: eur(14_734),
      count: 5,
      byMethod: [
        { method: 'cash', amount: 1_500, amountFormatted: eur(1_500), count: 2 },
        { method: 'card', amount: 2_000, amountFormatted: eur(2_000), count: 1 },
        { method: 'gift_card', amount: 1_234, amountFormatted: eur(1_234), count: 1 },
        { method: 'online', amount: 10_000, amountFormatted: eur(10_000), count: 1 },
      ],
      byDay: [
        {
          date: '2026-04-01',
          amount: 3_500,
          amountFormatted: eur(3_500),
          count: 3,
          byMethod: [
            { method: 'cash', amount: 1_500, amountFormatted: eur(1_500), count: 2 },
            { method: 'card', amount: 2_000, amountFormatted: eur(2_000), count: 1 },
          ],
        },
        {
          date: '2026-04-02',
          amount: 11_234,
          amountFormatted: eur(11_234),
          count: 2,
          byMethod: [
            { method: 'gift_card', amount: 1_234, amountFormatted: eur(1_234), count: 1 },
            { method: 'online', amount: 10_000, amountFormatted: eur(10_000), count: 1 },
          ],
        },
      ],
    });
    // ordered by appointment date, then paidAt: the online payment made in March sorts first on the 2nd
    expect(res.body.items.map((i: any) => [i.appointmentDate, i.method, i.amount])).toEqual([
      ['2026-04-01', 'cash', 1_000],
      ['2026-04-01', 'card', 2_000],
      ['2026-04-01', 'cash', 500],
      ['2026-04-02', 'online', 10_000],
      ['2026-04-02', 'gift_card', 1_234],
    ]);
    expect(res.body.items[0]).toMatchObject({
      clientName: 'Anna Smith',
      staffName: 'Maria',
      takenBy: { type: 'user', id: s.ownerId, name: 'Test Owner' },
    });
  });

  it('R28 nets refunds (negative, naming the payment) and leaves voided payments out of every total', async () => {
    const s = await salon();
    const appt = await appointment(s, zonedInstant('2026-04-05', 11, 0, s.timezone));
    const paid = await payment(s, appt, {
      amount: 10_000,
      method: 'online',
      provider: 'sandbox',
      paidAt: '2026-04-05T09:00:00Z',
    });
    const refund = await payment(s, appt, {
      amount: -3_000,
      method: 'online',
      provider: 'sandbox',
      refundOf: paid,
      paidAt: '2026-04-05T09:05:00Z',
    });
    const voided = await payment(s, appt, {
      amount: 5_000,
      method: 'cash',
      voided: true,
      paidAt: '2026-04-05T09:10:00Z',
    });

    const res = await s.owner.get(reportUrl(s, 'from=2026-04-05&to=2026-04-05'));
    expect(res.body.totals).toMatchObject({
      amount: 7_000,
      count: 2,
      byMethod: [{ method: 'online', amount: 7_000, count: 2 }],
    });
    expect(res.body.totals.byDay).toEqual([
      expect.objectContaining({
        date: '2026-04-05',
        amount: 7_000,
        count: 2,
        byMethod: [expect.objectContaining({ method: 'online', amount: 7_000 })],
      }),
    ]);
    expect(
      res.body.items.map((i: any) => ({ id: i.paymentId, amount: i.amount, refundOf: i.refundOf, voided: i.voided })),
    ).toEqual([
      { id: paid, amount: 10_000, refundOf: null, voided: false },
      { id: refund, amount: -3_000, refundOf: paid, voided: false },
      { id: voided, amount: 5_000, refundOf: null, voided: true },
    ]);
    expect(res.body.items[1].amountFormatted).toContain('30.00');
    expect(res.body.items[1].takenBy).toEqual({ type: 'provider', id: null, name: null });
  });

  it('R28 reports the payments of a deleted appointment: the money moved', async () => {
    const s = await salon();
    const appt = await appointment(s, zonedInstant('2026-04-06', 11, 0, s.timezone), { deleted: true });
    await payment(s, appt, { amount: 800 });
    const res = await s.owner.get(reportUrl(s, 'from=2026-04-06&to=2026-04-06'));
    expect(res.body.items).toEqual([expect.objectContaining({ appointmentId: appt, amount: 800 })]);
    expect(res.body.totals.amount).toBe(800);
  });

  it('R28 pages items by (appointment date, paidAt, id) while totals stay whole', async () => {
    const s = await salon();
    const a1 = await appointment(s, zonedInstant('2026-05-01', 9, 0, s.timezone));
    const a2 = await appointment(s, zonedInstant('2026-05-02', 9, 0, s.timezone));
    // three payments within one millisecond: the cursor must keep microseconds apart
    for (const micros of ['100', '200', '300']) {
      await payment(s, a2, { amount: 100, paidAt: `2026-05-02 07:00:00.000${micros}+00` });
    }
    await payment(s, a1, { amount: 100, paidAt: '2026-05-03T07:00:00Z' });
    await payment(s, a1, { amount: 100, paidAt: '2026-05-01T07:00:00Z', voided: true });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: any = await s.owner.get(
        reportUrl(s, `from=2026-05-01&to=2026-05-02&limit=2${cursor ? `&cursor=${cursor}` : ''}`),
      );
      expect(res.status).toBe(200);
      expect(res.body.totals).toMatchObject({ amount: 400, count: 4 });
      seen.push(...res.body.items.map((i: any) => `${i.appointmentDate} ${i.paidAt}`));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([
      '2026-05-01 2026-05-01T07:00:00.000Z',
      '2026-05-01 2026-05-03T07:00:00.000Z',
      '2026-05-02 2026-05-02T07:00:00.000Z',
      '2026-05-02 2026-05-02T07:00:00.000Z',
      '2026-05-02 2026-05-02T07:00:00.000Z',
    ]);
  });
});

describe('transactions report: totals kept by the database (R28)', () => {
  const ledgerTotals = async (companyId: string) =>
    (
      await sql<{ date: string; method: string; amount: number; count: number }>`
        SELECT appointment_date::text AS date, method, sum(amount)::bigint AS amount, count(*) AS count
          FROM payments WHERE company_id = ${companyId} AND voided_at IS NULL
         GROUP BY 1, 2 ORDER BY 1, 2`.execute(t.db)
    ).rows;
  const reportedTotals = async (s: Salon) => {
    const res = await s.owner.get(reportUrl(s, 'from=2026-07-01&to=2026-07-31'));
    return res.body.totals.byDay.flatMap((d: any) =>
      d.byMethod.map((m: any) => ({ date: d.date, method: m.method, amount: m.amount, count: m.count })),
    );
  };

  it('R28 totals agree with the ledger after voids, un-voids, moves, deletes and a time zone change', async () => {
    const s = await salon({ timezone: 'Europe/Berlin' });
    const a = await appointment(s, zonedInstant('2026-07-01', 23, 30, s.timezone));
    const b = await appointment(s, zonedInstant('2026-07-02', 10, 0, s.timezone));
    const paidA = await payment(s, a, { amount: 5_000, method: 'card' });
    await payment(s, a, { amount: -1_000, method: 'card', refundOf: paidA });
    const cashB = await payment(s, b, { amount: 2_000, method: 'cash' });
    await payment(s, b, { amount: 3_000, method: 'cash' });
    const lost = await payment(s, b, { amount: 400, method: 'deposit' });
    expect(await reportedTotals(s)).toEqual(await ledgerTotals(s.id));

    await t.db
      .updateTable('payments')
      .set({ voided_at: new Date(), voided_by: s.ownerId })
      .where('appointment_id', '=', b)
      .where('method', '=', 'cash')
      .execute();
    await t.db.updateTable('payments').set({ voided_at: null, voided_by: null }).where('id', '=', cashB).execute();
    await t.db.updateTable('payments').set({ method: 'gift_card' }).where('id', '=', paidA).execute();
    await t.db.deleteFrom('payments').where('id', '=', lost).execute();
    await t.db
      .updateTable('appointments')
      .set({ starts_at: zonedInstant('2026-07-05', 9, 0, s.timezone) })
      .where('id', '=', b)
      .execute();
    await t.db.updateTable('companies').set({ timezone: 'Asia/Tokyo' }).where('id', '=', s.id).execute();

    const reported = await reportedTotals(s);
    expect(reported).toEqual(await ledgerTotals(s.id));
    expect(reported).toEqual([
      { date: '2026-07-02', method: 'card', amount: -1_000, count: 1 },
      { date: '2026-07-02', method: 'gift_card', amount: 5_000, count: 1 },
      { date: '2026-07-05', method: 'cash', amount: 2_000, count: 1 },
    ]);
  });

  it('R28 totals stay exact when many payments of one busy day commit at once', async () => {
    const s = await salon();
    const visits = await Promise.all(
      Array.from({ length: 40 }, (_, i) => appointment(s, zonedInstant('2026-07-10', 8 + (i % 10), i, s.timezone))),
    );
    await Promise.all(
      visits.map((id, i) =>
        t.db.transaction().execute(async (tx) => {
          await tx
            .insertInto('payments')
            .values({
              id: newId('payment'),
              company_id: s.id,
              appointment_id: id,
              method: 'online',
              amount: 1_000 + i,
              currency: s.currency,
              paid_at: new Date(),
              actor_type: 'provider',
              actor_id: null,
              refund_of: null,
              idempotency_key: null,
              request_hash: null,
              voided_at: i % 5 === 0 ? new Date() : null,
              voided_by: null,
              created_at: new Date(),
            })
            .execute();
          await tx
            .insertInto('payments')
            .values({
              id: newId('payment'),
              company_id: s.id,
              appointment_id: id,
              method: 'cash',
              amount: 100,
              currency: s.currency,
              paid_at: new Date(),
              actor_type: 'user',
              actor_id: s.ownerId,
              refund_of: null,
              idempotency_key: null,
              request_hash: null,
              voided_at: null,
              voided_by: null,
              created_at: new Date(),
            })
            .execute();
        }),
      ),
    );
    const reported = await reportedTotals(s);
    expect(reported).toEqual(await ledgerTotals(s.id));
    expect(reported).toEqual([
      { date: '2026-07-10', method: 'cash', amount: 4_000, count: 40 },
      {
        date: '2026-07-10',
        method: 'online',
        amount: 32 * 1_000 + (780 - (0 + 5 + 10 + 15 + 20 + 25 + 30 + 35)),
        count: 32,
      },
    ]);
  });
});

describe('transactions report: CSV (R28)', () => {
  it('R28 exports every line as RFC 4180 CSV with exact decimal amounts and defused formulas', async () => {
    const s = await salon({ clientName: '=HYPERLINK("http://evil.test","Smith, Jo")', staffName: '-Max "the blade"' });
    const appt = await appointment(s, zonedInstant('2026-06-01', 10, 0, s.timezone));
    const paid = await payment(s, appt, { amount: 150_000, method: 'card', paidAt: '2026-06-01T08:00:00Z' });
    await payment(s, appt, { amount: -5, method: 'card', refundOf: paid, paidAt: '2026-06-01T08:01:00Z' });
    await payment(s, appt, { amount: 700, method: 'cash', voided: true, paidAt: '2026-06-01T08:02:00Z' });

    const res = await s.owner.get(reportUrl(s, 'from=2026-06-01&to=2026-06-01&format=csv&limit=1'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="transactions-2026-06-01-2026-06-01.csv"');
    expect(res.text.endsWith('\r\n')).toBe(true);
    expect(res.text).toContain(`"'=HYPERLINK(""http://evil.test"",""Smith, Jo"")"`);

    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual([
      'payment_id',
      'appointment_id',
      'appointment_date',
      'appointment_starts_at',
      'paid_at',
      'method',
      'amount',
      'currency',
      'refund_of',
      'voided',
      'client_name',
      'staff_name',
      'provider',
      'taken_by',
      'tip',
    ]);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual([
      paid,
      appt,
      '2026-06-01',
      zonedInstant('2026-06-01', 10, 0, s.timezone).toISOString(),
      '2026-06-01T08:00:00.000Z',
      'card',
      '1500.00',
      'EUR',
      '',
      'false',
      `'=HYPERLINK("http://evil.test","Smith, Jo")`,
      `'-Max "the blade"`,
      '',
      'Test Owner',
      '',
    ]);
    // a negative amount is a number, not a formula: no quote in front
    expect(rows[1]!.slice(6, 10)).toEqual(['-0.05', 'EUR', paid, 'false']);
    expect(rows[2]!.slice(5, 10)).toEqual(['cash', '7.00', 'EUR', '', 'true']);
  });

  it('R28 decimal=comma writes `;` between fields and `12,50` amounts, with the BOM, for comma-decimal spreadsheets', async () => {
    const s = await salon({ clientName: 'Иванова; Анна', staffName: 'Мария' });
    const appt = await appointment(s, zonedInstant('2026-06-03', 10, 0, s.timezone));
    const paid = await payment(s, appt, { amount: 150_050, method: 'card', paidAt: '2026-06-03T08:00:00Z' });
    await payment(s, appt, { amount: -5, method: 'card', refundOf: paid, paidAt: '2026-06-03T08:01:00Z' });

    const res = await s.owner.get(reportUrl(s, 'from=2026-06-03&to=2026-06-03&format=csv&decimal=comma'));
    expect(res.status).toBe(200);
    expect(res.text).toContain('"Иванова; Анна"');
    const [header, ...rows] = parseCsv(res.text, ';');
    expect(header).toHaveLength(15);
    expect(rows.map((r) => [r[6], r[10], r[11]])).toEqual([
      ['1500,50', 'Иванова; Анна', 'Мария'],
      ['-0,05', 'Иванова; Анна', 'Мария'],
    ]);
    expect((await s.owner.get(reportUrl(s, 'from=2026-06-03&to=2026-06-03&format=csv&decimal=dot'))).status).toBe(400);
  });

  it('R28 streams all rows past one batch, in report order, in a zero-decimal currency', async () => {
    const s = await salon({ currency: 'JPY', timezone: 'Asia/Tokyo' });
    const appt = await appointment(s, zonedInstant('2026-06-02', 10, 0, s.timezone));
    await sql`
      INSERT INTO payments (id, company_id, appointment_id, method, amount, currency, paid_at, actor_type, actor_id, created_at)
      SELECT 'pay_bulk' || lpad(n::text, 12, '0'), ${s.id}, ${appt}, 'cash', n, 'JPY',
             timestamptz '2026-06-02 01:00:00+00' + n * interval '1 second', 'system', NULL, now()
        FROM generate_series(1, 5003) AS n
    `.execute(t.db);
    const res = await s.owner.get(reportUrl(s, 'from=2026-06-02&to=2026-06-02&format=csv'));
    const [, ...rows] = parseCsv(res.text);
    expect(rows).toHaveLength(5003);
    expect(rows.map((r) => r[6])).toEqual(Array.from({ length: 5003 }, (_, i) => String(i + 1)));
    expect(new Set(rows.map((r) => r[0])).size).toBe(5003);
    expect(rows[0]![13]).toBe('system');
  });
});

describe('transactions report: access and validation', () => {
  it('answers 403 without reports.read, for JSON and CSV alike', async () => {
    const s = await salon();
    const staff = await t.newUser(s.id, 'staff');
    for (const format of ['json', 'csv']) {
      const res = await staff.api.get(reportUrl(s, `from=2026-01-01&to=2026-01-31&format=${format}`));
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'forbidden', right: 'reports.read' });
    }
    const reader = await t.newUser(s.id, 'custom', ['reports.read']);
    expect((await reader.api.get(reportUrl(s, 'from=2026-01-01&to=2026-01-31'))).status).toBe(200);
  });

  it('answers 404 to a user of another company', async () => {
    const s = await salon();
    const other = await salon();
    const res = await other.owner.get(reportUrl(s, 'from=2026-01-01&to=2026-01-31'));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it.each([
    ['from=2026-02-30&to=2026-03-01', 'from'],
    ['from=2026-03-01&to=31.03.2026', 'to'],
    ['from=2026-03-01', 'to'],
    ['from=2026-03-10&to=2026-03-09', 'to'],
    ['from=2025-01-01&to=2026-01-02', 'to'],
    ['from=2026-03-01&to=2026-03-02&limit=5001', 'limit'],
    ['from=2026-03-01&to=2026-03-02&format=xlsx', 'format'],
    ['from=2026-03-01&to=2026-03-02&cursor=bm9wZQ', 'cursor'],
  ])('refuses %s with 400 validation_failed naming %s', async (query, field) => {
    const s = await salon();
    const res = await s.owner.get(reportUrl(s, query));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', field });
  });

  it('accepts a whole leap year (366 days)', async () => {
    const s = await salon();
    expect((await s.owner.get(reportUrl(s, 'from=2024-01-01&to=2024-12-31'))).status).toBe(200);
    expect((await s.owner.get(reportUrl(s, 'from=2024-01-01&to=2024-12-31&format=csv'))).status).toBe(200);
  });
});

describe('transactions report: pure parts', () => {
  it('counts both ends of a range and caps it at 366 days', () => {
    expect(() => assertReportRange({ from: '2026-03-01', to: '2026-03-01' })).not.toThrow();
    expect(() => assertReportRange({ from: '2025-01-01', to: '2026-01-01' })).not.toThrow();
    expect(() => assertReportRange({ from: '2025-01-01', to: '2026-01-02' })).toThrow(/at most 366 days/);
  });

  it('summarizes groups into totals in glossary method order', () => {
    const totals = summarize([
      { date: '2026-01-02', method: 'online', amount: 5, count: 1 },
      { date: '2026-01-01', method: 'online', amount: -2, count: 1 },
      { date: '2026-01-01', method: 'cash', amount: 10, count: 2 },
    ]);
    expect(totals.amount).toBe(13);
    expect(totals.count).toBe(4);
    expect(totals.byMethod.map((m) => [m.method, m.amount])).toEqual([
      ['cash', 10],
      ['online', 3],
    ]);
    expect(totals.byDay.map((d) => [d.date, d.amount, d.byMethod.length])).toEqual([
      ['2026-01-01', 8, 2],
      ['2026-01-02', 5, 1],
    ]);
  });

  it('quotes and defuses CSV cells', () => {
    expect(quoteField('plain')).toBe('plain');
    expect(quoteField('a,b')).toBe('"a,b"');
    expect(quoteField('line\nbreak')).toBe('"line\nbreak"');
    expect(textCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(textCell('+1 555')).toBe("'+1 555");
    expect(textCell('\t=1')).toBe("'\t=1");
    expect(textCell(null)).toBe('');
    expect(amountCell(-150_050, 2)).toBe('-1500.50');
    expect(amountCell(1_500, 3)).toBe('1.500');
    expect(amountCell(7, 0)).toBe('7');
    expect(amountCell(-150_050, 2, ',')).toBe('-1500,50');
    expect(quoteField('a;b')).toBe('"a;b"');
  });
});
