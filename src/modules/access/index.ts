/**
 * The door of `access`: Accounts, sessions, companies' members and invitations, and the rights of SPEC §4 (S1–S3, S7, S9).
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { ROLE_RIGHTS, rightsFor } from './domain/rights.js';
export type { Right, Role } from './domain/rights.js';
export { findUserByEmail, insertUser, upsertMembership } from './access.repository.js';
export { AuthService } from './auth.service.js';
export { bootstrapOwner } from './bootstrap.service.js';
export { InvitationsService } from './invitations.service.js';
export { hashPassword } from './password.js';
export { UsersService } from './users.service.js';
