import { sql, type Kysely } from 'kysely';

/**
 * R37 message templates: a company's own text for one channel, kind of message and language.
 * No row means the built-in default (in the code), so "reset to default" deletes the row and a
 * new default reaches every company that never changed it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE message_templates (
      company_id text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
      channel text NOT NULL CHECK (channel IN ('email', 'sms', 'whatsapp')),
      kind text NOT NULL CHECK (kind IN ('link', 'reminder')),
      locale text NOT NULL CHECK (locale IN ('en', 'ru')),
      subject text CHECK ((channel = 'email') = (subject IS NOT NULL)),
      body text NOT NULL,
      updated_at timestamptz NOT NULL,
      updated_by text,
      PRIMARY KEY (company_id, channel, kind, locale)
    );
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
