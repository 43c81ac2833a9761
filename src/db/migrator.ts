import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.js';
import * as foundation from './migrations/0001-foundation.js';
import * as appointmentDeletion from './migrations/0002-appointment-deletion.js';
import * as paymentLinks from './migrations/0003-payment-links.js';
import * as sandboxMerchants from './migrations/0004-sandbox-merchants.js';
import * as transactionsReport from './migrations/0005-transactions-report.js';
import * as paymentLinkIndexes from './migrations/0006-payment-link-indexes.js';
import * as attemptFinalCheck from './migrations/0007-attempt-final-check.js';
import * as millisecondCreatedAt from './migrations/0008-millisecond-created-at.js';
import * as openAttemptIndexes from './migrations/0009-open-attempt-indexes.js';
import * as outgoingWebhooks from './migrations/0010-outgoing-webhooks.js';
import * as invitationsAndLoginThrottle from './migrations/0011-invitations-and-login-throttle.js';
import * as attemptNeedsReview from './migrations/0012-attempt-needs-review.js';
import * as sendQuotas from './migrations/0013-send-quotas.js';
import * as backups from './migrations/0014-backups.js';
import * as moneyAfterPayment from './migrations/0015-money-after-payment.js';
import * as sandboxReceipts from './migrations/0017-sandbox-receipts.js';
import * as providerRefundChecks from './migrations/0018-provider-refund-checks.js';
import * as auditByClient from './migrations/0019-audit-by-client.js';
import * as receiptDecisions from './migrations/0020-receipt-decisions.js';
import * as messageTemplates from './migrations/0021-message-templates.js';
import * as linkReminders from './migrations/0022-link-reminders.js';
import * as companyBranding from './migrations/0024-company-branding.js';
import * as paymentConfirmations from './migrations/0025-payment-confirmations.js';
import * as tips from './migrations/0026-tips.js';
import * as reminderAnchors from './migrations/0027-reminder-anchors.js';
import * as tipRefunds from './migrations/0029-tip-refunds.js';

/** Every migration, in order. New ones are appended here. */
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-appointment-deletion': appointmentDeletion,
  '0003-payment-links': paymentLinks,
  '0004-sandbox-merchants': sandboxMerchants,
  '0005-transactions-report': transactionsReport,
  '0006-payment-link-indexes': paymentLinkIndexes,
  '0007-attempt-final-check': attemptFinalCheck,
  '0008-millisecond-created-at': millisecondCreatedAt,
  '0009-open-attempt-indexes': openAttemptIndexes,
  '0010-outgoing-webhooks': outgoingWebhooks,
  '0011-invitations-and-login-throttle': invitationsAndLoginThrottle,
  '0012-attempt-needs-review': attemptNeedsReview,
  '0013-send-quotas': sendQuotas,
  '0014-backups': backups,
  '0015-money-after-payment': moneyAfterPayment,
  '0017-sandbox-receipts': sandboxReceipts,
  '0018-provider-refund-checks': providerRefundChecks,
  '0019-audit-by-client': auditByClient,
  '0020-receipt-decisions': receiptDecisions,
  '0021-message-templates': messageTemplates,
  '0022-link-reminders': linkReminders,
  '0024-company-branding': companyBranding,
  '0025-payment-confirmations': paymentConfirmations,
  '0026-tips': tips,
  '0027-reminder-anchors': reminderAnchors,
  '0029-tip-refunds': tipRefunds,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

// Any 64-bit number unique to Visitpay: the advisory lock that serialises migrators.
export const MIGRATION_LOCK = 7_305_117_001;

/** The names of every migration, in order (a backup records which of them its database had). */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations);

/**
 * Migrates up to `target` (default: the latest) inside a transaction the caller opened on the one
 * connection `db` runs on — a restore rebuilds the schema and loads the data in one transaction.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before (and whatever) the schema type says
export async function migrateInOpenTransaction(db: Kysely<any>, target?: string): Promise<void> {
  const migrator = new Migrator({ db, provider, disableTransactions: true });
  const { error } = target === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(target);
  if (error) throw error;
}

/**
 * Brings the schema to the latest version. Safe when several processes start at once: they
 * queue on one advisory lock, and whoever comes second finds nothing left to do.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      const { error, results } = await new Migrator({ db: conn, provider }).migrateToLatest();
      if (error) throw error;
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
}

/** True when every known migration has been applied (for /readyz). */
export async function migrationsApplied(db: Db): Promise<boolean> {
  const all = await new Migrator({ db, provider }).getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
