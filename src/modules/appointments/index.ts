/**
 * The door of `appointments`: Appointments, their items and amounts, and the lock that guards money changes on one (R13, R15, R16).
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { amountsFromTotals, itemTotal } from './domain/amounts.js';
export { productLine, serviceLine } from './domain/items.js';
export {
  amountsOf,
  amountsWithItems,
  assertNotCancelled,
  assertUnlocked,
  lockAppointment,
  lockForMoneyChange,
} from './appointment-lock.js';
export { findAppointmentViews, listItems } from './appointments.repository.js';
export { AppointmentsService } from './appointments.service.js';
export { ExternalAppointmentsService } from './external-appointments.service.js';
export { ItemsService } from './items.service.js';
