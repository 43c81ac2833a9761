import { sql, type Kysely } from 'kysely';

/**
 * R32: refunds made at the provider whose notification was lost are found by reading the
 * payment's refunds there. Each online payment carries when that read is next due: 10 minutes
 * after it was paid, then less and less often (see provider-refunds.service.ts), until the
 * reconciliation horizon passes and the column turns null. Set by a trigger, so every way of
 * booking an online payment schedules it; payments of the last 60 days are scheduled now.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE payments
      ADD COLUMN refunds_check_at timestamptz,
      ADD COLUMN refunds_checks integer NOT NULL DEFAULT 0;
    CREATE INDEX payments_refunds_check_idx ON payments (refunds_check_at) WHERE refunds_check_at IS NOT NULL;

    CREATE FUNCTION payments_schedule_refunds_check() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.method = 'online' AND NEW.amount > 0 AND NEW.refund_of IS NULL AND NEW.refunds_check_at IS NULL THEN
        NEW.refunds_check_at := NEW.paid_at + interval '10 minutes';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER payments_schedule_refunds_check BEFORE INSERT ON payments
      FOR EACH ROW EXECUTE FUNCTION payments_schedule_refunds_check();

    UPDATE payments SET refunds_check_at = now()
      WHERE method = 'online' AND amount > 0 AND refund_of IS NULL AND voided_at IS NULL
        AND paid_at > now() - interval '60 days';
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
