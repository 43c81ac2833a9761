import { createHash, randomBytes } from 'node:crypto';

/**
 * R6: a link token is 256 bits from the CSPRNG, URL-safe. Only its SHA-256 is used for lookup,
 * so a database dump never holds a usable token (the sealed copy needs SECRET_KEY).
 */
export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashLinkToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Tokens have one exact shape; anything else is unknown without a database lookup. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
