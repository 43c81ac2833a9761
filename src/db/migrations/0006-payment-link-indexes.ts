import { sql, type Kysely } from 'kysely';

/**
 * Lookups the payment-link flow makes on every Pay, notification and page view: what a link
 * collected (payments by link), refunds by the provider's id. Without them each was a scan of
 * the whole ledger.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX payments_link_idx ON payments (link_id) WHERE link_id IS NOT NULL;
    CREATE INDEX refund_requests_provider_idx ON refund_requests (company_id, provider_refund_id) WHERE provider_refund_id IS NOT NULL;
    CREATE INDEX refund_requests_appt_idx ON refund_requests (appointment_id, created_at);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
