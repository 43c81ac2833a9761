import { sql, type Kysely } from 'kysely';

/**
 * Lists page by (created_at, id) with a cursor the API hands out; JavaScript dates carry
 * milliseconds, PostgreSQL's now() microseconds. Rows stamped within one millisecond (a batch, one
 * transaction) made the next page repeat them. Stored at millisecond precision, the cursor is exact.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE services ALTER COLUMN created_at TYPE timestamptz(3);
    ALTER TABLE products ALTER COLUMN created_at TYPE timestamptz(3);
    ALTER TABLE clients ALTER COLUMN created_at TYPE timestamptz(3);
    ALTER TABLE staff ALTER COLUMN created_at TYPE timestamptz(3);
    ALTER TABLE users ALTER COLUMN created_at TYPE timestamptz(3);
    ALTER TABLE memberships ALTER COLUMN created_at TYPE timestamptz(3);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
