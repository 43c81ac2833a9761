import { z } from 'zod';
import { formatMoney } from '../../shared/money.js';
import { PRODUCT_KINDS } from '../catalog/domain/catalog-rules.js';
import { paymentDto, toPaymentDto } from '../payments/payment-dto.js';
import type { PaymentViewRow } from '../payments/index.js';
import type { AppointmentViewRow, ItemViewRow } from './appointments.repository.js';
import { computeAmounts, itemTotal } from './domain/amounts.js';
import { APPOINTMENT_STATUSES, type AppointmentStatus } from './domain/status.js';

/** An item as the API shows it: what was sold, at the price and taxes copied when it was added. */
export const itemDto = z.object({
  id: z.string(),
  kind: z.enum(['service', 'product']),
  serviceId: z.string().nullable(),
  productId: z.string().nullable(),
  productKind: z.enum(PRODUCT_KINDS).nullable(),
  title: z.string(),
  unitPrice: z.number().int(),
  unitPriceFormatted: z.string(),
  quantity: z.number().int(),
  total: z.number().int(),
  totalFormatted: z.string(),
  taxSystem: z.string(),
  vat: z.string(),
  /** the catalogue range a service's price may move in (null for products) */
  priceMin: z.number().int().nullable(),
  priceMax: z.number().int().nullable(),
});
export type ItemDto = z.infer<typeof itemDto>;

/** An appointment with its items, payments and derived money (never stored; see domain/amounts.ts). */
export const appointmentDto = z.object({
  id: z.string(),
  client: z.object({ id: z.string(), name: z.string() }),
  staff: z.object({ id: z.string(), name: z.string() }),
  startsAt: z.string(),
  durationMinutes: z.number().int(),
  status: z.enum(APPOINTMENT_STATUSES),
  comment: z.string().nullable(),
  externalId: z.string().nullable(),
  currency: z.string(),
  items: z.array(itemDto),
  payments: z.array(paymentDto),
  total: z.number().int(),
  totalFormatted: z.string(),
  paid: z.number().int(),
  paidFormatted: z.string(),
  /** total − paid; negative means overpaid (a price was lowered after payment) */
  due: z.number().int(),
  dueFormatted: z.string(),
  paymentStatus: z.enum(['unpaid', 'partially_paid', 'paid']),
  /** set while a client is paying by link: money changes answer 409 appointment_locked until then (R13) */
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});
export type AppointmentDto = z.infer<typeof appointmentDto>;

export function toItemDto(i: ItemViewRow, currency: string): ItemDto {
  const isService = i.kind === 'service';
  const total = itemTotal({ unitPrice: i.unit_price, quantity: i.quantity });
  return {
    id: i.id,
    kind: isService ? 'service' : 'product',
    serviceId: i.service_id,
    productId: i.product_id,
    productKind: i.product_kind as ItemDto['productKind'],
    title: i.title,
    unitPrice: i.unit_price,
    unitPriceFormatted: formatMoney(i.unit_price, currency),
    quantity: i.quantity,
    total,
    totalFormatted: formatMoney(total, currency),
    taxSystem: i.tax_system,
    vat: i.vat,
    priceMin: isService ? (i.price_min ?? null) : null,
    priceMax: isService ? (i.price_max ?? null) : null,
  };
}

/** `now` decides whether a stored lock is still in force; a lapsed one shows as null. */
export function toAppointmentDto(
  a: AppointmentViewRow,
  items: ItemViewRow[],
  payments: PaymentViewRow[],
  now: Date,
): AppointmentDto {
  const amounts = computeAmounts(
    items.map((i) => ({ unitPrice: i.unit_price, quantity: i.quantity })),
    payments.map((p) => ({ amount: p.amount, voided: p.voided_at !== null })),
  );
  const lockedUntil = a.locked_until && a.locked_until.getTime() > now.getTime() ? a.locked_until.toISOString() : null;
  return {
    id: a.id,
    client: { id: a.client_id, name: a.client_name },
    staff: { id: a.staff_id, name: a.staff_name },
    startsAt: a.starts_at.toISOString(),
    durationMinutes: a.duration_minutes,
    status: a.status as AppointmentStatus,
    comment: a.comment,
    externalId: a.external_id,
    currency: a.currency,
    items: items.map((i) => toItemDto(i, a.currency)),
    payments: payments.map(toPaymentDto),
    total: amounts.total,
    totalFormatted: formatMoney(amounts.total, a.currency),
    paid: amounts.paid,
    paidFormatted: formatMoney(amounts.paid, a.currency),
    due: amounts.due,
    dueFormatted: formatMoney(amounts.due, a.currency),
    paymentStatus: amounts.paymentStatus,
    lockedUntil,
    createdAt: a.created_at.toISOString(),
  };
}
