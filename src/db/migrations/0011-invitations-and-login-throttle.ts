import { sql, type Kysely } from 'kysely';

/**
 * S1: a company adds a member by invitation, accepted by the holder of the email through a link;
 * until then the membership does not exist. S9: failed sign-ins counted per account in the
 * database, so that every process of the installation sees the same count.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE invitations (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies(id),
      email text NOT NULL,
      name text,
      role text NOT NULL CHECK (role IN ('owner', 'administrator', 'staff', 'custom')),
      rights text[] NOT NULL,
      token_hash bytea NOT NULL UNIQUE,
      invited_by text NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL,
      sent_at timestamptz NOT NULL,
      -- email: the link went to the address (its holder proved it); link: shown to the inviter to hand over
      delivered_by text NOT NULL CHECK (delivered_by IN ('email', 'link')),
      expires_at timestamptz NOT NULL,
      accepted_at timestamptz,
      accepted_by text REFERENCES users(id),
      revoked_at timestamptz
    );
    -- at most one open invitation per company and email: inviting again renews it
    CREATE UNIQUE INDEX invitations_open_key ON invitations (company_id, lower(email))
      WHERE accepted_at IS NULL AND revoked_at IS NULL;

    CREATE TABLE login_throttle (
      account_key bytea PRIMARY KEY,
      attempts integer NOT NULL,
      window_started_at timestamptz NOT NULL
    );

    CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX sessions_user_idx; DROP TABLE login_throttle; DROP TABLE invitations;`.execute(db);
}
