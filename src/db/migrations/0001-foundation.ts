import { sql, type Kysely } from 'kysely';

/** Companies, staff accounts and rights, catalog, clients, appointments, desk payments, audit. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE companies (
      id text PRIMARY KEY,
      name text NOT NULL,
      currency char(3) NOT NULL,
      timezone text NOT NULL,
      country char(2) NOT NULL,
      default_tax_system text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE users (
      id text PRIMARY KEY,
      email text NOT NULL,
      name text NOT NULL,
      password_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX users_email_key ON users (lower(email));

    CREATE TABLE memberships (
      company_id text NOT NULL REFERENCES companies(id),
      user_id text NOT NULL REFERENCES users(id),
      role text NOT NULL CHECK (role IN ('owner', 'administrator', 'staff', 'custom')),
      rights text[] NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (company_id, user_id)
    );
    CREATE INDEX memberships_user_idx ON memberships (user_id);

    CREATE TABLE sessions (
      id text PRIMARY KEY,
      token_hash bytea NOT NULL UNIQUE,
      user_id text NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    );

    CREATE TABLE staff (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX staff_company_idx ON staff (company_id, created_at, id);

    CREATE TABLE clients (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      name text NOT NULL,
      phone text,
      email text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX clients_company_idx ON clients (company_id, created_at, id);

    CREATE TABLE services (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      title text NOT NULL,
      price_min bigint NOT NULL CHECK (price_min >= 0),
      price_max bigint NOT NULL CHECK (price_max >= price_min),
      tax_system text NOT NULL,
      vat text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX services_company_idx ON services (company_id, created_at, id);

    CREATE TABLE products (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      title text NOT NULL,
      sku text NOT NULL,
      barcode text,
      kind text NOT NULL CHECK (kind IN ('goods', 'membership', 'gift_card')),
      price bigint NOT NULL CHECK (price >= 0),
      tax_system text NOT NULL,
      vat text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX products_sku_key ON products (company_id, lower(sku));
    CREATE INDEX products_barcode_idx ON products (company_id, barcode);
    CREATE INDEX products_company_idx ON products (company_id, created_at, id);

    CREATE TABLE appointments (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      client_id text NOT NULL REFERENCES clients(id),
      staff_id text NOT NULL REFERENCES staff(id),
      starts_at timestamptz NOT NULL,
      duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
      status text NOT NULL CHECK (status IN ('booked', 'confirmed', 'arrived', 'no_show', 'cancelled')),
      comment text,
      external_id text,
      locked_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX appointments_company_start_idx ON appointments (company_id, starts_at);
    CREATE UNIQUE INDEX appointments_external_id_key ON appointments (company_id, external_id)
      WHERE external_id IS NOT NULL;

    CREATE TABLE appointment_items (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      appointment_id text NOT NULL REFERENCES appointments(id),
      kind text NOT NULL CHECK (kind IN ('service', 'product')),
      service_id text REFERENCES services(id),
      product_id text REFERENCES products(id),
      product_kind text CHECK (product_kind IN ('goods', 'membership', 'gift_card')),
      title text NOT NULL,
      unit_price bigint NOT NULL CHECK (unit_price >= 0),
      quantity integer NOT NULL CHECK (quantity > 0),
      tax_system text NOT NULL,
      vat text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'service') = (service_id IS NOT NULL)),
      CHECK ((kind = 'product') = (product_id IS NOT NULL))
    );
    CREATE INDEX appointment_items_appt_idx ON appointment_items (appointment_id, created_at);

    CREATE TABLE payments (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      appointment_id text NOT NULL REFERENCES appointments(id),
      method text NOT NULL CHECK (method IN ('cash', 'card', 'bank_transfer', 'loyalty_points', 'cashback',
        'gift_card', 'membership', 'deposit', 'online')),
      amount bigint NOT NULL CHECK (amount <> 0),
      currency char(3) NOT NULL,
      paid_at timestamptz NOT NULL,
      -- who took it: a user id for staff, or one of client/provider/system
      actor_type text NOT NULL CHECK (actor_type IN ('user', 'client', 'provider', 'system')),
      actor_id text,
      refund_of text REFERENCES payments(id),
      idempotency_key text,
      request_hash text,
      voided_at timestamptz,
      voided_by text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX payments_appt_idx ON payments (appointment_id, created_at);
    CREATE INDEX payments_company_paid_idx ON payments (company_id, paid_at);
    CREATE UNIQUE INDEX payments_idempotency_key ON payments (company_id, idempotency_key)
      WHERE idempotency_key IS NOT NULL;

    -- Append-only: the trigger below refuses UPDATE and DELETE.
    CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      at timestamptz NOT NULL,
      actor_type text NOT NULL CHECK (actor_type IN ('user', 'client', 'provider', 'system')),
      actor_id text,
      action text NOT NULL,
      entity_type text NOT NULL,
      entity_id text NOT NULL,
      appointment_id text,
      amount_before bigint,
      amount_after bigint,
      details jsonb NOT NULL DEFAULT '{}'::jsonb
    );
    CREATE INDEX audit_log_company_idx ON audit_log (company_id, id DESC);
    CREATE INDEX audit_log_appt_idx ON audit_log (appointment_id, id) WHERE appointment_id IS NOT NULL;

    CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only';
    END $$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
