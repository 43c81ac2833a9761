import { sql } from 'kysely';
import type { OperatorContext } from './operator-commands.js';

/** Every column holding a value sealed by SecretBox, with its table's key. */
export const SEALED_COLUMNS = [
  { table: 'cashless_settings', key: 'company_id', column: 'credentials_sealed' },
  { table: 'payment_links', key: 'id', column: 'token_sealed' },
  { table: 'webhook_endpoints', key: 'id', column: 'secret_sealed' },
  { table: 'sandbox_merchants', key: 'company_id', column: 'webhook_secret' },
  { table: 'sandbox_checkouts', key: 'id', column: 'return_url' },
] as const;

const RESEAL_BATCH = 500;

/**
 * The second step of rotating SECRET_KEY: with the new key in SECRET_KEY and the old one in
 * SECRET_KEY_PREVIOUS (servers already restarted so), seals every value still under an old key
 * under the new one. A value changed meanwhile by a running server is left alone — the server
 * sealed it under the new key. Fails, naming them, if values open under none of the keys.
 */
export async function reseal(c: OperatorContext): Promise<void> {
  const box = c.services().secrets;
  const unreadable: string[] = [];
  for (const { table, key, column } of SEALED_COLUMNS) {
    let resealed = 0;
    let current = 0;
    for (let after = ''; ; ) {
      const { rows } = await sql<{ k: string; v: string }>`
        SELECT ${sql.ref(key)} AS k, ${sql.ref(column)} AS v FROM ${sql.table(table)}
         WHERE ${sql.ref(column)} IS NOT NULL AND ${sql.ref(key)} > ${after}
         ORDER BY ${sql.ref(key)} LIMIT ${RESEAL_BATCH}`.execute(c.db);
      for (const row of rows) {
        let opened: { plaintext: string; current: boolean };
        try {
          opened = box.openWithKey(row.v);
        } catch {
          unreadable.push(`${table}.${column} ${row.k}`);
          continue;
        }
        if (opened.current) {
          current++;
          continue;
        }
        await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${box.seal(opened.plaintext)}
                   WHERE ${sql.ref(key)} = ${row.k} AND ${sql.ref(column)} = ${row.v}`.execute(c.db);
        resealed++;
      }
      if (rows.length < RESEAL_BATCH) break;
      after = rows[rows.length - 1]!.k;
    }
    c.say(`${table}.${column}: ${resealed} resealed, ${current} already under SECRET_KEY`);
  }
  if (unreadable.length > 0) {
    throw new Error(
      `${unreadable.length} value(s) open under none of the keys (is SECRET_KEY_PREVIOUS the key they were sealed with?): ${unreadable.slice(0, 10).join(', ')}`,
    );
  }
}
