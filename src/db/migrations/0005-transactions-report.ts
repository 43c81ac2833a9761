import { sql, type Kysely } from 'kysely';

/**
 * The transactions report (R19, R28), kept fast and right by the database itself.
 *
 * payments.appointment_date is the appointment's date in the company's time zone. A trigger
 * derives it on every insert (a value written by hand is overwritten); rescheduling an appointment
 * or changing a company's time zone moves the payments along.
 *
 * payment_day_totals holds Σ amount and the count of counted (not voided) payments per company,
 * appointment day and method, so the report's totals read a few thousand rows instead of summing
 * a million. Statement triggers on payments apply every insert, void, move or delete as a delta.
 * Each day and method is split over 32 slots (by payment id) so concurrent payments of one busy
 * day rarely wait for the same row lock; readers add the slots up.
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

    CREATE TABLE payment_day_totals (
      company_id text NOT NULL,
      day date NOT NULL,
      method text NOT NULL,
      slot smallint NOT NULL,
      amount bigint NOT NULL,
      payment_count bigint NOT NULL,
      PRIMARY KEY (company_id, day, method, slot)
    );

    INSERT INTO payment_day_totals (company_id, day, method, slot, amount, payment_count)
    SELECT company_id, appointment_date, method, hashtext(id) & 31, sum(amount), count(*)
      FROM payments WHERE voided_at IS NULL
     GROUP BY 1, 2, 3, 4;

    -- A trigger with transition tables serves one event, so each event has its own statement.
    -- Voided rows never count. An update that moved no money nets to nothing and touches no
    -- row, so takes no lock; keys are applied in order so concurrent writers queue, not deadlock.
    CREATE FUNCTION payment_day_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO payment_day_totals AS t (company_id, day, method, slot, amount, payment_count)
        SELECT company_id, appointment_date, method, hashtext(id) & 31, sum(amount), count(*)
          FROM new_rows WHERE voided_at IS NULL
         GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (company_id, day, method, slot) DO UPDATE
          SET amount = t.amount + excluded.amount, payment_count = t.payment_count + excluded.payment_count;
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO payment_day_totals AS t (company_id, day, method, slot, amount, payment_count)
        SELECT company_id, appointment_date, method, hashtext(id) & 31, -sum(amount), -count(*)
          FROM old_rows WHERE voided_at IS NULL
         GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (company_id, day, method, slot) DO UPDATE
          SET amount = t.amount + excluded.amount, payment_count = t.payment_count + excluded.payment_count;
      ELSE
        INSERT INTO payment_day_totals AS t (company_id, day, method, slot, amount, payment_count)
        SELECT company_id, appointment_date, method, hashtext(id) & 31, sum(amount), sum(n)
          FROM (
            SELECT id, company_id, appointment_date, method, amount, 1 AS n FROM new_rows WHERE voided_at IS NULL
            UNION ALL
            SELECT id, company_id, appointment_date, method, -amount, -1 FROM old_rows WHERE voided_at IS NULL
          ) AS delta
         GROUP BY 1, 2, 3, 4
        HAVING sum(amount) <> 0 OR sum(n) <> 0
         ORDER BY 1, 2, 3, 4
        ON CONFLICT (company_id, day, method, slot) DO UPDATE
          SET amount = t.amount + excluded.amount, payment_count = t.payment_count + excluded.payment_count;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER payment_day_totals_insert AFTER INSERT ON payments
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION payment_day_totals_apply();
    CREATE TRIGGER payment_day_totals_update AFTER UPDATE ON payments
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION payment_day_totals_apply();
    CREATE TRIGGER payment_day_totals_delete AFTER DELETE ON payments
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION payment_day_totals_apply();
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
