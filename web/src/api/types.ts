/**
 * The API's public DTOs as the admin app reads them, under the names the screens use. Every shape
 * comes from the server's OpenAPI document (openapi.d.ts, `npm run api:types`). Amounts are minor units.
 */
import type { paths } from './openapi';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The JSON body an operation answers with `status`. */
type Answer<P extends keyof paths, M extends Method, S extends number = 200> = paths[P][M] extends {
  responses: { [K in S]: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

/** The JSON body an operation takes. */
type Body<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer T } };
}
  ? T
  : never;

const company = '/api/v1/companies/{companyId}' as const;
type C = typeof company;

/**
 * Every value of a union the server declares, as a list for a select. A value missing from the list
 * or unknown to the server fails the typecheck, so the list cannot fall behind `npm run api:types`.
 */
const everyValue =
  <T extends string>() =>
  <const L extends readonly T[]>(list: L & ([T] extends [L[number]] ? unknown : never)): L =>
    list;

export type Page<T> = { items: T[]; nextCursor: string | null };

export type Me = Answer<'/api/v1/me', 'get'>;
export type User = Me['user'];
export type MyCompany = Me['companies'][number];
/** O7: where payment links point, and who can open them */
export type ServerInfo = Answer<'/api/v1/server-info', 'get'>;

export type AppointmentView = Answer<`${C}/appointments/{id}`, 'get'>;
export type Appointment = Answer<`${C}/appointments`, 'get'>['items'][number];
export type Item = AppointmentView['items'][number];
/** `refundable` (R31): minor units still refundable of an online payment, null for the others. */
export type Payment = AppointmentView['payments'][number];
export type PaymentStatus = Appointment['paymentStatus'];
export type PaymentLink = Answer<`${C}/appointments/{id}/payment-link`, 'get'>;
export type Attempt = PaymentLink['attempts'][number];
/** `needs_review` (R34): the provider reported another currency or amount; nothing was booked. */
export type AttemptStatus = Attempt['status'];
/** `origin`: a staff refund (R31), one made at the provider (R32), or money beyond what was due (R18). */
export type Refund = AppointmentView['refunds'][number];
/** What asking for a staff refund (R31) answers. */
export type RefundRequested = Answer<`${C}/appointments/{id}/payments/{paymentId}/refunds`, 'post', 201>;
/** A payment-link email or SMS as sent (or, for a preview, as it would be sent). */
export type SentLink = Answer<`${C}/appointments/{id}/payment-link/send`, 'post'>;

export type Service = Answer<`${C}/services/{id}`, 'get'>;
export type Product = Answer<`${C}/products/{id}`, 'get'>;
export type Client = Answer<`${C}/clients/{id}`, 'get'>;
export type StaffMember = Answer<`${C}/staff/{id}`, 'get'>;
export type CompanyUser = Answer<`${C}/users/{id}`, 'get'>;
/** An invitation not yet accepted nor revoked (S1). */
export type Invitation = Answer<`${C}/invitations`, 'get'>['items'][number];
/** What inviting answers: the link went by email, or (no mail set up) is shown here once. */
export type InvitationSent = Answer<`${C}/users`, 'post', 201>;
export type InvitationPreview = Answer<'/api/v1/invitations/lookup', 'post'>;
export type CashlessSettings = Answer<`${C}/settings/cashless`, 'get'>;
/** R40: Settings → Tips. */
export type TipSettings = Answer<`${C}/settings/tips`, 'get'>;
/** R35: the company's automatic reminders of sent, unpaid links. */
export type ReminderSettings = Answer<`${C}/settings/reminders`, 'get'>;
export type ReminderOffset = ReminderSettings['offsets'][number];
export type TransactionsReport = Answer<`${C}/reports/transactions`, 'get'>;
export type Transaction = TransactionsReport['items'][number];
export type MethodTotal = TransactionsReport['totals']['byMethod'][number];
export type AuditEntry = Answer<`${C}/audit`, 'get'>['items'][number];
/** Where the company's integrators receive signed events. */
export type WebhookEndpoint = Answer<`${C}/webhook-endpoints`, 'get'>['items'][number];
/** One event sent (or being sent) to one endpoint. */
export type WebhookDelivery = Answer<`${C}/webhook-endpoints/{id}/deliveries`, 'get'>['items'][number];
/** R37: the company's message templates, per channel, kind and language, with example values. */
export type MessageTemplates = Answer<`${C}/settings/messages`, 'get'>;
export type MessageTemplate = MessageTemplates['items'][number];
export type MessageChannel = MessageTemplate['channel'];
export type MessageKind = MessageTemplate['kind'];
export type MessageLocale = MessageTemplate['locale'];
export type MessagePreview = Answer<`${C}/settings/messages/preview`, 'post'>;
/** O2: the installation's latest backup, for owners. */
export type BackupStatus = Answer<`${C}/backups/latest`, 'get'>;

export type Right = MyCompany['rights'][number];
export const RIGHTS = everyValue<Right>()([
  'appointments.read',
  'appointments.write',
  'payments.record',
  'payments.refund',
  'products.sell',
  'cashless_payment',
  'finance.settings',
  'reports.read',
  'users.manage',
]);
export type Role = CompanyUser['role'];
export const ROLES = everyValue<Role>()(['owner', 'administrator', 'staff', 'custom']);

export type AppointmentStatus = Appointment['status'];
/** Where each status may go (the server's rule, mirrored to offer only allowed buttons). */
export const NEXT_STATUSES: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  booked: ['confirmed', 'arrived', 'no_show', 'cancelled'],
  confirmed: ['booked', 'arrived', 'no_show', 'cancelled'],
  arrived: ['booked', 'confirmed'],
  no_show: ['booked', 'confirmed', 'arrived', 'cancelled'],
  cancelled: [],
};

export type DeskPaymentMethod = Body<`${C}/appointments/{id}/payments`, 'post'>['method'];
export const DESK_PAYMENT_METHODS = everyValue<DeskPaymentMethod>()([
  'cash',
  'card',
  'bank_transfer',
  'loyalty_points',
  'cashback',
  'gift_card',
  'membership',
  'deposit',
]);
export type PaymentMethod = Payment['method'];
export const PAYMENT_METHODS = everyValue<PaymentMethod>()([...DESK_PAYMENT_METHODS, 'online'] as [
  ...typeof DESK_PAYMENT_METHODS,
  'online',
]);

export type ProductKind = Product['kind'];
export const PRODUCT_KINDS = everyValue<ProductKind>()(['goods', 'membership', 'gift_card']);
export type VatCode = Service['vat'];
export const VAT_CODES = everyValue<VatCode>()([
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
]);
export type ProviderName = CashlessSettings['providers'][number];
export const PROVIDERS = everyValue<ProviderName>()(['sandbox', 'stripe', 'yookassa']);
export const RECEIPT_DELIVERY = everyValue<CashlessSettings['fiscalization']['delivery']>()(['email', 'phone', 'any']);

export type OutgoingEventType = NonNullable<Body<`${C}/webhook-endpoints`, 'post'>['events']>[number];
export const OUTGOING_EVENT_TYPES = everyValue<OutgoingEventType>()([
  'payment_link.paid',
  'attempt.succeeded',
  'refund.created',
]);
