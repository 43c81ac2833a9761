import { DomainError } from '../../../shared/errors.js';

export const APPOINTMENT_STATUSES = ['booked', 'confirmed', 'arrived', 'no_show', 'cancelled'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/**
 * Where each status may go. Receptionists fix mistakes, so the live statuses reach each other
 * (an "arrived" click on the wrong row is undone by going back to booked/confirmed), except:
 * - `arrived` cannot become `no_show` or `cancelled`: the client was served, so the visit's money
 *   must be settled, not made to disappear;
 * - `cancelled` is terminal: a cancelled visit is re-booked as a new appointment, which keeps the
 *   ledger of the cancelled one readable.
 */
const NEXT: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  booked: ['confirmed', 'arrived', 'no_show', 'cancelled'],
  confirmed: ['booked', 'arrived', 'no_show', 'cancelled'],
  arrived: ['booked', 'confirmed'],
  no_show: ['booked', 'confirmed', 'arrived', 'cancelled'],
  cancelled: [],
};

/** True when `from → to` is allowed. Staying in the same status is a no-op and always allowed. */
export function canTransition(from: AppointmentStatus, to: AppointmentStatus): boolean {
  return from === to || NEXT[from].includes(to);
}

/** The status after the change, or 422 invalid_status_transition. */
export function transition(from: AppointmentStatus, to: AppointmentStatus): AppointmentStatus {
  if (!canTransition(from, to)) {
    throw new DomainError('invalid_status_transition', `an appointment cannot go from ${from} to ${to}`, {
      field: 'status',
      from,
      to,
      allowed: [...NEXT[from]],
    });
  }
  return to;
}
