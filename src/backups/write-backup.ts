import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { open, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { to as copyTo } from 'pg-copy-streams';
import { BackupError, FORMAT_VERSION, headerOf, type Manifest } from './archive.js';
import { keyFingerprint, sealKey } from './backup-key.js';
import { NOT_BACKED_UP, openSession, quoteIdent, schemaSequences, schemaTables } from './snapshot-session.js';

export interface WrittenBackup {
  file: string;
  bytes: number;
  manifest: Manifest;
}

const reasonOf = (error: NodeJS.ErrnoException) =>
  error.code === 'EACCES' || error.code === 'EPERM'
    ? 'permission denied'
    : error.code === 'ENOENT'
      ? 'no such directory'
      : error.code === 'ENOTDIR'
        ? 'a part of the path is not a directory'
        : error.code === 'EROFS'
          ? 'read-only file system'
          : error.code === 'ENOSPC'
            ? 'no space left on the device'
            : error.code === 'EEXIST'
              ? 'a file of that name is being written'
              : error.code === 'EISDIR'
                ? 'it is a directory'
                : error.message;

/**
 * Writes a backup of the whole schema to `file`, consistent as of one instant while the server
 * keeps running: every table is read inside one REPEATABLE READ transaction (the snapshot
 * pg_dump takes too). The file appears under its name only once complete; an existing file
 * is never overwritten.
 */
export async function writeBackup(options: {
  databaseUrl: string;
  file: string;
  secretKey: string;
  passphrase?: string;
  now: Date;
}): Promise<WrittenBackup> {
  const target = path.resolve(options.file);
  if (existsSync(target))
    throw new BackupError(`cannot write ${target}: the file already exists (a backup is never overwritten)`);
  const partial = `${target}.partial`;
  const dataFile = `${target}.partial-data`;
  // refuse an unwritable place before reading anything
  const data = await open(dataFile, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
    throw new BackupError(`cannot write ${target}: ${reasonOf(error)}`);
  });
  try {
    const snapshot = await dumpPayload(options.databaseUrl, data.createWriteStream());
    const manifest: Manifest = {
      format: FORMAT_VERSION,
      createdAt: options.now.toISOString(),
      ...snapshot,
      secretKey: {
        fingerprint: keyFingerprint(options.secretKey),
        ...(options.passphrase ? { sealed: sealKey(options.secretKey, options.passphrase) } : {}),
      },
    };
    const header = headerOf(manifest);
    await writeFile(partial, header, { flag: 'wx', mode: 0o600 });
    await pipeline(createReadStream(dataFile), createWriteStream(partial, { flags: 'a' }));
    const done = await open(partial, 'r+');
    try {
      await done.sync();
    } finally {
      await done.close();
    }
    await rename(partial, target);
    return { file: target, bytes: header.length + manifest.payload.bytes, manifest };
  } catch (error) {
    await unlink(partial).catch(() => undefined);
    if (error instanceof BackupError) throw error;
    const e = error as NodeJS.ErrnoException;
    // a file system error (it names a path), not one of the database's
    throw e.code && e.path ? new BackupError(`cannot write ${target}: ${reasonOf(e)}`) : error;
  } finally {
    await data.close().catch(() => undefined);
    await unlink(dataFile).catch(() => undefined);
  }
}

/** Streams every table into `out` as gzip'd COPY text; answers what the manifest says about it. */
async function dumpPayload(
  databaseUrl: string,
  out: NodeJS.WritableStream,
): Promise<Pick<Manifest, 'migrations' | 'server' | 'tables' | 'sequences' | 'payload'>> {
  const gzip = createGzip();
  const hash = createHash('sha256');
  let payloadBytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      payloadBytes += chunk.length;
      done(null, chunk);
    },
  });
  const written = pipeline(gzip, counted, out);
  const client = await openSession(databaseUrl);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const server = (await client.query<{ v: string }>(`SELECT 'PostgreSQL ' || current_setting('server_version') AS v`))
      .rows[0]!.v;
    const migrations = (
      await client.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name')
    ).rows.map((r) => r.name);
    const all = (await schemaTables(client)).filter((t) => !NOT_BACKED_UP.includes(t.name));
    // as pg_dump does: no migration may change a table while it is being read
    if (all.length > 0)
      await client.query(`LOCK TABLE ${all.map((t) => quoteIdent(t.name)).join(', ')} IN ACCESS SHARE MODE`);
    const tables: Manifest['tables'] = [];
    for (const table of all) {
      const copy = client.query(
        copyTo(`COPY ${quoteIdent(table.name)} (${table.columns.map(quoteIdent).join(', ')}) TO STDOUT`),
      );
      let bytes = 0;
      for await (const chunk of copy as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (!gzip.write(chunk)) await once(gzip, 'drain');
      }
      tables.push({ name: table.name, columns: table.columns, rows: copy.rowCount, bytes });
    }
    const sequences: Manifest['sequences'] = [];
    for (const name of await schemaSequences(client)) {
      const { rows } = await client.query<{ value: string; is_called: boolean }>(
        `SELECT last_value::text AS value, is_called FROM ${quoteIdent(name)}`,
      );
      sequences.push({ name, value: rows[0]!.value, isCalled: rows[0]!.is_called });
    }
    await client.query('COMMIT');
    gzip.end();
    await written;
    return { migrations, server, tables, sequences, payload: { bytes: payloadBytes, sha256: hash.digest('hex') } };
  } catch (error) {
    gzip.destroy();
    await written.catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
