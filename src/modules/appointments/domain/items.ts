import { DomainError } from '../../../shared/errors.js';

export interface PriceRange {
  priceMin: number;
  priceMax: number;
}

/**
 * R16: a service is sold at any price inside its catalogue range, and at the bottom of it when
 * none is given. `field` names the value the caller sent (`price`, `services.1.price`).
 */
export function servicePrice(range: PriceRange, price: number | undefined, field: string): number {
  const chosen = price ?? range.priceMin;
  if (chosen < range.priceMin || chosen > range.priceMax) {
    throw new DomainError(
      'price_out_of_range',
      `${field} ${chosen} is outside the service's range ${range.priceMin}..${range.priceMax} (minor units)`,
      { field, price: chosen, priceMin: range.priceMin, priceMax: range.priceMax },
    );
  }
  return chosen;
}

interface CatalogLine {
  id: string;
  title: string;
  tax_system: string;
  vat: string;
}

/**
 * The columns of a new item line. Title, taxation, VAT and the product kind are copied from the
 * catalogue now, so a later catalogue edit never rewrites what was sold (or its fiscal receipt).
 */
export function serviceLine(
  service: CatalogLine & { price_min: number; price_max: number },
  price: number | undefined,
  field: string,
) {
  return {
    kind: 'service',
    service_id: service.id,
    product_id: null,
    product_kind: null,
    title: service.title,
    unit_price: servicePrice({ priceMin: service.price_min, priceMax: service.price_max }, price, field),
    quantity: 1,
    tax_system: service.tax_system,
    vat: service.vat,
  } as const;
}

/** The most of one product a line holds (the API's limit on quantity). */
export const MAX_QUANTITY = 10_000;

export function productLine(product: CatalogLine & { kind: string; price: number }, quantity: number) {
  return {
    kind: 'product',
    service_id: null,
    product_id: product.id,
    product_kind: product.kind,
    title: product.title,
    unit_price: product.price,
    quantity,
    tax_system: product.tax_system,
    vat: product.vat,
  } as const;
}

/**
 * The appointment's total after a change. Every amount is summed as an exact integer (here and in
 * the database's sums), so a total past Number.MAX_SAFE_INTEGER is refused instead of rounding.
 */
export function assertTotalFits(total: number, field: string): void {
  if (!Number.isSafeInteger(total)) {
    throw new DomainError(
      'price_out_of_range',
      `the appointment total would exceed ${Number.MAX_SAFE_INTEGER} minor units`,
      { field },
    );
  }
}
