import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { createTestApp, TEST_PASSWORD } from '../helpers/test-app.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  createScratchDatabase,
  dropScratchDatabase,
  http,
  processEnv,
} from '../reliability/process-api.js';

// Every request says it comes from another address, as a botnet's would.
const t = await createTestApp({ env: { VISITPAY_TRUST_PROXY: 'true' } });
let address = 0;
const loginFrom = (email: string, password: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'x-forwarded-for': `198.51.100.${(address++ % 250) + 1}` },
    payload: { email, password },
  });

describe('S9 sign-ins are throttled per account, not only per address', () => {
  it('S9 ten tries from ten addresses use up the account; the right password then waits too, and works after the window', async () => {
    const c = await t.newCompany();
    for (let i = 0; i < 10; i++) expect((await loginFrom(c.ownerEmail, `guess-${i}`)).statusCode).toBe(401);
    const locked = await loginFrom(c.ownerEmail, TEST_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error).toMatchObject({ code: 'rate_limited' });
    expect(locked.json().error.retryAfter).toBeGreaterThan(0);
    // another account is not affected
    const other = await t.newCompany();
    expect((await loginFrom(other.ownerEmail, TEST_PASSWORD)).statusCode).toBe(200);

    t.clock.advance(15 * 60_000 + 1000);
    expect((await loginFrom(c.ownerEmail, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('S9 an unknown email is throttled exactly like a known one, so the answers reveal nothing', async () => {
    const c = await t.newCompany();
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 11; i++) {
      known.push((await loginFrom(c.ownerEmail, 'wrong-password')).statusCode);
      unknown.push((await loginFrom(`nobody-${c.id}@example.test`, 'wrong-password')).statusCode);
    }
    expect(known).toEqual([...Array(10).fill(401), 429]);
    expect(unknown).toEqual(known);
  });

  it('S9 a successful sign-in clears the count', async () => {
    const c = await t.newCompany();
    for (let i = 0; i < 9; i++) await loginFrom(c.ownerEmail, 'wrong-password');
    expect((await loginFrom(c.ownerEmail, TEST_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 10; i++) expect((await loginFrom(c.ownerEmail, 'wrong-password')).statusCode).toBe(401);
  });
});

describe('S9 the per-account count holds across processes', () => {
  const adminUrl = inject('adminDatabaseUrl');
  let databaseUrl = '';
  let dataDir = '';
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    databaseUrl = await createScratchDatabase(adminUrl, `vp_throttle_${inject('runId')}`);
    dataDir = await mkdtemp(path.join(tmpdir(), 'visitpay-throttle-'));
    await chmod(dataDir, 0o755);
    const env = processEnv({ DATABASE_URL: databaseUrl, VISITPAY_DATA_DIR: dataDir, PORT: '0' });
    a = await startServer(env);
    b = await startServer(env);
  }, 120_000);

  afterAll(async () => {
    for (const server of [a, b]) server?.child.kill('SIGTERM');
    await Promise.all([a?.exited, b?.exited]);
    if (databaseUrl) await dropScratchDatabase(adminUrl, databaseUrl);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('S9 tries spread over two processes add up: the eleventh is refused by either', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const url = i % 2 === 0 ? a.url : b.url;
      statuses.push(
        (await http(`${url}/api/v1/auth/login`, { json: { email: ADMIN_EMAIL, password: `guess-${i}` } })).status,
      );
    }
    expect(statuses).toEqual(Array(10).fill(401));
    // each process has seen five tries from this address, under its own per-address limit of ten
    for (const url of [a.url, b.url]) {
      const res = await http(`${url}/api/v1/auth/login`, { json: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
      expect(res.status, res.text).toBe(429);
    }
  });
});
