import type { Executor } from '../../db/database.js';
import type { AppointmentRow } from '../../db/schema.js';
import { DomainError, notFound } from '../../shared/errors.js';
import { listPayments } from '../payments/index.js';
import { computeAmounts, type Amounts } from './domain/amounts.js';
import { listItems, selectAppointmentForUpdate } from './appointments.repository.js';

/**
 * The opening moves of every money change (R13), shared by items, payments and the appointment
 * itself: take the appointment's row lock first, so concurrent changes of one appointment queue
 * up and each sees the ledger the previous one committed.
 */
export async function lockAppointment(tx: Executor, companyId: string, id: string): Promise<AppointmentRow> {
  const appointment = await selectAppointmentForUpdate(tx, companyId, id);
  if (!appointment) throw notFound('appointment', id);
  return appointment;
}

/** 409 appointment_locked while a link checkout is young (set by the payment-link flow). */
export function assertUnlocked(appointment: AppointmentRow, now: Date): void {
  const lockedUntil = appointment.locked_until;
  if (lockedUntil && lockedUntil.getTime() > now.getTime()) {
    throw new DomainError(
      'appointment_locked',
      'the client is paying this appointment by link; money changes wait until the payment ends',
      { lockedUntil: lockedUntil.toISOString() },
    );
  }
}

export function assertNotCancelled(appointment: AppointmentRow): void {
  if (appointment.status === 'cancelled') {
    throw new DomainError('appointment_cancelled', 'the appointment is cancelled', { appointmentId: appointment.id });
  }
}

/** Locks, then refuses when locked: the usual first line of a money-changing transaction. */
export async function lockForMoneyChange(
  tx: Executor,
  companyId: string,
  id: string,
  now: Date,
): Promise<AppointmentRow> {
  const appointment = await lockAppointment(tx, companyId, id);
  assertUnlocked(appointment, now);
  return appointment;
}

/** The amounts and the items they come from, read once (call after the lock for a consistent view). */
export async function amountsWithItems(tx: Executor, appointmentId: string) {
  const items = await listItems(tx, [appointmentId]);
  const payments = await listPayments(tx, [appointmentId]);
  const amounts = computeAmounts(
    items.map((i) => ({ unitPrice: i.unit_price, quantity: i.quantity })),
    payments.map((p) => ({ amount: p.amount, voided: p.voided_at !== null })),
  );
  return { amounts, items };
}

/** The amounts as the transaction sees them (call after the lock for a consistent view). */
export async function amountsOf(tx: Executor, appointmentId: string): Promise<Amounts> {
  return (await amountsWithItems(tx, appointmentId)).amounts;
}
