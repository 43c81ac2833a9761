import { sql, type Kysely } from 'kysely';

/**
 * R31–R33, money after the payment.
 * - The right `payments.refund`, granted to the owners and administrators who already exist (their
 *   rights are stored one by one, so a new right of their role must be added to them here).
 * - Refund requests say who asked (a user for staff refunds, `system` for overpayments, `provider`
 *   for refunds made in the provider's dashboard), where they came from, and the Idempotency-Key
 *   a staff refund was made with. A provider refund id belongs to one request only.
 * - Settlement receipts (54-FZ): one per online payment receipted as prepayment, due when the
 *   service is delivered, sent by a job until the provider accepts it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    UPDATE memberships SET rights = array_append(rights, 'payments.refund')
      WHERE role IN ('owner', 'administrator') AND NOT ('payments.refund' = ANY (rights));
    UPDATE invitations SET rights = array_append(rights, 'payments.refund')
      WHERE role IN ('owner', 'administrator') AND NOT ('payments.refund' = ANY (rights));

    ALTER TABLE refund_requests
      ADD COLUMN origin text NOT NULL DEFAULT 'overpayment' CHECK (origin IN ('overpayment', 'staff', 'provider')),
      ADD COLUMN actor_type text NOT NULL DEFAULT 'system' CHECK (actor_type IN ('user', 'system', 'provider')),
      ADD COLUMN actor_id text,
      ADD COLUMN idempotency_key text,
      ADD COLUMN request_hash text;
    CREATE UNIQUE INDEX refund_requests_idempotency_key ON refund_requests (company_id, idempotency_key)
      WHERE idempotency_key IS NOT NULL;
    DROP INDEX refund_requests_provider_idx;
    CREATE UNIQUE INDEX refund_requests_provider_refund_key ON refund_requests (company_id, provider_refund_id)
      WHERE provider_refund_id IS NOT NULL;
    CREATE INDEX refund_requests_payment_idx ON refund_requests (payment_id);

    CREATE TABLE settlement_receipts (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      appointment_id text NOT NULL REFERENCES appointments(id),
      payment_id text NOT NULL UNIQUE REFERENCES payments(id),
      -- pending until the provider accepts (sent) or refuses for good (failed); not_needed when
      -- everything was refunded before it was delivered
      status text NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'not_needed')),
      -- what the receipt offsets, minor units; set when it is sent
      amount bigint,
      provider_receipt_id text,
      failure text,
      -- when the service counts as delivered: the end of the appointment's day, or when it turned arrived
      due_at timestamptz NOT NULL,
      check_at timestamptz NOT NULL,
      tries integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX settlement_receipts_due_idx ON settlement_receipts (check_at) WHERE status = 'pending';
    CREATE INDEX settlement_receipts_appt_idx ON settlement_receipts (appointment_id);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
