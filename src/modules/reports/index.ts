/**
 * The door of `reports`: The transactions report (R19, R28).
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { TransactionsReportService } from './transactions.service.js';
