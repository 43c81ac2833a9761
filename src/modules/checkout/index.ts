/**
 * The door of `checkout`: Paying a link: Pay, the provider gateway, settlement of results, reconciliation and review (R9–R14, R17, R18, R20, R34).
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { ATTEMPT_STATUSES, OPEN_ATTEMPT_STATUSES } from './domain/attempt-status.js';
export { amountToCharge, linkIsSettled } from './domain/charge.js';
export { attemptsOfAppointment, openAttemptsOfLink } from './attempts.repository.js';
export type { AttemptRow } from './attempts.repository.js';
export { CheckoutGateway } from './checkout-gateway.js';
export { PayService } from './pay.service.js';
export type { Unavailable } from './pay.service.js';
export { ReconciliationService } from './reconciliation.service.js';
export { insertOnlinePayment, lockAppointmentRow } from './settlement.repository.js';
export { SettlementService } from './settlement.service.js';
