/**
 * The door of `demo`: Demo data for `npm start` on an empty database.
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { DemoDataService } from './demo-data.service.js';
