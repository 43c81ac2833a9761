import { describe, expect, it } from 'vitest';
import { newStaffMember } from '../helpers/factories.js';
import { createTestApp } from '../helpers/test-app.js';

const t = await createTestApp();

describe('staff members', () => {
  it('creates, lists, reads and renames a staff member, auditing both', async () => {
    const c = await t.newCompany();
    const created = await c.owner.post(`${c.base}/staff`, { name: '  Maria  ' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Maria' });
    expect(created.body.id).toMatch(/^stf_/);
    expect((await c.owner.get(`${c.base}/staff`)).body).toEqual({ items: [created.body], nextCursor: null });

    const renamed = await c.owner.patch(`${c.base}/staff/${created.body.id}`, { name: 'Maria K.' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Maria K.');
    expect((await c.owner.get(`${c.base}/staff/${created.body.id}`)).body.name).toBe('Maria K.');

    const audit = await c.owner.get(`${c.base}/audit?entityType=staff&entityId=${created.body.id}`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['staff.updated', 'staff.created']);
    expect(audit.body.items[0].details.changes).toEqual({ name: { from: 'Maria', to: 'Maria K.' } });
  });

  it('pages staff members with a cursor', async () => {
    const c = await t.newCompany();
    for (let i = 0; i < 5; i++) await newStaffMember(t.db, c.id, { name: `M${i}` });
    const names: string[] = [];
    let url = `${c.base}/staff?limit=2`;
    for (;;) {
      const res = await c.owner.get(url);
      names.push(...res.body.items.map((s: { name: string }) => s.name));
      if (!res.body.nextCursor) break;
      url = `${c.base}/staff?limit=2&cursor=${res.body.nextCursor}`;
    }
    // Rows created in the same millisecond are ordered by id: compare with the unpaged order.
    const all = (await c.owner.get(`${c.base}/staff?limit=200`)).body.items.map((s: { name: string }) => s.name);
    expect(names).toEqual(all);
    expect([...names].sort()).toEqual(['M0', 'M1', 'M2', 'M3', 'M4']);
  });

  it('lets staff read but answers 403 on writes without appointments.write', async () => {
    const c = await t.newCompany();
    const member = await newStaffMember(t.db, c.id);
    const staff = await t.newUser(c.id, 'staff');
    expect((await staff.api.get(`${c.base}/staff`)).status).toBe(200);
    const post = await staff.api.post(`${c.base}/staff`, { name: 'X' });
    const patch = await staff.api.patch(`${c.base}/staff/${member.id}`, { name: 'X' });
    expect([post.status, patch.status]).toEqual([403, 403]);
    expect(post.body.error.code).toBe('forbidden');
  });

  it('answers 404 for a staff member of another company', async () => {
    const a = await t.newCompany();
    const b = await t.newCompany();
    const member = await newStaffMember(t.db, a.id);
    expect((await b.owner.patch(`${b.base}/staff/${member.id}`, { name: 'Stolen' })).status).toBe(404);
    expect((await b.owner.get(`${b.base}/staff/${member.id}`)).status).toBe(404);
    expect((await b.owner.get(`${a.base}/staff`)).status).toBe(404);
    expect((await b.owner.get(`${b.base}/staff`)).body.items).toEqual([]);
    expect((await a.owner.get(`${a.base}/staff/${member.id}`)).body.name).toBe('Maria');
  });
});
