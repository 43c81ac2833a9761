import { sql, type Kysely } from 'kysely';

/**
 * Appointments are deleted softly: their items and payments stay in the ledger and the audit log
 * can still point at them. A deleted appointment frees its external id, so a booking system that
 * deletes and re-creates a visit can push the same id again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE appointments
      ADD COLUMN deleted_at timestamptz,
      ADD COLUMN deleted_by text;

    DROP INDEX appointments_external_id_key;
    CREATE UNIQUE INDEX appointments_external_id_key ON appointments (company_id, external_id)
      WHERE external_id IS NOT NULL AND deleted_at IS NULL;

    DROP INDEX appointments_company_start_idx;
    CREATE INDEX appointments_company_start_idx ON appointments (company_id, starts_at, id)
      WHERE deleted_at IS NULL;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
