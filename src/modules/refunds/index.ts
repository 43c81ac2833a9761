/**
 * The door of `refunds`: Refunds Visitpay owes: asked of the provider, retried, recorded (R18).
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { refundRequestsOfAppointment } from './refunds.repository.js';
export { RefundsService } from './refunds.service.js';
