import { describe, expect, it } from 'vitest';
import { newClient } from '../helpers/factories.js';
import { createTestApp } from '../helpers/test-app.js';

const t = await createTestApp();

describe('clients', () => {
  it('creates a client with a normalized phone and email, reads and lists it', async () => {
    const c = await t.newCompany();
    const created = await c.owner.post(`${c.base}/clients`, {
      name: 'Anna Smith',
      phone: '+49 (170) 123-45-67',
      email: ' Anna@Example.TEST ',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Anna Smith', phone: '+491701234567', email: 'anna@example.test' });
    expect(created.body.id).toMatch(/^cli_/);
    expect((await c.owner.get(`${c.base}/clients/${created.body.id}`)).body).toEqual(created.body);
    expect((await c.owner.get(`${c.base}/clients`)).body).toEqual({ items: [created.body], nextCursor: null });

    const nameOnly = await c.owner.post(`${c.base}/clients`, { name: 'Walk-in' });
    expect(nameOnly.body).toMatchObject({ phone: null, email: null });
  });

  it('refuses a phone that is not a phone number and an invalid email, writing nothing', async () => {
    const c = await t.newCompany();
    const phone = await c.owner.post(`${c.base}/clients`, { name: 'X', phone: '12ab' });
    expect(phone.status).toBe(400);
    expect(phone.body.error).toMatchObject({ code: 'validation_failed', field: 'phone' });
    const email = await c.owner.post(`${c.base}/clients`, { name: 'X', email: 'not-an-email' });
    expect(email.body.error).toMatchObject({ code: 'validation_failed', field: 'email' });
    expect((await c.owner.get(`${c.base}/clients`)).body.items).toEqual([]);
  });

  it('searches by name, email (any case) and phone digits; a name with a digit is not a phone search', async () => {
    const c = await t.newCompany();
    const anna = await newClient(t.db, c.id, {
      name: 'Anna Smith',
      phone: '+491701234567',
      email: 'anna@example.test',
    });
    const boris = await newClient(t.db, c.id, { name: 'Boris 2', phone: '+79161112233', email: 'boris@mail.test' });
    const ids = async (q: string) =>
      (await c.owner.get(`${c.base}/clients?q=${encodeURIComponent(q)}`)).body.items.map((x: { id: string }) => x.id);
    expect(await ids('anna')).toEqual([anna.id]);
    expect(await ids('MAIL.TEST')).toEqual([boris.id]);
    expect(await ids('170 123')).toEqual([anna.id]);
    expect(await ids('+7 916')).toEqual([boris.id]);
    expect(await ids('Boris 2')).toEqual([boris.id]);
    expect(await ids('_')).toEqual([]);
  });

  it('pages clients with a cursor', async () => {
    const c = await t.newCompany();
    for (let i = 0; i < 3; i++) await newClient(t.db, c.id, { name: `C${i}` });
    const names = (r: { body: { items: { name: string }[] } }) => r.body.items.map((x) => x.name);
    const first = await c.owner.get(`${c.base}/clients?limit=2`);
    const second = await c.owner.get(`${c.base}/clients?limit=2&cursor=${first.body.nextCursor}`);
    expect(first.body.items).toHaveLength(2);
    expect(second.body.nextCursor).toBeNull();
    // Rows created in the same millisecond are ordered by id: compare with the unpaged order.
    expect([...names(first), ...names(second)]).toEqual(names(await c.owner.get(`${c.base}/clients`)));
    expect([...names(first), ...names(second)].sort()).toEqual(['C0', 'C1', 'C2']);
  });

  it('patches a client, clears a contact with null, and audits field names without the contact values', async () => {
    const c = await t.newCompany();
    const client = await newClient(t.db, c.id);
    const patched = await c.owner.patch(`${c.base}/clients/${client.id}`, { name: 'Anna Jones', email: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Anna Jones', email: null, phone: client.phone });
    const audit = await c.owner.get(`${c.base}/audit?entityType=client&entityId=${client.id}`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ action: 'client.updated', details: { fields: ['email', 'name'] } });
    expect(JSON.stringify(audit.body)).not.toContain('anna@example.test');
  });

  it('lets staff read but answers 403 on writes without appointments.write', async () => {
    const c = await t.newCompany();
    const client = await newClient(t.db, c.id);
    const staff = await t.newUser(c.id, 'staff');
    expect((await staff.api.get(`${c.base}/clients?q=anna`)).status).toBe(200);
    expect((await staff.api.get(`${c.base}/clients/${client.id}`)).status).toBe(200);
    const post = await staff.api.post(`${c.base}/clients`, { name: 'X' });
    const patch = await staff.api.patch(`${c.base}/clients/${client.id}`, { name: 'X' });
    for (const res of [post, patch])
      expect(res.body.error).toMatchObject({ code: 'forbidden', right: 'appointments.write' });
    expect(post.status).toBe(403);
    const writer = await t.newUser(c.id, 'custom', ['appointments.write']);
    expect((await writer.api.post(`${c.base}/clients`, { name: 'X' })).status).toBe(201);
    expect((await writer.api.get(`${c.base}/clients`)).status).toBe(403);
  });

  it('answers 404 for a client of another company', async () => {
    const a = await t.newCompany();
    const b = await t.newCompany();
    const client = await newClient(t.db, a.id);
    expect((await b.owner.get(`${b.base}/clients/${client.id}`)).status).toBe(404);
    expect((await b.owner.patch(`${b.base}/clients/${client.id}`, { name: 'Stolen' })).status).toBe(404);
    expect((await b.owner.get(`${a.base}/clients/${client.id}`)).status).toBe(404);
    expect((await b.owner.get(`${b.base}/clients?q=anna`)).body.items).toEqual([]);
    expect((await a.owner.get(`${a.base}/clients/${client.id}`)).body.name).toBe('Anna Smith');
  });
});
