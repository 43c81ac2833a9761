import { validation } from '../../../shared/errors.js';

/** The longest range one report covers: a whole (leap) year. */
export const MAX_REPORT_DAYS = 366;

export interface ReportRange {
  /** first calendar day, inclusive, YYYY-MM-DD in the company's time zone */
  from: string;
  /** last calendar day, inclusive */
  to: string;
}

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** Days the range covers, both ends included (2026-01-01..2026-01-01 is one day). */
export function daysIn(range: ReportRange): number {
  return dayNumber(range.to) - dayNumber(range.from) + 1;
}

/** Refuses an inverted range or one longer than MAX_REPORT_DAYS; the days themselves are checked by the route schema. */
export function assertReportRange(range: ReportRange): ReportRange {
  const days = daysIn(range);
  if (days < 1) throw validation('to', `to (${range.to}) must not be before from (${range.from})`);
  if (days > MAX_REPORT_DAYS) {
    throw validation('to', `a report covers at most ${MAX_REPORT_DAYS} days; ${range.from}..${range.to} is ${days}`);
  }
  return range;
}
