import { DomainError } from '../../../shared/errors.js';
import { isTaxSystemOf, taxSystemsOf } from './taxation.js';

export const PRODUCT_KINDS = ['goods', 'membership', 'gift_card'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

/**
 * A service's price range must not be inverted (R16 lets staff pick any price inside it).
 * `field` names the value the caller sent, so the error points at what to fix.
 */
export function assertPriceRange(priceMin: number, priceMax: number, field: 'priceMin' | 'priceMax'): void {
  if (priceMin > priceMax) {
    throw new DomainError('price_out_of_range', `priceMin (${priceMin}) must not exceed priceMax (${priceMax})`, {
      field,
      priceMin,
      priceMax,
    });
  }
}

/** Every item carries a taxation system of the company's country (R23); absent means the company's default. */
export function resolveTaxSystem(
  company: { country: string; default_tax_system: string },
  given: string | undefined,
): string {
  const taxSystem = given ?? company.default_tax_system;
  if (!isTaxSystemOf(company.country, taxSystem)) {
    throw new DomainError('invalid_tax_system', `${taxSystem} is not a taxation system of ${company.country}`, {
      field: 'taxSystem',
      allowed: taxSystemsOf(company.country),
    });
  }
  return taxSystem;
}
