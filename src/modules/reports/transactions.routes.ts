import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { companyOf } from '../../http/authenticate.js';
import { companyParams, isoDay } from '../../http/schemas.js';
import type { App } from '../../http/types.js';
import { ACTOR_TYPES } from '../../shared/actor.js';
import { formatMoney } from '../../shared/money.js';
import { PAYMENT_METHODS } from '../payments/domain/methods.js';
import type { MethodTotal } from './domain/report-totals.js';
import type { TransactionLine } from './domain/transaction-line.js';
import type { TransactionsReport, TransactionsReportService } from './transactions.service.js';

const reportQuery = z.strictObject({
  from: isoDay,
  to: isoDay,
  format: z.enum(['json', 'csv']).default('json'),
  /** CSV only: `comma` writes `;` between fields and `12,50`, as spreadsheets of comma-decimal locales expect */
  decimal: z.enum(['point', 'comma']).default('point'),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  cursor: z.string().max(200).optional(),
});

const methodTotalDto = z.object({
  method: z.enum(PAYMENT_METHODS),
  amount: z.number().int(),
  amountFormatted: z.string(),
  count: z.number().int(),
});

/** One payment or refund (negative `amount`, `refundOf` set) under its appointment's date. */
export const transactionDto = z.object({
  paymentId: z.string(),
  appointmentId: z.string(),
  appointmentDate: z.string(),
  appointmentStartsAt: z.string(),
  paidAt: z.string(),
  method: z.enum(PAYMENT_METHODS),
  amount: z.number().int(),
  amountFormatted: z.string(),
  refundOf: z.string().nullable(),
  voided: z.boolean(),
  clientName: z.string(),
  staffName: z.string(),
  provider: z.string().nullable(),
  takenBy: z.object({ type: z.enum(ACTOR_TYPES), id: z.string().nullable(), name: z.string().nullable() }),
  /** R40: the tip given with this payment, beside its amount (never in it); absent without one */
  tip: z.number().int().optional(),
  tipFormatted: z.string().optional(),
});

/** R28: totals over the whole range (voided payments excluded), items paged. Days are the company's. */
export const transactionsReportDto = z.object({
  from: z.string(),
  to: z.string(),
  currency: z.string(),
  timezone: z.string(),
  totals: z.object({
    amount: z.number().int(),
    amountFormatted: z.string(),
    count: z.number().int(),
    byMethod: z.array(methodTotalDto),
    byDay: z.array(
      z.object({
        date: z.string(),
        amount: z.number().int(),
        amountFormatted: z.string(),
        count: z.number().int(),
        byMethod: z.array(methodTotalDto),
      }),
    ),
  }),
  items: z.array(transactionDto),
  nextCursor: z.string().nullable(),
  /** R40: tips per staff member over the whole range (voided payments' tips excluded) */
  tips: z.object({
    amount: z.number().int(),
    amountFormatted: z.string(),
    byStaff: z.array(
      z.object({
        staffId: z.string(),
        staffName: z.string(),
        amount: z.number().int(),
        amountFormatted: z.string(),
        count: z.number().int(),
      }),
    ),
  }),
});
type TransactionsReportDto = z.infer<typeof transactionsReportDto>;

const toMethodTotals = (totals: MethodTotal[], currency: string) =>
  totals.map((t) => ({ ...t, amountFormatted: formatMoney(t.amount, currency) }));

const toTransactionDto = (line: TransactionLine, currency: string): z.infer<typeof transactionDto> => ({
  paymentId: line.paymentId,
  appointmentId: line.appointmentId,
  appointmentDate: line.appointmentDate,
  appointmentStartsAt: line.appointmentStartsAt.toISOString(),
  paidAt: line.paidAt.toISOString(),
  method: line.method,
  amount: line.amount,
  amountFormatted: formatMoney(line.amount, currency),
  refundOf: line.refundOf,
  voided: line.voided,
  clientName: line.clientName,
  staffName: line.staffName,
  provider: line.provider,
  takenBy: line.takenBy,
  ...(line.tip ? { tip: line.tip, tipFormatted: formatMoney(line.tip, currency) } : {}),
});

function toReportDto(r: TransactionsReport): TransactionsReportDto {
  const { currency, totals } = r;
  return {
    from: r.from,
    to: r.to,
    currency,
    timezone: r.timezone,
    totals: {
      amount: totals.amount,
      amountFormatted: formatMoney(totals.amount, currency),
      count: totals.count,
      byMethod: toMethodTotals(totals.byMethod, currency),
      byDay: totals.byDay.map((d) => ({
        ...d,
        amountFormatted: formatMoney(d.amount, currency),
        byMethod: toMethodTotals(d.byMethod, currency),
      })),
    },
    items: r.lines.map((line) => toTransactionDto(line, currency)),
    nextCursor: r.nextCursor,
    tips: {
      amount: r.tips.reduce((s, t) => s + t.amount, 0),
      amountFormatted: formatMoney(
        r.tips.reduce((s, t) => s + t.amount, 0),
        currency,
      ),
      byStaff: r.tips.map((t) => ({ ...t, amountFormatted: formatMoney(t.amount, currency) })),
    },
  };
}

export function registerTransactionsReportRoutes(app: App, reports: TransactionsReportService): void {
  app.get(
    '/api/v1/companies/:companyId/reports/transactions',
    {
      config: { access: 'reports.read' },
      schema: {
        tags: ['reports'],
        description:
          'R19/R28: payments and refunds of the appointments dated `from`..`to` (inclusive, company time zone, at most 366 days). ' +
          '`format=csv` downloads every line (limit and cursor do not apply); JSON pages `items` by `limit`/`cursor` ' +
          'while `totals` always cover the whole range. Voided payments are listed but never counted. The CSV starts with a ' +
          'UTF-8 byte-order mark; `decimal=comma` separates fields with `;` and writes amounts as `12,50` (German, Russian Excel).',
        params: companyParams,
        querystring: reportQuery,
        response: {
          200: {
            description: 'The report',
            content: { 'application/json': { schema: transactionsReportDto }, 'text/csv': { schema: z.string() } },
          },
        },
      },
    },
    async (req, reply) => {
      const { from, to, format, decimal, limit, cursor } = req.query;
      if (format === 'csv') {
        const file = await reports.csv(companyOf(req), { from, to }, decimal);
        // a stream is piped as it is, never through the schema's serializer
        const untyped = reply as unknown as FastifyReply;
        return untyped
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .send(Readable.from(file.chunks));
      }
      return toReportDto(await reports.report(companyOf(req), { from, to, limit, cursor }));
    },
  );
}
