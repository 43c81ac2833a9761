import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** R38: how many messages a quota's subject has sent in one window (migration 0013). */
export interface SendQuotaCountersTable {
  quota: 'company_day' | 'recipient_hour';
  /** `{companyId}:{channel}`, or the recipient's keyed hash: never an address or a number */
  subject: string;
  window_start: Timestamp;
  resets_at: Timestamp;
  used: number;
}

export interface SendQuotaTables {
  send_quota_counters: SendQuotaCountersTable;
}
