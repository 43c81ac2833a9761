import { describe, expect, it } from 'vitest';
import { completeSandbox, connectSandbox, copyLink, payableAppointment, pressPay } from '../helpers/links.js';
import { sql } from 'kysely';
import { SEALED_COLUMNS } from '../../src/cli/reseal.js';
import { SecretBox } from '../../src/shared/encryption.js';
import { cliOf } from '../helpers/cli-process.js';
import { createTestApp, TEST_SECRET_KEY } from '../helpers/test-app.js';

/** The operator commands (`src/cli.ts`, `npm run visitpay -- …`), run as a process against a real database. */
const t = await createTestApp();
// run-jobs delivers the sandbox bank's notifications to PUBLIC_URL: this app, listening
const publicUrl = await t.listen();

const visitpayWith = cliOf(t, publicUrl);
const visitpay = (...args: string[]) => visitpayWith({}, ...args);

const canLogIn = (email: string, password: string) =>
  t.services.auth.login(email, password).then(
    () => true,
    () => false,
  );

// Each command is a process of its own (tsx, a pool, the schema check): a test that runs five of them
// needs more than the default 30 s on a loaded machine.
describe('operator commands', { timeout: 120_000 }, () => {
  it('prints its usage, and refuses an unknown command or missing arguments with exit code 2', async () => {
    const help = await visitpay('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('visitpay reset-password <email>');
    const unknown = await visitpay('drop-everything');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command: drop-everything');
    const missing = await visitpay('grant-owner', 'someone@example.test');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('takes 2 argument(s)');
  });

  it('migrate finds the schema up to date; companies lists each company with its owners', async () => {
    const company = await t.newCompany({ name: 'Salon Mira' });
    expect((await visitpay('migrate')).stdout).toContain('the schema is up to date');
    const listed = await visitpay('companies');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(`${company.id}  Salon Mira  EUR  Europe/Berlin  1 user\\(s\\); owners: ${company.ownerEmail}`),
    );
  });

  it('reset-password gives a new password, printed once, and signs the user out of every session', async () => {
    const company = await t.newCompany();
    const token = await t.login(company.ownerEmail);
    expect(await t.services.auth.authenticate(token)).toBeDefined();
    const res = await visitpay('reset-password', company.ownerEmail.toUpperCase());
    expect(res.code, res.stderr).toBe(0);
    const password = /new password for \S+: (\S+)/.exec(res.stdout)![1]!;
    expect(await canLogIn(company.ownerEmail, password)).toBe(true);
    expect(await canLogIn(company.ownerEmail, 'the old test password')).toBe(false);
    expect(await t.services.auth.authenticate(token)).toBeUndefined();

    const nobody = await visitpay('reset-password', 'nobody@example.test');
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('no user with the email nobody@example.test');
  });

  it('S1 grant-owner makes a new account an owner, and an existing one only with --force after saying whose it is', async () => {
    const company = await t.newCompany();
    const staff = await t.newUser(company.id, 'staff');
    const asked = await visitpay('grant-owner', staff.email, company.id);
    expect(asked.code).toBe(1);
    expect(asked.stderr.trim().split('\n')).toHaveLength(1);
    expect(asked.stderr).toContain(`${staff.email} already has an account`);
    expect(asked.stderr).toContain('Test Salon (staff)');
    expect(asked.stderr).toContain('--force');
    expect((await t.services.auth.membership(staff.id, company.id))?.role).toBe('staff');

    const promoted = await visitpay('grant-owner', staff.email, company.id, '--force');
    expect(promoted.code, promoted.stderr).toBe(0);
    const membership = await t.services.auth.membership(staff.id, company.id);
    expect(membership?.role).toBe('owner');

    const created = await visitpay('grant-owner', 'new.owner@example.test', company.id);
    expect(created.code, created.stderr).toBe(0);
    const password = /password: (\S+)/.exec(created.stdout)![1]!;
    expect(await canLogIn('new.owner@example.test', password)).toBe(true);

    const noCompany = await visitpay('grant-owner', 'new.owner@example.test', 'co_missing');
    expect(noCompany.code).toBe(1);
    expect(noCompany.stderr).toContain('no company co_missing');
    expect((await visitpay('grant-owner', 'not-an-email', company.id)).code).toBe(2);
  });

  it('R17 run-jobs does the background work a stopped server left: a paid checkout whose notification was never sent is credited', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const link = await copyLink(company, appt.id);
    const pay = await pressPay(t, link.token);
    await completeSandbox(t, pay.location!);
    // The sandbox bank has queued its notification; no job of this test app has run.
    expect(
      (await t.db.selectFrom('payments').select('id').where('appointment_id', '=', appt.id).execute()).length,
    ).toBe(0);
    const res = await visitpay('run-jobs');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/background jobs: [1-9]\d* item\(s\) handled/);
    const payments = await t.db
      .selectFrom('payments')
      .select(['amount', 'method'])
      .where('appointment_id', '=', appt.id)
      .execute();
    expect(payments).toEqual([{ amount: 10_000, method: 'online' }]);
  });

  // Last in this file: afterwards the database's secrets are sealed under another key than the test app's.
  it('reseal moves every stored secret to a new SECRET_KEY; with the wrong previous key it fails and names what it cannot open', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const appt = await payableAppointment(t, company, { price: 5_000 });
    const link = await copyLink(company, appt.id);
    await pressPay(t, link.token);
    expect(
      (await company.owner.post(`${company.base}/webhook-endpoints`, { url: 'https://93.184.216.34/hook' })).status,
    ).toBe(201);

    // the list of sealed columns is complete: every column holding a sealed value is in it
    const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'text'`.execute(
      t.db,
    );
    const sealedHere: string[] = [];
    for (const c of columns) {
      const { rows } = await sql<{
        found: boolean;
      }>`SELECT EXISTS (SELECT 1 FROM ${sql.table(c.table_name)} WHERE ${sql.ref(c.column_name)} LIKE 'v1.%') AS found`.execute(
        t.db,
      );
      if (rows[0]!.found) sealedHere.push(`${c.table_name}.${c.column_name}`);
    }
    expect(sealedHere.sort()).toEqual(SEALED_COLUMNS.map((c) => `${c.table}.${c.column}`).sort());

    const NEW_KEY = 'cm90YXRlZC1rZXktb2YtdGhlLXNhbG9uLXRoYXQtaXMtbG9uZw==';
    const wrong = await visitpayWith(
      { SECRET_KEY: NEW_KEY, SECRET_KEY_PREVIOUS: 'bm90LXRoZS1rZXktdGhhdC1zZWFsZWQtYW55dGhpbmctaGVyZQ==' },
      'reseal',
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/value\(s\) open under none of the keys/);

    const rotated = await visitpayWith({ SECRET_KEY: NEW_KEY, SECRET_KEY_PREVIOUS: TEST_SECRET_KEY }, 'reseal');
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/payment_links\.token_sealed: [1-9]\d* resealed, 0 already under SECRET_KEY/);
    const box = new SecretBox(NEW_KEY);
    for (const { table, column } of SEALED_COLUMNS) {
      const { rows } = await sql<{
        v: string;
      }>`SELECT ${sql.ref(column)} AS v FROM ${sql.table(table)} WHERE ${sql.ref(column)} IS NOT NULL`.execute(t.db);
      expect(rows.length, `${table}.${column}`).toBeGreaterThan(0);
      for (const row of rows) expect(() => box.open(row.v), `${table}.${column}`).not.toThrow();
    }
    const tokenRow = await t.db
      .selectFrom('payment_links')
      .select('token_sealed')
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    expect(box.open(tokenRow.token_sealed)).toBe(link.token);

    const again = await visitpayWith({ SECRET_KEY: NEW_KEY, SECRET_KEY_PREVIOUS: TEST_SECRET_KEY }, 'reseal');
    expect(again.stdout).toMatch(/payment_links\.token_sealed: 0 resealed, [1-9]\d* already under SECRET_KEY/);
  });
});
