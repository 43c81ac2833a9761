import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** R39: a company's link page branding (migration 0024). */
export interface CompanyBrandingTable {
  company_id: string;
  /** `#rrggbb`, lower case; white text on it reaches 4.5:1 */
  accent_color: string | null;
  contact_line: string | null;
  logo: Buffer | null;
  logo_type: 'image/png' | 'image/jpeg' | 'image/webp' | null;
  /** hex SHA-256 of `logo`: the logo's public URL */
  logo_sha256: string | null;
  logo_width: number | null;
  logo_height: number | null;
  updated_at: Timestamp;
  /** R41 (0025): the payment confirmation email is sent; on by default */
  confirmation_email: ColumnType<boolean, boolean | undefined, boolean>;
}

/** R41 (0025): a link payment's confirmation email, queued by a trigger when the payment is booked. */
export interface PaymentConfirmationsTable {
  id: string;
  company_id: string;
  payment_id: string;
  email: string;
  status: 'pending' | 'sent' | 'skipped' | 'failed';
  send_at: Timestamp | null;
  tries: number;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface BrandingTables {
  company_branding: CompanyBrandingTable;
  payment_confirmations: PaymentConfirmationsTable;
}
