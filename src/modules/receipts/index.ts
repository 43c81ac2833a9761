/**
 * The door of `receipts`: Fiscal receipts (54-FZ) for payments and refunds (R24, R25).
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { refundReceipt } from './domain/refund-receipt.js';
export { receiptForAttempt } from './receipt-for-attempt.js';
