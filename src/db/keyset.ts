import { sql, type RawBuilder } from 'kysely';

/**
 * Keyset pagination over (created_at, id), matching the cursors of `toPage`/`decodeCursor`.
 *
 * PostgreSQL keeps microseconds but a JS Date (and so the cursor) only milliseconds. Comparing the
 * raw column with a millisecond cursor would repeat the last row of a page whenever created_at has
 * sub-millisecond digits (every DEFAULT now() row), so order and compare on the value truncated to
 * milliseconds. The extra `created_at >= cursor` bound is equivalent and lets the
 * (company_id, created_at, id) index narrow the scan.
 */
export function keyset(createdAtColumn: string, idColumn: string) {
  const at = sql`date_trunc('milliseconds', ${sql.ref(createdAtColumn)})`;
  const id = sql.ref(idColumn);
  return {
    order: [at, id] as const,
    after(cursor: { createdAt: Date; id: string }): RawBuilder<boolean> {
      return sql<boolean>`(${sql.ref(createdAtColumn)} >= ${cursor.createdAt}::timestamptz
        AND (${at}, ${id}) > (${cursor.createdAt}::timestamptz, ${cursor.id}::text))`;
    },
  };
}

/** Escapes LIKE wildcards so user input matches literally. */
export function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, '\\$&');
}
