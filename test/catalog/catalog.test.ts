import { describe, expect, it } from 'vitest';
import { newProduct, newService } from '../helpers/factories.js';
import { createTestApp } from '../helpers/test-app.js';

const t = await createTestApp();

describe('catalog: services', () => {
  it('creates a service with the company taxation by default and vat none, reads and lists it', async () => {
    const c = await t.newCompany({ currency: 'EUR', country: 'DE' });
    const created = await c.owner.post(`${c.base}/services`, { title: 'Haircut', priceMin: 5_000, priceMax: 10_000 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'Haircut',
      priceMin: 5_000,
      priceMax: 10_000,
      taxSystem: 'standard',
      vat: 'none',
    });
    expect(created.body.id).toMatch(/^svc_/);
    expect(created.body.priceMinFormatted).toBe('€50.00');

    const read = await c.owner.get(`${c.base}/services/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    const list = await c.owner.get(`${c.base}/services`);
    expect(list.body).toEqual({ items: [created.body], nextCursor: null });
  });

  it('R16 refuses an inverted price range with 422 price_out_of_range naming the field', async () => {
    const c = await t.newCompany();
    const bad = await c.owner.post(`${c.base}/services`, { title: 'Color', priceMin: 9_000, priceMax: 8_000 });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'price_out_of_range', field: 'priceMax' });

    const svc = await c.owner.post(`${c.base}/services`, { title: 'Color', priceMin: 5_000, priceMax: 8_000 });
    const lowered = await c.owner.patch(`${c.base}/services/${svc.body.id}`, { priceMax: 4_000 });
    expect(lowered.status).toBe(422);
    expect(lowered.body.error.field).toBe('priceMax');
    const raised = await c.owner.patch(`${c.base}/services/${svc.body.id}`, { priceMin: 9_000 });
    expect(raised.status).toBe(422);
    expect(raised.body.error.field).toBe('priceMin');
    expect((await c.owner.get(`${c.base}/services/${svc.body.id}`)).body).toMatchObject({
      priceMin: 5_000,
      priceMax: 8_000,
    });
  });

  it('R23 validates the taxation system against the company country', async () => {
    const ru = await t.newCompany({ currency: 'RUB', country: 'RU', timezone: 'Europe/Moscow' });
    const ok = await ru.owner.post(`${ru.base}/services`, {
      title: 'Массаж',
      priceMin: 100_000,
      priceMax: 150_000,
      taxSystem: 'usn_income',
      vat: 'vat20',
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ taxSystem: 'usn_income', vat: 'vat20' });
    const byDefault = await ru.owner.post(`${ru.base}/services`, { title: 'Стрижка', priceMin: 1, priceMax: 1 });
    expect(byDefault.body.taxSystem).toBe('osn');

    const wrong = await ru.owner.post(`${ru.base}/services`, {
      title: 'X',
      priceMin: 1,
      priceMax: 2,
      taxSystem: 'standard',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error).toMatchObject({ code: 'invalid_tax_system', field: 'taxSystem' });
    expect(wrong.body.error.allowed).toContain('patent');
  });

  it('patches a service and records the change in the audit log', async () => {
    const c = await t.newCompany();
    const svc = await c.owner.post(`${c.base}/services`, { title: 'Manicure', priceMin: 2_000, priceMax: 3_000 });
    const patched = await c.owner.patch(`${c.base}/services/${svc.body.id}`, {
      title: 'Gel manicure',
      priceMax: 4_000,
      vat: 'vat7',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'Gel manicure', priceMin: 2_000, priceMax: 4_000, vat: 'vat7' });
    const audit = await c.owner.get(`${c.base}/audit?entityId=${svc.body.id}`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['service.updated', 'service.created']);
    expect(audit.body.items[0].details.changes).toEqual({
      title: { from: 'Manicure', to: 'Gel manicure' },
      priceMax: { from: 3_000, to: 4_000 },
      vat: { from: 'none', to: 'vat7' },
    });
  });

  it('pages services with a stable cursor', async () => {
    const c = await t.newCompany();
    for (let i = 0; i < 5; i++) await newService(t.db, c.id, { title: `S${i}` });
    const first = await c.owner.get(`${c.base}/services?limit=2`);
    const second = await c.owner.get(`${c.base}/services?limit=2&cursor=${first.body.nextCursor}`);
    const third = await c.owner.get(`${c.base}/services?limit=2&cursor=${second.body.nextCursor}`);
    const titles = [first, second, third].flatMap((r) => r.body.items.map((s: { title: string }) => s.title));
    // Rows created in the same millisecond are ordered by id: compare with the unpaged order.
    const all = (await c.owner.get(`${c.base}/services?limit=200`)).body.items.map((s: { title: string }) => s.title);
    expect(titles).toEqual(all);
    expect([...titles].sort()).toEqual(['S0', 'S1', 'S2', 'S3', 'S4']);
    expect(third.body.nextCursor).toBeNull();
    const garbage = await c.owner.get(`${c.base}/services?cursor=nonsense`);
    expect(garbage.status).toBe(400);
    expect(garbage.body.error).toMatchObject({ code: 'validation_failed', field: 'cursor' });
  });
});

describe('catalog: products', () => {
  it('creates a product, refuses a duplicate SKU in any case with 409 sku_taken, allows it in another company', async () => {
    const c = await t.newCompany();
    const created = await c.owner.post(`${c.base}/products`, {
      title: 'Shampoo',
      sku: 'SH-1',
      barcode: '4006381333931',
      kind: 'goods',
      price: 1_500,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      sku: 'SH-1',
      barcode: '4006381333931',
      kind: 'goods',
      price: 1_500,
      priceFormatted: '€15.00',
      vat: 'none',
      taxSystem: 'standard',
    });
    const dup = await c.owner.post(`${c.base}/products`, { title: 'Other', sku: 'sh-1', kind: 'goods', price: 1 });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'sku_taken', field: 'sku' });

    const other = await c.owner.post(`${c.base}/products`, {
      title: 'Other',
      sku: 'SH-2',
      kind: 'gift_card',
      price: 5_000,
    });
    const renamed = await c.owner.patch(`${c.base}/products/${other.body.id}`, { sku: 'SH-1' });
    expect(renamed.status).toBe(409);
    expect(renamed.body.error.code).toBe('sku_taken');

    const d = await t.newCompany();
    expect(
      (await d.owner.post(`${d.base}/products`, { title: 'Shampoo', sku: 'SH-1', kind: 'goods', price: 1 })).status,
    ).toBe(201);
  });

  it('lets exactly one of several concurrent creates with the same SKU win; the rest get 409 sku_taken', async () => {
    const c = await t.newCompany();
    const results = await Promise.all(
      ['RACE-1', 'race-1', 'Race-1', 'RACE-1', 'rAcE-1'].map((sku) =>
        c.owner.post(`${c.base}/products`, { title: 'Racer', sku, kind: 'goods', price: 1 }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect((await c.owner.get(`${c.base}/products?q=race-1`)).body.items).toHaveLength(1);
  });

  it('R21 searches title, SKU and barcode in any case, exact SKU and barcode matches first', async () => {
    const c = await t.newCompany();
    const older = await newProduct(t.db, c.id, { title: 'Gift card 1234', sku: 'GC-1234-X' });
    await newProduct(t.db, c.id, { title: 'Conditioner', sku: 'CO-1', barcode: '99991234' });
    const exactSku = await newProduct(t.db, c.id, { title: 'Mask', sku: 'gc-1234' });
    const exactBarcode = await newProduct(t.db, c.id, { title: 'Serum', sku: 'SE-1', barcode: '1234' });
    await newProduct(t.db, c.id, { title: 'Unrelated', sku: 'UN-1' });

    const res = await c.owner.get(`${c.base}/products?q=GC-1234`);
    expect(res.body.items.map((p: { id: string }) => p.id)).toEqual([exactSku.id, older.id]);
    const byCode = await c.owner.get(`${c.base}/products?q=1234`);
    const ids = byCode.body.items.map((p: { id: string }) => p.id);
    expect(ids).toHaveLength(4);
    expect(ids.slice(0, 1)).toEqual([exactBarcode.id]);
    const byTitle = await c.owner.get(`${c.base}/products?q=condit`);
    expect(byTitle.body.items.map((p: { title: string }) => p.title)).toEqual(['Conditioner']);
    const wildcard = await c.owner.get(`${c.base}/products?q=${encodeURIComponent('%')}`);
    expect(wildcard.body.items).toEqual([]);
  });

  it('pages a search with the exact matches on the first page and no row twice', async () => {
    const c = await t.newCompany();
    for (let i = 0; i < 4; i++) await newProduct(t.db, c.id, { title: `Brush ${i}`, sku: `BR-${i}` });
    const exact = await newProduct(t.db, c.id, { title: 'Comb', sku: 'BR' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await c.owner.get(
        `${c.base}/products?q=br&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...res.body.items.map((p) => p.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(seen[0]).toBe(exact.id);
  });

  it('patches a product (clearing its barcode) and reads it back', async () => {
    const c = await t.newCompany();
    const p = await newProduct(t.db, c.id, { barcode: '123', price: 700 });
    const patched = await c.owner.patch(`${c.base}/products/${p.id}`, {
      barcode: null,
      price: 900,
      kind: 'membership',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ barcode: null, price: 900, kind: 'membership' });
    expect((await c.owner.get(`${c.base}/products/${p.id}`)).body).toEqual(patched.body);
  });
});

describe('catalog: access and tenancy', () => {
  it('lets staff read the catalogue but answers 403 on writes without finance.settings', async () => {
    const c = await t.newCompany();
    const svc = await newService(t.db, c.id);
    const prd = await newProduct(t.db, c.id);
    const staff = await t.newUser(c.id, 'staff');
    expect((await staff.api.get(`${c.base}/services`)).status).toBe(200);
    expect((await staff.api.get(`${c.base}/products/${prd.id}`)).status).toBe(200);
    const denied = [
      await staff.api.post(`${c.base}/services`, { title: 'X', priceMin: 1, priceMax: 1 }),
      await staff.api.patch(`${c.base}/services/${svc.id}`, { title: 'Y' }),
      await staff.api.post(`${c.base}/products`, { title: 'X', sku: 'X', kind: 'goods', price: 1 }),
      await staff.api.patch(`${c.base}/products/${prd.id}`, { price: 1 }),
    ];
    for (const res of denied) {
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'forbidden', right: 'finance.settings' });
    }
    const admin = await t.newUser(c.id, 'administrator');
    expect((await admin.api.patch(`${c.base}/services/${svc.id}`, { title: 'By admin' })).status).toBe(200);
  });

  it('answers 404 for ids of another company, under its own path and under the other company path', async () => {
    const a = await t.newCompany();
    const b = await t.newCompany();
    const svc = await newService(t.db, a.id);
    const prd = await newProduct(t.db, a.id);
    for (const res of [
      await b.owner.get(`${b.base}/services/${svc.id}`),
      await b.owner.patch(`${b.base}/services/${svc.id}`, { title: 'Stolen' }),
      await b.owner.get(`${b.base}/products/${prd.id}`),
      await b.owner.patch(`${b.base}/products/${prd.id}`, { price: 1 }),
      await b.owner.get(`${a.base}/services`),
      await b.owner.get(`${a.base}/products/${prd.id}`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await b.owner.get(`${b.base}/products`)).body.items).toEqual([]);
    expect((await a.owner.get(`${a.base}/services/${svc.id}`)).body.title).toBe('Haircut');
  });
});

describe('paging through rows created in one transaction', () => {
  it('R21 pages 55 products stamped in one instant without repeating or losing one', async () => {
    const company = await t.newCompany();
    // One transaction: every row gets the same microsecond-precise now().
    await t.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 55; i++) await newProduct(tx, company.id, { sku: `BATCH-${i}` });
    });
    const first = await company.owner.get(`${company.base}/products?limit=50`);
    expect(first.body.items).toHaveLength(50);
    const second = await company.owner.get(`${company.base}/products?limit=50&cursor=${first.body.nextCursor}`);
    const skus = [...first.body.items, ...second.body.items].map((p: { sku: string }) => p.sku);
    expect(skus).toHaveLength(55);
    expect(new Set(skus).size).toBe(55);
    expect(second.body.nextCursor).toBeNull();
  });
});
