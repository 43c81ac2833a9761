/**
 * The door of `receipts`: Fiscal receipts (54-FZ) for payments, refunds and settlements (R24, R25, R33).
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { refundReceipt } from './domain/refund-receipt.js';
export { receiptForAttempt } from './receipt-for-attempt.js';
export {
  insertSettlementReceipt,
  insertSettlementReceiptsFrom,
  moveSettlementDue,
  settlementReceiptsOfAppointment,
  settlementSentFor,
} from './settlement-receipts.repository.js';
export { SettlementReceiptsService } from './settlement-receipts.service.js';
