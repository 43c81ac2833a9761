import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertTotalFits,
  productLine,
  serviceLine,
  servicePrice,
} from '../../../src/modules/appointments/domain/items.js';

const range = fc
  .tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }))
  .map(([a, b]) => ({ priceMin: Math.min(a, b), priceMax: Math.max(a, b) }));

describe('item lines', () => {
  it('R16 a service is sold at the bottom of its range when no price is given', () => {
    expect(servicePrice({ priceMin: 3_000, priceMax: 5_000 }, undefined, 'price')).toBe(3_000);
  });

  it('R16 any price inside the range is taken, its ends included', () => {
    fc.assert(
      fc.property(range, fc.double({ min: 0, max: 1, noNaN: true }), (r, at) => {
        const price = r.priceMin + Math.floor((r.priceMax - r.priceMin) * at);
        expect(servicePrice(r, price, 'price')).toBe(price);
      }),
    );
    expect(servicePrice({ priceMin: 3_000, priceMax: 5_000 }, 5_000, 'price')).toBe(5_000);
  });

  it('R16 a price outside the range is refused with price_out_of_range naming the field sent', () => {
    for (const price of [2_999, 5_001])
      expect(() => servicePrice({ priceMin: 3_000, priceMax: 5_000 }, price, 'services.1.price')).toThrow(
        expect.objectContaining({
          code: 'price_out_of_range',
          details: { field: 'services.1.price', price, priceMin: 3_000, priceMax: 5_000 },
        }),
      );
  });

  it('R16 R23 a line copies title, taxation and VAT from the catalogue at the moment it is added', () => {
    const service = {
      id: 'svc_1',
      title: 'Haircut',
      tax_system: 'osn',
      vat: 'vat20',
      price_min: 3_000,
      price_max: 5_000,
    };
    expect(serviceLine(service, 4_000, 'price')).toEqual({
      kind: 'service',
      service_id: 'svc_1',
      product_id: null,
      product_kind: null,
      title: 'Haircut',
      unit_price: 4_000,
      quantity: 1,
      tax_system: 'osn',
      vat: 'vat20',
    });
    const product = { id: 'prd_1', title: 'Argan oil', tax_system: 'osn', vat: 'vat10', kind: 'goods', price: 1_200 };
    expect(productLine(product, 3)).toMatchObject({
      kind: 'product',
      product_id: 'prd_1',
      unit_price: 1_200,
      quantity: 3,
    });
  });

  it('a total past the safe integers is refused instead of rounded', () => {
    expect(() => assertTotalFits(Number.MAX_SAFE_INTEGER, 'quantity')).not.toThrow();
    expect(() => assertTotalFits(Number.MAX_SAFE_INTEGER + 1, 'quantity')).toThrow(
      expect.objectContaining({ code: 'price_out_of_range', details: { field: 'quantity' } }),
    );
  });
});
