import { describe, expect, it } from 'vitest';
import { newClient, newProduct, newService, newStaffMember } from '../helpers/factories.js';
import { createTestApp } from '../helpers/test-app.js';

const t = await createTestApp();

async function salon() {
  const company = await t.newCompany();
  const client = await newClient(t.db, company.id);
  const staff = await newStaffMember(t.db, company.id);
  const haircut = await newService(t.db, company.id, { title: 'Haircut', priceMin: 5_000, priceMax: 10_000 });
  const shampoo = await newProduct(t.db, company.id, {
    title: 'Shampoo',
    sku: 'SH-500',
    barcode: '4006381333931',
    price: 1_500,
    vat: 'vat20',
  });
  const card = await newProduct(t.db, company.id, {
    title: 'Gift card 50',
    sku: 'GC-50',
    kind: 'gift_card',
    price: 5_000,
    vat: 'none',
  });
  const res = await company.owner.post(`${company.base}/appointments`, {
    clientId: client.id,
    staffId: staff.id,
    startsAt: '2026-03-10T10:00:00Z',
    durationMinutes: 60,
  });
  expect(res.status).toBe(201);
  const appointment = res.body as { id: string };
  return {
    ...company,
    client,
    staff,
    haircut,
    shampoo,
    card,
    appointment,
    items: `${company.base}/appointments/${appointment.id}/items`,
  };
}

async function lock(appointmentId: string) {
  const until = new Date(t.clock.now().getTime() + 15 * 60_000);
  await t.db.updateTable('appointments').set({ locked_until: until }).where('id', '=', appointmentId).execute();
  return until.toISOString();
}

async function itemAudit(appointmentId: string) {
  return t.db
    .selectFrom('audit_log')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .where('action', 'like', 'item.%')
    .orderBy('id')
    .execute();
}

describe('appointment items', () => {
  it('R16 sets a service at the bottom of its range, raises it later within the range, and the amount due grows', async () => {
    const s = await salon();
    const added = await s.owner.post(s.items, { serviceId: s.haircut.id });
    expect(added.status).toBe(201);
    expect(added.body.item).toMatchObject({
      kind: 'service',
      unitPrice: 5_000,
      quantity: 1,
      priceMin: 5_000,
      priceMax: 10_000,
    });
    expect(added.body.appointment).toMatchObject({ total: 5_000, due: 5_000 });

    const paid = await s.owner.post(`${s.base}/appointments/${s.appointment.id}/payments`, {
      method: 'card',
      amount: 5_000,
    });
    expect(paid.status).toBe(201);
    const raised = await s.owner.patch(`${s.items}/${added.body.item.id}`, { price: 8_000 });
    expect(raised.status).toBe(200);
    expect(raised.body.item.unitPrice).toBe(8_000);
    expect(raised.body.appointment).toMatchObject({
      total: 8_000,
      paid: 5_000,
      due: 3_000,
      paymentStatus: 'partially_paid',
      dueFormatted: '€30.00',
    });

    const tooHigh = await s.owner.patch(`${s.items}/${added.body.item.id}`, { price: 10_001 });
    expect(tooHigh.status).toBe(422);
    expect(tooHigh.body.error).toMatchObject({
      code: 'price_out_of_range',
      field: 'price',
      priceMin: 5_000,
      priceMax: 10_000,
    });
    const tooLow = await s.owner.post(s.items, { serviceId: s.haircut.id, price: 4_999 });
    expect(tooLow.body.error).toMatchObject({ code: 'price_out_of_range', field: 'price' });

    const audit = await itemAudit(s.appointment.id);
    expect(audit.map((e) => e.action)).toEqual(['item.added', 'item.changed']);
    expect(audit[1]).toMatchObject({ amount_before: 0, amount_after: 3_000 });
    expect(audit[1]!.details).toMatchObject({
      totalBefore: 5_000,
      totalAfter: 8_000,
      from: { unitPrice: 5_000 },
      to: { unitPrice: 8_000 },
    });
  });

  it('R21 the same SKU scanned again adds to its line, as a till does; a changed catalogue price starts a new line', async () => {
    const s = await salon();
    const first = await s.owner.post(s.items, { sku: 'SH-500' });
    const again = await s.owner.post(s.items, { sku: 'sh-500', quantity: 2 });
    expect(again.status).toBe(201);
    expect(again.body.item).toMatchObject({ id: first.body.item.id, quantity: 3, total: 4_500 });
    expect(again.body.appointment.items).toHaveLength(1);
    expect(
      (await itemAudit(s.appointment.id)).map((e) => [
        e.action,
        (e.details as { to?: { quantity: number } }).to?.quantity,
      ]),
    ).toEqual([
      ['item.added', undefined],
      ['item.changed', 3],
    ]);

    await t.db.updateTable('products').set({ price: 1_700 }).where('id', '=', s.shampoo.id).execute();
    const repriced = await s.owner.post(s.items, { productId: s.shampoo.id });
    expect(repriced.body.item.id).not.toBe(first.body.item.id);
    expect(repriced.body.appointment.items.map((i: { quantity: number }) => i.quantity)).toEqual([3, 1]);
    // past the largest quantity a line holds, the scan becomes a line of its own rather than an error
    await t.db.updateTable('appointment_items').set({ quantity: 9_999 }).where('id', '=', first.body.item.id).execute();
    await t.db.updateTable('products').set({ price: 1_500 }).where('id', '=', s.shampoo.id).execute();
    const overflow = await s.owner.post(s.items, { sku: 'SH-500', quantity: 2 });
    expect(overflow.status).toBe(201);
    expect(overflow.body.appointment.items).toHaveLength(3);
  });

  it('R21 adds a product by SKU with a quantity, copying its title, taxes and kind at the time of adding', async () => {
    const s = await salon();
    const res = await s.owner.post(s.items, { sku: 'sh-500', quantity: 3 });
    expect(res.status).toBe(201);
    expect(res.body.item).toMatchObject({
      kind: 'product',
      productId: s.shampoo.id,
      productKind: 'goods',
      title: 'Shampoo',
      unitPrice: 1_500,
      quantity: 3,
      total: 4_500,
      totalFormatted: '€45.00',
      taxSystem: 'standard',
      vat: 'vat20',
      priceMin: null,
      priceMax: null,
    });
    const gift = await s.owner.post(s.items, { productId: s.card.id });
    expect(gift.body.item).toMatchObject({ productKind: 'gift_card', quantity: 1, total: 5_000 });
    expect(gift.body.appointment).toMatchObject({ total: 9_500, due: 9_500, paymentStatus: 'unpaid' });

    await t.db
      .updateTable('products')
      .set({ title: 'Shampoo XL', price: 9_900, vat: 'vat10' })
      .where('id', '=', s.shampoo.id)
      .execute();
    const after = await s.owner.get(`${s.base}/appointments/${s.appointment.id}`);
    expect(after.body.items[0]).toMatchObject({ title: 'Shampoo', unitPrice: 1_500, vat: 'vat20' });
    expect(after.body.total).toBe(9_500);
  });

  it('changes a product quantity (at least 1) and removes lines, answering totals and auditing before/after', async () => {
    const s = await salon();
    const service = await s.owner.post(s.items, { serviceId: s.haircut.id, price: 6_000 });
    const product = await s.owner.post(s.items, { productId: s.shampoo.id, quantity: 1 });
    const more = await s.owner.patch(`${s.items}/${product.body.item.id}`, { quantity: 4 });
    expect(more.status).toBe(200);
    expect(more.body.appointment.total).toBe(12_000);
    expect((await s.owner.patch(`${s.items}/${product.body.item.id}`, { quantity: 0 })).body.error).toMatchObject({
      code: 'validation_failed',
      field: 'quantity',
    });
    expect((await s.owner.patch(`${s.items}/${product.body.item.id}`, { price: 100 })).body.error).toMatchObject({
      field: 'price',
    });
    expect((await s.owner.patch(`${s.items}/${service.body.item.id}`, { quantity: 2 })).body.error).toMatchObject({
      field: 'quantity',
    });

    const removed = await s.owner.delete(`${s.items}/${service.body.item.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.item).toMatchObject({ id: service.body.item.id, title: 'Haircut', total: 6_000 });
    expect(removed.body.appointment.items.map((i: { id: string }) => i.id)).toEqual([product.body.item.id]);
    expect(removed.body.appointment.total).toBe(6_000);
    expect((await s.owner.delete(`${s.items}/${service.body.item.id}`)).status).toBe(404);

    const audit = await itemAudit(s.appointment.id);
    expect(audit.map((e) => e.action)).toEqual(['item.added', 'item.added', 'item.changed', 'item.removed']);
    expect(audit[3]).toMatchObject({ amount_before: 12_000, amount_after: 6_000 });
    expect(audit[3]!.details).toMatchObject({ totalBefore: 12_000, totalAfter: 6_000, title: 'Haircut' });
  });

  it('refuses a line that would take the total past the largest exact amount, with 422 and nothing written', async () => {
    const s = await salon();
    const huge = await newProduct(t.db, s.id, { title: 'Huge', sku: 'HUGE', price: Number.MAX_SAFE_INTEGER });
    const res = await s.owner.post(s.items, { productId: huge.id, quantity: 2 });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'price_out_of_range', field: 'quantity' });
    expect((await s.owner.get(`${s.base}/appointments/${s.appointment.id}`)).body.items).toEqual([]);
  });

  it('refuses ambiguous or empty bodies with 400 naming the field', async () => {
    const s = await salon();
    for (const [body, field] of [
      [{}, 'serviceId'],
      [{ serviceId: s.haircut.id, sku: 'SH-500' }, 'sku'],
      [{ productId: s.shampoo.id, sku: 'SH-500' }, 'sku'],
      [{ serviceId: s.haircut.id, quantity: 2 }, 'quantity'],
      [{ sku: 'SH-500', price: 1 }, 'price'],
      [{ sku: 'SH-500', quantity: 1.5 }, 'quantity'],
      [{ sku: 'SH-500', discount: 1 }, 'discount'],
    ] as const) {
      const res = await s.owner.post(s.items, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field, JSON.stringify(body)).toBe(field);
    }
  });

  it('needs appointments.write for services and products.sell for products, and 403s the staff role', async () => {
    const s = await salon();
    const seller = await t.newUser(s.id, 'custom', ['appointments.read', 'products.sell']);
    const writer = await t.newUser(s.id, 'custom', ['appointments.read', 'appointments.write']);
    const staff = await t.newUser(s.id, 'staff');

    const product = await seller.api.post(s.items, { sku: 'SH-500', quantity: 2 });
    expect(product.status).toBe(201);
    const noService = await seller.api.post(s.items, { serviceId: s.haircut.id });
    expect(noService.status).toBe(403);
    expect(noService.body.error).toMatchObject({ code: 'forbidden', right: 'appointments.write' });

    const service = await writer.api.post(s.items, { serviceId: s.haircut.id });
    expect(service.status).toBe(201);
    const noProduct = await writer.api.post(s.items, { sku: 'SH-500', quantity: 1 });
    expect(noProduct.body.error).toMatchObject({ code: 'forbidden', right: 'products.sell' });
    expect((await writer.api.patch(`${s.items}/${product.body.item.id}`, { quantity: 3 })).status).toBe(403);
    expect((await writer.api.delete(`${s.items}/${product.body.item.id}`)).status).toBe(403);
    expect((await seller.api.patch(`${s.items}/${service.body.item.id}`, { price: 6_000 })).status).toBe(403);
    expect((await seller.api.patch(`${s.items}/${product.body.item.id}`, { quantity: 3 })).status).toBe(200);

    for (const res of [
      await staff.api.post(s.items, { serviceId: s.haircut.id }),
      await staff.api.patch(`${s.items}/${service.body.item.id}`, { price: 6_000 }),
      await staff.api.delete(`${s.items}/${service.body.item.id}`),
    ]) {
      expect(res.status).toBe(403);
    }
    const total = (await s.owner.get(`${s.base}/appointments/${s.appointment.id}`)).body.total;
    expect(total).toBe(5_000 + 3 * 1_500);
  });

  it('answers 404 for another company’s appointment, service, product, SKU and item', async () => {
    const s = await salon();
    const other = await salon();
    const mine = await s.owner.post(s.items, { serviceId: s.haircut.id });
    const cases = [
      await s.owner.post(s.items, { serviceId: other.haircut.id }),
      await s.owner.post(s.items, { productId: other.shampoo.id, quantity: 1 }),
      await s.owner.post(s.items, { sku: 'NOPE-1', quantity: 1 }),
      await other.owner.post(`${other.base}/appointments/${s.appointment.id}/items`, { serviceId: other.haircut.id }),
      await other.owner.patch(`${other.base}/appointments/${s.appointment.id}/items/${mine.body.item.id}`, {
        price: 6_000,
      }),
      await other.owner.patch(`${other.items}/${mine.body.item.id}`, { price: 6_000 }),
      await other.owner.delete(`${other.items}/${mine.body.item.id}`),
    ];
    for (const res of cases) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect(cases[2]!.body.error.field).toBe('sku');
  });

  it('R13 refuses adding, repricing and removing lines while locked, with 409 and lockedUntil', async () => {
    const s = await salon();
    const line = await s.owner.post(s.items, { serviceId: s.haircut.id });
    const until = await lock(s.appointment.id);
    for (const res of [
      await s.owner.post(s.items, { sku: 'SH-500', quantity: 1 }),
      await s.owner.patch(`${s.items}/${line.body.item.id}`, { price: 9_000 }),
      await s.owner.delete(`${s.items}/${line.body.item.id}`),
    ]) {
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'appointment_locked', lockedUntil: until });
    }
    const after = await s.owner.get(`${s.base}/appointments/${s.appointment.id}`);
    expect(after.body.items).toHaveLength(1);
    expect(after.body.total).toBe(5_000);
    expect((await itemAudit(s.appointment.id)).map((e) => e.action)).toEqual(['item.added']);
  });
});
