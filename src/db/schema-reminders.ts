import type { ColumnType } from 'kysely';

/** Row types of R35's reminder tables (migration 0022). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface ReminderSettingsTable {
  company_id: string;
  enabled: boolean;
  /** `[{ anchor: 'after_sending' | 'before_visit', minutes }]` */
  offsets: Json<unknown>;
  max_count: number;
  /** quiet hours in the company's zone, `HH:MM` */
  quiet_from: string;
  quiet_to: string;
  updated_at: Timestamp;
}

export type LinkReminderStatus = 'scheduled' | 'sending' | 'sent' | 'skipped' | 'cancelled' | 'failed';

export interface LinkRemindersTable {
  id: string;
  company_id: string;
  appointment_id: string;
  link_id: string;
  channel: string;
  recipient: string;
  seq: number;
  /** R35 (0027): what the time counts from, `sent` or `visit`, and by how much; null on older rows (fixed time) */
  anchor: ColumnType<'sent' | 'visit' | null, 'sent' | 'visit' | null | undefined, 'sent' | 'visit' | null>;
  offset_minutes: ColumnType<number | null, number | null | undefined, number | null>;
  planned_at: Timestamp;
  send_at: Timestamp;
  status: LinkReminderStatus;
  reason: string | null;
  tries: ColumnType<number, number | undefined, number>;
  sent_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReminderTables {
  reminder_settings: ReminderSettingsTable;
  link_reminders: LinkRemindersTable;
}
