/** The API's public DTOs as the admin app reads them (see /api/v1/openapi.json). Amounts are minor units. */

export const RIGHTS = [
  'appointments.read',
  'appointments.write',
  'payments.record',
  'products.sell',
  'cashless_payment',
  'finance.settings',
  'reports.read',
  'users.manage',
] as const;
export type Right = (typeof RIGHTS)[number];
export const ROLES = ['owner', 'administrator', 'staff', 'custom'] as const;
export type Role = (typeof ROLES)[number];

export const APPOINTMENT_STATUSES = ['booked', 'confirmed', 'arrived', 'no_show', 'cancelled'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
/** Where each status may go (the server's rule, mirrored to offer only allowed buttons). */
export const NEXT_STATUSES: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  booked: ['confirmed', 'arrived', 'no_show', 'cancelled'],
  confirmed: ['booked', 'arrived', 'no_show', 'cancelled'],
  arrived: ['booked', 'confirmed'],
  no_show: ['booked', 'confirmed', 'arrived', 'cancelled'],
  cancelled: [],
};

export const DESK_PAYMENT_METHODS = [
  'cash',
  'card',
  'bank_transfer',
  'loyalty_points',
  'cashback',
  'gift_card',
  'membership',
  'deposit',
] as const;
export type DeskPaymentMethod = (typeof DESK_PAYMENT_METHODS)[number];
export type PaymentMethod = DeskPaymentMethod | 'online';
export const PAYMENT_METHODS: readonly PaymentMethod[] = [...DESK_PAYMENT_METHODS, 'online'];

export const PRODUCT_KINDS = ['goods', 'membership', 'gift_card'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];
export const VAT_CODES = [
  'none',
  'vat0',
  'vat5',
  'vat7',
  'vat10',
  'vat20',
  'vat22',
  'vat5_105',
  'vat7_107',
  'vat10_110',
  'vat20_120',
  'vat22_122',
] as const;
export type VatCode = (typeof VAT_CODES)[number];
export const PROVIDERS = ['sandbox', 'stripe', 'yookassa'] as const;
export type ProviderName = (typeof PROVIDERS)[number];
export const RECEIPT_DELIVERY = ['email', 'phone', 'any'] as const;

/** Taxation systems by country (SPEC §3). */
export function taxSystemsOf(country: string): readonly string[] {
  return country.toUpperCase() === 'RU' ? ['osn', 'usn_income', 'usn_income_outcome', 'esn', 'patent'] : ['standard'];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface MyCompany {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  country: string;
  defaultTaxSystem: string;
  role: string;
  rights: Right[];
}

export interface Me {
  user: User;
  companies: MyCompany[];
}

/** O7: where payment links point, and who can open them (GET /server-info) */
export interface ServerInfo {
  publicUrl: string;
  /** PUBLIC_URL is configured; otherwise links point at http://localhost:<port> */
  publicUrlSet: boolean;
  linkReach: 'internet' | 'local_network' | 'this_computer';
}

export interface Item {
  id: string;
  kind: 'service' | 'product';
  serviceId: string | null;
  productId: string | null;
  productKind: ProductKind | null;
  title: string;
  unitPrice: number;
  quantity: number;
  total: number;
  taxSystem: string;
  vat: string;
  priceMin: number | null;
  priceMax: number | null;
}

export interface Payment {
  id: string;
  appointmentId: string;
  method: PaymentMethod;
  amount: number;
  currency: string;
  paidAt: string;
  voided: boolean;
  voidedAt: string | null;
  refundOf: string | null;
  recordedBy: { type: string; id: string | null; name: string | null };
}

export type PaymentStatus = 'unpaid' | 'partially_paid' | 'paid';

export interface Appointment {
  id: string;
  client: { id: string; name: string };
  staff: { id: string; name: string };
  startsAt: string;
  durationMinutes: number;
  status: AppointmentStatus;
  comment: string | null;
  externalId: string | null;
  currency: string;
  items: Item[];
  payments: Payment[];
  total: number;
  paid: number;
  due: number;
  paymentStatus: PaymentStatus;
  lockedUntil: string | null;
  createdAt: string;
}

/** `needs_review` (R34): the provider reported another currency or amount; nothing was booked. */
export type AttemptStatus = 'creating' | 'pending' | 'succeeded' | 'failed' | 'expired' | 'canceled' | 'needs_review';

export interface Attempt {
  id: string;
  status: AttemptStatus;
  providerStatus: string | null;
  provider: string;
  amount: number;
  createdAt: string;
  expiresAt: string;
  endedAt: string | null;
  failure: string | null;
  /** R34: what the provider reported capturing when it disagreed (needs_review); else null */
  providerAmount: number | null;
  providerCurrency: string | null;
  providerAmountFormatted: string | null;
}

export interface PaymentLink {
  id: string;
  url: string;
  token: string;
  status: 'active' | 'paid' | 'disabled';
  amount: number | null;
  collected: number;
  createdAt: string;
  openedAt: string | null;
  paidAt: string | null;
  disabledAt: string | null;
  attempts: Attempt[];
}

/** A payment-link email or SMS as sent (or, for a preview, as it would be sent). */
export interface SentLink {
  sent: boolean;
  channel: 'email' | 'sms';
  to: string;
  /** email only */
  subject: string | null;
  text: string;
  /** email only */
  html: string | null;
  sentAt: string | null;
}

export interface Refund {
  id: string;
  paymentId: string;
  amount: number;
  reason: string;
  status: 'requested' | 'succeeded' | 'failed';
  failure: string | null;
  createdAt: string;
}

export interface AppointmentView extends Appointment {
  paymentLink: PaymentLink | null;
  refunds: Refund[];
}

export interface Service {
  id: string;
  title: string;
  priceMin: number;
  priceMax: number;
  taxSystem: string;
  vat: VatCode;
  createdAt: string;
}

export interface Product {
  id: string;
  title: string;
  sku: string;
  barcode: string | null;
  kind: ProductKind;
  price: number;
  taxSystem: string;
  vat: VatCode;
  createdAt: string;
}

export interface Client {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  createdAt: string;
}

export interface StaffMember {
  id: string;
  name: string;
  createdAt: string;
}

export interface CompanyUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  rights: Right[];
  addedAt: string;
}

/** An invitation not yet accepted nor revoked (S1). */
export interface Invitation {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  rights: Right[];
  status: 'pending' | 'expired';
  sentAt: string;
  expiresAt: string;
}

/** What inviting answers: the link went by email, or (no mail set up) is shown here once. */
export interface InvitationSent {
  invitation: Invitation;
  delivery: 'email' | 'link';
  inviteUrl?: string;
}

export interface InvitationPreview {
  companyName: string;
  email: string;
  name: string | null;
  role: Role;
  /** told only when the link was emailed; null when it was shown to the inviter (S1) */
  accountExists: boolean | null;
  expiresAt: string;
}

export interface CashlessSettings {
  provider: ProviderName | null;
  connected: boolean;
  connectedAt: string | null;
  credentialsHint: Record<string, string>;
  payByLinkEnabled: boolean;
  available: boolean;
  fiscalization: { enabled: boolean; taxSystem?: string; delivery: 'email' | 'phone' | 'any' };
  webhookUrl: string | null;
  providers: ProviderName[];
}

export interface MethodTotal {
  method: PaymentMethod;
  amount: number;
  count: number;
}

export interface Transaction {
  paymentId: string;
  appointmentId: string;
  appointmentDate: string;
  appointmentStartsAt: string;
  paidAt: string;
  method: PaymentMethod;
  amount: number;
  refundOf: string | null;
  voided: boolean;
  clientName: string;
  staffName: string;
  provider: string | null;
  takenBy: { type: string; id: string | null; name: string | null };
}

export interface TransactionsReport {
  from: string;
  to: string;
  currency: string;
  timezone: string;
  totals: {
    amount: number;
    count: number;
    byMethod: MethodTotal[];
    byDay: { date: string; amount: number; count: number; byMethod: MethodTotal[] }[];
  };
  items: Transaction[];
  nextCursor: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: { type: 'user' | 'client' | 'provider' | 'system'; id: string | null };
  action: string;
  entityType: string;
  entityId: string;
  appointmentId: string | null;
  amountBefore: number | null;
  amountAfter: number | null;
  details: Record<string, unknown>;
}

export const OUTGOING_EVENT_TYPES = ['payment_link.paid', 'attempt.succeeded', 'refund.created'] as const;
export type OutgoingEventType = (typeof OUTGOING_EVENT_TYPES)[number];

/** Where the company's integrators receive signed events. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: OutgoingEventType[];
  description: string | null;
  createdAt: string;
}

/** One event sent (or being sent) to one endpoint. */
export interface WebhookDelivery {
  eventId: string;
  /** `ping`: a test event sent on request */
  type: OutgoingEventType | 'ping';
  createdAt: string;
  status: 'pending' | 'delivered' | 'failed';
  tries: number;
  nextTryAt: string | null;
  deliveredAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
}

/** O2: the installation's latest backup, for owners. */
export interface BackupStatus {
  latest: { at: string; kind: 'daily' | 'manual'; sizeBytes: number } | null;
  /** a backup finished in the last 48 hours */
  recent: boolean;
  /** whether this installation writes one every day */
  dailyBackups: boolean;
}
