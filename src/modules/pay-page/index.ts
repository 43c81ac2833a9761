/**
 * The door of `pay-page`: The public link page a client opens on a phone, server-rendered (R7, R8, R30).
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { LinkPageService } from './link-page.service.js';
