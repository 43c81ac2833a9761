import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BackupError, type Manifest } from './archive.js';
import { quoteIdent } from './snapshot-session.js';

type Table = Manifest['tables'][number];

/**
 * Splits a backup's payload (every table's COPY text, one after another) at the byte counts of
 * the manifest and streams each part into `COPY … FROM STDIN`; checks each table's row count.
 * Answers the rows loaded.
 */
export async function copyPayload(
  client: pg.Client,
  tables: readonly Table[],
  payload: AsyncIterable<Buffer>,
): Promise<number> {
  const pending = tables.filter((t) => t.bytes > 0);
  let current: { table: Table; copy: ReturnType<typeof copyFrom>; remaining: number } | undefined;
  let total = 0;

  const finish = async () => {
    const { table, copy } = current!;
    copy.end();
    await finished(copy);
    current = undefined;
    if (copy.rowCount !== table.rows)
      throw new BackupError(
        `the backup is damaged: ${table.name} holds ${copy.rowCount} rows where its manifest says ${table.rows}`,
      );
    total += table.rows;
  };

  const feed = async (chunk: Buffer) => {
    for (let offset = 0; offset < chunk.length; ) {
      if (!current) {
        const table = pending.shift();
        if (!table) throw new BackupError('the backup is damaged: it holds more data than its manifest lists');
        const copy = client.query(
          copyFrom(`COPY ${quoteIdent(table.name)} (${table.columns.map(quoteIdent).join(', ')}) FROM STDIN`),
        );
        // its error surfaces where it is awaited (drain, finish); an error event nobody awaits must not crash the process
        copy.on('error', () => undefined);
        current = { table, copy, remaining: table.bytes };
      }
      const take = Math.min(current.remaining, chunk.length - offset);
      if (!current.copy.write(chunk.subarray(offset, offset + take))) await once(current.copy, 'drain');
      offset += take;
      current.remaining -= take;
      if (current.remaining === 0) await finish();
    }
  };

  try {
    for await (const chunk of payload) await feed(chunk);
    if (current || pending.length > 0)
      throw new BackupError('the backup is damaged: its data ends before every table was read');
  } catch (error) {
    // a COPY left open would hold the connection: CopyFail ends it, so that ROLLBACK can run
    current?.copy.destroy(error as Error);
    throw error;
  }
  return total;
}
