import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';
import { accept, invite, tokenOf } from '../helpers/invitations.js';
import { apiClient, createTestApp, TEST_PASSWORD } from '../helpers/test-app.js';

const mails: { to: string[]; mail: ParsedMail }[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream).then((mail) => {
      mails.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
      callback();
    }, callback);
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

// Two installations: one without mail (the link is shown to the inviter), one with SMTP.
const t = await createTestApp();
const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as { port: number }).port}?from=visitpay%40example.test`;
const withMail = await createTestApp({ env: { SMTP_URL: smtpUrl, VISITPAY_SEND_QUOTA_EMAIL_PER_DAY: '3' } });

let counter = 0;
const email = () => `person-${Date.now().toString(36)}-${counter++}@example.test`;
const clientsOf = (base: string) => `${base}/clients`;

describe('S1 S2 accounts belong to their holders', () => {
  it('S1 S2 the pre-hijack of an account across companies fails end to end', async () => {
    const salon = await t.newCompany({ name: 'Real Salon' });
    await salon.owner.post(clientsOf(salon.base), { name: 'Secret Client', phone: '+491701111111' });
    const staff = await t.newUser(salon.id, 'staff');

    // S2: a signed-in staff member can no longer make a company of their own
    const made = await staff.api.post('/api/v1/companies', {
      name: 'Mine',
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      country: 'DE',
    });
    expect(made.status).toBe(403);
    expect(made.body.error.code).toBe('forbidden');
    expect((await staff.api.get('/api/v1/me')).body.companies).toHaveLength(1);

    // An owner of another company on the same installation tries it: a password for the victim's
    // email is refused outright; taking over the victim's email through their own invitation link
    // makes an account that only their own company chose.
    const attacker = await t.newCompany({ name: 'Attacker' });
    const victim = email();
    const withPassword = await attacker.owner.post(`${attacker.base}/users`, {
      email: victim,
      password: 'attacker-chosen',
      name: 'M',
      role: 'owner',
    });
    expect(withPassword.status).toBe(400);
    const squat = await invite(attacker, victim, 'owner');
    await accept(t, squat, { name: 'Squatter', password: 'attacker-chosen' });

    // The real salon adds its new manager later: the answer says nothing of the existing account.
    const real = await salon.owner.post(`${salon.base}/users`, {
      email: victim,
      name: 'New Manager',
      role: 'administrator',
    });
    expect(real.status).toBe(201);
    expect(Object.keys(real.body).sort()).toEqual(['delivery', 'invitation', 'inviteUrl']);
    expect(real.body.invitation).toMatchObject({ email: victim, role: 'administrator', status: 'pending' });
    expect(real.text).not.toMatch(/existing|account/i);

    // The attacker's password opens only the attacker's company: the salon is unknown to it.
    const attackerSession = apiClient(t.app, await t.login(victim, 'attacker-chosen'));
    expect((await attackerSession.get('/api/v1/me')).body.companies.map((c: { id: string }) => c.id)).toEqual([
      attacker.id,
    ]);
    expect((await attackerSession.get(clientsOf(salon.base))).status).toBe(404);
    expect(
      (await salon.owner.get(`${salon.base}/users`)).body.items.map((u: { email: string }) => u.email),
    ).not.toContain(victim);

    // Even holding the salon's link, the squatted account joins only with its holder's password;
    // a wrong one writes nothing.
    const wrong = await t.anonymous.post('/api/v1/invitations/accept', {
      token: tokenOf(real.body.inviteUrl),
      password: 'the-salon-password',
    });
    expect(wrong.status).toBe(401);
    expect((await attackerSession.get(clientsOf(salon.base))).status).toBe(404);
    expect((await salon.owner.get(`${salon.base}/invitations`)).body.items).toHaveLength(1);
  });

  it('S1 inviting answers the same for an email with an account, one without, and one invited elsewhere', async () => {
    const a = await t.newCompany();
    const b = await t.newCompany();
    const known = await t.newUser(a.id, 'staff');
    const fresh = email();
    const shape = (body: any) => ({
      keys: Object.keys(body).sort(),
      invitation: Object.keys(body.invitation).sort(),
      status: body.invitation.status,
      delivery: body.delivery,
    });
    const answers = [
      await b.owner.post(`${b.base}/users`, { email: known.email, role: 'staff' }),
      await b.owner.post(`${b.base}/users`, { email: fresh, role: 'staff' }),
    ];
    expect(answers.map((r) => r.status)).toEqual([201, 201]);
    expect(shape(answers[0]!.body)).toEqual(shape(answers[1]!.body));
    // nothing was given to the existing account: it is not a member of b until it accepts
    expect((await known.api.get('/api/v1/me')).body.companies.map((c: { id: string }) => c.id)).toEqual([a.id]);
    expect((await known.api.get(clientsOf(b.base))).status).toBe(404);
  });

  it('S1 an existing account joins another company only with its own password, and keeps its name and password', async () => {
    const a = await t.newCompany();
    const b = await t.newCompany();
    const person = await t.newUser(a.id, 'administrator');
    const token = await invite(b, person.email, 'staff', { name: 'Another Name' });

    const lookup = await t.anonymous.post('/api/v1/invitations/lookup', { token });
    // the link was shown to the inviter (no mail here): it does not say whether the email has an account
    expect(lookup.body).toMatchObject({
      email: person.email,
      accountExists: null,
      role: 'staff',
      companyName: 'Test Salon',
    });
    const wrong = await t.anonymous.post('/api/v1/invitations/accept', { token, password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    expect((await person.api.get(clientsOf(b.base))).status).toBe(404);

    const joined = await accept(t, token, { name: 'Ignored', password: TEST_PASSWORD });
    const me = (await joined.get('/api/v1/me')).body;
    expect(me.user.name).toBe('Test administrator');
    expect(me.companies.map((c: { id: string; role: string }) => [c.id, c.role])).toEqual([
      [a.id, 'administrator'],
      [b.id, 'staff'],
    ]);
    // the link works once
    const again = await t.anonymous.post('/api/v1/invitations/accept', { token, password: TEST_PASSWORD });
    expect(again.status).toBe(404);
  });

  it('S1 a new person chooses their own password; a short one or no name is refused with nothing written', async () => {
    const c = await t.newCompany();
    const address = email();
    const token = await invite(c, address, 'administrator');
    expect((await t.anonymous.post('/api/v1/invitations/lookup', { token })).body).toMatchObject({
      accountExists: null,
      email: address,
    });
    const short = await t.anonymous.post('/api/v1/invitations/accept', { token, name: 'Ann', password: 'short' });
    expect(short.body.error).toMatchObject({ code: 'validation_failed', field: 'password' });
    const nameless = await t.anonymous.post('/api/v1/invitations/accept', { token, password: 'long-enough-pw' });
    expect(nameless.body.error).toMatchObject({ code: 'validation_failed', field: 'name' });
    expect(await t.db.selectFrom('users').select('id').where('email', '=', address).execute()).toHaveLength(0);

    const res = await t.anonymous.post('/api/v1/invitations/accept', {
      token,
      name: 'Ann',
      password: 'long-enough-pw',
    });
    expect(res.status).toBe(200);
    expect(String(res.headers['set-cookie'])).toContain('vp_session=');
    expect((await apiClient(t.app, res.body.token).get(clientsOf(c.base))).status).toBe(200);
  });

  it('S1 owners see pending invitations, resend them (the old link dies) and revoke them', async () => {
    const c = await t.newCompany();
    const address = email();
    const first = await invite(c, address);
    const list = await c.owner.get(`${c.base}/invitations`);
    expect(list.body.items).toEqual([expect.objectContaining({ email: address, status: 'pending', role: 'staff' })]);
    const id = list.body.items[0].id;

    const resent = await c.owner.post(`${c.base}/invitations/${id}/resend`);
    expect(resent.status).toBe(200);
    const second = tokenOf(resent.body.inviteUrl);
    expect(second).not.toBe(first);
    expect((await t.anonymous.post('/api/v1/invitations/lookup', { token: first })).status).toBe(404);
    expect((await t.anonymous.post('/api/v1/invitations/lookup', { token: second })).status).toBe(200);

    expect((await c.owner.delete(`${c.base}/invitations/${id}`)).status).toBe(204);
    expect(
      (await t.anonymous.post('/api/v1/invitations/accept', { token: second, name: 'X', password: 'long-enough-pw' }))
        .status,
    ).toBe(404);
    expect((await c.owner.get(`${c.base}/invitations`)).body.items).toHaveLength(0);
    expect((await c.owner.delete(`${c.base}/invitations/${id}`)).status).toBe(404);
    const other = await t.newCompany();
    expect((await other.owner.post(`${other.base}/invitations/${id}/resend`)).status).toBe(404);

    const audit = (await c.owner.get(`${c.base}/audit?entityType=invitation`)).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(audit).toEqual(['user.invitation_revoked', 'user.invitation_resent', 'user.invited']);
  });

  it('S1 an invitation expires after seven days', async () => {
    const c = await t.newCompany();
    const token = await invite(c, email());
    t.clock.advance(7 * 86_400_000 + 1000);
    expect(
      (await t.anonymous.post('/api/v1/invitations/accept', { token, name: 'Late', password: 'long-enough-pw' }))
        .status,
    ).toBe(404);
    // (the owner's own session has expired too by now)
    const owner = apiClient(t.app, await t.login(c.ownerEmail));
    expect((await owner.get(`${c.base}/invitations`)).body.items[0].status).toBe('expired');
  });

  it('S1 with mail set up the link goes to the address only, never to the inviter', async () => {
    const c = await withMail.newCompany({ name: 'Mail Salon' });
    const address = email();
    const before = mails.length;
    const res = await c.owner.post(`${c.base}/users`, { email: address, role: 'staff' });
    expect(res.status).toBe(201);
    expect(res.body.delivery).toBe('email');
    expect(res.body.inviteUrl).toBeUndefined();
    expect(res.text).not.toContain('vpi_');
    expect(mails.length).toBe(before + 1);
    const { to, mail } = mails.at(-1)!;
    expect(to).toEqual([address]);
    expect(mail.subject).toContain('Mail Salon');
    const token = /invite#(vpi_[A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!;
    // the holder of the address may learn whether it has an account
    expect((await withMail.anonymous.post('/api/v1/invitations/lookup', { token })).body.accountExists).toBe(false);
    const joined = await accept(withMail, token, { name: 'Mailed', password: 'long-enough-pw' });
    expect((await joined.get(clientsOf(c.base))).status).toBe(200);
  });

  it('S1 a removed member cannot come back through an invitation they sent, nor can a member who lost users.manage invite', async () => {
    const c = await t.newCompany();
    const manager = await t.newUser(c.id, 'owner');
    const sent = await manager.api.post(`${c.base}/users`, { email: email(), role: 'owner' });
    const kept = tokenOf(sent.body.inviteUrl);
    expect((await c.owner.delete(`${c.base}/users/${manager.id}`)).status).toBe(204);
    const back = await t.anonymous.post('/api/v1/invitations/accept', {
      token: kept,
      name: 'Back Door',
      password: 'long-enough-pw',
    });
    expect(back.status).toBe(404);
    expect((await c.owner.get(`${c.base}/invitations`)).body.items).toHaveLength(0);
    const removal = (await c.owner.get(`${c.base}/audit?action=user.removed`)).body.items[0];
    expect(removal.details.invitationsRevoked).toBe(1);

    const demoted = await t.newUser(c.id, 'owner');
    const other = tokenOf(
      (await demoted.api.post(`${c.base}/users`, { email: email(), role: 'staff' })).body.inviteUrl,
    );
    expect((await c.owner.patch(`${c.base}/users/${demoted.id}`, { role: 'staff' })).status).toBe(200);
    expect(
      (await t.anonymous.post('/api/v1/invitations/accept', { token: other, name: 'Late', password: 'long-enough-pw' }))
        .status,
    ).toBe(404);
  });

  it('S1 the same email invited twice at the same moment gives one open invitation, never a 500', async () => {
    const c = await t.newCompany();
    const address = email();
    const answers = await Promise.all(
      [1, 2, 3].map(() => c.owner.post(`${c.base}/users`, { email: address, role: 'staff' })),
    );
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201]);
    expect((await c.owner.get(`${c.base}/invitations`)).body.items).toHaveLength(1);
  });

  it('S2 creating companies needs the owner role with users.manage, and stops at VISITPAY_COMPANIES_PER_ACCOUNT', async () => {
    const capped = await createTestApp({ env: { VISITPAY_COMPANIES_PER_ACCOUNT: '2' } });
    const c = await capped.newCompany();
    const body = { name: 'Branch', currency: 'EUR', timezone: 'Europe/Berlin', country: 'DE' };
    // "owner" in name only: the label without the right to manage users
    const labelled = await capped.newUser(c.id, 'owner', ['appointments.read']);
    expect((await labelled.api.post('/api/v1/companies', body)).status).toBe(403);
    expect((await c.owner.post('/api/v1/companies', body)).status).toBe(201);
    const third = await c.owner.post('/api/v1/companies', body);
    expect(third.status).toBe(403);
    expect(third.body.error.message).toContain('at most 2 companies');
    expect((await c.owner.get('/api/v1/me')).body.companies).toHaveLength(2);
  });

  it('R38 invitation emails count against the company’s daily email quota: past it, 429 and no mail', async () => {
    const c = await withMail.newCompany();
    for (let i = 0; i < 3; i++)
      expect((await c.owner.post(`${c.base}/users`, { email: email(), role: 'staff' })).status).toBe(201);
    const before = mails.length;
    const refused = await c.owner.post(`${c.base}/users`, { email: email(), role: 'staff' });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('send_quota_exceeded');
    expect((await c.owner.get(`${c.base}/invitations`)).body.items).toHaveLength(3);
    // proof by a signal: another company's invitation arrives, and it is the only new mail
    const other = await withMail.newCompany();
    const address = email();
    expect((await other.owner.post(`${other.base}/users`, { email: address, role: 'staff' })).status).toBe(201);
    expect(mails.slice(before).map((m) => m.to)).toEqual([[address]]);
  });
});
