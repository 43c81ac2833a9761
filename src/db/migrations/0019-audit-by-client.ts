import { sql, type Kysely } from 'kysely';

/**
 * R27: the audit log is filtered by client — the entries of the client's appointments (found
 * through this index, then audit_log_appt_idx) and those of the client record itself.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX appointments_client_idx ON appointments (company_id, client_id);
    CREATE INDEX audit_log_entity_idx ON audit_log (company_id, entity_type, entity_id, id DESC);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
