import { sql, type Kysely } from 'kysely';

/**
 * Signed webhooks for integrators (`payment_link.paid`, `attempt.succeeded`, `refund.created`).
 *
 * Every one of those facts is already written to the audit log, in the transaction that makes it
 * true — including the one statement that settles a batch of common successes. A trigger on the
 * audit log turns the entries a company's endpoints subscribe to into deliveries, in that same
 * transaction: an event is never sent for a change that rolled back, and never lost for one that
 * committed. The body is built here once, so every endpoint and every retry gets the same bytes.
 * A company with no endpoint pays one indexed look-up per such entry.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE webhook_endpoints (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      url text NOT NULL,
      events text[] NOT NULL,
      secret_sealed text NOT NULL,
      description text,
      created_at timestamptz NOT NULL,
      disabled_at timestamptz
    );
    CREATE INDEX webhook_endpoints_live_idx ON webhook_endpoints (company_id) WHERE disabled_at IS NULL;

    CREATE TABLE webhook_deliveries (
      id bigserial PRIMARY KEY,
      endpoint_id text NOT NULL REFERENCES webhook_endpoints(id),
      company_id text NOT NULL,
      event_id text NOT NULL,
      event_type text NOT NULL,
      body text NOT NULL,
      created_at timestamptz NOT NULL,
      next_try_at timestamptz NOT NULL,
      tries int NOT NULL DEFAULT 0,
      delivered_at timestamptz,
      failed_at timestamptz,
      last_status int,
      last_error text,
      UNIQUE (endpoint_id, event_id)
    );
    CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_try_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
    CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id DESC);

    CREATE FUNCTION outgoing_webhook_events() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      event_type text;
      event_id text;
      appointment record;
      data jsonb;
    BEGIN
      event_type := CASE NEW.action
        WHEN 'link.paid' THEN 'payment_link.paid'
        WHEN 'attempt.succeeded' THEN 'attempt.succeeded'
        WHEN 'refund.requested' THEN 'refund.created'
      END;
      IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.company_id = NEW.company_id AND e.disabled_at IS NULL AND event_type = ANY (e.events)) THEN
        RETURN NULL;
      END IF;
      SELECT a.external_id, c.currency INTO appointment
        FROM appointments a JOIN companies c ON c.id = a.company_id WHERE a.id = NEW.appointment_id;
      data := jsonb_build_object('companyId', NEW.company_id, 'appointmentId', NEW.appointment_id,
        'externalId', appointment.external_id, 'currency', appointment.currency);
      data := data || CASE event_type
        WHEN 'payment_link.paid' THEN jsonb_build_object('linkId', NEW.entity_id, 'collected', NEW.details->'collected', 'amount', NEW.details->'amount')
        WHEN 'attempt.succeeded' THEN jsonb_build_object('attemptId', NEW.entity_id, 'amount', NEW.details->'amount',
          'provider', NEW.details->'provider', 'providerPaymentId', NEW.details->'providerPaymentId')
        ELSE jsonb_build_object('refundId', NEW.entity_id, 'amount', NEW.details->'amount', 'paymentId', NEW.details->'paymentId', 'reason', NEW.details->'reason')
      END;
      event_id := 'evt_' || replace(gen_random_uuid()::text, '-', '');
      INSERT INTO webhook_deliveries (endpoint_id, company_id, event_id, event_type, body, created_at, next_try_at)
        SELECT e.id, NEW.company_id, event_id, event_type,
               jsonb_build_object('id', event_id, 'type', event_type, 'created', to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'data', data)::text,
               NEW.at, NEW.at
          FROM webhook_endpoints e
         WHERE e.company_id = NEW.company_id AND e.disabled_at IS NULL AND event_type = ANY (e.events);
      RETURN NULL;
    END $$;

    CREATE TRIGGER audit_log_outgoing_webhooks AFTER INSERT ON audit_log
      FOR EACH ROW WHEN (NEW.action IN ('link.paid', 'attempt.succeeded', 'refund.requested'))
      EXECUTE FUNCTION outgoing_webhook_events();
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
