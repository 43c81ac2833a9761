import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';

/**
 * S6: the embedded PostgreSQL superuser's password is random per installation, kept next to the
 * cluster (`<data dir>/pg-password` for the cluster in `<data dir>/pg`), readable by its owner only.
 */

/**
 * The password every embedded cluster had before S6. A cluster is still initialised with it (initdb
 * reads its password from a world-readable temp file, so it would leak any other) and an upgraded one
 * still has it: either way it is replaced before the server listens on TCP (see startEmbeddedPostgres).
 */
export const LEGACY_EMBEDDED_PASSWORD = 'visitpay-embedded';

export function embeddedPasswordFile(clusterDir: string): string {
  const dir = path.resolve(clusterDir);
  return path.join(path.dirname(dir), `${path.basename(dir)}-password`);
}

/** Written before ALTER ROLE and renamed after it: a crash in between leaves the password findable. */
const pendingFile = (clusterDir: string) => `${embeddedPasswordFile(clusterDir)}.new`;

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

/** The cluster's own password, once it has one. */
export function readEmbeddedPassword(clusterDir: string): string | undefined {
  return readIfExists(embeddedPasswordFile(clusterDir));
}

function writeOwnerOnly(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600 });
  // the mode above applies only when the file is created
  chmodSync(file, 0o600);
}

/**
 * Gives a cluster that still has the legacy password (or a rotation cut short) a random one:
 * connects with what it may have, `ALTER ROLE`, then keeps the new password in the file (0600).
 * `connection` says how to reach the server with a given password.
 */
export async function adoptOwnPassword(
  clusterDir: string,
  connection: (password: string) => pg.ClientConfig,
): Promise<string> {
  const candidates = [readIfExists(pendingFile(clusterDir)), LEGACY_EMBEDDED_PASSWORD].filter((p): p is string => !!p);
  const { client, lastError } = await connectWithAny(candidates, connection);
  if (!client) {
    throw new Error(
      `the embedded PostgreSQL in ${path.resolve(clusterDir)} refuses every password Visitpay knows for it ` +
        `(${embeddedPasswordFile(clusterDir)} is missing; restore it from a backup): ${lastError}`,
    );
  }
  try {
    const password = randomBytes(24).toString('base64url');
    writeOwnerOnly(pendingFile(clusterDir), `${password}\n`);
    await client.query(`ALTER ROLE postgres PASSWORD ${client.escapeLiteral(password)}`);
    renameSync(pendingFile(clusterDir), embeddedPasswordFile(clusterDir));
    return password;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function connectWithAny(passwords: string[], connection: (password: string) => pg.ClientConfig) {
  let lastError = '';
  for (const password of passwords) {
    const client = new pg.Client({ ...connection(password), connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      return { client, lastError };
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      await client.end().catch(() => undefined);
    }
  }
  return { client: undefined, lastError };
}
