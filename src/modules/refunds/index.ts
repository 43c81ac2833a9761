/**
 * The door of `refunds`: Refunds Visitpay owes: asked of the provider, retried, recorded (R18),
 * refunds staff ask for (R31), and refunds made at the provider, booked once (R32).
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { refundDto, toRefundDto } from './refund-dto.js';
export type { RefundDto } from './refund-dto.js';
export { refundRequestsOfAppointment } from './refunds.repository.js';
export { RefundsService } from './refunds.service.js';
export { StaffRefundsService } from './staff-refunds.service.js';
export { ProviderRefundsService, PROVIDER_REFUND_REASON } from './provider-refunds.service.js';
