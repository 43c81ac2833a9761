/**
 * The door of `companies`: Companies: their profile, currency and time zone.
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { findCompany } from './companies.repository.js';
export { CompaniesService, companyOrNotFound } from './companies.service.js';
