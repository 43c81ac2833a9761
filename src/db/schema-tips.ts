import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** R40: a company's tip settings (migration 0026); no row means off with the default presets. */
export interface TipSettingsTable {
  company_id: string;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  /** whole percentages, 0–30, at most 4 */
  presets: ColumnType<number[], number[] | undefined, number[]>;
  updated_at: Timestamp;
}

/** R40: the tip ledger, one row per tipped online payment, written by a trigger with the payment. */
export interface TipsTable {
  payment_id: string;
  company_id: string;
  appointment_id: string;
  staff_id: string;
  attempt_id: string;
  amount: number;
  currency: string;
  created_at: Timestamp;
}

/** R40, R32, R18 (0029): a tip given back, one row per refund request that took it back. */
export interface TipRefundsTable {
  refund_request_id: string;
  payment_id: string;
  company_id: string;
  appointment_id: string;
  staff_id: string;
  amount: number;
  currency: string;
  created_at: Timestamp;
}

export interface TipTables {
  tip_settings: TipSettingsTable;
  tips: TipsTable;
  tip_refunds: TipRefundsTable;
}
