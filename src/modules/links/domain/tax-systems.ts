import { DomainError } from '../../../shared/errors.js';

/**
 * R23: one link pays items of one taxation system only (a fiscal receipt has one). Different VAT
 * rates are fine. The error names the items of every system so staff can see what to split.
 */
export function assertSingleTaxSystem(items: readonly { id: string; title: string; taxSystem: string }[]): void {
  const systems = [...new Set(items.map((i) => i.taxSystem))];
  if (systems.length <= 1) return;
  throw new DomainError(
    'mixed_tax_systems',
    `these items belong to different taxation systems (${systems.join(', ')}) and cannot be paid by one link`,
    {
      items: items.map((i) => ({ id: i.id, title: i.title, taxSystem: i.taxSystem })),
    },
  );
}
