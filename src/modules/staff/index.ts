/**
 * The door of `staff`: A company's staff members.
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { findStaffMember } from './staff.repository.js';
export { StaffService } from './staff.service.js';
