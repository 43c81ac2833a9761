/**
 * The door of `audit`: The audit log: who did what to which record, and its listing for staff (R27).
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { changedFieldNames, changes } from './audit-changes.js';
export { auditRow, recordAudit } from './audit.repository.js';
export type { AuditEntry } from './audit.repository.js';
export { AuditService } from './audit.service.js';
