import { sql, type Kysely } from 'kysely';

/**
 * R40, R32, R18: refunds that take a tip back.
 * - `refund_requests.tip`: the part of the request's `amount` (what the provider gives back) that
 *   is the payment's tip; the rest is the visit's and is booked as the negative payment. 0 for
 *   every refund of the visit only (all staff refunds, R31).
 * - `tip_refunds`: one row per refund request that took a tip back, written when the refund is
 *   booked (its key is the request, so it is booked once however often it is reported), for the
 *   staff member the tip was booked for. Tips net of their refunds are what the staff member keeps.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE refund_requests ADD COLUMN tip bigint NOT NULL DEFAULT 0 CHECK (tip >= 0 AND tip <= amount);

    CREATE TABLE tip_refunds (
      refund_request_id text PRIMARY KEY REFERENCES refund_requests(id),
      payment_id text NOT NULL REFERENCES tips(payment_id),
      company_id text NOT NULL REFERENCES companies(id),
      appointment_id text NOT NULL REFERENCES appointments(id),
      staff_id text NOT NULL REFERENCES staff(id),
      amount bigint NOT NULL CHECK (amount > 0),
      currency char(3) NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX tip_refunds_payment_idx ON tip_refunds (payment_id);
    CREATE INDEX tip_refunds_company_staff_idx ON tip_refunds (company_id, staff_id);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
