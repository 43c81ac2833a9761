import pg from 'pg';

/**
 * Tables a backup leaves out: the migrator's own bookkeeping (a restore rebuilds the schema by
 * running the migrations) and the record of backups, which describes files on one machine.
 */
export const NOT_BACKED_UP = ['kysely_migration', 'kysely_migration_lock', 'backups'];

/**
 * One connection of its own for a backup or a restore (COPY streams need the raw client), with
 * settings that make COPY's text the same on both sides whatever the server's defaults.
 */
export async function openSession(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'visitpay-backup' });
  await client.connect();
  try {
    await client.query(
      `SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 3`,
    );
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The tables of the schema with their stored columns in order (generated columns are not COPY'd). */
export async function schemaTables(client: pg.Client): Promise<{ name: string; columns: string[] }[]> {
  const { rows } = await client.query<{ name: string; columns: string[] }>(
    `SELECT c.relname AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
      GROUP BY c.relname ORDER BY c.relname`,
  );
  return rows;
}

export async function schemaSequences(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'S' ORDER BY relname`,
  );
  return rows.map((r) => r.name);
}
