/**
 * Live updates (R29): a change to an appointment's link state is told to every process through
 * PostgreSQL NOTIFY, and each process pushes it to the staff windows watching that appointment.
 * Shared infrastructure: any context may announce; the payment-link routes serve the stream.
 */
export { announceChange, LIVE_CHANNEL, notifyingUnitOfWork, type AppointmentChanged } from './live-events.js';
export { LiveAnnouncer } from './live-announcer.js';
export { LiveHub } from './live-hub.js';
export type { UnitOfWork } from './unit-of-work.js';
