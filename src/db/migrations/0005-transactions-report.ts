import { sql, type Kysely } from 'kysely';

/**
 * R19: a payment is reported under its appointment's date in the company's time zone. Computing
 * that date per row at read time cannot be indexed, so each payment carries it. Triggers, not the
 * application, keep it right: the payments trigger derives it from the appointment on every insert
 * (a value written by hand is overwritten), and rescheduling an appointment or changing a
 * company's time zone moves its payments along.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE payments ADD COLUMN appointment_date date;

    UPDATE payments p SET appointment_date = (a.starts_at AT TIME ZONE co.timezone)::date
      FROM appointments a JOIN companies co ON co.id = a.company_id
     WHERE a.id = p.appointment_id;

    ALTER TABLE payments ALTER COLUMN appointment_date SET NOT NULL;

    CREATE FUNCTION payments_derive_appointment_date() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      SELECT (a.starts_at AT TIME ZONE co.timezone)::date INTO NEW.appointment_date
        FROM appointments a JOIN companies co ON co.id = a.company_id
       WHERE a.id = NEW.appointment_id;
      RETURN NEW;
    END $$;
    CREATE TRIGGER payments_appointment_date BEFORE INSERT OR UPDATE OF appointment_id, appointment_date ON payments
      FOR EACH ROW EXECUTE FUNCTION payments_derive_appointment_date();

    CREATE FUNCTION appointments_move_payment_dates() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE payments p SET appointment_date = (NEW.starts_at AT TIME ZONE co.timezone)::date
        FROM companies co
       WHERE co.id = NEW.company_id AND p.appointment_id = NEW.id;
      RETURN NULL;
    END $$;
    CREATE TRIGGER appointments_payment_dates AFTER UPDATE OF starts_at, company_id ON appointments
      FOR EACH ROW WHEN (OLD.starts_at IS DISTINCT FROM NEW.starts_at OR OLD.company_id IS DISTINCT FROM NEW.company_id)
      EXECUTE FUNCTION appointments_move_payment_dates();

    CREATE FUNCTION companies_move_payment_dates() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE payments p SET appointment_date = (a.starts_at AT TIME ZONE NEW.timezone)::date
        FROM appointments a
       WHERE p.company_id = NEW.id AND a.id = p.appointment_id;
      RETURN NULL;
    END $$;
    CREATE TRIGGER companies_payment_dates AFTER UPDATE OF timezone ON companies
      FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone)
      EXECUTE FUNCTION companies_move_payment_dates();

    -- the report's listing, keyset-paged by (appointment date, paid_at, id)
    CREATE INDEX payments_report_idx ON payments (company_id, appointment_date, paid_at, id);
    -- the report's totals: an index-only scan that never touches voided rows or the heap
    CREATE INDEX payments_report_totals_idx ON payments (company_id, appointment_date, method) INCLUDE (amount)
      WHERE voided_at IS NULL;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
