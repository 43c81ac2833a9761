import type { ColumnType, Generated, Selectable } from 'kysely';

/** Row types of the payment-link tables (migration 0003). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface CashlessSettingsTable {
  company_id: string;
  provider: string | null;
  credentials_sealed: string | null;
  credentials_hint: Json<Record<string, string>>;
  pay_by_link_enabled: boolean;
  fiscalization: Json<Record<string, unknown>>;
  sandbox_notifications: Json<Record<string, unknown>>;
  connected_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface PaymentLinksTable {
  id: string;
  company_id: string;
  appointment_id: string;
  token_hash: Buffer;
  token_sealed: string;
  status: string;
  amount: number | null;
  created_by: string | null;
  created_at: Timestamp;
  opened_at: Timestamp | null;
  paid_at: Timestamp | null;
  disabled_at: Timestamp | null;
}

export interface CheckoutAttemptsTable {
  id: string;
  company_id: string;
  appointment_id: string;
  link_id: string;
  provider: string;
  amount: number;
  currency: string;
  status: string;
  provider_status: string | null;
  provider_checkout_id: string | null;
  provider_payment_id: string | null;
  redirect_url: string | null;
  contact: string | null;
  receipt: Json<unknown> | null;
  failure: string | null;
  expires_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  ended_at: Timestamp | null;
  check_at: Timestamp;
  checks: ColumnType<number, number | undefined, number>;
  /** one last look at the provider after an attempt we ended ourselves (0007) */
  final_check_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** R34: what the provider reported capturing when it disagreed with the attempt (0012) */
  provider_amount: ColumnType<number | null, number | null | undefined, number | null>;
  provider_currency: ColumnType<string | null, string | null | undefined, string | null>;
  /** R40 (0026): the tip inside `amount`; 0 without one */
  tip: ColumnType<number, number | undefined, number>;
  /** R41 (0025): the email the client typed on the link page for the payment confirmation */
  confirmation_email: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RefundRequestsTable {
  id: string;
  company_id: string;
  appointment_id: string;
  payment_id: string;
  amount: number;
  reason: string;
  status: string;
  provider_refund_id: string | null;
  failure: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  check_at: Timestamp;
  tries: ColumnType<number, number | undefined, number>;
  /** R31, R32 (0015): overpayment (R18), staff (R31) or provider (R32, made in its dashboard) */
  origin: ColumnType<'overpayment' | 'staff' | 'provider', 'overpayment' | 'staff' | 'provider' | undefined, never>;
  actor_type: ColumnType<'user' | 'system' | 'provider', 'user' | 'system' | 'provider' | undefined, never>;
  actor_id: string | null;
  /** R31: the Idempotency-Key of a staff refund, with the hash of what it asked */
  idempotency_key: string | null;
  request_hash: string | null;
  /** R33 (0020): decided at the first try: the refund's receipt reverses a full payment (settled) or the prepayment */
  after_settlement: boolean | null;
  /** R40 (0029): the part of `amount` that gives the payment's tip back; the rest is the visit's */
  tip: ColumnType<number, number | undefined, never>;
}

/** R33 (0015): the 54-FZ settlement receipt of one online payment receipted as prepayment. */
export interface SettlementReceiptsTable {
  id: string;
  company_id: string;
  appointment_id: string;
  payment_id: string;
  status: 'pending' | 'sent' | 'failed' | 'not_needed';
  amount: number | null;
  provider_receipt_id: string | null;
  failure: string | null;
  due_at: Timestamp;
  check_at: Timestamp;
  tries: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookInboxTable {
  id: Generated<number>;
  company_id: string;
  provider: string;
  event_id: string;
  event_type: string;
  event: Json<unknown>;
  received_at: Timestamp;
  processed_at: Timestamp | null;
  tries: ColumnType<number, number | undefined, number>;
  next_try_at: Timestamp;
  last_error: string | null;
}

export interface SandboxCheckoutsTable {
  id: string;
  company_id: string;
  idempotency_key: string;
  amount: number;
  currency: string;
  description: string;
  line_items: Json<unknown>;
  metadata: Json<Record<string, string>>;
  return_url: string;
  status: string;
  refunded: ColumnType<number, number | undefined, number>;
  expires_at: Timestamp;
  created_at: Timestamp;
  completed_at: Timestamp | null;
}

export interface SandboxRefundsTable {
  id: string;
  company_id: string;
  checkout_id: string;
  idempotency_key: string;
  amount: number;
  created_at: Timestamp;
}

/** R33 (0017): settlement receipts the sandbox bank registered. */
export interface SandboxReceiptsTable {
  id: string;
  company_id: string;
  checkout_id: string;
  idempotency_key: string;
  amount: number;
  receipt: Json<unknown>;
  created_at: Timestamp;
}

export interface SandboxNotificationsTable {
  id: string;
  company_id: string;
  body: string;
  deliver_at: Timestamp;
  tries: ColumnType<number, number | undefined, number>;
  delivered_at: Timestamp | null;
  dropped: ColumnType<boolean, boolean | undefined, boolean>;
  last_error: string | null;
  created_at: Timestamp;
}

/** The sandbox bank's copy of each merchant's webhook secret (migration 0004). */
export interface SandboxMerchantsTable {
  company_id: string;
  webhook_secret: string;
  updated_at: Timestamp;
}

/** Where a company's integrators receive signed events (migration 0010). */
export interface WebhookEndpointsTable {
  id: string;
  company_id: string;
  url: string;
  events: string[];
  secret_sealed: string;
  description: string | null;
  created_at: Timestamp;
  disabled_at: Timestamp | null;
}

/** One event for one endpoint, written by the audit log's trigger, sent by the delivery job (migration 0010). */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  endpoint_id: string;
  company_id: string;
  event_id: string;
  event_type: string;
  body: string;
  created_at: Timestamp;
  next_try_at: Timestamp;
  tries: ColumnType<number, number | undefined, number>;
  delivered_at: Timestamp | null;
  failed_at: Timestamp | null;
  last_status: number | null;
  last_error: string | null;
}

export interface PaymentLinkTables {
  cashless_settings: CashlessSettingsTable;
  payment_links: PaymentLinksTable;
  checkout_attempts: CheckoutAttemptsTable;
  refund_requests: RefundRequestsTable;
  settlement_receipts: SettlementReceiptsTable;
  webhook_inbox: WebhookInboxTable;
  sandbox_checkouts: SandboxCheckoutsTable;
  sandbox_refunds: SandboxRefundsTable;
  sandbox_receipts: SandboxReceiptsTable;
  sandbox_notifications: SandboxNotificationsTable;
  sandbox_merchants: SandboxMerchantsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export type PaymentLinkRow = Selectable<PaymentLinksTable>;
export type AttemptRow = Selectable<CheckoutAttemptsTable>;
export type SandboxCheckoutRow = Selectable<SandboxCheckoutsTable>;
