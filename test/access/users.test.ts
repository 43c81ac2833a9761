import { describe, expect, it } from 'vitest';
import { ROLE_RIGHTS } from '../../src/modules/access/domain/rights.js';
import { apiClient, createTestApp, TEST_PASSWORD } from '../helpers/test-app.js';

const t = await createTestApp();

let counter = 0;
const email = () => `user-${Date.now().toString(36)}-${counter++}@example.test`;

describe('users of a company', () => {
  it('creates a user with the role preset, who can sign in; no password hash is ever returned', async () => {
    const c = await t.newCompany();
    const address = email();
    const created = await c.owner.post(`${c.base}/users`, { email: address.toUpperCase(), password: 'long-enough-pw', name: 'Rita', role: 'staff' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: address, name: 'Rita', role: 'staff', rights: ['appointments.read'], existingAccount: false });
    expect(created.body.id).toMatch(/^usr_/);

    const list = await c.owner.get(`${c.base}/users`);
    expect(list.body.items.map((u: { email: string }) => u.email)).toEqual([c.ownerEmail, address]);
    expect(list.body.nextCursor).toBeNull();
    for (const res of [created, list, await c.owner.get(`${c.base}/users/${created.body.id}`)]) {
      expect(res.text).not.toMatch(/argon2|password/i);
    }
    const stored = await t.db.selectFrom('users').select('password_hash').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);

    const rita = apiClient(t.app, await t.login(address, 'long-enough-pw'));
    const me = await rita.get('/api/v1/me');
    expect(me.body.companies[0]).toMatchObject({ id: c.id, role: 'staff', rights: ['appointments.read'] });

    const audit = await c.owner.get(`${c.base}/audit?action=user&entityId=${created.body.id}`);
    expect(audit.body.items[0]).toMatchObject({
      action: 'user.created',
      actor: { type: 'user', id: c.ownerId },
      details: { email: address, role: 'staff', rights: ['appointments.read'], existingAccount: false },
    });
  });

  it('lets explicit rights replace the role preset', async () => {
    const c = await t.newCompany();
    const res = await c.owner.post(`${c.base}/users`, {
      email: email(),
      password: 'long-enough-pw',
      name: 'Cashier',
      role: 'staff',
      rights: ['payments.record', 'appointments.read', 'payments.record'],
    });
    expect(res.body).toMatchObject({ role: 'staff', rights: ['appointments.read', 'payments.record'] });
  });

  it('adds an account of another company as a member (its password stays), and answers 409 email_taken for a member', async () => {
    const a = await t.newCompany();
    const b = await t.newCompany();
    const address = email();
    await a.owner.post(`${a.base}/users`, { email: address, password: 'first-password', name: 'Shared', role: 'administrator' });
    const added = await b.owner.post(`${b.base}/users`, { email: address, password: 'ignored-password', name: 'Other name', role: 'staff' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ email: address, name: 'Shared', role: 'staff', existingAccount: true });
    await expect(t.login(address, 'ignored-password')).rejects.toThrow();
    const me = await apiClient(t.app, await t.login(address, 'first-password')).get('/api/v1/me');
    expect(me.body.companies.map((x: { id: string; role: string }) => [x.id, x.role])).toEqual([
      [a.id, 'administrator'],
      [b.id, 'staff'],
    ]);

    const again = await b.owner.post(`${b.base}/users`, { email: address.toUpperCase(), password: 'whatever-pw', name: 'X', role: 'staff' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'email_taken', field: 'email' });
    const owner = await b.owner.post(`${b.base}/users`, { email: b.ownerEmail, password: 'whatever-pw', name: 'X', role: 'staff' });
    expect(owner.status).toBe(409);
  });

  it('adds a new email to two companies at the same moment: one creates the account, the other joins it', async () => {
    const a = await t.newCompany();
    const b = await t.newCompany();
    const address = email();
    const body = { email: address, password: 'long-enough-pw', name: 'Twin', role: 'staff' };
    const results = await Promise.all([a.owner.post(`${a.base}/users`, body), b.owner.post(`${b.base}/users`, body)]);
    expect(results.map((r) => r.status)).toEqual([201, 201]);
    expect(results[0]!.body.id).toBe(results[1]!.body.id);
    expect(results.map((r) => r.body.existingAccount).sort()).toEqual([false, true]);
  });

  it('changes role (rights reset to its preset), rights alone (role kept) and name, auditing the rights change', async () => {
    const c = await t.newCompany();
    const user = await t.newUser(c.id, 'staff');
    const promoted = await c.owner.patch(`${c.base}/users/${user.id}`, { role: 'administrator' });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ role: 'administrator', rights: [...ROLE_RIGHTS.administrator] });
    const narrowed = await c.owner.patch(`${c.base}/users/${user.id}`, { rights: ['reports.read'], name: 'Renamed' });
    expect(narrowed.body).toMatchObject({ role: 'administrator', rights: ['reports.read'], name: 'Renamed' });
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

  it('refuses to let an owner remove their own users.manage, by role or by rights', async () => {
    const c = await t.newCompany();
    for (const body of [{ role: 'administrator' }, { rights: ['appointments.read'] }, { role: 'staff', rights: ['reports.read'] }]) {
      const res = await c.owner.patch(`${c.base}/users/${c.ownerId}`, body);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('cannot_revoke_own_users_manage');
    }
    expect((await c.owner.get(`${c.base}/users/${c.ownerId}`)).body).toMatchObject({ role: 'owner', rights: [...ROLE_RIGHTS.owner] });
    const renamed = await c.owner.patch(`${c.base}/users/${c.ownerId}`, { name: 'Boss' });
    expect(renamed.body).toMatchObject({ name: 'Boss', role: 'owner' });

    const second = await t.newUser(c.id, 'owner');
    const demoted = await second.api.patch(`${c.base}/users/${c.ownerId}`, { role: 'administrator' });
    expect(demoted.status).toBe(200);
    expect(demoted.body.rights).not.toContain('users.manage');
  });

  it('answers 403 without users.manage, even for an administrator', async () => {
    const c = await t.newCompany();
    const admin = await t.newUser(c.id, 'administrator');
    const body = { email: email(), password: 'long-enough-pw', name: 'X', role: 'owner' };
    for (const res of [
      await admin.api.get(`${c.base}/users`),
      await admin.api.post(`${c.base}/users`, body),
      await admin.api.patch(`${c.base}/users/${admin.id}`, { rights: ['users.manage'] }),
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
    expect((await b.owner.get(`${a.base}/users`)).status).toBe(404);
    expect((await b.owner.get(`${b.base}/users`)).body.items.map((u: { id: string }) => u.id)).toEqual([b.ownerId]);
    expect((await a.owner.get(`${a.base}/users/${stranger.id}`)).body.role).toBe('staff');
  });

  it('pages users and validates the body', async () => {
    const c = await t.newCompany();
    for (let i = 0; i < 3; i++) await t.newUser(c.id, 'staff');
    const first = await c.owner.get(`${c.base}/users?limit=3`);
    const second = await c.owner.get(`${c.base}/users?limit=3&cursor=${first.body.nextCursor}`);
    const ids = [...first.body.items, ...second.body.items].map((u: { id: string }) => u.id);
    expect(new Set(ids).size).toBe(4);
    expect(second.body.nextCursor).toBeNull();

    const short = await c.owner.post(`${c.base}/users`, { email: email(), password: 'short', name: 'X', role: 'staff' });
    expect(short.body.error).toMatchObject({ code: 'validation_failed', field: 'password' });
    const role = await c.owner.post(`${c.base}/users`, { email: email(), password: TEST_PASSWORD, name: 'X', role: 'king' });
    expect(role.body.error).toMatchObject({ code: 'validation_failed', field: 'role' });
    const right = await c.owner.post(`${c.base}/users`, { email: email(), password: TEST_PASSWORD, name: 'X', role: 'custom', rights: ['root'] });
    expect(right.body.error).toMatchObject({ code: 'validation_failed', field: 'rights.0' });
    const mail = await c.owner.post(`${c.base}/users`, { email: 'nope', password: TEST_PASSWORD, name: 'X', role: 'staff' });
    expect(mail.body.error).toMatchObject({ code: 'validation_failed', field: 'email' });
    expect((await c.owner.get(`${c.base}/users?limit=200`)).body.items).toHaveLength(4);
  });
});
