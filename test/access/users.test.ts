import { describe, expect, it } from 'vitest';
import { ROLE_RIGHTS } from '../../src/modules/access/domain/rights.js';
import { accept, invite } from '../helpers/invitations.js';
import { createTestApp } from '../helpers/test-app.js';

const t = await createTestApp();

let counter = 0;
const email = () => `user-${Date.now().toString(36)}-${counter++}@example.test`;

describe('members of a company', () => {
  it('S1 an invited person becomes a member with the role preset once they accept; no password hash is ever returned', async () => {
    const c = await t.newCompany();
    const address = email();
    const token = await invite(c, address.toUpperCase(), 'staff', { name: 'Rita' });
    expect((await c.owner.get(`${c.base}/users`)).body.items).toHaveLength(1);
    const rita = await accept(t, token, { name: 'Rita R.', password: 'long-enough-pw' });

    const list = await c.owner.get(`${c.base}/users`);
    expect(list.body.items.map((u: { email: string }) => u.email)).toEqual([c.ownerEmail, address]);
    const member = list.body.items[1];
    expect(member).toMatchObject({ email: address, name: 'Rita R.', role: 'staff', rights: ['appointments.read'] });
    for (const res of [list, await c.owner.get(`${c.base}/users/${member.id}`)])
      expect(res.text).not.toMatch(/argon2|password/i);
    const stored = await t.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    expect((await rita.get('/api/v1/me')).body.companies[0]).toMatchObject({
      id: c.id,
      role: 'staff',
      rights: ['appointments.read'],
    });

    const audit = await c.owner.get(`${c.base}/audit?action=user.joined&entityId=${member.id}`);
    expect(audit.body.items[0]).toMatchObject({
      action: 'user.joined',
      actor: { type: 'user', id: member.id },
      details: { role: 'staff', newAccount: true },
    });
  });

  it('lets explicit rights replace the role preset', async () => {
    const c = await t.newCompany();
    const res = await c.owner.post(`${c.base}/users`, {
      email: email(),
      role: 'staff',
      rights: ['payments.record', 'appointments.read', 'payments.record'],
    });
    expect(res.body.invitation).toMatchObject({
      role: 'staff',
      rights: ['appointments.read', 'payments.record'],
      status: 'pending',
    });
  });

  it('changes role (rights reset to its preset) and rights alone (role kept), auditing each change', async () => {
    const c = await t.newCompany();
    const user = await t.newUser(c.id, 'staff');
    const promoted = await c.owner.patch(`${c.base}/users/${user.id}`, { role: 'administrator' });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ role: 'administrator', rights: [...ROLE_RIGHTS.administrator] });
    const narrowed = await c.owner.patch(`${c.base}/users/${user.id}`, { rights: ['reports.read'] });
    expect(narrowed.body).toMatchObject({ role: 'administrator', rights: ['reports.read'] });
    expect((await user.api.get(`${c.base}/audit`)).status).toBe(200);
    expect((await user.api.get(`${c.base}/clients`)).status).toBe(403);

    const audit = await c.owner.get(`${c.base}/audit?entityType=user&entityId=${user.id}&action=user.rights_changed`);
    expect(audit.body.items).toHaveLength(2);
    expect(audit.body.items[0].details).toEqual({
      role: { from: 'administrator', to: 'administrator' },
      rights: { from: [...ROLE_RIGHTS.administrator], to: ['reports.read'] },
    });
    expect(audit.body.items[1].details.role).toEqual({ from: 'staff', to: 'administrator' });
  });

  it('S1 a company cannot rename an account, not even one of its own members', async () => {
    const c = await t.newCompany();
    const user = await t.newUser(c.id, 'staff');
    const res = await c.owner.patch(`${c.base}/users/${user.id}`, { name: 'Renamed' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', field: 'name' });
    expect((await user.api.get('/api/v1/me')).body.user.name).toBe('Test staff');
  });

  it('refuses to let an owner remove their own users.manage, by role or by rights', async () => {
    const c = await t.newCompany();
    for (const body of [
      { role: 'administrator' },
      { rights: ['appointments.read'] },
      { role: 'staff', rights: ['reports.read'] },
    ]) {
      const res = await c.owner.patch(`${c.base}/users/${c.ownerId}`, body);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('cannot_revoke_own_users_manage');
    }
    expect((await c.owner.get(`${c.base}/users/${c.ownerId}`)).body).toMatchObject({
      role: 'owner',
      rights: [...ROLE_RIGHTS.owner],
    });

    const second = await t.newUser(c.id, 'owner');
    const demoted = await second.api.patch(`${c.base}/users/${c.ownerId}`, { role: 'administrator' });
    expect(demoted.status).toBe(200);
    expect(demoted.body.rights).not.toContain('users.manage');
  });

  it('S1 a removed member loses access to the company at once, keeps their account, and nobody removes themselves', async () => {
    const c = await t.newCompany();
    const other = await t.newCompany();
    const leaver = await t.newUser(c.id, 'administrator');
    await t.db
      .insertInto('memberships')
      .values({ company_id: other.id, user_id: leaver.id, role: 'staff', rights: ['appointments.read'] })
      .execute();
    expect((await leaver.api.get(`${c.base}/clients`)).status).toBe(200);

    const removed = await c.owner.delete(`${c.base}/users/${leaver.id}`);
    expect(removed.status).toBe(204);
    // the same session, the very next request
    const after = await leaver.api.get(`${c.base}/clients`);
    expect(after.status).toBe(404);
    expect((await leaver.api.post(`${c.base}/clients`, { name: 'X' })).status).toBe(404);
    expect((await leaver.api.get('/api/v1/me')).body.companies.map((x: { id: string }) => x.id)).toEqual([other.id]);
    expect((await c.owner.get(`${c.base}/users/${leaver.id}`)).status).toBe(404);
    expect((await c.owner.delete(`${c.base}/users/${leaver.id}`)).status).toBe(404);

    const self = await c.owner.delete(`${c.base}/users/${c.ownerId}`);
    expect(self.status).toBe(422);
    expect(self.body.error.code).toBe('cannot_remove_self');
    const audit = await c.owner.get(`${c.base}/audit?action=user.removed`);
    expect(audit.body.items).toHaveLength(1);
  });

  it('answers 403 without users.manage, even for an administrator', async () => {
    const c = await t.newCompany();
    const admin = await t.newUser(c.id, 'administrator');
    const staff = await t.newUser(c.id, 'staff');
    for (const res of [
      await admin.api.get(`${c.base}/users`),
      await admin.api.post(`${c.base}/users`, { email: email(), role: 'owner' }),
      await admin.api.patch(`${c.base}/users/${admin.id}`, { rights: ['users.manage'] }),
      await admin.api.delete(`${c.base}/users/${staff.id}`),
      await admin.api.get(`${c.base}/invitations`),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'forbidden', right: 'users.manage' });
    }
  });

  it('answers 404 for a user of another company and never lists them', async () => {
    const a = await t.newCompany();
    const b = await t.newCompany();
    const stranger = await t.newUser(a.id, 'staff');
    expect((await b.owner.patch(`${b.base}/users/${stranger.id}`, { role: 'owner' })).status).toBe(404);
    expect((await b.owner.get(`${b.base}/users/${stranger.id}`)).status).toBe(404);
    expect((await b.owner.delete(`${b.base}/users/${stranger.id}`)).status).toBe(404);
    expect((await b.owner.get(`${a.base}/users`)).status).toBe(404);
    expect((await b.owner.get(`${b.base}/users`)).body.items.map((u: { id: string }) => u.id)).toEqual([b.ownerId]);
    expect((await a.owner.get(`${a.base}/users/${stranger.id}`)).body.role).toBe('staff');
  });

  it('pages users and validates the invitation, writing nothing on bad input', async () => {
    const c = await t.newCompany();
    for (let i = 0; i < 3; i++) await t.newUser(c.id, 'staff');
    const first = await c.owner.get(`${c.base}/users?limit=3`);
    const second = await c.owner.get(`${c.base}/users?limit=3&cursor=${first.body.nextCursor}`);
    const ids = [...first.body.items, ...second.body.items].map((u: { id: string }) => u.id);
    expect(new Set(ids).size).toBe(4);
    expect(second.body.nextCursor).toBeNull();

    const password = await c.owner.post(`${c.base}/users`, {
      email: email(),
      password: 'chosen-by-the-company',
      role: 'staff',
    });
    expect(password.body.error).toMatchObject({ code: 'validation_failed', field: 'password' });
    const role = await c.owner.post(`${c.base}/users`, { email: email(), role: 'king' });
    expect(role.body.error).toMatchObject({ code: 'validation_failed', field: 'role' });
    const right = await c.owner.post(`${c.base}/users`, { email: email(), role: 'custom', rights: ['root'] });
    expect(right.body.error).toMatchObject({ code: 'validation_failed', field: 'rights.0' });
    const mail = await c.owner.post(`${c.base}/users`, { email: 'nope', role: 'staff' });
    expect(mail.body.error).toMatchObject({ code: 'validation_failed', field: 'email' });
    const member = await c.owner.post(`${c.base}/users`, { email: c.ownerEmail.toUpperCase(), role: 'staff' });
    expect(member.status).toBe(409);
    expect(member.body.error).toMatchObject({ code: 'email_taken', field: 'email' });
    expect((await c.owner.get(`${c.base}/invitations`)).body.items).toHaveLength(0);
    expect((await c.owner.get(`${c.base}/users?limit=200`)).body.items).toHaveLength(4);
  });
});
