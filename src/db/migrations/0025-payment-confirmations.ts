import { sql, type Kysely } from 'kysely';

/**
 * R41 the confirmation email: one row per link payment that is to be confirmed, written by a
 * trigger on `payments` in the very transaction that books the payment — whichever success path
 * books it (the common statement, the general way, a webhook, the return page, the job) — and
 * unique per payment, so duplicate or late notifications can never queue a second email.
 *
 * No row is written when the company switched the email off (`company_branding.confirmation_email`,
 * on when the company has no row) or when there is no address: the client's own email, else the
 * one the client typed on the link page (`checkout_attempts.confirmation_email`), else the receipt
 * contact of R26 when it is an email. When the server has no SMTP_URL, the job marks rows `skipped`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE company_branding ADD COLUMN confirmation_email boolean NOT NULL DEFAULT true;
    ALTER TABLE checkout_attempts ADD COLUMN confirmation_email text CHECK (char_length(confirmation_email) <= 254);

    CREATE TABLE payment_confirmations (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
      payment_id text NOT NULL UNIQUE REFERENCES payments (id) ON DELETE CASCADE,
      email text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'skipped', 'failed')),
      send_at timestamptz,
      tries int NOT NULL DEFAULT 0,
      last_error text,
      created_at timestamptz NOT NULL,
      sent_at timestamptz
    );
    CREATE INDEX payment_confirmations_due_idx ON payment_confirmations (send_at) WHERE status = 'pending';

    CREATE FUNCTION payments_queue_confirmation() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO payment_confirmations (id, company_id, payment_id, email, send_at, created_at)
      SELECT 'confirmation_' || replace(gen_random_uuid()::text, '-', ''), NEW.company_id, NEW.id, e.email, NEW.created_at, NEW.created_at
        FROM checkout_attempts t
        JOIN appointments a ON a.id = t.appointment_id
        JOIN clients c ON c.id = a.client_id
        CROSS JOIN LATERAL (
          SELECT COALESCE(
            NULLIF(c.email, ''),
            t.confirmation_email,
            CASE WHEN t.contact LIKE '%@%' THEN t.contact END
          ) AS email) e
       WHERE t.id = NEW.attempt_id
         AND e.email IS NOT NULL
         AND COALESCE((SELECT b.confirmation_email FROM company_branding b WHERE b.company_id = NEW.company_id), true)
      ON CONFLICT (payment_id) DO NOTHING;
      RETURN NULL;
    END $$;
    CREATE TRIGGER payments_queue_confirmation AFTER INSERT ON payments
      FOR EACH ROW WHEN (NEW.method = 'online' AND NEW.link_id IS NOT NULL AND NEW.refund_of IS NULL AND NEW.amount > 0)
      EXECUTE FUNCTION payments_queue_confirmation();
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
