import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import { z } from 'zod';

/**
 * A database backup alone cannot be read back: provider credentials and the copies of link tokens
 * are sealed with SECRET_KEY (which the embedded mode generates into the data dir). So each backup
 * names its key by a fingerprint, and — when the operator sets VISITPAY_BACKUP_PASSPHRASE — carries
 * the key itself, encrypted under that passphrase (scrypt → AES-256-GCM), so that a restore on a new
 * machine needs only the file and the passphrase.
 */

/** A short, stable name for a key; a SHA-256 of a random 32-byte key reveals nothing of it. */
export function keyFingerprint(secretKey: string): string {
  const hex = createHash('sha256').update(`visitpay:key-fingerprint:${secretKey}`).digest('hex').slice(0, 16);
  return hex.match(/.{4}/g)!.join('-');
}

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

export const sealedKeySchema = z.object({
  kdf: z.literal('scrypt'),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
  salt: z.string(),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});
export type SealedKey = z.infer<typeof sealedKeySchema>;

const derive = (passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }) =>
  scryptSync(passphrase, salt, 32, { ...params, maxmem: SCRYPT.maxmem });

export function sealKey(secretKey: string, passphrase: string): SealedKey {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derive(passphrase, salt, SCRYPT), iv);
  const data = Buffer.concat([cipher.update(secretKey, 'utf8'), cipher.final()]);
  return {
    kdf: 'scrypt',
    N: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** The key inside a backup, or undefined when the passphrase is not the one it was sealed with. */
export function openKey(sealed: SealedKey, passphrase: string): string | undefined {
  if (sealed.N > 2 ** 20 || sealed.r > 32 || sealed.p > 16) return undefined;
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      derive(passphrase, Buffer.from(sealed.salt, 'base64'), sealed),
      Buffer.from(sealed.iv, 'base64'),
    );
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * The key that opens a backup's sealed values, when it is not this machine's SECRET_KEY: an
 * earlier key of this machine (SECRET_KEY_PREVIOUS), or the one the backup carries under its
 * passphrase. Throws an error naming exactly what is missing.
 */
export function keyForBackup(
  recorded: { fingerprint: string; sealed?: SealedKey },
  keys: { current: string; previous: readonly string[]; passphrase?: string },
): string | undefined {
  if (keyFingerprint(keys.current) === recorded.fingerprint) return undefined;
  const earlier = keys.previous.find((key) => keyFingerprint(key) === recorded.fingerprint);
  if (earlier) return earlier;
  if (recorded.sealed && keys.passphrase) {
    const carried = openKey(recorded.sealed, keys.passphrase);
    if (carried && keyFingerprint(carried) === recorded.fingerprint) return carried;
    throw new BackupKeyError(
      'VISITPAY_BACKUP_PASSPHRASE does not open the key stored in this backup (is it the passphrase the backup was written with?)',
    );
  }
  throw new BackupKeyError(
    `this backup was sealed with the key whose fingerprint is ${recorded.fingerprint}, and this machine's key is ${keyFingerprint(keys.current)}: ` +
      `set SECRET_KEY_PREVIOUS (or SECRET_KEY) to the key of the machine it came from (its data/secret.key in embedded mode)` +
      (recorded.sealed ? ', or VISITPAY_BACKUP_PASSPHRASE to the passphrase it was written with' : ''),
  );
}

export class BackupKeyError extends Error {}
