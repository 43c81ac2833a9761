import { sql, type Kysely } from 'kysely';

/**
 * R39 link page branding: one row per company that set any. The logo is kept in the database
 * (at most 200 KB, checked by content before it is written) and served at a URL carrying its
 * SHA-256, so it can be cached for good and a new logo is a new URL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE company_branding (
      company_id text PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
      accent_color text CHECK (accent_color ~ '^#[0-9a-f]{6}$'),
      contact_line text CHECK (char_length(contact_line) <= 120),
      logo bytea CHECK (octet_length(logo) <= 204800),
      logo_type text CHECK (logo_type IN ('image/png', 'image/jpeg', 'image/webp')),
      logo_sha256 text,
      logo_width int,
      logo_height int,
      updated_at timestamptz NOT NULL,
      CHECK ((logo IS NULL) = (logo_type IS NULL) AND (logo IS NULL) = (logo_sha256 IS NULL))
    );
    CREATE INDEX company_branding_logo_idx ON company_branding (logo_sha256) WHERE logo_sha256 IS NOT NULL;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
