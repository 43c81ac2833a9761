import { sql, type Kysely } from 'kysely';

/**
 * R40: tips on the link page.
 * - `tip_settings`: per company, off by default; the presets are whole percentages (0–30) of what
 *   the client pays now. Never offered while fiscalization is on (the service checks both).
 * - `checkout_attempts.tip`: the tip the client chose at Pay. The attempt's `amount` is what the
 *   provider charges, the tip included; R34 compares a success against that total.
 * - `tips`: the tip ledger, one row per tipped online payment (its primary key is the payment),
 *   for the staff member of the appointment at that moment. The payment itself carries the amount
 *   due only, so a tip never inflates what the appointment was paid nor counts as overpayment (R18).
 *   A trigger writes the row with the payment, so every way a success is booked (notification,
 *   the return page's look, reconciliation) books its tip exactly once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE tip_settings (
      company_id text PRIMARY KEY REFERENCES companies(id),
      enabled boolean NOT NULL DEFAULT false,
      presets smallint[] NOT NULL DEFAULT '{0,5,10,15}',
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (cardinality(presets) BETWEEN 1 AND 4),
      CHECK (0 <= ALL (presets) AND 30 >= ALL (presets))
    );

    ALTER TABLE checkout_attempts ADD COLUMN tip bigint NOT NULL DEFAULT 0 CHECK (tip >= 0 AND tip <= amount);

    CREATE TABLE tips (
      payment_id text PRIMARY KEY REFERENCES payments(id),
      company_id text NOT NULL REFERENCES companies(id),
      appointment_id text NOT NULL REFERENCES appointments(id),
      staff_id text NOT NULL REFERENCES staff(id),
      attempt_id text NOT NULL,
      amount bigint NOT NULL CHECK (amount > 0),
      currency char(3) NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX tips_appointment_idx ON tips (appointment_id);
    CREATE INDEX tips_company_staff_idx ON tips (company_id, staff_id);

    CREATE FUNCTION payments_book_tip() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO tips (payment_id, company_id, appointment_id, staff_id, attempt_id, amount, currency, created_at)
      SELECT NEW.id, NEW.company_id, NEW.appointment_id, a.staff_id, t.id, t.tip, t.currency, NEW.paid_at
        FROM checkout_attempts t JOIN appointments a ON a.id = NEW.appointment_id
       WHERE t.id = NEW.attempt_id AND t.tip > 0
      ON CONFLICT (payment_id) DO NOTHING;
      RETURN NULL;
    END $$;
    CREATE TRIGGER payments_book_tip AFTER INSERT ON payments
      FOR EACH ROW WHEN (NEW.method = 'online' AND NEW.attempt_id IS NOT NULL AND NEW.refund_of IS NULL AND NEW.amount > 0)
      EXECUTE FUNCTION payments_book_tip();
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
