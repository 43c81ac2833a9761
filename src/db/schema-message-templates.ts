import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** R37: a company's own text of one message (migration 0021); no row means the built-in default. */
export interface MessageTemplatesTable {
  company_id: string;
  channel: 'email' | 'sms' | 'whatsapp';
  kind: 'link' | 'reminder';
  locale: 'en' | 'ru';
  /** email only (null for SMS and WhatsApp) */
  subject: string | null;
  body: string;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface MessageTemplateTables {
  message_templates: MessageTemplatesTable;
}
