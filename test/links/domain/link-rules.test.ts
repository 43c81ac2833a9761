import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNormalizedPhone, normalizeEmail, normalizePhone } from '../../../src/modules/clients/domain/contact.js';
import { needsContact, parseContact } from '../../../src/modules/links/domain/contact.js';
import { hashLinkToken, isWellFormedToken, newLinkToken } from '../../../src/modules/links/domain/link-token.js';
import { assertSingleTaxSystem } from '../../../src/modules/links/domain/tax-systems.js';

describe('link tokens (R6)', () => {
  it('R6 every new token has the one shape the pay page accepts, and tokens do not repeat', () => {
    const tokens = Array.from({ length: 200 }, newLinkToken);
    for (const token of tokens) expect(isWellFormedToken(token), token).toBe(true);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('R6 anything else is refused without a lookup: too short, too long, or outside the URL-safe alphabet', () => {
    const token = newLinkToken();
    for (const bad of [
      '',
      token.slice(1),
      `${token}a`,
      `${token.slice(1)}=`,
      `${token.slice(1)}/`,
      `${token.slice(1)}.`,
    ])
      expect(isWellFormedToken(bad), bad).toBe(false);
  });

  it('R6 the stored digest is SHA-256 of the token: 32 bytes, the same for the same token only', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(hashLinkToken(a)).toHaveLength(32);
        expect(hashLinkToken(a).equals(hashLinkToken(b))).toBe(a === b);
      }),
    );
  });
});

describe('one taxation system per link (R23)', () => {
  it('R23 items of one system pass, whatever their VAT; none at all pass', () => {
    expect(() => assertSingleTaxSystem([])).not.toThrow();
    expect(() =>
      assertSingleTaxSystem([
        { id: 'itm_1', title: 'Haircut', taxSystem: 'osn' },
        { id: 'itm_2', title: 'Argan oil', taxSystem: 'osn' },
      ]),
    ).not.toThrow();
  });

  it('R23 items of two systems are refused with mixed_tax_systems, listing every item with its system', () => {
    const items = [
      { id: 'itm_1', title: 'Haircut', taxSystem: 'osn' },
      { id: 'itm_2', title: 'Gift card', taxSystem: 'patent' },
    ];
    expect(() => assertSingleTaxSystem(items)).toThrow(
      expect.objectContaining({ code: 'mixed_tax_systems', details: { items } }),
    );
  });
});

describe('the contact for a receipt (R26)', () => {
  it('R26 the page asks only when receipts are on and the client has neither email nor phone', () => {
    expect(needsContact({ fiscalization: true, email: null, phone: null })).toBe(true);
    expect(needsContact({ fiscalization: true, email: 'anna@example.test', phone: null })).toBe(false);
    expect(needsContact({ fiscalization: true, email: null, phone: '+491701234567' })).toBe(false);
    expect(needsContact({ fiscalization: false, email: null, phone: null })).toBe(false);
  });

  it('R26 a typed email is trimmed and lower-cased, a phone kept in international form without separators', () => {
    expect(parseContact('  Anna@Example.TEST ')).toBe('anna@example.test');
    expect(parseContact('+49 170 123-45-67')).toBe('+491701234567');
    expect(parseContact('+7 (916) 123.45.67')).toBe('+79161234567');
  });

  it('R26 nothing typed is contact_required; a broken address or a phone without + is validation_failed', () => {
    for (const empty of [undefined, '', '   '])
      expect(() => parseContact(empty)).toThrow(expect.objectContaining({ code: 'contact_required' }));
    for (const bad of ['anna@', 'anna@example', '8 916 123 45 67', '+12345', '+1234567890123456', 'call me'])
      expect(() => parseContact(bad), bad).toThrow(
        expect.objectContaining({ code: 'validation_failed', details: { field: 'contact' } }),
      );
  });

  it('R26 the same number typed with any separators is one number', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 15 }),
        fc.array(fc.constantFrom('', ' ', '-', '(', ')', '.'), { minLength: 16, maxLength: 16 }),
        (digits, separators) => {
          const plain = `+${digits.join('')}`;
          const typed = `+${digits.map((d, i) => `${separators[i]}${d}`).join('')}`;
          expect(normalizePhone(typed)).toBe(plain);
          expect(isNormalizedPhone(normalizePhone(typed))).toBe(true);
          expect(parseContact(typed)).toBe(plain);
        },
      ),
    );
    expect(normalizeEmail(' A@B.C ')).toBe('a@b.c');
  });
});
