import type pg from 'pg';
import { SEALED_COLUMNS } from '../cli/reseal.js';
import { SecretBox } from '../shared/encryption.js';
import { quoteIdent } from './snapshot-session.js';

/**
 * A backup from another machine (or from before a key rotation) holds secrets sealed under its
 * key: seal each under this machine's key, inside the restore's transaction, so the restored
 * installation needs nothing but its own SECRET_KEY from then on.
 */
export async function resealRestored(
  client: pg.Client,
  keys: { from: string; to: string },
  say: (line: string) => void,
): Promise<number> {
  const opener = new SecretBox(keys.to, [keys.from]);
  const sealer = new SecretBox(keys.to);
  let resealed = 0;
  let unreadable = 0;
  for (const { table, key, column } of SEALED_COLUMNS) {
    const { rows } = await client.query<{ k: string; v: string }>(
      `SELECT ${quoteIdent(key)}::text AS k, ${quoteIdent(column)} AS v FROM ${quoteIdent(table)} WHERE ${quoteIdent(column)} IS NOT NULL`,
    );
    for (const row of rows) {
      let opened: { plaintext: string; current: boolean };
      try {
        opened = opener.openWithKey(row.v);
      } catch {
        unreadable++;
        continue;
      }
      if (opened.current) continue;
      await client.query(
        `UPDATE ${quoteIdent(table)} SET ${quoteIdent(column)} = $1 WHERE ${quoteIdent(key)}::text = $2`,
        [sealer.seal(opened.plaintext), row.k],
      );
      resealed++;
    }
  }
  if (unreadable > 0) {
    say(
      `warning: ${unreadable} sealed value(s) open under neither key (sealed before an older rotation?): left as they were; see visitpay reseal`,
    );
  }
  return resealed;
}
