/**
 * The door of `payments`: Payments taken at the desk and the payments ledger of an appointment.
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { PAYMENT_METHODS } from './domain/methods.js';
export type { PaymentMethod } from './domain/methods.js';
export { DeskPaymentsService } from './desk-payments.service.js';
export { paymentDto, toPaymentDto } from './payment-dto.js';
export { countLivePayments, listPayments } from './payments.repository.js';
export type { PaymentViewRow } from './payments.repository.js';
