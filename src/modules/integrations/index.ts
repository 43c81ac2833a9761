/**
 * The door of `integrations`: Outgoing webhooks to a company's own endpoints, never to private addresses (S4).
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { deliverDueWebhooks } from './webhook-delivery.js';
export { WebhookEndpointsService } from './webhook-endpoints.service.js';
