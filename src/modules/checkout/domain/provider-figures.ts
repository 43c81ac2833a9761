/** R34: what a provider says it captured, beside what the attempt asked it to capture. */

export interface Figures {
  /** minor units of `currency` */
  amount: number;
  /** ISO 4217, upper case */
  currency: string;
}

/** What the provider reported for a success; either part may be missing from its answer. */
export interface ReportedFigures {
  amount?: number | undefined;
  currency?: string | undefined;
}

/**
 * True when a success cannot be booked as it stands: the provider captured another currency or
 * another amount than expected, or did not say which. Money whose figures we cannot confirm is
 * never booked in the attempt's currency.
 */
export function figuresDisagree(expected: Figures, reported: ReportedFigures): boolean {
  if (reported.amount === undefined || reported.currency === undefined) return true;
  return reported.currency.toUpperCase() !== expected.currency.toUpperCase() || reported.amount !== expected.amount;
}
