/**
 * The door of `links`: Payment links and sending them by email and SMS, within the send quotas (R3–R6, R26, R38).
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export { needsContact, parseContact } from './domain/contact.js';
export { hashLinkToken, isWellFormedToken } from './domain/link-token.js';
export { assertSingleTaxSystem } from './domain/tax-systems.js';
export { appointmentLinkViewOf } from './appointment-link-view.js';
export { mailLocaleOf, maskEmail } from './link-mail.js';
export type { MailLocale } from './link-mail.js';
export { LinkSender } from './link-sender.service.js';
export {
  LinkReminders,
  reminderTransports,
  replanVisitReminders,
  type ReminderTransport,
} from './link-reminders.service.js';
export { ReminderSettingsService } from './reminder-settings.service.js';
export { collectedByLink, findLink, lockLink, updateLink } from './links.repository.js';
export type { LinkRow } from './links.repository.js';
export { PaymentLinksService } from './payment-links.service.js';
export { SendQuotas, sendQuotaLimitsOf } from './send-quotas.service.js';
