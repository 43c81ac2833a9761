import { sql, type Kysely } from 'kysely';

/** Cashless settings, payment links, checkout attempts, webhook inbox, refunds, the sandbox "bank". */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE cashless_settings (
      company_id text PRIMARY KEY REFERENCES companies(id),
      provider text CHECK (provider IN ('sandbox', 'stripe', 'yookassa')),
      -- AES-256-GCM sealed JSON; never returned by the API
      credentials_sealed text,
      credentials_hint jsonb NOT NULL DEFAULT '{}'::jsonb,
      pay_by_link_enabled boolean NOT NULL DEFAULT false,
      fiscalization jsonb NOT NULL DEFAULT '{"enabled": false}'::jsonb,
      sandbox_notifications jsonb NOT NULL DEFAULT '{"mode": "normal"}'::jsonb,
      connected_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE payment_links (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      appointment_id text NOT NULL REFERENCES appointments(id),
      token_hash bytea NOT NULL UNIQUE,
      token_sealed text NOT NULL,
      status text NOT NULL CHECK (status IN ('active', 'paid', 'disabled')),
      -- optional fixed amount the link may collect; NULL: whatever is due
      amount bigint CHECK (amount > 0),
      created_by text,
      created_at timestamptz NOT NULL,
      opened_at timestamptz,
      paid_at timestamptz,
      disabled_at timestamptz
    );
    -- R5: at most one active link per appointment
    CREATE UNIQUE INDEX payment_links_one_active ON payment_links (appointment_id) WHERE status = 'active';
    CREATE INDEX payment_links_appt_idx ON payment_links (appointment_id, created_at);

    CREATE TABLE checkout_attempts (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      appointment_id text NOT NULL REFERENCES appointments(id),
      link_id text NOT NULL REFERENCES payment_links(id),
      provider text NOT NULL,
      amount bigint NOT NULL CHECK (amount > 0),
      currency char(3) NOT NULL,
      status text NOT NULL CHECK (status IN ('creating', 'pending', 'succeeded', 'failed', 'expired', 'canceled')),
      provider_status text,
      provider_checkout_id text,
      provider_payment_id text,
      redirect_url text,
      contact text,
      receipt jsonb,
      failure text,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      ended_at timestamptz,
      -- when the reconciliation job should next ask the provider about this attempt
      check_at timestamptz NOT NULL,
      checks integer NOT NULL DEFAULT 0
    );
    CREATE INDEX checkout_attempts_link_idx ON checkout_attempts (link_id, created_at);
    CREATE INDEX checkout_attempts_appt_idx ON checkout_attempts (appointment_id, created_at);
    CREATE INDEX checkout_attempts_open_idx ON checkout_attempts (check_at) WHERE status IN ('creating', 'pending');
    CREATE UNIQUE INDEX checkout_attempts_provider_key ON checkout_attempts (provider, provider_checkout_id)
      WHERE provider_checkout_id IS NOT NULL;

    ALTER TABLE payments
      ADD COLUMN attempt_id text REFERENCES checkout_attempts(id),
      ADD COLUMN link_id text REFERENCES payment_links(id),
      ADD COLUMN provider text,
      ADD COLUMN provider_payment_id text,
      ADD COLUMN provider_refund_id text;
    -- R17: one attempt becomes at most one online payment, whatever the notifications do
    CREATE UNIQUE INDEX payments_one_per_attempt ON payments (attempt_id) WHERE amount > 0;
    CREATE UNIQUE INDEX payments_provider_refund_key ON payments (provider, provider_refund_id)
      WHERE provider_refund_id IS NOT NULL;

    -- R18: a refund owed to the client, asked of the provider outside any transaction
    CREATE TABLE refund_requests (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      appointment_id text NOT NULL REFERENCES appointments(id),
      payment_id text NOT NULL REFERENCES payments(id),
      amount bigint NOT NULL CHECK (amount > 0),
      reason text NOT NULL,
      status text NOT NULL CHECK (status IN ('requested', 'succeeded', 'failed')),
      provider_refund_id text,
      failure text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      check_at timestamptz NOT NULL,
      tries integer NOT NULL DEFAULT 0
    );
    CREATE INDEX refund_requests_open_idx ON refund_requests (check_at) WHERE status = 'requested';

    -- Provider notifications land here first and are applied idempotently.
    CREATE TABLE webhook_inbox (
      id bigserial PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      provider text NOT NULL,
      event_id text NOT NULL,
      event_type text NOT NULL,
      event jsonb NOT NULL,
      received_at timestamptz NOT NULL,
      processed_at timestamptz,
      tries integer NOT NULL DEFAULT 0,
      next_try_at timestamptz NOT NULL,
      last_error text,
      UNIQUE (company_id, provider, event_id)
    );
    CREATE INDEX webhook_inbox_pending_idx ON webhook_inbox (next_try_at) WHERE processed_at IS NULL;

    -- The built-in sandbox provider's own books: what a bank would keep.
    CREATE TABLE sandbox_checkouts (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      idempotency_key text NOT NULL,
      amount bigint NOT NULL,
      currency char(3) NOT NULL,
      description text NOT NULL,
      line_items jsonb NOT NULL,
      metadata jsonb NOT NULL,
      return_url text NOT NULL,
      status text NOT NULL CHECK (status IN ('open', 'paid', 'declined', 'expired')),
      refunded bigint NOT NULL DEFAULT 0,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      completed_at timestamptz,
      UNIQUE (company_id, idempotency_key)
    );

    CREATE TABLE sandbox_refunds (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      checkout_id text NOT NULL REFERENCES sandbox_checkouts(id),
      idempotency_key text NOT NULL,
      amount bigint NOT NULL CHECK (amount > 0),
      created_at timestamptz NOT NULL,
      UNIQUE (company_id, idempotency_key)
    );

    CREATE TABLE sandbox_notifications (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      body text NOT NULL,
      deliver_at timestamptz NOT NULL,
      tries integer NOT NULL DEFAULT 0,
      delivered_at timestamptz,
      dropped boolean NOT NULL DEFAULT false,
      last_error text,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX sandbox_notifications_due_idx ON sandbox_notifications (deliver_at)
      WHERE delivered_at IS NULL AND NOT dropped;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
