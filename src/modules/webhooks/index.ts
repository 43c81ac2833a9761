/**
 * The door of `webhooks`: Notifications from payment providers: verified, stored in the inbox, applied once (R17, S5).
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { insertInboxEvents, markProcessed } from './inbox.repository.js';
export type { InboxInsert } from './inbox.repository.js';
export { WebhooksService } from './webhooks.service.js';
