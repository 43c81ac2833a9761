import type { Db } from '../../src/db/database.js';
import { insertProduct, insertService } from '../../src/modules/catalog/catalog.repository.js';
import { insertClient } from '../../src/modules/clients/clients.repository.js';
import { insertStaffMember } from '../../src/modules/staff/staff.repository.js';
import { newId } from '../../src/shared/ids.js';

/** Data factories writing straight to the database: fast set-up for tests about something else. */

export async function newService(
  db: Db,
  companyId: string,
  input: Partial<{ title: string; priceMin: number; priceMax: number; taxSystem: string; vat: string }> = {},
) {
  const priceMin = input.priceMin ?? 5_000;
  const row = {
    id: newId('service'),
    company_id: companyId,
    title: input.title ?? 'Haircut',
    price_min: priceMin,
    price_max: input.priceMax ?? Math.max(priceMin, 10_000),
    tax_system: input.taxSystem ?? 'standard',
    vat: input.vat ?? 'none',
  };
  await insertService(db, row);
  return row;
}

export async function newProduct(
  db: Db,
  companyId: string,
  input: Partial<{
    title: string;
    sku: string;
    barcode: string | null;
    kind: 'goods' | 'membership' | 'gift_card';
    price: number;
    taxSystem: string;
    vat: string;
  }> = {},
) {
  const row = {
    id: newId('product'),
    company_id: companyId,
    title: input.title ?? 'Shampoo',
    sku: input.sku ?? `SKU-${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
    barcode: input.barcode ?? null,
    kind: input.kind ?? 'goods',
    price: input.price ?? 1_500,
    tax_system: input.taxSystem ?? 'standard',
    vat: input.vat ?? 'vat20',
  };
  await insertProduct(db, row);
  return row;
}

export async function newClient(
  db: Db,
  companyId: string,
  input: Partial<{ name: string; phone: string | null; email: string | null }> = {},
) {
  const row = {
    id: newId('client'),
    company_id: companyId,
    name: input.name ?? 'Anna Smith',
    phone: input.phone === undefined ? '+491701234567' : input.phone,
    email: input.email === undefined ? 'anna@example.test' : input.email,
  };
  await insertClient(db, row);
  return row;
}

export async function newStaffMember(db: Db, companyId: string, input: Partial<{ name: string }> = {}) {
  const row = { id: newId('staff'), company_id: companyId, name: input.name ?? 'Maria' };
  await insertStaffMember(db, row);
  return row;
}
