import type { Db } from '../../db/database.js';
import { splitPage } from '../../db/paging.js';
import { companyOrNotFound } from '../companies/index.js';
import { assertReportRange, type ReportRange } from './domain/report-range.js';
import { summarize, type ReportTotals } from './domain/report-totals.js';
import {
  decodeLineCursor,
  encodeLineCursor,
  lineCursorOf,
  type LineCursor,
  type StaffTips,
  type TransactionLine,
} from './domain/transaction-line.js';
import { type DecimalMark, csvDialect, csvHeaderRow, csvLineRow } from './domain/transactions-csv.js';
import { listTransactionLines, sumByDayAndMethod, sumTipsByStaff } from './transactions.repository.js';

export interface TransactionsReport extends ReportRange {
  currency: string;
  timezone: string;
  totals: ReportTotals;
  lines: TransactionLine[];
  nextCursor: string | null;
  /** R40: tips per staff member over the whole range */
  tips: StaffTips[];
}

export interface CsvExport {
  filename: string;
  /** the file in chunks; read it to the end or stop early, the snapshot is released either way */
  chunks: AsyncIterable<string>;
}

/** Rows fetched per round trip while the CSV streams: memory stays flat whatever the range holds. */
const CSV_BATCH = 5_000;

/** R19, R28: every payment and refund of the appointments dated in a range, with totals. */
export class TransactionsReportService {
  constructor(private readonly db: Db) {}

  /** Totals over the whole range and one page of lines, both from one snapshot so they agree. */
  async report(
    companyId: string,
    q: ReportRange & { limit: number; cursor?: string | undefined },
  ): Promise<TransactionsReport> {
    const range = assertReportRange({ from: q.from, to: q.to });
    const after = decodeLineCursor(q.cursor);
    return this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (tx) => {
        const company = await companyOrNotFound(tx, companyId);
        const groups = await sumByDayAndMethod(tx, companyId, range);
        const rows = await listTransactionLines(tx, { companyId, range, after, limit: q.limit + 1 });
        const { items: lines, nextCursor } = splitPage(rows, q.limit, (last) => encodeLineCursor(lineCursorOf(last)));
        const tips = await sumTipsByStaff(tx, companyId, range);
        return {
          ...range,
          currency: company.currency,
          timezone: company.timezone,
          totals: summarize(groups),
          lines,
          nextCursor,
          tips,
        };
      });
  }

  /**
   * Every line of the range as CSV. The range and the company are checked before the first byte,
   * so a bad request still gets a JSON error; the rows then stream from one read-only snapshot.
   */
  async csv(companyId: string, q: ReportRange, decimalMark: DecimalMark = 'point'): Promise<CsvExport> {
    const range = assertReportRange({ from: q.from, to: q.to });
    const dialect = csvDialect(decimalMark);
    const company = await companyOrNotFound(this.db, companyId);
    const db = this.db;
    async function* chunks(): AsyncGenerator<string> {
      const tx = await db.startTransaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute();
      try {
        yield csvHeaderRow(dialect);
        let after: LineCursor | undefined;
        for (;;) {
          const lines = await listTransactionLines(tx, { companyId, range, after, limit: CSV_BATCH });
          if (lines.length > 0) yield lines.map((line) => csvLineRow(line, company.currency, dialect)).join('');
          const last = lines[lines.length - 1];
          if (lines.length < CSV_BATCH || !last) break;
          after = lineCursorOf(last);
        }
      } finally {
        await tx.rollback().execute();
      }
    }
    return { filename: `transactions-${range.from}-${range.to}.csv`, chunks: chunks() };
  }
}
