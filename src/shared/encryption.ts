import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const keyOf = (secretKey: string) => createHash('sha256').update(`visitpay:v1:${secretKey}`).digest();

/**
 * AES-256-GCM for secrets at rest (provider credentials, the copy of each link token, webhook
 * secrets). The key is derived from SECRET_KEY. While keys are rotated, values sealed under the
 * previous ones (SECRET_KEY_PREVIOUS) still open; everything new is sealed under the current key,
 * and `visitpay reseal` moves the rest over.
 */
export class SecretBox {
  private readonly key: Buffer;
  private readonly previous: Buffer[];

  constructor(secretKey: string, previousKeys: readonly string[] = []) {
    this.key = keyOf(secretKey);
    this.previous = previousKeys.map(keyOf);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  open(sealed: string): string {
    return this.openWithKey(sealed).plaintext;
  }

  /** Opens the value and says whether it was sealed under the current key (else it wants resealing). */
  openWithKey(sealed: string): { plaintext: string; current: boolean } {
    if (!sealed.startsWith('v1.')) throw new Error('unknown secret format');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    for (const [index, key] of [this.key, ...this.previous].entries()) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return {
          plaintext: Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'),
          current: index === 0,
        };
      } catch {
        // the authentication tag does not match this key: try the next one
      }
    }
    throw new Error('the secret does not open with SECRET_KEY (nor with SECRET_KEY_PREVIOUS)');
  }
}
