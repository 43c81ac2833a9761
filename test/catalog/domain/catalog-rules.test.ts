import { describe, expect, it } from 'vitest';
import { assertPriceRange, resolveTaxSystem } from '../../../src/modules/catalog/domain/catalog-rules.js';
import {
  defaultTaxSystemOf,
  isTaxSystemOf,
  RUSSIAN_TAX_SYSTEMS,
  taxSystemsOf,
} from '../../../src/modules/catalog/domain/taxation.js';
import { parseFiscalization } from '../../../src/modules/cashless/domain/fiscalization.js';

describe('catalogue rules', () => {
  it('R16 a range with equal ends is a fixed price; an inverted one is refused on the field sent', () => {
    expect(() => assertPriceRange(3_000, 3_000, 'priceMin')).not.toThrow();
    expect(() => assertPriceRange(5_000, 3_000, 'priceMax')).toThrow(
      expect.objectContaining({
        code: 'price_out_of_range',
        details: { field: 'priceMax', priceMin: 5_000, priceMax: 3_000 },
      }),
    );
  });

  it("R23 Russia has its five taxation systems, first of them the default; elsewhere there is one, 'standard'", () => {
    expect(taxSystemsOf('RU')).toEqual(RUSSIAN_TAX_SYSTEMS);
    expect(taxSystemsOf('ru')).toEqual(RUSSIAN_TAX_SYSTEMS);
    expect(defaultTaxSystemOf('RU')).toBe('osn');
    expect(taxSystemsOf('DE')).toEqual(['standard']);
    expect(defaultTaxSystemOf('JP')).toBe('standard');
    expect(isTaxSystemOf('DE', 'osn')).toBe(false);
  });

  it("R23 an item takes the company's default system when none is given, and only one of its country's", () => {
    const salon = { country: 'RU', default_tax_system: 'usn_income' };
    expect(resolveTaxSystem(salon, undefined)).toBe('usn_income');
    expect(resolveTaxSystem(salon, 'patent')).toBe('patent');
    expect(() => resolveTaxSystem(salon, 'standard')).toThrow(
      expect.objectContaining({
        code: 'invalid_tax_system',
        details: { field: 'taxSystem', allowed: RUSSIAN_TAX_SYSTEMS },
      }),
    );
  });

  it('R24 stored register settings are read safely: off unless enabled, receipts to any contact unless chosen', () => {
    expect(parseFiscalization(null)).toEqual({ enabled: false, delivery: 'any' });
    expect(parseFiscalization({ enabled: 'yes', delivery: 'fax', taxSystem: 7 })).toEqual({
      enabled: false,
      delivery: 'any',
    });
    expect(parseFiscalization({ enabled: true, delivery: 'phone', taxSystem: 'osn' })).toEqual({
      enabled: true,
      delivery: 'phone',
      taxSystem: 'osn',
    });
  });
});
