import { sql, type Kysely } from 'kysely';

/**
 * R33: the sandbox bank keeps the settlement receipts it is sent, as YooKassa's cash register
 * would, so that a company trying Visitpay with the sandbox and fiscalization on sees the whole
 * flow. One receipt per idempotency key of a company.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sandbox_receipts (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      checkout_id text NOT NULL REFERENCES sandbox_checkouts(id),
      idempotency_key text NOT NULL,
      amount bigint NOT NULL CHECK (amount > 0),
      receipt jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      UNIQUE (company_id, idempotency_key)
    );
    CREATE INDEX sandbox_receipts_checkout_idx ON sandbox_receipts (checkout_id);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
