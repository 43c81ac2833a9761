import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { AccountTables } from './schema-accounts.js';
import type { PaymentLinkTables } from './schema-payment-links.js';
import type { SendQuotaTables } from './schema-send-quotas.js';
import type { TipTables } from './schema-tips.js';
import type { BrandingTables } from './schema-branding.js';
import type { BackupTables } from './schema-backups.js';
import type { MessageTemplateTables } from './schema-message-templates.js';
import type { ReminderTables } from './schema-reminders.js';

/** Row types of every table, as Kysely sees them. bigint columns are parsed to number (see database.ts). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface CompaniesTable {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  country: string;
  default_tax_system: string;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: CreatedAt;
}

export interface MembershipsTable {
  company_id: string;
  user_id: string;
  role: string;
  rights: string[];
  created_at: CreatedAt;
}

export interface SessionsTable {
  id: string;
  token_hash: Buffer;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface StaffTable {
  id: string;
  company_id: string;
  name: string;
  created_at: CreatedAt;
}

export interface ClientsTable {
  id: string;
  company_id: string;
  name: string;
  phone: string | null;
  email: string | null;
  created_at: CreatedAt;
}

export interface ServicesTable {
  id: string;
  company_id: string;
  title: string;
  price_min: number;
  price_max: number;
  tax_system: string;
  vat: string;
  created_at: CreatedAt;
}

export interface ProductsTable {
  id: string;
  company_id: string;
  title: string;
  sku: string;
  barcode: string | null;
  kind: string;
  price: number;
  tax_system: string;
  vat: string;
  created_at: CreatedAt;
}

export interface AppointmentsTable {
  id: string;
  company_id: string;
  client_id: string;
  staff_id: string;
  starts_at: Timestamp;
  duration_minutes: number;
  status: string;
  comment: string | null;
  external_id: string | null;
  locked_until: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** soft deletion (0002): a deleted appointment answers 404 but keeps its ledger */
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  deleted_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AppointmentItemsTable {
  id: string;
  company_id: string;
  appointment_id: string;
  kind: string;
  service_id: string | null;
  product_id: string | null;
  product_kind: string | null;
  title: string;
  unit_price: number;
  quantity: number;
  tax_system: string;
  vat: string;
  created_at: Timestamp;
}

export interface PaymentsTable {
  id: string;
  company_id: string;
  appointment_id: string;
  method: string;
  amount: number;
  currency: string;
  paid_at: Timestamp;
  actor_type: string;
  actor_id: string | null;
  refund_of: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  voided_at: Timestamp | null;
  voided_by: string | null;
  created_at: Timestamp;
  attempt_id: ColumnType<string | null, string | null | undefined, string | null>;
  link_id: ColumnType<string | null, string | null | undefined, string | null>;
  provider: ColumnType<string | null, string | null | undefined, string | null>;
  provider_payment_id: ColumnType<string | null, string | null | undefined, string | null>;
  provider_refund_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** R19, set only by a trigger (0005). pg parses `date` to a local-midnight Date: read it as `::text`. */
  appointment_date: ColumnType<Date, never, never>;
  /** R32 (0018): when the payment's refunds are next read at the provider; set by a trigger, null when done */
  refunds_check_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  refunds_checks: ColumnType<number, number | undefined, number>;
}

/** R28 totals per company, appointment day and method, kept by triggers on payments (0005); sum the slots. */
export interface PaymentDayTotalsTable {
  company_id: string;
  day: ColumnType<Date, never, never>;
  method: string;
  slot: number;
  amount: number;
  payment_count: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  company_id: string;
  at: Timestamp;
  actor_type: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  appointment_id: string | null;
  amount_before: number | null;
  amount_after: number | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface Database
  extends PaymentLinkTables,
    AccountTables,
    SendQuotaTables,
    BackupTables,
    MessageTemplateTables,
    TipTables,
    BrandingTables,
    ReminderTables {
  companies: CompaniesTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  staff: StaffTable;
  clients: ClientsTable;
  services: ServicesTable;
  products: ProductsTable;
  appointments: AppointmentsTable;
  appointment_items: AppointmentItemsTable;
  payments: PaymentsTable;
  audit_log: AuditLogTable;
  payment_day_totals: PaymentDayTotalsTable;
}

export type CompanyRow = Selectable<CompaniesTable>;
export type UserRow = Selectable<UsersTable>;
export type ServiceRow = Selectable<ServicesTable>;
export type ProductRow = Selectable<ProductsTable>;
export type ClientRow = Selectable<ClientsTable>;
export type StaffRow = Selectable<StaffTable>;
export type AppointmentRow = Selectable<AppointmentsTable>;
export type AppointmentItemRow = Selectable<AppointmentItemsTable>;
export type PaymentRow = Selectable<PaymentsTable>;
export type NewAuditRow = Insertable<AuditLogTable>;
