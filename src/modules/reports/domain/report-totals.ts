import { sum } from '../../../shared/money.js';
import { PAYMENT_METHODS, type PaymentMethod } from '../../payments/domain/methods.js';

/** One group of counted (not voided) payments: an appointment day and a method. */
export interface DayMethodSum {
  date: string;
  method: PaymentMethod;
  amount: number;
  count: number;
}

export interface MethodTotal {
  method: PaymentMethod;
  amount: number;
  count: number;
}

export interface DayTotal {
  date: string;
  amount: number;
  count: number;
  byMethod: MethodTotal[];
}

/** R28: what a report adds up to. Refunds are negative and net out; voided payments never reach here. */
export interface ReportTotals {
  amount: number;
  count: number;
  byMethod: MethodTotal[];
  byDay: DayTotal[];
}

const methodOrder = new Map<string, number>(PAYMENT_METHODS.map((m, i) => [m, i]));
const byMethodOrder = (a: { method: string }, b: { method: string }) =>
  (methodOrder.get(a.method) ?? 99) - (methodOrder.get(b.method) ?? 99);

function totalOf(groups: readonly { amount: number; count: number }[]) {
  return { amount: sum(groups.map((g) => g.amount)), count: groups.reduce((n, g) => n + g.count, 0) };
}

function groupBy<K>(groups: readonly DayMethodSum[], key: (g: DayMethodSum) => K): Map<K, DayMethodSum[]> {
  const map = new Map<K, DayMethodSum[]>();
  for (const g of groups) {
    const group = map.get(key(g));
    if (group) group.push(g);
    else map.set(key(g), [g]);
  }
  return map;
}

function perMethod(groups: readonly DayMethodSum[]): MethodTotal[] {
  return [...groupBy(groups, (g) => g.method)].map(([method, of]) => ({ method, ...totalOf(of) })).sort(byMethodOrder);
}

/**
 * Folds the per-day, per-method sums the database computed into the report's totals. Days and
 * methods without a counted payment are left out; methods keep the glossary's order.
 */
export function summarize(groups: readonly DayMethodSum[]): ReportTotals {
  const byDay = [...groupBy(groups, (g) => g.date)]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, of]) => ({ date, ...totalOf(of), byMethod: perMethod(of) }));
  return { ...totalOf(groups), byMethod: perMethod(groups), byDay };
}
