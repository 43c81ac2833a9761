import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/shared/encryption.js';

const OLD = 'b2xkLWtleS1vZi10aGUtc2Fsb24tdGhhdC1pcy1sb25n';
const NEW = 'bmV3LWtleS1vZi10aGUtc2Fsb24tdGhhdC1pcy1sb25n';

describe('secrets at rest', () => {
  it('seals with AES-256-GCM: a fresh nonce each time, and any change to the sealed value is detected', () => {
    const box = new SecretBox(NEW);
    const a = box.seal('sk_live_123');
    expect(a).toMatch(/^v1\./);
    expect(box.seal('sk_live_123')).not.toBe(a);
    expect(box.open(a)).toBe('sk_live_123');
    // one character of the ciphertext changed, wherever it is: the authentication tag no longer matches
    for (const at of [10, 30, a.length - 3]) {
      const tampered = `${a.slice(0, at)}${a[at] === 'A' ? 'B' : 'A'}${a.slice(at + 1)}`;
      expect(tampered).not.toBe(a);
      expect(() => box.open(tampered)).toThrow();
    }
    expect(() => box.open('plain text')).toThrow('unknown secret format');
  });

  it('while SECRET_KEY rotates, values sealed under a previous key still open and say so; new ones use the current key', () => {
    const sealedOld = new SecretBox(OLD).seal('whsec_abc');
    expect(() => new SecretBox(NEW).open(sealedOld)).toThrow(/SECRET_KEY_PREVIOUS/);
    const rotating = new SecretBox(NEW, [OLD]);
    expect(rotating.openWithKey(sealedOld)).toEqual({ plaintext: 'whsec_abc', current: false });
    const sealedNew = rotating.seal('whsec_abc');
    expect(rotating.openWithKey(sealedNew)).toEqual({ plaintext: 'whsec_abc', current: true });
    expect(new SecretBox(NEW).open(sealedNew)).toBe('whsec_abc');
  });
});
