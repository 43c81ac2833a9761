/**
 * The door of `clients`: A company's clients and their contact details.
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { isNormalizedPhone, normalizeEmail, normalizePhone } from './domain/contact.js';
export { findClient, findClientByContact } from './clients.repository.js';
export { ClientsService, createClientIn } from './clients.service.js';
export { clientEmail, clientPhone } from './contact-schemas.js';
